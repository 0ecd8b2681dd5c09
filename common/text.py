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

A parameter may itself be text that is rendered later, in the reader's language: a :class:`Msg`
(a key and its parameters, e.g. the reason inside a zip refusal, or a non-fatal problem that a
lower layer reports) or a :class:`Listing` (``"a, b and 3 more"``). Lower layers build these;
whoever shows them calls ``render(lang)``.

Examples
--------
>>> t("ui.lang_switch", "en")
'Bahasa / Language'
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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"
#: Where a message is shown: the command line or the app. Messages that tell the user which
#: setting to change name it the way that surface does (:class:`Option`).
SURFACES: tuple[str, ...] = ("cli", "app")
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


def format_value(value: object, spec: str, lang: str | None = DEFAULT_LANG) -> str:
    """``format(value, spec)`` with the language's decimal and thousands marks.

    >>> format_value(0.125, ".1%", "id")
    '12,5%'
    """
    return _Formatter(check_lang(lang)).format_field(value, spec)


class _Formatter(string.Formatter):
    def __init__(self, lang: str, surface: str = "cli") -> None:
        self.lang = lang
        self.surface = surface

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Msg | Listing | Option) or _renders(value):
            return super().format_field(render(value, self.lang, self.surface), format_spec)
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
    return _text(key, lang, "cli", params)


def _text(key: str, lang: str | None, surface: str, params: Mapping[str, object]) -> str:
    chosen = check_lang(lang)
    return _Formatter(chosen, surface).vformat(catalogue(chosen)[key], (), params)


def translator(lang: str | None) -> Callable[..., str]:
    """``tr(key, **params)`` bound to one language."""
    chosen = check_lang(lang)

    def tr(key: str, /, **params: object) -> str:
        return t(key, chosen, **params)

    return tr


def _renders(value: object) -> bool:
    """Whether ``value`` is deferred text (has ``render(lang)``), e.g. a ``KerjasamaError``."""
    return callable(getattr(value, "render", None)) and not isinstance(value, type)


def render(value: object, lang: str | None, surface: str = "cli") -> str:
    """``value`` as text in ``lang``: deferred text is rendered, anything else is ``str()``.

    ``surface`` (``"cli"`` or ``"app"``) reaches nested :class:`Option` parameters, so a message
    names the settings the surface showing it has.
    """
    if not _renders(value):
        return str(value)
    if getattr(value, "surface_aware", False):
        return value.render(lang, surface)  # type: ignore[attr-defined]
    return value.render(lang)  # type: ignore[attr-defined]


def _map_text(value: object, fn: Callable[[str], str]) -> object:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, Path):
        return fn(str(value))
    if callable(getattr(value, "with_text", None)):
        return value.with_text(fn)  # type: ignore[attr-defined]
    return value


