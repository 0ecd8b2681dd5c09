"""The briefing pack as an A4 PDF (reportlab; DejaVu Sans embedded so any name prints).

Every string of the :class:`~kerjasama.present.brief.model.Brief` is escaped for reportlab's
paragraph markup before it is drawn.
"""

from __future__ import annotations

import html
import io
from functools import lru_cache
from pathlib import Path

from kerjasama.present.brief.model import Brief


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

    # the overview: all candidates on one map and in one table
    story += [
        PageBreak(),
        Paragraph(e(brief.draft), draft),
        Paragraph(e(lab["brief_overview"]), h2),
    ]
    if brief.detail_note:
        story.append(Paragraph(f"<b>{e(brief.detail_note)}</b>", small))
    overview = Image(io.BytesIO(brief.overview_png))
    scale = min(width / overview.imageWidth, 120 * mm / overview.imageHeight)
    overview.drawWidth, overview.drawHeight = (
        overview.imageWidth * scale,
        overview.imageHeight * scale,
    )
    story += [overview, Paragraph(e(lab["brief_overview_caption"]), small), Spacer(1, 3)]
    summary = Table(
        [[para(h) for h in brief.summary_header]]
        + [[para(c) for c in r] for r in brief.summary_rows],
        colWidths=[10 * mm, 24 * mm, width - 124 * mm, 30 * mm, 14 * mm, 46 * mm],
        repeatRows=1,
    )
    summary.setStyle(grid)
    summary.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    story.append(summary)

    if brief.agreements is not None:
        a = brief.agreements
        story += [Spacer(1, 6), Paragraph(e(a.heading), h2), Paragraph(e(a.intro), small)]
        if a.rows:
            listing = Table(
                [[para(h) for h in a.header]] + [[para(c) for c in r] for r in a.rows],
                colWidths=[10 * mm, 50 * mm, 32 * mm, width - 122 * mm, 30 * mm],
                repeatRows=1,
            )
            listing.setStyle(grid)
            listing.setStyle(
                TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))])
            )
            story += [Spacer(1, 3), listing]
        story += [Paragraph(e(note), small) for note in a.notes]
        if a.alerts_heading:
            story.append(Paragraph(e(a.alerts_heading), h3))
            story += [Paragraph("&bull; " + e(alert), body) for alert in a.alerts]

    for s in brief.sections:
        story += [PageBreak(), Paragraph(e(brief.draft), draft), Paragraph(e(s.heading), h2)]
        story.append(Paragraph(f"{e(lab['col_cluster_id'])}: {e(s.cluster_id)}", small))
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
