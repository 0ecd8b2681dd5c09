"""``kerjasama suggest`` on real Kalimantan Timur data: outputs, determinism, exit codes."""

from __future__ import annotations

import json
import re

import pytest

from kerjasama.cli import main


@pytest.fixture
def base(kaltim_shp, kaltim_indicators):
    return [
        "suggest",
        "--boundaries", str(kaltim_shp),
        "--indicators", str(kaltim_indicators),
        "--boundary-key", "code_dot",
        "--indicator-key", "kemendagri_code_2025",
        "--sector", "water",
        "--province", "64",
    ]  # fmt: skip


def test_outputs_byte_identical(base, tmp_path, capsys):
    outs = []
    for k in range(2):
        gj, csv = tmp_path / f"c{k}.geojson", tmp_path / f"m{k}.csv"
        assert main([*base, "--top", "7", "--out", str(gj), "--members-csv", str(csv)]) == 0
        outs.append((gj.read_bytes(), csv.read_bytes()))
    assert outs[0] == outs[1]
    doc = json.loads(outs[0][0])
    n = len(doc["features"])
    assert 1 <= n <= 7  # distinct suggestions (rows with no threshold flag)
    assert all(not f["properties"]["flags"] for f in doc["features"])
    assert outs[0][1].decode().splitlines()[0] == (
        "cluster_id,rank,sector,form,score,member,member_name,is_provider"
    )
    err = capsys.readouterr().err
    assert "baris" in err and f"{n} ditulis" in err and "ditandai" in err


def test_portfolio_english_and_all(base, tmp_path, capsys):
    gj = tmp_path / "p.geojson"
    assert main([*base, "--portfolio", "--lang", "en", "--out", str(gj)]) == 0
    assert "optimality proven" in capsys.readouterr().err
    feats = json.loads(gj.read_text())["features"]
    members = [m for f in feats for m in f["properties"]["members"]]
    assert len(members) == len(set(members))
    assert all(
        "Provider" in f["properties"]["explanation"] or "Joint" in f["properties"]["explanation"]
        for f in feats
    )
    csv = tmp_path / "all.csv"
    assert main([*base, "--all", "--members-csv", str(csv), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "written" in err
    n = int(re.search(r"(\d+) rows \(joint", err).group(1))
    ids = {ln.split(",")[0] for ln in csv.read_text().splitlines()[1:]}
    assert len(ids) == n


@pytest.mark.parametrize(
    "extra,needle",
    [
        ([], "Nothing to write"),
        (["--sector", "nope", "--out", "x.geojson"], "Unknown sector"),
        (["--province", "99", "--out", "x.geojson"], "province code"),
        (["--min-size", "4", "--max-size", "3", "--out", "x.geojson"], "min size"),
        # --variants adds nothing to every row or to the portfolio: said, never ignored
        (["--all", "--variants", "--members-csv", "x.csv"], "combined with --all"),
        (["--portfolio", "--variants", "--out", "x.geojson"], "combined with --portfolio"),
    ],
)
def test_bad_input_exit_2(base, tmp_path, capsys, monkeypatch, extra, needle):
    monkeypatch.chdir(tmp_path)
    assert main([*base, *extra, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_missing_boundary_file_exit_2(base, tmp_path, capsys):
    args = list(base)
    args[2] = str(tmp_path / "missing.shp")
    assert main(["--lang", "en", *args, "--out", str(tmp_path / "o.geojson")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main([*args, "--out", str(tmp_path / "o.geojson")]) == 2
    assert "file batas wilayah tidak ditemukan" in capsys.readouterr().err
