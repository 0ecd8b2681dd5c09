"""User-interface text in Bahasa Indonesia (default) and English.

Every string the app and the briefing pack show lives in ``kerjasama/ui_text.toml``, one table
per key with an ``id`` and an ``en`` entry. Templates use ``str.format`` fields such as
``{name}``; only our own templates are formatted (user text is only ever passed as a value).

Examples
--------
>>> tr = translator("en")
>>> tr("lang_label")
'Language'
>>> translator("id")("lang_label")
'Bahasa'
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"
TEXT_FILE = Path(__file__).with_name("ui_text.toml")


@lru_cache(maxsize=4)
def load_texts(path: str | None = None) -> Mapping[str, Mapping[str, str]]:
    """Read the strings file; return ``{key: {"id": text, "en": text}}``.

    Raises ``ValueError`` (a packaging bug, not a user error) when a key lacks a language.
    """
    source = Path(path) if path else TEXT_FILE
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    for key, entry in data.items():
        missing = [lang for lang in LANGS if not isinstance(entry.get(lang), str)]
        if missing:
            raise ValueError(f"{source}: key '{key}' has no text for {', '.join(missing)}")
    return data


def check_lang(lang: str | None) -> str:
    """Return a supported language code (``"id"`` when ``lang`` is None or unknown)."""
    return lang if lang in LANGS else DEFAULT_LANG


def text(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """Return the text of ``key`` in ``lang``, formatted with ``values``.

    Parameters
    ----------
    key
        Key in ``ui_text.toml``.
    lang
        ``"id"`` or ``"en"``.
    **values
        Values for the template's ``{fields}``.

    Raises
    ------
    KeyError
        When the key does not exist (a programming error).
    """
    template = load_texts()[key][check_lang(lang)]
    return template.format(**values) if values else template


def translator(lang: str | None) -> Callable[..., str]:
    """Return ``tr(key, **values)`` bound to one language."""
    chosen = check_lang(lang)

    def tr(key: str, **values: object) -> str:
        return text(key, chosen, **values)

    return tr


def sector_label(sector: object, lang: str) -> str:
    """Label of a config ``Sector`` in ``lang`` (falls back to its id)."""
    attr = "label_en" if check_lang(lang) == "en" else "label_id"
    return str(getattr(sector, attr, None) or getattr(sector, "id", sector))


def form_label(form: str, lang: str) -> str:
    """Label of a cooperation form (``joint`` / ``contract``) in ``lang``."""
    key = f"form_{form}"
    return text(key, lang) if key in load_texts() else str(form)


def component_label(name: str, lang: str) -> str:
    """Label of a score component (``need``, ``capacity``...) in ``lang``; the name if unknown."""
    key = f"component_{name}"
    return text(key, lang) if key in load_texts() else str(name)
