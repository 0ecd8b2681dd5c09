"""The interactive map: regions coloured by sector gap, adjacency links and candidate clusters.

Display only: nothing here changes the analysis. The light display geometry comes from
:mod:`geo.display`; :func:`build_map` draws a :class:`folium.Map` from it. Every string that
comes from data is HTML-escaped before it reaches the page (folium's tooltips insert values as
HTML inside JavaScript template literals); every string of ours comes from the catalogue.

The map works without internet access: Leaflet is vendored (``kerjasama/vendor/leaflet``) and
inlined as ``data:`` URLs, no tile layer is shown by default (an OpenStreetMap layer can be
switched on), and the legend and full-screen button are plain Leaflet controls. Clicks come back
through :func:`parse_click`.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from matplotlib import colormaps
from matplotlib.colors import to_hex

from common.text import translator
from geo.display import display_tolerance, drop_small_parts, label_points
from kerjasama.present.labels import form_label

LEAFLET_DIR = Path(__file__).resolve().parent.parent / "vendor" / "leaflet"

NO_DATA_COLOUR = "#c8c8c8"
LAND_COLOUR = "#37474f"
MARITIME_COLOUR = "#1565c0"
CANDIDATE_COLOUR = "#6a1b9a"
SELECTED_COLOUR = "#00bcd4"
GAP_CMAP = "YlOrRd"

# --------------------------------------------------------------------------------------------
# Colours and text
# --------------------------------------------------------------------------------------------


def gap_colours(gap: pd.Series) -> pd.Series:
    """Hex colour per region for a gap in [0, 1] (YlOrRd; grey where NaN)."""
    values = pd.to_numeric(gap, errors="coerce")
    cmap = colormaps[GAP_CMAP]
    rgba = cmap(np.clip(values.fillna(0.0).to_numpy(dtype=float), 0.0, 1.0))
    colours = [to_hex(c) for c in rgba]
    out = pd.Series(colours, index=gap.index, dtype=object)
    out[values.isna()] = NO_DATA_COLOUR
    return out


def gap_legend_detail(sector: object, lang: str) -> str:
    """``label (unit, year)`` of each gap term of a config ``Sector``, joined with ``; ``."""
    parts = []
    for term in getattr(sector, "gap", ()):
        label = term.label(lang) if hasattr(term, "label") else str(term)
        unit = term.unit_label(lang) if hasattr(term, "unit_label") else term.unit
        extra = ", ".join(str(v) for v in (unit, term.year) if v not in (None, ""))
        parts.append(f"{label} ({extra})" if extra else label)
    return "; ".join(parts)


def _esc(value: object) -> str:
    """HTML-escape a data string; also neutralise backticks and ``$`` because folium puts
    tooltip text inside JavaScript template literals."""
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;")


def _js_string(text: str) -> str:
    """A JavaScript string literal safe inside a ``<script>`` element."""
    return json.dumps(text).replace("</", "<\\/")


def _fmt(value: object, digits: int = 2) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return "" if math.isnan(number) else f"{number:.{digits}f}"


# --------------------------------------------------------------------------------------------
# GeoJSON layers (dicts; every string escaped)
# --------------------------------------------------------------------------------------------


def region_features(
    display: gpd.GeoDataFrame, gap: pd.Series | None = None, *, lang: str = "id"
) -> dict:
    """FeatureCollection of the regions with escaped ``name`` and the gap (colour, text)."""
    tr = translator(lang)
    gap = (
        pd.Series(np.nan, index=display.index)
        if gap is None
        else pd.to_numeric(gap.reindex(display.index), errors="coerce")
    )
    colours = gap_colours(gap)
    features = []
    geojson = shapely.to_geojson(np.asarray(display.geometry.values))
    for code, name, province, geom, value, colour in zip(
        display.index,
        display["name"],
        display["province"],
        geojson,
        gap,
        colours,
        strict=True,
    ):
        text = tr("ui.tooltip_no_data") if pd.isna(value) else f"{value:.2f}"
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geom),
                "properties": {
                    "kind": "region",
                    "code": _esc(code),
                    "name": _esc(name),
                    "province": _esc(province),
                    "gap": None if pd.isna(value) else round(float(value), 4),
                    "gap_text": _esc(text),
                    "fill": colour,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def edge_features(edges: pd.DataFrame, points: pd.DataFrame, *, lang: str = "id") -> dict:
    """FeatureCollection of adjacency links between the label points of both ends.

    Links with an end outside ``points`` (outside the drawn scope) are left out of the drawing.
    """
    tr = translator(lang)
    inside = edges["source"].isin(points.index) & edges["target"].isin(points.index)
    shown = edges.loc[inside]
    src = points.loc[shown["source"]].to_numpy()
    dst = points.loc[shown["target"]].to_numpy()
    features = []
    for (x0, y0), (x1, y1), kind, border, dist in zip(
        np.round(src, 5),
        np.round(dst, 5),
        shown["kind"],
        shown["shared_border_km"],
        shown["distance_km"],
        strict=True,
    ):
        label = (
            tr("ui.edge_land", km=_fmt(border, 1))
            if kind == "land"
            else tr("ui.edge_maritime", km=_fmt(dist, 1))
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[x0, y0], [x1, y1]]},
                "properties": {"kind": "edge", "edge_kind": _esc(kind), "label": _esc(label)},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def candidate_outlines(candidates: pd.DataFrame, display: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Outline of each candidate: the union of its members' display geometry, simplified
    again (islets dropped) because outlines of overlapping candidates repeat the same coasts.

    Returns a GeoDataFrame indexed by ``cluster_id`` (candidates' order) with ``rank``.
    """
    tol = display_tolerance(display)
    geoms = display.geometry
    merged = []
    for members in candidates["members"]:
        parts = geoms.reindex([m for m in members if m in geoms.index]).to_numpy()
        union = shapely.coverage_union_all(parts)  # display geometry is a coverage: fast
        if not union.is_valid:
            union = shapely.union_all(shapely.make_valid(parts))
        merged.append(union)
    outline = drop_small_parts(np.asarray(merged, dtype=object), (6.0 * tol) ** 2)
    outline = shapely.simplify(outline, 2.0 * tol, preserve_topology=False)
    out = gpd.GeoDataFrame(
        {"rank": candidates["rank"].astype(int).to_numpy()},
        geometry=outline,
        index=pd.Index(candidates["cluster_id"].astype(str).to_numpy(), name="cluster_id"),
        crs=display.crs,
    )
    return out


