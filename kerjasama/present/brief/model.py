"""The briefing pack's document model: one :class:`Brief`, built once, rendered to HTML and PDF.

:func:`build_brief` collects, for the chosen candidates, everything the document shows (title,
date, scope, sector, data sources and years; per cluster a static map, the rationale, a
key-indicator table and a checklist of the minimum PKS contents pre-filled with what the analysis
knows). All strings are plain text from the catalogue or the data; the renderers
(:mod:`kerjasama.present.brief.html`, :mod:`kerjasama.present.brief.pdf`) escape them.
Everything is marked as a draft for TKKSD discussion; the "wajib" label is only an indication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from analysis import pks
from common.errors import InputError
from common.text import fmt_number, format_value, translator
from kerjasama import __version__
from kerjasama.present.brief.figure import cluster_map_png
from kerjasama.present.labels import component_label, form_label
from kerjasama.present.words import join_names


@dataclass(frozen=True)
class ClusterSection:
    """One candidate in the briefing pack (all strings plain text, not escaped)."""

    rank: int
    cluster_id: str
    heading: str
    members: str
    score: str
    stability: str
    notes: str
    rationale: str
    indicator_header: tuple[str, ...]
    indicator_rows: tuple[tuple[str, ...], ...]
    checklist: tuple[tuple[str, str], ...]
    map_png: bytes
    map_caption: str


@dataclass(frozen=True)
class Brief:
    """A briefing pack ready to render (all strings plain text, not escaped)."""

    lang: str
    title: str
    draft: str
    draft_note: str
    meta: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]
    wajib_note: str
    sections: tuple[ClusterSection, ...] = field(default_factory=tuple)
    labels: dict = field(default_factory=dict)


def _number(value: object, lang: str) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    return fmt_number(number, lang)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _names(regions: pd.DataFrame, codes: Sequence[str]) -> list[str]:
    if "name" not in regions:
        return list(codes)
    names = regions["name"].astype(str)
    return [str(names.get(code, code)) for code in codes]


def _join(names: Sequence[str], lang: str) -> str:
    return join_names(list(names), lang)


def _indicator_columns(config: object, sector: object) -> list[str]:
    columns = list(getattr(sector, "columns", ()) or ())
    population = getattr(getattr(config, "data", None), "population", None)
    if population and population not in columns:
        columns.append(population)
    return columns


def _meta(config: object, column: str):
    return (getattr(config, "indicators", {}) or {}).get(column)


def _label(config: object, column: str, lang: str) -> str:
    meta = _meta(config, column)
    if meta is None:
        return column
    unit = meta.unit_label(lang)
    extra = ", ".join(str(v) for v in (unit, meta.year) if v not in (None, ""))
    return f"{meta.label(lang)} ({extra})" if extra else meta.label(lang)


def _checklist(
    row: pd.Series,
    names: list[str],
    provider_name: str | None,
    clients: list[str],
    sector: str,
    lang: str,
) -> tuple[tuple[str, str], ...]:
    tr = translator(lang)
    tba = tr("ui.to_be_agreed")
    form = str(row.get("form"))
    if form == "contract" and provider_name:
        scope = tr(
            "ui.pks_scope_contract",
            provider=provider_name,
            sector=sector,
            clients=_join(clients, lang),
            tba=tba,
        )
        rights = tr(
            "ui.pks_rights_contract", provider=provider_name, clients=_join(clients, lang), tba=tba
        )
    else:
        scope = tr("ui.pks_scope_joint", sector=sector, n=len(names), tba=tba)
        rights = tr("ui.pks_rights_joint", tba=tba)
    fills = {
        "parties": tr("ui.pks_parties_fill", members=_join(names, lang)),
        "object": tr("ui.pks_object_fill", sector=sector, form=form_label(form, lang)),
        "scope": scope,
        "rights": rights,
    }
    return tuple((tr(pks.label_key(clause)), fills.get(clause, tba)) for clause in pks.CLAUSES)


def build_brief(
    candidates: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    table: pd.DataFrame,
    *,
    config: object,
    sector: str,
    lang: str = "id",
    scope: str = "",
    boundary_source: str = "",
    indicator_source: str = "",
    date: dt.date | None = None,
) -> Brief:
    """Collect the content of a briefing pack for the given candidate rows.

    Parameters
    ----------
    candidates
        Candidate rows (rank order) with the columns of :func:`analysis.pipeline.score` plus
        ``explanation`` (and ``stability`` if computed).
    regions
        Boundaries (EPSG:4326, index ``code``, ``name``): members and their neighbours.
    table
        Joined indicator table indexed by code.
    config
        Loaded :class:`analysis.config.Config` (indicator labels, units, years, sources).
    sector
        Sector id.
    scope, boundary_source, indicator_source
        Text for the header (province name or "all Indonesia", file names).
    date
        Document date (default today).
    """
    if candidates is None or len(candidates) == 0:
        raise InputError("errors.brief.no_candidate")
    tr = translator(lang)
    when = date or dt.date.today()
    sec = config.sector(sector) if hasattr(config, "sector") else None
    sector_text = sec.label(lang) if sec is not None else sector
    columns = _indicator_columns(config, sec)
    header_labels = [_label(config, c, lang) for c in columns]

    sources = []
    if boundary_source:
        sources.append(f"{tr('ui.brief_boundary_source')}: {boundary_source}")
    if indicator_source:
        sources.append(f"{tr('ui.brief_indicator_source')}: {indicator_source}")
    for column in columns:
        meta = _meta(config, column)
        if meta is not None:
            year = f", {meta.year}" if meta.year else ""
            sources.append(f"{meta.label(lang)}: {meta.source or column}{year}")
    short_sources = "; ".join(s for s in (boundary_source, indicator_source) if s) or tr(
        "ui.brief_sources"
    )
    source_line = tr(
        "ui.map_source", sources=short_sources, version=__version__, date=when.isoformat()
    )

    sections = []
    for _, row in candidates.iterrows():
        members = [str(m) for m in row["members"]]
        names = _names(regions, members)
        provider = None if _is_missing(row.get("provider")) else str(row.get("provider"))
        provider_name = names[members.index(provider)] if provider in members else None
        clients = [n for m, n in zip(members, names, strict=True) if m != provider]
        form = form_label(str(row.get("form")), lang)
        components = row.get("score_components") or {}
        comp_text = ", ".join(
            f"{component_label(k, lang)} {_number(v, lang)}" for k, v in dict(components).items()
        )
        stability = row.get("stability")
        notes = []
        if bool(row.get("cross_province")):
            notes.append(tr("ui.flag_cross_province"))
        if int(row.get("maritime_links") or 0):
            notes.append(tr("ui.flag_maritime", n=int(row.get("maritime_links"))))
        if bool(row.get("wajib_indication")):
            notes.append(tr("ui.flag_wajib"))
        values = table.reindex(members)
        indicator_rows = []
        for column, label in zip(columns, header_labels, strict=True):
            cells = [
                tr("ui.brief_no_data")
                if column not in values or _is_missing(values.at[code, column])
                else _number(values.at[code, column], lang)
                for code in members
            ]
            indicator_rows.append((label, *cells))
        member_heads = [
            f"{n} ({tr('ui.role_provider')})" if m == provider else n
            for m, n in zip(members, names, strict=True)
        ]
        sections.append(
            ClusterSection(
                rank=int(row["rank"]),
                cluster_id=str(row["cluster_id"]),
                heading=tr("ui.brief_cluster_heading", rank=int(row["rank"]), form=form),
                members=", ".join(f"{n} ({m})" for m, n in zip(members, names, strict=True)),
                score=tr(
                    "ui.brief_score", score=_number(row.get("score"), lang), components=comp_text
                ),
                stability=""
                if _is_missing(stability)
                else tr("ui.brief_stability", pct=format_value(float(stability), ".0%", lang)),
                notes=", ".join(notes),
                rationale=str(row.get("explanation") or ""),
                indicator_header=(tr("ui.brief_indicator_col"), *member_heads),
                indicator_rows=tuple(indicator_rows),
                checklist=_checklist(row, names, provider_name, clients, sector_text, lang),
                map_png=cluster_map_png(
                    regions, members, provider=provider, lang=lang, source_line=source_line
                ),
                map_caption=tr("ui.brief_map_caption", rank=int(row["rank"])),
            )
        )

    ranks = ", ".join(f"#{s.rank}" for s in sections)
    return Brief(
        lang=lang,
        title=tr("ui.brief_title"),
        draft=tr("ui.brief_draft"),
        draft_note=tr("ui.brief_draft_note"),
        meta=(
            (tr("ui.brief_date"), when.isoformat()),
            (tr("ui.brief_scope"), scope),
            (tr("ui.brief_sector"), sector_text),
            (tr("ui.brief_candidates"), ranks),
        ),
        sources=tuple(sources),
        wajib_note=tr("ui.wajib_note"),
        sections=tuple(sections),
        labels={
            "brief_sources": tr("ui.brief_sources"),
            "brief_members": tr("ui.brief_members"),
            "brief_rationale": tr("ui.brief_rationale"),
            "brief_indicators": tr("ui.brief_indicators"),
            "brief_checklist": tr("ui.brief_checklist"),
            "brief_checklist_note": tr("ui.brief_checklist_note"),
            "col_flags": tr("ui.col_flags"),
            "col_cluster_id": tr("ui.col_cluster_id"),
        },
    )
