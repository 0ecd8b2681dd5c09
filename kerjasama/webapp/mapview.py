"""The Leaflet map as a Streamlit custom component (components v2: no iframe, updated in place).

The component is registered once with the vendored Leaflet (``kerjasama/vendor/leaflet``, BSD-2)
prepended to our module ``leaflet_map.js``; the browser imports that module once and then only
receives the payload of :func:`kerjasama.present.map.map_payload` on each rerun. Clicks come back
as a trigger value ``click`` (``{"kind": "region" | "candidate", "id": ...}``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
LEAFLET = HERE.parent / "vendor" / "leaflet"


@cache
def _component():
    js = (LEAFLET / "leaflet.js").read_text(encoding="utf-8")
    ours = (HERE / "leaflet_map.js").read_text(encoding="utf-8")
    css = (LEAFLET / "leaflet.css").read_text(encoding="utf-8")
    css += (HERE / "leaflet_map.css").read_text(encoding="utf-8")
    return st.components.v2.component(
        "kerjasama_map", js=js + "\n" + ours, css=css, isolate_styles=False
    )


def show_map(
    payload: bytes,
    *,
    key: str,
    on_click: Callable[[], None] | None = None,
    on_resend: Callable[[], None] | None = None,
):
    """Mount (or update) the map with an encoded payload; returns the component result
    (``.click`` after a click, ``.resend`` when the browser lacks a part it was not sent)."""
    return _component()(
        data=payload,
        key=key,
        on_click_change=on_click or (lambda: None),
        on_resend_change=on_resend or (lambda: None),
        height="content",
    )
