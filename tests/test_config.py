"""analysis.config: the packaged sectors.toml and validation of user configs."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.clusters import ClusterSettings
from analysis.config import DEFAULT_CONFIG, REQUIRED_SECTORS, check_columns, load_config
from common.errors import InputError


def test_packaged_config_is_complete():
    config = load_config()
    assert config.source == DEFAULT_CONFIG
    for sector_id in REQUIRED_SECTORS:
        sector = config.sectors[sector_id]
        assert sector.gap and sector.capacity
        assert sector.label_id and sector.label_en and sector.note_id and sector.note_en
        for term in sector.terms:
            assert term.columns and term.unit and term.year and term.weight > 0
            for column in term.columns:  # every term column has metadata with a range
                meta = config.indicators[column]
                assert meta.min is not None
    assert config.sectors["water"].externality is True
    assert config.sectors["economy"].externality is False
    assert config.data.boundary_key == "code_dot"
    assert config.data.indicator_key == "kemendagri_code_2025"
    assert config.data.population in config.indicators
    assert isinstance(config.clusters, ClusterSettings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.data = None  # type: ignore[misc]


def test_config_matches_real_indicator_columns(national_indicators):
    header = pd.read_csv(national_indicators, nrows=0).columns
    config = load_config()
    check_columns(config, pd.DataFrame(columns=header))
    numeric = [
        c
        for c in header
        if c not in ("code", "name", "province_code", "province_name_2024", "kemendagri_code_2025")
    ]
    assert sorted(numeric) == sorted(config.indicators)  # every indicator has metadata


def _write(tmp_path, body: str):
    path = tmp_path / "my_sectors.toml"
    path.write_text(body, encoding="utf-8")
    return path


BASE = """
[indicators.x_pct_2024]
label_id = "X"
unit = "%"
year = 2024
min = 0
max = 100

[sectors.demo]
label_id = "Demo"
[[sectors.demo.gap]]
expr = "{gap}"
direction = "{direction}"
[[sectors.demo.capacity]]
expr = "x_pct_2024"
direction = "higher_is_more"
"""


def test_user_config_defaults_and_clusters_absent(tmp_path):
    path = _write(tmp_path, BASE.format(gap="100 - x_pct_2024", direction="higher_is_more"))
    config = load_config(path)
    term = config.sectors["demo"].gap[0]
    assert term.columns == ("x_pct_2024",)
    assert term.unit == "%" and term.year == 2024 and term.weight == 1.0
    assert term.key == "gap_x_pct_2024"
    assert config.clusters == load_config().clusters  # [clusters] absent: packaged values
    assert config.sectors["demo"].forms == ("joint", "contract")


@pytest.mark.parametrize(
    ("gap", "direction", "expected"),
    [
        ("__import__('os')", "higher_is_more", "calling"),
        ("x_pct_2024.real", "higher_is_more", "attribute"),
        ("100 - x_pct_2024", "up", "direction 'up'"),
        ("42", "higher_is_more", "reads no column"),
    ],
)
def test_bad_terms_name_file_sector_and_term(tmp_path, gap, direction, expected):
    path = _write(tmp_path, BASE.format(gap=gap, direction=direction))
    with pytest.raises(InputError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message
    assert "sectors.demo.gap" in message
    assert expected in message


def test_bad_toml_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="not valid TOML"):
        load_config(_write(tmp_path, "[sectors\n"))
    with pytest.raises(InputError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="no sector"):
        load_config(_write(tmp_path, "[data]\nprovince = '64'\n"))


def test_unknown_keys_and_ranges_refused(tmp_path):
    body = BASE.format(gap="x_pct_2024", direction="higher_is_more")
    with pytest.raises(InputError, match="unknown key"):
        load_config(_write(tmp_path, body.replace('label_id = "Demo"', 'label_id = "D"\nwieght=2')))
    with pytest.raises(InputError, match="min 5 is larger than max 1"):
        load_config(_write(tmp_path, body.replace("min = 0\nmax = 100", "min = 5\nmax = 1")))
    with pytest.raises(InputError, match="weight"):
        load_config(
            _write(
                tmp_path,
                body.replace(
                    'direction = "higher_is_more"\n[[sectors.demo.cap',
                    'direction = "higher_is_more"\nweight = -1\n[[sectors.demo.cap',
                ),
            )
        )


def test_check_columns_names_sector_term_and_suggestion():
    config = load_config()
    table = pd.DataFrame(
        columns=["water_acess_pct_2024", "grdp_adhb_per_capita_million_idr_2024_derived"]
    )
    with pytest.raises(InputError) as err:
        check_columns(config, table, "water")
    message = str(err.value)
    assert "sector water" in message and "no_water_access" in message
    assert "did you mean water_acess_pct_2024" in message
    with pytest.raises(InputError, match="Unknown sector 'air'"):
        check_columns(config, table, "air")


def test_units_have_an_english_form_that_falls_back_to_the_indonesian_one():
    config = load_config()
    water_gap = config.sectors["water"].gap[0]
    assert water_gap.unit_label("id") == "% rumah tangga"
    assert water_gap.unit_label("en") == "% of households"
    percent = config.indicators["poverty_pct_2024"]
    assert percent.unit_en == ""
    assert percent.unit_label("en") == percent.unit_label("id") == "%"
