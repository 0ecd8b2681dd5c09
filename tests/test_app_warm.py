"""Background preparation of what a planner is likely to open next (no browser)."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from kerjasama.webapp import compute

LISTING = (20, "top", False)


@pytest.fixture()
def calls(monkeypatch):
    """Record what the background thread prepares (the steps themselves are tested elsewhere)."""
    seen: list[tuple[str, object]] = []

    class Prep:
        ids = ("7301", "7302")

    rows = pd.DataFrame({"cluster_id": ["water-joint-7301-7302"]})

    def record(name, value, result=None):
        seen.append((name, value))
        return result

    monkeypatch.setattr(compute, "NEIGHBOUR_DELAY", 0.0)
    monkeypatch.setattr(compute, "_neighbours_done", set())
    monkeypatch.setattr(compute, "prepared", lambda key, data, scope: record("prep", scope, Prep()))
    monkeypatch.setattr(
        compute, "scope_drawing", lambda key, data, scope, ids: record("draw", ids, "drawing")
    )
    monkeypatch.setattr(compute, "ranked", lambda key, data, choice: record("rank", choice, "r"))
    monkeypatch.setattr(
        compute, "shown", lambda key, data, choice, *listing: record("shown", listing, (rows, None))
    )
    monkeypatch.setattr(
        compute, "explained", lambda key, data, choice, rows, ids, lang: record("explain", ids)
    )
    monkeypatch.setattr(
        compute, "gap", lambda key, ranked, scope, sector, lang: record("gap", (ranked, scope))
    )
    monkeypatch.setattr(
        compute,
        "links",
        lambda key, data, drawing, codes, maritime, lang: record("links", (drawing, codes)),
    )
    return seen


def _join_warmers() -> None:
    for thread in threading.enumerate():
        if thread.name == "kerjasama-warm-scope":
            thread.join(timeout=30)


def _choice(province, cross):
    scope = compute.Scope(province, cross, True, 0.0)
    return compute.Choice.of(scope, (2, 5), "water", ("joint",), {"joint": {"need": 1.0}})


def test_the_other_cross_province_setting_is_prepared_once(calls):
    choice = _choice("73", False)
    compute.warm_neighbours("k", object(), choice, LISTING, "id")
    _join_warmers()
    flipped = compute.Scope("73", True, True, 0.0)
    assert calls == [
        ("prep", flipped),
        ("draw", ("7301", "7302")),
        ("rank", _choice("73", True)),
        ("shown", LISTING),
        ("explain", ("water-joint-7301-7302",)),
        ("gap", ("r", flipped)),
        ("links", ("drawing", ("7301", "7302"))),
    ]
    assert calls[2][1].sizes == choice.sizes and calls[2][1].weights == choice.weights
    compute.warm_neighbours("k", object(), choice, LISTING, "id")  # the same: nothing more
    _join_warmers()
    assert len(calls) == 7
    compute.warm_neighbours("k", object(), choice, LISTING, "en")  # another language: explained
    _join_warmers()
    assert len(calls) == 14
    compute.warm_neighbours("k", object(), _choice("73", True), LISTING, "id")  # toggled back
    _join_warmers()
    assert calls[14] == ("prep", compute.Scope("73", False, True, 0.0))


def test_all_indonesia_has_no_cross_province_setting(calls):
    compute.warm_neighbours("k", object(), _choice(None, False), LISTING, "id")
    _join_warmers()
    assert calls == []
