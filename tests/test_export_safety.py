"""Exports safe to open and bounded (issue 8 sections 7 and 8): CSV formula injection
neutralised, map files limited to ``[export] max_features`` candidates with a regions layer
written once instead, member geometry dissolved once per set."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from tiny import CODES, suggest_args, write_tiny

from analysis.config import DEFAULT_CONFIG
from common.spreadsheet import neutralise
from kerjasama.cli import main
from kerjasama.present import export

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "Enam"]


def _regions(tmp_path):
    return gpd.read_file(write_tiny(tmp_path)[0]).set_index("code")


def test_members_csv_neutralises_formulas(tmp_path, capsys):
    boundaries, indicators = write_tiny(tmp_path, names=HOSTILE)
    out = tmp_path / "members.csv"
    assert main(suggest_args(boundaries, indicators, "--all", "--members-csv", str(out))) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    names = {r["member_name"] for r in rows}
    assert names == {"'" + name for name in HOSTILE[:-1]} | {"Enam"}  # shown as text
    assert all(not r[k].startswith(tuple("=+-@\t\r")) for r in rows for k in r)
    assert {r["member"] for r in rows} <= set(CODES)  # codes untouched


def test_members_csv_carriage_return_and_quotes():
    cands = pd.DataFrame(
        {
            "cluster_id": ["water-joint-6401-6402"],
            "rank": [1],
            "sector": ["water"],
            "form": ["joint"],
            "score": [0.5],
            "members": [("6401", "6402")],
            "member_names": [("\rCR", '-"quoted", name')],
            "provider": [None],
        }
    )
    rows = list(csv.reader(io.StringIO(export.members_csv(cands), newline="")))
    assert [r[6] for r in rows[1:]] == ["'\rCR", '\'-"quoted", name']


def _members_csv_by_rows(cands: pd.DataFrame) -> str:
    """The members CSV written row by row with the csv module: the rule members_csv follows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(export.CSV_HEADER)
    for c in cands.itertuples(index=False):
        for member, name in zip(c.members, c.member_names, strict=True):
            id_, sector, form, code, text = map(
                neutralise, (c.cluster_id, c.sector, c.form, member, name)
            )
            score, provider = f"{c.score:.6f}", 1 if member == c.provider else 0
            writer.writerow([id_, c.rank, sector, form, score, code, text, provider])
    return buf.getvalue()


def test_members_csv_column_wise_equals_the_row_rule():
    cands = pd.DataFrame(
        {
            "cluster_id": ["=c1", "water-contract-1-2-3", 'q"id', "plain", "e"],
            "rank": [1, 2, 3, 4, 5],
            "sector": ["water", "water", "air,bersih", "water", "water"],
            "form": ["joint", "contract", "contract", "joint", "-joint"],
            "score": [0.1234565, -0.5, 1.0, 0.0, 2 / 3],
            "members": [("1", "2"), ("1", "2", "3"), ("@3", "1"), ("2", "1"), ()],
            "member_names": [
                ("A, B", "\tTab"),
                ('Kota "X"', "line\nbreak", "=1+1"),
                ("+x", None),
                ("", "-"),
                (),
            ],
            "provider": [None, "3", "@3", None, "1"],
        }
    )
    text = export.members_csv(cands)
    assert text == _members_csv_by_rows(cands)
    assert export.members_csv(cands.iloc[:0]) == ",".join(export.CSV_HEADER) + "\n"
    with pytest.raises(ValueError):
        export.members_csv(cands.assign(member_names=[("A",), (), (), (), ()]))


def test_shapefile_explanations_neutralised(tmp_path):
    regions = _regions(tmp_path)
    cands = pd.DataFrame({c: [None] for c in export.PROPERTIES})
    cands["cluster_id"] = ["water-joint-6401-6402"]
    cands["members"] = [("6401", "6402")]
    cands["member_names"] = [("=A", "B")]
    cands["explanation"] = ["=cmd|' /C calc'!A0"]
    cands["rank"], cands["size"], cands["maritime_links"] = 1, 2, 0
    data = export.shapefile_zip(cands, regions)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = zf.read("klaster_explanations.csv").decode()
    assert "'=cmd" in text and "\n=cmd" not in text


def _limited_config(tmp_path, limit: str) -> str:
    path = tmp_path / "limit.toml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    path.write_text(text.replace("max_features = 1000", f"max_features = {limit}"), "utf-8")
    return str(path)


def test_map_output_above_the_limit_refused_pointing_at_alternatives(tmp_path, capsys):
    boundaries, indicators = write_tiny(tmp_path)
    config = _limited_config(tmp_path, "3")
    out, csv_out = tmp_path / "all.geojson", tmp_path / "all.csv"
    argv = suggest_args(boundaries, indicators, "--config", config, "--all")
    assert main([*argv, "--out", str(out), "--members-csv", str(csv_out)]) == 2
    err = capsys.readouterr().err
    assert "candidates are more than a map file should hold (at most 3" in err
    assert "--top 3" in err and "--members-csv" in err and "--regions-out" in err
    assert not out.exists() and not csv_out.exists()  # all or nothing
    # --top above the limit is refused before any data is read
    absent = tmp_path / "absent.gpkg"
    argv = suggest_args(absent, absent, "--config", config, "--top", "4", "--out", str(out))
    assert main(argv) == 2
    assert "at most 3" in capsys.readouterr().err
    # within the limit it is written
    argv = suggest_args(boundaries, indicators, "--config", config, "--top", "3")
    assert main([*argv, "--out", str(out)]) == 0
    assert len(json.loads(out.read_text())["features"]) == 3


def test_regions_layer_written_once_and_joinable_by_code(tmp_path, capsys):
    boundaries, indicators = write_tiny(tmp_path)
    layer, csv_out = tmp_path / "regions.geojson", tmp_path / "all.csv"
    argv = suggest_args(boundaries, indicators, "--all", "--members-csv", str(csv_out))
    assert main([*argv, "--regions-out", str(layer)]) == 0
    capsys.readouterr()
    features = json.loads(layer.read_text())["features"]
    assert [f["properties"]["code"] for f in features] == CODES  # one per region, code order
    assert features[0]["properties"] == {"code": "6401", "name": "Kabupaten Satu", "province": "64"}
    members = {r["member"] for r in csv.DictReader(csv_out.open(encoding="utf-8"))}
    assert members <= {f["properties"]["code"] for f in features}
    expected = export.regions_to_geojson(_regions(tmp_path).assign(province="64"))
    assert layer.read_text(encoding="utf-8") == expected


def test_member_geometry_dissolved_once_per_set(tmp_path, monkeypatch):
    regions = _regions(tmp_path)
    cands = pd.DataFrame(
        {"members": [("6401", "6402"), ("6401", "6402"), ("6402", "6403"), ("6401", "6402")]}
    )
    calls = []
    original = export._dissolve

    def counted(parts, holes):
        calls.append(len(parts))
        return original(parts, holes)

    monkeypatch.setattr(export, "_dissolve", counted)
    geoms = export.member_geometries(cands, regions)
    assert calls == [2, 2] and geoms.iloc[0] is geoms.iloc[1] is geoms.iloc[3]
    assert geoms.iloc[0].area == pytest.approx(0.08, rel=1e-3)  # two 0.2-degree squares


@pytest.mark.parametrize("limit", ["0", "2.5", '"many"', "nan"])
def test_export_limit_validated_at_load(tmp_path, capsys, limit):
    path = _limited_config(tmp_path, limit)
    assert main(["--lang", "en", "sectors", "--config", path]) == 2
    assert "[export]" in capsys.readouterr().err
