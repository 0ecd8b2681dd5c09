"""Joining an indicator table to boundaries, verified by names.

Codes are compared after :func:`geo.codes.normalize_code`. Because BPS and Kemendagri codes share
the 4-digit shape but name different regions for about a third of Indonesia, every join checks
itself: the region names on both sides of each matched pair are compared after
:func:`name_key` normalisation, and a join in which look-alike codes pair different regions is
refused with examples and the key pair that does match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.config import Config, indicator_meta, load_config
from analysis.indicators import Problem, is_code_column
from common.errors import InputError
from common.text import Listing, Msg
from geo.codes import normalize_codes

#: a join is refused when more than MISMATCH_COUNT matched pairs, or more than MISMATCH_SHARE of
#: them, name different regions
MISMATCH_SHARE = 0.02
MISMATCH_COUNT = 3
MAX_EXAMPLES = 5

_TYPE_PREFIXES = (
    (("kabupaten", "administrasi"), "kabupaten"),
    (("kab", "administrasi"), "kabupaten"),
    (("kab", "adm"), "kabupaten"),
    (("kota", "administrasi"), "kota"),
    (("kota", "adm"), "kota"),
    (("kabupaten",), "kabupaten"),
    (("kab",), "kabupaten"),
    (("kotamadya",), "kota"),
    (("kodya",), "kota"),
    (("kota",), "kota"),
    (("regency",), "kabupaten"),
    (("city",), "kota"),
)
_TOKEN_VARIANTS = {"kep": "kepulauan", "kepl": "kepulauan", "utr": "utara", "sel": "selatan"}
#: former or variant names of the same region (core keys: lower case, no spaces)
_ALIASES = {
    "mahakamhulu": "mahakamulu",
    "tobasamosir": "toba",
    "mamujuutara": "pasangkayu",
    "malukutenggarabarat": "kepulauantanimbar",
    "tanimbar": "kepulauantanimbar",
    "pangkajenedankepulauan": "pangkajenekepulauan",
    "pangkep": "pangkajenekepulauan",
    "siautagulandangbiaro": "kepulauansiautagulandangbiaro",
    "batubara": "batubara",
    "labuhanbatu": "labuhanbatu",
    "tanjungjabungbarat": "tanjungjabungbarat",
    "fakfak": "fakfak",
    "pahuwato": "pohuwato",
    "tojounauna": "tojounauna",
}
_TYPED_ALIASES = {("kabupaten", "pontianak"): "mempawah"}
_NAME_COLUMNS = re.compile(
    r"^(name|nama|nama_?kab(_?kota)?|kab(upaten)?_?kota|wilayah|region)", re.IGNORECASE
)


def name_key(name: object) -> tuple[str | None, str]:
    """Normalised (type, core) of a region name.

    ``type`` is ``"kabupaten"``, ``"kota"`` or None (no type word); ``core`` is the name in lower
    case without accents, punctuation, spaces and type words, with known variants mapped.

    >>> name_key("KAB. Gunung Kidul")
    ('kabupaten', 'gunungkidul')
    >>> name_key("Kota Adm. Jakarta Selatan")
    ('kota', 'jakartaselatan')
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return None, ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    tokens = re.sub(r"[^a-z0-9]+", " ", text).split()
    kind = None
    for prefix, value in _TYPE_PREFIXES:
        if tuple(tokens[: len(prefix)]) == prefix and len(tokens) > len(prefix):
            kind, tokens = value, tokens[len(prefix) :]
            break
        if tuple(tokens[-len(prefix) :]) == prefix and len(tokens) > len(prefix):
            kind, tokens = value, tokens[: -len(prefix)]
            break
    core = "".join(_TOKEN_VARIANTS.get(t, t) for t in tokens)
    core = _TYPED_ALIASES.get((kind, core), core)
    return kind, _ALIASES.get(core, core)


