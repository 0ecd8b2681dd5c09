"""Seed the registry with the documented real arrangements (``data/arrangements/arrangements.csv``).

The file is compiled from public sources for the backtest (see its own README): one row per
arrangement with ``id,name,sector,sector_detail,form,provider,members,member_names,
other_parties,province_codes,stage,year,year_basis,source_url,source_title,source_publisher,
source_date,evidence,confidence,holdout,notes``. Each row becomes an agreement marked
``documented`` with its source, its id kept as ``seed_id`` (so seeding again adds only new rows),
its stage mapped (KB -> kb, PKS -> pks, running -> berjalan, ended -> berakhir) and no stage
dates: the sources give a year, so no date-based alert fires for these rows (they are listed as
"dates unknown" until someone records the dates). An ``other_parties`` item is a province party
when it reads ``Provinsi <name>``, ``Pemprov <name>`` or ``Pemerintah <name>`` and the name is a
province of the boundary table (without one: when the row has a single province code); any other
item is a third party. ``province_codes`` only says where the members are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.errors import InputError, MissingDataError
from registry.records import is_blank

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The arrangements file shipped in the repository.
DEFAULT_CSV = REPO_ROOT / "data" / "arrangements" / "arrangements.csv"
#: Who the audit log names for rows seeded into a new database.
SEED_USER = "kerjasama-seed"
COLUMNS = (
    "id",
    "name",
    "sector",
    "sector_detail",
    "form",
    "provider",
    "members",
    "member_names",
    "other_parties",
    "province_codes",
    "stage",
    "year",
    "year_basis",
    "source_url",
    "source_title",
    "source_publisher",
    "source_date",
    "evidence",
    "confidence",
    "holdout",
    "notes",
)
STAGE_MAP = {"kb": "kb", "mou": "kb", "pks": "pks", "running": "berjalan", "ended": "berakhir"}
_PROVINCE = re.compile(
    r"^(pemerintah\s+provinsi|pemerintah|pemprov|provinsi|province)\s+", re.IGNORECASE
)
_SHORT = {"daerah istimewa": "di", "daerah khusus ibukota": "dki"}


def _province_key(name: str) -> str:
    """A province name reduced for matching: no parentheses, prefix or case; DI/DKI short."""
    text = re.sub(r"\(.*?\)", "", name).strip().lower()
    text = _PROVINCE.sub("", text).strip()
    for long, short in _SHORT.items():
        text = text.replace(long, short)
    return re.sub(r"\s+", " ", text)


def province_names(places: Any) -> dict[str, str]:
    """``{reduced province name: code}`` from a boundary table with ``province_name``."""
    if places is None or "province_name" not in getattr(places, "columns", ()):
        return {}
    pairs = places[["province", "province_name"]].drop_duplicates()
    return {
        _province_key(str(n)): str(c)
        for c, n in zip(pairs["province"], pairs["province_name"], strict=True)
    }


@dataclass(frozen=True)
class SeedReport:
    source: Path
    rows: int
    added: int
    skipped: int


def read_arrangements(
    path: Path, names: Mapping[str, str] | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """The arrangement rows as registry values, with their row numbers."""
    if not path.is_file():
        raise MissingDataError("errors.registry.seed_missing", file=path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [
            c
            for c in ("id", "name", "sector", "form", "members", "stage")
            if c not in (reader.fieldnames or [])
        ]
        if missing:
            raise InputError("errors.registry.seed_columns", file=path, columns=", ".join(missing))
        return [(n, to_values(row, names)) for n, row in enumerate(reader, start=2)]


def to_values(row: Mapping[str, Any], names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One arrangement row as registry field values (documented, no stage dates).

    ``names`` (:func:`province_names`) recognises a province party by its name; without it a
    ``Provinsi ...`` party is matched only when the row names a single province.
    """
    stage_raw = str(row.get("stage") or "").strip().lower()
    provinces, third = _other_parties(
        row.get("other_parties"), row.get("province_codes"), names or {}
    )
    notes = str(row.get("notes") or "").strip()
    values = {
        "seed_id": row.get("id"),
        "name": row.get("name"),
        "sector": row.get("sector"),
        "sector_detail": row.get("sector_detail"),
        "form": row.get("form"),
        "provider": row.get("provider"),
        "members": row.get("members"),
        "provinces": provinces,
        "third_parties": third,
        "stage": STAGE_MAP.get(stage_raw, stage_raw),
        "year": row.get("year"),
        "year_basis": row.get("year_basis"),
        "source_url": row.get("source_url"),
        "source_title": row.get("source_title"),
        "source_publisher": row.get("source_publisher"),
        "source_date": row.get("source_date"),
        "evidence": row.get("evidence"),
        "confidence": row.get("confidence"),
        "notes": notes,
        "documented": True,
    }
    return {k: v for k, v in values.items() if not is_blank(v)}


def _other_parties(
    other: Any, province_codes: Any, names: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    codes = [c.strip() for c in re.split(r"[;,]", str(province_codes or "")) if c.strip()]
    provinces: list[str] = []
    third: list[str] = []
    for item in re.split(r";", str(other or "")):
        name = item.strip()
        if not name:
            continue
        code = None
        if re.fullmatch(r"\d{2}", name):
            code = name
        elif _PROVINCE.match(name):
            code = names.get(_province_key(name))
            if code is None and not names and len(set(codes)) == 1:
                code = codes[0]
        if code is not None and code not in provinces:
            provinces.append(code)
        elif code is None:
            third.append(name)
    return provinces, third


def seed(reg: Any, path: str | Path | None = None, *, token: str | None = None) -> SeedReport:
    """Add the arrangements of ``path`` (default :data:`DEFAULT_CSV`) not yet in the registry.

    All-or-nothing like an import: a bad row is named with its row and field.
    """
    source = Path(path) if path is not None else DEFAULT_CSV
    rows = read_arrangements(source, province_names(getattr(reg, "places", None)))
    ids = reg.add_many(
        [values for _, values in rows],
        token=token,
        source=str(source),
        row_numbers=[n for n, _ in rows],
        skip_seeded=True,
    )
    added = sum(1 for i in ids if i is not None)
    return SeedReport(source=source, rows=len(rows), added=added, skipped=len(rows) - added)
