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
import numpy as np
import pandas as pd
import shapely

from analysis import pks
from common.errors import InputError
from common.text import fmt_number, format_value, translator
from geo.display import drop_small_parts
from kerjasama import __version__
from kerjasama.present.brief.figure import cluster_map_png, overview_map_png
from kerjasama.present.labels import component_label, form_label
from kerjasama.present.words import join_names

#: candidates with a detailed section in one pack (the overview lists them all)
DETAIL_LIMIT = 10


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
class AgreementsSection:
    """Existing agreements and open alerts in the pack's scope (from the registry; all strings
    plain text). Without rows or alerts, ``intro`` says why (e.g. no registry was consulted)."""

    heading: str
    intro: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    alerts_heading: str = ""
    alerts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


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
    overview_png: bytes = b""
    summary_header: tuple[str, ...] = ()
    summary_rows: tuple[tuple[str, ...], ...] = ()
    detail_note: str = ""
    agreements: AgreementsSection | None = None


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


def _drawing_copy(regions: gpd.GeoDataFrame, detailed, candidates) -> gpd.GeoDataFrame:
    """The regions around the candidates, simplified once for every map of the pack (at a
    tolerance finer than a pixel of the most zoomed-in map), instead of once per map."""
    from kerjasama.present.brief.figure import frame

    def members(rows) -> list[str]:
        return sorted({str(m) for ms in rows["members"] for m in ms if m in regions.index})

    if not len(candidates) or not members(candidates):
        return regions
    extents = []
    for codes in detailed["members"]:
        codes = [str(c) for c in codes if c in regions.index]
        if codes:
            b = frame(regions.loc[codes].geometry.values)
            extents.append(max(b[2] - b[0], b[3] - b[1], 0.05))
    tol = min(extents or [1.0]) / 3000.0
    b = frame(regions.loc[members(candidates)].geometry.values)
    pad = 0.5 * max(b[2] - b[0], b[3] - b[1], 0.2)
    near = regions.cx[b[0] - pad : b[2] + pad, b[1] - pad : b[3] + pad]
    light = near.copy()
    kept = drop_small_parts(np.asarray(near.geometry.values), (2.0 * tol) ** 2)
    light.geometry = shapely.simplify(kept, tol, preserve_topology=False)
    return light


_DERIVED = "derived:"


def _source_text(config: object, meta, lang: str) -> str:
    """Where a figure comes from, once: a derived figure names the figures it is computed from
    (their labels, not column names); the year is added only when the source does not say it."""
    source = str(meta.source or meta.column).strip()
    if source.lower().startswith(_DERIVED):
        formula = source[len(_DERIVED) :].strip()
        for column in sorted(getattr(config, "indicators", {}) or {}, key=len, reverse=True):
            if column in formula:
                other = _meta(config, column)
                formula = formula.replace(column, f"{other.label(lang)} {other.year or ''}".strip())
        source = translator(lang)("ui.brief_derived", formula=formula)
    if meta.year and str(meta.year) not in source:
        source = f"{source}, {meta.year}"
    return source


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
    edges: pd.DataFrame | None = None,
    detail_limit: int = DETAIL_LIMIT,
    agreements: AgreementsSection | None = None,
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
    edges
        Adjacency edge table: sea links between members are drawn on the maps.
    detail_limit
        The overview lists every candidate; only the first ``detail_limit`` get a detailed
        section (a map, the rationale, figures and the PKS checklist each), and the document
        says so.
    agreements
        The registry section (:func:`kerjasama.present.brief.agreements.agreements_section`):
        existing agreements and open alerts in the scope, after the overview.
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
            sources.append(f"{meta.label(lang)}: {_source_text(config, meta, lang)}")
    short_sources = "; ".join(s for s in (boundary_source, indicator_source) if s) or tr(
        "ui.brief_sources"
    )
    source_line = tr(
        "ui.map_source", sources=short_sources, version=__version__, date=when.isoformat()
    )

    regions = _drawing_copy(regions, candidates.head(max(int(detail_limit), 1)), candidates)
    sections = []
    summary_rows = []
    for _, row in candidates.iterrows():
        members = [str(m) for m in row["members"]]
        names = _names(regions, members)
        provider = None if _is_missing(row.get("provider")) else str(row.get("provider"))
        summary_rows.append(
            (
                str(int(row["rank"])),
                form_label(str(row.get("form")), lang),
                ", ".join(names),
                names[members.index(provider)] if provider in members else "",
                _number(row.get("score"), lang),
                str(row["cluster_id"]),
            )
        )
    detailed = candidates.head(max(int(detail_limit), 0))
    for _, row in detailed.iterrows():
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
                    regions,
                    members,
                    provider=provider,
                    lang=lang,
                    source_line=source_line,
                    edges=edges,
                ),
                map_caption=tr("ui.brief_map_caption", rank=int(row["rank"])),
            )
        )

    ranks = ", ".join(f"#{r[0]}" for r in summary_rows)
    detail_note = (
        tr(
            "ui.brief_detail_limited",
            n=len(candidates),
            shown=len(sections),
            limit=int(detail_limit),
        )
        if len(sections) < len(candidates)
        else ""
    )
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
            "brief_overview": tr("ui.brief_overview"),
            "brief_overview_caption": tr("ui.brief_overview_caption"),
        },
        overview_png=overview_map_png(
            regions, candidates, edges=edges, lang=lang, source_line=source_line
        ),
        summary_header=(
            tr("ui.col_rank"),
            tr("ui.col_form"),
            tr("ui.col_members"),
            tr("ui.col_provider"),
            tr("ui.col_score"),
            tr("ui.col_cluster_id"),
        ),
        summary_rows=tuple(summary_rows),
        detail_note=detail_note,
        agreements=agreements,
    )
