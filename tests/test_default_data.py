"""The default data bundled in the repository's ``data/`` (built by scripts/build_default_data.py).

The bundled files are part of the repository, so most tests here run everywhere; the comparison
with the full-detail national file and the rebuild read the shared data folder in place
(``realdata``).
"""

from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from test_app import shown

from analysis.config import load_config
from geo.adjacency import adjacency_edges
from geo.boundaries import read_boundaries
from kerjasama import derived, paths
from kerjasama.cli import main

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
BUNDLED = DATA / "boundaries" / "idn_adm2.parquet"
SEATS = DATA / "boundaries" / "idn_adm2_seats.csv"
INDICATORS = DATA / "indicators" / "idn_kabkota_indicators.csv"


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_default_data", REPO / "scripts" / "build_default_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_script()


@pytest.fixture(scope="module")
def bundled():
    return read_boundaries(BUNDLED)


def test_data_folder_under_size_budget():
    size = build.folder_size(DATA)
    assert build.SIZE_BUDGET == 10_000_000
    assert size < build.SIZE_BUDGET, f"data/ holds {size:,} bytes"
    assert BUNDLED.stat().st_size > 1_000_000  # the real file, not a Git LFS pointer


def test_bundled_files_are_tracked_by_git():
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")

    def git(*args: str) -> list[str]:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.split()

    tracked = git("ls-files", "data")
    expected = [BUNDLED, SEATS, INDICATORS, DATA / "indicators" / "SOURCES.md"]
    expected += [DATA / "README.md", DATA / "boundaries" / "SOURCE.md"]
    expected += [derived.derived_path(BUNDLED, kind) for kind in ("adjacency", "display")]
    assert {str(p.relative_to(REPO)) for p in expected} <= set(tracked)
    # .gitignore must not hide any tracked data file (a new file there would need `git add -f`)
    assert git("check-ignore", "--no-index", *tracked) == []
    # anything else a user drops into data/ stays out of git
    probe = ["data/boundaries/my_regions.gpkg", "data/indicators/my_table.csv", "data/x.txt"]
    probe += ["data/boundaries/derived/my_regions.adjacency.parquet"]
    assert git("check-ignore", "--no-index", *probe) == probe


def test_bundled_boundaries_are_a_clean_national_coverage(bundled):
    assert len(bundled) == 514
    assert bundled.crs.to_epsg() == 4326
    assert bundled.attrs["kerjasama"]["repairs"] == []
    assert bundled["province"].nunique() == 38
    geoms = np.asarray(bundled.geometry.values, dtype=object)
    assert shapely.coverage_is_valid(geoms)
    # every vertex on the 2^-20 degree grid the build snaps to
    coords = shapely.get_coordinates(geoms)
    assert np.array_equal(np.round(coords / build.QUANTUM_DEG) * build.QUANTUM_DEG, coords)
    assert {"code_dot", "name", "type", "province_name", "area_km2"} <= set(bundled.columns)


def test_seats_keep_only_the_licence_clean_point(bundled):
    with SEATS.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == build.SEAT_COLUMNS
    assert not {"lon", "lat", "method", "source"} & set(header)
    seats = pd.read_csv(SEATS, dtype=str, keep_default_na=False)
    assert list(seats["code"]) == list(bundled.index)
    assert list(seats["code_dot"]) == list(bundled["code_dot"])
    points = shapely.points(seats["kec_lon"].astype(float), seats["kec_lat"].astype(float))
    assert shapely.covers(np.asarray(bundled.geometry.values, dtype=object), points).all()


def test_default_files_are_picked_from_the_bundled_folder():
    config = load_config()
    assert paths.default_boundaries(DATA, config.data.boundary_file) == BUNDLED
    assert paths.default_indicators(DATA, config.data.indicator_file) == INDICATORS