def names_match(a: object, b: object) -> bool:
    """True when two region names denote the same region (see :func:`name_key`).

    A kabupaten and a kota of the same name (Kabupaten Bogor, Kota Bogor) differ; a name
    without a type word matches either.
    """
    kind_a, core_a = name_key(a)
    kind_b, core_b = name_key(b)
    if not core_a or not core_b:
        return True  # nothing to compare: not evidence of a mismatch
    if kind_a and kind_b and kind_a != kind_b:
        return False
    if core_a == core_b:
        return True
    # "Kepulauan Sangihe" = "Sangihe"; a trailing "Kepulauan" is part of the name
    # ("Banggai Kepulauan" is not "Banggai")
    return core_a.removeprefix("kepulauan") == core_b.removeprefix("kepulauan")


@dataclass
class JoinReport:
    """What a join found. ``exit_code``: 0 clean, 1 problems that still allow work."""

    boundary_key: str
    indicator_key: str
    proposed: bool
    n_regions: int
    n_rows: int
    matched: int
    unmatched_regions: pd.DataFrame
    unmatched_rows: pd.DataFrame
    duplicates: pd.DataFrame
    name_differences: pd.DataFrame
    out_of_range: pd.DataFrame
    coverage: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        issues = (
            len(self.unmatched_regions)
            + len(self.unmatched_rows)
            + len(self.duplicates)
            + len(self.name_differences)
            + len(self.out_of_range)
            + sum(p.severity == "warning" for p in self.problems)
        )
        return 1 if issues else 0


def _codes(series: pd.Series) -> pd.Series:
    """Normalised codes; the raw text is kept in ``attrs["raw"]`` (spelling tie-break)."""
    codes = normalize_codes(series)
    codes.attrs["raw"] = series.astype(str).to_numpy()
    return codes


def _candidates(frame: pd.DataFrame, *, boundary: bool) -> dict[str, pd.Series]:
    """Columns that look like unique region codes, normalised (index kept)."""
    out: dict[str, pd.Series] = {}
    for column in frame.columns:
        if column == "geometry":
            continue
        series = frame[column]
        numeric = pd.api.types.is_numeric_dtype(series)
        if numeric and not is_code_column(str(column)):
            continue
        codes = _codes(series)
        valid = codes.dropna()
        if len(valid) < max(1, 0.8 * len(series)) or valid.nunique() < 0.8 * len(valid):
            continue
        if not valid.str.len().between(2, 10).all():
            continue
        out[str(column)] = codes
    if boundary and frame.index.name and frame.index.name not in out:
        out[str(frame.index.name)] = _codes(pd.Series(frame.index.astype(str), index=frame.index))
    return out


def _name_column(table: pd.DataFrame, preferred: str | None) -> str | None:
    if preferred and preferred in table.columns:
        return preferred
    for column in table.columns:
        if _NAME_COLUMNS.match(str(column)) and not pd.api.types.is_numeric_dtype(table[column]):
            return str(column)
    return None


@dataclass(frozen=True)
class _Pairing:
    boundary_key: str
    indicator_key: str
    matched: int
    mismatched: int
    examples: tuple[tuple[str, str, str], ...]
    same_spelling: int = 0

    @property
    def consistent(self) -> int:
        return self.matched - self.mismatched

    def refused(self) -> bool:
        return self.mismatched > MISMATCH_COUNT or self.mismatched > MISMATCH_SHARE * self.matched


def _pair(
    bkey: str,
    bcodes: pd.Series,
    bnames: pd.Series | None,
    ikey: str,
    icodes: pd.Series,
    inames: pd.Series | None,
) -> _Pairing:
    left = pd.DataFrame({"code": bcodes.to_numpy(), "braw": bcodes.attrs.get("raw")})
    left["bname"] = bnames.to_numpy() if bnames is not None else None
    right = pd.DataFrame({"code": icodes.to_numpy(), "iraw": icodes.attrs.get("raw")})
    right["iname"] = inames.to_numpy() if inames is not None else None
    left = left.dropna(subset=["code"]).drop_duplicates("code")
    right = right.dropna(subset=["code"]).drop_duplicates("code")
    merged = left.merge(right, on="code", how="inner").sort_values("code")
    same = int((merged["braw"].astype(str) == merged["iraw"].astype(str)).sum())
    if bnames is None or inames is None or merged.empty:
        return _Pairing(bkey, ikey, len(merged), 0, (), same)
    ok = np.array([names_match(a, b) for a, b in zip(merged.bname, merged.iname, strict=True)])
    bad = merged[~ok]
    examples = tuple(
        (str(c), str(a), str(b))
        for c, a, b in bad[["code", "bname", "iname"]].itertuples(index=False)
    )
    return _Pairing(bkey, ikey, len(merged), int((~ok).sum()), examples, same)