def candidate_label(row: Mapping, lang: str) -> str:
    """Plain-text label ``#rank form · score s: names`` of one candidate row (not escaped)."""
    tr = translator(lang)
    names = ", ".join(str(n) for n in (row.get("member_names") or ()))
    head = tr(
        "ui.tooltip_candidate",
        rank=row.get("rank"),
        form=form_label(str(row.get("form")), lang),
        score=_fmt(row.get("score"), 3),
    )
    return f"{head}: {names}"


def candidate_features(
    candidates: pd.DataFrame,
    display: gpd.GeoDataFrame,
    *,
    lang: str = "id",
    outlines: gpd.GeoDataFrame | None = None,
) -> dict:
    """FeatureCollection of candidate outlines with escaped ``label`` and ``cluster_id``."""
    if outlines is None:
        outlines = candidate_outlines(candidates, display)
    rows = candidates.set_index("cluster_id")
    features = []
    geojson = shapely.to_geojson(np.asarray(outlines.geometry.values))
    for cluster_id, geom in zip(outlines.index, geojson, strict=True):
        row = rows.loc[cluster_id]
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geom),
                "properties": {
                    "kind": "candidate",
                    "cluster_id": _esc(cluster_id),
                    "rank": int(row["rank"]),
                    "label": _esc(candidate_label(row.to_dict(), lang)),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------------------------
# Leaflet controls (legend, full screen) and offline assets
# --------------------------------------------------------------------------------------------


class _Control(MacroElement):
    """A Leaflet control whose content is fixed HTML (already escaped)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var ctl = L.control({position: {{ this.position_js }}});
            ctl.onAdd = function(map) {
                var div = L.DomUtil.create('div', {{ this.css_class_js }});
                div.innerHTML = {{ this.html_js }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            ctl.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, content_html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "KerjasamaControl"
        self.html_js = _js_string(content_html)
        self.position_js = _js_string(position)
        self.css_class_js = _js_string(css_class)


class _FullScreen(MacroElement):
    """A full-screen button (browser Fullscreen API; no plugin download needed)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var ICON = '<svg width="16" height="16" viewBox="0 0 16 16" style="margin-top:7px">'
                + '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" '
                + 'stroke="#333" stroke-width="2"/></svg>';
            L.control.scale({imperial: false}).addTo(map);
            var ctl = L.control({position: 'topleft'});
            ctl.onAdd = function() {
                var bar = L.DomUtil.create('div', 'leaflet-bar kerjasama-fullscreen');
                var a = L.DomUtil.create('a', '', bar);
                a.href = '#'; a.title = {{ this.title_js }}; a.innerHTML = ICON;
                a.setAttribute('role', 'button');
                L.DomEvent.on(a, 'click', function(e) {
                    L.DomEvent.stop(e);
                    var el = map.getContainer();
                    if (document.fullscreenElement) { document.exitFullscreen(); }
                    else if (el.requestFullscreen) { el.requestFullscreen(); }
                });
                document.addEventListener('fullscreenchange', function() {
                    map.invalidateSize();
                });
                return bar;
            };
            ctl.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str) -> None:
        super().__init__()
        self._name = "KerjasamaFullScreen"
        self.title_js = _js_string(title)


