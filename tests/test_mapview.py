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

from common.text import fmt_number
from geo.display import display_regions, display_tolerance, label_points
from geo.seats import Seats, voluntary_edges
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


JINJA = "Kab {{ 7*7 }} {% if true %}x{% endif %} {# c #}"


def _map(lang="id", *, opened=None, ticked=(), links=True):
    """The base map and its two feature groups for the grid, as the page builds them."""
    regions = grid_regions()
    regions.loc["6406", "name"] = JINJA
    display = display_regions(regions)
    candidates = grid_candidates()
    layer = webmap.region_layer(display, {"64": "Kalimantan Timur"})
    outlines = webmap.Outlines(display)
    fill, text = webmap.gap_layer(pd.Series(np.linspace(0, 1, 9), index=display.index), lang)
    shapes, marks = webmap.candidate_features(
        candidates, outlines, opened=opened, ticked=ticked, lang=lang
    )
    sector = SimpleNamespace(gap=(), label=lambda _: f"Air {EVIL}")
    state = webmap.paint_state(
        fill, text, webmap.region_counts(candidates, lang), webmap.legend(sector, lang), lang
    )
    edges = webmap.link_features(webmap.link_layer(grid_edges(regions), outlines.points, lang))
    base = webmap.base_map(layer, webmap.layer_bounds(layer))
    groups = [
        webmap.link_group(edges if links else None),
        webmap.candidate_group(shapes, marks, state),
    ]
    return base, groups


def _sent(base, groups) -> tuple[str, str, str]:
    """What streamlit-folium sends the browser: the base map's script, its header, and the
    feature groups' script (its own functions, called as ``st_folium`` calls them)."""
    import streamlit_folium as sf

    base.render()
    header = sf._get_header(base)  # in st_folium's order: it renames the map afterwards
    script = sf._get_map_string(base)
    extra = "".join(sf._get_feature_group_string(g, map=base, idx=i) for i, g in enumerate(groups))
    return script, header, extra


def test_region_layer_is_plain_data():
    """Names go to the browser as they are (as JSON data): the map's scripts write every data
    string with textContent, never as HTML (checked on the rendered page below)."""
    display = display_regions(grid_regions())
    layer = webmap.region_layer(display, {"64": "Kalimantan Timur"})
    props = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    assert props["6403"]["name"] == EVIL and props["6403"]["kind"] == "region"
    assert props["6401"]["province_name"] == "Kalimantan Timur"
    lon, lat = props["6401"]["label"]
    assert 116 < lon < 116.5 and -1 < lat < -0.5
    assert props["6409"]["bbox"][2] == pytest.approx(117.5, abs=1e-3)
    assert webmap.layer_bounds(layer) == pytest.approx([116, -1, 117.5, 0.5], abs=1e-3)


def test_a_province_map_draws_its_neighbours_as_context():
    """A province's map also draws the regions of other provinces linked to it (land or sea),
    whichever way the toggles are set: the toggles repaint it (pale outside the scope), the
    view opens on the province's own regions."""
    regions = grid_regions()
    regions.loc[["6403", "6406", "6409"], "province"] = "65"  # the right column: another province
    edges = grid_edges(regions)
    left = ["6401", "6402", "6404", "6405", "6407", "6408"]
    codes = webmap.context_codes(regions, edges, "64", left)
    assert codes == tuple(sorted(regions.index))  # every right-column cell touches the middle
    fewer = edges[~edges["source"].isin(["6403", "6406"]) & ~edges["target"].isin(["6403", "6406"])]
    assert webmap.context_codes(regions, fewer, "64", left) == tuple(sorted([*left, "6409"]))
    # a voluntary link reaching further: its region is drawn too
    assert "6403" in webmap.context_codes(regions, fewer, "64", [*left, "6403"])

    layer = webmap.region_layer(display_regions(regions))
    assert webmap.layer_bounds(layer, left) == pytest.approx([116, -1, 117, 0.5], abs=1e-3)
    assert webmap.layer_bounds(layer) == pytest.approx([116, -1, 117.5, 0.5], abs=1e-3)

    legend = webmap.legend("Air minum", "id")
    state = webmap.paint_state({}, {}, {}, legend, "id", outside={"6409", "6403"})
    assert state["outside"] == ["6403", "6409"]
    assert (
        legend["outside"].startswith("pucat")
        and legend["outside_colour"] != legend["no_data_colour"]
    )
    assert "Izinkan anggota dari provinsi tetangga" in state["texts"]["outside"]
    assert webmap.paint_state({}, {}, {}, legend, "id")["key"] != state["key"]


