"""Which attribute of a boundary file holds the region code, the name, the type and the province.

Files name their fields in many ways (``code``, ``KDPKAB``, ``CC_2``, ``ADM2_PCODE``...; ``name``,
``WADMKK``, ``NAME_2``, ``NAMOBJ``...), and the field names mislead: in a BIG export dissolved to
kab/kota, ``NAMOBJ`` holds the name of one *village* of each region, ``KDEPUM`` a unique village
code. So fields are chosen by what they hold, checked against the current kab/kota list
(:mod:`geo.reference`):

* code: the share of values that normalise to a 4-digit kab/kota code with a known province
  prefix (village, kecamatan and province codes have other lengths), then the share whose code
  names the feature's region in the Kemendagri or the BPS numbering, then uniqueness;
* name: the share of values that are kab/kota names (village and province names are not);
* type: a field whose values are ``Kabupaten``/``Kota`` (or ``Regency``/``City``/``Waterbody``);
* province: a field of province codes or province names.

Field names only break ties. Every choice comes with its reason (:attr:`Fields.reasons`) so a
planner can check it; a field named by the user is always used as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from common.text import Msg
from geo.codes import normalize_codes
from geo.names import kind_of, name_key, province_key
from geo.reference import is_kabkota_code, lookup, names_by_code, province_codes, provinces

#: Region code fields by name, for ties (case-insensitive), best first.
ID_FIELDS = (
    "code",
    "code_dot",
    "kode",
    "kode_kab",
    "kode_kabkota",
    "kd_kab",
    "kdpkab",
    "kdbbps",
    "kdcpum",
    "cc_2",
    "kode_bps",
    "bps_code",
    "kemendagri_code",
    "adm2_pcode",
    "id_kab",
    "kab_code",
    "regency_code",
    "pcode",
    "id",
)
#: Region name fields by name, for ties (case-insensitive), best first.
NAME_FIELDS = (
    "name",
    "nama",
    "nama_kab",
    "nama_kabkota",
    "wadmkk",
    "name_2",
    "adm2_en",
    "adm2_id",
    "kab_name",
    "regency",
    "kabupaten",
    "nm_kab",
    "namobj",
)
#: Type fields by name, for ties.
TYPE_FIELDS = ("type", "tipe", "jenis", "type_2", "engtype_2", "kind")
#: Province fields by name (codes or names), best first.
PROVINCE_FIELDS = (
    "province_code",
    "prov_code",
    "kode_prov",
    "kd_prov",
    "kdppum",
    "kdpprov",
    "adm1_pcode",
    "prov_id",
    "province_name",
    "prov_name",
    "wadmpr",
    "name_1",
    "provinsi",
)
#: A field is a code field when at least this share of its values are kab/kota codes...
MIN_CODE_SHARE = 0.5
#: ... and a name field when at least this share of its values are kab/kota names.
MIN_NAME_SHARE = 0.5


@dataclass(frozen=True)
class Fields:
    """The fields chosen, with the reasons (deferred text) and the code numbering found."""

    code: str | None
    name: str | None
    kind: str | None
    province: str | None
    system: str | None = None
    reasons: tuple[Msg, ...] = field(default_factory=tuple)


def _rank(column: str, names: tuple[str, ...]) -> int:
    lowered = column.lower()
    return names.index(lowered) if lowered in names else len(names)


def _attributes(frame: pd.DataFrame) -> list[str]:
    geometry = getattr(frame, "_geometry_column_name", None)
    return [str(c) for c in frame.columns if c != geometry]


def _texts(series: pd.Series) -> pd.Series | None:
    """The column as text (None where missing); None for numeric or non-text columns."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    values = series.astype(object).where(series.notna(), None)
    if not values.map(lambda v: v is None or isinstance(v, str)).all():
        return None
    return values


def kinds_of(frame: pd.DataFrame, type_field: str | None) -> pd.Series:
    """The type field read as kinds (kabupaten/kota/water/province/None), indexed like ``frame``."""
    if type_field is None:
        return pd.Series(None, index=frame.index, dtype=object)
    return frame[type_field].map(kind_of).astype(object)