@lru_cache(maxsize=2)
def _data_url(name: str, mime: str) -> str:
    payload = (LEAFLET_DIR / name).read_bytes()
    return f"data:{mime};base64," + base64.b64encode(payload).decode("ascii")


def _use_vendored_assets(m: folium.Map) -> None:
    """Replace the CDN script/style links of every element by the inlined vendored Leaflet."""

    def walk(element: object):
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(m):
        if hasattr(element, "default_js"):
            element.default_js = []
        if hasattr(element, "default_css"):
            element.default_css = []
    m.default_js = [("leaflet", _data_url("leaflet.js", "text/javascript"))]
    m.default_css = [("leaflet_css", _data_url("leaflet.css", "text/css"))]


def _legend_html(title: str, lang: str) -> str:
    tr = translator(lang)
    stops = np.linspace(0.0, 1.0, 6)
    colours = gap_colours(pd.Series(stops))
    gradient = ", ".join(colours)
    return (
        f'<div style="font-weight:600;max-width:220px;margin-bottom:4px">{_esc(title)}</div>'
        f'<div style="height:12px;width:220px;background:linear-gradient(to right, {gradient})">'
        "</div>"
        '<div style="display:flex;justify-content:space-between;width:220px">'
        "<span>0</span><span>0.5</span><span>1</span></div>"
        f'<div><span style="display:inline-block;width:12px;height:12px;'
        f'background:{NO_DATA_COLOUR};vertical-align:middle"></span> '
        f"{_esc(tr('ui.legend_no_data'))}</div>"
        f'<div><span style="display:inline-block;width:22px;border-top:3px solid {LAND_COLOUR};'
        f'vertical-align:middle"></span> {_esc(tr("ui.layer_land"))}</div>'
        f'<div><span style="display:inline-block;width:22px;border-top:3px dashed '
        f'{MARITIME_COLOUR};vertical-align:middle"></span> {_esc(tr("ui.layer_maritime"))}</div>'
        f'<div><span style="display:inline-block;width:22px;border-top:3px solid '
        f'{CANDIDATE_COLOUR};vertical-align:middle"></span> {_esc(tr("ui.layer_candidates"))}</div>'
    )