def test_map_is_offline_and_escaped():
    """Hostile region names (markup, Jinja tags, template-literal syntax) stay text in every
    string the browser receives, and nothing is loaded from the internet."""
    base, groups = _map(opened="water-contract-6402-6403")
    script, header, extra = _sent(base, groups)
    page = base.get_root().render()
    for text in (script, header, extra, page):
        assert EVIL not in text and "alert(1)</script>" not in text
        assert "{{ 7*7 }}" not in text and "{% if" not in text and "{# c" not in text
        assert "Kab 49" not in text  # a name is never evaluated as a template
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text)
    # names and hover texts arrive as JSON strings (\u escapes)
    assert "\\u003cscript\\u003ealert(1)" in script
    assert "Kab \\u007b{ 7*7 }} \\u007b% if true %}x\\u007b% endif %} \\u007b# c #}" in script
    backtick = "Kota `${alert(2)}` $x"
    assert script.count(backtick) == script.count(f'"name":"{backtick}"') == 1
    # hover texts: plain text inside the groups' JSON data, which the map writes as text
    # (ks.tip: textContent); no folium tooltip inserts them as HTML
    data = [json.loads(d) for d in re.findall(r"\.addData\((.*)\);\n", extra)]
    tips = [
        str(f["properties"].get("tip") or f["properties"].get("text") or "")
        for d in data
        for f in d["features"]
    ]
    assert any("<script>alert(1)</script>" in t for t in tips)
    assert any("`${alert(2)}`" in t for t in tips)
    assert "window.ks.tip(layer.feature.properties" in extra and "innerHTML" not in extra
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in extra
    assert "Air \\u003cscript\\u003e" in extra  # the legend title (a sector label) is data too
    # Leaflet is inlined: no CDN link survives in the map or its groups
    assert base.default_js[0][1].startswith("data:text/javascript;base64,")
    assert base.default_css[0][1].startswith("data:text/css;base64,")
    for element in [*webmap._walk(base), *(e for g in groups for e in webmap._walk(g))]:
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            assert url.startswith("data:")
    # our scripts insert no data as HTML
    from kerjasama.present import mapscript

    assert "innerHTML" not in mapscript._SETUP and "insertAdjacentHTML" not in mapscript._SETUP
    assert "textContent" in mapscript._SETUP


def test_base_map_is_the_same_whatever_the_groups():
    """streamlit-folium reloads the map when the base map's script changes: it must depend on
    the scope only, never on the candidates, the opened one, the links or the language."""
    import streamlit_folium as sf

    one = _sent(*_map("id", opened="water-joint-6401-6402"))
    two = _sent(*_map("en", opened="water-contract-6402-6403", ticked=["x"], links=False))
    assert sf.generate_js_hash(one[0], "map") == sf.generate_js_hash(two[0], "map")
    assert one[1] == two[1]
    assert one[2] != two[2]