def _all_pairings(
    bcands: dict[str, pd.Series],
    bnames: pd.Series | None,
    icands: dict[str, pd.Series],
    inames: pd.Series | None,
) -> list[_Pairing]:
    pairings = []
    for bkey, bcodes in bcands.items():
        bset = set(bcodes.dropna())
        for ikey, icodes in icands.items():
            if not bset.intersection(icodes.dropna()):
                continue
            pairings.append(_pair(bkey, bcodes, bnames, ikey, icodes, inames))
    return pairings


def _best(pairings: list[_Pairing]) -> _Pairing | None:
    good = [p for p in pairings if not p.refused()]
    if not good:
        return None
    # most consistent matches; then codes spelled alike on both sides (64.01 / 64.01)
    return max(good, key=lambda p: (p.consistent, p.matched, p.same_spelling))


def _examples(pairing: _Pairing, province: str | None) -> list[tuple[str, str, str]]:
    """Up to MAX_EXAMPLES mismatches: the default province first, then one per province."""
    ordered = sorted(pairing.examples, key=lambda e: (e[0][:2] != (province or ""), e[0]))
    picked: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for example in ordered:
        prov = example[0][:2]
        if prov in seen and not (prov == province and len(picked) < 2):
            continue
        seen.add(prov)
        picked.append(example)
        if len(picked) == MAX_EXAMPLES:
            break
    return picked


def _refusal(
    chosen: _Pairing, suggestion: _Pairing | None, n_regions: int, province: str | None = None
) -> InputError:
    found = [
        Msg("errors.join.refused_example", code=code, bname=repr(bname), iname=repr(iname))
        for code, bname, iname in _examples(chosen, province)
    ]
    fix = (
        Msg(
            "errors.join.refused_fix",
            bkey=suggestion.boundary_key,
            ikey=suggestion.indicator_key,
            matched=suggestion.matched,
            n=n_regions,
        )
        if suggestion is not None
        else Msg("errors.join.refused_no_fix")
    )
    return InputError(
        "errors.join.refused",
        bkey=chosen.boundary_key,
        ikey=chosen.indicator_key,
        mismatched=chosen.mismatched,
        matched=chosen.matched,
        examples=Listing(found, sep="\n  "),
        fix=fix,
    )


