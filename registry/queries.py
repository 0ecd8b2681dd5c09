"""Read-only queries: agreement summaries with their parties, filters, and overlap with a cluster.

Reads use SQLAlchemy Core ``select`` (no ORM objects) so that listing thousands of agreements
stays close to the cost of the SQL itself (``benchmarks/bench_registry.py``).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, Select, bindparam, case, select

from registry.models import STAGES, Agreement, Party

A = Agreement.__table__
P = Party.__table__


class PartyRef(NamedTuple):
    """A party as listed: ``kind`` kabkota/province/third, canonical ``code``, ``name``."""

    kind: str
    code: str | None
    name: str
    is_provider: bool


class AgreementSummary(NamedTuple):
    """One agreement as listed (enough for a table row, a map label or an alert).

    ``stage_on`` is the date the current stage was reached (None when unknown).
    """

    id: int
    name: str
    sector: str
    form: str
    stage: str
    stage_on: dt.date | None
    year: int | None
    start_on: dt.date | None
    end_on: dt.date | None
    documented: bool
    confidence: str | None
    version: int
    parties: tuple[PartyRef, ...]

    @property
    def members(self) -> tuple[str, ...]:
        """Kab/kota codes of the parties."""
        return tuple(p.code for p in self.parties if p.kind == "kabkota" and p.code)

    @property
    def provinces(self) -> tuple[str, ...]:
        """Province codes of every party with a code, sorted."""
        return tuple(sorted({p.code[:2] for p in self.parties if p.code}))

    @property
    def provider(self) -> PartyRef | None:
        return next((p for p in self.parties if p.is_provider), None)

    @property
    def known_year(self) -> int | None:
        """Year of the current stage when its date is known, else the source's year."""
        return self.stage_on.year if self.stage_on else self.year


@dataclass(frozen=True)
class Filters:
    """List filters; None means any. ``ids`` restricts to the given agreement ids."""

    sector: str | None = None
    stage: str | Sequence[str] | None = None
    province: str | None = None
    ids: Sequence[int] | None = None


#: the date of the current stage, chosen in SQL
STAGE_ON = case(*((A.c.stage == s, A.c[f"{s}_on"]) for s in STAGES)).label("stage_on")
_SUMMARY_COLUMNS = [
    A.c.id,
    A.c.name,
    A.c.sector,
    A.c.form,
    A.c.stage,
    STAGE_ON,
    A.c.year,
    A.c.start_on,
    A.c.end_on,
    A.c.documented,
    A.c.confidence,
    A.c.version,
]
_STAGE_INDEX = {s: i for i, s in enumerate(STAGES)}
#: Order of overlapping agreements: in force first, ended last.
_OVERLAP_ORDER = {"berjalan": 0, "pks": 1, "kb": 2, "usulan": 3, "berakhir": 4, "dibatalkan": 5}


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large result is assembled.

    Tens of thousands of new row tuples would otherwise trigger collections that walk every
    live object again and again (most of the cost of a 10,000-agreement list); the rows form no
    reference cycles, so nothing is left for the collector to find afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _filtered(stmt: Select, filters: Filters) -> Select:
    if filters.sector is not None:
        stmt = stmt.where(A.c.sector == filters.sector)
    if filters.stage is not None:
        stages = [filters.stage] if isinstance(filters.stage, str) else list(filters.stage)
        stmt = stmt.where(A.c.stage.in_(stages))
    if filters.province is not None:
        stmt = stmt.where(
            A.c.id.in_(select(P.c.agreement_id).where(P.c.province == filters.province, P.c.active))
        )
    if filters.ids is not None:
        stmt = stmt.where(A.c.id.in_(list(filters.ids)))
    return stmt


def _shape(filters: Filters) -> tuple[tuple[bool, ...], dict[str, object]]:
    """Which filters are set, and their values as bound parameters."""
    stage = filters.stage
    params = {
        "sector": filters.sector,
        "stages": None if stage is None else ([stage] if isinstance(stage, str) else list(stage)),
        "province": filters.province,
        "ids": None if filters.ids is None else list(filters.ids),
    }
    shape = tuple(v is not None for v in params.values())
    return shape, {k: v for k, v in params.items() if v is not None}


def _bound_where(stmt: Select, shape: tuple[bool, ...]) -> Select:
    sector, stages, province, ids = shape
    if sector:
        stmt = stmt.where(A.c.sector == bindparam("sector"))
    if stages:
        stmt = stmt.where(A.c.stage.in_(bindparam("stages", expanding=True)))
    if province:
        stmt = stmt.where(
            A.c.id.in_(
                select(P.c.agreement_id).where(P.c.province == bindparam("province"), P.c.active)
            )
        )
    if ids:
        stmt = stmt.where(A.c.id.in_(bindparam("ids", expanding=True)))
    return stmt