def test_candidate_features_opened_ticked_provider():
    display = display_regions(grid_regions())
    candidates = grid_candidates()
    shapes, marks = webmap.candidate_features(
        candidates,
        webmap.Outlines(display),
        opened="water-contract-6402-6403",
        ticked=["water-joint-6401-6402"],
        lang="id",
    )
    props = {f["properties"]["id"]: f["properties"] for f in shapes["features"]}
    opened, ticked = props["water-contract-6402-6403"], props["water-joint-6401-6402"]
    assert shapes["features"][-1]["properties"]["id"] == "water-contract-6402-6403"  # on top
    assert opened["opened"] is True and opened["style"]["color"] == webmap.OPENED_COLOUR
    assert ticked["ticked"] is True and ticked["style"]["dashArray"] == "8 4"
    assert opened["tip"].startswith("#2 Kontrak pelayanan · skor 0,800: ")
    assert "<script>" in opened["tip"]  # plain text: the map writes it as text
    assert "dipilih untuk diunduh" in ticked["tip"]
    kinds = [(f["properties"]["kind"], f["properties"]["id"]) for f in marks["features"]]
    assert [k for k in kinds if k[0] == "provider"] == [("provider", "water-contract-6402-6403")]
    star = next(f for f in marks["features"] if f["properties"]["kind"] == "provider")
    assert "Kabupaten 6402" in star["properties"]["tip"]
    ranks = [f["properties"].get("rank") for f in marks["features"]]
    assert [r for r in ranks if r is not None] == [1, 2, 3]
    assert webmap.region_counts(candidates, "id")["6402"] == "2 kandidat memuat wilayah ini"


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


def test_link_features_lines_and_sea_distances():
    regions = grid_regions()
    points = label_points(display_regions(regions))
    links = webmap.link_features(webmap.link_layer(grid_edges(regions), points, "en"))
    kinds = [f["properties"]["kind"] for f in links["features"]]
    assert kinds.count("maritime") == 1 and kinds.count("sea") == 1
    sea = next(f for f in links["features"] if f["properties"]["kind"] == "sea")
    assert sea["properties"]["km"] == "12.5 km" and sea["geometry"]["type"] == "Point"
    line = next(f for f in links["features"] if f["properties"]["kind"] == "maritime")
    assert line["properties"]["style"]["dashArray"] == "6 5"
    land = next(f for f in links["features"] if f["properties"]["kind"] == "land")
    assert "dashArray" not in land["properties"]["style"]


def test_voluntary_links_drawn_with_their_seat_distance():
    """With voluntary cooperation on, the links the candidates were built on are on the map:
    dotted, in their own colour, the seat distance at the middle, in the legend."""
    regions = grid_regions()
    points = label_points(display_regions(regions))
    seats = Seats(points["lon"], points["lat"], pd.Series(False, index=points.index))
    edges = grid_edges(regions)
    extra = voluntary_edges(seats, edges, 150.0)
    assert len(extra) and set(extra["kind"]) == {"voluntary"}
    both = pd.concat([edges, extra], ignore_index=True)
    for lang, km, words in (("id", ",", "sukarela"), ("en", ".", "voluntary")):
        links = webmap.link_layer(both, points, lang)
        voluntary = [link for link in links if link["kind"] == "voluntary"]
        assert len(voluntary) == len(extra)
        first = extra.iloc[0]
        dist = fmt_number(first["distance_km"], lang, decimals=1)
        assert km in dist and any(link["km"] == f"{dist} km" for link in voluntary)
        assert all(words in link["text"] for link in voluntary)
    features = webmap.link_features(webmap.link_layer(both, points, "id"))["features"]
    lines = [f for f in features if f["properties"]["kind"] == "voluntary"]
    marks = [f for f in features if f["properties"]["kind"] == "seat"]
    assert len(lines) == len(marks) == len(extra)
    style = lines[0]["properties"]["style"]
    assert style["color"] == webmap.VOLUNTARY_COLOUR and style["dashArray"] == "1 5"
    assert marks[0]["properties"]["colour"] == webmap.VOLUNTARY_COLOUR
    assert marks[0]["geometry"]["type"] == "Point"
    # the legend names them only when they are drawn
    assert webmap.legend("Air minum", "id")["voluntary"] == ""
    assert webmap.legend("Air minum", "id", voluntary=True)["voluntary"].startswith("Hubungan")
    assert "sukarela" in webmap.legend("Air minum", "id", voluntary=True)["voluntary"]


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