def _column_for(frame: pd.DataFrame, key: str, *, boundary: bool) -> pd.Series:
    if key in frame.columns:
        return frame[key]
    if key == frame.index.name:
        return pd.Series(frame.index.astype(str), index=frame.index)
    columns = ", ".join(str(c) for c in frame.columns if c != "geometry")
    if boundary:
        raise InputError("errors.join.no_boundary_column", key=repr(key), columns=columns)
    raise InputError("errors.join.no_indicator_column", key=repr(key), columns=columns)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def join_indicators(
    regions: pd.DataFrame,
    table: pd.DataFrame,
    *,
    boundary_key: str | None = None,
    indicator_key: str | None = None,
    names: bool = True,
    config: Config | None = None,
) -> tuple[pd.DataFrame, JoinReport]:
    """Attach indicator rows to regions by code, checking names.

    Parameters
    ----------
    regions
        From :func:`geo.boundaries.read_boundaries`: index ``code``, columns ``name``,
        ``province`` and the original attributes (e.g. ``code_dot``).
    table
        From :func:`analysis.indicators.read_indicators` (index = file row number).
    boundary_key, indicator_key
        Code columns to join on; proposed when not given (the pair with the most matches
        whose names agree).
    names
        Verify names on matched pairs (default). ``False`` skips the check.
    config
        For valid ranges, units and years (default: the packaged config).

    Returns
    -------
    joined
        Indexed like ``regions`` (same order, index ``code``): ``name`` and ``province`` of the
        region, then the indicator columns (a clashing indicator column gets the suffix
        ``_indicator``). Regions without an indicator row are kept with NaN. Values outside
        the config's valid range are set to NaN (and reported).
    report
        :class:`JoinReport`.

    Raises
    ------
    InputError
        When look-alike codes pair different names (exit 2) with examples and the key pair that
        matches, when a key column does not exist, or when duplicate codes carry different
        values.
    """
    config = config or load_config()
    bname_col = config.data.boundary_name if config.data.boundary_name in regions.columns else None
    if bname_col is None and "name" in regions.columns:
        bname_col = "name"
    bnames = regions[bname_col] if (names and bname_col) else None
    iname_col = _name_column(table, config.data.indicator_name)
    inames = table[iname_col] if (names and iname_col) else None

    bcands = _candidates(regions, boundary=True)
    icands = _candidates(table, boundary=False)
    if boundary_key is not None:
        bcands[boundary_key] = _codes(_column_for(regions, boundary_key, boundary=True))
    if indicator_key is not None:
        icands[indicator_key] = _codes(_column_for(table, indicator_key, boundary=False))
    proposed = boundary_key is None or indicator_key is None
    bchoices = [boundary_key] if boundary_key is not None else list(bcands)
    ichoices = [indicator_key] if indicator_key is not None else list(icands)
    pairings = _all_pairings(
        {k: bcands[k] for k in bchoices}, bnames, {k: icands[k] for k in ichoices}, inames
    )
    if boundary_key is not None and indicator_key is not None:
        chosen = pairings[0] if pairings else _Pairing(boundary_key, indicator_key, 0, 0, ())
    else:
        chosen = _best(pairings)
        if chosen is None:
            if not pairings:
                raise InputError(
                    "errors.join.no_key_pair",
                    bkeys=", ".join(bchoices),
                    ikeys=", ".join(ichoices) if ichoices else Msg("common.none"),
                )
            chosen = max(pairings, key=lambda p: p.matched)
    if chosen.matched == 0:
        raise InputError(
            "errors.join.no_match",
            ikey=repr(chosen.indicator_key),
            bkey=repr(chosen.boundary_key),
        )
    if names and chosen.refused():
        everything = _all_pairings(bcands, bnames, icands, inames)
        raise _refusal(chosen, _best(everything), len(regions), config.data.province)

    bcodes = bcands[chosen.boundary_key]
    icodes = icands[chosen.indicator_key]
    problems: list[Problem] = []

    # indicator side: rows without a usable code, duplicates
    rows = table.index
    no_code = icodes.isna()
    dup_mask = icodes.duplicated(keep=False) & ~no_code
    duplicates = _empty(["code", "row", "identical"])
    if dup_mask.any():
        recs = []
        conflicting = []
        for code, group in table[dup_mask].groupby(icodes[dup_mask], sort=True):
            body = group.drop(columns=[chosen.indicator_key], errors="ignore").astype(str)
            identical = bool((body.nunique(dropna=False) <= 1).all())
            for row in group.index:
                recs.append((code, row, identical))
            if not identical:
                conflicting.append((code, list(group.index)))
        duplicates = pd.DataFrame(recs, columns=["code", "row", "identical"])
        if conflicting:
            shown = [
                Msg("errors.join.conflict_item", code=c, rows=", ".join(map(str, r)))
                for c, r in conflicting
            ]
            raise InputError(
                "errors.join.conflicting_duplicates",
                n=len(conflicting),
                ikey=repr(chosen.indicator_key),
                conflicts=Listing(shown, limit=10, sep="; "),
            )
    first = ~icodes.duplicated(keep="first") & ~no_code

    # map regions -> indicator row (by position: the table's index need not be unique)
    positions = np.flatnonzero(first.to_numpy())
    lookup = pd.Series(positions, index=icodes[first].to_numpy())
    region_codes = bcodes.reindex(regions.index)
    pos_of = region_codes.map(lookup)
    matched_mask = pos_of.notna()
    row_of = pd.Series(
        [rows[int(p)] if pd.notna(p) else None for p in pos_of], index=regions.index, dtype=object
    )

    # result table
    values = table.iloc[pos_of[matched_mask].astype(int).to_numpy()].copy()
    values.index = regions.index[matched_mask.to_numpy()]
    values = values.reindex(regions.index)
    values = values.rename(
        columns={c: f"{c}_indicator" for c in values.columns if c in ("code", "name", "province")}
    )
    head = pd.DataFrame(index=regions.index)
    head["name"] = regions[bname_col] if bname_col else None
    head["province"] = regions["province"] if "province" in regions.columns else None
    joined = pd.concat([head, values], axis=1)
    joined.index.name = "code"

    # out-of-range values -> NaN
    oor = []
    for column in joined.columns:
        meta = config.indicators.get(str(column))
        if meta is None or (meta.min is None and meta.max is None):
            continue
        if not pd.api.types.is_numeric_dtype(joined[column]):
            continue
        x = joined[column]
        bad = (x < meta.min if meta.min is not None else False) | (
            x > meta.max if meta.max is not None else False
        )
        bad = bad & x.notna()
        for code in joined.index[bad.to_numpy()]:
            oor.append((code, row_of[code], str(column), float(x[code]), meta.min, meta.max))
        joined.loc[bad, column] = np.nan
    out_of_range = pd.DataFrame(oor, columns=["code", "row", "column", "value", "min", "max"])

    # unmatched
    unmatched_regions = pd.DataFrame(
        {
            "code": regions.index[~matched_mask.to_numpy()].astype(str),
            "key": region_codes[~matched_mask].to_numpy(),
            "name": (regions[bname_col][~matched_mask] if bname_col else pd.Series(dtype=object))
            .reindex(regions.index[~matched_mask.to_numpy()])
            .to_numpy(),
        }
    )
    ikey_values = _column_for(table, chosen.indicator_key, boundary=False)
    used = set(region_codes.dropna())
    unused = first & ~icodes.isin(used)
    unmatched_rows = pd.DataFrame(
        {
            "row": list(rows[(unused | no_code).to_numpy()]),
            "key": ikey_values[unused | no_code].astype(str).to_numpy(),
            "name": (
                table.loc[unused | no_code, iname_col].to_numpy()
                if iname_col
                else [None] * int((unused | no_code).sum())
            ),
        }
    )

    # small name differences (below the refusal threshold)
    name_differences = pd.DataFrame(
        list(chosen.examples), columns=["code", "boundary_name", "indicator_name"]
    )

    # coverage
    matched = int(matched_mask.sum())
    cov = []
    for column in values.columns:
        if not pd.api.types.is_numeric_dtype(joined[column]):
            continue
        meta = indicator_meta(config, str(column))
        n = int(joined.loc[matched_mask.to_numpy(), column].notna().sum())
        cov.append((str(column), meta.label_id, meta.label_en, meta.unit, meta.year, n, matched))
    coverage = pd.DataFrame(
        cov, columns=["column", "label_id", "label_en", "unit", "year", "non_missing", "matched"]
    ).set_index("column")
    coverage["share"] = coverage["non_missing"] / max(matched, 1)

    report = JoinReport(
        boundary_key=chosen.boundary_key,
        indicator_key=chosen.indicator_key,
        proposed=proposed,
        n_regions=len(regions),
        n_rows=len(table),
        matched=matched,
        unmatched_regions=unmatched_regions,
        unmatched_rows=unmatched_rows,
        duplicates=duplicates,
        name_differences=name_differences,
        out_of_range=out_of_range,
        coverage=coverage,
        problems=problems,
    )
    return joined, report


def default_keys(
    regions: pd.DataFrame,
    table: pd.DataFrame,
    config: Config,
    boundary_key: str | None = None,
    indicator_key: str | None = None,
) -> tuple[str | None, str | None]:
    """Keys to join on: the given ones, else the config's ``[data]`` keys when both files have
    them, else None (let :func:`join_indicators` propose)."""
    if boundary_key is None and indicator_key is None:
        b, i = config.data.boundary_key, config.data.indicator_key
        if b and i and b in regions.columns and i in table.columns:
            return b, i
    return boundary_key, indicator_key
