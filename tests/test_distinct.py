"""Distinct alternatives: overlap and provider rules, variant bookkeeping, finalize modes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_candidates import random_edges
from test_clusters import SETTINGS, attrs_for, graph_cases, score

from analysis.distinct import distinct


def jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b)


cases = graph_cases(
    4,
    8,
    lambda n: st.integers(1, 8),
    lambda n: st.sampled_from([0.34, 0.5, 0.75]),
    lambda n: st.integers(1, 3),
)


@settings(max_examples=50, deadline=None)
@given(cases)
def test_distinct_list_rules(case):
    n, pairs, gap, cap, top, share, cap_n = case
    edges, ids = random_edges(n, pairs)
    cands = score(attrs_for(edges, ids), ids, gap, cap, np.full(n, 2e5))
    listing = distinct(cands, top, jaccard=share, max_provider=cap_n)
    rows = listing.rows
    members = cands.members(range(len(cands)))
    assert len(rows) <= top
    assert not cands.flagged[rows].any()  # suggestions only
    assert list(rows) == sorted(rows)  # rank order
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            assert jaccard(members[a], members[b]) <= share
    providers = [p for p in cands.provider[rows] if p >= 0]
    assert all(providers.count(p) <= cap_n for p in providers)
    # a shorter list only when no other suggestion fits the rules
    if len(rows) < top:
        for r in np.flatnonzero(~cands.flagged):
            if r in rows:
                continue
            clash = any(jaccard(members[r], members[k]) > share for k in rows)
            capped = cands.provider[r] >= 0 and providers.count(cands.provider[r]) >= cap_n
            assert clash or capped
    # bookkeeping: every variant overlaps its owner beyond the share, or shares a capped provider
    for r, k in enumerate(listing.owner):
        if k < 0 or r == rows[k]:
            continue
        owner = rows[k]
        assert jaccard(members[r], members[owner]) > share or (
            cands.provider[r] >= 0 and cands.provider[r] == cands.provider[owner]
        )
    assert (listing.counts == [len(listing.variants(k)) for k in range(len(rows))]).all()


def test_finalize_modes(tmp_path):
    from dataclasses import replace

    from analysis import pipeline

    edges, ids = random_edges(6, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (0, 5), (1, 4)])
    cands = score(attrs_for(edges, ids), ids, np.full(6, 0.8), np.linspace(0.2, 1, 6), [2e5] * 6)
    cands = replace(cands, settings=SETTINGS)
    top, _ = pipeline.finalize(cands, top=3, stability_draws=0)
    assert len(top) <= 3 and top["variant_of"].isna().all()
    assert (top["variants"] >= 0).all()
    with_v, _ = pipeline.finalize(cands, top=3, stability_draws=0, with_variants=True)
    reps = with_v[with_v["variant_of"].isna()]
    assert list(reps["cluster_id"]) == list(top["cluster_id"])
    assert len(with_v) == len(top) + int(top["variants"].sum())
    for cid, n in zip(top["cluster_id"], top["variants"], strict=True):
        got = pipeline.variants(cands, cid, top=3)
        assert len(got) == n and (got["variant_of"] == cid).all()
    every, _ = pipeline.finalize(cands, top=None, stability_draws=0)
    assert len(every) == len(cands)
    port, result = pipeline.finalize(cands, portfolio=True, stability_draws=0)
    assert result.optimal and cands.passing[result.chosen].all()
    used = [m for ms in port["members"] for m in ms]
    assert len(used) == len(set(used))


def reference(cands, top, share, cap_n):
    """The rule of docs/model.md written plainly with Python sets (slow, obviously right)."""
    members = [set(m) for m in cands.members(range(len(cands)))]
    provider = cands.provider
    kept, used = [], {}
    for r in np.flatnonzero(~cands.flagged):
        if len(kept) >= top:
            break
        if any(jaccard(members[r], members[k]) > share for k in kept):
            continue
        if provider[r] >= 0 and used.get(provider[r], 0) >= cap_n:
            continue
        kept.append(int(r))
        if provider[r] >= 0:
            used[provider[r]] = used.get(provider[r], 0) + 1
    owner = []
    for r in range(len(cands)):
        over = [i for i, k in enumerate(kept) if jaccard(members[r], members[k]) > share]
        same = [i for i, k in enumerate(kept) if provider[r] >= 0 and provider[k] == provider[r]]
        owner.append(over[0] if over else same[0] if len(same) >= cap_n else -1)
    for i, k in enumerate(kept):
        owner[k] = i
    return kept, owner


@settings(max_examples=50, deadline=None)
@given(cases)
def test_distinct_equals_the_plain_rule(case):
    n, pairs, gap, cap, top, share, cap_n = case
    edges, ids = random_edges(n, pairs)
    cands = score(attrs_for(edges, ids), ids, gap, cap, np.full(n, 2e5))
    listing = distinct(cands, top, jaccard=share, max_provider=cap_n)
    kept, owner = reference(cands, top, share, cap_n)
    assert listing.rows.tolist() == kept
    assert listing.owner.tolist() == owner
