"""The interactive map and tables (present.map, present.tables, geo.display): layers, clicks."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

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


def _parts(display, candidates, lang="id", gap=None):
    regions = grid_regions()
    layer = webmap.region_layer(display, {"64": "Kalimantan Timur"})
    outlines = webmap.Outlines(display)
    gap = pd.Series(np.linspace(0, 1, 9), index=display.index) if gap is None else gap
    fill, text = webmap.gap_layer(gap, lang)
    links = webmap.link_layer(grid_edges(regions), outlines.points, lang)
    return layer, {
        "regions": ("scope-1", webmap.to_json(layer)),
        "colours": ("water-" + lang, webmap.to_json({"fill": fill, "gap_text": text})),
        "links": ("links-" + lang, webmap.to_json(links)),
        "shapes": ("shapes", webmap.to_json(webmap.candidate_shapes(candidates, outlines))),
    }


def _payload(display, candidates, *, opened=None, ticked=(), lang="id", links=True, sent=None):
    layer, parts = _parts(display, candidates, lang)
    raw, keys = webmap.map_payload(
        parts=parts,
        show_links=links,
        candidates=webmap.candidate_layer(candidates, opened=opened, ticked=ticked, lang=lang),
        counts=webmap.region_counts(candidates, lang),
        legend_data=webmap.legend(SimpleNamespace(gap=()), lang),
        bounds=webmap.layer_bounds(layer),
        lang=lang,
        sent=sent,
    )
    assert isinstance(raw, bytes) and set(keys) == set(webmap.PARTS)
    data = json.loads(raw.decode("utf-8"))
    data["_sent"] = keys
    return data


def test_region_layer_is_plain_data():
    """Names go to the browser as they are: the component writes every data string with
    textContent, never as HTML (checked on the component's source below)."""
    display = display_regions(grid_regions())
    layer = webmap.region_layer(display, {"64": "Kalimantan Timur"})
    props = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    assert props["6403"]["name"] == EVIL
    assert props["6401"]["province_name"] == "Kalimantan Timur"
    lon, lat = props["6401"]["label"]
    assert 116 < lon < 116.5 and -1 < lat < -0.5
    assert props["6409"]["bbox"][2] == pytest.approx(117.5, abs=1e-3)
    assert webmap.layer_bounds(layer) == pytest.approx([116, -1, 117.5, 0.5], abs=1e-3)


def test_component_never_inserts_data_as_html():
    from kerjasama.webapp.mapview import HERE

    source = (HERE / "leaflet_map.js").read_text(encoding="utf-8")
    # one innerHTML in the whole component: the constant full-screen icon
    assigned = re.findall(r"innerHTML\s*=\s*([^;]+);", source, flags=re.S)
    assert len(assigned) == 1 and assigned[0].lstrip().startswith("'<svg")
    assert "insertAdjacentHTML" not in source and "outerHTML" not in source
    assert "textContent" in source
    # no script, stylesheet or tile from the internet
    assert not re.search(r"https?://", source)


def test_gap_layer_colours_and_localised_numbers():
    gap = pd.Series([0.0, 0.456, np.nan], index=["6401", "6402", "6403"])
    fill, text = webmap.gap_layer(gap, "id")
    assert set(fill) == {"6401", "6402"} and "6403" not in text
    assert text["6402"] == "0,46"
    assert webmap.gap_layer(gap, "en")[1]["6402"] == "0.46"
    colours = webmap.gap_colours(pd.Series([0.0, 1.0, np.nan], index=["a", "b", "c"]))
    assert colours["c"] == webmap.NO_DATA_COLOUR
    assert colours["a"] != colours["b"]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)


def test_link_layer_kinds_distance_and_scope():
    regions = grid_regions()
    display = display_regions(regions)
    edges = grid_edges(regions)
    points = label_points(display)
    links = webmap.link_layer(edges, points, "id")
    assert len(links) == len(edges)
    sea = [link for link in links if link["kind"] == "maritime"]
    assert len(sea) == 1 and sea[0]["km"] == "12,5 km" and "12,5 km" in sea[0]["text"]
    english = webmap.link_layer(edges, points, "en")
    assert [link["km"] for link in english if link["kind"] == "maritime"] == ["12.5 km"]
    # an edge to a region outside the drawn scope is left out of the drawing
    inside = webmap.link_layer(edges, points.drop(index="6409"), "id")
    assert len(inside) == len(edges) - int(
        ((edges["source"] == "6409") | (edges["target"] == "6409")).sum()
    )


def test_outlines_union_members_once():
    display = display_regions(grid_regions())
    outlines = webmap.Outlines(display)
    geometry, anchor = outlines.get(("6402", "6401"))
    shape = shapely.from_geojson(json.dumps(geometry))
    assert shape.geom_type == "Polygon"  # neighbours merge into one outline
    assert shape.area == pytest.approx(
        shapely.area(display.loc[["6401", "6402"]].geometry.values).sum()
    )
    assert shape.contains(anchor)
    assert outlines.get(["6401", "6402"])[0] is geometry  # computed once per member set


