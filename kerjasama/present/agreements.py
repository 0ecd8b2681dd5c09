"""The agreements registry in words and tables: one place for every label of a stage, form,
party kind, monitoring status and alert, used by the command line, the app's registry page and
the briefing pack.

Everything returned is plain text (names, notes and titles as typed): the caller renders it as
plain text (table cells, ``st.text``, an autoescaped template).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from common.text import fmt_number, translator
from registry.records import dotted

#: catalogue keys (literal, so that the catalogue tests can see every key used)
STAGE_KEYS = {
    "usulan": "registry.stage_usulan",
    "kb": "registry.stage_kb",
    "pks": "registry.stage_pks",
    "berjalan": "registry.stage_berjalan",
    "berakhir": "registry.stage_berakhir",
    "dibatalkan": "registry.stage_dibatalkan",
}
FORM_KEYS = {
    "joint": "registry.form_joint",
    "contract": "registry.form_contract",
    "other": "registry.form_other",
}
KIND_KEYS = {
    "kabkota": "registry.kind_kabkota",
    "province": "registry.kind_province",
    "third": "registry.kind_third",
}
STATUS_KEYS = {
    "on_track": "registry.status_on_track",
    "delayed": "registry.status_delayed",
    "problem": "registry.status_problem",
    "stopped": "registry.status_stopped",
}
DOCUMENT_KEYS = {
    "kb": "registry.doc_kb",
    "pks": "registry.doc_pks",
    "addendum": "registry.doc_addendum",
    "dprd": "registry.doc_dprd",
    "report": "registry.doc_report",
    "other": "registry.doc_other",
}
DPRD_KEYS = {
    "unknown": "registry.dprd_unknown",
    "not_needed": "registry.dprd_not_needed",
    "needed": "registry.dprd_needed",
    "approved": "registry.dprd_approved",
}
ALERT_KEYS = {
    "kb_without_pks": "registry.alert_kb_without_pks",
    "pks_ending": "registry.alert_pks_ending",
    "pks_expired": "registry.alert_pks_expired",
    "monitoring_overdue": "registry.alert_monitoring_overdue",
    "budget_missing": "registry.alert_budget_missing",
}
RULE_KEYS = {
    "kb_without_pks": "registry.rule_kb_without_pks",
    "pks_ending": "registry.rule_pks_ending",
    "pks_expired": "registry.rule_pks_expired",
    "monitoring_overdue": "registry.rule_monitoring_overdue",
    "budget_missing": "registry.rule_budget_missing",
}


def stage_label(stage: str, tr) -> str:
    return tr(STAGE_KEYS[stage])


def party_text(p, names: Mapping[str, str] | None = None) -> str:
    """``Name (64.71)`` for a kab/kota, ``Name (64)`` for a province, the name of a third party;
    the provider marked with ``*``. ``names`` (code -> name) names a party recorded without one."""
    code = dotted(p.code) if p.kind == "kabkota" else (p.code or "")
    name = p.name or (names or {}).get(p.code or "", "")
    label = f"{name} ({code})" if name and code else (name or code)
    return label + (" *" if p.is_provider else "")


def stage_when(s) -> str:
    """When the current stage was reached: its date, else the source's year, else ``?``."""
    return s.stage_on.isoformat() if s.stage_on else (str(s.year) if s.year else "?")


def summary_line(s, tr) -> str:
    """One agreement in two lines (command line ``list``)."""
    flag = f" [{tr('registry.documented')}]" if s.documented else ""
    parties = "; ".join(party_text(p) for p in s.parties)
    return (
        f"#{s.id} {s.name} — {stage_label(s.stage, tr)} ({stage_when(s)}), {s.sector}, "
        f"{tr(FORM_KEYS[s.form])}{flag}\n    {parties}"
    )


