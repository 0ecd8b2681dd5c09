"""Checking agreement values from any source (command line, import file, seed, app form).

:func:`parse_agreement` turns a mapping of field -> value (text as typed in a CSV cell or a
command-line option, or Python values from a form) into checked, normalised values, or raises an
:class:`~common.errors.InputError` naming the field, the value and the fix. Kab/kota and province
codes are Kemendagri codes (``64.71``, ``6471``); they are stored in the project's canonical form
(digits only) and, when a boundary table is given, must name a region of it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from analysis.pks import CLAUSES
from common.errors import InputError
from geo.codes import normalize_code
from registry.models import (
    CONFIDENCE,
    DOCUMENT_KINDS,
    DPRD_STATES,
    FORMS,
    MONITORING_STATUS,
    STAGES,
    stage_column,
)

#: Text fields stored as given (stripped).
TEXT_FIELDS = (
    "sector_detail",
    "object",
    "scope",
    "year_basis",
    "source_url",
    "source_title",
    "source_publisher",
    "source_date",
    "evidence",
    "notes",
)
DATE_FIELDS = ("start_on", "end_on", "dprd_on") + tuple(stage_column(s) for s in STAGES)
#: Party fields: kab/kota codes, province codes, third-party names, the contract's provider.
PARTY_FIELDS = ("members", "provinces", "third_parties", "provider")
#: Every field an agreement row may carry (import header, edit --set names).
FIELDS = (
    ("name", "sector", "form", "stage")
    + TEXT_FIELDS
    + DATE_FIELDS
    + ("duration_months", "pks_clauses", "dprd", "year", "documented", "confidence")
    + ("seed_id", "renews_id")
    + PARTY_FIELDS
)
#: Fields ``edit`` may change (the stage moves only with ``stage``; seed ids never change).
EDITABLE = tuple(f for f in FIELDS if f not in ("stage", "seed_id") and not f.endswith("_on")) + (
    "start_on",
    "end_on",
    "dprd_on",
)
MAX_TEXT = 20_000
_TRUE = {"1", "true", "yes", "ya", "y", "benar"}
_FALSE = {"0", "false", "no", "tidak", "n", "salah", ""}
_LIST_SPLIT = re.compile(r"[;\n]")


def is_blank(value: Any) -> bool:
    """None, NaN, or text that is only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Stripped text; control characters other than line breaks and tabs are refused."""
    if is_blank(value):
        if required:
            raise InputError("errors.registry.required", field=field)
        return ""
    out = str(value).strip()
    if len(out) > limit:
        raise InputError("errors.registry.too_long", field=field, n=len(out), limit=limit)
    if any(ord(ch) < 32 and ch not in "\n\t\r" for ch in out):
        raise InputError("errors.registry.control_chars", field=field)
    return out


def date(value: Any, field: str) -> dt.date | None:
    """A date from a date, a datetime or ISO text ``YYYY-MM-DD``."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError("errors.registry.bad_date", field=field, value=str(value)) from None


