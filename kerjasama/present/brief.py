"""Briefing pack for a Bappeda / TKKSD meeting: printable HTML and PDF.

:func:`build_brief` collects, for the chosen candidates, everything the document shows (title,
date, scope, sector, data sources and years; per cluster a static map, the rationale, a
key-indicator table and a checklist of the minimum PKS contents pre-filled with what the analysis
knows). :func:`brief_html` renders it as one self-contained HTML page (maps inlined as base64
PNG), :func:`brief_pdf` as a PDF (reportlab, DejaVu Sans embedded so any name prints).
Everything is marked as a draft for TKKSD discussion; the "wajib" label is only an indication.
All text from data is escaped (HTML entities for HTML, the same for reportlab's paragraph
markup; matplotlib labels are drawn without math parsing).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis import pks
from common.errors import InputError
from common.text import Msg, fmt_number, translator
from kerjasama import __version__
from kerjasama.present.labels import component_label, form_label
from kerjasama.present.words import join_names

PROVIDER_COLOUR = "#1565c0"
MEMBER_COLOUR = "#ef6c00"
OTHER_COLOUR = "#e0e0e0"


# --------------------------------------------------------------------------------------------
# Document model
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


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


def nice_length(km: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``km`` (scale-bar length)."""
    if km <= 0 or not math.isfinite(km):
        return 1.0
    power = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * power <= km:
            return float(step * power)
    return float(power)


# --------------------------------------------------------------------------------------------
# Static map
# --------------------------------------------------------------------------------------------


def cluster_map_png(
    regions: gpd.GeoDataFrame,
    members: Sequence[str],
    *,
    provider: str | None = None,
    lang: str = "id",
    source_line: str = "",
    dpi: int = 150,
) -> bytes:
    """PNG map of one cluster with its neighbours, legend, scale bar, north arrow and source.

    Parameters
    ----------
    regions
        Boundaries in EPSG:4326 indexed by code, with ``name``.
    members
        Member codes; ``provider`` (a member) is drawn in its own colour.
    source_line
        Text printed under the map (data sources and date).
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    tr = translator(lang)
    members = [m for m in members if m in regions.index]
    if not members:
        raise InputError("errors.brief.no_member")
    own = regions.loc[members]
    minx, miny, maxx, maxy = own.total_bounds
    pad = 0.25 * max(maxx - minx, maxy - miny, 0.05)
    box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    context = regions.cx[box[0] : box[2], box[1] : box[3]]
    tol = max(box[2] - box[0], box[3] - box[1]) / 1500.0
    geoms = shapely.simplify(np.asarray(context.geometry.values), tol, preserve_topology=True)
    shown = gpd.GeoDataFrame(
        {"role": "other"}, geometry=geoms, index=context.index, crs=regions.crs
    )
    shown.loc[shown.index.isin(members), "role"] = "member"
    if provider is not None and provider in shown.index:
        shown.loc[provider, "role"] = "provider"

    fig = Figure(figsize=(7.0, 5.6), dpi=dpi)
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.9))
    colours = {"other": OTHER_COLOUR, "member": MEMBER_COLOUR, "provider": PROVIDER_COLOUR}
    for role in ("other", "member", "provider"):
        part = shown[shown["role"] == role]
        if len(part):
            part.plot(ax=ax, color=colours[role], edgecolor="#424242", linewidth=0.5)
    names = regions["name"].astype(str) if "name" in regions else pd.Series(dtype=str)
    points = shapely.point_on_surface(np.asarray(own.geometry.values))
    for code, x, y in zip(members, shapely.get_x(points), shapely.get_y(points), strict=True):
        ax.text(
            x,
            y,
            str(names.get(code, code)),
            fontsize=7,
            ha="center",
            va="center",
            parse_math=False,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    if provider is not None and provider in members:
        spot = shapely.point_on_surface(own.geometry.loc[provider])
        ax.scatter([spot.x], [spot.y], marker="*", s=160, c=PROVIDER_COLOUR, edgecolors="white")
    mid_lat = (box[1] + box[3]) / 2
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid_lat)), 0.1))
    ax.set_axis_off()

    handles = [
        Patch(facecolor=MEMBER_COLOUR, edgecolor="#424242", label=tr("ui.map_legend_member"))
    ]
    if provider is not None:
        handles.insert(
            0,
            Patch(
                facecolor=PROVIDER_COLOUR, edgecolor="#424242", label=tr("ui.map_legend_provider")
            ),
        )
    handles.append(
        Patch(facecolor=OTHER_COLOUR, edgecolor="#424242", label=tr("ui.map_legend_other"))
    )
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)

    # scale bar: about a quarter of the map width, at the lower left
    km_per_deg = 111.32 * math.cos(math.radians(mid_lat))
    width_km = (box[2] - box[0]) * km_per_deg
    length = nice_length(width_km / 4.0)
    x0 = box[0] + 0.04 * (box[2] - box[0])
    y0 = box[1] + 0.05 * (box[3] - box[1])
    ax.plot([x0, x0 + length / km_per_deg], [y0, y0], color="black", linewidth=3)
    label = f"{length:g} km"
    ax.text(x0, y0 + 0.02 * (box[3] - box[1]), label, fontsize=7, parse_math=False)

    # north arrow
    ax.annotate(
        tr("ui.map_north"),
        xy=(0.95, 0.96),
        xytext=(0.95, 0.84),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 9},
    )
    fig.text(0.02, 0.02, source_line, fontsize=8, color="#424242", parse_math=False, wrap=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Building the document
# --------------------------------------------------------------------------------------------


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
                else tr("ui.brief_stability", pct=f"{float(stability) * 100:.0f}%"),
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
        },
    )


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_HTML_CSS = """
@page { size: A4; margin: 16mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #212121;
  max-width: 190mm; margin: auto; }
