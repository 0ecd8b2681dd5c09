"""Follow-up alerts, computed for a given day.

Rules (thresholds in ``[registry.alerts]`` of the sector config, :mod:`registry.settings`):

``kb_without_pks``
    Stage ``kb`` and the KB was signed ``kb_without_pks_months`` or more months ago.
``pks_ending`` / ``pks_expired``
    Stage ``pks`` or ``berjalan`` and the end date is within ``pks_ending_days`` days
    (``pks_expired``: the end date has passed but the stage was not moved to ``berakhir``).
``monitoring_overdue``
    Stage ``berjalan``: the monitoring entry of a month is due ``monitoring_grace_days`` days after
    the month ends; an agreement is overdue when its latest entry is older than the latest due
    month (entries every ``monitoring_interval_months`` months), counting from the month it
    started running (``berjalan_on``, else ``start_on``).
``budget_missing``
    From month ``budget_from_month`` on, an agreement in force that runs into next year (end
    date on or after 1 January) lacks a budget commitment for next year from one of its
    kab/kota or province parties.

A rule that needs a date the agreement does not have (seeded documented rows often know only a
year) raises no alert; the agreement is listed under ``dates_unknown`` with the rules concerned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Connection, and_, exists, func, select

from registry.models import ACTIVE_STAGES, Agreement, BudgetCommitment, MonitoringEntry, Party
from registry.queries import Filters, _filtered, no_gc
from registry.records import add_months
from registry.settings import AlertSettings

A = Agreement.__table__
P = Party.__table__
B = BudgetCommitment.__table__
M = MonitoringEntry.__table__

RULES: tuple[str, ...] = (
    "kb_without_pks",
    "pks_expired",
    "pks_ending",
    "monitoring_overdue",
    "budget_missing",
)


class Alert(NamedTuple):
    """One open alert. ``due`` is the date the rule looks at (KB date, end date, first missing
    monitoring month, 1 January of the budget year); ``days`` is how many days past it (negative:
    days left); ``detail`` holds rule facts (missing parties, last monitored month...)."""

    rule: str
    agreement_id: int
    name: str
    sector: str
    stage: str
    due: dt.date
    days: int
    detail: dict | None = None


@dataclass(frozen=True)
class DatesUnknown:
    """An agreement some rule could not check for lack of a date."""

    agreement_id: int
    name: str
    stage: str
    documented: bool
    rules: tuple[str, ...]


@dataclass(frozen=True)
class AlertReport:
    """Open alerts (rule order, then agreement id) and the agreements with unknown dates."""

    today: dt.date
    alerts: tuple[Alert, ...]
    dates_unknown: tuple[DatesUnknown, ...]

    @property
    def open(self) -> bool:
        return bool(self.alerts)

    def for_agreement(self, agreement_id: int) -> tuple[Alert, ...]:
        return tuple(a for a in self.alerts if a.agreement_id == agreement_id)


def latest_due_month(today: dt.date, grace_days: int) -> dt.date:
    """The latest month whose monitoring entry is due on ``today``."""
    ref = today - dt.timedelta(days=grace_days)
    return add_months(ref.replace(day=1), -1)


def compute(
    conn: Connection,
    today: dt.date,
    settings: AlertSettings,
    filters: Filters | None = None,
) -> AlertReport:
    """Every open alert on ``today`` for the agreements matching ``filters``."""
    with no_gc():
        return _compute(conn, today, settings, filters or Filters())


def _compute(
    conn: Connection, today: dt.date, settings: AlertSettings, filters: Filters
) -> AlertReport:
    alerts: list[Alert] = []
    unknown: dict[int, tuple[str, str, bool, list[str]]] = {}

    def note_unknown(row, rule: str) -> None:
        entry = unknown.setdefault(row[0], (row[1], row[3], bool(row[4]), []))
        if rule not in entry[3]:
            entry[3].append(rule)

    # each row starts with (id, name, sector, stage, documented); rows are fetched at once
    base = [A.c.id, A.c.name, A.c.sector, A.c.stage, A.c.documented]

    # KB without PKS
    cutoff = add_months(today, -settings.kb_without_pks_months)
    stmt = _filtered(select(*base, A.c.kb_on), filters).where(
        A.c.stage == "kb", (A.c.kb_on.is_(None)) | (A.c.kb_on <= cutoff)
    )
    for row in conn.execute(stmt.order_by(A.c.id)).all():
        kb_on = row[5]
        if kb_on is None:
            note_unknown(row, "kb_without_pks")
        else:
            alerts.append(_alert("kb_without_pks", row, kb_on, today))

    # PKS ending or expired
    horizon = today + dt.timedelta(days=settings.pks_ending_days)
    stmt = _filtered(select(*base, A.c.end_on), filters).where(
        A.c.stage.in_(ACTIVE_STAGES), (A.c.end_on.is_(None)) | (A.c.end_on <= horizon)
    )
    for row in conn.execute(stmt.order_by(A.c.id)).all():
        end_on = row[5]
        if end_on is None:
            note_unknown(row, "pks_ending")
        else:
            rule = "pks_expired" if end_on < today else "pks_ending"
            alerts.append(_alert(rule, row, end_on, today))

    # monitoring overdue
    interval = settings.monitoring_interval_months
    due_month = latest_due_month(today, settings.monitoring_grace_days)
    need = add_months(due_month, -(interval - 1))
    last = select(func.max(M.c.period)).where(M.c.agreement_id == A.c.id).scalar_subquery()
    stmt = (
        _filtered(select(*base, A.c.berjalan_on, A.c.start_on, last.label("last")), filters)
        .where(A.c.stage == "berjalan")
        .order_by(A.c.id)
    )
    for row in conn.execute(stmt).all():
        began, last_period = row[5] or row[6], row[7]
        if last_period is not None and last_period >= need:
            continue
        if last_period is None and began is None:
            note_unknown(row, "monitoring_overdue")
            continue
        first_month = (
            add_months(last_period, interval) if last_period is not None else began.replace(day=1)
        )
        if first_month <= due_month:
            detail = {"last_period": last_period.isoformat()[:7] if last_period else None}
            alerts.append(_alert("monitoring_overdue", row, first_month, today, detail))

    # budget for next year
    if today.month >= settings.budget_from_month:
        year = today.year + 1
        jan1 = dt.date(year, 1, 1)
        committed = exists().where(and_(B.c.party_id == P.c.id, B.c.year == year))
        stmt = (
            _filtered(
                select(*base, A.c.end_on, P.c.code).select_from(
                    A.join(P, and_(P.c.agreement_id == A.c.id, P.c.active))
                ),
                filters,
            )
            .where(
                A.c.stage.in_(ACTIVE_STAGES),
                P.c.kind.in_(("kabkota", "province")),
                (A.c.end_on.is_(None)) | (A.c.end_on >= jan1),
                ~committed,
            )
            .order_by(A.c.id, P.c.id)
        )
        missing: dict[int, tuple[object, list[str]]] = {}
        for row in conn.execute(stmt).all():
            if row[5] is None:
                note_unknown(row, "budget_missing")
            else:
                missing.setdefault(row[0], (row, []))[1].append(row[6])
        for row, codes in missing.values():
            alerts.append(
                _alert("budget_missing", row, jan1, today, {"year": year, "parties": codes})
            )

    order = {r: i for i, r in enumerate(RULES)}
    alerts.sort(key=lambda a: (order[a.rule], a.agreement_id))
    dates_unknown = tuple(
        DatesUnknown(k, v[0], v[1], v[2], tuple(sorted(set(v[3]), key=order.get)))
        for k, v in sorted(unknown.items())
    )
    return AlertReport(today=today, alerts=tuple(alerts), dates_unknown=dates_unknown)


def _alert(rule: str, row, due: dt.date, today: dt.date, detail: dict | None = None) -> Alert:
    return Alert(rule, row[0], row[1], row[2], row[3], due, (today - due).days, detail or {})


def by_agreement(report: AlertReport) -> dict[int, list[Alert]]:
    """Alerts grouped by agreement id."""
    out: dict[int, list[Alert]] = {}
    for alert in report.alerts:
        out.setdefault(alert.agreement_id, []).append(alert)
    return out


__all__: Sequence[str] = ("RULES", "Alert", "AlertReport", "DatesUnknown", "compute")