def period(value: Any, field: str = "period") -> dt.date:
    """A month (``YYYY-MM``, or a date in it) as the first day of that month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    raw = text(value, field, required=True)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", raw)
    if match and 1 <= int(match.group(2)) <= 12:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    raise InputError("errors.registry.bad_period", field=field, value=raw)


def integer(value: Any, field: str, lo: int, hi: int) -> int | None:
    if is_blank(value):
        return None
    try:
        number = float(str(value).strip()) if not isinstance(value, int | float) else float(value)
    except ValueError:
        number = math.nan
    if math.isnan(number) or not number.is_integer() or not lo <= number <= hi:
        raise InputError("errors.registry.bad_integer", field=field, value=str(value), lo=lo, hi=hi)
    return int(number)


def amount(value: Any, field: str = "amount") -> Decimal:
    """A rupiah amount >= 0 (``1500000``, ``1500000.50``; no thousands separators)."""
    raw = (
        text(value, field, required=True) if not isinstance(value, int | float | Decimal) else value
    )
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise InputError("errors.registry.bad_amount", field=field, value=str(value)) from None
    if not number.is_finite() or number < 0 or number >= Decimal(10) ** 18:
        raise InputError("errors.registry.bad_amount", field=field, value=str(value))
    return number.quantize(Decimal("0.01"))


def choice(value: Any, field: str, allowed: Sequence[str], default: str | None = None) -> str:
    if is_blank(value):
        if default is not None:
            return default
        raise InputError("errors.registry.required", field=field)
    out = str(value).strip().lower()
    if out not in allowed:
        raise InputError(
            "errors.registry.bad_choice", field=field, value=str(value), allowed=", ".join(allowed)
        )
    return out


def boolean(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    raw = str(value).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise InputError("errors.registry.bad_bool", field=field, value=str(value))


def items(value: Any) -> list[str]:
    """A list from a list, or from ``;``-separated text (blank items dropped)."""
    if is_blank(value):
        return []
    if isinstance(value, str):
        parts: Iterable[Any] = _LIST_SPLIT.split(value)
    else:
        parts = value
    return [str(p).strip() for p in parts if not is_blank(p)]


def dotted(code: str | None) -> str:
    """A canonical kab/kota code in the Kemendagri spelling (``6471`` -> ``64.71``)."""
    if not code:
        return ""
    return f"{code[:2]}.{code[2:]}" if len(code) == 4 else code


@dataclass(frozen=True)
class PartySpec:
    """A party as checked: ``kind`` kabkota/province/third, canonical ``code``, ``name``."""

    kind: str
    code: str | None
    name: str
    is_provider: bool = False

    @property
    def province(self) -> str | None:
        return self.code[:2] if self.code else None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code or self.name.casefold())


def _region_code(
    raw: str, field: str, digits: int, places: pd.DataFrame | None, province: bool
) -> tuple[str, str]:
    code = normalize_code(raw)
    if code is None or len(code) != digits:
        raise InputError(
            "errors.registry.bad_province_code" if province else "errors.registry.bad_code",
            field=field,
            value=raw,
        )
    name = ""
    if places is not None:
        if province:
            match = places[places["province"] == code]
            if match.empty:
                raise InputError(
                    "errors.registry.unknown_province",
                    field=field,
                    value=raw,
                    source=_source(places),
                )
            col = "province_name" if "province_name" in match.columns else None
            name = str(match[col].iloc[0]) if col else ""
        else:
            if code not in places.index:
                raise InputError(
                    "errors.registry.unknown_code", field=field, value=raw, source=_source(places)
                )
            name = str(places.at[code, "name"])
    return code, name


def _source(places: pd.DataFrame) -> str:
    meta = places.attrs.get("kerjasama", {}) if hasattr(places, "attrs") else {}
    return str(meta.get("source", "boundaries"))


def parse_parties(
    values: Mapping[str, Any], *, form: str, places: pd.DataFrame | None, strict: bool
) -> list[PartySpec]:
    """Parties from ``members``/``provinces``/``third_parties``/``provider``.

    ``strict`` (rows that are not documented seeds) asks a contract to name its provider.
    """
    parties: list[PartySpec] = []
    seen: set[tuple[str, str]] = set()

    def add(spec: PartySpec, field: str, raw: str) -> None:
        if spec.key in seen:
            raise InputError("errors.registry.duplicate_party", field=field, value=raw)
        seen.add(spec.key)
        parties.append(spec)

    for raw in items(values.get("members")):
        code, name = _region_code(raw, "members", 4, places, province=False)
        add(PartySpec("kabkota", code, name), "members", raw)
    for raw in items(values.get("provinces")):
        code, name = _region_code(raw, "provinces", 2, places, province=True)
        add(PartySpec("province", code, name), "provinces", raw)
    for raw in items(values.get("third_parties")):
        add(PartySpec("third", None, text(raw, "third_parties", limit=300)), "third_parties", raw)
    if not any(p.kind == "kabkota" for p in parties):
        raise InputError("errors.registry.no_members", field="members")
    provider = text(values.get("provider"), "provider", limit=300)
    if provider:
        code = normalize_code(provider)
        index = None
        if code is not None and len(code) in (2, 4) and re.fullmatch(r"[\d.\s]+", provider):
            index = next((i for i, p in enumerate(parties) if p.code == code), None)
            if index is None:
                raise InputError(
                    "errors.registry.provider_not_party", field="provider", value=provider
                )
        else:
            index = next(
                (
                    i
                    for i, p in enumerate(parties)
                    if p.kind == "third" and p.name.casefold() == provider.casefold()
                ),
                None,
            )
            if index is None:
                parties.append(PartySpec("third", None, provider))
                index = len(parties) - 1
        p = parties[index]
        parties[index] = PartySpec(p.kind, p.code, p.name, True)
    elif form == "contract" and strict:
        raise InputError("errors.registry.provider_required", field="provider")
    return parties


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (clamped to the month's last day)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def end_from(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` starting on ``start``."""
    return add_months(start, months) - dt.timedelta(days=1)


