"""The interactive map's content: regions, gap colours, links and candidates as plain data.

Display only: nothing here changes the analysis. The light display geometry comes from
:mod:`geo.display`; the functions here turn it, the gap scores, the adjacency links and the
candidates into the JSON payload that the app's Leaflet component (``kerjasama/webapp/``) draws.
Each part has its own key so the browser rebuilds only what changed: the regions per scope, the
colours per sector, the links per scope, the candidates on every run.

Every string is plain text (the component inserts it with ``textContent``, never as HTML); every
number is written in the chosen language (:func:`common.text.fmt_number`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import colormaps
from matplotlib.colors import to_hex

from common.text import fmt_number, translator
from geo.display import display_tolerance, drop_small_parts, label_points
from kerjasama.present.labels import form_label

NO_DATA_COLOUR = "#c8c8c8"
LAND_COLOUR = "#37474f"
MARITIME_COLOUR = "#1565c0"
CANDIDATE_COLOUR = "#6a1b9a"
TICKED_COLOUR = "#e65100"
OPENED_COLOUR = "#00bcd4"
GAP_CMAP = "YlOrRd"
COORD_DIGITS = 4
#: outlines are strokes over the regions: simplified to 4 display tolerances (a pixel or two at
#: the zoom that shows the scope) and rounded to 3 decimals (~100 m)
OUTLINE_TOL = 4.0
OUTLINE_DIGITS = 3
#: the parts of the map payload that are sent only when their key changed
PARTS = ("regions", "colours", "links", "shapes")


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
    return f"{head}: {names}"


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
                "geometry": json.loads(geojson[i]),
                "properties": {
                    "code": str(code),
                    "name": str(name),
                    "province_name": str(names.get(str(province), "")),
                    "label": _lonlat(points["lon"].iloc[i], points["lat"].iloc[i]),
                    "bbox": [round(float(v), COORD_DIGITS) for v in bounds[i]],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def gap_layer(gap: pd.Series, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(fill colour, gap written in the language) per region code; no entry = no data."""
    values = pd.to_numeric(gap, errors="coerce")
    colours = gap_colours(values)
    known = values.notna()
    fill = {str(c): colours[c] for c in values.index[known]}
    text = {str(c): fmt_number(float(values[c]), lang, decimals=2) for c in values.index[known]}
    return fill, text


def link_layer(edges: pd.DataFrame, points: pd.DataFrame, lang: str) -> list[dict]:
    """Adjacency links between the label points of both ends, with their length in words.

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
        sea = kind == "maritime"
        km = fmt_number(dist if sea else border, lang, decimals=1)
        out.append(
            {
                "a": _lonlat(x0, y0),
                "b": _lonlat(x1, y1),
                "kind": "maritime" if sea else "land",
                "text": tr("ui.edge_maritime" if sea else "ui.edge_land", km=km),
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


def candidate_shapes(candidates: pd.DataFrame, outlines: Outlines) -> list[dict]:
    """Per candidate: outline, number anchor and provider point (changes with the list only)."""
    points = outlines.points
    out = []
    for cid, members, provider in zip(
        candidates["cluster_id"].astype(str),
        candidates["members"],
        candidates.get("provider", pd.Series(None, index=candidates.index)),
        strict=True,
    ):
        outline, anchor = outlines.get(members)
        out.append(
            {
                "id": cid,
                "outline": outline,
                "anchor": _lonlat(anchor.x, anchor.y),
                "provider": _lonlat(points.at[provider, "lon"], points.at[provider, "lat"])
                if isinstance(provider, str) and provider in points.index
                else None,
            }
        )
    return out


def candidate_layer(
    candidates: pd.DataFrame,
    *,
    opened: str | None,
    ticked: Iterable[str] = (),
    lang: str = "id",
) -> list[dict]:
    """Per candidate: rank, opened / ticked, hover text (changes on every click)."""
    tr = translator(lang)
    ticked = set(ticked)
    out = []
    for row in candidates.to_dict("records"):
        cid = str(row["cluster_id"])
        provider = row.get("provider")
        provider_text = ""
        if isinstance(provider, str):
            names = dict(zip(row["members"], row["member_names"], strict=True))
            provider_text = tr("ui.map_provider", name=names.get(provider, provider))
        tip = [candidate_label(row, lang)]
        if cid in ticked:
            tip.append(tr("ui.map_ticked"))
        out.append(
            {
                "id": cid,
                "rank": int(row["rank"]),
                "provider_text": provider_text,
                "opened": cid == opened,
                "ticked": cid in ticked,
                "tip": tip,
            }
        )
    return out


def legend(sector: object, lang: str) -> dict:
    """Legend texts and colours (drawn below the map, collapsible)."""
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
        "land": tr("ui.layer_land"),
        "maritime": tr("ui.layer_maritime"),
        "candidate": tr("ui.layer_candidates"),
        "ticked": tr("ui.layer_ticked"),
        "opened": tr("ui.layer_opened"),
        "provider": tr("ui.map_legend_provider"),
        "no_data_colour": NO_DATA_COLOUR,
        "land_colour": LAND_COLOUR,
        "maritime_colour": MARITIME_COLOUR,
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
    }


def region_counts(candidates: pd.DataFrame, lang: str) -> dict[str, str]:
    """Per region code, "n candidates include this region" for the hover text."""
    tr = translator(lang)
    counts: dict[str, int] = {}
    for members in candidates["members"]:
        for code in members:
            counts[str(code)] = counts.get(str(code), 0) + 1
    return {code: tr("ui.map_region_count", n=n) for code, n in counts.items()}


def to_json(value: object) -> bytes:
    """Compact UTF-8 JSON (cached parts of the payload are kept in this form)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def layer_bounds(regions: dict) -> list[float]:
    """``[minx, miny, maxx, maxy]`` of a :func:`region_layer`."""
    boxes = np.array([f["properties"]["bbox"] for f in regions["features"]], dtype=float)
    if not len(boxes):
        return [0.0, 0.0, 0.0, 0.0]
    return [*boxes[:, :2].min(axis=0).tolist(), *boxes[:, 2:].max(axis=0).tolist()]


