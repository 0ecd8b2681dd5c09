"""Portfolio: disjoint, exactly optimal (brute force), stability shares."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_candidates import random_edges

from analysis.attributes import set_attributes
from analysis.candidates import enumerate_sets
from analysis.clusters import RegionData, score_candidates
from analysis.config import load_config
from analysis.portfolio import best_portfolio
from analysis.ranking import COMPONENTS, Candidates
from analysis.stability import stability, weight_draws
from kerjasama.present.words import portfolio_summary

SETTINGS = load_config().clusters


def brute_best(members: list[tuple], score: np.ndarray) -> float:
    best = 0.0
    n = len(members)
    for k in range(1, n + 1):
        for combo in itertools.combinations(range(n), k):
            used = [c for i in combo for c in members[i]]
            if len(used) == len(set(used)):
                best = max(best, float(score[list(combo)].sum()))
    return best


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 11).flatmap(
        lambda n: st.tuples(
            st.lists(st.sets(st.integers(0, 6), min_size=1, max_size=4), min_size=n, max_size=n),
            st.lists(st.floats(0.01, 1), min_size=n, max_size=n),
        )
    )
)
def test_portfolio_matches_brute_force(case):
    sets, scores = case
    members = [tuple(sorted(s)) for s in sets]
    matrix = np.full((len(members), 4), -1)
    for i, m in enumerate(members):
        matrix[i, : len(m)] = m
    res = best_portfolio(matrix, np.array(scores))
    assert res.optimal and res.status == 0
    chosen = [members[i] for i in res.chosen]
    flat = [c for m in chosen for c in m]
    assert len(flat) == len(set(flat))  # disjoint
    assert abs(res.total_score - brute_best(members, np.array(scores))) < 1e-6


def test_portfolio_on_scored_candidates_and_empty():
    edges, ids = random_edges(7, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (0, 6), (1, 5)])
    sets = enumerate_sets(edges, ids, max_size=4)
    attrs = set_attributes(
        sets, edges, ids, perimeter_km=np.full(7, 30.0), province=np.array(["64"] * 7, dtype=object)
    )
    rng = np.random.default_rng(1)
    cands = score_candidates(
        attrs,
        ids,
        sector="water",
        data=RegionData(rng.random(7), rng.random(7), np.full(7, 1e5)),
        settings=SETTINGS,
    ).take(np.arange(14))  # few enough rows for the brute force
    res = best_portfolio(cands.member_positions(), cands.score)
    assert res.optimal
    members = cands.members(range(len(cands)))
    assert abs(res.total_score - brute_best(members, cands.score)) < 1e-6
    assert "optimality proven" in portfolio_summary(res, "en")
    assert "optimal terbukti" in portfolio_summary(res, "id")
    empty = best_portfolio(cands.member_positions()[:0], cands.score[:0])
    assert empty.optimal and len(empty.chosen) == 0


def test_weight_draws_seeded_and_normalised():
    w = SETTINGS.weights
    a = weight_draws(w, draws=50, seed=3)
    b = weight_draws(w, draws=50, seed=3)
    for form in a:
        assert np.array_equal(a[form], b[form])
        assert np.allclose(a[form].sum(axis=1), 1.0)


def test_stability_extremes():
    # a candidate far ahead in every component always stays; one far behind never enters
    n = 30
    low, mid = np.full(n, 0.05), np.full(n, 0.05)
    low[0] = mid[0] = 1.0
    mid[1:12] = 0.5
    cands = Candidates(
        sector="water",
        ids=np.array([f"{7000 + i}" for i in range(n)], dtype=object),
        names=np.array([f"R{i}" for i in range(n)], dtype=object),
        attrs=SimpleNamespace(size=np.full(n, 2), land_connected=np.ones(n, bool)),
        set_row=np.arange(n),
        form=np.zeros(n, dtype=np.int8),
        provider=np.full(n, -1),
        score=mid,
        components={c: mid for c in COMPONENTS["joint"]},
    )
    share = stability(cands, [0, 20], SETTINGS.weights, draws=40, top=10)
    assert share.loc[0] == 1.0 and share.loc[20] == 0.0
