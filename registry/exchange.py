"""Files in and out of the registry: import (CSV/XLSX), export (CSV, GeoJSON).

* :func:`read_rows` reads an import file into one mapping per data row, header = field names of
  :data:`registry.records.FIELDS` (unknown columns are refused, naming them). The rows are then
  checked and written all-or-nothing by :meth:`registry.store.Registry.add_many`.
* :func:`agreements_csv` writes one row per agreement; every text cell that a spreadsheet would
  run as a formula gets a leading ``'`` (:func:`common.spreadsheet.neutralise`).
* :func:`agreements_geojson` writes one Feature per agreement whose geometry joins its parties'
  areas: a kab/kota party its polygon, a province party the dissolve of the province's kab/kota,
  a third party none (it is listed in the ``parties`` property).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from common.errors import InputError
from common.spreadsheet import neutralise
from registry.queries import AgreementSummary
from registry.records import FIELDS, dotted

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000
#: Display simplification of exported polygons, degrees (about 110 m).
SIMPLIFY_DEG = 0.001

CSV_COLUMNS = (
    "id",
    "name",
    "sector",
    "form",
    "stage",
    "stage_on",
    "year",
    "start_on",
    "end_on",
    "members",
    "member_names",
    "provinces",
    "third_parties",
    "provider",
    "documented",
    "confidence",
    "version",
)


def read_rows(path: str | Path, *, sheet: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """``(row number, values)`` of each non-blank data row of a CSV (UTF-8, comma or semicolon
    separated) or XLSX file, keyed by the header; row numbers count the header as row 1.

    Raises
    ------
    InputError
        Missing/unreadable file, too large, empty, or with columns that are not fields.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("errors.registry.import_missing", file=path)
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise InputError(
            "errors.registry.import_too_large", file=path, limit=MAX_IMPORT_BYTES // 2**20
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, body = _csv_rows(path)
    elif suffix == ".xlsx":
        header, body = _xlsx_rows(path, sheet)
    else:
        raise InputError("errors.registry.import_type", file=path)
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    unknown = [h for h in names if h and h not in FIELDS]
    if unknown:
        raise InputError(
            "errors.registry.import_columns",
            file=path,
            columns=", ".join(unknown),
            allowed=", ".join(FIELDS),
        )
    dupes = sorted({h for h in names if h and names.count(h) > 1})
    if dupes:
        raise InputError("errors.registry.import_dupe_columns", file=path, columns=", ".join(dupes))
    rows = []
    for number, values in enumerate(body, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((number, {h: v for h, v in zip(names, values, strict=False) if h}))
    if len(rows) > MAX_IMPORT_ROWS:
        raise InputError("errors.registry.import_too_many", file=path, limit=MAX_IMPORT_ROWS)
    if not rows:
        raise InputError("errors.registry.import_empty", file=path)
    return rows


def _csv_rows(path: Path) -> tuple[list[str], list[list[Any]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("errors.registry.import_encoding", file=path) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise InputError("errors.registry.import_unreadable", file=path, reason=err) from None
    if not table:
        raise InputError("errors.registry.import_empty", file=path)
    return table[0], table[1:]


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[Any], list[list[Any]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise InputError("errors.registry.import_unreadable", file=path, reason=err) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(
                "errors.registry.import_sheet",
                file=path,
                sheet=sheet,
                sheets=", ".join(book.sheetnames),
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        table = []
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            if i > MAX_IMPORT_ROWS + 1:
                raise InputError(
                    "errors.registry.import_too_many", file=path, limit=MAX_IMPORT_ROWS
                )
            table.append(list(row))
    finally:
        book.close()
    if not table:
        raise InputError("errors.registry.import_empty", file=path)
    return table[0], table[1:]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value)


def agreements_csv(summaries: Sequence[AgreementSummary]) -> str:
    """CSV text (RFC 4180, UTF-8), header :data:`CSV_COLUMNS`, formulas neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in summaries:
        kab = [p for p in s.parties if p.kind == "kabkota"]
        provider = s.provider
        writer.writerow(
            [
                _cell(v)
                for v in (
                    s.id,
                    s.name,
                    s.sector,
                    s.form,
                    s.stage,
                    s.stage_on,
                    s.year,
                    s.start_on,
                    s.end_on,
                    ";".join(dotted(p.code) for p in kab),
                    ";".join(p.name for p in kab),
                    ";".join(p.code for p in s.parties if p.kind == "province"),
                    ";".join(p.name for p in s.parties if p.kind == "third"),
                    "" if provider is None else (dotted(provider.code) or provider.name),
                    s.documented,
                    s.confidence,
                    s.version,
                )
            ]
        )
    return out.getvalue()


def party_geometries(
    summaries: Sequence[AgreementSummary],
    regions: pd.DataFrame,
    *,
    tolerance: float = SIMPLIFY_DEG,
) -> list[Any]:
    """Per agreement, the union of its parties' areas (None when no party has one).

    ``regions``: kab/kota polygons (EPSG:4326) indexed by canonical code with a ``province``
    column. The kab/kota used are simplified together as one coverage (shared borders stay
    shared). A code missing from ``regions`` is refused with an error naming it.
    """
    needed: set[str] = set()
    for s in summaries:
        for p in s.parties:
            if p.kind == "kabkota":
                needed.add(p.code)
            elif p.kind == "province":
                members = regions.index[regions["province"] == p.code]
                if len(members) == 0:
                    raise InputError(
                        "errors.registry.export_no_region", code=p.code, id=s.id, name=s.name
                    )
                needed.update(members)
    missing = sorted(c for c in needed if c not in regions.index)
    if missing:
        bad = next(s for s in summaries if any(p.code in missing for p in s.parties))
        raise InputError(
            "errors.registry.export_no_region", code=dotted(missing[0]), id=bad.id, name=bad.name
        )
    used = sorted(needed)
    geoms = np.asarray(regions.geometry.reindex(used).to_numpy(), dtype=object)
    if len(geoms) and tolerance:
        geoms = shapely.make_valid(
            shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
        )
    lookup = dict(zip(used, geoms, strict=True))
    province_of = regions["province"].reindex(used)
    provinces: dict[str, Any] = {}
    out = []
    for s in summaries:
        parts = []
        for p in s.parties:
            if p.kind == "kabkota":
                parts.append(lookup[p.code])
            elif p.kind == "province":
                if p.code not in provinces:
                    codes = [c for c in used if province_of[c] == p.code]
                    provinces[p.code] = shapely.union_all(
                        [lookup[c] for c in codes], grid_size=1e-6
                    )
                parts.append(provinces[p.code])
        if not parts:
            out.append(None)
            continue
        union = shapely.union_all(parts, grid_size=1e-6)
        polys = [g for g in shapely.get_parts(union) if shapely.get_dimensions(g) == 2]
        geom = shapely.multipolygons(polys) if len(polys) > 1 else polys[0]
        out.append(shapely.orient_polygons(geom, exterior_cw=False))
    return out


def _geometry(geom: Any) -> dict | None:
    if geom is None:
        return None
    return json.loads(shapely.to_geojson(shapely.set_precision(geom, 1e-6)))


def agreements_geojson(
    summaries: Sequence[AgreementSummary],
    regions: pd.DataFrame,
    *,
    tolerance: float = SIMPLIFY_DEG,
) -> str:
    """RFC 7946 GeoJSON text: one Feature per agreement (see the module docstring)."""
    geoms = party_geometries(summaries, regions, tolerance=tolerance)
    features = []
    for s, geom in zip(summaries, geoms, strict=True):
        provider = s.provider
        props = {
            "id": s.id,
            "name": s.name,
            "sector": s.sector,
            "form": s.form,
            "stage": s.stage,
            "stage_on": s.stage_on.isoformat() if s.stage_on else None,
            "year": s.known_year,
            "start_on": s.start_on.isoformat() if s.start_on else None,
            "end_on": s.end_on.isoformat() if s.end_on else None,
            "members": [dotted(c) for c in s.members],
            "provinces": [p.code for p in s.parties if p.kind == "province"],
            "third_parties": [p.name for p in s.parties if p.kind == "third"],
            "provider": None if provider is None else (dotted(provider.code) or provider.name),
            "parties": [
                {
                    "kind": p.kind,
                    "code": dotted(p.code) if p.code else None,
                    "name": p.name,
                    "provider": p.is_provider,
                }
                for p in s.parties
            ],
            "documented": s.documented,
            "confidence": s.confidence,
        }
        features.append({"type": "Feature", "properties": props, "geometry": _geometry(geom)})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
