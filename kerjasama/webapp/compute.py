"""Every step of the map page, cached by what it depends on.

Reading, joining and adjacency change only with the data; enumeration, display geometry and the
region layer only with the scope; scores with the sector, forms, sizes and weights; the shown rows
with the list length and view; explanations with the language. A widget re-runs only the steps
below it. Cached objects are shared between sessions and never modified (``st.cache_resource``
avoids pickling a 27 MB GeoDataFrame on every rerun).
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from analysis import pipeline
from analysis.config import load_config
from geo.boundaries import provinces as province_names
from geo.display import display_regions
from kerjasama import derived
from kerjasama.present import map as webmap
from kerjasama.present.upload import Upload, read_uploads
from kerjasama.present.words import explain_rows, province_options


@dataclass(frozen=True)
class Data:
    """One data source read, joined and linked."""

    key: str
    regions: pd.DataFrame
    table: pd.DataFrame
    report: object
    problems: list
    edges: pd.DataFrame
    names: tuple[str, str]  # boundary and indicator file names as the user knows them
    provinces: dict[str, str]  # province code -> name
    source: Path | None = None  # the data folder's boundary file (None for uploads)


@dataclass(frozen=True)
class Scope:
    """The cache key of a scope (a province or all regions) and its link options."""

    province: str | None
    cross: bool
    maritime: bool
    voluntary: float = 0.0  # km between seats for voluntary links (0: none)


@st.cache_resource(show_spinner=False)
def config():
    return load_config()


def adjacency_cache_path(boundaries: Path, kind: str = "adjacency", extra: str = "") -> Path:
    """Where a result computed from a boundary file is kept between server starts: the user's
    cache folder, named by a digest of the file, of the code that reads it and computes the
    result, and of ``extra`` (a changed file or algorithm gives another name)."""
    from platformdirs import user_cache_dir

    import geo.adjacency
    import geo.boundaries
    import geo.crs
    import geo.display

    digest = hashlib.sha256(derived.file_digest(boundaries).encode())
    for module in (geo.adjacency, geo.boundaries, geo.crs, geo.display, pipeline):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(extra.encode())
    return Path(user_cache_dir("kerjasama")) / kind / f"{digest.hexdigest()[:40]}.parquet"


def _keep(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to the cache atomically; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
        frame.to_parquet(partial)
        os.replace(partial, path)
    except OSError:
        pass


def cached_adjacency(regions: pd.DataFrame, boundaries: Path) -> pd.DataFrame:
    """:func:`analysis.pipeline.build_adjacency` of the data folder's boundary file: the table
    shipped with the file when it was computed from this very file and settings
    (:func:`kerjasama.derived.shipped_adjacency`), else computed once and kept on disk, so a
    restarted server draws its first map without recomputing it. A missing, unreadable or
    unwritable cache only means computing it again."""
    shipped = derived.shipped_adjacency(boundaries)
    if shipped is not None:
        return shipped
    path = adjacency_cache_path(boundaries)
    try:
        return derived.as_built(pd.read_parquet(path))
    except (OSError, ValueError):
        pass
    edges = pipeline.build_adjacency(regions)
    _keep(edges, path)
    return edges


def cached_display(regions: pd.DataFrame, boundaries: Path | None) -> pd.DataFrame:
    """:func:`geo.display.display_regions` of a scope of the data folder: shipped with the file
    for all its regions (:func:`kerjasama.derived.shipped_display`), else kept on disk like the
    adjacency (uploads: computed, not kept)."""
    if boundaries is None:
        return display_regions(regions)
    shipped = derived.shipped_display(regions, boundaries)
    if shipped is not None:
        return shipped
    path = adjacency_cache_path(boundaries, "display", ",".join(map(str, regions.index)))
    try:
        import geopandas as gpd

        display = derived.as_built(gpd.read_parquet(path))
        display.index = display.index.astype(object)
        if list(display.index) == list(regions.index):
            return display
    except (OSError, ValueError, ImportError):
        pass
    display = display_regions(regions)
    _keep(display, path)
    return display


@st.cache_resource(show_spinner=False, max_entries=4)
def folder_data(boundaries: str, indicators: str, stamp: tuple) -> Data:
    """The data folder's files (keyed by size and modification time)."""
    known_valid = derived.proven_valid(Path(boundaries))  # checked when the file was shipped
    regions = pipeline.load_regions(boundaries, known_valid=known_valid)
    table, report, problems = pipeline.load_table(indicators, regions, None, None, config())
    edges = cached_adjacency(regions, Path(boundaries))
    key = f"{boundaries}|{indicators}|{stamp}"
    names = (Path(boundaries).name, Path(indicators).name)
    data = Data(
        key, regions, table, report, problems, edges, names, province_names(regions),
        Path(boundaries),
    )  # fmt: skip
    return _long_lived(data)


