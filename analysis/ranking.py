"""Scored candidates of one sector, kept columnar from scoring to export.

:class:`Candidates` holds one row per scored (member set, form) in **rank order** as plain numpy
columns: the row of the set in the prepared set matrix (``set_row``; members are positions into
the sorted region ids), the form, the provider's position, the score, one float column per score
component and the per-set flags. Nothing per row is built in Python until a caller asks for the
rows it shows or exports (:meth:`Candidates.frame`), so a national kecamatan run with millions of
candidates never holds millions of tuples or dicts.

The ranking rule (one place): rows without a threshold flag first (``docs/model.md``); then
score rounded to 1e-9, descending; then size ascending; then ``cluster_id`` ascending.
``cluster_id`` is ``<sector>-<form>-<codes joined by "-">``; for the canonical codes (digits
only, ``geo.codes.normalize_code``) its order within one size equals the order of (form name,
member positions), because the set matrix is in lexicographic order of positions into the
sorted codes and ``"-"`` sorts before every digit; so no id string is built to rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

#: Cooperation forms, in the order of the ``form`` codes of :class:`Candidates`.
FORMS = ("joint", "contract")
#: Score components of each form, in weight order.
COMPONENTS = {
    "joint": ("need", "complementarity", "linkage", "reach", "scale", "cohesion"),
    "contract": (
        "capacity",
        "client_need",
        "complementarity",
        "linkage",
        "reach",
        "scale",
        "cohesion",
    ),
}
#: Row flags (docs/model.md), one bit each. The first five are thresholds: a row with one ranks
#: after every row without one (of the rules in force); the others inform.
FLAGS = (
    "low_need",
    "low_capacity",
    "low_client_gap",
    "beyond_reach",
    "sea_crossing",
    "incomplete_data",
    "voluntary",
    "estimated_seat",
)
FLAG_BITS = {name: 1 << i for i, name in enumerate(FLAGS)}
THRESHOLD_FLAGS = FLAGS[:5]
#: Columns of :meth:`Candidates.frame` (then ``set_row``), also the GeoJSON property order.
CANDIDATE_COLUMNS = (
    "cluster_id",
    "rank",
    "sector",
    "form",
    "members",
    "member_names",
    "provider",
    "size",
    "score",
    "score_components",
    "explanation",
    "cross_province",
    "maritime_links",
    "stability",
    "data_years",
    "wajib_indication",
    "flags",
    "data_completeness",
    "variants",
    "variant_of",
)
# "contract" < "joint" as text: the cluster_id order of the forms.
_FORM_ORDER = np.argsort(np.argsort(np.array(FORMS, dtype=object))).astype(np.int8)


def rank_order(
    score: np.ndarray,
    size: np.ndarray,
    form: np.ndarray,
    set_row: np.ndarray,
    flagged: np.ndarray | None = None,
) -> np.ndarray:
    """Positions that put rows in rank order (see the module docstring).

    Two sort keys instead of five: the primary packs (flagged, -score) into one float (scores in
    [0, 1] rounded to 1e-9 stay exactly ordered), the tie-break packs (size, form, set row) into
    one integer.
    """
    primary = np.round(score, 9)
    np.subtract(1.0, primary, out=primary)
    if flagged is not None:
        primary += 2.0 * np.asarray(flagged, dtype=bool)
    tie = np.asarray(size, dtype=np.int64) << np.int64(40)
    tie |= _FORM_ORDER[form].astype(np.int64) << np.int64(36)
    tie |= np.asarray(set_row, dtype=np.int64)
    return np.lexsort((tie, primary))


def flag_names(bits: int) -> list[str]:
    """The names of the flags set in ``bits``, in :data:`FLAGS` order."""
    return [name for name in FLAGS if int(bits) & FLAG_BITS[name]]


def _cluster_id(sector: str, form: str, codes: Iterable[str]) -> str:
    return f"{sector}-{form}-" + "-".join(codes)


@dataclass(frozen=True, eq=False)
class Candidates:
    """All scored candidates of one sector, in rank order, as columns.

    Attributes
    ----------
    sector
        Sector id (``cluster_id`` prefix).
    ids, names
        Sorted region codes of the scope and their names; positions refer to them.
    attrs
        The prepared sets and their static attributes (:class:`analysis.clusters.SetAttributes`;
        ``attrs.sets`` is the ``(n_sets, width)`` position matrix, padded with -1); shared, not
        copied.
    set_row, form, provider, score
        One entry per candidate: row into ``sets``; index into :data:`FORMS`; provider position
        (-1 for a joint service); score in [0, 1], rounded to 1e-9.
    components
        Component name -> float column (NaN on rows of a form without that component).
    flags, completeness
        Per-candidate flag bits (:data:`FLAG_BITS`) and data completeness in [0, 1].
    rule_bits
        The threshold flags in force for the ranking (rows with one of them rank last).
    missing_penalty
        The share of the score lost at completeness 0 (0 when no penalty was applied).
    externality
        The sector's externality flag (with ``land_connected``: the wajib indication).
    weights
        The validated per-form weights the scores were computed with.
    data_years
        Indicator column -> data year (reported with every candidate).
    regions
        Per-region scores of the scope (:func:`analysis.scores.sector_scores`), when known.
    raw
        Per-region term values in their own units (:func:`analysis.scores.raw_values`).
    population
        Population per region (Series indexed by code) and ``population_year``.
    seat_estimated
        Per region (Series indexed by code): True where the seat point is estimated.
    sector_def, settings
        The :class:`analysis.config.Sector` and the cluster settings used (when scored through
        :func:`analysis.pipeline.score`).
    """

    sector: str
    ids: np.ndarray
    names: np.ndarray
    attrs: Any
    set_row: np.ndarray
    form: np.ndarray
    provider: np.ndarray
    score: np.ndarray
    components: Mapping[str, np.ndarray]
    flags: np.ndarray | None = None
    completeness: np.ndarray | None = None
    rule_bits: int = 0
    missing_penalty: float = 0.0
    externality: bool = False
    weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    data_years: Mapping[str, int] = field(default_factory=dict)
    regions: pd.DataFrame | None = None
    raw: pd.DataFrame | None = None
    population: pd.Series | None = None
    population_year: int | None = None
    seat_estimated: pd.Series | None = None
    sector_def: Any = None
    settings: Any = None

    def __len__(self) -> int:
        return len(self.set_row)

    # ---------------------------------------------------------------- cheap column views

    @property
    def size(self) -> np.ndarray:
        """Members per row."""
        return self.attrs.size[self.set_row]

    @property
    def cross_province(self) -> np.ndarray:
        """Whether the row's members span more than one province."""
        return self.attrs.cross_province[self.set_row]

    @property
    def maritime_links(self) -> np.ndarray:
        """Maritime links inside the row's member set."""
        return self.attrs.maritime_links[self.set_row]

    @property
    def land_connected(self) -> np.ndarray:
        """Whether the row's members are connected by land borders alone."""
        return self.attrs.land_connected[self.set_row]

    @property
    def sets(self) -> np.ndarray:
        """The prepared set matrix (positions into ``ids``, padded with -1)."""
        return self.attrs.sets

    @property
    def form_names(self) -> np.ndarray:
        """Form name per row (object array)."""
        return np.asarray(FORMS, dtype=object)[self.form]

    @property
    def wajib(self) -> np.ndarray:
        """The "indikasi kerja sama wajib" flag per row."""
        return self.land_connected & bool(self.externality)

    @property
    def flag_bits(self) -> np.ndarray:
        """Flag bits per row (zeros when none were computed)."""
        return self.flags if self.flags is not None else np.zeros(len(self), np.uint8)

    @property
    def flagged(self) -> np.ndarray:
        """True for rows with a threshold flag in force (they rank after the others)."""
        return (self.flag_bits & np.uint8(self.rule_bits)) > 0

    @property
    def passing(self) -> np.ndarray:
        """True for rows with no threshold flag at all and complete data (the portfolio's)."""
        bad = sum(FLAG_BITS[f] for f in (*THRESHOLD_FLAGS, "incomplete_data"))
        return (self.flag_bits & np.uint8(bad)) == 0

    def flag_count(self) -> int:
        """Number of rows with a threshold flag in force."""
        return int(self.flagged.sum())

    def counts(self) -> dict[str, int]:
        """Number of rows per form name."""
        n = np.bincount(self.form, minlength=len(FORMS))
        return {f: int(n[i]) for i, f in enumerate(FORMS)}

    def tie_rank(self) -> np.ndarray:
        """Rank of each row under the tie-break alone (size, then ``cluster_id``): the order that
        decides between equal scores whatever the weights."""
        order = np.lexsort((self.set_row, _FORM_ORDER[self.form], self.size))
        out = np.empty(len(self), dtype=np.int64)
        out[order] = np.arange(len(self))
        return out

    def rows_of(self, form: str) -> np.ndarray:
        """Positions of the rows of ``form``."""
        return np.flatnonzero(self.form == FORMS.index(form))

    def component_matrix(self, form: str, rows: np.ndarray | None = None) -> np.ndarray:
        """(rows, components) float array of ``form``'s components for ``rows`` (default: all
        rows of that form), in :data:`COMPONENTS` order."""
        rows = self.rows_of(form) if rows is None else np.asarray(rows)
        if len(rows) == 0:
            return np.zeros((0, len(COMPONENTS[form])))
        return np.column_stack([self.components[c][rows] for c in COMPONENTS[form]]).reshape(
            len(rows), len(COMPONENTS[form])
        )

    def member_positions(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Member positions (rows, width), padded with -1."""
        return self.sets[self.set_row if rows is None else self.set_row[np.asarray(rows, np.int64)]]

    def members(self, rows: Iterable[int]) -> list[tuple[str, ...]]:
        """Member codes of ``rows`` (tuples)."""
        return [tuple(self.ids[p[p >= 0]]) for p in self.member_positions(np.asarray(rows))]

    def take(self, rows: np.ndarray) -> Candidates:
        """The candidates at ``rows`` (positions; order kept), still columnar."""
        rows = np.asarray(rows, dtype=np.int64)
        per_row = {
            name: getattr(self, name)[rows]
            for name in (
                "set_row",
                "form",
                "provider",
                "score",
                "flags",
                "completeness",
            )
            if getattr(self, name) is not None
        }
        comps = {k: v[rows] for k, v in self.components.items()}
        return replace(self, components=comps, **per_row)

    # ---------------------------------------------------------------- lookups

    def positions(self, cluster_ids: Sequence[str]) -> dict[str, int]:
        """Row position of each known ``cluster_id`` (unknown ids are left out)."""
        out: dict[str, int] = {}
        width = self.sets.shape[1]
        for cid in cluster_ids:
            parts = str(cid).split("-")
            if len(parts) < 3 or parts[0] != self.sector or parts[1] not in FORMS:
                continue
            codes = parts[2:]
            pos = np.searchsorted(self.ids, codes)
            if len(codes) > width or (pos >= len(self.ids)).any():
                continue
            if list(self.ids[pos]) != codes or list(codes) != sorted(codes):
                continue
            target = np.full(width, -1, dtype=self.sets.dtype)
            target[: len(pos)] = pos
            hit = np.flatnonzero(
                (self.form == FORMS.index(parts[1]))
                & (self.member_positions() == target).all(axis=1)
            )
            if len(hit):
                out[str(cid)] = int(hit[0])
        return out

    # ---------------------------------------------------------------- materialised rows

    def frame(
        self, rows: Iterable[int] | None = None, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """The rows as a frame with :data:`CANDIDATE_COLUMNS` (or only ``columns``) plus
        ``set_row``.

        Built only for the rows asked for (the ones shown or exported). The index holds the
        row positions (rank - 1); ``explanation`` is empty and ``stability`` None.
        """
        rows = np.arange(len(self)) if rows is None else np.asarray(list(rows), dtype=np.int64)
        wanted = list(CANDIDATE_COLUMNS) if columns is None else list(columns)
        if len(rows) == 0:
            out = pd.DataFrame({c: pd.Series(dtype=object) for c in wanted})
            out["set_row"] = pd.Series(dtype=np.int64)
            return out
        cache: dict = {}
        prefix = {i: _cluster_id(self.sector, f, ()) for i, f in enumerate(FORMS)}

        def members() -> list[tuple]:
            if "members" not in cache:
                cache["members"] = self._tuples(self.ids, rows)
            return cache["members"]

        builders = {
            "cluster_id": lambda: [
                prefix[f] + "-".join(m)
                for f, m in zip(self.form[rows].tolist(), members(), strict=True)
            ],
            "rank": lambda: rows + 1,
            "sector": lambda: self.sector,
            "form": lambda: self.form_names[rows],
            "members": members,
            "member_names": lambda: self._tuples(self.names, rows),
            "provider": lambda: pd.Series(
                np.where(
                    self.provider[rows] >= 0, self.ids[np.maximum(self.provider[rows], 0)], None
                ),
                index=rows,
                dtype=object,
            ),
            "size": lambda: self.attrs.size[self.set_row[rows]].astype(np.int64),
            "score": lambda: self.score[rows],
            "score_components": lambda: self._component_dicts(rows),
            "explanation": lambda: "",
            "cross_province": lambda: self.attrs.cross_province[self.set_row[rows]],
            "maritime_links": lambda: self.attrs.maritime_links[self.set_row[rows]].astype(
                np.int64
            ),
            "stability": lambda: None,
            "data_years": lambda: [dict(sorted(self.data_years.items()))] * len(rows),
            "wajib_indication": lambda: (
                self.attrs.land_connected[self.set_row[rows]] & bool(self.externality)
            ),
            "flags": lambda: [flag_names(b) for b in self.flag_bits[rows]],
            "data_completeness": lambda: (
                np.round(self.completeness[rows].astype(float), 3)
                if self.completeness is not None
                else np.ones(len(rows))
            ),
            "variants": lambda: None,
            "variant_of": lambda: None,
        }
        data = {c: builders[c]() for c in wanted}
        data["set_row"] = self.set_row[rows].astype(np.int64)
        return pd.DataFrame(data, index=rows)

    def _tuples(self, values: np.ndarray, rows: np.ndarray) -> list[tuple]:
        """Per row, the tuple of ``values`` at its members (members fill the first columns)."""
        pos = self.member_positions(rows)
        size = (pos >= 0).sum(axis=1)
        out = np.empty(len(rows), dtype=object)
        for k in np.unique(size).tolist():
            where = np.flatnonzero(size == k)
            columns = [values[pos[where, j]].tolist() for j in range(k)]
            items = zip(*columns, strict=True) if k else repeat((), len(where))
            out[where] = np.fromiter(items, dtype=object, count=len(where))
        return out.tolist()

    def _component_dicts(self, rows: np.ndarray) -> list[dict | None]:
        out: list = [None] * len(rows)
        for i, f in enumerate(FORMS):
            where = np.flatnonzero(self.form[rows] == i)
            if len(where) == 0:
                continue
            keys = COMPONENTS[f]
            matrix = np.round(self.component_matrix(f, rows[where]).astype(float), 6)
            for j, values in zip(where.tolist(), matrix.tolist(), strict=True):
                out[j] = dict(zip(keys, values, strict=True))
        return out
