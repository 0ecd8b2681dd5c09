"""The cluster pipeline, one function per step, for the command line and the app.

Heavy steps (cache them in the app, e.g. ``st.cache_data``/``st.cache_resource``):
:func:`load_regions`, :func:`load_table`, :func:`build_adjacency`, :func:`prepare` (enumeration
and static set attributes). Light steps (re-run on every slider change): :func:`score` (all
candidates of one sector, ranked) and :func:`finalize` (top rows or the portfolio, stability and
explanations for the output rows only). See ``docs/clusters.md``.

Normalisation of gap and capacity is **within the scope**: :func:`score` passes only the scope's
rows of the table (the province, plus cross-province neighbours when asked for) to
:func:`analysis.scores.sector_scores`, so "high gap" means high compared with the regions a
planner is looking at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.attributes import SetAttributes, set_attributes, subset_attributes
from analysis.candidates import enumerate_sets
from analysis.clusters import RegionData, SectorPotential, score_candidates
from analysis.ranking import FORMS, Candidates
from analysis.stability import stability as stability_shares
from common.errors import InputError
from common.text import Listing, Msg
from geo.codes import normalize_code
from geo.seats import Seats

if TYPE_CHECKING:
    from analysis.distinct import DistinctList
    from analysis.portfolio import PortfolioResult


@dataclass(frozen=True)
class Prepared:
    """Enumerated member sets of one scope and their static attributes.

    ``ids`` are the sorted codes of the scope (positions in ``attrs.sets`` refer to them);
    ``in_scope`` is False for cross-province neighbours added with ``cross_province=True``;
    ``seats`` are the scope's seat points (in ``ids`` order; ``seats.n_estimated`` says how many
    were estimated); ``voluntary_km`` the distance of the voluntary links used (None: none).
    """

    ids: tuple[str, ...]
    names: np.ndarray
    province: np.ndarray
    in_scope: np.ndarray
    attrs: SetAttributes
    province_code: str | None
    cross_province: bool
    maritime: bool
    min_size: int
    max_size: int
    seats: Seats | None = None
    voluntary_km: float | None = None

    @property
    def n_sets(self) -> int:
        return len(self.attrs.sets)


def load_seats(regions: pd.DataFrame, path: str | Path | None = None, config=None) -> Seats:
    """Seat points of ``regions`` (:func:`geo.seats.read_seats`).

    ``path`` None: the seat table next to the boundary file (``<stem>_seats.csv``, else the
    config's ``[data] seats_file`` in that folder); none found = every point estimated (the
    polygon's representative point).
    """
    from geo.seats import read_seats, seats_path

    if path is None:
        source = regions.attrs.get("kerjasama", {}).get("source")
        fallback = config.data.seats_file if config is not None else None
        path = seats_path(source, fallback)
    return read_seats(regions, path)


def load_regions(path: str | Path, **kw) -> pd.DataFrame:
    """Read a boundary file (:func:`geo.boundaries.read_boundaries`; ``kw``: layer, id_field...)."""
    from geo.boundaries import read_boundaries

    return read_boundaries(path, **kw)


def load_table(
    path: str | Path,
    regions: pd.DataFrame,
    boundary_key: str | None = None,
    indicator_key: str | None = None,
    config=None,
    *,
    sheet: str | int | None = None,
    indicator_name: str | None = None,
    names: bool = True,
):
    """Read the indicator table and join it to ``regions``.

    Returns
    -------
    (table, report, problems)
        ``table`` indexed like ``regions`` (index ``code``), the ``JoinReport`` and the reading
        problems of :func:`analysis.indicators.read_indicators`. Join keys default to the
        config's ``[data]`` keys when both files have them, else the join proposes keys;
        ``indicator_name`` and ``names`` are passed to :func:`analysis.join.join_indicators`.
    """
    from analysis.indicators import read_indicators
    from analysis.join import default_keys, join_indicators

    raw, problems = read_indicators(path, sheet=sheet)
    if config is not None:
        boundary_key, indicator_key = default_keys(
            regions, raw, config, boundary_key, indicator_key
        )
    table, report = join_indicators(
        regions,
        raw,
        boundary_key=boundary_key,
        indicator_key=indicator_key,
        indicator_name=indicator_name,
        names=names,
        config=config,
    )
    return table, report, problems


def load_scope_regions(
    path: str | Path,
    province: str,
    *,
    cross_province: bool = False,
    maritime_km: float | None = None,
    **read: object,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Regions and edges for one province scope, reading only around the province.

    :func:`geo.window.scope_regions` (``read``: the options of
    :func:`geo.boundaries.read_boundaries`): the same scope, sets and scores as
    :func:`load_regions` + :func:`build_adjacency` on the whole file, at a fraction of the cost.
    """
    from geo.adjacency import DEFAULT_MARITIME_KM
    from geo.window import scope_regions

    km = DEFAULT_MARITIME_KM if maritime_km is None else maritime_km
    return scope_regions(path, province, cross_province=cross_province, maritime_km=km, **read)


def build_adjacency(regions: pd.DataFrame, maritime_km: float | None = None, **kw) -> pd.DataFrame:
    """The edge table (:func:`geo.adjacency.adjacency_edges`; default maritime distance)."""
    from geo.adjacency import DEFAULT_MARITIME_KM, adjacency_edges

    km = DEFAULT_MARITIME_KM if maritime_km is None else maritime_km
    edges = adjacency_edges(regions, maritime_km=km, **kw)
    release_freed_memory()
    return edges


def release_freed_memory() -> None:
    """Hand the heap pages freed by a geometry-heavy step back to the operating system.

    The adjacency and enumeration steps build and free hundreds of MB of temporary arrays; glibc
    keeps freed heap pages mapped, so the process would carry them into the next step (the
    national kecamatan run: about 0.4 GB after adjacency). ``malloc_trim(0)`` returns them. A
    no-op where the C library has no ``malloc_trim`` (macOS, Windows, musl).
    """
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _scope(regions, edges, province, cross_province, kinds) -> tuple[np.ndarray, np.ndarray]:
    codes = np.asarray(sorted(map(str, regions.index)), dtype=object)
    prov = regions["province"].astype(str).reindex(codes).to_numpy(dtype=object)
    if province is None:
        return codes, np.ones(len(codes), dtype=bool)
    wanted = normalize_code(province)
    inside = prov == wanted
    if not inside.any():
        known = ", ".join(sorted(set(prov)))
        raise _no_province(regions, province, wanted, known)
    if not cross_province:
        return codes[inside], np.ones(int(inside.sum()), dtype=bool)
    sel = edges[edges["kind"].isin(list(kinds))]
    src, tgt = sel["source"].astype(str), sel["target"].astype(str)
    members = set(codes[inside])
    touch = set(tgt[src.isin(members)]) | set(src[tgt.isin(members)])
    keep = inside | np.isin(codes, sorted(touch))
    return codes[keep], inside[keep]


def _no_province(regions, province, wanted, known) -> InputError:
    """The error for a province code that no region has; when the file codes regions that are
    in that province today under their former province (an older edition), it says so."""
    from geo.reference import by_code
    from geo.vintages import moved_into, province_changes

    codes = [str(c) for c in regions.index]
    moved = moved_into(wanted or "", codes, list(regions["name"])) if "name" in regions else []
    if not moved:
        return InputError("errors.clusters.no_province", province=repr(province), known=known)
    formers = sorted({c[:2] for c in moved})
    change = next((c for c in province_changes() if c.new == wanted), None)
    names = dict(zip(codes, regions["name"].astype(str), strict=True))
    name = next(r.province_name for r in by_code().values() if r.province == wanted)
    return InputError(
        "errors.clusters.province_old_codes",
        province=repr(province),
        n=len(moved),
        name=name,
        since=Msg("errors.clusters.since_law", law=change.law) if change else "",
        former=Listing(formers, last="or"),
        first=formers[0],
        regions=Listing([f"{c} {names[c]}" for c in moved], limit=10),
    )


def prepare(
    regions: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    province: str | None = None,
    cross_province: bool = False,
    maritime: bool = True,
    min_size: int = 2,
    max_size: int = 5,
    seats: Seats | None = None,
    voluntary_km: float | None = None,
) -> Prepared:
    """Enumerate the connected member sets of the scope and their static attributes.

    Parameters
    ----------
    regions
        ``load_regions`` output (index ``code``, columns ``name``, ``province``, ``geometry``).
    edges
        ``build_adjacency`` output for the same regions.
    province
        Province code (any spelling, matched on ``regions["province"]``); None = all regions.
    cross_province
        Add the regions of other provinces adjacent to the scope; every set keeps at least one
        member inside the province.
    maritime
        Use maritime links (else land links only).
    seats
        Seat points of ``regions`` (:func:`load_seats`; default: found next to the boundary
        file, else estimated).
    voluntary_km
        Also link regions whose seats lie within this distance (km, ellipsoidal) though they
        share no border (voluntary cooperation, PP 28/2018); None or 0 = no voluntary links.
    """
    from geo.crs import line_lengths_m
    from geo.seats import seat_distances_km, voluntary_edges

    seats = load_seats(regions) if seats is None else seats
    kinds = ("land", "maritime") if maritime else ("land",)
    if voluntary_km:
        extra = voluntary_edges(seats, edges, float(voluntary_km))
        edges = pd.concat([edges, extra], ignore_index=True) if len(extra) else edges
        kinds = (*kinds, "voluntary")
    ids, inside = _scope(regions, edges, province, cross_province, kinds)
    sets = enumerate_sets(edges, ids, min_size=min_size, max_size=max_size, kinds=kinds)
    if len(ids) < 2**31:
        sets = sets.astype(np.int32)  # half the memory of the set matrix
    if cross_province:
        safe = np.where(sets >= 0, sets, 0)
        sets = sets[((sets >= 0) & inside[safe]).any(axis=1)]
    sub = regions.loc[list(ids)]
    perimeter = line_lengths_m(sub.geometry.to_numpy()) / 1000.0
    province_arr = sub["province"].astype(str).to_numpy(dtype=object)
    scope_seats = seats.reindex(ids)
    attrs = set_attributes(
        sets,
        edges,
        ids,
        perimeter_km=perimeter,
        province=province_arr,
        kinds=kinds,
        seat_km=lambda a, b: seat_distances_km(scope_seats, a, b),
    )
    names = (
        sub["name"].astype(str).to_numpy(dtype=object)
        if "name" in sub
        else np.asarray(ids, dtype=object)
    )
    release_freed_memory()  # enumeration's temporaries
    return Prepared(
        ids=tuple(ids),
        names=names,
        province=province_arr,
        in_scope=inside,
        attrs=attrs,
        province_code=None if province is None else normalize_code(province),
        cross_province=cross_province,
        maritime=maritime,
        min_size=min_size,
        max_size=max_size,
        seats=scope_seats,
        voluntary_km=float(voluntary_km) if voluntary_km else None,
    )


def restrict_sizes(prepared: Prepared, min_size: int, max_size: int) -> Prepared:
    """The same prepared scope restricted to sizes ``min_size..max_size`` (no re-enumeration)."""
    if not prepared.min_size <= min_size <= max_size <= prepared.max_size:
        raise InputError(
            "errors.clusters.sizes_outside",
            lo=min_size,
            hi=max_size,
            prepared_lo=prepared.min_size,
            prepared_hi=prepared.max_size,
        )
    keep = (prepared.attrs.size >= min_size) & (prepared.attrs.size <= max_size)
    return Prepared(
        **{
            **prepared.__dict__,
            "attrs": subset_attributes(prepared.attrs, keep),
            "min_size": min_size,
            "max_size": max_size,
        }
    )


def data_years(config, sector, population: str) -> dict[str, int]:
    """Indicator column -> data year, for the sector's columns and the population column."""
    from analysis.config import indicator_meta

    out = {}
    for column in sorted({*sector.columns, population}):
        year = indicator_meta(config, column).year
        if year is not None:
            out[column] = int(year)
    return out


def scope_table(prepared: Prepared, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` in the prepared scope, in code order (the normalisation scope)."""
    missing = [c for c in prepared.ids if c not in table.index]
    if missing:
        raise InputError(
            "errors.clusters.rows_missing", n=len(missing), codes=", ".join(missing[:10])
        )
    return table.loc[list(prepared.ids)]


def scope_links(edges: pd.DataFrame, prepared: Prepared) -> pd.DataFrame:
    """``edges`` with the voluntary links of ``prepared`` added (seats within its
    ``voluntary_km`` that share no border: :func:`geo.seats.voluntary_edges`), the links its
    member sets were built on; ``edges`` as they are when it has none."""
    if not prepared.voluntary_km or prepared.seats is None:
        return edges
    from geo.seats import voluntary_edges

    extra = voluntary_edges(prepared.seats, edges, float(prepared.voluntary_km))
    return pd.concat([edges, extra], ignore_index=True) if len(extra) else edges


def scope_gap(candidates: Candidates) -> pd.Series:
    """Gap score of every region of the scored scope (normalised within the scope, like the
    candidate scores), indexed by code: the one computed by :func:`score`."""
    return candidates.regions["gap"]


def score(
    prepared: Prepared,
    table: pd.DataFrame,
    sector: str,
    *,
    config,
    weights: Mapping | None = None,
    forms: Sequence[str] | None = None,
    rules: Sequence[str] | None = None,
    penalty: bool = True,
    settings=None,
) -> Candidates:
    """Every candidate of one sector (each connected set in each form it can take), ranked,
    columnar (:class:`Candidates`).

    The per-region scores of the scope (``candidates.regions``), the term values in their own
    units (``candidates.raw``) and the weights used travel with the result, so nothing is
    computed twice: :func:`finalize`, :func:`explain` and :func:`scope_gap` use them.

    ``weights`` overrides ``[clusters.weights]`` per component (app sliders), e.g.
    ``{"joint": {"need": 0.8}}``. ``forms`` defaults to the sector's forms. ``rules`` (threshold
    flags in force), ``penalty`` (missing-data penalty) and ``settings`` (instead of
    ``config.clusters``) are for comparisons such as the backtest's baselines.
    """
    from analysis.config import indicator_meta
    from analysis.scores import sector_scores

    settings = config.clusters if settings is None else settings
    sec = config.sector(sector)
    forms = tuple(f for f in (forms or sec.forms) if f in FORMS and f in sec.forms)
    scope = scope_table(prepared, table)
    regions, raw = sector_scores(scope, sec, config=config, with_raw=True)
    if settings.population not in scope.columns:
        raise InputError(
            "errors.clusters.no_population", column=repr(settings.population), file=config.source
        )
    population = pd.to_numeric(scope[settings.population], errors="coerce")
    complement = None
    if sec.complementarity is not None:
        from analysis.expr import evaluate

        try:
            values = evaluate(sec.complementarity.expression, scope)
        except InputError as err:  # e.g. a text column: name the sector and the parameter
            raise InputError(
                "errors.indicators.potential_failed",
                sector=repr(sec.id),
                table=f"[sectors.{sec.id}.complementarity]",
                problem=err,
            ) from None
        raw = raw.assign(complementarity=values)
        complement = values.to_numpy(float)
    seats = prepared.seats
    data = RegionData(
        gap=regions["gap"].to_numpy(float),
        capacity=regions["capacity"].to_numpy(float),
        population=population.to_numpy(float),
        complement=complement,
        seat_estimated=None if seats is None else seats.estimated.to_numpy(bool),
    )
    candidates = score_candidates(
        prepared.attrs,
        prepared.ids,
        sector=sec.id,
        data=data,
        settings=settings,
        potential=SectorPotential.of(sec),
        weights=weights,
        forms=forms,
        names=prepared.names,
        externality=sec.externality,
        data_years=data_years(config, sec, settings.population),
        rules=rules,
        penalty=penalty,
    )
    return replace(
        candidates,
        regions=regions,
        raw=raw,
        population=population,
        population_year=indicator_meta(config, settings.population).year,
        seat_estimated=None if seats is None else seats.estimated,
        sector_def=sec,
        settings=settings,
    )


def explain(candidates: Candidates, rows: pd.DataFrame) -> list:
    """The facts behind the given candidate rows (:class:`analysis.explain.CandidateFacts`, in
    row order); :func:`kerjasama.present.words.explanation` writes them as sentences.

    ``rows`` are rows of ``candidates`` as materialised by :func:`finalize` (with ``set_row``).
    """
    from analysis.explain import candidate_facts, region_values

    values = region_values(candidates) if len(rows) else None
    return [candidate_facts(row, candidates, values) for _, row in rows.iterrows()]


def distinct(candidates: Candidates, top: int | None = None) -> DistinctList:
    """The distinct suggestions of ``candidates`` (:func:`analysis.distinct.distinct`, with the
    ``[clusters]`` overlap and provider rules; ``top`` default ``[clusters] top``)."""
    from analysis.distinct import distinct as pick

    settings = candidates.settings
    return pick(
        candidates,
        settings.top if top is None else int(top),
        jaccard=settings.distinct_jaccard,
        max_provider=settings.max_provider_repeats,
    )


def variants(candidates: Candidates, cluster_id: str, top: int | None = None) -> pd.DataFrame:
    """The variants of one row of the distinct list (rank order; empty when ``cluster_id`` is
    not in the list), as rows of :meth:`Candidates.frame` with ``variant_of`` set: what the app's
    expander shows."""
    listing = distinct(candidates, top)
    found = candidates.positions([cluster_id])
    if cluster_id not in found or found[cluster_id] not in set(listing.rows.tolist()):
        return candidates.frame([])
    k = int(np.flatnonzero(listing.rows == found[cluster_id])[0])
    out = candidates.frame(listing.variants(k))
    out["variant_of"] = cluster_id
    return out


def finalize(
    candidates: Candidates,
    *,
    top: int | None = 20,
    portfolio: bool = False,
    stability_draws: int | None = None,
    stability_rows: int | None = None,
    with_variants: bool = False,
    columns: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, PortfolioResult | None]:
    """The output rows as a frame: the distinct suggestions, every row, or the portfolio, with
    stability.

    The ``explanation`` column stays empty: presentation fills it from :func:`explain`
    (:func:`kerjasama.present.words.explain_rows`).

    Parameters
    ----------
    candidates
        :func:`score` output (all candidates of the sector, rank order).
    top
        Number of distinct suggestions (:func:`distinct`: rows with no threshold flag, no two
        overlapping beyond ``[clusters] distinct_jaccard``; ``variants`` says how many rows each
        stands for). None = every row in rank order, flagged rows last (CLI ``--all``).
    portfolio
        Output the optimal non-overlapping set instead, built only from rows with no flag and
        complete data (rank order kept).
    stability_draws
        Weight draws (default ``[clusters] stability_draws``; 0 = no stability), around the
        weights the candidates were scored with. Computed for the first ``stability_rows``
        output rows (default ``[clusters] top``); others stay None.
    with_variants
        With ``top``: each distinct row is followed by its variants (``variant_of`` = its
        ``cluster_id``).
    columns
        Build only these columns (default: every column of the candidates frame), e.g. what a
        members CSV needs.
    """
    settings = candidates.settings
    result = None
    counts = None
    if portfolio:
        from analysis.portfolio import best_portfolio

        eligible = np.flatnonzero(candidates.passing)
        result = best_portfolio(
            candidates.member_positions(eligible),
            candidates.score[eligible],
            time_limit=settings.portfolio_time_limit,
        )
        rows = eligible[result.chosen]
        result = replace(result, chosen=rows)
    elif top is None:
        rows = np.arange(len(candidates))
    else:
        listing = distinct(candidates, top)
        rows, counts = listing.rows, listing.counts
        if with_variants:
            groups = [np.r_[r, listing.variants(k)] for k, r in enumerate(rows)]
            owners = [np.r_[-1, np.full(len(g) - 1, k)] for k, g in enumerate(groups)]
            rows = np.concatenate(groups) if groups else rows
            owner_of = np.concatenate(owners) if owners else np.zeros(0, np.int64)
    if columns is not None:
        columns = list(
            dict.fromkeys([*columns, "cluster_id", "variants", "variant_of", "stability"])
        )
    out = candidates.frame(rows, columns)
    if counts is not None:
        if with_variants:
            reps = out["cluster_id"].to_numpy()[owner_of < 0]
            out["variant_of"] = [None if k < 0 else reps[k] for k in owner_of]
            per = dict(zip(reps, counts.tolist(), strict=True))
            out["variants"] = [
                per.get(c) if k < 0 else None
                for c, k in zip(out["cluster_id"], owner_of, strict=True)
            ]
        else:
            out["variants"] = counts.tolist()
    draws = settings.stability_draws if stability_draws is None else int(stability_draws)
    n_stab = settings.top if stability_rows is None else int(stability_rows)
    if draws > 0 and len(out):
        target = rows[:n_stab]
        shares = stability_shares(
            candidates,
            target,
            candidates.weights,
            draws=draws,
            concentration=settings.stability_concentration,
            top=settings.stability_top,
            seed=settings.stability_seed,
        )
        stab = pd.Series([None] * len(out), index=out.index, dtype=object)
        stab.iloc[: len(target)] = [round(float(x), 6) for x in shares.to_numpy()]
        out["stability"] = stab
    return out, result


def backtest(
    prepared: Prepared,
    table: pd.DataFrame,
    *,
    config,
    arrangements=None,
    models: Sequence[str] | None = None,
    weights: Mapping | None = None,
):
    """Rank the documented arrangements (:mod:`analysis.backtest`) under each model.

    ``prepared`` should be the national scope with default options (the protocol of
    ``docs/model.md``); ``arrangements`` default to the shipped file; ``weights`` replace the
    model's weights (the tuning step).

    Returns
    -------
    (results, scored, located)
        ``results``: one row per (model, arrangement) (:func:`analysis.backtest.results_frame`);
        ``scored``: the model's :class:`Candidates` per sector; ``located``: where each
        arrangement's set sits among them.
    """
    from analysis import backtest as bt

    items = (
        bt.read_arrangements(arrangements) if not isinstance(arrangements, list) else arrangements
    )
    sectors = [s for s in config.sectors if any(a.sector == s for a in items)]
    frames, scored, located = [], {}, {}
    for model in models or bt.MODELS:
        how = bt.variant(model)
        rows = []
        n_rows = {}
        for sector in sectors:
            cands = score(
                prepared,
                table,
                sector,
                config=config,
                weights=weights if model == "model" and weights is not None else how.weights,
                rules=how.rules,
                penalty=how.penalty,
                settings=bt.settings_for(config.clusters, how.overrides),
            )
            mine = [a for a in items if a.sector == sector]
            where = bt.locate(cands, mine)
            rows += bt.percentiles(cands, where)
            n_rows[sector] = len(cands)
            if model == "model":
                scored[sector], located[sector] = cands, where
        frames.append(bt.results_frame(model, rows, n_rows))
    return pd.concat(frames, ignore_index=True), scored, located