def parse_agreement(
    values: Mapping[str, Any],
    *,
    sectors: Iterable[str],
    places: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> tuple[dict[str, Any], list[PartySpec]]:
    """Check a new agreement's values; return (column values, parties).

    Unknown keys are refused (a typo in a header must not drop a column silently).
    """
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise InputError(
            "errors.registry.unknown_fields", fields=", ".join(unknown), allowed=", ".join(FIELDS)
        )
    sectors = list(sectors)
    out: dict[str, Any] = {
        "name": text(values.get("name"), "name", required=True, limit=300),
        "sector": choice(values.get("sector"), "sector", sectors),
        "form": choice(values.get("form"), "form", FORMS),
        "stage": choice(values.get("stage"), "stage", STAGES, default="usulan"),
    }
    for field in TEXT_FIELDS:
        out[field] = text(values.get(field), field)
    for field in DATE_FIELDS:
        out[field] = date(values.get(field), field)
    out["duration_months"] = integer(values.get("duration_months"), "duration_months", 1, 1200)
    out["year"] = integer(values.get("year"), "year", 1945, 2200)
    out["documented"] = boolean(values.get("documented"), "documented")
    confidence = values.get("confidence")
    out["confidence"] = (
        None if is_blank(confidence) else choice(confidence, "confidence", CONFIDENCE)
    )
    out["dprd"] = choice(values.get("dprd"), "dprd", DPRD_STATES, default="unknown")
    out["pks_clauses"] = clauses(values.get("pks_clauses"))
    seed_id = text(values.get("seed_id"), "seed_id", limit=80)
    out["seed_id"] = seed_id or None
    out["renews_id"] = integer(values.get("renews_id"), "renews_id", 1, 2**31 - 1)
    check_dates(out, documented=out["documented"], today=today)
    parties = parse_parties(values, form=out["form"], places=places, strict=not out["documented"])
    return out, parties


def clauses(value: Any) -> list[str]:
    """PKS clause ids (see :data:`analysis.pks.CLAUSES`), in the checklist's order."""
    chosen = {c.lower() for c in items(value)}
    unknown = sorted(chosen - set(CLAUSES))
    if unknown:
        raise InputError(
            "errors.registry.bad_choice",
            field="pks_clauses",
            value=", ".join(unknown),
            allowed=", ".join(CLAUSES),
        )
    return [c for c in CLAUSES if c in chosen]


def check_dates(out: dict[str, Any], *, documented: bool, today: dt.date | None) -> None:
    """Fill and check dates in place: the term's end, the stage date, the stages' order."""
    start, months, end = out.get("start_on"), out.get("duration_months"), out.get("end_on")
    if start and months and end is None:
        out["end_on"] = end_from(start, months)
    elif start and months and end and end != end_from(start, months):
        raise InputError(
            "errors.registry.end_mismatch",
            start=start.isoformat(),
            months=months,
            end=end.isoformat(),
            expected=end_from(start, months).isoformat(),
        )
    if start and out.get("end_on") and out["end_on"] < start:
        raise InputError("errors.registry.end_before_start", field="end_on")
    stage = out.get("stage")
    if stage is not None:
        column = stage_column(stage)
        if out.get(column) is None and not documented:
            if stage == "usulan":
                out[column] = today or dt.date.today()
            else:
                raise InputError("errors.registry.stage_date", field=column, stage=stage)
    previous: tuple[str, dt.date] | None = None
    for s in STAGES[:5]:
        day = out.get(stage_column(s))
        if day is None:
            continue
        if previous and day < previous[1]:
            raise InputError(
                "errors.registry.stage_order",
                field=stage_column(s),
                day=day.isoformat(),
                before=previous[0],
                before_day=previous[1].isoformat(),
            )
        previous = (stage_column(s), day)


def parse_monitoring(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check a monitoring entry: ``period``, ``status``, ``note``, ``indicators``."""
    indicators = values.get("indicators") or {}
    if isinstance(indicators, str):
        indicators = dict(_pair(p) for p in items(indicators))
    checked = {}
    for key, value in dict(indicators).items():
        name = text(key, "indicators", limit=80)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError("errors.registry.bad_indicator", name=name, value=str(value)) from None
        if not math.isfinite(number):
            raise InputError("errors.registry.bad_indicator", name=name, value=str(value))
        checked[name] = number
    return {
        "period": period(values.get("period")),
        "status": choice(values.get("status"), "status", MONITORING_STATUS),
        "note": text(values.get("note"), "note"),
        "indicators": checked,
    }


def _pair(item: str) -> tuple[str, str]:
    if "=" not in item:
        raise InputError("errors.registry.bad_indicator", name=item, value="")
    key, value = item.split("=", 1)
    return key.strip(), value.strip()


def parse_document(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check a document reference; it needs a number, a link or a file name."""
    out = {
        "kind": choice(values.get("kind"), "kind", DOCUMENT_KINDS),
        "number": text(values.get("number"), "number", limit=200),
        "issued_on": date(values.get("issued_on"), "issued_on"),
        "title": text(values.get("title"), "title"),
        "link": text(values.get("link"), "link", limit=2000),
        "file_name": text(values.get("file_name"), "file_name", limit=260),
    }
    if not (out["number"] or out["link"] or out["file_name"]):
        raise InputError("errors.registry.document_empty")
    if out["link"] and not re.match(r"^https?://[^\s]+$", out["link"], re.IGNORECASE):
        raise InputError("errors.registry.bad_link", value=out["link"])
    return out
