"""Cluster scores: bounds, monotonicity of every term, flags, providers, ranking, attributes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_candidates import random_edges

from analysis.attributes import SetAttributes, set_attributes, subset_attributes
from analysis.candidates import enumerate_sets
from analysis.clusters import (
    ClusterSettings,
    RegionData,
    SectorPotential,
    linkage_score,
    linkage_values,
    score_candidates,
)
from analysis.config import load_config
from analysis.ranking import CANDIDATE_COLUMNS, FLAG_BITS, THRESHOLD_FLAGS
from common.errors import InputError
from common.text import fmt_number as format_number
from kerjasama.present.words import explain_rows

SETTINGS = load_config().clusters
POTENTIAL = SectorPotential(reach_km=60.0, sea_km=5.0, scale_people=1e6, orders=2.0)


def attrs_for(edges, ids, max_size=5, xy=None):
    """Set attributes with seats on a plane (km), deterministic from the ids."""
    sets = enumerate_sets(edges, ids, max_size=max_size)
    n = len(ids)
    if xy is None:
        rng = np.random.default_rng(7)
        xy = rng.uniform(0, 60, size=(n, 2))
    xy = np.asarray(xy, float)
    return set_attributes(
        sets,
        edges,
        ids,
        perimeter_km=np.full(n, 40.0),
        province=np.array(["64"] * (n - 1) + ["65"], dtype=object),
        seat_km=lambda a, b: np.hypot(*(xy[a] - xy[b]).T) / SETTINGS.detour_factor,
    )


def score(attrs, ids, gap, cap, pop, dens=None, **kw):
    data = RegionData(
        gap=np.asarray(gap, float),
        capacity=np.asarray(cap, float),
        population=np.asarray(pop, float),
        complement=None if dens is None else np.asarray(dens, float),
    )
    kw.setdefault("potential", POTENTIAL)
    return score_candidates(attrs, ids, sector="water", data=data, settings=SETTINGS, **kw)


def by_key(cands):
    """(set_row, form) -> (score, flag bits, provider position) of every row."""
    return {
        (int(r), int(f)): (float(s), int(b), int(p))
        for r, f, s, b, p in zip(
            cands.set_row, cands.form, cands.score, cands.flag_bits, cands.provider, strict=True
        )
    }


def thresholds(bits: int) -> int:
    return bits & sum(FLAG_BITS[f] for f in THRESHOLD_FLAGS)


def graph_cases(lo: int, hi: int, *extra):
    """n regions, random edges, gap and capacity per region, then ``extra(n)`` strategies."""
    return st.integers(lo, hi).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                min_size=n,
                max_size=3 * n,
            ),
            st.lists(st.floats(0, 1), min_size=n, max_size=n),
            st.lists(st.floats(0, 1), min_size=n, max_size=n),
            *(make(n) for make in extra),
        )
    )


cases = graph_cases(
    3,
    7,
    lambda n: st.lists(st.floats(1e4, 2e6), min_size=n, max_size=n),
    lambda n: st.integers(0, n - 1),
    lambda n: st.floats(0, 1),
)


def _case(case):
    n, pairs, gap, cap, pop, who, bump = case
    edges, ids = random_edges(n, pairs)
    return n, edges, ids, np.array(gap), np.array(cap), np.array(pop), who, bump


@settings(max_examples=40, deadline=None)
@given(cases)
def test_more_gap_never_lowers_a_joint_score(case):
    n, edges, ids, gap, cap, pop, who, bump = _case(case)
    attrs = attrs_for(edges, ids)
    before = by_key(score(attrs, ids, gap, cap, pop))
    higher = gap.copy()
    higher[who] = min(1.0, gap[who] + bump)
    after = by_key(score(attrs, ids, higher, cap, pop))
    for key, (s0, b0, _) in before.items():
        if key[1] == 0:  # joint
            s1, b1, _ = after[key]
            assert s1 >= s0 - 1e-9
            assert thresholds(b1) & ~thresholds(b0) == 0  # no threshold flag added


@settings(max_examples=40, deadline=None)
@given(cases)
def test_more_provider_capacity_never_lowers_a_contract_score(case):
    n, edges, ids, gap, cap, pop, _, bump = _case(case)
    attrs = attrs_for(edges, ids)
    base = score(attrs, ids, gap, cap, pop)
    before = by_key(base)
    for (row, form), (s0, b0, prov) in before.items():
        if form != 1:
            continue
        higher = cap.copy()
        higher[prov] = min(1.0, cap[prov] + bump)
        s1, b1, prov1 = by_key(score(attrs, ids, gap, higher, pop))[(row, form)]
        assert prov1 == prov
        assert s1 >= s0 - 1e-9
        assert thresholds(b1) & ~thresholds(b0) == 0


@settings(max_examples=40, deadline=None)
@given(cases)
def test_more_population_never_lowers_linkage_scale_or_score(case):
    n, edges, ids, gap, cap, pop, who, bump = _case(case)
    attrs = attrs_for(edges, ids)
    more = pop.copy()
    more[who] = pop[who] * (1 + 3 * bump)
    link0, link1 = linkage_values(attrs, pop, SETTINGS), linkage_values(attrs, more, SETTINGS)
    assert (link1 >= link0 * (1 - 1e-12)).all()
    before, after = score(attrs, ids, gap, cap, pop), score(attrs, ids, gap, cap, more)
    for c in (before, after):
        assert (c.components["scale"][np.isfinite(c.components["scale"])] <= 1).all()
    a, b = by_key(before), by_key(after)
    for key, (s0, b0, _) in a.items():
        assert b[key][0] >= s0 - 1e-6  # float32 components
        assert thresholds(b[key][1]) & ~thresholds(b0) == 0


@settings(max_examples=40, deadline=None)
@given(cases, st.floats(0.1, 1.0))
def test_shorter_distances_never_lower_linkage_reach_or_score(case, shrink):
    n, edges, ids, gap, cap, pop, *_ = _case(case)
    xy = np.random.default_rng(3).uniform(0, 150, size=(n, 2))
    far, near = attrs_for(edges, ids, xy=xy), attrs_for(edges, ids, xy=xy * shrink)
    assert (linkage_values(near, pop, SETTINGS) >= linkage_values(far, pop, SETTINGS) - 1e-6).all()
    a, b = by_key(score(far, ids, gap, cap, pop)), by_key(score(near, ids, gap, cap, pop))
    for key, (s0, b0, _) in a.items():
        assert b[key][0] >= s0 - 1e-6
        assert thresholds(b[key][1]) & ~thresholds(b0) == 0


@settings(max_examples=40, deadline=None)
@given(cases)
def test_scores_bounded_ranked_unique(case):
    n, edges, ids, gap, cap, pop, *_ = _case(case)
    gap[0] = np.nan  # one region without data
    cands = score(attrs_for(edges, ids), ids, gap, cap, pop)
    df = cands.frame()
    assert len(df) == len(cands)
    assert cands.positions(list(df["cluster_id"])) == {c: i for i, c in enumerate(df["cluster_id"])}
    assert list(df.columns[: len(CANDIDATE_COLUMNS)]) == list(CANDIDATE_COLUMNS)
    assert df["cluster_id"].is_unique
    assert ((df["score"] >= 0) & (df["score"] <= 1)).all()
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    flagged = cands.flagged
    key = list(zip(flagged, -df["score"], df["size"], df["cluster_id"], strict=True))
    assert key == sorted(key)  # unflagged rows first, then the score
    for row in df.itertuples():
        assert row.cluster_id == f"water-{row.form}-" + "-".join(row.members)
        assert (row.provider is None) == (row.form == "joint")
        assert 0 <= row.data_completeness <= 1
        assert ("incomplete_data" in row.flags) == (row.data_completeness < 1)
    # every set is scored as joint; as contract whenever one member has a capacity
    assert (cands.form == 0).sum() == len(cands.sets)


def test_provider_never_lacks_capacity_and_missing_data_is_penalised():
    edges, ids = random_edges(3, [(0, 1), (1, 2), (0, 2)])
    attrs = attrs_for(edges, ids, max_size=3, xy=[[0, 0], [10, 0], [0, 10]])
    cap = np.array([np.nan, 0.8, np.nan])  # 7000 has the best "capacity" nowhere: no data
    gap = np.array([0.9, 0.9, np.nan])
    cands = score(attrs, ids, gap, cap, [1e5, 1e5, 1e5], forms=("contract",))
    df = cands.frame()
    assert set(df["provider"]) == {"7001"}  # the only member with a capacity figure
    assert "7000-7002" not in " ".join(df["cluster_id"])  # no member with capacity: no contract
    full = cands.frame(np.flatnonzero(cands.completeness == 1))
    part = cands.frame(np.flatnonzero(cands.completeness < 1))
    assert len(part) and all("incomplete_data" in f for f in part["flags"])
    assert len(full) == 0 or all("incomplete_data" not in f for f in full["flags"])
    # the stated penalty: score = weighted components x (1 - 0.5 x (1 - completeness))
    w = np.array(list(SETTINGS.weights["contract"].values()))
    for i in range(len(cands)):
        comps = cands.component_matrix("contract", [i])[0]
        plain = float(np.clip(comps @ (w / w.sum()), 0, 1))
        factor = 1 - SETTINGS.missing_penalty * (1 - float(cands.completeness[i]))
        assert cands.score[i] == pytest.approx(plain * factor, abs=1e-6)


def test_reach_from_the_provider_or_the_central_seat():
    # a path of three regions 50 km apart: the middle one is the central seat
    edges, ids = random_edges(3, [(0, 1), (1, 2)])
    edges["kind"] = "land"
    attrs = attrs_for(edges, ids, max_size=3, xy=[[0, 0], [50, 0], [100, 0]])
    pot = SectorPotential(reach_km=60.0)
    cands = score(attrs, ids, [0.9, 0.9, 0.9], [0.9, 0.1, 0.1], [1e5] * 3, potential=pot)
    df = cands.frame().set_index("cluster_id")
    # joint: from 7001 every seat is 50 km away (within 60)
    assert "beyond_reach" not in df.loc["water-joint-7000-7001-7002", "flags"]
    # contract: 7000 provides; 7002 is 100 km from its seat
    assert "beyond_reach" in df.loc["water-contract-7000-7001-7002", "flags"]
    assert "beyond_reach" not in df.loc["water-contract-7000-7001", "flags"]
    reach = df.loc["water-joint-7000-7001-7002", "score_components"]["reach"]
    assert reach == pytest.approx(1 - 50 / 120, abs=1e-6)


def test_sea_limit_and_flagged_rows_rank_last():
    # 7000-7001 share a land border; 7001-7002 only a 12 km maritime link
    edges, ids = random_edges(3, [(0, 1), (1, 2)])
    edges["kind"] = ["land", "maritime"]
    edges["distance_km"] = [0.0, 12.0]
    attrs = attrs_for(edges, ids, max_size=3, xy=[[0, 0], [10, 0], [25, 0]])
    gap, cap, pop = [0.9, 0.9, 0.9], [0.9, 0.1, 0.1], [1e5] * 3
    piped = score(attrs, ids, gap, cap, pop, potential=SectorPotential(sea_km=5.0))
    boats = score(attrs, ids, gap, cap, pop, potential=SectorPotential(sea_km=None))
    flags = piped.frame().set_index("cluster_id")["flags"]
    assert "sea_crossing" in flags["water-joint-7001-7002"]
    assert "sea_crossing" in flags["water-contract-7000-7001-7002"]
    assert "sea_crossing" not in flags["water-joint-7000-7001"]
    assert not any("sea_crossing" in f for f in boats.frame()["flags"])
    assert piped.flagged[-1] and not piped.flagged[0]


def test_linkage_is_the_weakest_members_strongest_tie():
    edges, ids = random_edges(3, [(0, 1), (1, 2)])
    attrs = attrs_for(edges, ids, max_size=3, xy=[[0, 0], [20, 0], [60, 0]])
    pop = np.array([1e6, 1e6, 1e5])
    raw = linkage_values(attrs, pop, SETTINGS)
    three = int(np.flatnonzero(attrs.size == 3)[0])
    # 7002's strongest tie is to 7001 (40 km road): 1e6 * 1e5 / 40^2
    assert raw[three] == pytest.approx(1e11 / 40**2, rel=1e-5)
    assert linkage_score(np.array([SETTINGS.linkage_low, SETTINGS.linkage_high]), SETTINGS) == (
        pytest.approx([0.0, 1.0])
    )


def test_complementarity_rewards_a_dense_core_with_a_sparse_hinterland():
    edges, ids = random_edges(2, [(0, 1)])
    attrs = attrs_for(edges, ids, max_size=2, xy=[[0, 0], [10, 0]])
    core = score(attrs, ids, [0.9, 0.9], [0.5, 0.5], [1e5, 1e5], dens=[5000, 50], forms=("joint",))
    flat = score(attrs, ids, [0.9, 0.9], [0.5, 0.5], [1e5, 1e5], dens=[60, 50], forms=("joint",))
    assert core.components["complementarity"][0] == pytest.approx(1.0)
    assert flat.components["complementarity"][0] < 0.1


def test_weights_override_and_validation():
    edges, ids = random_edges(3, [(0, 1), (1, 2)])
    attrs = attrs_for(edges, ids, max_size=3)
    kw = dict(gap=[0.9, 0.8, 0.7], cap=[0.9, 0.2, 0.1], pop=[1e5] * 3)
    only = {c: 0 for c in SETTINGS.weights["joint"]} | {"need": 1}
    only_need = score(attrs, ids, forms=("joint",), weights={"joint": only}, penalty=False, **kw)
    need = np.array([d["need"] for d in only_need.frame()["score_components"]])
    assert np.allclose(only_need.score, need, atol=1e-6)
    with pytest.raises(InputError, match="unknown joint weight"):
        score(attrs, ids, weights={"joint": {"bogus": 1}}, **kw)
    with pytest.raises(InputError, match="not all 0"):
        score(attrs, ids, weights={"joint": {c: 0 for c in SETTINGS.weights["joint"]}}, **kw)


def test_settings_missing_key_names_it():
    table = dataclasses.asdict(load_config().clusters)
    del table["joint_min_need"]
    with pytest.raises(InputError, match="joint_min_need"):
        ClusterSettings.from_mapping(table)
    table = dataclasses.asdict(load_config().clusters)
    with pytest.raises(InputError, match="linkage_low"):
        ClusterSettings.from_mapping({**table, "linkage_low": 1e12})


def test_format_number():
    assert format_number(1234567, "id") == "1.234.567"
    assert format_number(99.5, "id") == "99,5"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(float("nan"), "id") == "t.a."


# ------------------------------------------------------------------ static set attributes


@settings(max_examples=40, deadline=None)
@given(cases)
def test_set_attributes_match_brute_force(case):
    n, edges, ids, *_ = _case(case)
    attrs = attrs_for(edges, ids)
    link = {
        (a, b): k for a, b, k in zip(edges["source"], edges["target"], edges["kind"], strict=True)
    }
    for s, row in enumerate(attrs.sets):
        codes = [ids[p] for p in row if p >= 0]
        k = len(codes)
        kind = [[link.get((min(a, b), max(a, b))) for b in codes] for a in codes]
        adj = np.array([[x is not None for x in r] for r in kind])
        assert (attrs.linked(s) == adj).all()
        assert attrs.direct[s, :k].tolist() == adj.sum(axis=1).tolist()
        two = (adj | ((adj.astype(int) @ adj.astype(int)) > 0)) & ~np.eye(k, dtype=bool)
        assert attrs.within2[s, :k].tolist() == two.sum(axis=1).tolist()
        land = np.array([[x == "land" for x in r] for r in kind])
        seen, todo = {0}, [0]
        while todo:
            i = todo.pop()
            for j in np.flatnonzero(land[i]):
                if j not in seen:
                    seen.add(int(j))
                    todo.append(int(j))
        assert attrs.land_connected[s] == (len(seen) == k)
        sea = attrs.maritime.of(s)
        found = set(
            zip(attrs.maritime.i[sea].tolist(), attrs.maritime.j[sea].tolist(), strict=True)
        )
        expected = {(i, j) for i in range(k) for j in range(i + 1, k) if kind[i][j] == "maritime"}
        assert found == expected and attrs.maritime_links[s] == len(expected)
        assert np.isfinite(attrs.pair_km[s]).sum() == k * (k - 1) // 2


def test_restricted_sizes_keep_their_attributes():
    edges, ids = random_edges(7, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (0, 6), (1, 5)])
    attrs = attrs_for(edges, ids)
    keep = attrs.size <= 3
    part = subset_attributes(attrs, keep)
    rows = np.flatnonzero(keep)
    for f in dataclasses.fields(SetAttributes):
        if f.name != "maritime":
            assert np.array_equal(
                getattr(part, f.name), getattr(attrs, f.name)[rows], equal_nan=True
            )
    for new, old in enumerate(rows):
        a, b = part.maritime.of(new), attrs.maritime.of(old)
        assert part.maritime.km[a].tolist() == attrs.maritime.km[b].tolist()
        assert part.maritime.i[a].tolist() == attrs.maritime.i[b].tolist()
    chunk = attrs.rows(3, 9)
    assert np.array_equal(chunk.sets, attrs.sets[3:9])
    for new in range(len(chunk.sets)):
        assert chunk.maritime.km[chunk.maritime.of(new)].tolist() == (
            attrs.maritime.km[attrs.maritime.of(new + 3)].tolist()
        )


def test_voluntary_links_flag_their_sets_and_never_wajib():
    edges, ids = random_edges(3, [(0, 1)])
    edges["kind"] = "land"
    extra = pd.DataFrame(
        {
            "source": ["7001"],
            "target": ["7002"],
            "kind": ["voluntary"],
            "shared_border_km": [0.0],
            "distance_km": [30.0],
        }
    )
    both = pd.concat([edges, extra], ignore_index=True)
    sets = enumerate_sets(both, ids, kinds=("land", "voluntary"))
    attrs = set_attributes(
        sets,
        both,
        ids,
        perimeter_km=np.full(3, 40.0),
        province=np.array(["64"] * 3, dtype=object),
        kinds=("land", "voluntary"),
    )
    members = {tuple(ids[p] for p in r if p >= 0): s for s, r in enumerate(sets)}
    assert not attrs.voluntary[members[("7000", "7001")]]
    for key in (("7001", "7002"), ("7000", "7001", "7002")):
        assert attrs.voluntary[members[key]] and not attrs.land_connected[members[key]]
    cands = score_candidates(
        attrs,
        ids,
        sector="water",
        settings=SETTINGS,
        externality=True,
        data=RegionData(np.full(3, 0.9), np.array([0.9, 0.1, 0.1]), np.full(3, 1e5)),
    )
    df = cands.frame()
    vol = df[df["flags"].map(lambda f: "voluntary" in f)]
    assert len(vol) and not vol["wajib_indication"].any()


# ------------------------------------------------------------------ real data: Kalimantan Timur


@pytest.fixture(scope="module")
def kaltim(kaltim_shp, kaltim_indicators):
    from analysis import pipeline

    config = load_config()
    regions = pipeline.load_regions(kaltim_shp)
    table, _, _ = pipeline.load_table(
        kaltim_indicators, regions, "code_dot", "kemendagri_code_2025", config
    )
    edges = pipeline.build_adjacency(regions)
    prepared = pipeline.prepare(regions, edges, province="64")
    return config, regions, table, edges, prepared


def test_kaltim_contract_facts_and_words(kaltim):
    from analysis import pipeline

    config, regions, table, _, prepared = kaltim
    cands = pipeline.score(prepared, table, "water", config=config)
    water = pd.to_numeric(table["water_access_pct_2024"])
    best_city = water[regions["name"].str.startswith("Kota")].idxmax()
    frame = cands.frame()
    contract = frame[(frame["form"] == "contract") & (frame["provider"] == best_city)]
    assert len(contract) > 0
    row = contract.iloc[[0]]
    out, _ = pipeline.finalize(cands.take(row.index), top=None, stability_draws=0)
    assert out["explanation"].iloc[0] == ""  # analysis gives facts; presentation writes words
    (facts,) = pipeline.explain(cands, out)
    assert facts.form == "contract" and facts.codes[facts.provider] == best_city
    assert facts.service == facts.provider
    # capacity: the heaviest term first, provider first; client gap = 100 - access
    assert facts.capacity[0].term.id == "water_access"
    assert facts.capacity[0].values[0] == (
        best_city,
        regions.at[best_city, "name"],
        water[best_city],
    )
    for code, _, value in facts.gap[0].values:
        assert code != best_city and value == pytest.approx(100 - water[code])
    assert facts.population > 0 and facts.population_year == 2024 and facts.border_km >= 0
    assert {i for i, _ in facts.seat_km} == set(facts.clients)
    assert all(d > 0 for _, d in facts.seat_km) and facts.reach_km == 93.0
    out = explain_rows(cands, out)
    text = out["explanation"].iloc[0]
    assert regions.at[best_city, "name"] in text
    assert f"{format_number(water[best_city], 'id')}% (2024)" in text
    client = [m for m in row["members"].iloc[0] if m != best_city][0]
    assert f"{format_number(water[client], 'id')}% (2024)" in text
    assert "jiwa (2024)" in text and "km" in text and "1.300.000 jiwa" in text
    assert out["data_years"].iloc[0]["water_access_pct_2024"] == 2024
    en = explain_rows(cands, out, lang="en")["explanation"].iloc[0]
    assert "Provider" in en and f"{water[best_city]:.1f}%" in en and "service radius" in en


def test_kaltim_every_set_scored_and_stability(kaltim):
    from analysis import pipeline

    config, _, table, _, prepared = kaltim
    cands = pipeline.score(prepared, table, "water", config=config)
    assert set(cands.form_names) == {"joint", "contract"}
    assert (cands.form == 0).sum() == prepared.n_sets  # every set, joint
    assert cands.wajib.any()  # water has the externality flag
    assert pipeline.scope_gap(cands).index.tolist() == list(prepared.ids)
    out, _ = pipeline.finalize(cands, top=None, stability_rows=10)
    stab = out["stability"].tolist()
    assert all(0 <= s <= 1 for s in stab[:10]) and set(stab[10:]) == {None}
    again, _ = pipeline.finalize(cands, top=None, stability_rows=10)
    assert stab == again["stability"].tolist()
    assert stab[0] > 0.5  # the best candidate survives most re-weightings


def test_kaltim_cross_province_flag(national_adm2, national_indicators):
    pytest.importorskip("pyogrio")
    from analysis import pipeline

    config = load_config()
    regions = pipeline.load_regions(national_adm2)
    regions = regions[regions["province"].isin(["64", "65", "62", "63"])]
    table, _, _ = pipeline.load_table(
        national_indicators, regions, "code_dot", "kemendagri_code_2025", config
    )
    edges = pipeline.build_adjacency(regions)
    inside = pipeline.prepare(regions, edges, province="64")
    across = pipeline.prepare(regions, edges, province="64", cross_province=True, max_size=3)
    assert not inside.attrs.cross_province.any()
    assert across.attrs.cross_province.any()
    assert inside.seats.n_estimated == 0  # idn_adm2_seats.csv sits next to idn_adm2.gpkg
    cands = pipeline.score(across, table, "water", config=config)
    assert cands.cross_province.any()
    for members in cands.members(range(len(cands))):
        assert any(m.startswith("64") for m in members)
