"""The map on the page: folium drawn by streamlit-folium.

The base map of a scope (:func:`kerjasama.present.map.base_map`: regions, names, search,
legend frame) is the same on every rerun of that scope, so streamlit-folium keeps the map in
the browser (no reload, the user's zoom kept) and only replaces the feature groups (candidates,
colours, links; an agreements layer is one more group). Only clicks on a layer come back
(``last_active_drawing``): panning and zooming do not rerun the app.
"""

from __future__ import annotations

from collections.abc import Callable

import folium
from streamlit_folium import st_folium

from kerjasama.present import map as webmap

#: what the browser reports back: the feature of the clicked layer (with a click counter, so a
#: second click on the same candidate reports again), nothing on pan or zoom
RETURNED = ["last_active_drawing"]


def show_map(
    drawing,
    groups: list[folium.FeatureGroup],
    *,
    key: str,
    height: int,
    on_click: Callable[[], None] | None = None,
):
    """Draw the scope's base map (from the cached ``drawing``) with ``groups``; after a click,
    ``st.session_state[key]`` holds what streamlit-folium reported and ``on_click`` runs."""
    base = webmap.base_map(drawing.layer, drawing.bounds, data_js=drawing.layer_js)
    return st_folium(
        base,
        key=key,
        feature_group_to_add=groups,
        returned_objects=RETURNED,
        use_container_width=True,
        height=height,
        render=False,
        on_change=on_click,
    )
