"""Words from facts: explanations, the data report of a join, summaries and listings.

Each function takes the facts a lower layer returned and the language, and returns text built
only from catalogue templates (:mod:`common.text`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from common.text import Listing, Msg, fmt_number, format_value, t, translator


def _g(value: object, lang: str) -> str:
    """``value`` in ``:g`` format in the language, empty when missing."""
    return "" if pd.isna(value) else format_value(value, "g", lang)


def join_report_lines(report, lang: str = "id", *, limit: int = 20) -> list[str]:
    """The lines of a :class:`analysis.join.JoinReport` as a readable report."""
    tr = translator(lang)
    if report.method == "names":
        out = [_by_names(report).render(lang)]
    else:
        out = [
            tr(
                "report.join.keys",
                b=report.boundary_key,
                i=report.indicator_key,
                p=tr("report.join.proposed") if report.proposed else "",
            )
        ]
    out.append(tr("report.join.matched", m=report.matched, n=report.n_regions, r=report.n_rows))
    if report.unverified:
        out.append(tr("report.join.unverified"))
    if not report.names_checked:
        out.append(
            tr("report.join.names_unchecked", k=len(report.name_differences), m=report.matched)
        )

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
        "report.join.names" if report.names_checked else "report.join.names_listed",
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
    block("report.join.split_pairs", [m.render(lang) for m in _split_items(report)])
    block("report.join.vintage", [f.message().render(lang) for f in report.vintage])
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


_NAMES_REASON_KEYS = {
    "boundary_names_only": "report.join.why_boundary_names",
    "table_without_codes": "report.join.why_table_names",
    "codes_disagree": "report.join.why_codes_disagree",
}


def boundary_messages(regions, *, fields: bool = False) -> list[tuple[str, Msg]]:
    """How a boundary file was read, as ``(level, message)`` with level ``"note"`` or
    ``"warning"``: the fields chosen and why (when asked), repairs, the features set aside, and
    signs that the file follows an older edition. Render with ``message.render(lang, surface)``.
    """
    meta = regions.attrs.get("kerjasama", {})
    out: list[tuple[str, Msg]] = [("note", m) for m in meta.get("fields", [])] if fields else []
    out += [("note", m) for m in meta.get("repairs", [])]
    if meta.get("set_aside") is not None:
        out.append(("warning", meta["set_aside"]))
    vintage = meta.get("vintage", [])
    if vintage:
        findings = Listing([f.message() for f in vintage], limit=10, sep="\n  ")
        out.append(("warning", Msg("report.boundaries.vintage", n=len(vintage), findings=findings)))
    return out


def unmatched_in_scope(report, ids) -> Msg | None:
    """The regions of a scope (``ids``) that have no indicator row, as a message (or None)."""
    if report is None or not len(report.unmatched_regions):
        return None
    scope = set(map(str, ids))
    rows = report.unmatched_regions[report.unmatched_regions["code"].astype(str).isin(scope)]
    if rows.empty:
        return None
    names = [f"{r.code} {r.name}" for r in rows.itertuples(index=False)]
    return Msg("report.join.unmatched_in_scope", n=len(names), regions=Listing(names, limit=15))


def _split_items(report) -> list[Msg]:
    """One message per pair never joined because one region split off from the other."""
    return [
        Msg(
            "report.join.split_item",
            code=r.code,
            name=r.name,
            row=r.row,
            indicator=r.indicator_name,
            law=r.law,
        )
        for r in report.split_pairs.itertuples(index=False)
    ]


def _by_names(report) -> Msg:
    """ "Joined on region names: ... (why)"."""
    return Msg(
        "report.join.by_names",
        b=report.boundary_key,
        i=report.indicator_key,
        why=Msg(_NAMES_REASON_KEYS[report.names_reason]),
    )


def join_messages(report) -> list[Msg]:
    """Short warnings on a join for the places that do not show the whole report (``suggest``,
    ``brief``, the app's page): joined on names, names not compared, names that differ (or the
    name check off), pairs refused because one region split off from the other."""
    if report is None:
        return []
    out = []
    if report.method == "names":
        out.append(_by_names(report))
    if report.unverified:
        out.append(Msg("report.join.unverified"))
    if len(report.name_differences):
        out.append(
            Msg(
                "report.join.names_unchecked"
                if not report.names_checked
                else "report.join.name_differences",
                k=len(report.name_differences),
                m=report.matched,
            )
        )
    items = _split_items(report)
    if items:
        out.append(Msg("report.join.split_summary", k=len(items), pairs=Listing(items, sep="; ")))
    return out


def join_report_text(report, lang: str = "id", *, limit: int = 20) -> str:
    """The join report as one text block (see :func:`join_report_lines`)."""
    return "\n".join(join_report_lines(report, lang, limit=limit))


def validation_text(boundaries, regions, indicators, table, problems, report, lang="id") -> str:
    """What ``kerjasama validate`` prints (and the app's data report shows): the two files, the
    fields chosen and why, repair notes, reading notes and the join report."""
    tr = translator(lang)
    lines = [
        tr("report.validate.boundaries", path=boundaries, n=len(regions)),
        tr("report.validate.indicators", path=indicators, n=report.n_rows),
    ]
    for level, note in boundary_messages(regions, fields=True):
        if level == "note":  # warnings are in the join report (problems, vintage)
            lines.append(tr("report.validate.note", note=note.render(lang)))
    for problem in problems:
        if problem.severity == "info":
            lines.append(tr("report.validate.note", note=problem.message.render(lang)))
    lines.extend(join_report_lines(report, lang))
    return "\n".join(lines)


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


#: catalogue label of each potential parameter of a sector
_POTENTIAL_KEYS = {
    "reach": "report.sectors.reach",
    "sea": "report.sectors.sea",
    "scale": "report.sectors.scale",
    "complementarity": "report.sectors.complementarity",
}


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
        if sector.potential:
            lines.append(tr("report.sectors.potential"))
            for item in sector.potential:
                lines.append(
                    tr(
                        "report.sectors.potential_item",
                        label=tr(_POTENTIAL_KEYS[item.name]),
                        value=fmt_number(item.value, lang),
                        unit=item.unit_label(lang),
                        note=item.note(lang).rstrip("."),
                        source=item.source,
                    )
                )
        if sector.note(lang):
            lines.append(tr("report.sectors.note", note=sector.note(lang)))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- explanations


def with_unit(value: float, unit: str, lang: str = "id") -> str:
    """``99,5%``, ``47,5% rumah tangga``, ``12.345 ton/tahun`` (number in the language)."""
    num = fmt_number(value, lang)
    if not unit:
        return num
    if unit.startswith("%"):
        return num + unit
    return f"{num} {unit}"


def join_names(names, lang: str = "id") -> str:
    """``A, B dan C`` / ``A, B and C``."""
    return Listing(list(names), last="and").render(lang)


def _term_sentence(values, lang: str, key: str) -> str:
    term = values.term
    items = [
        t("explain.term_missing", lang, name=name, year=term.year or "")
        if not np.isfinite(value)
        else t(
            "explain.term_value_year" if term.year else "explain.term_value",
            lang,
            name=name,
            value=with_unit(value, term.unit_label(lang), lang),
            year=term.year,
        )
        for _, name, value in values.values
    ]
    return t(key, lang, label=term.label(lang), values="; ".join(items))


#: catalogue sentence of each need threshold flag (reach and sea have their own sentences)
_THRESHOLD_KEYS = {
    "low_need": "explain.flag_low_need",
    "low_capacity": "explain.flag_low_capacity",
    "low_client_gap": "explain.flag_low_client_gap",
}


def _km(value: float, lang: str) -> str:
    return fmt_number(value, lang, decimals=0)


def _potential_sentences(facts, lang: str) -> list[str]:
    """Seat distances, reach, sea, linkage, scale and density, as sentences."""
    tr = translator(lang)
    names = facts.names
    out = []
    service = names[facts.service]
    items = ", ".join(
        tr("explain.distance_item", name=names[i], km=_km(d, lang)) for i, d in facts.seat_km
    )
    out.append(
        tr(
            "explain.seat_distances_provider"
            if facts.form == "contract"
            else "explain.seat_distances_central",
            service=service,
            items=items,
        )
    )
    sector = facts.sector
    if facts.reach_km is not None:
        note = sector.reach.note(lang).rstrip(".")
        if facts.beyond:
            far = ", ".join(
                tr("explain.distance_item", name=names[i], km=_km(d, lang)) for i, d in facts.beyond
            )
            out.append(tr("explain.beyond", km=_km(facts.reach_km, lang), items=far, note=note))
        else:
            out.append(tr("explain.within", km=_km(facts.reach_km, lang), note=note))
    if facts.sea_crossing:
        links = ", ".join(
            tr("explain.maritime_item", a=a, b=b, km=fmt_number(d, lang))
            for a, b, d in facts.sea_links
        )
        note = sector.sea.note(lang).rstrip(".") if sector.sea is not None else ""
        out.append(
            tr(
                "explain.sea_crossing",
                km=fmt_number(facts.sea_km or 0, lang),
                links=links,
                note=note,
            )
        )
    if facts.weakest is not None:
        weak, partner, km = facts.weakest
        out.append(
            tr("explain.weakest", name=names[weak], partner=names[partner], km=_km(km, lang))
        )
    if facts.density is not None:
        hi, v_hi, lo, v_lo, _ = facts.density
        out.append(
            tr(
                "explain.density",
                dense=names[hi],
                dense_value=fmt_number(v_hi, lang, decimals=0),
                sparse=names[lo],
                sparse_value=fmt_number(v_lo, lang, decimals=0),
            )
        )
    return out


def explanation(facts, lang: str = "id") -> str:
    """The plain-language explanation of one candidate from its
    :class:`analysis.explain.CandidateFacts`: the values that drove the suggestion, in their units
    and with their data years, the service seat and seat distances, reach and sea rules, the
    weakest tie, the combined population against the reference size, missing figures, and the
    flags."""
    tr = translator(lang)
    names = facts.names
    sector = facts.sector.label(lang)
    text: list[str] = []
    if facts.form == "joint":
        text.append(tr("explain.joint_head", sector=sector, names=join_names(names, lang)))
        text.extend(_term_sentence(v, lang, "explain.term") for v in facts.gap)
        text.append(
            tr(
                "explain.host_largest" if facts.host_largest else "explain.host",
                host=names[facts.host],
                links=facts.host_links,
                others=facts.size - 1,
            )
        )
    else:
        clients = [names[i] for i in facts.clients]
        text.append(
            tr(
                "explain.contract_head",
                sector=sector,
                provider=names[facts.provider],
                clients=join_names(clients, lang),
            )
        )
        text.extend(_term_sentence(v, lang, "explain.term") for v in facts.capacity)
        text.extend(_term_sentence(v, lang, "explain.client_gap") for v in facts.gap)
        if not facts.via:
            text.append(tr("explain.all_border"))
        else:
            items = [
                tr("explain.via_item", client=names[c], through=names[m]) for c, m in facts.via
            ]
            text.append(tr("explain.via", items="; ".join(items)))
    text.extend(_potential_sentences(facts, lang))
    km = fmt_number(facts.border_km, lang)
    if facts.maritime:
        hops = ", ".join(
            tr("explain.maritime_item", a=a, b=b, km=fmt_number(d, lang))
            for a, b, d in facts.maritime
        )
        link = tr("explain.border_maritime", km=km, n=len(facts.maritime), links=hops)
    else:
        link = tr("explain.border", km=km)
    population = fmt_number(facts.population, lang, decimals=0)
    if facts.scale_people:
        text.append(
            tr(
                "explain.scale_year" if facts.population_year else "explain.scale",
                link=link,
                population=population,
                year=facts.population_year,
                pct=format_value(min(facts.population / facts.scale_people, 9.99), ".0%", lang),
                reference=fmt_number(facts.scale_people, lang, decimals=0),
                note=facts.sector.scale.note(lang).rstrip("."),
            )
        )
    else:
        text.append(
            tr(
                "explain.population_year" if facts.population_year else "explain.population",
                link=link,
                population=population,
                year=facts.population_year,
            )
        )
    if facts.missing:
        items = "; ".join(
            tr(
                "explain.missing_item_year" if year else "explain.missing_item",
                name=name,
                label=term.label(lang) if term is not None else tr("explain.population_label"),
                year=year,
            )
            for name, term, year in facts.missing
        )
        text.append(
            tr(
                "explain.missing",
                items=items,
                pct=format_value(facts.completeness, ".0%", lang),
                penalty=format_value(facts.missing_penalty * (1 - facts.completeness), ".0%", lang),
            )
        )
    for flag, key in _THRESHOLD_KEYS.items():
        if flag in facts.flags:
            text.append(tr(key))
    if facts.estimated:
        text.append(tr("explain.estimated", names=join_names(facts.estimated, lang)))
    if facts.voluntary:
        text.append(tr("explain.voluntary"))
    if facts.cross_province:
        text.append(tr("explain.cross_province"))
    if facts.wajib:
        text.append(tr("explain.wajib"))
    return " ".join(text)


def explanations(candidates, rows, lang: str = "id") -> list:
    """Explanations of the given candidate rows, in order (facts from
    :func:`analysis.pipeline.explain`)."""
    from analysis import pipeline

    return [explanation(f, lang) for f in pipeline.explain(candidates, rows)]


def explain_rows(candidates, rows, lang: str = "id"):
    """``rows`` (materialised rows of ``candidates``, :func:`analysis.pipeline.finalize`) with
    the ``explanation`` column filled in ``lang`` (a copy)."""
    out = rows.copy()
    if len(out):
        out["explanation"] = explanations(candidates, out, lang)
    return out


def province_options(regions, lang: str = "id") -> dict[str, str]:
    """``{province code: "Name (code)"}`` for a scope selector, sorted by code (the code alone
    when the boundary file has no province names)."""
    from geo.boundaries import provinces

    return {
        code: t("ui.scope_province", lang, name=name, code=code) if name != code else code
        for code, name in provinces(regions).items()
    }


# ---------------------------------------------------------------- backtest

_MODEL_KEYS = {
    "model": "report.backtest.model",
    "need_only": "report.backtest.need_only",
    "gravity_only": "report.backtest.gravity_only",
}
_PART_KEYS = {
    "training": "report.backtest.training",
    "holdout": "report.backtest.holdout",
    "all": "report.backtest.all",
}


def backtest_text(results, summary, lang: str = "id") -> str:
    """The backtest table (``kerjasama backtest``): per model, part and sector the number of
    arrangements, recall, median rank percentile and share in the top 10 %; then the
    arrangements that are not connected sets (they cannot be suggested)."""
    tr = translator(lang)
    pct = lambda v: format_value(v, ".1%", lang)  # noqa: E731
    lines = [tr("report.backtest.header")]
    for row in summary.itertuples(index=False):
        lines.append(
            tr(
                "report.backtest.row",
                model=tr(_MODEL_KEYS[row.model]),
                part=tr(_PART_KEYS[row.part]),
                sector=tr("report.backtest.all_sectors") if row.sector == "all" else row.sector,
                n=row.n,
                recall=pct(row.recall),
                median=pct(row.median),
                top10=pct(row.top10),
            )
        )
    absent = results[(results["model"] == "model") & ~results["present"]]
    if len(absent):
        lines.append(tr("report.backtest.absent", n=len(absent)))
        lines += [
            tr("report.backtest.absent_item", id=i, sector=s)
            for i, s in zip(absent["id"], absent["sector"], strict=True)
        ]
    return "\n".join(lines) + "\n"


def weights_toml(weights) -> str:
    """Per-form weights as the ``[clusters.weights.<form>]`` tables of ``sectors.toml``."""
    out = []
    for form, values in weights.items():
        out.append(f"[clusters.weights.{form}]")
        out += [f"{name} = {value}" for name, value in values.items()]
        out.append("")
    return "\n".join(out) + "\n"