def _long_lived(data: Data) -> Data:
    """``data`` after moving every object alive now out of the garbage collector's view
    (:func:`gc.freeze`). The app keeps them for the server's life; a full collection would
    otherwise walk them all (the boundaries, tables and caches: a quarter of a million objects,
    0.15-0.35 s). Streamlit's collection after every run is off in ``.streamlit/config.toml``
    for the same reason; Python's own collector still runs on the objects made later."""
    gc.collect()
    gc.freeze()
    return data


@st.cache_resource(show_spinner=False, max_entries=2)
def upload_data(digest: str, _boundaries: tuple, _indicators: Upload, bkey: str, ikey: str, **kw):
    """Uploaded files read and joined (keyed by their content digest and the reading options)."""
    data = read_uploads(
        list(_boundaries),
        _indicators,
        config=config(),
        boundary_key=bkey,
        indicator_key=ikey,
        **kw,
    )
    edges = pipeline.build_adjacency(data.regions)
    names = (data.boundary_name, data.indicator_name)
    return _long_lived(
        Data(
            "upload:" + digest,
            data.regions,
            data.table,
            data.report,
            data.problems,
            edges,
            names,
            province_names(data.regions),
        )
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def scope_options(key: str, _data: Data, lang: str) -> dict[str, str]:
    """:func:`kerjasama.present.words.province_options` of a data source (not modified)."""
    return province_options(_data.regions, lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def prepared(key: str, _data: Data, scope: Scope):
    return pipeline.prepare(
        _data.regions,
        _data.edges,
        province=scope.province,
        cross_province=scope.cross,
        maritime=scope.maritime,
        voluntary_km=scope.voluntary or None,
    )


@dataclass(frozen=True)
class Drawing:
    """The display geometry of a scope and what the map draws from it."""

    display: pd.DataFrame
    layer: dict  # present.map.region_layer
    layer_js: str  # the same, written once for the base map
    bounds: list
    outlines: webmap.Outlines
    points: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=64)
def _province_map(key: str, _data: Data, province: str) -> tuple[tuple[str, ...], tuple]:
    """(the regions a province's map draws: its own and its neighbours from other provinces
    as context, :func:`kerjasama.present.map.context_codes`; the province's own regions)."""
    prov = _data.regions["province"].astype(str)
    own = tuple(sorted(map(str, prov.index[prov == str(province)])))
    return webmap.context_codes(_data.regions, _data.edges, province, ()), own


@st.cache_resource(show_spinner=False, max_entries=16)
def drawing(key: str, _data: Data, codes: tuple[str, ...], focus: tuple | None = None) -> Drawing:
    """The display geometry and region layer of the regions ``codes``; the map opens on the
    regions ``focus`` (default: all of them)."""
    display = cached_display(_data.regions.loc[list(codes)], _data.source)
    layer = webmap.region_layer(display, _data.provinces)
    outlines = webmap.Outlines(display)
    return Drawing(
        display,
        layer,
        webmap.regions_js(layer),
        webmap.layer_bounds(layer, focus),
        outlines,
        outlines.points,
    )


def scope_drawing(key: str, data: Data, scope: Scope, ids) -> Drawing:
    """:func:`drawing` of what the map draws for ``scope`` (whose regions are ``ids``): all
    Indonesia as it is; a province with its neighbours from other provinces as context (and any
    region of ``ids`` beyond them), so that the cross-province and sea toggles repaint the map
    instead of rebuilding it; the map opens on the province's own regions."""
    if scope.province is None:
        return drawing(key, data, tuple(ids))
    context, own = _province_map(key, data, scope.province)
    codes = context if set(ids) <= set(context) else tuple(sorted(set(context) | set(ids)))
    return drawing(key, data, codes, own)


@st.cache_resource(show_spinner=False, max_entries=32)
def links(key: str, _data: Data, _drawing: Drawing, _prep, scope: Scope, lang: str):
    """The links between the regions of ``scope`` (``_prep``, its :func:`prepared`) as a
    FeatureCollection (present.map.link_features): land borders, maritime links when they are
    on, and the voluntary links (seats within ``scope.voluntary`` km, no border) when that is
    set, the links the candidates were built on."""
    edges = pipeline.scope_links(_data.edges, _prep)
    if not scope.maritime:
        edges = edges[edges["kind"] != "maritime"]
    points = _drawing.points[_drawing.points.index.isin(_prep.ids)]
    return webmap.link_features(webmap.link_layer(edges, points, lang))


@st.cache_resource(show_spinner=False, max_entries=32)
def gap(key: str, _ranked, scope: Scope, sector: str, lang: str):
    """Fill colours and gap texts of a scope for one sector; the gap of every region travels
    with any ranking of the sector in the scope."""
    return webmap.gap_layer(pipeline.scope_gap(_ranked), lang)


@dataclass(frozen=True)
class Choice:
    """What the scores depend on beyond the scope (the cache key of a ranking)."""

    scope: Scope
    sizes: tuple[int, int]
    sector: str
    forms: tuple[str, ...]
    weights: tuple  # ((form, ((component, weight), ...)), ...)

    @classmethod
    def of(cls, scope: Scope, sizes, sector: str, forms, weights: dict) -> Choice:
        frozen = tuple(sorted((f, tuple(sorted(c.items()))) for f, c in weights.items()))
        return cls(scope, tuple(sizes), sector, tuple(forms), frozen)

    def weight_map(self) -> dict:
        return {f: dict(c) for f, c in self.weights}


def restricted(key: str, data: Data, choice: Choice):
    """The prepared scope restricted to the chosen sizes (no re-enumeration)."""
    return pipeline.restrict_sizes(prepared(key, data, choice.scope), *choice.sizes)


@st.cache_resource(show_spinner=False, max_entries=32)
def ranked(key: str, _data: Data, choice: Choice):
    """All candidates of the sector, ranked (:class:`analysis.ranking.Candidates`, columnar;
    not modified by callers)."""
    return pipeline.score(
        restricted(key, _data, choice),
        _data.table,
        choice.sector,
        config=config(),
        weights=choice.weight_map(),
        forms=choice.forms,
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def shown(key: str, _data: Data, choice: Choice, top: int, view: str, flagged: bool = False):
    """The rows to show (the ``top`` distinct suggestions, each with its number of variants,
    or the portfolio) with stability, and the portfolio result. ``flagged``: the ``top``
    best flagged rows follow (their flags say why they rank last)."""
    candidates = ranked(key, _data, choice)
    rows, result = pipeline.finalize(candidates, top=top, portfolio=view == "portfolio")
    if flagged and view != "portfolio":
        extra = candidates.frame(np.flatnonzero(candidates.flagged)[:top])
        rows = pd.concat([rows, extra], ignore_index=True)
    return rows, result


def variant_owner(key: str, data: Data, choice: Choice, top: int, ids) -> dict[str, str]:
    """For each of ``ids`` that is a variant of one of the ``top`` distinct suggestions, that
    suggestion's ``cluster_id``."""
    candidates = ranked(key, data, choice)
    listing = distinct(key, data, choice, top)
    found = candidates.positions(list(ids))
    reps = candidates.frame(listing.rows, ["cluster_id"])["cluster_id"].astype(str).tolist()
    out = {}
    for cid, pos in found.items():
        k = int(listing.owner[pos])
        if k >= 0 and reps[k] != cid:
            out[cid] = reps[k]
    return out


@st.cache_resource(show_spinner=False, max_entries=32)
def distinct(key: str, _data: Data, choice: Choice, top: int):
    """The distinct list (rows and the owner of every row) of a ranking."""
    return pipeline.distinct(ranked(key, _data, choice), top)


@st.cache_resource(show_spinner=False, max_entries=64)
def variants(key: str, _data: Data, choice: Choice, top: int, cluster_id: str, lang: str):
    """The variants of one distinct suggestion (rank order, ``variant_of`` set), explained in
    ``lang`` (what :func:`analysis.pipeline.variants` gives, from the cached distinct list)."""
    candidates = ranked(key, _data, choice)
    listing = distinct(key, _data, choice, top)
    found = candidates.positions([cluster_id])
    at = np.flatnonzero(listing.rows == found[cluster_id]) if cluster_id in found else []
    rows = candidates.frame(listing.variants(int(at[0])) if len(at) else [])
    rows["variant_of"] = cluster_id
    return explain_rows(candidates, rows, lang) if len(rows) else rows


@st.cache_resource(show_spinner=False, max_entries=64)
def explained(key: str, _data: Data, choice: Choice, _rows, ids: tuple, lang: str):
    """``_rows`` (whose ``cluster_id`` s are ``ids``) with their explanation in ``lang``."""
    return explain_rows(ranked(key, _data, choice), _rows, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def table(
    key: str, choice: Choice, listing: tuple, ids: tuple, lang: str, notes: tuple, _rows
) -> pd.DataFrame:
    """:func:`kerjasama.present.tables.candidate_table` of ``_rows``: the explained rows of the
    list ``listing`` (length, view, flagged rows) whose ``cluster_id`` s are ``ids`` and whose
    existing-agreement labels are ``notes``. Not modified by callers."""
    from kerjasama.present.tables import candidate_table

    return candidate_table(_rows, lang)


_warm_lock = threading.Lock()
#: seconds after a page before the scope's other cross-province setting is prepared (a planner
#: reaches for the toggle later than that; the page has been sent by then)
NEIGHBOUR_DELAY = 0.3
_neighbours_done: set[tuple] = set()


def warm_neighbours(key: str, data: Data, choice: Choice, listing: tuple, lang: str) -> None:
    """Prepare, in the background, what the page shows for the province scope of ``choice``
    with the cross-province toggle flipped: enumeration, display geometry, ranking, the
    ``listing`` (list length, view, flagged rows: :func:`shown`) explained in ``lang``, the gap
    colours and the links (about 0.3 s for a province), so that the toggle finds them cached.
    Once per data source, choice, listing and language."""
    scope = choice.scope
    if scope.province is None:
        return
    other = replace(choice, scope=replace(scope, cross=not scope.cross))
    with _warm_lock:
        if (key, other, listing, lang) in _neighbours_done:
            return
        _neighbours_done.add((key, other, listing, lang))

    def work() -> None:
        time.sleep(NEIGHBOUR_DELAY)  # after the page has been drawn
        prep = prepared(key, data, other.scope)
        codes = tuple(prep.ids)
        drawn = scope_drawing(key, data, other.scope, codes)  # the same map, as a rule
        candidates = ranked(key, data, other)
        rows, _ = shown(key, data, other, *listing)
        explained(key, data, other, rows, tuple(rows["cluster_id"].astype(str)), lang)
        gap(key, candidates, other.scope, other.sector, lang)
        links(key, data, drawn, prep, other.scope, lang)

    threading.Thread(target=work, name="kerjasama-warm-scope", daemon=True).start()


#: seconds after the first page before the national scope is prepared in the background
WARM_UP_DELAY = 20.0
#: the same when the national display geometry is shipped with the boundary file (the warm-up
#: then costs about a second: enumeration and the region layer, no simplification)
WARM_UP_SHIPPED_DELAY = 5.0
_warmed: set[str] = set()


def warm_up(key: str, data: Data, choice: Choice) -> None:
    """Prepare the national scope in the background once per data source and rank it for
    ``choice``'s sector, forms, sizes and weights (the scope the page builds when "all
    Indonesia" is chosen with the default toggles), so the first switch to it does not wait for
    enumeration, display geometry and scoring. It waits :data:`WARM_UP_DELAY` seconds after the
    first page, :data:`WARM_UP_SHIPPED_DELAY` when the display geometry is shipped
    (:func:`kerjasama.derived.ships_display`)."""
    with _warm_lock:
        if key in _warmed:
            return
        _warmed.add(key)
    shipped = data.source is not None and derived.ships_display(data.regions, data.source)
    delay = WARM_UP_SHIPPED_DELAY if shipped else WARM_UP_DELAY
    wide = replace(choice, scope=Scope(None, False, True, choice.scope.voluntary))

    def work() -> None:
        time.sleep(delay)  # leave the first page and clicks the machine
        prep = prepared(key, data, wide.scope)
        scope_drawing(key, data, wide.scope, tuple(prep.ids))
        ranked(key, data, wide)

    threading.Thread(target=work, name="kerjasama-warm-up", daemon=True).start()
