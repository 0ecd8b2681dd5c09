"""The registry: one object to read and write agreements.

>>> reg = Registry.open("sqlite:///:memory:", local_user="tkksd")   # doctest: +SKIP
>>> aid = reg.add({"name": "TPA Regional", "sector": "waste", "form": "joint",
...                "stage": "kb", "kb_on": "2024-03-01", "members": "64.71;64.72"})
>>> reg.alerts(today=dt.date(2024, 10, 1)).alerts[0].rule                      # doctest: +SKIP
'kb_without_pks'

Reads are open. Every write goes through :meth:`Registry.write`, which attributes it: to the
editor of a valid login ``token`` (the app; checked on the server for each write), else to
``local_user`` (the command line, local access), else it is refused with
:class:`~registry.errors.LoginRequired`. Each write is one transaction: all of it is saved, or
nothing. Every change is written to the audit log (:mod:`registry.audit`). An agreement carries
a ``version``: :meth:`edit` refuses to save over a version other than the one the editor loaded
(:class:`~registry.errors.EditConflict`), so two people editing the same agreement cannot
overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from common.errors import InputError
from geo.codes import normalize_code
from registry import alerts as alert_rules
from registry import audit, db, queries, records
from registry.auth import editor_for, utcnow
from registry.errors import EditConflict, Lines, LoginRequired
from registry.models import (
    FINAL_STAGES,
    STAGES,
    Agreement,
    AuditEntry,
    BudgetCommitment,
    Document,
    MonitoringEntry,
    Party,
    stage_column,
)
from registry.queries import AgreementSummary, Filters, Overlap, PartyRef
from registry.settings import Settings, settings_from

#: Agreement columns copied into :class:`AgreementDetail` as they are.
DETAIL_COLUMNS = tuple(c.key for c in Agreement.__table__.columns if c.key not in ("pks_clauses",))


@dataclass(frozen=True)
class BudgetLine:
    party_code: str | None
    party_name: str
    year: int
    amount: Decimal
    note: str


@dataclass(frozen=True)
class DocumentRef:
    id: int
    kind: str
    number: str
    issued_on: dt.date | None
    title: str
    link: str
    file_name: str


@dataclass(frozen=True)
class MonitoringRecord:
    id: int
    period: dt.date
    status: str
    note: str
    indicators: dict
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    user: str
    action: str
    table: str
    row_id: int
    field: str | None
    old: str | None
    new: str | None


@dataclass(frozen=True)
class AgreementDetail:
    """Everything recorded about one agreement (``values``: every column by name)."""

    values: dict[str, Any]
    pks_clauses: tuple[str, ...]
    parties: tuple[PartyRef, ...]
    budgets: tuple[BudgetLine, ...]
    documents: tuple[DocumentRef, ...]
    monitoring: tuple[MonitoringRecord, ...] = field(default=())

    @property
    def id(self) -> int:
        return self.values["id"]

    @property
    def version(self) -> int:
        return self.values["version"]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


class Registry:
    """The agreements registry on one database.

    Parameters
    ----------
    engine
        A SQLAlchemy engine on a database at the newest schema revision
        (:meth:`open` creates or upgrades it).
    local_user
        Name writes are attributed to without a login (command line: the OS user or
        ``--user``). None (the app): every write needs an editor ``token``.
    config
        The sector configuration (:func:`analysis.config.load_config`): sector ids and the
        ``[registry]`` thresholds. Default: the packaged one.
    places
        Regions to check party codes against and take names from: a frame indexed by canonical
        kab/kota code with ``name`` and ``province`` columns (``province_name`` optional), such
        as :func:`geo.boundaries.read_boundaries`' result. None: codes are checked for their
        shape only.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        local_user: str | None = None,
        config: Any = None,
        places: pd.DataFrame | None = None,
    ) -> None:
        if config is None:
            from analysis.config import load_config

            config = load_config()
        self.engine = engine
        self.local_user = local_user
        self.config = config
        self.settings: Settings = settings_from(config)
        self.places = places
        #: what seeding a new database added (:meth:`open` with ``seed_new``), else None
        self.seeded: Any = None
        self._factory = audit.install(sessionmaker(engine, expire_on_commit=False))

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        local_user: str | None = None,
        config: Any = None,
        places: pd.DataFrame | None = None,
        seed_new: bool = False,
    ) -> Registry:
        """Open the registry at ``url`` (see :func:`registry.db.resolve_url`).

        An empty database is created at the newest schema; with ``seed_new`` it is then seeded
        with the documented arrangements (:func:`registry.seed.seed`, when the file is there;
        the result is in :attr:`seeded`). An older SQLite database is copied aside and upgraded;
        an older PostgreSQL database is refused with the command that upgrades it (a shared
        server is upgraded on purpose, after a dump).
        """
        url = db.resolve_url(url)
        engine = db.make_engine(url)
        found = db.current_revision(engine)
        head = db.head_revision()
        if found != head:
            if found is not None and db.sqlite_path(url) is None and found in db.revisions():
                engine.dispose()
                raise InputError(
                    "errors.registry.db_behind", url=db.shown_url(url), found=found, head=head
                )
            db.upgrade(url)
        reg = cls(engine, local_user=local_user, config=config, places=places)
        if found is None and seed_new:
            from registry import seed

            if seed.DEFAULT_CSV.is_file():
                seeder = cls(engine, local_user=seed.SEED_USER, config=config, places=places)
                reg.seeded = seed.seed(seeder)
        return reg

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ sessions
    def session(self) -> Session:
        """A new ORM session (audited)."""
        return self._factory()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with self._factory() as session:
            yield session

    @contextmanager
    def write(self, token: str | None) -> Iterator[Session]:
        """One attributed write transaction (see the class docstring)."""
        with self._factory() as session:
            try:
                with session.begin():
                    now = utcnow()
                    if token is not None:
                        actor = editor_for(session, token, now).username
                    elif self.local_user:
                        actor = self.local_user
                    else:
                        raise LoginRequired("errors.registry.login_required")
                    session.info["actor"] = actor
                    session.info["now"] = now
                    yield session
            except StaleDataError:
                raise EditConflict("errors.registry.conflict_race") from None

    # ------------------------------------------------------------------ reads
    def list(
        self,
        *,
        sector: str | None = None,
        stage: str | Sequence[str] | None = None,
        province: str | None = None,
        alerts: bool = False,
        today: dt.date | None = None,
    ) -> list[AgreementSummary]:
        """Agreements by id, filtered by sector, stage(s), province (a party's province code)
        and, with ``alerts=True``, only those with an open alert on ``today``."""
        filters = Filters(sector=sector, stage=stage, province=_province(province))
        with self.engine.connect() as conn:
            if alerts:
                report = alert_rules.compute(
                    conn, today or dt.date.today(), self.settings.alerts, filters
                )
                ids = sorted({a.agreement_id for a in report.alerts})
                filters = Filters(ids=ids)
            return queries.summaries(conn, filters)

    def get(self, agreement_id: int) -> AgreementDetail:
        """One agreement with its parties, budget, documents and monitoring entries."""
        with self.read_session() as session:
            a = self._agreement(session, agreement_id)
            monitoring = session.scalars(
                select(MonitoringEntry)
                .where(MonitoringEntry.agreement_id == a.id)
                .order_by(MonitoringEntry.period)
            ).all()
            names = {p.id: p for p in a.parties}
            return AgreementDetail(
                values={k: getattr(a, k) for k in DETAIL_COLUMNS},
                pks_clauses=tuple(a.pks_clauses or ()),
                parties=tuple(
                    PartyRef(p.kind, p.code, p.name, p.is_provider) for p in a.parties if p.active
                ),
                budgets=tuple(
                    BudgetLine(
                        names[b.party_id].code, names[b.party_id].name, b.year, b.amount, b.note
                    )
                    for b in a.budgets
                ),
                documents=tuple(
                    DocumentRef(d.id, d.kind, d.number, d.issued_on, d.title, d.link, d.file_name)
                    for d in a.documents
                ),
                monitoring=tuple(
                    MonitoringRecord(
                        m.id,
                        m.period,
                        m.status,
                        m.note,
                        dict(m.indicators or {}),
                        m.recorded_by,
                        m.recorded_at,
                    )
                    for m in monitoring
                ),
            )

    def history(self, agreement_id: int) -> list[HistoryEntry]:
        """The audit log of one agreement (and its parties, budget, documents, monitoring)."""
        with self.read_session() as session:
            self._agreement(session, agreement_id)
            rows = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.agreement_id == agreement_id)
                .order_by(AuditEntry.id)
            ).all()
            return [
                HistoryEntry(
                    r.at, r.user_name, r.action, r.table_name, r.row_id, r.field, r.old, r.new
                )
                for r in rows
            ]

    def alerts(
        self,
        today: dt.date | None = None,
        *,
        sector: str | None = None,
        province: str | None = None,
        ids: Sequence[int] | None = None,
    ) -> alert_rules.AlertReport:
        """Open alerts on ``today`` (default: the real today), optionally in one scope (sector,
        province, or the agreements ``ids``)."""
        filters = Filters(sector=sector, province=_province(province), ids=ids)
        with self.engine.connect() as conn:
            return alert_rules.compute(
                conn, today or dt.date.today(), self.settings.alerts, filters
            )

    def open_alerts(
        self,
        province: str | None = None,
        sector: str | None = None,
        *,
        today: dt.date | None = None,
    ) -> alert_rules.AlertReport:
        """Alerts in a scope (province code, sector): for the briefing pack and the app."""
        return self.alerts(today, sector=sector, province=province)

    def agreements_overlapping(
        self, codes: Sequence[str], sector: str, *, min_shared: int | None = None
    ) -> list[Overlap]:
        """Existing agreements of ``sector`` that a suggested cluster (kab/kota ``codes``)
        overlaps (see :func:`registry.queries.overlapping`; default threshold from the config)."""
        return self.agreements_overlapping_many([codes], sector, min_shared=min_shared)[0]

    def agreements_overlapping_many(
        self, clusters: Sequence[Sequence[str]], sector: str, *, min_shared: int | None = None
    ) -> list[list[Overlap]]:
        """:meth:`agreements_overlapping` of each cluster of ``clusters`` (one look-up)."""
        wanted = [[c for c in (normalize_code(x) for x in codes) if c] for codes in clusters]
        need = min_shared or self.settings.alerts.overlap_min_shared
        with self.engine.connect() as conn:
            return queries.overlapping_many(conn, wanted, sector, min_shared=need)

    # ------------------------------------------------------------------ writes
    def add(self, values: Mapping[str, Any], *, token: str | None = None) -> int:
        """Record a new agreement; return its id."""
        (added,) = self.add_many([values], token=token)
        assert added is not None
        return added

    def add_many(
        self,
        rows: Sequence[Mapping[str, Any]],
        *,
        token: str | None = None,
        source: str | None = None,
        row_numbers: Sequence[int] | None = None,
        skip_seeded: bool = False,
    ) -> list[int | None]:
        """Record several agreements all-or-nothing; return their ids (None for skipped rows).

        Every row is checked before anything is written. With ``source`` (an import file) a
        bad row is reported as ``source, row N`` (``row_numbers``: the file's row number of
        each row; default 2, 3, ... as below a header line), every bad row at once.
        ``skip_seeded`` skips rows whose ``seed_id`` is already recorded (re-running the seed).
        """
        numbers = (
            list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(rows))]
        )
        parsed = []
        problems: list[InputError] = []
        seen_seeds: dict[str, int] = {}
        for i, values in enumerate(rows):
            try:
                out, parties = records.parse_agreement(
                    values, sectors=self.config.sectors, places=self.places
                )
                seed = out.get("seed_id")
                if seed is not None:
                    if seed in seen_seeds:
                        raise InputError(
                            "errors.registry.duplicate_seed", value=seed, row=seen_seeds[seed]
                        )
                    seen_seeds[seed] = numbers[i]
                parsed.append((out, parties))
            except InputError as err:
                if source is None:
                    raise
                problems.append(_row_error(err, source, numbers[i]))
        if problems:
            raise _import_failed(problems)
        ids: list[int | None] = []
        with self.write(token) as session:
            existing = set()
            if seen_seeds:
                existing = set(
                    session.scalars(
                        select(Agreement.seed_id).where(Agreement.seed_id.in_(list(seen_seeds)))
                    )
                )
            for i, (out, parties) in enumerate(parsed):
                if out.get("seed_id") in existing:
                    if skip_seeded:
                        ids.append(None)
                        continue
                    err = InputError("errors.registry.seed_exists", value=out["seed_id"])
                    raise (
                        err
                        if source is None
                        else _import_failed([_row_error(err, source, numbers[i])])
                    )
                if out.get("renews_id") is not None:
                    self._agreement(session, out["renews_id"])
                agreement = Agreement(
                    **out,
                    created_at=session.info["now"],
                    created_by=session.info["actor"],
                    updated_at=session.info["now"],
                    updated_by=session.info["actor"],
                )
                session.add(agreement)
                session.flush()
                for spec in parties:
                    session.add(_party(agreement.id, spec))
                ids.append(agreement.id)
            session.flush()
        return ids

    def edit(
        self,
        agreement_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int,
        token: str | None = None,
    ) -> int:
        """Change fields of an agreement loaded at ``expected_version``; return the new version.

        Raises :class:`EditConflict` (nothing saved; ``err.unsaved`` holds ``changes``) when
        the agreement was saved by someone else since.
        """
        bad = sorted(set(changes) - set(records.EDITABLE))
        if bad:
            raise InputError(
                "errors.registry.not_editable",
                fields=", ".join(bad),
                allowed=", ".join(records.EDITABLE),
            )
        with self.write(token) as session:
            a = self._agreement(session, agreement_id)
            self._check_version(a, expected_version, changes)
            merged = _values_of(a)
            merged.update(changes)
            if (
                any(k in changes for k in ("start_on", "duration_months"))
                and "end_on" not in changes
            ):
                merged["end_on"] = None  # recomputed from the new start/duration
            out, parties = records.parse_agreement(
                merged, sectors=self.config.sectors, places=self.places
            )
            if out.get("renews_id") not in (None, a.renews_id):
                self._agreement(session, out["renews_id"])
            for key, value in out.items():
                if (
                    key in ("stage", "seed_id")
                    or key.endswith("_on")
                    and key
                    not in (
                        "start_on",
                        "end_on",
                        "dprd_on",
                    )
                ):
                    continue
                if getattr(a, key) != value:
                    setattr(a, key, value)
            if any(k in changes for k in records.PARTY_FIELDS):
                _reconcile_parties(session, a, parties)
            self._touch(session, a)
            session.flush()
            return a.version

    def advance(
        self,
        agreement_id: int,
        stage: str,
        on: dt.date | str,
        *,
        expected_version: int | None = None,
        token: str | None = None,
    ) -> int:
        """Move an agreement to a later stage reached on ``on``; return the new version.

        Stages only move forward (usulan -> kb -> pks -> berjalan -> berakhir; a step may be
        skipped); ``dibatalkan`` (cancelled) is possible from any stage that is not final.
        """
        stage = records.choice(stage, "stage", STAGES)
        day = records.date(on, stage_column(stage))
        if day is None:
            raise InputError("errors.registry.stage_date", field=stage_column(stage), stage=stage)
        with self.write(token) as session:
            a = self._agreement(session, agreement_id)
            if expected_version is not None:
                self._check_version(a, expected_version, {"stage": stage, "on": day})
            current = STAGES.index(a.stage)
            target = STAGES.index(stage)
            if a.stage in FINAL_STAGES or (stage != "dibatalkan" and target <= current):
                raise InputError("errors.registry.stage_backwards", current=a.stage, stage=stage)
            for earlier in STAGES[: min(target, 5)]:
                previous = getattr(a, stage_column(earlier))
                if previous is not None and day < previous:
                    raise InputError(
                        "errors.registry.stage_order",
                        field=stage_column(stage),
                        day=day.isoformat(),
                        before=stage_column(earlier),
                        before_day=previous.isoformat(),
                    )
            a.stage = stage
            setattr(a, stage_column(stage), day)
            self._touch(session, a)
            session.flush()
            return a.version

    def record_monitoring(
        self,
        agreement_id: int,
        values: Mapping[str, Any],
        *,
        replace: bool = False,
        token: str | None = None,
        today: dt.date | None = None,
    ) -> int:
        """Record the monitoring entry of one month (``period``, ``status``, ``note``,
        ``indicators``); return its id. An existing month is changed only with ``replace``."""
        checked = records.parse_monitoring(values)
        if checked["period"] > (today or dt.date.today()):
            raise InputError(
                "errors.registry.future_period", value=checked["period"].isoformat()[:7]
            )
        with self.write(token) as session:
            a = self._agreement(session, agreement_id)
            if a.stage in ("usulan", "kb", "dibatalkan"):
                raise InputError("errors.registry.monitor_stage", stage=a.stage)
            entry = session.scalar(
                select(MonitoringEntry).where(
                    MonitoringEntry.agreement_id == a.id,
                    MonitoringEntry.period == checked["period"],
                )
            )
            if entry is not None and not replace:
                raise InputError(
                    "errors.registry.monitoring_exists", period=checked["period"].isoformat()[:7]
                )
            if entry is None:
                entry = MonitoringEntry(agreement_id=a.id, **checked)
                session.add(entry)
            else:
                for key, value in checked.items():
                    if getattr(entry, key) != value:
                        setattr(entry, key, value)
            entry.recorded_by = session.info["actor"]
            entry.recorded_at = session.info["now"]
            session.flush()
            return entry.id

    def commit_budget(
        self,
        agreement_id: int,
        party: str,
        year: int | str,
        amount: Any,
        *,
        note: str = "",
        token: str | None = None,
    ) -> int:
        """Record (or change) a party's budget commitment for a year; return the new version."""
        year_ = records.integer(year, "year", 2000, 2200)
        if year_ is None:
            raise InputError("errors.registry.required", field="year")
        money = records.amount(amount)
        note = records.text(note, "note")
        with self.write(token) as session:
            a = self._agreement(session, agreement_id)
            target = _find_party(a, party)
            line = session.scalar(
                select(BudgetCommitment).where(
                    BudgetCommitment.party_id == target.id, BudgetCommitment.year == year_
                )
            )
            if line is None:
                session.add(
                    BudgetCommitment(
                        agreement_id=a.id, party_id=target.id, year=year_, amount=money, note=note
                    )
                )
            else:
                if line.amount != money:
                    line.amount = money
                if line.note != note:
                    line.note = note
            self._touch(session, a)
            session.flush()
            return a.version

    def add_document(
        self, agreement_id: int, values: Mapping[str, Any], *, token: str | None = None
    ) -> int:
        """Record a document reference (number, date, link or file name); return its id."""
        checked = records.parse_document(values)
        with self.write(token) as session:
            a = self._agreement(session, agreement_id)
            doc = Document(agreement_id=a.id, **checked)
            session.add(doc)
            self._touch(session, a)
            session.flush()
            return doc.id

    def draft_from_candidate(
        self,
        candidate: Mapping[str, Any],
        *,
        name: str | None = None,
        token: str | None = None,
        today: dt.date | None = None,
    ) -> int:
        """A draft agreement (stage usulan) from a suggested cluster.

        ``candidate`` is a row of the candidates frame (:func:`analysis.pipeline.score`):
        ``sector``, ``form``, ``members`` (codes), ``provider`` (code or None), and optionally
        ``member_names``, ``cluster_id`` and ``explanation`` (the rationale, kept in ``notes``).
        """
        members = [c for c in (normalize_code(m) for m in candidate["members"]) if c]
        names = list(candidate.get("member_names") or [])
        title = name or " – ".join(str(n) for n in names) or " – ".join(members)
        provider = candidate.get("provider")
        explanation = candidate.get("explanation") or ""
        if isinstance(explanation, list | tuple):
            explanation = "\n".join(str(x) for x in explanation)
        cluster = candidate.get("cluster_id")
        values = {
            "name": title[:300],
            "sector": candidate["sector"],
            "form": candidate["form"] if candidate["form"] in ("joint", "contract") else "other",
            "stage": "usulan",
            "usulan_on": today or dt.date.today(),
            "members": members,
            "provider": "" if provider is None or provider != provider else str(provider),
            "notes": str(explanation),
            "evidence": f"kerjasama suggest {cluster}" if cluster else "kerjasama suggest",
        }
        return self.add(values, token=token)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _agreement(session: Session, agreement_id: int) -> Agreement:
        a = session.get(Agreement, agreement_id) if isinstance(agreement_id, int) else None
        if a is None:
            raise InputError("errors.registry.not_found", id=agreement_id)
        return a

    @staticmethod
    def _check_version(a: Agreement, expected: int, changes: Mapping[str, Any]) -> None:
        if a.version != expected:
            raise EditConflict(
                "errors.registry.conflict",
                unsaved=dict(changes),
                id=a.id,
                name=a.name,
                loaded=expected,
                current=a.version,
                by=a.updated_by,
                at=a.updated_at.strftime("%Y-%m-%d %H:%M UTC"),
            )

    @staticmethod
    def _touch(session: Session, a: Agreement) -> None:
        a.updated_at = session.info["now"]
        a.updated_by = session.info["actor"]


