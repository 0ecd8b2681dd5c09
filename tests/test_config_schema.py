"""The whole config is validated once, at load, by one declarative schema (issue 8 section 6).

Wrong types, NaN, out-of-range values and fractional counts in ``[clusters]`` and the other
tables used to crash later (exit 3) or were accepted silently; each is now an exit-2 message
naming the file, the table, the key and the allowed range.
"""

from __future__ import annotations

import dataclasses

import pytest
from test_config import BASE

from analysis.clusters import SCHEMA, ClusterSettings
from analysis.config import load_config
from common.errors import InputError
from kerjasama.cli import main

SECTOR = BASE.format(gap="100 - x_pct_2024", direction="higher_is_more")


def _config(tmp_path, clusters: str, extra: str = "") -> str:
    path = tmp_path / "bad.toml"
    path.write_text(f"{SECTOR}\n{extra}\n[clusters]\n{clusters}\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("line", "key", "says"),
    [
        # crashed with exit 3 before
        ('need_mean_share = "half"', "need_mean_share", "must be a number"),
        ("stability_seed = -1", "stability_seed", "outside the allowed range (0 to 4294967295)"),
        ('top = "twenty"', "top", "must be a number"),
        ("stability_draws = 2.5", "stability_draws", "whole number"),
        ('weights.joint = "heavy"', "joint", "must be a table"),
        ('weights.joint.need = "heavy"', "need", "must be a number"),
        # accepted silently before
        ("top = -3", "top", "outside the allowed range (1 to 1000)"),
        ("joint_min_need = nan", "joint_min_need", "finite"),
        ("stability_top = 0", "stability_top", "outside the allowed range (1 to 1000)"),
        ("stability_draws = -5", "stability_draws", "outside the allowed range (0 to 10000)"),
        ("border_ref = inf", "border_ref", "finite"),
        ("maritime_ref_km = 0", "maritime_ref_km", "greater than 0"),
        ("stability_concentration = true", "stability_concentration", "must be a number"),
        ("population = ''", "population", "non-empty"),
        ("tpo = 3", "tpo", "unknown key"),
    ],
)
def test_bad_clusters_values_exit_2_naming_key(tmp_path, capsys, line, key, says):
    path = _config(tmp_path, line)
    assert main(["sectors", "--lang", "en", "--config", path]) == 2
    err = capsys.readouterr().err
    assert path in err and "[clusters" in err and key in err and says in err
    assert "Traceback" not in err and "unexpected" not in err


def test_suggest_refuses_bad_config_before_reading_data(tmp_path, capsys):
    path = _config(tmp_path, "stability_draws = 2.5")
    argv = ["suggest", "--lang", "en", "--config", path, "--sector", "demo"]
    argv += ["--boundaries", str(tmp_path / "absent.gpkg"), "--members-csv", "x.csv"]
    assert main(argv) == 2
    assert "stability_draws" in capsys.readouterr().err  # not "absent.gpkg does not exist"


def test_indonesian_message_localises_the_range(tmp_path, capsys):
    assert main(["sectors", "--config", _config(tmp_path, "need_mean_share = 1.5")]) == 2
    assert "'need_mean_share' = 1,5 di luar rentang yang diizinkan (0 sampai 1)" in (
        capsys.readouterr().err
    )


def test_partial_clusters_take_packaged_defaults(tmp_path):
    config = load_config(_config(tmp_path, "top = 7\n[clusters.weights.joint]\nneed = 0.9"))
    packaged = load_config().clusters
    assert config.clusters.top == 7
    assert config.clusters.weights["joint"] == {**packaged.weights["joint"], "need": 0.9}
    assert config.clusters.stability_seed == packaged.stability_seed


def test_whole_number_written_as_float_is_accepted(tmp_path):
    assert load_config(_config(tmp_path, "top = 20.0")).clusters.top == 20


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("min = 0", "min = nan", "'min' must be a finite number"),
        ("year = 2024", "year = 2024.5", "'year' must be a whole number"),
        ("year = 2024", 'year = "2024"', "'year' must be a number"),
        ('label_id = "Demo"', 'label_id = "Demo"\nexternality = "yes"', "true or false"),
        ('direction = "higher_is_more"', "direction = 1", "'direction' must be text"),
    ],
)
def test_other_tables_checked_by_the_same_schema(tmp_path, capsys, old, new, says):
    path = tmp_path / "bad.toml"
    path.write_text(SECTOR.replace(old, new, 1), encoding="utf-8")
    assert main(["sectors", "--lang", "en", "--config", str(path)]) == 2
    assert says in capsys.readouterr().err


def test_schema_matches_the_settings_fields():
    assert list(SCHEMA.fields) == [f.name for f in dataclasses.fields(ClusterSettings)]


def test_library_callers_get_the_same_checks():
    table = dataclasses.asdict(load_config().clusters)
    with pytest.raises(InputError, match="stability_top"):
        ClusterSettings.from_mapping({**table, "stability_top": 0})
    with pytest.raises(InputError, match="finite, >= 0"):
        zero = dict.fromkeys(table["weights"]["joint"], 0)
        ClusterSettings.from_mapping({**table, "weights": {**table["weights"], "joint": zero}})