def map_payload(
    *,
    parts: Mapping[str, tuple[str, bytes]],
    show_links: bool,
    candidates: list[dict],
    counts: Mapping[str, str],
    legend_data: dict,
    bounds: list[float],
    lang: str,
    height: int = 620,
    sent: Mapping[str, str] | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Everything the Leaflet component draws, as UTF-8 JSON, with the keys that tell it what
    changed since the last render.

    ``parts`` maps each of :data:`PARTS` to ``(key, encoded JSON)``: ``regions``
    (:func:`region_layer`), ``colours`` (``{"fill", "gap_text"}`` of :func:`gap_layer`),
    ``links`` (:func:`link_layer`) and ``shapes`` (:func:`candidate_shapes`); they are encoded
    once and cached by the caller. A part whose key is in ``sent`` (what this browser already
    has) is sent as ``null`` and the browser keeps its copy; if it has none it asks for all
    parts again. ``keys.render`` changes whenever anything drawn changes; tests and
    benchmarks wait for the component to show it (``data-rendered`` on ``.ks-map``).

    Returns
    -------
    (payload, keys)
        The encoded payload and the key of every part (what the browser has after it).
    """
    sent = sent or {}
    keys = {name: key for name, (key, _) in parts.items()}
    keys["links"] = digest(keys["links"], show_links)
    keys["legend"] = digest(legend_data, lang)
    candidates_key = digest([(c["id"], c["opened"], c["ticked"], c["tip"]) for c in candidates])
    keys["render"] = digest(keys, candidates_key, height)
    rest = {
        "keys": keys,
        "bounds": [round(float(v), COORD_DIGITS) for v in bounds],
        "show_links": bool(show_links),
        "candidates": candidates,
        "region_candidates": dict(counts),
        "legend": legend_data,
        "texts": map_texts(lang),
        "height": int(height),
    }
    chunks = [to_json(rest)[:-1]]
    for name in PARTS:
        _, encoded = parts[name]
        if name == "links" and not show_links:
            encoded = b"[]"
        chunks += [
            b',"',
            name.encode(),
            b'":',
            b"null" if sent.get(name) == keys[name] else encoded,
        ]
    return b"".join([*chunks, b"}"]), {name: keys[name] for name in PARTS}


def parse_click(value: object, regions: Iterable[str], candidates: Iterable[str]):
    """A click reported by the component as ``("region", code)`` or ``("candidate", id)``.

    The browser's report is untrusted: anything but a known region code or a shown candidate's
    ``cluster_id`` gives None.
    """
    if not isinstance(value, Mapping):
        return None
    kind, ident = value.get("kind"), value.get("id")
    if not isinstance(ident, str):
        return None
    if kind == "region" and ident in set(regions):
        return ("region", ident)
    if kind == "candidate" and ident in set(candidates):
        return ("candidate", ident)
    return None