def test_parse_click_reads_the_clicked_feature_and_trusts_only_known_ids():
    regions, shown = ("6401", "6403"), ("water-joint-6401-6402",)

    def clicked(props):
        geometry = {"type": "Point", "coordinates": [116.2, -0.7]}
        feature = {"type": "Feature", "geometry": geometry, "properties": props}
        return {"last_active_drawing": feature}

    region = clicked({"kind": "region", "code": "6403", "name": "x", "click": 3})
    assert webmap.parse_click(region, regions, shown) == ("region", "6403")
    rank = clicked({"kind": "candidate", "id": "water-joint-6401-6402", "rank": 1, "click": 4})
    assert webmap.parse_click(rank, regions, shown) == ("candidate", "water-joint-6401-6402")
    star = clicked({"kind": "provider", "id": "water-joint-6401-6402"})
    assert webmap.parse_click(star, regions, shown) == ("candidate", "water-joint-6401-6402")
    for bad in (
        None,
        {},
        "6401",
        {"last_active_drawing": None},
        {"last_active_drawing": "6401"},
        {"last_active_drawing": {"properties": None}},
        clicked({"kind": "region", "code": EVIL}),
        clicked({"kind": "region", "code": ["6401"]}),
        clicked({"kind": "region", "id": "6401"}),
        clicked({"kind": "candidate", "id": "water-joint-6405-6406-6409"}),  # not shown
        clicked({"kind": "maritime", "text": "laut"}),
        clicked({"kind": "sea", "km": "12,5 km"}),
    ):
        assert webmap.parse_click(bad, regions, shown) is None


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


def test_candidate_table_variants_completeness_and_flags_in_words():
    candidates = grid_candidates()
    candidates["variants"] = [1234, 0, None]
    candidates["data_completeness"] = [1.0, 0.833, None]
    candidates["flags"] = [[], ["voluntary"], ["beyond_reach", "incomplete_data"]]
    table = tables.candidate_table(candidates, "id")
    assert list(table["Varian"]) == ["1.234", "0", ""]
    assert list(table["Kelengkapan data"]) == ["100%", "83%", ""]
    assert "sukarela (tidak berbatasan)" in table.loc[1, "Catatan"]
    notes = table.loc[2, "Catatan"]
    assert "bertanda: di luar jangkauan layanan" in notes and "data tidak lengkap" in notes
    from analysis.ranking import FLAGS

    assert set(tables.FLAG_KEYS) == set(FLAGS)  # every flag of the model has its words
    english = tables.candidate_table(candidates, "en")
    assert english.loc[1, "Notes"].endswith("voluntary (not bordering)")
    assert list(english["Variants"]) == ["1,234", "0", ""]
    # the map's hover text says so too
    shapes, _ = webmap.candidate_features(
        candidates, webmap.Outlines(display_regions(grid_regions())), opened=None, lang="id"
    )
    tips = [f["properties"]["tip"] for f in shapes["features"]]
    assert sum("sukarela (tidak berbatasan)" in tip for tip in tips) == 1


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


def test_national_map_under_3_mb(national_adm2, real_data):
    """All Indonesia: what streamlit-folium sends for the map on a rerun (base map with the
    regions, real neighbour links, 20 candidates, colours) stays under 3 MB."""
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
    shapes, marks = webmap.candidate_features(candidates, outlines, opened="c0", lang="id")
    legend = webmap.legend(SimpleNamespace(gap=()), "id")
    state = webmap.paint_state(fill, text, webmap.region_counts(candidates, "id"), legend, "id")
    links = webmap.link_features(webmap.link_layer(edges, outlines.points, "id"))
    base = webmap.base_map(layer, webmap.layer_bounds(layer))
    groups = [webmap.link_group(links), webmap.candidate_group(shapes, marks, state)]
    script, header, extra = _sent(base, groups)
    assets = sum(len(url) for _, url in base.default_js + base.default_css)
    assert len(layer["features"]) == len(regions) == 514
    assert script.count('"kind":"region"') == 514
    assert 300_000 < len(script) + len(header) + assets + len(extra) <= 3_000_000
    assert len(extra) < 1_000_000  # what changes with a click is not the geometry
