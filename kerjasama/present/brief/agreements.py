"""The briefing pack's registry section: existing agreements and open alerts in the scope.

:func:`agreements_section` reads the registry (agreements of the pack's sector with a party in
its province, or in all of Indonesia; the open alerts among them; which of the pack's candidates
overlap each) into an :class:`~kerjasama.present.brief.model.AgreementsSection` of plain text,
rendered by the HTML and PDF renderers like the rest of the pack. Without a registry the section
says that none was consulted (:func:`unavailable_section`): a reader must never take a missing
list for "no agreement exists".
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from common.text import translator
from kerjasama.present import agreements as words
from kerjasama.present.brief.model import AgreementsSection

#: agreements listed in the pack (the rest are counted, and the registry named)
ROW_LIMIT = 30


def _header(tr) -> tuple[str, ...]:
    return (
        tr("registry.col_id"),
        tr("registry.col_name"),
        tr("registry.col_stage"),
        tr("registry.col_parties"),
        tr("registry.col_overlaps"),
    )


def agreements_section(
    reg,
    *,
    sector: str,
    province: str | None,
    scope: str,
    lang: str,
    today: dt.date,
    candidates: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
    config=None,
) -> AgreementsSection:
    """The registry section for ``sector`` in ``province`` (None: all Indonesia).

    Parameters
    ----------
    reg
        An open :class:`registry.Registry` (read only here).
    candidates
        The pack's candidate rows (``rank``, ``members``): each agreement lists the ranks of the
        candidates that overlap it (:meth:`registry.Registry.agreements_overlapping_many`).
    names
        Kab/kota code -> name, for parties recorded without a name.
    """
    tr = translator(lang)
    summaries = reg.list(sector=sector, province=province)
    report = reg.open_alerts(province, sector, today=today)
    overlaps: dict[int, list[str]] = {}
    if candidates is not None:
        clusters = [[str(m) for m in members] for members in candidates["members"]]
        found = reg.agreements_overlapping_many(clusters, sector)
        for rank, hits in zip(candidates["rank"], found, strict=True):
            for hit in hits:
                overlaps.setdefault(hit.agreement.id, []).append(f"#{int(rank)}")
    rows = tuple(
        (
            str(s.id),
            s.name,
            f"{words.stage_label(s.stage, tr)} ({words.stage_when(s)})",
            "; ".join(words.party_text(p, names) for p in s.parties),
            ", ".join(overlaps.get(s.id, [])),
        )
        for s in summaries[:ROW_LIMIT]
    )
    notes = []
    if not summaries:
        notes.append(tr("registry.brief.none"))
    if len(summaries) > ROW_LIMIT:
        notes.append(tr("registry.brief.more", n=len(summaries) - ROW_LIMIT))
    if report.dates_unknown:
        notes.append(tr("registry.brief.dates_unknown", n=len(report.dates_unknown)))
    return AgreementsSection(
        heading=tr("registry.brief.heading"),
        intro=tr(
            "registry.brief.intro",
            today=today.isoformat(),
            sector=words.sector_text(sector, config, lang),
            scope=scope,
        ),
        header=_header(tr),
        rows=rows,
        alerts_heading=tr("registry.brief.alerts_heading", n=len(report.alerts)),
        alerts=tuple(words.alert_line(a, tr) for a in report.alerts)
        or (tr("registry.brief.no_alerts", today=today.isoformat()),),
        notes=tuple(notes),
    )


def unavailable_section(lang: str) -> AgreementsSection:
    """The section when no registry was consulted: it says so."""
    tr = translator(lang)
    return AgreementsSection(
        heading=tr("registry.brief.heading"),
        intro=tr("registry.brief.unavailable"),
    )
