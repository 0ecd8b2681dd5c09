"""Background preparation of the scope a planner is likely to open next (no browser)."""

from __future__ import annotations

import threading

import pytest

from kerjasama.webapp import compute


@pytest.fixture()
def calls(monkeypatch):
    """Record what the background thread prepares (the steps themselves are tested elsewhere)."""
    seen: list[tuple[str, object]] = []

    class Prep:
        ids = ("7301", "7302")

    monkeypatch.setattr(compute, "NEIGHBOUR_DELAY", 0.0)
    monkeypatch.setattr(compute, "_neighbours_done", set())
    monkeypatch.setattr(
        compute, "prepared", lambda key, data, scope: seen.append(("prep", scope)) or Prep()
    )
    monkeypatch.setattr(
        compute, "scope_drawing", lambda key, data, scope, ids: seen.append(("draw", ids))
    )
    monkeypatch.setattr(compute, "ranked", lambda key, data, choice: seen.append(("rank", choice)))
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
    compute.warm_neighbours("k", object(), choice)
    _join_warmers()
    flipped = compute.Scope("73", True, True, 0.0)
    assert calls == [
        ("prep", flipped),
        ("draw", ("7301", "7302")),
        ("rank", _choice("73", True)),
    ]
    assert calls[-1][1].sizes == choice.sizes and calls[-1][1].weights == choice.weights
    compute.warm_neighbours("k", object(), choice)  # the same again: nothing more to do
    _join_warmers()
    assert len(calls) == 3
    compute.warm_neighbours("k", object(), _choice("73", True))  # toggled: back to "off"
    _join_warmers()
    assert calls[3] == ("prep", compute.Scope("73", False, True, 0.0))


def test_all_indonesia_has_no_cross_province_setting(calls):
    compute.warm_neighbours("k", object(), _choice(None, False))
    _join_warmers()
    assert calls == []
