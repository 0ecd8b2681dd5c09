"""Enumeration of connected member sets: completeness, connectivity, order, scope."""

from __future__ import annotations

import itertools
from collections import deque

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.candidates import enumerate_sets
from common.errors import InputError
from geo.adjacency import adjacency_edges


def jittered_grid(nx: int, ny: int, seed: int, *, drop: float = 0.0) -> gpd.GeoDataFrame:
    """Quadrilateral cells of a jittered lattice near Kaltim; left half province 64, right 65.

    ``drop`` removes that share of cells (sea), which leaves islands for maritime links.
    """
    rng = np.random.default_rng(seed)
    step = 0.1
    x = 116.0 + step * np.arange(nx + 1)[:, None] + np.zeros((1, ny + 1))
    y = -1.0 + step * np.arange(ny + 1)[None, :] + np.zeros((nx + 1, 1))
    x = x + rng.uniform(-0.03, 0.03, x.shape)
    y = y + rng.uniform(-0.03, 0.03, y.shape)
    polys, codes, prov = [], [], []
    for i in range(nx):
        for j in range(ny):
            ring = [
                (x[i, j], y[i, j]),
                (x[i + 1, j], y[i + 1, j]),
                (x[i + 1, j + 1], y[i + 1, j + 1]),
                (x[i, j + 1], y[i, j + 1]),
            ]
            p = "64" if i < nx / 2 else "65"
            polys.append(shapely.Polygon(ring))
            codes.append(f"{p}{i:02d}{j:02d}")
            prov.append(p)
    keep = rng.random(len(polys)) >= drop
    keep[0] = True
    gdf = gpd.GeoDataFrame(
        {
            "name": [f"Kab {c}" for c in codes],
            "province": prov,
        },
        geometry=polys,
        index=pd.Index(codes, name="code"),
        crs="EPSG:4326",
    )
    return gdf[keep].sort_index()


def random_edges(n: int, pairs: list[tuple[int, int]]) -> tuple[pd.DataFrame, list[str]]:
    ids = [f"{7000 + i}" for i in range(n)]
    rows = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    edges = pd.DataFrame(
        {
            "source": [ids[a] for a, _ in rows],
            "target": [ids[b] for _, b in rows],
            "kind": ["land" if (a + b) % 3 else "maritime" for a, b in rows],
            "shared_border_km": 1.0,
            "distance_km": 0.0,
        },
        columns=["source", "target", "kind", "shared_border_km", "distance_km"],
    )
    return edges, ids


def connected(members: list[str], edges: pd.DataFrame, kinds=("land", "maritime")) -> bool:
    """BFS on the edge table restricted to ``members``."""
    sel = edges[edges["kind"].isin(kinds)]
    inside = set(members)
    nb: dict[str, set[str]] = {m: set() for m in members}
    for s, t in zip(sel["source"], sel["target"], strict=True):
        if s in inside and t in inside:
            nb[s].add(t)
            nb[t].add(s)
    seen, todo = {members[0]}, deque([members[0]])
    while todo:
        for x in nb[todo.popleft()] - seen:
            seen.add(x)
            todo.append(x)
    return seen == inside


def brute_force(edges, ids, lo, hi, kinds=("land", "maritime")) -> set[tuple[str, ...]]:
    out = set()
    for k in range(lo, hi + 1):
        for combo in itertools.combinations(sorted(ids), k):
            if connected(list(combo), edges, kinds):
                out.add(combo)
    return out


def as_tuples(sets: np.ndarray, ids) -> list[tuple[str, ...]]:
    s_ids = sorted(ids)
    return [tuple(s_ids[p] for p in row if p >= 0) for row in sets]


graphs = st.integers(2, 9).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
    )
)


@settings(max_examples=60, deadline=None)
@given(
    graphs, st.integers(2, 5), st.integers(0, 3), st.sampled_from([("land", "maritime"), ("land",)])
)
def test_complete_against_brute_force(graph, lo, extra, kinds):
    n, pairs = graph
    hi = min(5, lo + extra)
    edges, ids = random_edges(n, pairs)
    sets = enumerate_sets(edges, ids, min_size=lo, max_size=hi, kinds=kinds)
    got = as_tuples(sets, ids)
    assert len(got) == len(set(got))
    assert set(got) == brute_force(edges, ids, lo, hi, kinds)
    # shape, padding, rows sorted, lexicographic row order
    assert sets.shape[1] == hi
    for row in sets:
        m = row[row >= 0]
        assert np.all(np.diff(m) > 0) and np.all(row[len(m) :] == -1)
    assert got == sorted(got)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 5), st.integers(2, 5), st.integers(0, 10_000), st.floats(0.0, 0.4))
def test_tessellation_sets_connected_and_sized(nx, ny, seed, drop):
    regions = jittered_grid(nx, ny, seed, drop=drop)
    edges = adjacency_edges(regions, maritime_km=15)
    ids = list(regions.index)
    sets = enumerate_sets(edges, ids, min_size=2, max_size=4)
    tuples = as_tuples(sets, ids)
    for t in tuples:
        assert 2 <= len(t) <= 4
        assert connected(list(t), edges)
    if len(ids) <= 12:
        assert set(tuples) == brute_force(edges, ids, 2, 4)


def test_land_only_drops_maritime_sets():
    edges, ids = random_edges(4, [(0, 1), (1, 2), (2, 3)])
    edges["kind"] = ["land", "maritime", "land"]
    both = as_tuples(enumerate_sets(edges, ids, max_size=4), ids)
    land = as_tuples(enumerate_sets(edges, ids, max_size=4, kinds=("land",)), ids)
    assert ("7000", "7001", "7002", "7003") in both
    assert land == [("7000", "7001"), ("7002", "7003")]


def test_edges_outside_ids_are_not_used():
    edges, ids = random_edges(4, [(0, 1), (1, 2), (2, 3)])
    got = as_tuples(enumerate_sets(edges, ids[:3], max_size=3), ids[:3])
    assert all("7003" not in t for t in got)
    assert ("7000", "7001", "7002") in got


@pytest.mark.parametrize("lo,hi", [(1, 3), (3, 2), (2, 6)])
def test_bad_sizes_raise(lo, hi):
    edges, ids = random_edges(3, [(0, 1)])
    with pytest.raises(InputError, match="min size"):
        enumerate_sets(edges, ids, min_size=lo, max_size=hi)


def test_missing_columns_raise():
    with pytest.raises(InputError, match="lacks column"):
        enumerate_sets(pd.DataFrame({"a": [1]}), ["1"])


def test_kaltim_real_counts(kaltim_shp):
    from geo.boundaries import read_boundaries

    regions = read_boundaries(kaltim_shp)
    edges = adjacency_edges(regions)
    ids = list(regions.index)
    sets = enumerate_sets(edges, ids)
    assert set(as_tuples(sets, ids)) == brute_force(edges, ids, 2, 5)
    assert len(sets) > 100


@pytest.mark.parametrize("n, m, width", [(6, 7, 5), (60, 150, 5), (300, 900, 3), (200, 50, 2)])
def test_pair_table_dense_equals_sparse(monkeypatch, n, m, width):
    from analysis import attributes

    rng = np.random.default_rng(n)
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    u, v = u[u != v], v[u != v]
    monkeypatch.setattr(attributes, "DENSE_PAIRS_MAX", n)
    dense = attributes._pair_table(u, v, n, width)
    monkeypatch.setattr(attributes, "DENSE_PAIRS_MAX", n - 1)
    sparse = attributes._pair_table(u, v, n, width)
    assert len(dense) and np.array_equal(dense, sparse)
