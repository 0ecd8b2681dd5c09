"""Declarative checks for the tables of the sector configuration (``sectors.toml``).

Each table of the config is described once by a :class:`Table` of typed fields (:class:`Number`,
:class:`Integer`, :class:`Text`, :class:`Flag`, nested :class:`Table`); :meth:`Table.check`
refuses wrong types, NaN and infinities, out-of-range values, fractional counts, unknown and
missing keys, naming the file, the table and the key. Adding a parameter to the config means
adding one entry to its table's schema (see ``analysis/config.py``).

Examples
--------
>>> schema = Table({"share": Number(0, 1), "draws": Integer(0, 10_000)})
>>> schema.check({"share": 0.5, "draws": 200}, "[demo]", "demo.toml")
{'share': 0.5, 'draws': 200}
>>> try:
...     schema.check({"share": 2, "draws": 200}, "[demo]", "demo.toml")
... except InputError as err:
...     print(err)
Sector config demo.toml: [demo]: 'share' = 2 is outside the allowed range (0 to 1)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from common.errors import InputError
from common.text import Listing, Msg


class _Problem(Exception):
    """A value does not fit its field (carries the message; the table adds file and place)."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.key)
        self.msg = msg


def invalid(source: object, where: object, problem: object) -> InputError:
    """The config error: ``Sector config <file>: <where>: <problem>``."""
    return InputError("errors.config.invalid", file=source, where=where, problem=problem)


def _plain(x: float | None) -> float | int | None:
    """Whole numbers shown without a decimal part (``1000000`` rather than ``1000000.0``)."""
    if x is not None and float(x).is_integer() and abs(x) < 1e15:
        return int(x)
    return x


def _range_text(lo: float | None, hi: float | None, above: bool) -> Msg:
    lo, hi = _plain(lo), _plain(hi)
    if lo is not None and hi is not None:
        if above:
            return Msg("errors.config.range_above_max", lo=lo, hi=hi)
        return Msg("errors.config.range", lo=lo, hi=hi)
    if lo is not None:
        if above:
            return Msg("errors.config.range_above", lo=lo)
        return Msg("errors.config.range_min", lo=lo)
    return Msg("errors.config.range_max", hi=hi)


@dataclass(frozen=True)
class Number:
    """A finite real number in ``[lo, hi]`` (``(lo, hi]`` when ``above``)."""

    lo: float | None = None
    hi: float | None = None
    above: bool = False
    required: bool = True

    def check(self, key: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Problem(Msg("errors.config.not_number", key=key, value=repr(value)))
        if not math.isfinite(value):
            raise _Problem(Msg("errors.config.not_finite", key=key, value=repr(value)))
        self._in_range(key, value)
        return float(value)

    def _in_range(self, key: str, value: float) -> None:
        low_ok = self.lo is None or (value > self.lo if self.above else value >= self.lo)
        if not low_ok or (self.hi is not None and value > self.hi):
            raise _Problem(
                Msg(
                    "errors.config.out_of_range",
                    key=key,
                    value=_plain(value),
                    range=_range_text(self.lo, self.hi, self.above),
                )
            )


@dataclass(frozen=True)
class Integer(Number):
    """A whole number in ``[lo, hi]`` (``20`` and ``20.0`` are accepted, ``2.5`` is not)."""

    def check(self, key: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Problem(Msg("errors.config.not_number", key=key, value=repr(value)))
        if isinstance(value, float):
            if not math.isfinite(value):
                raise _Problem(Msg("errors.config.not_finite", key=key, value=repr(value)))
            if not value.is_integer():
                raise _Problem(Msg("errors.config.not_integer", key=key, value=repr(value)))
        self._in_range(key, value)
        return int(value)


@dataclass(frozen=True)
class Text:
    """Text (surrounding spaces removed); ``choices`` limits it to a few values."""

    choices: tuple[str, ...] | None = None
    nonempty: bool = False
    required: bool = True

    def check(self, key: str, value: object) -> str:
        if not isinstance(value, str):
            raise _Problem(Msg("errors.config.not_text", key=key, value=repr(value)))
        text = value.strip()
        if self.nonempty and not text:
            raise _Problem(Msg("errors.config.empty_text", key=key, value=repr(value)))
        if self.choices is not None and text not in self.choices:
            raise _Problem(
                Msg(
                    "errors.config.choice",
                    key=key,
                    value=repr(value),
                    allowed=Listing(self.choices, last="or"),
                )
            )
        return text


@dataclass(frozen=True)
class Flag:
    """``true`` or ``false``."""

    required: bool = True

    def check(self, key: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise _Problem(Msg("errors.config.not_flag", key=key, value=repr(value)))
        return value


@dataclass(frozen=True)
class Raw:
    """Any value, left for the caller to check (lists of terms, for example)."""

    required: bool = True

    def check(self, key: str, value: object) -> object:
        return value


@dataclass(frozen=True)
class Table:
    """A TOML table with known keys; nested tables are checked in turn.

    Parameters
    ----------
    fields
        Key -> field (``Number``, ``Integer``, ``Text``, ``Flag``, ``Raw`` or ``Table``). A field
        with ``required=False`` may be left out (it is then absent from the result).
    extra
        Fields whose keys are not known in advance (e.g. ``[indicators.<column>]``): every key
        not in ``fields`` is checked against ``extra``; None = unknown keys are refused.
    """

    fields: Mapping[str, Any] = field(default_factory=dict)
    extra: Any = None
    required: bool = True

    def check(self, value: object, where: object, source: object) -> dict[str, Any]:
        """The validated table (a new dict); InputError naming ``source``, ``where`` and the key."""
        if not isinstance(value, Mapping):
            raise invalid(source, where, Msg("errors.config.not_table"))
        if self.extra is None:
            unknown = sorted(set(value) - set(self.fields))
            if unknown:
                raise invalid(
                    source,
                    where,
                    Msg(
                        "errors.config.unknown_keys",
                        keys=", ".join(map(str, unknown)),
                        allowed=", ".join(self.fields),
                    ),
                )
        out: dict[str, Any] = {}
        for key, spec in self.fields.items():
            if key not in value:
                if spec.required:
                    raise invalid(source, where, Msg("errors.config.missing_key", key=key))
                continue
            out[key] = self._one(spec, key, value[key], where, source)
        for key in value:
            if key not in self.fields:
                out[key] = self._one(self.extra, key, value[key], where, source)
        return out

    @staticmethod
    def _one(spec: Any, key: str, value: object, where: object, source: object) -> Any:
        if isinstance(spec, Table):
            if not isinstance(value, Mapping):
                raise invalid(source, where, Msg("errors.config.key_not_table", key=key))
            return spec.check(value, _child(where, key), source)
        try:
            return spec.check(key, value)
        except _Problem as problem:
            raise invalid(source, where, problem.msg) from None


def _child(where: object, key: str) -> str:
    """``[a.b]`` for key ``b`` of table ``[a]`` (``[b]`` at the top level)."""
    if isinstance(where, str) and where.startswith("[") and where.endswith("]"):
        return f"{where[:-1]}.{key}]"
    return f"[{key}]"


def merged(default: Mapping, given: Mapping) -> dict:
    """``given`` on top of ``default``, nested tables merged key by key."""
    out = dict(default)
    for key, value in given.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out