h1 { font-size: 18pt; margin-bottom: 2mm; } h2 { font-size: 13.5pt; margin-top: 8mm;
  border-bottom: 1px solid #9e9e9e; } h3 { font-size: 11pt; margin-bottom: 1mm; }
.draft { color: #b71c1c; font-weight: bold; border: 2px solid #b71c1c; padding: 2mm 3mm;
  display: inline-block; }
.note { color: #555; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bdbdbd; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #eeeeee; } td.num { text-align: right; }
img.map { width: 100%; max-width: 170mm; border: 1px solid #bdbdbd; }
section.cluster { page-break-before: always; }
.box { display: inline-block; width: 3mm; height: 3mm; border: 1px solid #424242; }
"""


def brief_html(brief: Brief) -> str:
    """Render the briefing pack as one self-contained HTML page (print to PDF from a browser)."""
    e = html.escape
    lab = brief.labels
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(brief.lang)}"><head><meta charset="utf-8">',
        f"<title>{e(brief.title)}</title><style>{_HTML_CSS}</style></head><body>",
        f'<p class="draft">{e(brief.draft)}</p>',
        f"<h1>{e(brief.title)}</h1>",
        "<table>",
        *[f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in brief.meta],
        "</table>",
        f'<p class="note">{e(brief.draft_note)}</p>',
        f"<h3>{e(lab['brief_sources'])}</h3><ul>",
        *[f"<li>{e(s)}</li>" for s in brief.sources],
        "</ul>",
        f'<p class="note">{e(brief.wajib_note)}</p>',
    ]
    for s in brief.sections:
        png = base64.b64encode(s.map_png).decode("ascii")
        out += [
            f'<section class="cluster" id="{e(s.cluster_id)}">',
            f'<p class="draft">{e(brief.draft)}</p>',
            f"<h2>{e(s.heading)}</h2>",
            f"<p><b>{e(lab['brief_members'])}:</b> {e(s.members)}</p>",
            f"<p>{e(s.score)}" + (f"<br>{e(s.stability)}" if s.stability else "") + "</p>",
            f"<p><b>{e(lab['col_flags'])}:</b> {e(s.notes)}</p>" if s.notes else "",
            f'<figure><img class="map" alt="{e(s.map_caption)}" '
            f'src="data:image/png;base64,{png}"><figcaption class="note">{e(s.map_caption)}'
            "</figcaption></figure>",
            f"<h3>{e(lab['brief_rationale'])}</h3><p>{e(s.rationale)}</p>",
            f"<h3>{e(lab['brief_indicators'])}</h3><table><tr>",
            *[f"<th>{e(h)}</th>" for h in s.indicator_header],
            "</tr>",
            *[
                "<tr>"
                + f"<td>{e(r[0])}</td>"
                + "".join(f'<td class="num">{e(c)}</td>' for c in r[1:])
                + "</tr>"
                for r in s.indicator_rows
            ],
            "</table>",
            f"<h3>{e(lab['brief_checklist'])}</h3>",
            f'<p class="note">{e(lab["brief_checklist_note"])}</p><table>',
            *[
                f'<tr><td><span class="box"></span></td><th>{e(item)}</th><td>{e(text)}</td></tr>'
                for item, text in s.checklist
            ],
            "</table>",
            f'<p class="note">{e(brief.wajib_note)}</p>',
            "</section>",
        ]
    out.append("</body></html>")
    return "\n".join(part for part in out if part) + "\n"


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pdf_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (shipped with matplotlib) for full Unicode; fall back to Helvetica."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    try:
        pdfmetrics.registerFont(TTFont("KSSans", str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("KSSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    except Exception:  # font files missing: the standard fonts still print Latin-1 text
        return "Helvetica", "Helvetica-Bold"
    return "KSSans", "KSSans-Bold"


def brief_pdf(brief: Brief) -> bytes:
    """Render the briefing pack as an A4 PDF (reportlab)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _pdf_fonts()
    e = html.escape
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor="#555555")
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=17, leading=21, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=13, leading=16, spaceAfter=4)
    h3 = ParagraphStyle(
        "h3", parent=body, fontName=bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2
    )
    draft = ParagraphStyle("draft", parent=body, fontName=bold, textColor="#b71c1c", fontSize=11)
    lab = brief.labels
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bdbdbd")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    width = A4[0] - 32 * mm

    def para(text: str, style=cell) -> Paragraph:
        return Paragraph(e(text), style)

    story: list = [
        Paragraph(e(brief.draft), draft),
        Spacer(1, 4),
        Paragraph(e(brief.title), h1),
    ]
    meta = Table([[para(k), para(v)] for k, v in brief.meta], colWidths=[40 * mm, width - 40 * mm])
    meta.setStyle(grid)
    story += [meta, Spacer(1, 4), Paragraph(e(brief.draft_note), small)]
    story.append(Paragraph(e(lab["brief_sources"]), h3))
    story += [Paragraph("&bull; " + e(s), small) for s in brief.sources]
    story += [Spacer(1, 4), Paragraph(e(brief.wajib_note), small)]

    for s in brief.sections:
        story += [PageBreak(), Paragraph(e(brief.draft), draft), Paragraph(e(s.heading), h2)]
        story.append(Paragraph(f"<b>{e(lab['brief_members'])}:</b> {e(s.members)}", body))
        story.append(Paragraph(e(s.score), body))
        if s.stability:
            story.append(Paragraph(e(s.stability), body))
        if s.notes:
            story.append(Paragraph(f"<b>{e(lab['col_flags'])}:</b> {e(s.notes)}", body))
        image = Image(io.BytesIO(s.map_png))
        scale = min(width / image.imageWidth, 105 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        story += [Spacer(1, 3), image, Paragraph(e(s.map_caption), small)]
        story += [Paragraph(e(lab["brief_rationale"]), h3), Paragraph(e(s.rationale), body)]
        n_members = len(s.indicator_header) - 1
        first = 60 * mm
        rest = (width - first) / max(n_members, 1)
        indicators = Table(
            [[para(h) for h in s.indicator_header]]
            + [[para(c) for c in r] for r in s.indicator_rows],
            colWidths=[first] + [rest] * n_members,
            repeatRows=1,
        )
        indicators.setStyle(grid)
        indicators.setStyle(
            TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))])
        )
        story += [Paragraph(e(lab["brief_indicators"]), h3), indicators]
        checklist = Table(
            [["\u2610", para(item), para(text)] for item, text in s.checklist],
            colWidths=[7 * mm, 45 * mm, width - 52 * mm],
        )
        checklist.setStyle(grid)
        checklist.setStyle(TableStyle([("FONTNAME", (0, 0), (0, -1), regular)]))
        story.append(
            KeepTogether(
                [
                    Paragraph(e(lab["brief_checklist"]), h3),
                    Paragraph(e(lab["brief_checklist_note"]), small),
                    checklist,
                ]
            )
        )
        story += [Spacer(1, 4), Paragraph(e(brief.wajib_note), small)]

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.HexColor("#b71c1c"))
        canvas.drawString(16 * mm, A4[1] - 10 * mm, brief.draft)
        canvas.setFillColor(colors.HexColor("#616161"))
        canvas.drawRightString(A4[0] - 16 * mm, 9 * mm, f"{brief.title} · {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=brief.title,
        author="kerjasama",
        invariant=True,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def write_brief(brief: Brief, path: str | Path) -> Path:
    """Write ``brief`` as PDF or HTML, chosen by the suffix of ``path`` (.pdf, .html/.htm)."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        out.write_bytes(brief_pdf(brief))
    elif suffix in (".html", ".htm"):
        out.write_text(brief_html(brief), encoding="utf-8", newline="\n")
    else:
        raise InputError(
            "errors.brief.file_type",
            file=out,
            suffix=suffix if suffix else Msg("errors.brief.no_suffix"),
        )
    return out
