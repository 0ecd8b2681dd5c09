"""Plausibility of the suggestions on real data (issue 11, item 8), the distinct list, nothing
dropped, and voluntary links.

These read the shared data in place (``KERJASAMA_DATA``): the national kab/kota boundaries with
their seat table, and the national indicator table.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis import pipeline
from analysis.config import load_config

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def national(national_adm2, national_indicators):
    config = load_config()
    regions = pipeline.load_regions(national_adm2)
    table, _, _ = pipeline.load_table(national_indicators, regions, None, None, config)
    edges = pipeline.build_adjacency(regions)
    seats = pipeline.load_seats(regions, None, config)
    return config, regions, table, edges, seats


def _scored(national, sector, province=None, **kw):
    config, regions, table, edges, seats = national
    prepared = pipeline.prepare(regions, edges, province=province, seats=seats, **kw)
    return prepared, pipeline.score(prepared, table, sector, config=config)


def jaccard(a, b) -> float:
    return len(set(a) & set(b)) / len(set(a) | set(b))


def test_kaltim_water_top_list_within_reach_and_distinct(national):
    _, cands = _scored(national, "water", "64")
    top, _ = pipeline.finalize(cands, top=10, stability_draws=0)
    assert len(top) >= 1
    for facts in pipeline.explain(cands, top.head(5)):
        # no client seat beyond the sector's reach from its provider's (or central) seat
        assert facts.reach_km == 93.0 and not facts.beyond
        assert all(km <= facts.reach_km for _, km in facts.seat_km)
    members = list(top["members"])
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            assert jaccard(a, b) <= 0.5
    providers = [p for p in top["provider"] if p is not None]
    assert all(providers.count(p) <= 2 for p in providers)


def test_national_water_top_20_within_reach_and_never_across_open_sea(national):
    _, cands = _scored(national, "water")
    top, _ = pipeline.finalize(cands, top=20, stability_draws=0)
    assert len(top) == 20
    for facts in pipeline.explain(cands, top):
        assert not facts.beyond and not facts.sea_crossing
        assert all(km <= 93.0 for _, km in facts.seat_km)
    assert not any("sea_crossing" in f for f in top["flags"])
    portfolio, result = pipeline.finalize(cands, portfolio=True, stability_draws=0)
    assert result.optimal and not any(portfolio["flags"].map(len))
    # a water contract that needs a sea link longer than 5 km is flagged and ranks after every
    # suggestion
    crossing = np.flatnonzero(
        (cands.form == 1) & np.array(["sea_crossing" in f for f in cands.frame()["flags"]])
    )
    assert len(crossing) and (crossing > np.flatnonzero(~cands.flagged).max()).all()


def test_ntt_waste_never_has_a_provider_without_capacity_data(national):
    _, cands = _scored(national, "waste", "53", cross_province=True)
    capacity = cands.regions["capacity"]
    contract = cands.frame(cands.rows_of("contract"))
    assert len(contract)
    assert capacity.reindex(contract["provider"]).notna().all()
    # members without data are named, never printed as a number
    rows = cands.frame(np.flatnonzero(cands.completeness < 1)[:20])
    for facts in pipeline.explain(cands, rows):
        assert facts.missing and facts.completeness < 1
    from kerjasama.present.words import explain_rows

    text = " ".join(explain_rows(cands, rows, "id")["explanation"])
    assert "t.a." not in text and "tidak ada data" in text


def test_every_connected_set_is_scored_and_counted(national):
    prepared, cands = _scored(national, "water")
    assert (cands.form == 0).sum() == prepared.n_sets
    with_capacity = np.isfinite(cands.regions["capacity"].to_numpy())
    sets = prepared.attrs.sets
    has = (np.where(sets >= 0, with_capacity[np.maximum(sets, 0)], False)).any(axis=1)
    assert (cands.form == 1).sum() == int(has.sum())
    assert 0 < cands.flag_count() < len(cands)
    every, _ = pipeline.finalize(cands, top=None, stability_draws=0)
    assert len(every) == len(cands)


def test_voluntary_links_join_non_bordering_regions(national):
    # Kota Blitar and Kab. Tulungagung are 2.4 km apart across Kab. Blitar (docs/geo.md)
    prepared, cands = _scored(national, "economy", "35", voluntary_km=40, max_size=2)
    rows = cands.frame()
    pair = rows[rows["members"].map(lambda m: set(m) == {"3504", "3572"})]
    assert len(pair) == 1 and "voluntary" in pair["flags"].iloc[0]
    assert not pair["wajib_indication"].iloc[0]
    plain, _ = _scored(national, "economy", "35", max_size=2)
    assert prepared.n_sets > plain.n_sets
    # the map and the briefing pack draw the links the sets were built on
    edges = national[3]
    links = pipeline.scope_links(edges, prepared)
    voluntary = links[links["kind"] == "voluntary"]
    assert len(links) == len(edges) + len(voluntary) and len(voluntary)
    assert {("3504", "3572")} <= set(zip(voluntary["source"], voluntary["target"], strict=True))
    assert (voluntary["distance_km"] <= 40).all()
    assert set(voluntary["source"]) | set(voluntary["target"]) <= set(prepared.ids)
    assert pipeline.scope_links(edges, plain) is edges  # none asked for: as they are
