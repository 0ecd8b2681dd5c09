"""Background preparation of what a planner is likely to open next (no browser)."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from kerjasama.webapp import compute

LISTING = (20, "top", False)


KEY = "test-app-warm"  # the data key of these tests: other keys go to the real steps


@pytest.fixture()
def calls(monkeypatch):
    """Record what the background thread prepares for :data:`KEY` (the steps themselves are
    tested elsewhere). A warm-up thread left by another test (another data key) still reaches
    the real steps, so it cannot write into this record."""
    seen: list[tuple[str, object]] = []

    class Prep:
        ids = ("7301", "7302")

    rows = pd.DataFrame({"cluster_id": ["water-joint-7301-7302"]})
    fakes = {
        "prepared": lambda data, scope: ("prep", scope, Prep()),
        "scope_drawing": lambda data, scope, ids: ("draw", ids, "drawing"),
        "ranked": lambda data, choice: ("rank", choice, "r"),
        "shown": lambda data, choice, *listing: ("shown", listing, (rows, None)),
        "explained": lambda data, choice, rows, ids, lang: ("explain", ids, None),
        "gap": lambda ranked, scope, sector, lang: ("gap", (ranked, scope), None),
        "links": lambda data, drawing, prep, scope, lang: ("links", (drawing, prep.ids), None),
    }

    def fake(name, real):
        def step(key, *args):
            if key != KEY:
                return real(key, *args)
            label, value, result = fakes[name](*args)
            seen.append((label, value))
            return result

        return step

    monkeypatch.setattr(compute, "NEIGHBOUR_DELAY", 0.0)
    monkeypatch.setattr(compute, "_neighbours_done", set())
    for name in fakes:
        monkeypatch.setattr(compute, name, fake(name, getattr(compute, name)))
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
    compute.warm_neighbours(KEY, object(), choice, LISTING, "id")
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
    compute.warm_neighbours(KEY, object(), choice, LISTING, "id")  # the same: nothing more
    _join_warmers()
    assert len(calls) == 7
    compute.warm_neighbours(KEY, object(), choice, LISTING, "en")  # another language: explained
    _join_warmers()
    assert len(calls) == 14
    compute.warm_neighbours(KEY, object(), _choice("73", True), LISTING, "id")  # toggled back
    _join_warmers()
    assert calls[14] == ("prep", compute.Scope("73", False, True, 0.0))


def test_all_indonesia_has_no_cross_province_setting(calls):
    compute.warm_neighbours(KEY, object(), _choice(None, False), LISTING, "id")
    _join_warmers()
    assert calls == []
