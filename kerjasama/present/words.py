"""Words from facts: the data report of a join (and, later, explanations and summaries).

Each function takes the facts a lower layer returned and the language, and returns text built
only from catalogue templates (:mod:`common.text`).
"""

from __future__ import annotations

import pandas as pd

from common.text import format_value, translator


def _g(value: object, lang: str) -> str:
    """``value`` in ``:g`` format in the language, empty when missing."""
    return "" if pd.isna(value) else format_value(value, "g", lang)


def join_report_lines(report, lang: str = "id", *, limit: int = 20) -> list[str]:
    """The lines of a :class:`analysis.join.JoinReport` as a readable report."""
    tr = translator(lang)
    out = [
        tr(
            "report.join.keys",
            b=report.boundary_key,
            i=report.indicator_key,
            p=tr("report.join.proposed") if report.proposed else "",
        ),
        tr("report.join.matched", m=report.matched, n=report.n_regions, r=report.n_rows),
    ]

    def block(key: str, items: list[str]) -> None:
        if not items:
            return
        out.append(tr(key, k=len(items)))
        out.extend(f"  {s}" for s in items[:limit])
        if len(items) > limit:
            out.append(tr("report.join.more", k=len(items) - limit))

    block(
        "report.join.unmatched_regions",
        [f"{r.code} {r.name}" for r in report.unmatched_regions.itertuples(index=False)],
    )
    block(
        "report.join.unmatched_rows",
        [
            tr("report.join.row_item", row=r.row, key=r.key, name=r.name)
            for r in report.unmatched_rows.itertuples(index=False)
        ],
    )
    block(
        "report.join.duplicates",
        [
            tr("report.join.duplicate_item", code=r.code, row=r.row)
            for r in report.duplicates.itertuples(index=False)
        ],
    )
    block(
        "report.join.names",
        [
            tr(
                "report.join.name_item",
                code=r.code,
                boundary=repr(r.boundary_name),
                indicator=repr(r.indicator_name),
            )
            for r in report.name_differences.itertuples(index=False)
        ],
    )
    block(
        "report.join.oor",
        [
            tr(
                "report.join.oor_item",
                code=r.code,
                row=r.row,
                column=r.column,
                value=r.value,
                min=_g(r.min, lang),
                max=_g(r.max, lang),
            )
            for r in report.out_of_range.itertuples(index=False)
        ],
    )
    block(
        "report.join.problems",
        [p.message.render(lang) for p in report.problems if p.severity == "warning"],
    )
    if len(report.coverage):
        out.append(tr("report.join.coverage"))
        for column, r in report.coverage.iterrows():
            year = "" if pd.isna(r.year) else f", {int(r.year)}"
            unit = f" [{r.unit}{year}]" if r.unit or year else ""
            out.append(
                tr(
                    "report.join.coverage_item",
                    column=column,
                    unit=unit,
                    n=int(r.non_missing),
                    m=int(r.matched),
                    share=float(r.share),
                )
            )
    if report.exit_code == 0:
        out.append(tr("report.join.clean"))
    return out


def join_report_text(report, lang: str = "id", *, limit: int = 20) -> str:
    """The join report as one text block (see :func:`join_report_lines`)."""
    return "\n".join(join_report_lines(report, lang, limit=limit))


def portfolio_summary(result, lang: str = "id") -> str:
    """One line on an :class:`analysis.portfolio.PortfolioResult` (CLI / app)."""
    tr = translator(lang)
    state = (
        tr("report.portfolio.proven")
        if result.optimal
        else tr("report.portfolio.not_proven", status=result.status, gap=str(result.mip_gap))
    )
    return tr(
        "report.portfolio.summary", n=len(result.chosen), score=result.total_score, state=state
    )


_DIRECTION_KEYS = {
    "higher_is_more": "report.sectors.higher_is_more",
    "lower_is_more": "report.sectors.lower_is_more",
}
_FORM_WORD_KEYS = {"joint": "report.sectors.joint", "contract": "report.sectors.contract"}
_ROLE_HEADING_KEYS = {"gap": "report.sectors.gap", "capacity": "report.sectors.capacity"}


def sector_listing(config, lang: str = "id") -> str:
    """The sectors of a config with their terms, units, years and weights, as text."""
    tr = translator(lang)
    lines = [tr("report.sectors.config", path=config.source), ""]
    for sector in config.sectors.values():
        lines.append(f"{sector.id}: {sector.label(lang)}")
        if sector.description(lang):
            lines.append(f"  {sector.description(lang)}")
        forms = ", ".join(tr(_FORM_WORD_KEYS[f]) for f in sector.forms)
        lines.append(tr("report.sectors.forms", forms=forms))
        lines.append(
            tr(
                "report.sectors.externality"
                if sector.externality
                else "report.sectors.no_externality"
            )
        )
        for role in ("gap", "capacity"):
            lines.append(tr(_ROLE_HEADING_KEYS[role]))
            for term in getattr(sector, role):
                lines.append(
                    tr(
                        "report.sectors.term_year" if term.year else "report.sectors.term",
                        label=term.label(lang),
                        expr=term.expr,
                        unit=term.unit_label(lang),
                        year=term.year,
                        direction=tr(_DIRECTION_KEYS[term.direction]),
                        weight=term.weight,
                    )
                )
        if sector.note(lang):
            lines.append(tr("report.sectors.note", note=sector.note(lang)))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