@lru_cache(maxsize=32)
def _summary_statements(shape: tuple[bool, ...]) -> tuple[Select, Select]:
    """The agreements and parties statements of one filter shape, built once (bound values)."""
    agreements = _bound_where(select(*_SUMMARY_COLUMNS), shape).order_by(A.c.id)
    parties = select(P.c.agreement_id, P.c.kind, P.c.code, P.c.name, P.c.is_provider).where(
        P.c.active
    )
    if any(shape):
        parties = parties.where(P.c.agreement_id.in_(_bound_where(select(A.c.id), shape)))
    return agreements, parties.order_by(P.c.id)  # parties: a plain scan, grouped in Python


def _parties_by_agreement(
    conn: Connection, stmt: Select, params: dict[str, object]
) -> dict[int, tuple[PartyRef, ...]]:
    groups: dict[int, list[PartyRef]] = {}
    new = tuple.__new__  # PartyRef(...) without the keyword handling: this loop runs per party
    for agreement_id, kind, code, name, is_provider in conn.execute(stmt, params).all():
        party = new(PartyRef, (kind, code, name, is_provider))
        bucket = groups.get(agreement_id)
        if bucket is None:
            groups[agreement_id] = [party]
        else:
            bucket.append(party)
    return {k: tuple(v) for k, v in groups.items()}


def summaries(conn: Connection, filters: Filters | None = None) -> list[AgreementSummary]:
    """Agreements matching ``filters``, ordered by id, with their active parties."""
    shape, params = _shape(filters or Filters())
    agreements, party_stmt = _summary_statements(shape)
    empty: tuple[PartyRef, ...] = ()
    new = tuple.__new__
    with no_gc():
        parties = _parties_by_agreement(conn, party_stmt, params)
        return [
            new(AgreementSummary, (*row, parties.get(row[0], empty)))
            for row in conn.execute(agreements, params).all()
        ]


@dataclass(frozen=True)
class Overlap:
    """An existing agreement that a suggested cluster overlaps: which members they share."""

    agreement: AgreementSummary
    shared: tuple[str, ...]

    @property
    def covers(self) -> bool:
        """Whether the agreement's kab/kota include every shared code asked about."""
        return set(self.shared) <= set(self.agreement.members)


def overlapping(
    conn: Connection, codes: Iterable[str], sector: str, *, min_shared: int
) -> list[Overlap]:
    """Agreements of ``sector`` (not cancelled) sharing kab/kota with ``codes``.

    An agreement counts when it shares at least ``min_shared`` kab/kota with the cluster, or
    all of the cluster's members when the cluster is smaller. Most shared first, then by stage
    (in force first, ended last) and id.
    """
    return overlapping_many(conn, [codes], sector, min_shared=min_shared)[0]


def overlapping_many(
    conn: Connection, clusters: Sequence[Iterable[str]], sector: str, *, min_shared: int
) -> list[list[Overlap]]:
    """:func:`overlapping` of each cluster of ``clusters``, in two queries for all of them
    (the map page labels every shown candidate on every rerun)."""
    wanted = [sorted(set(codes)) for codes in clusters]
    every = sorted(set().union(*wanted)) if wanted else []
    if not every:
        return [[] for _ in wanted]
    stmt = (
        select(P.c.agreement_id, P.c.code)
        .join(A, A.c.id == P.c.agreement_id)
        .where(
            A.c.sector == sector,
            A.c.stage != "dibatalkan",
            P.c.active,
            P.c.kind == "kabkota",
            P.c.code.in_(every),
        )
        .order_by(P.c.agreement_id, P.c.code)
    )
    parties: dict[int, list[str]] = {}
    for agreement_id, code in conn.execute(stmt):
        parties.setdefault(agreement_id, []).append(code)
    hits_of = []
    for codes in wanted:
        need = min(min_shared, len(codes))
        members = set(codes)
        hits = {}
        for agreement_id, found in parties.items():
            shared = [c for c in found if c in members]
            if codes and len(shared) >= need:
                hits[agreement_id] = shared
        hits_of.append(hits)
    ids = sorted(set().union(*(h.keys() for h in hits_of)))
    found = {s.id: s for s in summaries(conn, Filters(ids=ids))} if ids else {}
    result = []
    for hits in hits_of:
        overlaps = [Overlap(found[k], tuple(v)) for k, v in hits.items()]
        overlaps.sort(
            key=lambda o: (-len(o.shared), _OVERLAP_ORDER[o.agreement.stage], o.agreement.id)
        )
        result.append(overlaps)
    return result
