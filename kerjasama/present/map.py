"""The interactive map: regions, gap colours, links and candidates, drawn with folium.

Display only: nothing here changes the analysis. The light display geometry comes from
:mod:`geo.display`; the functions here turn it, the gap scores, the adjacency links and the
candidates into plain data (FeatureCollections, texts) and into folium elements for
streamlit-folium: :func:`base_map` (per scope: regions, names, search, legend frame; kept in
the browser) and feature groups for what changes with a widget (:func:`candidate_group` with
the sector's colours, :func:`link_group`; an agreements layer is one more group).

Data strings (names, hover texts) stay plain text: the scripts of
:mod:`kerjasama.present.mapscript` write them with ``textContent``, never as HTML. Every number is
written in the chosen language (:func:`common.text.fmt_number`). No tiles, no CDN: the map
works offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.template import Template
from folium.utilities import JsCode
from matplotlib import colormaps
from matplotlib.colors import to_hex

from common.text import fmt_number, translator
from geo.display import display_tolerance, drop_small_parts, label_points
from kerjasama.present import mapscript
from kerjasama.present.labels import form_label

LEAFLET_DIR = Path(__file__).resolve().parent.parent / "vendor" / "leaflet"

NO_DATA_COLOUR = "#c8c8c8"
#: regions drawn around a province as context, outside the scope (:func:`context_codes`)
OUTSIDE_COLOUR = "#f4f4f4"
LAND_COLOUR = "#37474f"
MARITIME_COLOUR = "#1565c0"
VOLUNTARY_COLOUR = "#2e7d32"
CANDIDATE_COLOUR = "#6a1b9a"
TICKED_COLOUR = "#e65100"
OPENED_COLOUR = "#00bcd4"
AGREEMENT_COLOUR = "#2e7d32"
GAP_CMAP = "YlOrRd"
REGION_STYLE = {"color": "#616161", "weight": 0.7, "fillOpacity": 0.75, "fillColor": NO_DATA_COLOUR}
COORD_DIGITS = 4
#: outlines are strokes over the regions: simplified to 4 display tolerances (a pixel or two at
#: the zoom that shows the scope) and rounded to 3 decimals (~100 m)
OUTLINE_TOL = 4.0
OUTLINE_DIGITS = 3


def digest(*parts: object) -> str:
    """A short digest of the parts (cache and redraw keys)."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


# --------------------------------------------------------------------------------------------
# Colours and text
# --------------------------------------------------------------------------------------------


def gap_colours(gap: pd.Series) -> pd.Series:
    """Hex colour per region for a gap in [0, 1] (YlOrRd; grey where NaN)."""
    values = pd.to_numeric(gap, errors="coerce")
    cmap = colormaps[GAP_CMAP]
    rgba = cmap(np.clip(values.fillna(0.0).to_numpy(dtype=float), 0.0, 1.0))
    out = pd.Series([to_hex(c) for c in rgba], index=gap.index, dtype=object)
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


def candidate_label(row: Mapping, lang: str) -> str:
    """Plain-text label ``#rank form · score s: names`` of one candidate row."""
    tr = translator(lang)
    names = ", ".join(str(n) for n in (row.get("member_names") or ()))
    head = tr(
        "ui.tooltip_candidate",
        rank=row.get("rank"),
        form=form_label(str(row.get("form")), lang),
        score=fmt_number(row.get("score"), lang, decimals=3),
    )
    existing = row.get("existing")  # "sudah ada kerja sama: ..." (an overlapping agreement)
    return f"{head}: {names} — {existing}" if existing else f"{head}: {names}"


def candidates_with_region(candidates: pd.DataFrame, code: str) -> pd.DataFrame:
    """The candidates (rows, in rank order) whose members include ``code``."""
    mask = candidates["members"].map(lambda members: code in tuple(members))
    return candidates.loc[mask.to_numpy(dtype=bool)]


def _lonlat(x: float, y: float) -> list[float]:
    return [round(float(x), COORD_DIGITS), round(float(y), COORD_DIGITS)]


# --------------------------------------------------------------------------------------------
# The parts of the payload
# --------------------------------------------------------------------------------------------