def alert_line(alert, tr) -> str:
    """One open alert as a sentence that says what to do."""
    params = {
        "id": alert.agreement_id,
        "name": alert.name,
        "due": alert.due.isoformat(),
        "days": abs(alert.days),
        "months": max(alert.days, 0) // 30,
    }
    if alert.rule == "monitoring_overdue":
        params["month"] = alert.due.isoformat()[:7]
        params["last"] = alert.detail.get("last_period") or tr("registry.never")
    if alert.rule == "budget_missing":
        params["year"] = alert.detail["year"]
        params["parties"] = ", ".join(dotted(c) for c in alert.detail["parties"])
    return tr(ALERT_KEYS[alert.rule], **params)


def overlap_label(overlap, lang: str) -> str:
    """ "sudah ada kerja sama: <name> (<stage>, <year>)" for a suggestion that overlaps an
    existing agreement of its sector (:class:`registry.queries.Overlap`)."""
    tr = translator(lang)
    a = overlap.agreement
    return tr(
        "registry.overlap_label",
        name=a.name,
        stage=stage_label(a.stage, tr),
        year=a.known_year if a.known_year else "?",
    )


def sector_text(sector: str, config, lang: str) -> str:
    sectors = getattr(config, "sectors", {}) or {}
    return sectors[sector].label(lang) if sector in sectors else sector


def agreement_table(
    summaries: Sequence,
    lang: str,
    *,
    config=None,
    alerts: Mapping[int, Sequence] | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The agreements as a table (one row each, plain-text cells): id, name, sector, form,
    stage and when it was reached, parties (provider marked ``*``), open alerts."""
    tr = translator(lang)
    alerts = alerts or {}
    rows = [
        {
            tr("registry.col_id"): s.id,
            tr("registry.col_name"): s.name,
            tr("registry.col_sector"): sector_text(s.sector, config, lang),
            tr("registry.col_form"): tr(FORM_KEYS[s.form]),
            tr("registry.col_stage"): f"{stage_label(s.stage, tr)} ({stage_when(s)})",
            tr("registry.col_parties"): "; ".join(party_text(p, names) for p in s.parties),
            tr("registry.col_alerts"): len(alerts.get(s.id, ())),
            tr("registry.col_documented"): tr("registry.yes") if s.documented else "",
        }
        for s in summaries
    ]
    columns = [
        tr(k)
        for k in (
            "registry.col_id",
            "registry.col_name",
            "registry.col_sector",
            "registry.col_form",
            "registry.col_stage",
            "registry.col_parties",
            "registry.col_alerts",
            "registry.col_documented",
        )
    ]
    return pd.DataFrame(rows, columns=columns)


def alert_table(alerts: Iterable, lang: str) -> pd.DataFrame:
    """Open alerts: agreement id, rule, due date, and what to do."""
    tr = translator(lang)
    rows = [
        {
            tr("registry.col_id"): a.agreement_id,
            tr("registry.col_rule"): tr(RULE_KEYS[a.rule]),
            tr("registry.col_due"): a.due.isoformat(),
            tr("registry.col_alert"): alert_line(a, tr),
        }
        for a in alerts
    ]
    columns = [
        tr(k)
        for k in ("registry.col_id", "registry.col_rule", "registry.col_due", "registry.col_alert")
    ]
    return pd.DataFrame(rows, columns=columns)


def history_table(entries: Iterable, lang: str) -> pd.DataFrame:
    """The audit log of an agreement: when (UTC), who, what, old and new value."""
    tr = translator(lang)
    rows = [
        {
            tr("registry.col_at"): f"{h.at:%Y-%m-%d %H:%M}",
            tr("registry.col_user"): h.user,
            tr("registry.col_what"): f"{h.table}#{h.row_id} {h.field or h.action}",
            tr("registry.col_old"): h.old or "",
            tr("registry.col_new"): h.new or "",
        }
        for h in entries
    ]
    columns = [
        tr(k)
        for k in (
            "registry.col_at",
            "registry.col_user",
            "registry.col_what",
            "registry.col_old",
            "registry.col_new",
        )
    ]
    return pd.DataFrame(rows, columns=columns)


def money(amount, lang: str) -> str:
    """A rupiah amount, ``Rp 1.500.000`` (id) / ``Rp 1,500,000`` (en)."""
    return f"Rp {fmt_number(float(amount), lang, decimals=0)}"
