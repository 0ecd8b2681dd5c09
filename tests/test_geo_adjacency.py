"""Adjacency: synthetic geometries with known answers, and the real Indonesian files."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal.graph import Graph
from pyproj import Geod
from shapely.geometry import box

from geo.adjacency import (
    COLUMNS,
    DEFAULT_TOLERANCE_M,
    adjacency_edges,
    to_graph,
)
from geo.boundaries import read_boundaries
from geo.crs import line_lengths_m, nearest_distance_m

GEOD = Geod(ellps="WGS84")
ISLANDS = [
    "1109",
    "1172",
    "1309",
    "1410",
    "2102",
    "2103",
    "2104",
    "2105",
    "2171",
    "3101",
    "5305",
    "5313",
    "5314",
    "5320",
    "6571",
    "7103",
    "7104",
    "7109",
    "7207",
    "7211",
    "7301",
    "7407",
    "7412",
    "8102",
    "8103",
    "8107",
    "8108",
    "8172",
    "8205",
    "8207",
    "8208",
    "8271",
    "9105",
]
KALTIM_NEIGHBOURS = {  # /work/shared/data/boundaries/SOURCE.md
    "6401": {"6407", "6409"},
    "6402": {"6407", "6408", "6409", "6411", "6471", "6472", "6474"},
    "6403": {"6408"},
    "6407": {"6401", "6402", "6409", "6411"},
    "6408": {"6402", "6403", "6474"},
    "6409": {"6401", "6402", "6407", "6471"},
    "6411": {"6402", "6407"},
    "6471": {"6402", "6409"},
    "6472": {"6402"},
    "6474": {"6402", "6408"},
}


def _regions(geoms, codes=None) -> gpd.GeoDataFrame:
    codes = codes or [f"{k + 1:02d}" for k in range(len(geoms))]
    return gpd.GeoDataFrame(
        {"name": codes}, geometry=list(geoms), crs=4326, index=pd.Index(codes, name="code")
    )


def _pairs(edges, kind=None) -> set[tuple[str, str]]:
    sel = edges if kind is None else edges[edges["kind"] == kind]
    return set(zip(sel["source"], sel["target"], strict=True))


def _neighbours(edges, code, kind="land") -> set[str]:
    sel = edges[edges["kind"] == kind]
    return set(sel.loc[sel["source"] == code, "target"]) | set(
        sel.loc[sel["target"] == code, "source"]
    )


def _geod_length(x0, y0, x1, y1) -> float:
    return GEOD.line_length([x0, x1], [y0, y1])


# ---------------------------------------------------------------- synthetic


@pytest.fixture(scope="module")
def grid():
    step = 0.01  # ~1.1 km cells near the equator
    cells = [
        box(110 + c * step, -0.5 + r * step, 110 + (c + 1) * step, -0.5 + (r + 1) * step)
        for r in range(3)
        for c in range(3)
    ]
    return _regions(cells), step


def test_grid_queen_and_rook(grid):
    regions, step = grid
    queen = adjacency_edges(regions, maritime_km=None)
    rook = adjacency_edges(regions, rook=True, maritime_km=None)
    assert list(queen.columns) == COLUMNS
    assert len(queen) == 20 and len(rook) == 12
    assert (queen["kind"] == "land").all() and (queen["source"] < queen["target"]).all()
    assert list(queen.itertuples(index=False, name=None)) == sorted(
        queen.itertuples(index=False, name=None)
    )
    diagonal = queen[
        ~queen.set_index(["source", "target"]).index.isin(
            rook.set_index(["source", "target"]).index
        )
    ]
    assert len(diagonal) == 8 and (diagonal["shared_border_km"] == 0).all()
    # border lengths: cells 01|02 share a meridian segment, 01/04 a parallel segment
    row = rook.set_index(["source", "target"])["shared_border_km"]
    x, y = 110 + step, -0.5
    assert row["01", "02"] * 1000 == pytest.approx(_geod_length(x, y, x, y + step), rel=1e-6)
    assert row["01", "04"] * 1000 == pytest.approx(
        _geod_length(110, y + step, 110 + step, y + step), rel=1e-6
    )
    assert (rook["distance_km"] == 0).all()


def test_grid_graph_and_components(grid):
    regions, _ = grid
    edges = adjacency_edges(regions, maritime_km=None)
    graph = to_graph(edges, regions.index)
    reference = Graph.build_contiguity(regions, rook=False)
    assert graph.n == 9 and graph.n_components == 1
    assert graph.cardinalities.to_dict() == reference.cardinalities.to_dict()
    # round trip: the Graph's non-zero links are exactly the edge table's pairs, and back
    links = graph.adjacency[graph.adjacency > 0].reset_index()
    pairs = {(a, b) for a, b in zip(links["focal"], links["neighbor"], strict=True) if a < b}
    assert pairs == set(zip(edges["source"], edges["target"], strict=True))
    back = pd.DataFrame(sorted(pairs), columns=["source", "target"]).assign(kind="land")
    assert to_graph(back, regions.index).adjacency.equals(graph.adjacency)


def test_gap_within_tolerance():
    west = box(110.0, -1.0, 110.01, -0.99)
    gap_deg = 5 / 111_319.5  # 5 m at the equator
    east = box(110.01 + gap_deg, -1.0, 110.02, -0.99)
    regions = _regions([west, east])
    at_default = adjacency_edges(regions, maritime_km=None)
    assert DEFAULT_TOLERANCE_M >= 5 and _pairs(at_default, "land") == {("01", "02")}
    side = _geod_length(110.01, -1.0, 110.01, -0.99)
    assert at_default["shared_border_km"].iloc[0] * 1000 == pytest.approx(side, rel=0.02)
    assert _pairs(adjacency_edges(regions, tolerance_m=50, maritime_km=None), "land")
    strict = adjacency_edges(regions, tolerance_m=1, maritime_km=None)
    assert len(strict) == 0
    # with maritime links on, the pair is linked by sea at ~5 m instead
    sea = adjacency_edges(regions, tolerance_m=1, maritime_km=1)
    assert list(sea["kind"]) == ["maritime"]
    assert sea["distance_km"].iloc[0] * 1000 == pytest.approx(5.0, rel=0.01)


def test_sliver_overlap_is_land_border():
    overlap = 3 / 111_319.5  # the two polygons overlap by a 3 m strip
    west = box(110.0, -1.0, 110.01 + overlap, -0.99)
    east = box(110.01, -1.0, 110.02, -0.99)
    edges = adjacency_edges(_regions([west, east]), rook=True, maritime_km=None)
    assert _pairs(edges) == {("01", "02")}
    side = _geod_length(110.01, -1.0, 110.01, -0.99)
    assert edges["shared_border_km"].iloc[0] * 1000 == pytest.approx(side, rel=0.02)


def test_maritime_link_and_nearest_rule():
    a = box(120.0, -8.0, 120.1, -7.9)
    b = box(120.1 + 0.045, -8.0, 120.25, -7.9)  # ~5 km east of a
    far = box(125.0, -8.0, 125.1, -7.9)  # ~540 km from b
    regions = _regions([a, b, far])
    edges = adjacency_edges(regions, maritime_km=10)
    assert _pairs(edges, "maritime") == {("01", "02"), ("02", "03")}
    dist = edges.set_index(["source", "target"])["distance_km"] * 1000
    assert dist["01", "02"] == pytest.approx(_geod_length(120.1, -7.9, 120.145, -7.9), rel=1e-3)
    assert dist["02", "03"] == pytest.approx(_geod_length(120.25, -7.9, 125.0, -7.9), rel=1e-3)
    assert (edges["shared_border_km"] == 0).all()
    none = adjacency_edges(regions, maritime_km=None)
    assert len(none) == 0
    assert to_graph(none, regions.index).isolates.tolist() == ["01", "02", "03"]
    only_near = adjacency_edges(regions, maritime_km=10)
    assert to_graph(only_near, regions.index).n_components == 1


def test_bad_arguments():
    regions = _regions([box(0, 0, 1, 1)])
    with pytest.raises(Exception, match="tolerance_m"):
        adjacency_edges(regions, tolerance_m=-1)
    with pytest.raises(Exception, match="not in the boundary file"):
        to_graph(pd.DataFrame({"source": ["01"], "target": ["99"], "kind": ["land"]}), ["01"])


# ---------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def national(national_adm2):
    return read_boundaries(national_adm2)


@pytest.fixture(scope="module")
def national_edges(national):
    return adjacency_edges(national)


def test_national_read(national):
    assert len(national) == 514 and national.index.is_monotonic_increasing
    assert national.attrs["kerjasama"]["layer"] == "idn_adm2"
    assert national.loc["3578", "name"] == "Kota Surabaya"
    assert national.loc["3526", "name"] == "Kabupaten Bangkalan"


def test_kaltim_neighbour_sets(kaltim_shp):
    regions = read_boundaries(kaltim_shp)
    edges = adjacency_edges(regions)
    assert set(edges["kind"]) == {"land"}
    for code, expected in KALTIM_NEIGHBOURS.items():
        assert _neighbours(edges, code) == expected, code
    row = edges.set_index(["source", "target"]).loc[("6409", "6471")]
    assert row["kind"] == "land" and row["shared_border_km"] > 1


def test_national_land_pairs_equal_queen_file(national_edges, real_data):
    table = pd.read_csv(real_data / "boundaries" / "idn_adm2_queen_neighbours.csv", dtype=str)
    queen = {tuple(sorted(p)) for p in zip(table["code"], table["neighbour_code"], strict=True)}
    assert len(queen) == 997
    assert _pairs(national_edges, "land") == queen


def test_national_rook(national):
    exact = adjacency_edges(national, rook=True, tolerance_m=0, maritime_km=None)
    assert len(exact) == 990
    point_only = {
        ("1305", "1374"),
        ("1611", "1709"),
        ("1705", "1708"),
        ("3308", "3310"),
        ("3309", "3404"),
        ("9103", "9505"),
        ("9110", "9506"),
    }
    assert not point_only & _pairs(exact)
    # with the default tolerance, Padang Pariaman - Padang Panjang (19 m apart before the source
    # was cleaned, a point contact after) regain their ~0.5 km border
    tolerant = adjacency_edges(national, rook=True, maritime_km=None)
    assert _pairs(tolerant) - _pairs(exact) == {("1305", "1374")}


def test_madura_strait_and_islands(national_edges, national):
    row = national_edges.set_index(["source", "target"]).loc[("3526", "3578")]
    assert row["kind"] == "maritime" and 1.0 < row["distance_km"] < 5.0
    for code in ISLANDS:
        assert not _neighbours(national_edges, code, "land"), code
        assert _neighbours(national_edges, code, "maritime"), code
    graph = to_graph(national_edges, national.index)
    assert graph.n == 514 and len(graph.isolates) == 0
    land_only = national_edges[national_edges["kind"] == "land"]
    assert to_graph(land_only, national.index).n_components == 53
    assert graph.n_components < 53


def test_enclave_cities_have_one_land_neighbour(national_edges, national):
    for kota, kab in (("3572", "3505"), ("3271", "3201"), ("1375", "1306"), ("7173", "7102")):
        parts = shapely.get_parts(national.geometry[kab])
        hole_free = shapely.union_all(shapely.polygons(shapely.get_exterior_ring(parts)))
        assert hole_free.covers(national.geometry[kota])  # the kota is an enclave
        assert _neighbours(national_edges, kota) == {kab}
        assert not _neighbours(national_edges, kota, "maritime")


def test_distances_match_projected_reference(national):
    """Bangkalan - Surabaya across the strait: our distance vs UTM 49S (metres)."""
    pair = national.loc[["3526", "3578"]]
    ours = nearest_distance_m(
        pair.geometry.values[:1], pair.geometry.values[1:], np.array([10_000.0])
    )[0]
    utm = pair.to_crs(32749).geometry.values
    assert ours == pytest.approx(shapely.distance(utm[0], utm[1]), rel=2e-3)
    length = line_lengths_m(np.array([national.geometry["3578"]]))[0]
    assert length == pytest.approx(national.to_crs(32749).geometry["3578"].length, rel=2e-3)


def test_kecamatan_queen_equals_libpysal(real_data):
    regions = read_boundaries(real_data / "boundaries" / "kaltim_adm3.gpkg")
    reference = Graph.build_contiguity(regions, rook=False).adjacency
    expected = {tuple(sorted(p)) for p in reference[reference > 0].index}
    edges = adjacency_edges(regions, maritime_km=None, tolerance_m=0)
    assert _pairs(edges) == expected and len(expected) == 250
    graph = to_graph(edges, regions.index)
    assert graph.n_components == 2 and list(graph.isolates) == ["640311"]  # Maratua island


def test_desa_gaps_within_tolerance(real_data):
    """kaltim_adm4 has desa pairs a few metres apart: the tolerance joins exactly those."""
    regions = read_boundaries(real_data / "boundaries" / "kaltim_adm4.gpkg")
    exact = _pairs(adjacency_edges(regions, maritime_km=None, tolerance_m=0))
    tolerant = _pairs(adjacency_edges(regions, maritime_km=None))
    assert exact < tolerant
    extra = sorted(tolerant - exact)
    a = regions.geometry.loc[[p[0] for p in extra]].values
    b = regions.geometry.loc[[p[1] for p in extra]].values
    gaps = nearest_distance_m(a, b, np.full(len(extra), 100.0))
    assert ((gaps > 0) & (gaps <= DEFAULT_TOLERANCE_M)).all()


def test_deterministic(national, national_edges):
    shuffled = national.sample(frac=1, random_state=7)
    again = adjacency_edges(shuffled)
    pd.testing.assert_frame_equal(again, national_edges)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_coverage_matches_libpysal(seed):
    """Voronoi cells (a clean coverage with shared vertices): pairs equal libpysal's, and border
    lengths equal the length of the geometric intersection of the two boundaries."""
    rng = np.random.default_rng(seed)
    points = shapely.multipoints(rng.uniform([120, -5], [120.5, -4.5], size=(60, 2)))
    frame = box(120, -5, 120.5, -4.5)
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=frame))
    cells = shapely.intersection(cells, frame)
    regions = _regions(cells, [f"{k:03d}" for k in range(len(cells))])
    for rook in (False, True):
        edges = adjacency_edges(regions, rook=rook, tolerance_m=0, maritime_km=None)
        reference = Graph.build_contiguity(regions, rook=rook).adjacency
        assert _pairs(edges) == {tuple(sorted(p)) for p in reference[reference > 0].index}
    geoms = regions.geometry
    common = shapely.intersection(
        shapely.boundary(geoms.loc[edges["source"]].values),
        shapely.boundary(geoms.loc[edges["target"]].values),
    )
    np.testing.assert_allclose(
        edges["shared_border_km"] * 1000, line_lengths_m(common), rtol=1e-6, atol=0.01
    )


def test_shared_border_without_matching_vertices():
    """Agency data: the common border has a vertex on one side only (no identical segment)."""
    west = shapely.Polygon(
        [(110, -1), (110.01, -1), (110.01, -0.995), (110.01, -0.99), (110, -0.99)]
    )
    east = box(110.01, -1.0, 110.02, -0.99)
    side = _geod_length(110.01, -1.0, 110.01, -0.99)
    for tolerance in (0, DEFAULT_TOLERANCE_M):
        edges = adjacency_edges(
            _regions([west, east]), rook=True, tolerance_m=tolerance, maritime_km=None
        )
        assert _pairs(edges) == {("01", "02")}
        assert edges["shared_border_km"].iloc[0] * 1000 == pytest.approx(side, rel=0.01)


# -- maritime links among coastal regions only (issue 8 section 8) ---------------------------


def _island_world() -> gpd.GeoDataFrame:
    """A 6 x 6 block of 0.05-degree squares (a land mass), a strait, and a second block."""
    cells, codes = [], []
    for block, x0 in ((0, 110.0), (1, 110.36)):  # the strait is 0.06 degrees (~6.7 km) wide
        for r in range(6):
            for c in range(6):
                cells.append(box(x0 + 0.05 * c, 0.05 * r, x0 + 0.05 * (c + 1), 0.05 * (r + 1)))
                codes.append(f"{block + 1}{r}{c}")
    return gpd.GeoDataFrame({"code": codes}, geometry=cells, crs=4326).set_index("code")


def _no_filter(monkeypatch) -> list:
    """Make the sea search run among all regions; returns the list of calls to the filter."""
    import geo.adjacency as adjacency

    calls = []
    real = adjacency._near_coast

    def everyone(geoms, seg, coast, reach_deg):
        calls.append(real(geoms, seg, coast, reach_deg))
        return np.ones(len(geoms), dtype=bool)

    monkeypatch.setattr(adjacency, "_near_coast", everyone)
    return calls


def test_inland_regions_are_left_out_of_the_sea_search_with_the_same_result(monkeypatch):
    import geo.adjacency as adjacency

    world = _island_world()
    _, geoms = adjacency._arrays(world)
    seg = adjacency._segments(geoms)
    reach_m = adjacency._sea_reach_m(15_000)
    assert reach_m == pytest.approx(0.125 * 15_000)  # 2 of 20 samples may be on land
    coast = adjacency._unshared(seg)
    near = adjacency._near_coast(
        geoms, seg, coast, float(adjacency.metres_to_degrees(reach_m, 0.3))
    )
    # each block's outer ring of cells has a coast; cells are 5.5 km wide, so the 4 x 4 cells
    # inside it lie more than 1.9 km from any coast and are left out of the sea search
    outer = [f"{b}{r}{c}" for b in (1, 2) for r in range(6) for c in range(6)
             if r in (0, 5) or c in (0, 5)]  # fmt: skip
    codes = np.asarray(world.index)
    assert set(codes[near]) == set(outer)
    assert len(codes[~near]) == 2 * 16
    # 40 of 72 regions have a coast of their own: more than the share below which the filter is
    # used; force it, and compare with the search among all regions
    monkeypatch.setattr(adjacency, "_FILTER_BELOW", 1.01)
    edges = adjacency_edges(world)
    calls = _no_filter(monkeypatch)
    pd.testing.assert_frame_equal(edges, adjacency_edges(world))
    assert len(calls) == 1 and calls[0].sum() == 40
    sea = edges[edges["kind"] == "maritime"]
    # only the two shores are linked (lines from inner columns cross land)
    assert len(sea) > 6 and set(sea["source"].str[::2]) == {"15"}
    assert set(sea["target"].str[::2]) == {"20"}


def test_the_coastal_filter_is_skipped_when_most_regions_have_a_coast(monkeypatch):
    import geo.adjacency as adjacency

    # 3 x 3 blocks: 8 of 9 cells of each block have a coast; the one inland cell is not worth a
    # search of its own, and the links are the same as with the search
    cells, codes = [], []
    for block, x0 in ((0, 110.0), (1, 110.21)):
        for r in range(3):
            for c in range(3):
                cells.append(box(x0 + 0.05 * c, 0.05 * r, x0 + 0.05 * (c + 1), 0.05 * (r + 1)))
                codes.append(f"{block + 1}{r}{c}")
    world = gpd.GeoDataFrame({"code": codes}, geometry=cells, crs=4326).set_index("code")
    calls = _no_filter(monkeypatch)
    edges = adjacency_edges(world)
    assert calls == []
    monkeypatch.setattr(adjacency, "_FILTER_BELOW", 1.01)  # always filter
    filtered = adjacency_edges(world)
    assert len(calls) == 1 and calls[0].sum() == 16  # the two inland cells left out
    pd.testing.assert_frame_equal(edges, filtered)
    assert (edges["kind"] == "maritime").sum() >= 3


@pytest.mark.realdata
def test_desa_maritime_links_same_with_and_without_the_coastal_filter(real_data, monkeypatch):

    desa = read_boundaries(real_data / "boundaries" / "kaltim_adm4.gpkg")
    edges = adjacency_edges(desa)
    calls = _no_filter(monkeypatch)
    pd.testing.assert_frame_equal(edges, adjacency_edges(desa))
    assert len(calls) == 1
    assert (edges["kind"] == "maritime").sum() > 100