def _name_share(values: pd.Series, kinds: pd.Series) -> tuple[int, int]:
    """(number of distinct values that are kab/kota names, number of values).

    Distinct: a kecamatan file's ``kab_name`` field names ten regions over a hundred features,
    it is not the features' own name.
    """
    hits = set()
    for value, kind in zip(values, kinds, strict=True):
        if value is not None and lookup(value, kind if kind in ("kabupaten", "kota") else None):
            hits.add((value, kind))
    return len(hits), len(values)


def _agreement(codes: pd.Series, names: pd.Series | None, kinds: pd.Series) -> dict[str, int]:
    """How many (code, name) pairs agree with each numbering of the reference list."""
    out = {"kemendagri": 0, "bps": 0}
    if names is None:
        return out
    table = names_by_code()
    for code, name, kind in zip(codes, names, kinds, strict=True):
        if code is None or name is None:
            continue
        kind = kind if kind in ("kabupaten", "kota") else None
        for system in out:
            official = table[system].get(code)
            if official is not None and name_key(official)[1] == name_key(name, kind)[1]:
                out[system] += 1
    return out


def _detect_type(frame: pd.DataFrame, columns: list[str]) -> str | None:
    best: tuple[int, int] | None = None
    chosen = None
    for column in columns:
        values = _texts(frame[column])
        if values is None:
            continue
        present = values.dropna()
        if present.empty or present.map(len).max() > 30:
            continue
        kinds = present.map(kind_of)
        if kinds.isna().mean() > 0.1 or not kinds.isin(["kabupaten", "kota"]).any():
            continue
        rank = (-_rank(column, TYPE_FIELDS), -columns.index(column))
        if best is None or rank > best:
            best, chosen = rank, column
    return chosen


def _detect_name(
    frame: pd.DataFrame, columns: list[str], kinds: pd.Series, reasons: list[Msg]
) -> str | None:
    scored = []
    for column in columns:
        values = _texts(frame[column])
        if values is None or values.dropna().empty:
            continue
        hits, total = _name_share(values, kinds)
        unique = values.dropna().nunique() / max(1, values.notna().sum())
        scored.append((hits / max(total, 1), unique, -_rank(column, NAME_FIELDS), column, hits))
    scored.sort(reverse=True)
    good = [s for s in scored if s[0] >= MIN_NAME_SHARE]
    total = len(frame)
    if good:
        share, _, _, column, hits = good[0]
        reasons.append(Msg("fields.name_content", field=column, n=hits, total=total))
        for _, _, rank, other, other_hits in scored[1:]:
            if rank > -len(NAME_FIELDS):  # a field whose name says "name" but was passed over
                reasons.append(Msg("fields.name_passed", field=other, n=other_hits, total=total))
        return column
    for wanted in NAME_FIELDS:  # no field holds known names: fall back to the field names
        for column in columns:
            if column.lower() == wanted and _texts(frame[column]) is not None:
                reasons.append(Msg("fields.name_named", field=column))
                return column
    return None


def _code_profile(series: pd.Series) -> tuple[float, pd.Series]:
    codes = normalize_codes(series)
    return float(codes.map(is_kabkota_code).mean()) if len(codes) else 0.0, codes


def _detect_code(
    frame: pd.DataFrame,
    columns: list[str],
    names: pd.Series | None,
    kinds: pd.Series,
    reasons: list[Msg],
) -> tuple[str | None, str | None]:
    scored = []
    for column in columns:
        series = frame[column]
        if (
            pd.api.types.is_float_dtype(series)
            and not (series.dropna() == series.dropna().round()).all()
        ):
            continue  # measurements (area_km2), not codes
        share, codes = _code_profile(series)
        present = codes.dropna()
        if share < MIN_CODE_SHARE or present.nunique() < 0.8 * len(present):
            continue  # not kab/kota codes, or one code for many features (a kecamatan file)
        agree = _agreement(codes, names, kinds)
        system = max(agree, key=lambda s: agree[s])
        unique = codes.dropna().nunique() / max(1, codes.notna().sum())
        scored.append(
            (share, max(agree.values()), unique, -_rank(column, ID_FIELDS), column, system, agree)
        )
    if not scored:
        return None, None
    scored.sort(key=lambda s: s[:4], reverse=True)
    share, agreeing, _, _, column, system, _ = scored[0]
    total = len(frame)
    if names is not None and agreeing:
        reasons.append(
            Msg(
                "fields.code_content_system",
                field=column,
                n=int(round(share * total)),
                total=total,
                agree=agreeing,
                system=Msg(_SYSTEM_KEYS[system]),
            )
        )
    else:
        reasons.append(
            Msg("fields.code_content", field=column, n=int(round(share * total)), total=total)
        )
        system = None
    return column, system


