"""The interactive map and tables (present.map, present.tables, geo.display): layers, clicks."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from geo.display import display_regions, display_tolerance, label_points
from kerjasama.present import map as webmap
from kerjasama.present import tables
from kerjasama.present.words import province_options

EVIL = "<script>alert(1)</script>"


def grid_regions() -> gpd.GeoDataFrame:
    """A 3 x 3 grid of 0.5° squares near Samarinda; region 6403 has a hostile name and a tiny
    islet, region 6409 a finely detailed coastline (a many-vertex circle arc)."""
    codes, names, geoms = [], [], []
    for i in range(3):
        for j in range(3):
            code = f"64{i * 3 + j + 1:02d}"
            cell = box(116 + 0.5 * j, -1 + 0.5 * i, 116.5 + 0.5 * j, -0.5 + 0.5 * i)
            codes.append(code)
            names.append(f"Kabupaten {code}")
            geoms.append(cell)
    names[2] = EVIL
    names[4] = "Kota `${alert(2)}` $x"
    geoms[2] = shapely.union(geoms[2], box(118.2, -1.0, 118.2005, -0.9995))  # 50 m islet
    # 6409: the top-right cell gets a wiggly outer edge (many vertices, same shared edges)
    x = np.linspace(117.5, 117.0, 400)
    y = 0.5 + 0.0001 * np.sin(np.linspace(0, 60 * np.pi, 400))
    ring = [(117.0, 0.0), (117.5, 0.0), *zip(x, y, strict=True), (117.0, 0.0)]
    geoms[8] = shapely.Polygon([(117.5, 0.0), (117.5, 0.5), *ring[2:-1], (117.0, 0.0)])
    frame = gpd.GeoDataFrame(
        {"name": names, "province": "64", "province_name": "Kalimantan Timur"},
        geometry=geoms,
        index=pd.Index(codes, name="code"),
        crs="EPSG:4326",
    )
    return frame


def grid_edges(regions: gpd.GeoDataFrame) -> pd.DataFrame:
    touches = []
    codes = list(regions.index)
    geoms = regions.geometry.to_numpy()
    for a in range(len(codes)):
        for b in range(a + 1, len(codes)):
            inter = shapely.intersection(geoms[a], geoms[b])
            if inter.length > 0:
                touches.append((codes[a], codes[b], "land", round(inter.length * 111, 3), 0.0))
    touches.append(("6401", "6409", "maritime", 0.0, 12.5))
    edges = pd.DataFrame(
        touches, columns=["source", "target", "kind", "shared_border_km", "distance_km"]
    )
    return edges.sort_values(["source", "target"]).reset_index(drop=True)


def grid_candidates() -> pd.DataFrame:
    rows = [
        ("water-joint-6401-6402", 1, "joint", ("6401", "6402"), None, 0.9),
        ("water-contract-6402-6403", 2, "contract", ("6402", "6403"), "6402", 0.8),
        ("water-joint-6405-6406-6409", 3, "joint", ("6405", "6406", "6409"), None, 0.7),
    ]
    regions = grid_regions()
    return pd.DataFrame(
        {
            "cluster_id": [r[0] for r in rows],
            "rank": [r[1] for r in rows],
            "sector": "water",
            "form": [r[2] for r in rows],
            "members": [r[3] for r in rows],
            "member_names": [tuple(regions.loc[list(r[3]), "name"]) for r in rows],
            "provider": [r[4] for r in rows],
            "size": [len(r[3]) for r in rows],
            "score": [r[5] for r in rows],
            "score_components": [{"need": 0.5, "scale": 0.25}] * 3,
            "explanation": [f"Alasan {r[0]} {EVIL}" for r in rows],
            "cross_province": [False, False, True],
            "maritime_links": [0, 0, 1],
            "stability": [0.95, None, 0.5],
            "data_years": [{"water_access_pct_2024": 2024}] * 3,
            "wajib_indication": [True, False, True],
        }
    )


def test_display_regions_keeps_index_names_and_coverage():
    regions = grid_regions()
    display = display_regions(regions)
    assert list(display.index) == list(regions.index)
    assert display.index.name == "code"
    assert display.loc["6403", "name"] == EVIL
    assert display.crs == regions.crs
    # the analysis frame is untouched
    assert shapely.get_num_coordinates(regions.geometry.values).sum() > 400
    # the wiggly coastline is simplified, the islet (< (2 tol)^2) dropped, the cell kept
    assert shapely.get_num_coordinates(display.geometry.values[8]) < 100  # from 403
    assert shapely.get_num_geometries(display.geometry.values[2]) == 1
    # shared borders stay shared: no gaps or overlaps open between neighbours
    total = shapely.union_all(display.geometry.values)
    assert abs(total.area - shapely.area(display.geometry.values).sum()) < 1e-6
    assert total.area == pytest.approx(shapely.area(regions.geometry.values).sum(), rel=0.01)


def test_display_tolerance_scales_with_extent():
    regions = grid_regions()
    small = display_tolerance(regions)
    minx, miny, maxx, maxy = regions.total_bounds
    assert small == pytest.approx(max(maxx - minx, maxy - miny) / 2500)
    wide = regions.copy()
    wide.geometry = wide.geometry.translate(xoff=0)
    wide.loc["6409", "geometry"] = box(116, -1, 140, 0)
    assert display_tolerance(wide) > 10 * small


def test_gap_colours_grey_for_missing():
    colours = webmap.gap_colours(pd.Series([0.0, 1.0, np.nan], index=["a", "b", "c"]))
    assert colours["c"] == webmap.NO_DATA_COLOUR
    assert colours["a"] != colours["b"]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)


def test_region_features_escape_every_string():
    display = display_regions(grid_regions())
    gap = pd.Series(np.linspace(0, 1, 9), index=display.index)
    gap["6405"] = np.nan
    fc = webmap.region_features(display, gap, lang="en")
    props = {f["properties"]["code"]: f["properties"] for f in fc["features"]}
    assert props["6403"]["name"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert props["6405"]["gap"] is None and props["6405"]["gap_text"] == "no data"
    assert props["6401"]["gap"] == 0.0
    assert "<" not in json.dumps(fc)
    assert props["6405"]["name"] == "Kota &#96;&#36;{alert(2)}&#96; &#36;x"


def test_edge_features_kinds_and_scope():
    regions = grid_regions()
    display = display_regions(regions)
    edges = grid_edges(regions)
    points = label_points(display)
    fc = webmap.edge_features(edges, points, lang="id")
    assert len(fc["features"]) == len(edges)
    kinds = [f["properties"]["edge_kind"] for f in fc["features"]]
    assert kinds.count("maritime") == 1
    maritime = next(f for f in fc["features"] if f["properties"]["edge_kind"] == "maritime")
    assert "12.5 km" in maritime["properties"]["label"]
    # an edge to a region outside the drawn scope is left out of the drawing
    fc2 = webmap.edge_features(edges, points.drop(index="6409"), lang="id")
    assert len(fc2["features"]) == len(edges) - int(
        ((edges["source"] == "6409") | (edges["target"] == "6409")).sum()
    )


def test_candidate_outlines_union_members():
    display = display_regions(grid_regions())
    candidates = grid_candidates()
    outlines = webmap.candidate_outlines(candidates, display)
    assert list(outlines.index) == list(candidates["cluster_id"])
    assert list(outlines["rank"]) == [1, 2, 3]
    first = outlines.geometry.iloc[0]
    assert first.area == pytest.approx(
        shapely.area(display.loc[["6401", "6402"]].geometry.values).sum()
    )
    assert first.geom_type == "Polygon"  # neighbours merge into one outline


def test_build_map_is_offline_escaped_and_styled():
    regions = grid_regions()
    display = display_regions(regions)
    m = webmap.build_map(
        display,
        gap=pd.Series(np.linspace(0, 1, 9), index=display.index),
        edges=grid_edges(regions),
        candidates=grid_candidates(),
        legend_title=f"Kesenjangan {EVIL}",
        selected="water-contract-6402-6403",
        lang="id",
    )
    page = m.get_root().render()
    # the hostile name never appears as markup, only escaped
    assert EVIL not in page
    assert "alert(1)</script>" not in page
    assert "${alert(2)}" not in page and "`${" not in page
    assert "&lt;script&gt;alert(1)" in page or "\\u0026lt;script\\u0026gt;alert(1)" in page
    # no script or stylesheet from the internet: Leaflet is inlined
    assert not re.search(r"<script[^>]+src=\"https?://", page)
    assert not re.search(r"<link[^>]+href=\"https?://", page)
    assert "data:text/javascript;base64," in page
    # land solid, maritime dashed; legend, numbered ranks, full screen, layer names
    assert '"dashArray": "6 6"' in page
    assert "Hubungan laut" in page and "Berbatasan darat" in page
    assert 'kerjasama-rank selected\\"\\u003e2\\u003c/div' in page
    assert "requestFullscreen" in page
    assert "Peta dasar OpenStreetMap" in page


def test_parse_click_region_candidate_marker():
    display = display_regions(grid_regions())
    candidates = grid_candidates()
    anchors = webmap.candidate_anchors(candidates, display)
    region = {"type": "Feature", "properties": {"kind": "region", "code": "6403"}}
    assert webmap.parse_click(region) == ("region", "6403")
    cand = {"properties": {"kind": "candidate", "cluster_id": "water-joint-6401-6402"}}
    assert webmap.parse_click(cand) == ("candidate", "water-joint-6401-6402")
    lon, lat = anchors.loc["water-joint-6405-6406-6409"]
    marker = {"geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {}}
    assert webmap.parse_click(marker, anchors) == ("candidate", "water-joint-6405-6406-6409")
    far = {"geometry": {"type": "Point", "coordinates": [100.0, 5.0]}, "properties": {}}
    assert webmap.parse_click(far, anchors) is None
    assert webmap.parse_click(None) is None


def test_candidates_with_region_and_tables():
    candidates = grid_candidates()
    hits = webmap.candidates_with_region(candidates, "6402")
    assert list(hits["rank"]) == [1, 2]
    assert webmap.candidates_with_region(candidates, "6407").empty
    table = tables.candidate_table(candidates, "en")
    assert list(table["Rank"]) == [1, 2, 3]
    assert table.loc[1, "Provider"] == "Kabupaten 6402"
    assert table.loc[0, "Provider"] == ""
    assert table.loc[0, "Stability"] == "95%" and table.loc[1, "Stability"] == ""
    assert "cross-province" in table.loc[2, "Notes"] and "1 maritime" in table.loc[2, "Notes"]
    assert table.loc[0, "Form"] == "Joint service"
    score = float(candidates["score"].iloc[0])
    assert table.loc[0, "Score"] == f"{score:.3f}"
    indonesian = tables.candidate_table(candidates, "id")
    assert indonesian.loc[0, "Skor"] == f"{score:.3f}".replace(".", ",")


def test_member_table_and_province_options():
    regions = grid_regions()
    table = pd.DataFrame(
        {"water_access_pct_2024": np.arange(9.0), "other": 1.0}, index=regions.index
    )
    table.loc["6401", "water_access_pct_2024"] = 1234.5
    out = tables.member_table(
        ("6402", "6401"),
        table,
        ["water_access_pct_2024", "missing_col"],
        {"water_access_pct_2024": "Air minum"},
        regions["name"].to_dict(),
    )
    assert list(out.index) == ["6402", "6401"] and out.index.name == "Kode"
    assert list(out.columns) == ["Kabupaten/kota", "Air minum"]
    assert list(out["Air minum"]) == ["1", "1.234"]
    en = tables.member_table(("6401",), table, ["water_access_pct_2024"], names={}, lang="en")
    assert list(en.columns) == ["Regency/city", "water_access_pct_2024"]
    assert en.iloc[0, 1] == "1,234" and en.index.name == "Code"
    assert province_options(regions) == {"64": "Kalimantan Timur (64)"}


def test_label_points_inside():
    display = display_regions(grid_regions())
    points = label_points(display)
    inside = shapely.contains(
        display.geometry.values, shapely.points(points["lon"].to_numpy(), points["lat"].to_numpy())
    )
    assert inside.all()
    assert Point(points.loc["6401", "lon"], points.loc["6401", "lat"]).within(
        box(116, -1, 116.5, -0.5)
    )


def test_national_payload_under_3_mb(national_adm2, real_data):
    """All Indonesia: the page the browser receives (regions, real neighbour links, 20
    candidates, inlined Leaflet) stays under 3 MB."""
    from geo.boundaries import read_boundaries

    regions = read_boundaries(national_adm2)
    display = display_regions(regions)
    pairs = pd.read_csv(real_data / "boundaries" / "idn_adm2_queen_neighbours.csv", dtype=str)
    edges = pd.DataFrame(
        {
            "source": pairs["code"],
            "target": pairs["neighbour_code"],
            "kind": "land",
            "shared_border_km": 1.0,
            "distance_km": 0.0,
        }
    )
    codes = list(regions.index)
    candidates = pd.DataFrame(
        {
            "cluster_id": [f"c{i}" for i in range(20)],
            "rank": range(1, 21),
            "form": "joint",
            "score": 0.5,
            "members": [tuple(codes[5 * i : 5 * i + 3]) for i in range(20)],
            "member_names": [("a", "b", "c")] * 20,
        }
    )
    gap = pd.Series(np.linspace(0, 1, len(regions)), index=regions.index)
    fmap = webmap.build_map(display, gap=gap, edges=edges, candidates=candidates, lang="id")
    page = fmap.get_root().render()
    size = len(page.encode("utf-8"))
    assert 300_000 < size <= 3_000_000
    assert len(display) == len(regions) == 514
