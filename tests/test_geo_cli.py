"""``kerjasama adjacency``: CSV contract, messages and exit status."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from kerjasama.cli import main

HEADER = "source,source_name,target,target_name,kind,shared_border_km,distance_km"
VENV_BIN = Path(sys.executable).parent


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _check_contract(text: str) -> list[dict[str, str]]:
    assert text.splitlines()[0] == HEADER
    rows = _rows(text)
    keys = [(r["source"], r["target"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for r in rows:
        assert r["source"] < r["target"] and r["source"].isdigit() and r["target"].isdigit()
        assert r["kind"] in {"land", "maritime"}
        for col in ("shared_border_km", "distance_km"):
            assert len(r[col].split(".")[1]) == 3  # rounded to 3 decimals
        if r["kind"] == "land":
            assert float(r["distance_km"]) == 0
        else:
            assert float(r["shared_border_km"]) == 0 and float(r["distance_km"]) > 0
    return rows


def test_cli_kaltim_to_file(kaltim_shp, tmp_path, capsys):
    out = tmp_path / "edges.csv"
    assert main(["--lang", "en", "adjacency", str(kaltim_shp), "--out", str(out)]) == 0
    rows = _check_contract(out.read_text())
    assert len(rows) == 14 and {r["kind"] for r in rows} == {"land"}
    balikpapan = [r for r in rows if (r["source"], r["target"]) == ("6409", "6471")]
    assert float(balikpapan[0]["shared_border_km"]) > 1
    assert "10 regions" in capsys.readouterr().err
    assert main(["adjacency", str(kaltim_shp), "--out", str(out)]) == 0  # default: Indonesian
    assert "10 wilayah" in capsys.readouterr().err and len(_check_contract(out.read_text())) == 14


def test_cli_stdout_rook_and_options(tmp_path, capsys):
    step = 0.01
    cells = [
        box(110 + c * step, r * step, 110 + (c + 1) * step, (r + 1) * step)
        for r in range(2)
        for c in range(2)
    ]
    cells.append(box(110.05, 0, 110.06, 0.005))  # an island ~3.3 km east of the grid
    gdf = gpd.GeoDataFrame(
        {"KDPKAB": ["11", "12", "13", "14", "15"], "NAMOBJ": list("ABCDE")},
        geometry=cells,
        crs=4326,
    )
    path = tmp_path / "grid.geojson"
    gdf.to_file(path, driver="GeoJSON")
    assert main(["adjacency", str(path)]) == 0
    queen = _check_contract(capsys.readouterr().out)
    assert len([r for r in queen if r["kind"] == "land"]) == 6
    sea = [(r["target"], r["source"]) for r in queen if r["kind"] == "maritime"]
    assert ("15", "12") in sea and all(t == "15" for t, _ in sea)
    # below the island's distance only the nearest-region rule links it, to 12
    assert main(["adjacency", str(path), "--maritime-km", "1"]) == 0
    rows = _check_contract(capsys.readouterr().out)
    assert [(r["source"], r["target"]) for r in rows if r["kind"] == "maritime"] == [("12", "15")]
    assert main(["adjacency", str(path), "--rook", "--maritime-km", "0", "--lang=en"]) == 0
    captured = capsys.readouterr()
    rook = _check_contract(captured.out)
    assert len(rook) == 4 and {r["kind"] for r in rook} == {"land"}
    assert "code field 'KDPKAB'" in captured.err


def test_cli_bad_input_exit_2(kaltim_shp, tmp_path, capsys):
    shp = tmp_path / "k.shp"
    shp.write_bytes(kaltim_shp.read_bytes()[:1000])
    for ext in (".shx", ".dbf"):
        (tmp_path / f"k{ext}").write_bytes(kaltim_shp.with_suffix(ext).read_bytes())
    assert main(["adjacency", str(shp), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "truncated" in err and str(shp) in err and "Traceback" not in err
    assert main(["adjacency", str(shp)]) == 2
    err = capsys.readouterr().err
    assert "terpotong" in err and str(shp) in err and "Traceback" not in err
    with pytest.raises(SystemExit) as stop:  # refused by the parser, before reading
        main(["adjacency", str(kaltim_shp), "--tolerance-m", "-5"])
    assert stop.value.code == 2 and "--tolerance-m" in capsys.readouterr().err


def test_cli_note_on_stderr(tmp_path, capsys):
    gdf = gpd.GeoDataFrame(
        {"code": ["6471", "6472"]},
        geometry=[box(110, 0, 110.1, 0.1), box(110.1, 0, 110.2, 0.1)],
        crs=4326,
    )
    gdf.to_file(tmp_path / "noprj.shp")
    (tmp_path / "noprj.prj").unlink()
    assert main(["adjacency", str(tmp_path / "noprj.shp"), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "note:" in captured.err and "EPSG:4326" in captured.err
    assert main(["adjacency", str(tmp_path / "noprj.shp")]) == 0
    captured = capsys.readouterr()
    assert "catatan:" in captured.err and "dianggap EPSG:4326" in captured.err
    assert _check_contract(captured.out)[0]["kind"] == "land"


def test_console_script_subprocess(kaltim_shp, tmp_path):
    script = VENV_BIN / "kerjasama"
    if not script.exists():
        pytest.fail(f"{script} missing: install the project with pip install -e .")
    done = subprocess.run(
        [str(script), "adjacency", str(kaltim_shp)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert len(_check_contract(done.stdout)) == 14
    bad = subprocess.run(
        [str(script), "adjacency", str(tmp_path / "none.gpkg")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KERJASAMA_LANG": "en"},
    )
    assert bad.returncode == 2 and "not found" in bad.stderr and "Traceback" not in bad.stderr
    bad = subprocess.run(
        [str(script), "adjacency", str(tmp_path / "none.gpkg")],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "KERJASAMA_LANG"},
    )
    assert bad.returncode == 2 and "tidak ditemukan" in bad.stderr


def test_cli_names_isolates_and_long_sea_links(tmp_path, capsys):
    gdf = gpd.GeoDataFrame(
        {
            "kode": ["1109", "1110", "1111"],
            "nama": ["Simeulue", "Aceh Singkil", "=HYPERLINK(1)"],
        },
        geometry=[box(96.0, 2.5, 96.2, 2.7), box(97.6, 2.2, 97.8, 2.4), box(97.8, 2.2, 98.0, 2.4)],
        crs=4326,
    )
    path = tmp_path / "aceh.geojson"
    gdf.to_file(path, driver="GeoJSON")
    assert main(["adjacency", str(path), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    rows = _check_contract(captured.out)
    sea = [r for r in rows if r["kind"] == "maritime"]
    assert [(r["source_name"], r["target_name"]) for r in sea] == [("Simeulue", "Aceh Singkil")]
    assert [r["target_name"] for r in rows if r["kind"] == "land"] == ["'=HYPERLINK(1)"]
    assert "1 sea link(s) longer than 15 km" in captured.err
    assert "Simeulue–Aceh Singkil 156 km" in captured.err
    assert main(["adjacency", str(path), "--maritime-km", "0", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "1 region(s) have no neighbour at all: 1109 Simeulue" in err


def test_cli_boundary_options_and_non_regions(tmp_path, capsys):
    gdf = gpd.GeoDataFrame(
        {"kd": ["6401", "6409", None], "label": ["Paser", "Penajam Paser Utara", "Danau Jempang"]},
        geometry=[box(116, -2, 116.5, -1.5), box(116.5, -2, 117, -1.5), box(117, -2, 117.1, -1.9)],
        crs=4326,
    )
    path = tmp_path / "k.geojson"
    gdf.to_file(path, driver="GeoJSON")
    assert main(["adjacency", str(path), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert len(_check_contract(captured.out)) == 1
    assert "feature 3 (Danau Jempang) (lake or reservoir)" in captured.err
    assert "name field 'label'" in captured.err and "code field 'kd'" in captured.err
    assert main(["adjacency", str(path), "--keep-non-regions", "--lang", "en"]) == 2
    assert "no usable code" in capsys.readouterr().err
    assert main(["adjacency", str(path), "--id-field", "label", "--lang", "en"]) == 2
    assert "--id-field" in capsys.readouterr().err