@dataclass(frozen=True, init=False)
class Msg:
    """A catalogue key with its parameters, rendered later in the reader's language.

    >>> Msg("errors.boundaries.feature_code", n=3, code="6472").render("id")
    'fitur 3 kode 6472'
    """

    key: str
    params: Mapping[str, object]
    surface_aware = True

    def __init__(self, key: str, /, **params: object) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def render(self, lang: str | None = DEFAULT_LANG, surface: str = "cli") -> str:
        """The text in ``lang``, naming settings as ``surface`` (``"cli"``/``"app"``) does."""
        return _text(self.key, lang, surface, self.params)

    def with_text(self, fn: Callable[[str], str]) -> Msg:
        """A copy with ``fn`` applied to every text parameter (nested ones included)."""
        return type(self)(self.key, **{k: _map_text(v, fn) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.render("en")


_JOINERS = {"and": "common.and", "or": "common.or"}


@dataclass(frozen=True, init=False)
class Listing:
    """Items shown as ``"a, b, c and 2 more"`` (or with a final ``and``/``or``) in the language.

    Parameters
    ----------
    items
        Text or deferred text (:class:`Msg`...).
    limit
        Show at most this many, then ``"and N more"``.
    last
        ``"and"`` / ``"or"`` joins the last two items with that word instead of a comma.
    sep
        Separator between items (default ``", "``; ``"\\n  "`` gives indented lines).

    >>> Listing(["a", "b", "c"], limit=2).render("id")
    'a, b dan 1 lainnya'
    >>> Listing([".shx", ".dbf"], last="and").render("en")
    '.shx and .dbf'
    """

    items: tuple[object, ...]
    limit: int | None
    last: str | None
    sep: str
    surface_aware = True

    def __init__(
        self,
        items: Iterable[object],
        *,
        limit: int | None = None,
        last: str | None = None,
        sep: str = ", ",
    ) -> None:
        object.__setattr__(self, "items", tuple(items))
        object.__setattr__(self, "limit", limit)
        object.__setattr__(self, "last", last)
        object.__setattr__(self, "sep", sep)

    def __len__(self) -> int:
        return len(self.items)

    def render(self, lang: str | None = DEFAULT_LANG, surface: str = "cli") -> str:
        """The listing in ``lang``."""
        shown = self.items if self.limit is None else self.items[: self.limit]
        words = [render(item, lang, surface) for item in shown]
        more = len(self.items) - len(shown)
        if more > 0:
            return self.sep.join(words) + t("common.and_more", lang, n=more)
        if self.last and len(words) > 1:
            joiner = t(_JOINERS[self.last], lang)
            return self.sep.join(words[:-1]) + joiner + words[-1]
        return self.sep.join(words)

    def with_text(self, fn: Callable[[str], str]) -> Listing:
        """A copy with ``fn`` applied to every text item."""
        return Listing(
            (_map_text(item, fn) for item in self.items),
            limit=self.limit,
            last=self.last,
            sep=self.sep,
        )

    def __str__(self) -> str:
        return self.render("en")


#: Catalogue key of each option per surface. The app has no command-line flags: there an option
#: is named by the form field that sets it.
_OPTION_KEYS = {
    ("cli", "id_field"): "options.cli.id_field",
    ("app", "id_field"): "options.app.id_field",
    ("cli", "name_field"): "options.cli.name_field",
    ("app", "name_field"): "options.app.name_field",
    ("cli", "key_pair"): "options.cli.key_pair",
    ("app", "key_pair"): "options.app.key_pair",
    ("cli", "keys"): "options.cli.keys",
    ("app", "keys"): "options.app.keys",
    ("cli", "indicator_name"): "options.cli.indicator_name",
    ("app", "indicator_name"): "options.app.indicator_name",
    ("cli", "no_name_check"): "options.cli.no_name_check",
    ("app", "no_name_check"): "options.app.no_name_check",
    ("cli", "keep_non_regions"): "options.cli.keep_non_regions",
    ("app", "keep_non_regions"): "options.app.keep_non_regions",
    ("cli", "layer"): "options.cli.layer",
    ("app", "layer"): "options.app.layer",
    ("cli", "sheet"): "options.cli.sheet",
    ("app", "sheet"): "options.app.sheet",
}


@dataclass(frozen=True, init=False)
class Option:
    """A setting the user can change, named as the surface showing the message names it.

    On the command line it is a flag (``--id-field KDPKAB``), in the app a form field. A message
    that offers a fix takes an :class:`Option` parameter, so it never offers a flag inside the
    app, nor a form field on the command line.

    >>> Option("id_field").render("en")
    '--id-field'
    >>> Option("key_pair", bkey="code_dot", ikey="kode").render("en")
    '--boundary-key code_dot --indicator-key kode'
    """

    name: str
    params: Mapping[str, object]
    surface_aware = True

    def __init__(self, name: str, /, **params: object) -> None:
        if ("cli", name) not in _OPTION_KEYS:
            raise KeyError(name)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "params", params)

    def render(self, lang: str | None = DEFAULT_LANG, surface: str = "cli") -> str:
        """The option's name on ``surface`` (``"cli"`` or ``"app"``), in ``lang``."""
        where = surface if surface in SURFACES else "cli"
        return _text(_OPTION_KEYS[(where, self.name)], lang, where, self.params)

    def with_text(self, fn: Callable[[str], str]) -> Option:
        """A copy with ``fn`` applied to every text parameter."""
        return type(self)(self.name, **{k: _map_text(v, fn) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.render("en")