#: Words for the two numberings, for messages.
_SYSTEM_KEYS = {"kemendagri": "fields.system_kemendagri", "bps": "fields.system_bps"}


def _detect_province(frame: pd.DataFrame, columns: list[str], skip: set[str]) -> str | None:
    known_codes = province_codes()
    known_names = provinces()
    best = None
    for column in columns:
        if column in skip:
            continue
        series = frame[column]
        codes = normalize_codes(series)
        code_share = codes.map(lambda c: c is not None and c in known_codes).mean()
        values = _texts(series)
        name_share = (
            values.map(lambda v: v is not None and province_key(v)[1] in known_names).mean()
            if values is not None
            else 0.0
        )
        share = max(code_share, name_share)
        if share < 0.9:
            continue
        rank = (code_share >= 0.9, -_rank(column, PROVINCE_FIELDS), share)
        if best is None or rank > best[0]:
            best = (rank, column)
    return best[1] if best else None


def detect_fields(
    frame: pd.DataFrame, *, id_field: str | None = None, name_field: str | None = None
) -> Fields:
    """Choose the code, name, type and province fields of a boundary attribute table.

    Parameters
    ----------
    frame
        The attributes (a GeoDataFrame's geometry column is ignored).
    id_field, name_field
        Fields named by the user (exact column names, already resolved): used as given.

    Returns
    -------
    Fields
        ``code`` is None when no field holds kab/kota codes (the caller may then assign codes
        from names); ``name`` is None when no field holds names.
    """
    columns = _attributes(frame)
    reasons: list[Msg] = []
    type_field = _detect_type(frame, [c for c in columns if c not in (id_field, name_field)])
    kinds = kinds_of(frame, type_field)
    if name_field is not None:
        reasons.append(Msg("fields.given", field=name_field))
        name = name_field
    else:
        name = _detect_name(frame, [c for c in columns if c != id_field], kinds, reasons)
    names = _texts(frame[name]) if name is not None else None
    system = None
    if id_field is not None:
        reasons.append(Msg("fields.given", field=id_field))
        code = id_field
        agree = _agreement(normalize_codes(frame[code]), names, kinds)
        system = max(agree, key=lambda s: agree[s]) if max(agree.values()) else None
    else:
        code, system = _detect_code(
            frame, [c for c in columns if c not in (name, type_field)], names, kinds, reasons
        )
    if type_field is not None:
        reasons.append(Msg("fields.type", field=type_field))
    province = _detect_province(frame, columns, {code, name, type_field})
    if province is not None:
        reasons.append(Msg("fields.province", field=province))
    return Fields(code, name, type_field, province, system, tuple(reasons))


def header_code_fields(frame: pd.DataFrame) -> list[str]:
    """Fields whose name says they hold region codes (:data:`ID_FIELDS` order)."""
    columns = _attributes(frame)
    lower = {c.lower(): c for c in columns}
    return [lower[w] for w in ID_FIELDS if w in lower]


def province_of(frame: pd.DataFrame, fields: Fields, codes: pd.Series) -> pd.Series:
    """Canonical province code of each feature: the province field, else the code's prefix."""
    fallback = codes.map(lambda c: c[:2] if isinstance(c, str) else None)
    if fields.province is None:
        return fallback
    series = frame[fields.province]
    by_code = normalize_codes(series).map(lambda c: c if c in province_codes() else None)
    values = _texts(series)
    if values is not None:
        known = provinces()
        by_name = values.map(lambda v: known.get(province_key(v)[1]) if v is not None else None)
        by_code = by_code.where(by_code.notna(), by_name)
    return by_code.where(by_code.notna(), fallback).astype(object)


__all__ = [
    "Fields",
    "ID_FIELDS",
    "NAME_FIELDS",
    "PROVINCE_FIELDS",
    "TYPE_FIELDS",
    "detect_fields",
    "header_code_fields",
    "kinds_of",
    "province_of",
]