_CSS = (
    "<style>"
    ".kerjasama-legend {background: rgba(255,255,255,0.92); padding: 6px 8px;"
    " font: 11px/1.35 sans-serif; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);}"
    f".kerjasama-rank {{background: #fff; border: 2px solid {CANDIDATE_COLOUR};"
    " border-radius: 50%; width: 22px; height: 22px; line-height: 18px; text-align: center;"
    f" font: bold 12px sans-serif; color: {CANDIDATE_COLOUR}; cursor: pointer;}}"
    f".kerjasama-rank.selected {{background: {SELECTED_COLOUR}; color: #fff;"
    " border-color: #004d55;}"
    ".leaflet-container {background: #eef3f7;}"
    ".kerjasama-fullscreen a {cursor: pointer;}"
    ".leaflet-control-layers {font-size: 12px; line-height: 1.3;}"
    ".leaflet-control-layers-expanded {padding: 4px 8px;}"
    "</style>"
)


def build_map(
    display: gpd.GeoDataFrame,
    *,
    gap: pd.Series | None = None,
    edges: pd.DataFrame | None = None,
    candidates: pd.DataFrame | None = None,
    legend_title: str = "",
    selected: str | None = None,
    lang: str = "id",
    show_edges: bool = True,
    height: int | str = "100%",
    outlines: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Draw the cooperation map.

    Parameters
    ----------
    display
        Output of :func:`display_regions` (index ``code``).
    gap
        Per-region sector gap in [0, 1] (NaN = no data), indexed by code.
    edges
        Adjacency edge table (``source, target, kind, shared_border_km, distance_km``).
    candidates
        Candidates to outline and number (rank order), with ``cluster_id``, ``rank``, ``form``,
        ``score``, ``members``, ``member_names``.
    legend_title
        Legend heading (sector gap, unit and year); escaped here.
    selected
        ``cluster_id`` drawn highlighted.
    lang
        ``"id"`` or ``"en"``.
    show_edges
        Draw the adjacency links.
    outlines
        Precomputed :func:`candidate_outlines` of ``candidates`` (computed when None).

    Returns
    -------
    folium.Map
        Without tiles (an OpenStreetMap overlay is available, off), Leaflet inlined.
    """
    tr = translator(lang)
    minx, miny, maxx, maxy = display.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=6,
        tiles=None,
        control_scale=False,
        prefer_canvas=len(display) > 150,  # canvas draws hundreds of polygons much faster
        height=height,
    )
    m.get_root().header.add_child(folium.Element(_CSS))
    folium.TileLayer(
        "OpenStreetMap", name=tr("ui.layer_osm"), overlay=True, show=False, control=True
    ).add_to(m)

    regions = folium.GeoJson(
        region_features(display, gap, lang=lang),
        name=tr("ui.layer_regions"),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#616161",
            "weight": 0.6,
            "fillOpacity": 0.75,
        },
        highlight_function=lambda f: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "code", "gap_text"],
            aliases=[
                _esc(tr("ui.tooltip_region")),
                _esc(tr("ui.tooltip_code")),
                _esc(tr("ui.tooltip_gap")),
            ],
            sticky=True,
        ),
    )
    regions.add_to(m)

    if show_edges and edges is not None and len(edges):
        points = label_points(display)
        lines = edge_features(edges, points, lang=lang)
        for kind, key, colour, dash in (
            ("land", "ui.layer_land", LAND_COLOUR, None),
            ("maritime", "ui.layer_maritime", MARITIME_COLOUR, "6 6"),
        ):
            subset = {
                "type": "FeatureCollection",
                "features": [f for f in lines["features"] if f["properties"]["edge_kind"] == kind],
            }
            if not subset["features"]:
                continue
            folium.GeoJson(
                subset,
                name=tr(key),
                style_function=lambda f, c=colour, d=dash: {
                    "color": c,
                    "weight": 1.6,
                    "opacity": 0.8,
                    "dashArray": d,
                },
                tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
            ).add_to(m)

    if candidates is not None and len(candidates):
        if outlines is None:
            outlines = candidate_outlines(candidates, display)
        shapes = candidate_features(candidates, display, lang=lang, outlines=outlines)
        # the selected outline last, so it is drawn on top of the others
        shapes["features"].sort(key=lambda f: f["properties"]["cluster_id"] == _esc(selected))
        chosen = _esc(selected) if selected is not None else None
        group = folium.FeatureGroup(name=tr("ui.layer_candidates"))
        folium.GeoJson(
            shapes,
            style_function=lambda f: {
                "fill": False,
                "color": SELECTED_COLOUR
                if f["properties"]["cluster_id"] == chosen
                else CANDIDATE_COLOUR,
                "weight": 5 if f["properties"]["cluster_id"] == chosen else 2,
                "opacity": 0.95 if f["properties"]["cluster_id"] == chosen else 0.6,
            },
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(group)
        anchors = label_points(outlines)
        for cluster_id, row in anchors.iterrows():
            rank = int(outlines.loc[cluster_id, "rank"])
            css = "kerjasama-rank selected" if cluster_id == selected else "kerjasama-rank"
            label = candidates.loc[candidates["cluster_id"] == cluster_id].iloc[0].to_dict()
            folium.Marker(
                [float(row["lat"]), float(row["lon"])],
                icon=folium.DivIcon(
                    html=f'<div class="{css}">{rank}</div>',
                    icon_size=(22, 22),
                    icon_anchor=(11, 11),
                ),
                tooltip=_esc(candidate_label(label, lang)),
                # better ranks (and the selected candidate) drawn on top where numbers overlap
                z_index_offset=10_000 if cluster_id == selected else 1_000 - rank,
            ).add_to(group)
        group.add_to(m)

    title = legend_title or tr("ui.tooltip_gap")
    _Control(
        _legend_html(title, lang), position="bottomright", css_class="kerjasama-legend"
    ).add_to(m)
    _FullScreen(tr("ui.presentation_label")).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds([[float(miny), float(minx)], [float(maxy), float(maxx)]])
    _use_vendored_assets(m)
    return m


# --------------------------------------------------------------------------------------------
# Interaction helpers
# --------------------------------------------------------------------------------------------


def parse_click(
    feature: Mapping | None, anchors: pd.DataFrame | None = None
) -> tuple[str, str] | None:
    """Turn streamlit-folium's ``last_active_drawing`` into ``("region", code)``,
    ``("candidate", cluster_id)`` or None.

    ``anchors`` (``lon``, ``lat`` indexed by ``cluster_id``, from :func:`candidate_anchors`)
    resolves a click on a numbered marker, which carries no properties.
    """
    if not feature:
        return None
    props = feature.get("properties") or {}
    kind = props.get("kind")
    if kind == "region" and props.get("code"):
        return ("region", html.unescape(str(props["code"])))
    if kind == "candidate" and props.get("cluster_id"):
        return ("candidate", html.unescape(str(props["cluster_id"])))
    geometry = feature.get("geometry") or {}
    if geometry.get("type") == "Point" and anchors is not None and len(anchors):
        lon, lat = geometry.get("coordinates", [None, None])[:2]
        if lon is None or lat is None:
            return None
        dist = (anchors["lon"] - float(lon)) ** 2 + (anchors["lat"] - float(lat)) ** 2
        if float(dist.min()) < 1e-8:
            return ("candidate", str(dist.idxmin()))
    return None


def candidate_anchors(candidates: pd.DataFrame, display: gpd.GeoDataFrame) -> pd.DataFrame:
    """Where each candidate's number is drawn (``lon``, ``lat``), indexed by ``cluster_id``."""
    return label_points(candidate_outlines(candidates, display))


def candidates_with_region(candidates: pd.DataFrame, code: str) -> pd.DataFrame:
    """The candidates (rows, in rank order) whose members include ``code``."""
    mask = candidates["members"].map(lambda members: code in tuple(members))
    return candidates.loc[mask.to_numpy(dtype=bool)]