def _suggest_members(data: Path, out: Path) -> list[dict[str, str]]:
    args = ["suggest", "--lang", "en", "--data", str(data), "--sector", "water", "--province", "64"]
    assert main([*args, "--top", "5", "--members-csv", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_suggest_runs_on_the_bundled_data(bundled, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("KERJASAMA_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    rows = _suggest_members(DATA, tmp_path / "members.csv")
    assert 1 <= len({r["cluster_id"] for r in rows}) <= 5  # distinct suggestions within reach
    assert all(r["member"].startswith("64") for r in rows)
    assert all(r["member_name"] == bundled.loc[r["member"], "name"] for r in rows)
    err = capsys.readouterr().err
    assert "10 regions" in err and "problem" not in err  # the verified join found every region


def test_app_opens_on_the_bundled_data(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KERJASAMA_DATA", str(DATA))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180).run()
    assert not at.exception, at.exception
    assert not at.error
    scope = at.selectbox(key="scope:id")
    assert len(scope.options) == 39  # all Indonesia + 38 provinces
    assert scope.value == "64"
    assert len(at.dataframe[-1].value) > 0
    captions = shown(" ".join(c.value for c in at.sidebar.caption))
    assert "idn_adm2.parquet" in captions and "idn_kabkota_indicators.csv" in captions


@pytest.mark.realdata
def test_shared_folder_still_picks_full_detail_file(real_data):
    config = load_config()
    picked = paths.default_boundaries(real_data, config.data.boundary_file)
    assert picked == real_data / "boundaries" / "idn_adm2.gpkg"


@pytest.mark.realdata
def test_suggest_ranks_the_same_on_bundled_and_full_detail(real_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bundled_rows = _suggest_members(DATA, tmp_path / "bundled.csv")
    full_rows = _suggest_members(real_data, tmp_path / "full.csv")
    assert [(r["cluster_id"], r["rank"]) for r in bundled_rows] == [
        (r["cluster_id"], r["rank"]) for r in full_rows
    ]


@pytest.mark.realdata
def test_bundled_adjacency_matches_full_detail(national_adm2, bundled):
    """Same land pairs, same maritime pairs, every border of 1 km or more within 2 %."""
    reference = adjacency_edges(read_boundaries(national_adm2))
    result = build.compare_adjacency(reference, adjacency_edges(bundled))
    assert result["land"] == 997 and result["same_land"], result
    assert result["maritime"] > 0 and result["same_maritime"], result
    assert result["compared"] > 900
    assert result["over_2pct"] == 0, result
    assert result["worst_pct"] <= 2.0, result


@pytest.mark.realdata
def test_build_reproduces_the_bundled_files(real_data, tmp_path):
    assert build.main(["--source", str(real_data), "--out", str(tmp_path)]) == 0
    for rel in (build.SEATS, build.INDICATORS, build.INDICATOR_SOURCES):
        assert (tmp_path / rel).read_bytes() == (DATA / rel).read_bytes(), rel
    import geopandas as gpd

    rebuilt = gpd.read_parquet(tmp_path / build.BOUNDARY_OUT)
    committed = gpd.read_parquet(BUNDLED)
    pd.testing.assert_frame_equal(rebuilt.drop(columns="geometry"),
                                  committed.drop(columns="geometry"))  # fmt: skip
    assert shapely.equals_exact(rebuilt.geometry.values, committed.geometry.values, 0).all()
    # the derived files: computed from the rebuilt file, equal to the committed ones
    rebuilt_edges = derived.shipped_adjacency(tmp_path / build.BOUNDARY_OUT)  # digest matched
    assert rebuilt_edges is not None
    pd.testing.assert_frame_equal(rebuilt_edges, derived.shipped_adjacency(BUNDLED))
    rebuilt_file = tmp_path / build.BOUNDARY_OUT
    rebuilt_display = derived.shipped_display(read_boundaries(rebuilt_file), rebuilt_file)
    committed_display = derived.shipped_display(read_boundaries(BUNDLED), BUNDLED)
    assert rebuilt_display is not None and committed_display is not None
    assert shapely.equals_exact(
        rebuilt_display.geometry.values, committed_display.geometry.values, 0
    ).all()
    # the indicator table and its sources are the shared ones, byte for byte
    assert INDICATORS.read_bytes() == (real_data / build.INDICATORS).read_bytes()
