"""The text catalogue: every user-visible string, one TOML file per language.

``common/catalogue/id.toml`` (Bahasa Indonesia, the default) and ``common/catalogue/en.toml`` hold
the same dotted keys (``ui.app_title``, ``errors.boundaries.truncated``...). Every layer renders
text through :func:`t`; ``geo/`` and ``analysis/`` only raise :class:`common.errors.KerjasamaError`
with a key and parameters, and return facts that the presentation layer turns into words.

Templates use :meth:`str.format` fields. Numbers passed as parameters are localised by the field's
format spec: the decimal mark always follows the language, and thousands are grouped only where
the template asks for it with ``,``::

    "{km:,.1f} km"   id: "1.234,5 km"   en: "1,234.5 km"
    "{pct:.1f} %"    id: "12,5 %"       en: "12.5 %"
    "{year}"         id: "2024"         en: "2024"     (no grouping unless asked)

User text (region names, file names) is only ever a parameter, never a template, so it is inserted
as it is; escaping for HTML or Markdown is the renderer's job.

Examples
--------
>>> t("ui.lang_label", "en")
'Language'
>>> fmt_number(1234.5, "id", decimals=1)
'1.234,5'
>>> fmt_number(1234.5, "en", decimals=1)
'1,234.5'
"""

from __future__ import annotations

import math
import numbers
import string
import tomllib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"
CATALOGUE_DIR = Path(__file__).with_name("catalogue")


def _flatten(table: Mapping[str, Any], prefix: str, out: dict[str, str], source: Path) -> None:
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(value, full + ".", out, source)
        elif isinstance(value, str):
            out[full] = value
        else:
            raise ValueError(f"{source}: key '{full}' is not text")


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> Mapping[str, str]:
    """All texts of one language as ``{dotted key: template}`` (read once)."""
    source = CATALOGUE_DIR / f"{check_lang(lang)}.toml"
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    out: dict[str, str] = {}
    _flatten(data, "", out, source)
    return out


def check_lang(lang: str | None) -> str:
    """Return a supported language code (the default when ``lang`` is None or unknown)."""
    return lang if lang in LANGS else DEFAULT_LANG


def has(key: str) -> bool:
    """Whether ``key`` exists in the catalogue."""
    return key in catalogue(DEFAULT_LANG)


def _marks(lang: str) -> tuple[str, str]:
    """(thousands separator, decimal mark) of a language."""
    return (".", ",") if check_lang(lang) == "id" else (",", ".")


def _localise(formatted: str, lang: str) -> str:
    group, decimal = _marks(lang)
    if (group, decimal) == (",", "."):
        return formatted
    return formatted.replace(",", "\0").replace(".", decimal).replace("\0", group)


def fmt_number(
    value: object, lang: str = DEFAULT_LANG, *, decimals: int | None = None, grouping: bool = True
) -> str:
    """A number in the language's format; ``t("ui.not_available")`` for None/NaN.

    Parameters
    ----------
    value
        An int, float or numeric string.
    decimals
        Fixed decimals; None gives 0 for whole numbers and values of 1,000 or more, 2 below 1,
        else 1.
    grouping
        Group thousands (``1.234`` in id, ``1,234`` in en).
    """
    if value is None:
        return t("ui.not_available", lang)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return t("ui.not_available", lang)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if decimals is None:
        if number.is_integer() or abs(number) >= 1000:
            decimals = 0
        elif abs(number) < 1:
            decimals = 2
        else:
            decimals = 1
    comma = "," if grouping else ""
    return _localise(format(number, f"{comma}.{int(decimals)}f"), lang)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return super().format_field(value, format_spec)
        if math.isnan(float(value)):
            return t("ui.not_available", self.lang)
        return _localise(format(value, format_spec), self.lang)


def t(key: str, lang: str | None = DEFAULT_LANG, /, **params: object) -> str:
    """The text of ``key`` in ``lang``, with ``params`` filled in (numbers localised).

    Raises
    ------
    KeyError
        When the key is not in the catalogue (a programming error; tests check every key).
    """
    chosen = check_lang(lang)
    template = catalogue(chosen)[key]
    if not params:
        return template
    return _Formatter(chosen).vformat(template, (), params)


def translator(lang: str | None) -> Callable[..., str]:
    """``tr(key, **params)`` bound to one language."""
    chosen = check_lang(lang)

    def tr(key: str, /, **params: object) -> str:
        return t(key, chosen, **params)

    return tr