def _row_error(err: InputError, source: str, row: int) -> InputError:
    return InputError("errors.registry.row", file=source, row=row, problem=err)


def _import_failed(problems: Sequence[InputError]) -> InputError:
    """Every bad row of an import at once (nothing was written)."""
    return InputError("errors.registry.import_failed", n=len(problems), problems=Lines(problems))


def _province(code: str | None) -> str | None:
    if code is None or code == "":
        return None
    out = normalize_code(code)
    if out is None or len(out) != 2:
        raise InputError("errors.registry.bad_province_code", field="province", value=str(code))
    return out


def _party(agreement_id: int, spec: records.PartySpec) -> Party:
    return Party(
        agreement_id=agreement_id,
        kind=spec.kind,
        code=spec.code,
        province=spec.province,
        name=spec.name,
        is_provider=spec.is_provider,
        active=True,
    )


def _values_of(a: Agreement) -> dict[str, Any]:
    """An agreement's values in the shape :func:`records.parse_agreement` reads."""
    values = {f: getattr(a, f) for f in records.FIELDS if f not in records.PARTY_FIELDS}
    active = [p for p in a.parties if p.active]
    values["members"] = [p.code for p in active if p.kind == "kabkota"]
    values["provinces"] = [p.code for p in active if p.kind == "province"]
    values["third_parties"] = [p.name for p in active if p.kind == "third"]
    provider = next((p for p in active if p.is_provider), None)
    values["provider"] = "" if provider is None else (provider.code or provider.name)
    return values


def _reconcile_parties(session: Session, a: Agreement, wanted: list[records.PartySpec]) -> None:
    """Make the active parties those of ``wanted``: leavers become inactive, never deleted."""
    by_key = {}
    for p in a.parties:
        key = (p.kind, p.code or p.name.casefold())
        if p.active or key not in by_key:
            by_key[key] = p
    wanted_keys = {s.key for s in wanted}
    for key, p in by_key.items():
        if key not in wanted_keys and p.active:
            p.active = False
    for spec in wanted:
        p = by_key.get(spec.key)
        if p is None:
            session.add(_party(a.id, spec))
            continue
        if not p.active:
            p.active = True
        if p.is_provider != spec.is_provider:
            p.is_provider = spec.is_provider
        if spec.name and p.name != spec.name:
            p.name = spec.name


def _find_party(a: Agreement, party: str) -> Party:
    code = normalize_code(party)
    for p in a.parties:
        if not p.active:
            continue
        if code is not None and p.code == code:
            return p
        if p.kind == "third" and p.name.casefold() == str(party).strip().casefold():
            return p
    raise InputError("errors.registry.no_such_party", party=str(party), id=a.id)
