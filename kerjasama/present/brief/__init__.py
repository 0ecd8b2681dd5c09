"""Briefing pack for a Bappeda / TKKSD meeting: one document model, rendered to HTML and PDF.

* :mod:`~kerjasama.present.brief.model`: :func:`build_brief` collects the content into a
  :class:`Brief` (plain text from the catalogue and the data, plus one map PNG per cluster).
* :mod:`~kerjasama.present.brief.agreements`: the registry section (existing agreements and
  open alerts in the scope), :func:`agreements_section`.
* :mod:`~kerjasama.present.brief.figure`: the static map of a cluster (matplotlib).
* :mod:`~kerjasama.present.brief.html`: the HTML page, through the Jinja2 template
  ``brief.html.j2`` (autoescaped).
* :mod:`~kerjasama.present.brief.pdf`: the A4 PDF (reportlab, DejaVu Sans embedded).
"""

from __future__ import annotations

from pathlib import Path

from common.errors import InputError
from common.text import Msg
from kerjasama.present.brief.figure import cluster_map_png, nice_length
from kerjasama.present.brief.html import brief_html
from kerjasama.present.brief.model import AgreementsSection, Brief, ClusterSection, build_brief
from kerjasama.present.brief.pdf import brief_pdf

__all__ = [
    "AgreementsSection",
    "Brief",
    "ClusterSection",
    "brief_html",
    "brief_pdf",
    "build_brief",
    "cluster_map_png",
    "nice_length",
    "write_brief",
]


def write_brief(brief: Brief, path: str | Path) -> Path:
    """Write ``brief`` as PDF or HTML, chosen by the suffix of ``path`` (.pdf, .html/.htm)."""
    from kerjasama.outputs import write_output

    out = Path(path)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        write_output(out, brief_pdf(brief))
    elif suffix in (".html", ".htm"):
        write_output(out, brief_html(brief))
    else:
        raise InputError(
            "errors.brief.file_type",
            file=out,
            suffix=suffix if suffix else Msg("errors.brief.no_suffix"),
        )
    return out
