"""Per-region gap and capacity scores of one sector.

Each term of a sector (see ``sectors.toml``) is evaluated on the table, normalised to [0, 1]
*within the table* (the scope: the caller subsets the table to one province or passes all of
Indonesia) so that 1 means "most gap" (or "most capacity"), and the region's score is the
weighted mean of its normalised terms.

Missing data: a term that is missing for a region (an input column is empty, or the formula is
undefined there) is left out of that region's weighted mean and the weights of the remaining
terms are renormalised; ``gap_n``/``capacity_n`` say how many terms were used and
:func:`missing_data` lists what was missing. A region with no usable term gets NaN, never 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config import ROLE_KEYS, Config, Sector, Term, load_config
from analysis.expr import evaluate
from common.errors import InputError
from common.text import Listing, Msg

METHODS = ("rank", "minmax")


def _sector(sector: Sector | str, config: Config | None) -> Sector:
    if isinstance(sector, Sector):
        return sector
    return (config or load_config()).sector(sector)


def raw_values(
    table: pd.DataFrame, sector: Sector | str, *, config: Config | None = None
) -> pd.DataFrame:
    """Evaluated term values in their own units (for explanations).

    Returns
    -------
    DataFrame
        Indexed like ``table``, one column per term named ``Term.key`` (``gap_<id>``,
        ``capacity_<id>``), NaN where the term is undefined.
    """
    sector = _sector(sector, config)
    _check(table, sector)
    data = {term.key: _evaluate(term, sector, table) for term in sector.terms}
    return pd.DataFrame(data, index=table.index, columns=[t.key for t in sector.terms])


def _evaluate(term: Term, sector: Sector, table: pd.DataFrame) -> pd.Series:
    """One term's values; an unusable formula (e.g. over a text column) names sector and term."""
    try:
        return evaluate(term.expression, table)
    except InputError as err:
        raise InputError(
            "errors.indicators.term_failed",
            sector=repr(sector.id),
            role=Msg(ROLE_KEYS[term.role]),
            term=repr(term.id),
            problem=err,
        ) from None


def _check(table: pd.DataFrame, sector: Sector) -> None:
    missing = [
        (term, column)
        for term in sector.terms
        for column in term.columns
        if column not in table.columns
    ]
    if missing:
        lines = [
            Msg(
                "errors.indicators.term_column_missing",
                role=Msg(ROLE_KEYS[term.role]),
                term=repr(term.id),
                expr=term.expr,
                column=repr(column),
            )
            for term, column in missing
        ]
        raise InputError(
            "errors.indicators.sector_columns_missing",
            sector=repr(sector.id),
            lines=Listing(lines, sep="\n"),
        )


def normalize(
    values: pd.Series, *, method: str = "rank", direction: str = "higher_is_more"
) -> pd.Series:
    """Normalise one term to [0, 1] within ``values`` (NaN stays NaN).

    ``rank``: average-rank percentile ``(rank - 1) / (n - 1)`` with ties averaged, where ``n`` is
    the number of non-missing values; a single value gets 0.5. ``minmax``:
    ``(x - min) / (max - min)``; all-equal values get 0.5. With ``direction="lower_is_more"``
    the result is ``1 - p``.
    """
    if method not in METHODS:
        raise InputError(
            "errors.indicators.normalisation", method=repr(method), allowed=", ".join(METHODS)
        )
    x = values.astype("float64")
    n = int(x.notna().sum())
    if method == "rank":
        p = x.where(x.isna(), 0.5) if n <= 1 else (x.rank(method="average") - 1.0) / (n - 1)
    else:
        lo, hi = x.min(), x.max()
        p = x.where(x.isna(), 0.5) if n == 0 or hi == lo else (x - lo) / (hi - lo)
    if direction == "lower_is_more":
        p = 1.0 - p
    return p.clip(0.0, 1.0)


def _weighted(norm: pd.DataFrame, terms: tuple[Term, ...]) -> tuple[pd.Series, pd.Series]:
    if not terms:
        nan = pd.Series(np.nan, index=norm.index)
        return nan, pd.Series(0, index=norm.index, dtype="int64")
    values = norm[[t.key for t in terms]].to_numpy(dtype="float64")
    weights = np.array([t.weight for t in terms], dtype="float64")
    present = ~np.isnan(values)
    wsum = (present * weights).sum(axis=1)
    total = np.where(present, values, 0.0) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(wsum > 0, total / np.where(wsum > 0, wsum, 1.0), np.nan)
    return (
        pd.Series(np.clip(score, 0.0, 1.0), index=norm.index),
        pd.Series(present.sum(axis=1).astype("int64"), index=norm.index),
    )


def sector_scores(
    table: pd.DataFrame,
    sector: Sector | str,
    *,
    method: str = "rank",
    config: Config | None = None,
    with_raw: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Gap and capacity scores of ``sector`` for every region of ``table``.

    Parameters
    ----------
    table
        Indicator table indexed by region code (the scope of the normalisation).
    sector
        A :class:`~analysis.config.Sector` or a sector id (looked up in ``config``, default the
        packaged config).
    method
        ``"rank"`` (default) or ``"minmax"``; see :func:`normalize`.
    with_raw
        Also return the term values in their own units (:func:`raw_values`), evaluated once.

    Returns
    -------
    DataFrame
        Indexed like ``table``: ``gap``, ``capacity`` (in [0, 1], NaN when no term has data),
        ``gap_n``, ``capacity_n`` (number of terms used), then one normalised column per term
        (``Term.key``). With ``with_raw``: ``(scores, raw)``.
    """
    sector = _sector(sector, config)
    raw = raw_values(table, sector)
    norm = pd.DataFrame(
        {t.key: normalize(raw[t.key], method=method, direction=t.direction) for t in sector.terms},
        index=table.index,
        columns=[t.key for t in sector.terms],
    )
    gap, gap_n = _weighted(norm, sector.gap)
    capacity, capacity_n = _weighted(norm, sector.capacity)
    head = pd.DataFrame(
        {"gap": gap, "capacity": capacity, "gap_n": gap_n, "capacity_n": capacity_n},
        index=table.index,
    )
    scores = pd.concat([head, norm], axis=1)
    return (scores, raw) if with_raw else scores


def missing_data(
    table: pd.DataFrame, sector: Sector | str, *, config: Config | None = None
) -> pd.DataFrame:
    """Which regions lacked which data for ``sector``.

    Returns
    -------
    DataFrame
        One row per (region, term, column) that is missing, columns ``code``, ``role``,
        ``term``, ``column`` (``column`` is empty when every input was present but the formula
        is undefined, e.g. a division by zero), sorted by code, role, term and column.
    """
    sector = _sector(sector, config)
    raw = raw_values(table, sector)
    rows = []
    codes = table.index.astype(str)
    for term in sector.terms:
        undefined = raw[term.key].isna().to_numpy()
        if not undefined.any():
            continue
        inputs = {
            c: pd.to_numeric(table[c], errors="coerce").isna().to_numpy() for c in term.columns
        }
        for pos in np.flatnonzero(undefined):
            absent = [c for c in term.columns if inputs[c][pos]]
            for column in absent or [""]:
                rows.append((codes[pos], term.role, term.id, column))
    out = pd.DataFrame(rows, columns=["code", "role", "term", "column"])
    order = {r: i for i, r in enumerate(("gap", "capacity"))}
    out["_r"] = out["role"].map(order)
    out = out.sort_values(["code", "_r", "term", "column"], kind="mergesort").drop(columns="_r")
    return out.reset_index(drop=True)
