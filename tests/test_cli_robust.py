"""The command line on hostile options and outputs (issue 8 sections 3 and 6).

Outputs never overwrite a file of an input dataset (sidecars, links and hard links included)
and are written atomically; every numeric option is checked before any data is read; a formula
that cannot be computed, an unwritable folder and a closed stdout end with a clear message and
the documented exit status, never a traceback (exit 3). Fixtures are built here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from tiny import suggest_args, write_tiny

from analysis.config import DEFAULT_CONFIG
from kerjasama import outputs
from kerjasama.cli import EXIT_PIPE_CLOSED, main

KERJASAMA = Path(sys.executable).parent / "kerjasama"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def shapefile(tmp_path) -> Path:
    """The tiny province as a Shapefile (.shp .shx .dbf .prj .cpg) in its own folder."""
    src = tmp_path / "src"
    src.mkdir()
    boundaries, _ = write_tiny(src)
    folder = tmp_path / "shp"
    folder.mkdir()
    path = folder / "kaltim_adm2.shp"
    gpd.read_file(boundaries).to_file(path, encoding="UTF-8")
    return path


def _adjacency(path: Path, out: Path | str) -> list[str]:
    return ["--lang", "en", "adjacency", str(path), "--out", str(out)]


# -- section 3: never overwrite a user's file -------------------------------------------------


@pytest.mark.parametrize("name", ["kaltim_adm2.dbf", "kaltim_adm2.prj", "kaltim_adm2.shx",
                                  "kaltim_adm2.cpg", "kaltim_adm2.SHP", "kaltim_adm2.shp.xml",
                                  "kaltim_adm2.qix"])  # fmt: skip
def test_adjacency_out_onto_a_sidecar_refused(shapefile, capsys, name):
    before = _digest(shapefile.parent)
    assert main(_adjacency(shapefile, shapefile.parent / name)) == 2
    err = capsys.readouterr().err
    assert "is, or links to, a file of the input dataset" in err and "kaltim_adm2.shp" in err
    assert _digest(shapefile.parent) == before  # nothing written, nothing created


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_adjacency_out_linked_to_an_input_part_refused(shapefile, tmp_path, capsys, link):
    out = tmp_path / "edges.csv"
    (os.link if link == "hard" else os.symlink)(shapefile.with_suffix(".dbf"), out)
    before = _digest(shapefile.parent)
    assert main(_adjacency(shapefile, out)) == 2
    assert "input dataset" in capsys.readouterr().err
    assert _digest(shapefile.parent) == before


def test_suggest_outputs_linked_to_any_input_refused(tmp_path, capsys):
    boundaries, indicators = write_tiny(tmp_path)
    config = tmp_path / "my_sectors.toml"
    config.write_bytes(DEFAULT_CONFIG.read_bytes())
    cases = [
        ("--members-csv", "hard", indicators),
        ("--members-csv", "hard", config),
        ("--out", "symbolic", boundaries),
        ("--out", "hard", boundaries),
    ]
    for k, (option, kind, target) in enumerate(cases):
        out = tmp_path / f"out{k}{'.csv' if option == '--members-csv' else '.geojson'}"
        (os.link if kind == "hard" else os.symlink)(target, out)
        before = _digest(tmp_path)
        argv = suggest_args(boundaries, indicators, "--config", str(config), option, str(out))
        assert main(argv) == 2, (option, kind, target)
        assert f"{option} {out} is, or links to" in capsys.readouterr().err
        assert _digest(tmp_path) == before


def test_zip_input_protected(tmp_path, capsys, shapefile):
    import zipfile

    archive = tmp_path / "kaltim.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shapefile.parent.iterdir():
            zf.write(part, part.name)
    out = tmp_path / "edges.csv"
    os.link(archive, out)
    assert main(_adjacency(archive, out)) == 2
    assert "kaltim.zip" in capsys.readouterr().err


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_registry_export_never_over_its_database(tmp_path, capsys, monkeypatch, link):
    monkeypatch.delenv("KERJASAMA_DATA", raising=False)
    database = tmp_path / "registry.sqlite"
    url = f"sqlite:///{database}"
    assert main(["--lang", "en", "registry", "list", "--db", url]) == 0
    before = database.read_bytes()
    out = tmp_path / "agreements.csv"
    (os.link if link == "hard" else os.symlink)(database, out)
    assert main(["--lang", "en", "registry", "export", "--db", url, "--out", str(out)]) == 2
    assert "registry.sqlite" in capsys.readouterr().err
    assert database.read_bytes() == before


def test_outputs_onto_the_seat_table_refused(tmp_path, capsys):
    # the seat table next to the boundary file is read with it (geo.seats): an output written
    # there, existing or not yet, would replace or become the seats of the next run
    boundaries, indicators = write_tiny(tmp_path)
    seats = tmp_path / "boundaries_seats.csv"
    seats.write_text("code,kec_lon,kec_lat\n6401,116.1,-0.9\n", encoding="utf-8")
    linked = tmp_path / "linked.csv"
    os.link(seats, linked)
    before = _digest(tmp_path)
    for out in (seats, tmp_path / "idn_adm2_seats.csv", linked):
        assert main(suggest_args(boundaries, indicators, "--members-csv", str(out))) == 2
        assert f"--members-csv {out} is, or links to" in capsys.readouterr().err
        assert main(_adjacency(boundaries, out)) == 2
        assert "input dataset" in capsys.readouterr().err
    assert _digest(tmp_path) == before  # nothing replaced, nothing created


@pytest.mark.realdata
def test_backtest_protects_its_inputs_reads_the_options_and_neutralises(
    tmp_path, capsys, kaltim_shp, kaltim_indicators
):
    arrangements = tmp_path / "arrangements.csv"
    arrangements.write_text(
        'id,sector,members,holdout\n"=HYPERLINK(""http://x"")",waste,64.72;64.02,false\n',
        encoding="utf-8",
    )
    before = arrangements.read_bytes()
    # two pairs of names swapped: the join is refused, and --no-name-check (offered in the
    # message) lets it through
    table = pd.read_csv(kaltim_indicators, dtype=str)
    table.loc[[0, 1, 2, 3], "name"] = table.loc[[1, 0, 3, 2], "name"].to_numpy()
    swapped = tmp_path / "swapped.csv"
    table.to_csv(swapped, index=False)
    argv = ["--lang", "en", "backtest", "--boundaries", str(kaltim_shp), "--indicators",
            str(swapped), "--arrangements", str(arrangements)]  # fmt: skip
    assert main([*argv, "--out", str(arrangements)]) == 2
    assert f"--out {arrangements} is, or links to" in capsys.readouterr().err
    assert arrangements.read_bytes() == before
    out = tmp_path / "results.csv"
    assert main([*argv, "--out", str(out)]) == 2
    assert "--no-name-check" in capsys.readouterr().err
    assert main([*argv, "--out", str(out), "--no-name-check"]) == 0
    capsys.readouterr()
    written = pd.read_csv(out, dtype=str)
    assert set(written["id"]) == {'\'=HYPERLINK("http://x")'}


@pytest.mark.parametrize(
    ("rows", "extra", "says"),
    [
        ("a,nope,64.01;64.02,false", (), "line 2 (a): sector 'nope' is not in the config"),
        ("a,water,64.01,false", (), "holds no arrangement of 2–5 regions"),
        ("", (), "holds no arrangement of 2–5 regions"),
        ("a,water,64.01;64.09,true", ("--tune",), "holds no training arrangement"),
    ],
)
def test_backtest_arrangements_checked_before_reading_data(tmp_path, capsys, rows, extra, says):
    # crashed with exit 3 (an unknown sector, nothing to rank) or tuned on nothing (--tune)
    arrangements = tmp_path / "arrangements.csv"
    arrangements.write_text(f"id,sector,members,holdout\n{rows}\n", encoding="utf-8")
    absent = tmp_path / "absent"
    argv = ["--lang", "en", "backtest", "--boundaries", f"{absent}.gpkg", "--indicators",
            f"{absent}.csv", "--arrangements", str(arrangements)]  # fmt: skip
    assert main([*argv, *extra]) == 2
    err = capsys.readouterr().err
    assert f"Arrangements file {arrangements}" in err and says in err and "absent" not in err


def test_outputs_written_atomically(shapefile, tmp_path, monkeypatch, capsys):
    out = tmp_path / "edges.csv"
    out.write_text("old,contents\n")
    out.chmod(0o640)

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "fsync", interrupted)
    assert main(_adjacency(shapefile, out)) == 130
    assert out.read_text() == "old,contents\n"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir() if p.suffix not in ("",)] == ["edges.csv"]
    monkeypatch.undo()
    assert main(_adjacency(shapefile, out)) == 0
    assert out.read_text().startswith("source,source_name,target,target_name,kind")
    assert (out.stat().st_mode & 0o777) == 0o640  # an existing file keeps its permissions
    capsys.readouterr()


def test_output_through_a_link_replaces_the_target_and_keeps_the_link(shapefile, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(_adjacency(shapefile, link)) == 0
    assert link.is_symlink() and real.read_text().startswith("source,source_name,target")


@pytest.mark.parametrize("command", ["suggest", "brief", "adjacency"])
def test_unwritable_output_folder_is_exit_2_naming_it(tmp_path, capsys, command, shapefile):
    boundaries, indicators = write_tiny(tmp_path)
    a_file = tmp_path / "not_a_folder.txt"
    a_file.write_text("x")
    suffix = {"suggest": ".geojson", "brief": ".html", "adjacency": ".csv"}[command]
    for out, says in ((Path("/sys") / f"x{suffix}", "cannot write in folder /sys"),
                      (a_file / f"x{suffix}", "is not a folder")):  # fmt: skip
        if command == "adjacency":
            argv = _adjacency(shapefile, out)
        else:
            argv = suggest_args(boundaries, indicators, "--out", str(out))
            argv[2] = command
        started = time.perf_counter()
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert says in err and "unexpected" not in err
        assert time.perf_counter() - started < 5


# -- section 6: options checked before any data is read ---------------------------------------


@pytest.mark.parametrize("value", ["inf", "nan", "1e9", "-1", "ten"])
def test_tolerance_outside_range_refused_before_reading(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "en", "adjacency", str(tmp_path / "absent.shp"), "--tolerance-m", value])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"--tolerance-m: {value} is not allowed: give a number from 0 to 1000" in err


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--max-size", "10", "give a whole number from 2 to 5"),
        ("--min-size", "1", "give a whole number from 2 to 5"),
        ("--max-size", "4.5", "give a whole number from 2 to 5"),
        ("--top", "0", "give a whole number from 1 to 100000"),
        ("--top", "-3", "give a whole number from 1 to 100000"),
        ("--stability", "-5", "give a whole number from 0 to 10000"),
        ("--stability", "2.5", "give a whole number from 0 to 10000"),
    ],
)
def test_suggest_options_refused_before_reading(tmp_path, capsys, option, value, says):
    absent = tmp_path / "absent.gpkg"
    argv = suggest_args(absent, absent, option + "=" + value, "--members-csv", "x.csv")
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert f"{option}: {value} is not allowed: {says}" in capsys.readouterr().err


def test_sizes_in_wrong_order_refused_before_reading(tmp_path, capsys):
    absent = tmp_path / "absent.gpkg"
    argv = suggest_args(absent, absent, "--min-size", "4", "--max-size", "3", "--members-csv", "x")
    assert main(argv) == 2
    assert "min size 4, max size 3" in capsys.readouterr().err


@pytest.mark.realdata
def test_max_size_refused_fast_on_national_data(national_adm2, national_indicators, capsys):
    started = time.perf_counter()
    with pytest.raises(SystemExit):
        main(suggest_args(national_adm2, national_indicators, "--max-size", "10", "--all"))
    assert time.perf_counter() - started < 1.0  # was 9 s of loading before the refusal
    assert "--max-size" in capsys.readouterr().err


def test_formula_over_text_column_names_formula_and_term(tmp_path, capsys):
    boundaries, indicators = write_tiny(tmp_path, province_name=["Kalimantan Timur"] * 6)
    config = tmp_path / "text.toml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace('expr = "water_access_pct_2024"', 'expr = "province_name"\nunit = "-"', 1)
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "m.csv"
    assert main(suggest_args(boundaries, indicators, "--config", str(config),
                             "--members-csv", str(out))) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "Sector 'water', capacity term 'water_access'" in err
    assert "Expression 'province_name' reads column 'province_name', which holds text" in err
    assert not out.exists()


def test_complementarity_formula_over_text_names_sector_and_parameter(tmp_path, capsys):
    boundaries, indicators = write_tiny(tmp_path, province_name=["Kalimantan Timur"] * 6)
    config = tmp_path / "text.toml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    head, table, tail = text.partition("[sectors.water.complementarity]")
    old = 'expr = "density_per_km2_2024_derived"'
    assert old in tail
    tail = tail.replace(old, 'expr = "province_name"', 1)
    config.write_text(head + table + tail, encoding="utf-8")
    out = tmp_path / "m.csv"
    assert main(suggest_args(boundaries, indicators, "--config", str(config),
                             "--members-csv", str(out))) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "Sector 'water', complementarity formula ([sectors.water.complementarity] expr)" in err
    assert "Expression 'province_name' reads column 'province_name', which holds text" in err
    assert not out.exists()


@pytest.mark.parametrize("formula", ["1/0", "0 ** -1", "1e308 ** 3", "1" + "0" * 400,
                                     "(-8) ** 0.5"])  # fmt: skip
def test_formula_constants_in_config_exit_2(tmp_path, capsys, formula):
    config = tmp_path / "c.toml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            'expr = "100 - water_access_pct_2024"', f'expr = "water_access_pct_2024 * {formula}"', 1
        ),  # fmt: skip
        encoding="utf-8",
    )
    assert main(["--lang", "en", "sectors", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and "sectors.water.gap" in err and "not allowed" in err


def test_closed_stdout_exits_quietly(shapefile):
    proc = subprocess.Popen(
        [str(KERJASAMA), "adjacency", str(shapefile)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == EXIT_PIPE_CLOSED
    assert "Traceback" not in err and "Broken pipe" not in err and "Exception" not in err
