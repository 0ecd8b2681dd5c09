"""A province scope reads and links only what it needs (issue 8 section 9), with the same
result as reading the whole file: geo.window.scope_regions and ``suggest --province``."""

from __future__ import annotations

import contextlib
import io

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

import geo.window as window
from geo.adjacency import adjacency_edges
from geo.boundaries import read_boundaries
from kerjasama.cli import main


def _among(edges: pd.DataFrame, codes) -> pd.DataFrame:
    keep = edges["source"].isin(codes) & edges["target"].isin(codes)
    return edges[keep].reset_index(drop=True)


def _world(tmp_path):
    """Province 11: a 3 x 3 block; province 12: a block east of it and a far island whose
    nearest region is in province 11 (linked by the nearest-region rule, 1.1 degrees away);
    province 13: a block far to the north-east."""
    cells, codes = [], []
    for r in range(3):
        for c in range(3):
            cells.append(box(100 + 0.1 * c, 0.1 * r, 100.1 + 0.1 * c, 0.1 * (r + 1)))
            codes.append(f"11{r}{c}")
            cells.append(box(100.3 + 0.1 * c, 0.1 * r, 100.4 + 0.1 * c, 0.1 * (r + 1)))
            codes.append(f"12{r}{c}")
            cells.append(box(104 + 0.1 * c, 4 + 0.1 * r, 104.1 + 0.1 * c, 4.1 + 0.1 * r))
            codes.append(f"13{r}{c}")
    cells.append(box(98.9, 0.1, 98.95, 0.15))  # far island, west of province 11
    codes.append("1299")
    gdf = gpd.GeoDataFrame({"code": codes}, geometry=cells, crs=4326)
    path = tmp_path / "world.gpkg"
    gdf.to_file(path, layer="adm2")
    return path


def test_window_reads_less_and_links_the_same(tmp_path, monkeypatch):
    path = _world(tmp_path)
    full = read_boundaries(path)
    national = adjacency_edges(full)
    assert ((national["source"] == "1299") | (national["target"] == "1299")).sum() == 1
    seen = []
    read = pyogrio.read_dataframe

    def spy(*args, **kw):
        frame = read(*args, **kw)
        if kw.get("read_geometry", True) and kw.get("columns") != []:
            seen.append((kw.get("bbox"), len(frame)))
        return frame

    monkeypatch.setattr(pyogrio, "read_dataframe", spy)
    regions, edges = window.scope_regions(path, "11")
    assert "13" not in set(regions["province"])  # the far province is not read
    assert seen and seen[-1][0] is not None and seen[-1][1] < len(full)
    own = regions.index[regions["province"] == "11"]
    pd.testing.assert_frame_equal(_among(edges, own), _among(national, own))
    # cross-province: the far island joins through the nearest-region rule
    regions, edges = window.scope_regions(path, "11", cross_province=True)
    assert "1299" in regions.index and "1310" not in regions.index
    scope = set(own) | set(edges.loc[edges["source"].isin(own), "target"])
    scope |= set(edges.loc[edges["target"].isin(own), "source"])
    assert "1299" in scope
    pd.testing.assert_frame_equal(_among(edges, sorted(scope)), _among(national, sorted(scope)))


def test_zip_or_projected_file_falls_back_to_the_whole_file(tmp_path):
    path = _world(tmp_path)
    projected = tmp_path / "utm.gpkg"
    gpd.read_file(path).to_crs(32647).to_file(projected)
    assert window.province_bounds(projected, "11") is None
    regions, _ = window.scope_regions(projected, "11")
    assert len(regions) == 28


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("province", "cross"), [("64", False), ("61", True), ("31", False), ("81", True)]
)
def test_suggest_province_equals_the_whole_file(national_adm2, national_indicators, tmp_path,
                                                monkeypatch, province, cross):  # fmt: skip
    outputs = []
    for mode in ("window", "whole"):
        if mode == "whole":
            monkeypatch.setattr(window, "province_bounds", lambda *a, **k: None)
        out = tmp_path / f"{mode}.csv"
        argv = ["suggest", "--boundaries", str(national_adm2), "--indicators",
                str(national_indicators), "--sector", "water", "--province", province,
                "--all", "--members-csv", str(out)]  # fmt: skip
        with contextlib.redirect_stderr(io.StringIO()):
            assert main([*argv, *(["--cross-province"] if cross else [])]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.realdata
def test_province_window_is_small_and_grows_for_far_links(national_adm2):
    full = read_boundaries(national_adm2)
    kaltim = full.index[full["province"] == "64"]
    regions, _ = window.scope_regions(national_adm2, "64")
    assert set(kaltim) <= set(regions.index) and len(regions) < 60
    # Natuna (2103, Kepulauan Riau) is alone; its nearest region is Sambas (6101, Kalimantan
    # Barat) 52 km away: a cross-province neighbour of 61 that a fixed window would miss
    regions, edges = window.scope_regions(national_adm2, "61", cross_province=True)
    link = edges[(edges["source"] == "2103") & (edges["target"] == "6101")]
    assert len(link) == 1 and link["distance_km"].iloc[0] > 50
    assert len(regions) < len(full) / 2