def test_payload_candidates_opened_ticked_provider():
    display = display_regions(grid_regions())
    candidates = grid_candidates()
    data = _payload(
        display, candidates, opened="water-contract-6402-6403", ticked=["water-joint-6401-6402"]
    )
    cands = {c["id"]: c for c in data["candidates"]}
    shapes = {c["id"]: c for c in data["shapes"]}
    assert cands["water-contract-6402-6403"]["opened"] is True
    assert cands["water-joint-6401-6402"]["ticked"] is True
    assert cands["water-joint-6401-6402"]["opened"] is False
    provider = cands["water-contract-6402-6403"]
    assert shapes["water-contract-6402-6403"]["provider"] is not None
    assert "Kabupaten 6402" in provider["provider_text"]
    assert shapes["water-joint-6401-6402"]["provider"] is None
    assert provider["tip"][0].startswith("#2 Kontrak pelayanan · skor 0,800: ")
    assert EVIL in provider["tip"][0]  # plain text, written with textContent
    assert data["region_candidates"]["6402"] == "2 kandidat memuat wilayah ini"
    assert len(data["regions"]["features"]) == 9
    assert data["colours"]["gap_text"]["6401"] == "0,00"
    assert data["legend"]["land"] == "Berbatasan darat"


def test_payload_keys_change_only_with_their_part():
    display = display_regions(grid_regions())
    candidates = grid_candidates()
    one = _payload(display, candidates, opened="water-joint-6401-6402")
    two = _payload(display, candidates, opened="water-contract-6402-6403")
    assert one["keys"]["regions"] == two["keys"]["regions"]
    assert one["keys"]["links"] == two["keys"]["links"]
    assert one["keys"]["render"] != two["keys"]["render"]
    hidden = _payload(display, candidates, opened="water-joint-6401-6402", links=False)
    assert hidden["links"] == [] and hidden["keys"]["links"] != one["keys"]["links"]
    english = _payload(display, candidates, lang="en")
    assert english["keys"]["legend"] != one["keys"]["legend"]
    # what the browser already has is not sent again; the rest is
    again = _payload(display, candidates, opened="water-contract-6402-6403", sent=one["_sent"])
    assert again["regions"] is None and again["shapes"] is None and again["colours"] is None
    assert again["candidates"][1]["opened"] is True
    other = _payload(display, candidates, lang="en", sent=one["_sent"])
    assert other["regions"] is None and other["colours"] is not None


def test_parse_click_trusts_only_known_ids():
    regions, shown = ("6401", "6403"), ("water-joint-6401-6402",)
    assert webmap.parse_click({"kind": "region", "id": "6403"}, regions, shown) == (
        "region",
        "6403",
    )
    click = {"kind": "candidate", "id": "water-joint-6401-6402"}
    assert webmap.parse_click(click, regions, shown) == ("candidate", "water-joint-6401-6402")
    for bad in (None, "6401", {"kind": "region", "id": EVIL}, {"kind": "x", "id": "6401"}):
        assert webmap.parse_click(bad, regions, shown) is None
    assert webmap.parse_click({"kind": "region", "id": ["6401"]}, regions, shown) is None


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
    """All Indonesia: what the browser receives for the map (regions, real neighbour links, 20
    candidates) stays under 3 MB, and under 1 MB once the regions are cached in the browser."""
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
            "provider": None,
        }
    )
    gap = pd.Series(np.linspace(0, 1, len(regions)), index=regions.index)
    layer = webmap.region_layer(display)
    outlines = webmap.Outlines(display)
    fill, text = webmap.gap_layer(gap, "id")
    parts = {
        "regions": ("idn", webmap.to_json(layer)),
        "colours": ("water", webmap.to_json({"fill": fill, "gap_text": text})),
        "links": ("idn", webmap.to_json(webmap.link_layer(edges, outlines.points, "id"))),
        "shapes": ("top", webmap.to_json(webmap.candidate_shapes(candidates, outlines))),
    }
    common = {
        "show_links": True,
        "candidates": webmap.candidate_layer(candidates, opened="c0", lang="id"),
        "counts": webmap.region_counts(candidates, "id"),
        "legend_data": webmap.legend(SimpleNamespace(gap=()), "id"),
        "bounds": webmap.layer_bounds(layer),
        "lang": "id",
    }
    payload, sent = webmap.map_payload(parts=parts, **common)
    click, _ = webmap.map_payload(parts=parts, sent=sent, **common)
    assert len(click) < 50_000  # a click sends the candidates' state, not the geometry again
    assert 300_000 < len(payload) <= 3_000_000
    assert len(json.loads(payload)["regions"]["features"]) == len(regions) == 514
