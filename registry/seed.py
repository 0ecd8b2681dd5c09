"""Seed the registry with the documented real arrangements (``data/arrangements/arrangements.csv``).

The file is compiled from public sources for the backtest (see its own README): one row per
arrangement with ``id,name,sector,sector_detail,form,provider,members,member_names,
other_parties,province_codes,stage,year,year_basis,source_url,source_title,source_publisher,
source_date,evidence,confidence,holdout,notes``. Each row becomes an agreement marked
``documented`` with its source, its id kept as ``seed_id`` (so seeding again adds only new rows),
its stage mapped (KB -> kb, PKS -> pks, running -> berjalan, ended -> berakhir) and no stage
dates: the sources give a year, so no date-based alert fires for these rows (they are listed as
"dates unknown" until someone records the dates). ``other_parties`` names a province
(``Provinsi ...``/``Pemprov ...``, matched to ``province_codes``) or a third party.
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
_PROVINCE = re.compile(r"^(pemerintah\s+provinsi|pemprov|provinsi|province)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SeedReport:
    source: Path
    rows: int
    added: int
    skipped: int


def read_arrangements(path: Path) -> list[tuple[int, dict[str, Any]]]:
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
        return [(n, to_values(row)) for n, row in enumerate(reader, start=2)]


def to_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """One arrangement row as registry field values (documented, no stage dates)."""
    stage_raw = str(row.get("stage") or "").strip().lower()
    provinces, third = _other_parties(row.get("other_parties"), row.get("province_codes"))
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


def _other_parties(other: Any, province_codes: Any) -> tuple[list[str], list[str]]:
    codes = [c.strip() for c in re.split(r"[;,]", str(province_codes or "")) if c.strip()]
    provinces, third = [], []
    for item in re.split(r";", str(other or "")):
        name = item.strip()
        if not name:
            continue
        if re.fullmatch(r"\d{2}", name):
            provinces.append(name)
        elif _PROVINCE.match(name) and len(set(codes)) == 1:
            provinces.append(codes[0])
        else:
            third.append(name)
    return provinces, third


def seed(reg: Any, path: str | Path | None = None, *, token: str | None = None) -> SeedReport:
    """Add the arrangements of ``path`` (default :data:`DEFAULT_CSV`) not yet in the registry.

    All-or-nothing like an import: a bad row is named with its row and field.
    """
    source = Path(path) if path is not None else DEFAULT_CSV
    rows = read_arrangements(source)
    ids = reg.add_many(
        [values for _, values in rows],
        token=token,
        source=str(source),
        row_numbers=[n for n, _ in rows],
        skip_seeded=True,
    )
    added = sum(1 for i in ids if i is not None)
    return SeedReport(source=source, rows=len(rows), added=added, skipped=len(rows) - added)
