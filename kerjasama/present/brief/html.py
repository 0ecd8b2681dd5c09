"""The briefing pack as one self-contained HTML page, rendered through a Jinja2 template.

``brief.html.j2`` next to this module holds the page (print CSS for A4, maps inlined as base64
PNG). The environment autoescapes every value: region names and other data can never become
markup.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

import jinja2

from kerjasama.present.brief.model import Brief

TEMPLATE = "brief.html.j2"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def brief_html(brief: Brief) -> str:
    """Render the briefing pack as one self-contained HTML page (print to PDF from a browser)."""
    return _environment().get_template(TEMPLATE).render(brief=brief, labels=brief.labels)