def region_layer(
    display: gpd.GeoDataFrame, province_names: Mapping[str, str] | None = None
) -> dict:
    """FeatureCollection of the regions: ``code``, ``name``, ``province_name``, a ``label``
    point inside the region and its ``bbox`` (for names, search and small-island dots)."""
    points = label_points(display)
    bounds = shapely.bounds(np.asarray(display.geometry.values))
    geojson = shapely.to_geojson(np.asarray(display.geometry.values))
    names = province_names or {}
    features = []
    for i, (code, name, province) in enumerate(
        zip(display.index, display["name"], display["province"], strict=True)
    ):
        features.append(
            {
                "type": "Feature",
                "id": str(code),
                "geometry": json.loads(geojson[i]),
                "properties": {
                    "kind": "region",
                    "code": str(code),
                    "name": str(name),
                    "province_name": str(names.get(str(province), "")),
                    "label": _lonlat(points["lon"].iloc[i], points["lat"].iloc[i]),
                    "bbox": [round(float(v), COORD_DIGITS) for v in bounds[i]],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def context_codes(
    regions: pd.DataFrame, edges: pd.DataFrame, province: str, codes: Iterable[str]
) -> tuple[str, ...]:
    """The regions a province's map draws: the province's own, every region of another
    province linked to one of them by land or sea (``edges``: ``source``, ``target``), and
    ``codes`` (the scope's regions: with voluntary links they may reach further), sorted.

    Drawn whichever way the cross-province and sea toggles are set, the base map stays the same
    when they move (only its colours change); the regions outside the scope are drawn pale.
    """
    prov = regions["province"].astype(str)
    own = set(map(str, prov.index[prov == str(province)]))
    source, target = edges["source"].astype(str), edges["target"].astype(str)
    touching = source.isin(own) | target.isin(own)
    near = set(source[touching]) | set(target[touching])
    return tuple(sorted(own | near | set(map(str, codes))))


def gap_layer(gap: pd.Series, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(fill colour, gap written in the language) per region code; no entry = no data."""
    values = pd.to_numeric(gap, errors="coerce")
    colours = gap_colours(values)
    known = values.notna()
    fill = {str(c): colours[c] for c in values.index[known]}
    text = {str(c): fmt_number(float(values[c]), lang, decimals=2) for c in values.index[known]}
    return fill, text


_EDGE_TEXT = {
    "land": "ui.edge_land",
    "maritime": "ui.edge_maritime",
    "voluntary": "ui.edge_voluntary",
}


def link_layer(edges: pd.DataFrame, points: pd.DataFrame, lang: str) -> list[dict]:
    """Adjacency links between the label points of both ends, with their length in words:
    the shared border of a land link, the distance of a maritime link, the seat distance of a
    voluntary link (``kind`` as in ``edges``).

    Links with an end outside ``points`` (outside the drawn scope) are left out.
    """
    tr = translator(lang)
    inside = edges["source"].isin(points.index) & edges["target"].isin(points.index)
    shown = edges.loc[inside]
    src = points.loc[shown["source"]].to_numpy()
    dst = points.loc[shown["target"]].to_numpy()
    out = []
    for (x0, y0), (x1, y1), kind, border, dist in zip(
        src, dst, shown["kind"], shown["shared_border_km"], shown["distance_km"], strict=True
    ):
        kind = kind if kind in _EDGE_TEXT else "land"
        km = fmt_number(border if kind == "land" else dist, lang, decimals=1)
        out.append(
            {
                "a": _lonlat(x0, y0),
                "b": _lonlat(x1, y1),
                "kind": kind,
                "text": tr(_EDGE_TEXT[kind], km=km),
                "km": tr("ui.km", km=km),
            }
        )
    return out


@dataclass
class Outlines:
    """Candidate outlines on one display geometry, computed once per member set.

    The outline is the union of the members' display geometry, simplified again (islets
    dropped) because outlines of overlapping candidates repeat the same coasts.
    """

    display: gpd.GeoDataFrame
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:  # noqa: D105
        self._tol = display_tolerance(self.display)
        self._geoms = self.display.geometry
        self.points = label_points(self.display)

    def get(self, members: Iterable[str]) -> tuple[dict, shapely.Point]:
        """(GeoJSON geometry of the outline, a point inside it for the number)."""
        key = tuple(sorted(str(m) for m in members))
        if key not in self._cache:
            parts = self._geoms.reindex([m for m in key if m in self._geoms.index]).to_numpy()
            union = shapely.coverage_union_all(parts)  # display geometry is a coverage: fast
            if not union.is_valid:
                union = shapely.union_all(shapely.make_valid(parts))
            outline = drop_small_parts(np.asarray([union], dtype=object), (6.0 * self._tol) ** 2)
            simple = shapely.simplify(outline, OUTLINE_TOL * self._tol, preserve_topology=False)[0]
            anchor = shapely.point_on_surface(simple if not simple.is_empty else union)
            rounded = shapely.transform(simple, lambda xy: np.round(xy, OUTLINE_DIGITS))
            self._cache[key] = (json.loads(shapely.to_geojson(rounded)), anchor)
        return self._cache[key]


def legend(sector: object, lang: str, *, voluntary: bool = False) -> dict:
    """Legend texts and colours (drawn below the map, collapsible); ``voluntary``: the
    voluntary links are drawn too (they get an entry)."""
    tr = translator(lang)
    title = tr(
        "ui.legend_gap",
        sector=sector.label(lang) if hasattr(sector, "label") else str(sector),
        detail=gap_legend_detail(sector, lang),
    )
    return {
        "title": title,
        "stops": list(gap_colours(pd.Series(np.linspace(0.0, 1.0, 6)))),
        "range": tr("ui.legend_range"),
        "no_data": tr("ui.legend_no_data"),
        "outside": tr("ui.legend_outside"),
        "land": tr("ui.layer_land"),
        "maritime": tr("ui.layer_maritime"),
        "voluntary": tr("ui.layer_voluntary") if voluntary else "",
        "candidate": tr("ui.layer_candidates"),
        "ticked": tr("ui.layer_ticked"),
        "opened": tr("ui.layer_opened"),
        "provider": tr("ui.map_legend_provider"),
        "no_data_colour": NO_DATA_COLOUR,
        "outside_colour": OUTSIDE_COLOUR,
        "land_colour": LAND_COLOUR,
        "maritime_colour": MARITIME_COLOUR,
        "voluntary_colour": VOLUNTARY_COLOUR,
        "candidate_colour": CANDIDATE_COLOUR,
        "ticked_colour": TICKED_COLOUR,
        "opened_colour": OPENED_COLOUR,
    }


def map_texts(lang: str) -> dict:
    """The component's own words (search box, full screen, tooltips)."""
    tr = translator(lang)
    return {
        "search": tr("ui.map_search"),
        "fullscreen": tr("ui.map_fullscreen"),
        "code": tr("ui.tooltip_code"),
        "gap": tr("ui.tooltip_gap"),
        "no_data": tr("ui.tooltip_no_data"),
        "outside": tr("ui.tooltip_outside", toggle=tr("ui.cross_province_label")),
    }


def _candidate_style(props: Mapping) -> dict:
    if props.get("opened"):
        return {"color": OPENED_COLOUR, "weight": 4, "opacity": 0.95}
    if props.get("ticked"):
        return {"color": TICKED_COLOUR, "weight": 2.5, "opacity": 0.9, "dashArray": "8 4"}
    return {"color": CANDIDATE_COLOUR, "weight": 1.8, "opacity": 0.7}


def candidate_features(
    candidates: pd.DataFrame,
    outlines: Outlines,
    *,
    opened: str | None,
    ticked: Iterable[str] = (),
    lang: str = "id",
) -> tuple[dict, dict]:
    """The candidates as two FeatureCollections: outlines and points (the numbered marker at
    ``anchor`` and, for the opened one, the provider's star).

    Properties: ``kind`` (``candidate`` or ``provider``), ``id`` (the ``cluster_id``),
    ``rank``, ``opened``, ``ticked`` and ``tip`` (the hover text, plain: the map writes it as
    text). The opened outline comes last (drawn on top).
    """
    tr = translator(lang)
    ticked = set(ticked)
    points = outlines.points
    shapes, marks = [], []
    for row in candidates.to_dict("records"):
        cid = str(row["cluster_id"])
        outline, anchor = outlines.get(row["members"])
        tip = candidate_label(row, lang)
        flags = row.get("flags")
        if isinstance(flags, (list, tuple)) and "voluntary" in flags:
            tip += f" · {tr('ui.flag_voluntary')}"
        if cid in ticked:
            tip += f" ({tr('ui.map_ticked')})"
        props = {
            "kind": "candidate",
            "id": cid,
            "rank": int(row["rank"]),
            "opened": cid == opened,
            "ticked": cid in ticked,
            "tip": tip,
        }
        style = {**_candidate_style(props), "fill": False}
        shapes.append(
            {"type": "Feature", "geometry": outline, "properties": {**props, "style": style}}
        )
        point = {"type": "Point", "coordinates": _lonlat(anchor.x, anchor.y)}
        marks.append({"type": "Feature", "geometry": point, "properties": props})
        provider = row.get("provider")
        if cid == opened and isinstance(provider, str) and provider in points.index:
            names = dict(zip(row["members"], row["member_names"], strict=True))
            where = _lonlat(points.at[provider, "lon"], points.at[provider, "lat"])
            text = tr("ui.map_provider", name=names.get(provider, provider))
            marks.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": where},
                    "properties": {"kind": "provider", "id": cid, "tip": text},
                }
            )
    shapes.sort(key=lambda f: f["properties"]["opened"])
    return (
        {"type": "FeatureCollection", "features": shapes},
        {"type": "FeatureCollection", "features": marks},
    )


_LINK_STYLES = {
    "land": {"color": LAND_COLOUR, "weight": 1.4, "opacity": 0.85},
    "maritime": {"color": MARITIME_COLOUR, "weight": 2, "opacity": 0.85, "dashArray": "6 5"},
    "voluntary": {"color": VOLUNTARY_COLOUR, "weight": 2, "opacity": 0.85, "dashArray": "1 5"},
}


def link_features(links: list[dict]) -> dict:
    """:func:`link_layer` as a FeatureCollection: lines (``kind`` land / maritime / voluntary,
    plain ``text``) and, for maritime and voluntary links, a point at the middle carrying the
    distance (``km``; ``kind`` sea or seat)."""
    features = []
    for link in links:
        line = {"type": "LineString", "coordinates": [link["a"], link["b"]]}
        style = _LINK_STYLES.get(link["kind"], _LINK_STYLES["land"])
        props = {"kind": link["kind"], "text": link["text"], "style": style}
        features.append({"type": "Feature", "geometry": line, "properties": props})
        if link["kind"] != "land":
            mid = _lonlat((link["a"][0] + link["b"][0]) / 2, (link["a"][1] + link["b"][1]) / 2)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": mid},
                    "properties": {
                        "kind": "sea" if link["kind"] == "maritime" else "seat",
                        "km": link["km"],
                        "colour": style["color"],
                        "text": link["text"],
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def region_counts(candidates: pd.DataFrame, lang: str) -> dict[str, str]:
    """Per region code, "n candidates include this region" for the hover text."""
    tr = translator(lang)
    counts: dict[str, int] = {}
    for members in candidates["members"]:
        for code in members:
            counts[str(code)] = counts.get(str(code), 0) + 1
    return {code: tr("ui.map_region_count", n=n) for code, n in counts.items()}


def layer_bounds(regions: dict, codes: Iterable[str] | None = None) -> list[float]:
    """``[minx, miny, maxx, maxy]`` of a :func:`region_layer` (of its regions ``codes`` only,
    when given)."""
    wanted = None if codes is None else set(codes)
    boxes = np.array(
        [
            f["properties"]["bbox"]
            for f in regions["features"]
            if wanted is None or f["properties"]["code"] in wanted
        ],
        dtype=float,
    )
    if not len(boxes):
        return [0.0, 0.0, 0.0, 0.0]
    return [*boxes[:, :2].min(axis=0).tolist(), *boxes[:, 2:].max(axis=0).tolist()]


# --------------------------------------------------------------------------------------------
# The folium map: a base map per scope, feature groups for what changes with a widget
# --------------------------------------------------------------------------------------------


@cache
def _data_url(name: str, mime: str) -> str:
    payload = (LEAFLET_DIR / name).read_bytes()
    return f"data:{mime};base64," + base64.b64encode(payload).decode("ascii")


def _walk(element: object):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def use_vendored_assets(element: object) -> None:
    """No script or stylesheet from the internet: every element's CDN links are removed and
    a map gets the vendored Leaflet 1.9.4 (``kerjasama/vendor/leaflet``, BSD-2) inlined as
    ``data:`` URLs (offices without internet; nothing leaves the computer)."""
    for item in _walk(element):
        if hasattr(item, "default_js"):
            item.default_js = []
        if hasattr(item, "default_css"):
            item.default_css = []
        if isinstance(item, folium.Map):
            item.default_js = [("leaflet", _data_url("leaflet.js", "text/javascript"))]
            item.default_css = [("leaflet_css", _data_url("leaflet.css", "text/css"))]


class Layer(mapscript.RawMacro, folium.GeoJson):
    """A GeoJSON layer whose data is written once as a JavaScript literal (``data_js``).

    folium's ``GeoJson`` encodes its data on every render and branca then compiles the
    rendered script as a Jinja template (for a scope's geometry that is most of a rerun, and
    it would read ``{{`` in a name); this layer keeps its script as it is. The style is a
    constant (``style``) or each feature's ``properties.style``; ``options`` go to
    ``L.geoJson`` (``pointToLayer``, ``onEachFeature``, ``pane``...). ``tip`` names the
    property each feature's hover text is in (written as text by ``ks.tip``), with Leaflet's
    ``tip_options``; folium's ``GeoJsonTooltip`` would insert it as HTML and compile two Jinja
    templates on every render.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            style: {% if this.style_js %}function() { return {{ this.style_js }}; }
                   {%- else %}function(f) { return f.properties.style || {}; }{% endif %},
            ...{{ this.options | tojavascript }}
        });
        {{ this.get_name() }}.addData({{ this.data_js }});
        {%- if this.tip_js %}
        {{ this.get_name() }}.bindTooltip(function(layer) {
            return window.ks.tip(layer.feature.properties[{{ this.tip_js }}]);
        }, {{ this.tip_options | tojavascript }});
        {%- endif %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict,
        *,
        data_js: str | None = None,
        bounds: list[float] | None = None,
        style: dict | None = None,
        tip: str | None = None,
        tip_options: dict | None = None,
        **options,
    ) -> None:
        super().__init__(data, control=False, **options)
        self.data_js = mapscript.js_value(data) if data_js is None else data_js
        self.style_js = mapscript.js_value(style) if style else ""
        self.tip_js = mapscript.js_value(tip) if tip else ""
        self.tip_options = {"className": "ks-tip", **(tip_options or {})}
        self._bounds = None if bounds is None else [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]

    def get_bounds(self) -> list[list[float]]:  # noqa: D102
        return self._bounds or [[None, None], [None, None]]


def regions_js(regions: dict) -> str:
    """:func:`region_layer` as the JavaScript literal :func:`base_map` embeds (cache it)."""
    return mapscript.js_value(regions)


def base_map(
    regions: dict, bounds: list[float], *, data_js: str | None = None, height: int = 640
) -> folium.Map:
    """The map of one scope: the regions (grey until a :class:`mapscript.Paint` colours
    them), their names, search, full-screen button, legend frame, scale; no tiles (works
    offline).

    Static per scope, so streamlit-folium keeps it in the browser while the feature groups
    (:func:`candidate_group`, :func:`link_group`, or an agreements layer) change.
    """
    minx, miny, maxx, maxy = bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=5,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
        attribution_control=False,
        height=height,
    )
    m.get_root().header.add_child(mapscript.RawText(mapscript.CSS))
    mapscript.MapSetup().add_to(m)
    Layer(
        regions,
        data_js=regions_js(regions) if data_js is None else data_js,
        bounds=bounds,
        style=REGION_STYLE,
        onEachFeature=JsCode("function(f, layer) { window.ks.addRegion(f, layer); }"),
    ).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    use_vendored_assets(m)
    return m


_POINTS = JsCode("function(feature, latlng) { return window.ks.point(feature, latlng); }")


def candidate_group(shapes: dict, marks: dict, state: dict) -> folium.FeatureGroup:
    """The candidates (outlines, numbers, provider star; :func:`candidate_features`) and the
    gap colours, texts and legend (:func:`paint_state`), as one feature group."""
    group = folium.FeatureGroup(name="candidates", control=False)
    if shapes["features"]:
        Layer(
            shapes,
            tip="tip",
            tip_options={"sticky": True},
            pane="ksOutlines",
            onEachFeature=JsCode("function(f, layer) { window.ks.clickable(f, layer); }"),
        ).add_to(group)
        Layer(marks, tip="tip", tip_options={"direction": "auto"}, point_to_layer=_POINTS).add_to(
            group
        )
    mapscript.Paint(state).add_to(group)
    use_vendored_assets(group)
    return group


def link_group(links: dict | None) -> folium.FeatureGroup:
    """The adjacency links (:func:`link_features`; None: none drawn) as a feature group."""
    group = folium.FeatureGroup(name="links", control=False)
    if links and links["features"]:
        Layer(
            links,
            tip="text",
            tip_options={"sticky": True},
            point_to_layer=_POINTS,
            pane="ksLinks",
        ).add_to(group)
    use_vendored_assets(group)
    return group


def paint_state(
    fill: Mapping[str, str],
    gap_text: Mapping[str, str],
    counts: Mapping[str, str],
    legend_data: dict,
    lang: str,
    outside: Iterable[str] = (),
) -> dict:
    """What :class:`mapscript.Paint` applies to the base map: fill colour and gap text per
    region, candidate counts, the regions drawn ``outside`` the scope (pale, as context), the
    legend and the map's own words; ``key`` changes with any of them (tests and benchmarks
    wait for the map to show it: ``data-ks-rendered``)."""
    state = {
        "fill": dict(fill),
        "gap_text": dict(gap_text),
        "counts": dict(counts),
        "outside": sorted(map(str, outside)),
        "legend": legend_data,
        "texts": map_texts(lang),
    }
    state["key"] = digest(state)
    return state


def parse_click(value: object, regions: Iterable[str], candidates: Iterable[str]):
    """What streamlit-folium reported (its ``last_active_drawing``: the GeoJSON feature of the
    clicked layer) as ``("region", code)`` or ``("candidate", cluster_id)``.

    The browser's report is untrusted: anything but a known region code or a shown
    candidate's ``cluster_id`` gives None (a link, a sea distance, a malformed value).
    """
    if not isinstance(value, Mapping):
        return None
    feature = value.get("last_active_drawing")
    props = feature.get("properties") if isinstance(feature, Mapping) else None
    if not isinstance(props, Mapping):
        return None
    kind = props.get("kind")
    ident = props.get("code") if kind == "region" else props.get("id")
    if not isinstance(ident, str):
        return None
    if kind == "region" and ident in set(regions):
        return ("region", ident)
    if kind in ("candidate", "provider") and ident in set(candidates):
        return ("candidate", ident)
    return None


def agreement_features(agreements: Iterable, outlines: Outlines, tips: Mapping[int, str]) -> dict:
    """Existing agreements (:class:`registry.queries.AgreementSummary`) as outlines of their
    kab/kota parties inside the scope (an agreement without one there is left out); ``tips``:
    agreement id -> its hover text (plain text)."""
    in_scope = set(outlines.display.index)
    features = []
    for a in agreements:
        members = [m for m in a.members if m in in_scope]
        if not members:
            continue
        outline, _ = outlines.get(members)
        props = {
            "kind": "agreement",
            "id": int(a.id),
            "tip": str(tips.get(a.id, a.name)),
            # a wide band under the candidate outlines: visible where they coincide
            "style": {"color": AGREEMENT_COLOUR, "weight": 7, "opacity": 0.55, "fill": False},
        }
        features.append({"type": "Feature", "geometry": outline, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def agreement_group(features: dict | None) -> folium.FeatureGroup:
    """The existing agreements (:func:`agreement_features`; None: not drawn) as a feature
    group, under the candidate outlines (their clicks stay the candidates')."""
    group = folium.FeatureGroup(name="agreements", control=False)
    if features and features["features"]:
        Layer(features, tip="tip", tip_options={"sticky": True}, pane="ksLinks").add_to(group)
    use_vendored_assets(group)
    return group
