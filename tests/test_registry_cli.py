"""``kerjasama registry``: exit codes and output of each sub-command (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from kerjasama.cli import main

MEMBERS = "64.74;64.08"


def run(capsys, db, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["registry", *argv[:1], "--db", db, *argv[1:]])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.delenv("KERJASAMA_DATA", raising=False)
    monkeypatch.setenv("KERJASAMA_LANG", "en")
    return db_url


def test_add_list_show_edit_stage_alerts(capsys, db, tmp_path):
    base = ["--name", "TPA Regional", "--sector", "waste", "--form", "joint", "--members", MEMBERS]
    code, out, err = run(
        capsys,
        db,
        "add",
        *base,
        "--stage",
        "kb",
        "--date",
        "2024-01-10",
        "--user",
        "ani",
        "--boundaries",
        str(tmp_path / "none.gpkg"),
    )
    assert code == 0, err
    assert "#1" in out
    code, out, _ = run(capsys, db, "alerts", "--today", "2024-03-01")
    assert code == 0 and "0 open" in out
    code, out, _ = run(capsys, db, "alerts", "--today", "2024-08-01")
    assert code == 1 and "#1" in out and "no PKS" in out
    code, out, _ = run(capsys, db, "list", "--sector", "waste", "--stage", "kb", "--province", "64")
    assert code == 0 and "TPA Regional" in out and "1 agreement" in out
    code, out, _ = run(capsys, db, "list", "--province", "35")
    assert code == 0 and "0 agreement" in out
    code, out, _ = run(capsys, db, "edit", "1", "--version", "1", "--set", "scope=TPA bersama")
    assert code == 0 and "version 2" in out
    code, _, err = run(capsys, db, "edit", "1", "--version", "1", "--set", "scope=other")
    assert code == 2 and "NOT saved" in err and "Traceback" not in err
    code, out, _ = run(capsys, db, "stage", "1", "pks", "--date", "2024-07-01")
    assert code == 0
    code, out, _ = run(capsys, db, "show", "1", "--history")
    assert code == 0
    assert "TPA bersama" in out and "PKS signed" in out and "ani" in out and "Dispute" in out
    code, _, err = run(capsys, db, "stage", "1", "kb", "--date", "2024-08-01")
    assert code == 2 and "forward" in err
    code, _, err = run(capsys, db, "show", "99")
    assert code == 2 and "#99" in err


def test_monitor_budget_doc(capsys, db):
    code, _, err = run(
        capsys,
        db,
        "add",
        "--name",
        "SPAM",
        "--sector",
        "water",
        "--form",
        "contract",
        "--members",
        "64.71;64.09",
        "--provider",
        "64.71",
        "--stage",
        "pks",
        "--date",
        "2024-01-05",
        "--set",
        "start_on=2024-02-01",
        "--set",
        "duration_months=60",
    )
    assert code == 0, err
    code, _, err = run(capsys, db, "stage", "1", "berjalan", "--date", "2024-02-01")
    assert code == 0, err
    code, out, err = run(
        capsys,
        db,
        "monitor",
        "1",
        "--period",
        "2024-02",
        "--status",
        "on_track",
        "--indicator",
        "m3_per_day=8640",
        "--note",
        "=cmd",
    )
    assert code == 0, err
    code, _, err = run(capsys, db, "monitor", "1", "--period", "2024-02", "--status", "delayed")
    assert code == 2 and "--replace" in err
    code, _, err = run(
        capsys, db, "budget", "1", "--party", "64.71", "--year", "2025", "--amount", "1500000000"
    )
    assert code == 0, err
    code, _, err = run(
        capsys, db, "budget", "1", "--party", "64.99", "--year", "2025", "--amount", "1"
    )
    assert code == 2 and "64.99" in err
    code, _, err = run(
        capsys,
        db,
        "doc",
        "1",
        "--kind",
        "pks",
        "--number",
        "180/1/2024",
        "--link",
        "https://jdih.example.go.id/pks.pdf",
    )
    assert code == 0, err
    code, out, _ = run(capsys, db, "show", "1")
    assert "1,500,000,000" in out and "180/1/2024" in out and "8,640" in out


def test_import_export(capsys, db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "name,sector,form,stage,kb_on,members\n"
        "=HYPERLINK(1),waste,joint,kb,2024-01-10,64.74;64.08\n"
        "SPAM,water,joint,usulan,,64.71;64.09\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,sector,form,stage,kb_on,members\n"
        "A,waste,joint,kb,2024-01-10,64.74\n"
        "B,waste,joint,kb,2024-13-01,64.74\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, db, "import", str(bad))
    assert code == 2 and "row 3" in err and "kb_on" in err
    code, out, _ = run(capsys, db, "list")
    assert "0 agreement" in out
    code, out, err = run(capsys, db, "import", str(good))
    assert code == 0 and "2 agreement" in out, err
    out_csv = tmp_path / "out.csv"
    code, _, err = run(capsys, db, "export", "--out", str(out_csv))
    assert code == 0, err
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(1)", "SPAM"]
    code, _, err = run(capsys, db, "export", "--out", str(tmp_path / "x.txt"))
    assert code == 2 and ".geojson" in err
    code, _, err = run(
        capsys,
        db,
        "export",
        "--out",
        str(tmp_path / "x.geojson"),
        "--boundaries",
        str(tmp_path / "missing.gpkg"),
    )
    assert code == 2


@pytest.mark.realdata
def test_geojson_export_on_real_boundaries(capsys, db, tmp_path, national_adm2):
    code, _, err = run(
        capsys,
        db,
        "add",
        "--name",
        "TPA",
        "--sector",
        "waste",
        "--form",
        "joint",
        "--members",
        MEMBERS,
        "--boundaries",
        str(national_adm2),
    )
    assert code == 0, err
    out = tmp_path / "agreements.geojson"
    code, _, err = run(capsys, db, "export", "--out", str(out), "--boundaries", str(national_adm2))
    assert code == 0, err
    feature = json.loads(out.read_text(encoding="utf-8"))["features"][0]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert [p["name"] for p in feature["properties"]["parties"]] == [
        "Kota Bontang",
        "Kabupaten Kutai Timur",
    ]


def test_user_add_reads_the_password_from_stdin(capsys, db, monkeypatch):
    code, out, err = run(
        capsys, db, "user", "add", "editor1", stdin="a long password\n", monkeypatch=monkeypatch
    )
    assert code == 0 and "editor1" in out, err
    assert "a long password" not in out + err
    code, _, err = run(
        capsys, db, "user", "add", "editor2", stdin="short\n", monkeypatch=monkeypatch
    )
    assert code == 2 and "10" in err
    with pytest.raises(SystemExit):  # no password option exists
        main(["registry", "user", "add", "x", "--password", "p", "--db", db])


def test_seed_and_fresh_alerts(capsys, db, tmp_path):
    from registry import seed

    path = tmp_path / "arr.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, seed.COLUMNS)
        writer.writeheader()
        writer.writerow(
            dict(
                dict.fromkeys(seed.COLUMNS, ""),
                id="A",
                name="TPA",
                sector="waste",
                form="joint",
                members=MEMBERS,
                stage="running",
                year="2018",
            )
        )
    code, out, err = run(capsys, db, "seed", "--file", str(path))
    assert code == 0 and "1 added" in out, err
    code, out, _ = run(capsys, db, "alerts")
    assert code == 0 and "Dates unknown (1)" in out and "#1 TPA" in out


def test_db_upgrade_and_bad_url(capsys, db, tmp_path):
    code, out, err = run(capsys, db, "db", "upgrade")
    assert code == 0 and "upgraded from revision - to 0002" in out, err
    code, out, err = run(capsys, db, "db", "upgrade")
    assert code == 0 and "newest revision (0002)" in out, err
    code, _, err = run(capsys, "mysql://x@y/z", "list")
    assert code == 2 and "PostgreSQL" in err


def test_indonesian_by_default(capsys, db, monkeypatch):
    monkeypatch.delenv("KERJASAMA_LANG", raising=False)
    code, out, _ = run(capsys, db, "alerts", "--today", "2024-01-01")
    assert code == 0 and "peringatan terbuka" in out


def test_fresh_install_is_seeded_and_has_no_open_alert(capsys, monkeypatch, tmp_path):
    """The default database (no --db) is created on first use and seeded; alerts exit 0."""
    from registry import seed

    if not seed.DEFAULT_CSV.is_file():
        pytest.skip("data/arrangements not in this checkout")
    monkeypatch.delenv("KERJASAMA_DB_URL", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("KERJASAMA_LANG", "en")
    rows = sum(1 for _ in seed.DEFAULT_CSV.open(encoding="utf-8")) - 1
    code = main(["registry", "alerts"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"{rows} documented arrangements added" in err
    assert "0 open alert(s)" in out and "Dates unknown" in out
    assert (tmp_path / "state" / "kerjasama" / "kerjasama-registry.sqlite").is_file()
    code = main(["registry", "list"])
    out, err = capsys.readouterr()
    assert code == 0 and f"{rows} agreement(s)" in out and "added" not in err
