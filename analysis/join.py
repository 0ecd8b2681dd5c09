"""Joining an indicator table to boundaries, verified by names and by the kab/kota code list.

Codes are compared after :func:`geo.codes.normalize_code`. BPS and Kemendagri codes share the
4-digit shape but name different regions for about a third of Indonesia, so every join checks
itself:

* **Names on both sides**: each matched pair's names are compared after
  :func:`geo.names.name_key` normalisation (type word or type field, abbreviations, spelling
  variants, documented renames). A join whose mismatches are explained by the two numberings
  (boundary name = Kemendagri name of the code, indicator name = BPS name, or the reverse), or
  in which more than :data:`REFUSE_SHARE` of the pairs differ, is refused with examples, the
  likely cause and the key pair that matches. A handful of differences is joined and every
  pair is listed (exit 1 for ``validate``). ``names=False`` (``--no-name-check``) never refuses
  but still lists and counts every mismatched pair.
* **No names to compare**: the join is refused when, for any matched code, the Kemendagri and
  the BPS numbering name different regions (the codes could be either), unless ``names=False``.
* **No codes** (a boundary file identified by names, or a table without a code column), or no
  code pair that passes: the join is made on normalised names, with the same safeguards (a
  name that fits several regions is refused), and the report says so.
* **Older editions**: a pair in which one region split off from the other (Mahakam Ulu from
  Kutai Barat, UU 2/2013) is never joined, whatever the options; regions of the boundary file
  that belong to an older edition, and a table that lacks a region split off after it was made,
  are reported (:mod:`geo.vintages`).

The join returns facts (:class:`JoinReport`); ``kerjasama.present.words`` writes the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import Config, indicator_meta, load_config
from analysis.indicators import Problem, is_code_column
from common.errors import InputError
from common.shared import SharedInfo
from common.text import Listing, Msg, Option
from geo.codes import normalize_codes
from geo.names import name_key, names_match, strip_islands
from geo.reference import by_code, lookup, names_by_code
from geo.vintages import Finding, split_pair, splits

#: A join (with names on both sides) is refused when more than this share of the matched pairs
#: name different regions: beyond spelling, the two files describe different regions.
REFUSE_SHARE = 0.2
MAX_EXAMPLES = 5
#: Headers of region-name columns as Indonesian offices write them (when the values alone do not
#: tell): Nama, Kabupaten/Kota, Nama Kabupaten/Kota, Kab/Kota, Wilayah, Daerah...
_NAME_HEADERS = re.compile(
    r"^\s*(nama\b|name\b|kab(upaten)?\s*[/_.-]?\s*kota|kab\b|wilayah|daerah|region|regency)",
    re.IGNORECASE,
)
#: A column is the name column when at least this share of its values are kab/kota names.
MIN_NAME_SHARE = 0.5


@dataclass
class JoinReport:
    """What a join found (facts). ``exit_code``: 0 clean, 1 problems that still allow work.

    ``method`` is ``"codes"`` or ``"names"`` (``names_reason`` says why names were used:
    ``"boundary_names_only"``, ``"table_without_codes"`` or ``"codes_disagree"``).
    ``names_checked`` is False under ``--no-name-check``; ``name_differences`` then still lists
    every matched pair whose names differ. ``unverified`` is True when no names could be
    compared. ``split_pairs`` lists pairs never joined because one region split off from the
    other; ``vintage`` holds the :class:`geo.vintages.Finding` of both files.
    """

    boundary_key: str | None
    indicator_key: str | None
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
    method: str = "codes"
    names_reason: str | None = None
    names_checked: bool = True
    indicator_name: str | None = None
    unverified: bool = False
    split_pairs: pd.DataFrame = field(
        default_factory=lambda: _empty(["code", "name", "row", "indicator_name", "law"])
    )
    vintage: list[Finding] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        issues = (
            len(self.unmatched_regions)
            + len(self.unmatched_rows)
            + len(self.duplicates)
            + len(self.name_differences)
            + len(self.out_of_range)
            + len(self.split_pairs)
            + len(self.vintage)
            + int(self.unverified)
            + sum(p.severity == "warning" for p in self.problems)
        )
        return 1 if issues else 0


def _codes(series: pd.Series) -> pd.Series:
    """Normalised codes; the raw text is kept in ``attrs["raw"]`` (spelling tie-break)."""
    codes = normalize_codes(series)
    codes.attrs["raw"] = SharedInfo(text=series.astype(str).to_numpy())  # read only: shared
    return codes


def _raw(codes: pd.Series) -> np.ndarray | None:
    """The raw text kept with normalised codes or matched names (None when not kept)."""
    kept = codes.attrs.get("raw")
    return None if kept is None else kept["text"]


_DERIVED = ("code_raw", "name", "province", "name_original", "province_original", "geometry")


def _candidates(frame: pd.DataFrame, *, boundary: bool) -> dict[str, pd.Series]:
    """Columns that look like unique region codes, normalised (index kept).

    For boundaries, the columns ``read_boundaries`` derives are left out (the user's own code
    field is kept as it is and named in messages); the index is a candidate only when no
    original code field exists (frames built by hand).
    """
    out: dict[str, pd.Series] = {}
    meta = frame.attrs.get("kerjasama", {}) if boundary else {}
    for column in frame.columns:
        if boundary and column in _DERIVED:
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
    from_names = meta.get("codes_from_names", False)
    own = meta.get("id_field")
    if boundary and not from_names and own not in out and frame.index.name:
        out[str(frame.index.name)] = _codes(pd.Series(frame.index.astype(str), index=frame.index))
    return out


def _name_share(values: pd.Series) -> float:
    present = [v for v in values if isinstance(v, str) and v.strip()]
    if not present:
        return 0.0
    return sum(bool(lookup(v)) for v in present) / len(values)


def _name_column(table: pd.DataFrame, given: str | None, preferred: str | None) -> str | None:
    """The indicator table's region-name column: as given, else by content, else by header."""
    if given is not None:
        if given not in table.columns:
            raise InputError(
                "errors.join.no_name_column",
                column=repr(given),
                columns=", ".join(map(str, table.columns)),
                option=Option("indicator_name"),
            )
        return given
    texts = [
        str(c)
        for c in table.columns
        if not pd.api.types.is_numeric_dtype(table[c]) and not is_code_column(str(c))
    ]
    scored = []
    for column in texts:
        share = _name_share(table[column])
        header = bool(_NAME_HEADERS.match(column)) or column == preferred
        scored.append((share, header, -texts.index(column), column))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= MIN_NAME_SHARE:
        return scored[0][3]
    if preferred in texts:
        return preferred
    for column in texts:
        if _NAME_HEADERS.match(column):
            return column
    return None


@dataclass(frozen=True)
class _Pairing:
    boundary_key: str
    indicator_key: str
    matched: int
    mismatched: int
    examples: tuple[tuple[str, str, str], ...]
    same_spelling: int = 0
    swaps: int = 0
    comparable: bool = True
    risky: tuple[str, ...] = ()

    @property
    def consistent(self) -> int:
        return self.matched - self.mismatched

    @property
    def systems_mixed(self) -> bool:
        """The mismatches are (mostly) the BPS and Kemendagri numberings of the same code."""
        return self.swaps >= 1 and 2 * self.swaps >= self.mismatched

    def refused(self) -> bool:
        if not self.comparable:
            return bool(self.risky)
        return self.systems_mixed or self.mismatched > REFUSE_SHARE * self.matched


def _differ_by_system(code: str) -> tuple[str, str] | None:
    """(Kemendagri name, BPS name) of a code when the two numberings name different regions."""
    table = names_by_code()
    k, b = table["kemendagri"].get(code), table["bps"].get(code)
    if k is None or b is None or names_match(k, b):
        return None
    return k, b


def _pair(
    bkey: str,
    bcodes: pd.Series,
    bnames: pd.Series | None,
    ikey: str,
    icodes: pd.Series,
    inames: pd.Series | None,
) -> _Pairing:
    left = pd.DataFrame({"code": bcodes.to_numpy(), "braw": _raw(bcodes)})
    left["bname"] = bnames.to_numpy() if bnames is not None else None
    right = pd.DataFrame({"code": icodes.to_numpy(), "iraw": _raw(icodes)})
    right["iname"] = inames.to_numpy() if inames is not None else None
    left = left.dropna(subset=["code"]).drop_duplicates("code")
    right = right.dropna(subset=["code"]).drop_duplicates("code")
    merged = left.merge(right, on="code", how="inner").sort_values("code")
    same = int((merged["braw"].astype(str) == merged["iraw"].astype(str)).sum())
    if bnames is None or inames is None:
        risky = tuple(c for c in merged["code"] if _differ_by_system(c))
        return _Pairing(bkey, ikey, len(merged), 0, (), same, comparable=False, risky=risky)
    if merged.empty:
        return _Pairing(bkey, ikey, 0, 0, (), same)
    ok = np.array([names_match(a, b) for a, b in zip(merged.bname, merged.iname, strict=True)])
    bad = merged[~ok]
    examples = tuple(
        (str(c), str(a), str(b))
        for c, a, b in bad[["code", "bname", "iname"]].itertuples(index=False)
    )
    swaps = 0
    for code, bname, iname in examples:
        names = _differ_by_system(code)
        if names is None:
            continue
        k, b = names
        if (names_match(bname, k) and names_match(iname, b)) or (
            names_match(bname, b) and names_match(iname, k)
        ):
            swaps += 1
    return _Pairing(bkey, ikey, len(merged), int((~ok).sum()), examples, same, swaps)


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


def _fix(suggestion: _Pairing | None, n_regions: int, by_names: int | None) -> Msg:
    if suggestion is not None:
        return Msg(
            "errors.join.refused_fix",
            option=Option("key_pair", bkey=suggestion.boundary_key, ikey=suggestion.indicator_key),
            matched=suggestion.matched,
            n=n_regions,
        )
    if by_names:
        return Msg("errors.join.refused_fix_names", option=Option("keys"), matched=by_names)
    return Msg("errors.join.refused_no_fix", option=Option("no_name_check"))


def _refusal(
    chosen: _Pairing,
    suggestion: _Pairing | None,
    n_regions: int,
    province: str | None,
    by_names: int | None,
) -> InputError:
    fix = _fix(suggestion, n_regions, by_names)
    if not chosen.comparable:
        code = chosen.risky[0]
        k, b = _differ_by_system(code) or ("", "")
        return InputError(
            "errors.join.unverifiable",
            bkey=chosen.boundary_key,
            ikey=chosen.indicator_key,
            n=len(chosen.risky),
            matched=chosen.matched,
            code=code,
            kname=k,
            bname=b,
            name_option=Option("indicator_name"),
            option=Option("no_name_check"),
            fix=fix,
        )
    found = [
        Msg("errors.join.refused_example", code=code, bname=repr(bname), iname=repr(iname))
        for code, bname, iname in _examples(chosen, province)
    ]
    return InputError(
        "errors.join.refused" if chosen.systems_mixed else "errors.join.refused_names",
        bkey=chosen.boundary_key,
        ikey=chosen.indicator_key,
        mismatched=chosen.mismatched,
        matched=chosen.matched,
        examples=Listing(found, sep="\n  "),
        fix=fix,
        option=Option("no_name_check"),
    )


def _column_for(frame: pd.DataFrame, key: str, *, boundary: bool) -> pd.Series:
    if key in frame.columns:
        return frame[key]
    if key == frame.index.name:
        return pd.Series(frame.index.astype(str), index=frame.index)
    columns = ", ".join(str(c) for c in frame.columns if c != "geometry")
    if boundary:
        raise InputError(
            "errors.join.no_boundary_column", key=repr(key), columns=columns, option=Option("keys")
        )
    raise InputError(
        "errors.join.no_indicator_column", key=repr(key), columns=columns, option=Option("keys")
    )


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _region_keys(bnames: pd.Series) -> dict[str, list[tuple[str | None, str]]]:
    """Region codes by name core (and core without a leading "kepulauan")."""
    out: dict[str, list[tuple[str | None, str]]] = {}
    for code, name in bnames.items():
        kind, core = name_key(name)
        if not core:
            continue
        for key in {core, strip_islands(core)}:
            out.setdefault(key, []).append((kind, str(code)))
    return out


def _codes_by_names(
    bnames: pd.Series, inames: pd.Series
) -> tuple[pd.Series, list[tuple[object, str, list[str]]]]:
    """Region code of each indicator row by name (None when no region has that name), and the
    rows whose name fits several regions (row, name, codes)."""
    keys = _region_keys(bnames)
    out = pd.Series(None, index=inames.index, dtype=object)
    ambiguous = []
    for row, name in inames.items():
        kind, core = name_key(name)
        if not core:
            continue
        found = keys.get(core) or keys.get(strip_islands(core)) or []
        codes = sorted({c for k, c in found if kind is None or k is None or k == kind})
        if len(codes) == 1:
            out[row] = codes[0]
        elif codes:
            ambiguous.append((row, str(name), codes))
    out.attrs["raw"] = SharedInfo(text=inames.astype(str).to_numpy())
    return out, ambiguous


def _current(name: object) -> str | None:
    found = lookup(name)
    return found[0] if len(found) == 1 else None


def _split_pairs(
    regions_names: pd.Series, row_names: pd.Series, pairs: pd.Series
) -> list[tuple[str, str, object, str, str]]:
    """Matched pairs (region code -> row) in which one region split off from the other."""
    out = []
    for code, row in pairs.items():
        if row is None:
            continue
        bname, iname = regions_names.get(code), row_names.get(row)
        split = split_pair(_current(bname), _current(iname))
        if split is not None:
            out.append((str(code), str(bname), row, str(iname), split.law))
    return out


def _table_vintage(regions_names: pd.Series, row_names: pd.Series) -> list[Finding]:
    """The table lacks a region that split off from one it has, which the boundaries have."""
    in_regions = {_current(n) for n in regions_names}
    in_table = {_current(n) for n in row_names}
    ref = by_code()
    out = []
    for split in splits():
        if split.new in in_regions and split.former in in_table and split.new not in in_table:
            former = ref[split.former]
            out.append(
                Finding(
                    "table_includes",
                    None,
                    former.name,
                    split.former,
                    former.name,
                    split.law,
                    split.year,
                    ref[split.new].name,
                )  # fmt: skip
            )
    return out


def _thousands_dots(
    table: pd.DataFrame, column: str, bad: pd.Series, row_of: pd.Series, meta
) -> list[Problem]:
    """A warning when values below the valid minimum were read from cells like ``286.991``:
    thousands written with a dot (or a comma), read as a decimal."""
    info = table.attrs.get("kerjasama", {})
    cells = info.get("grouped_decimals", {}).get(column, {})
    if meta.min is None or not cells:
        return []
    low = [(row_of[code], value) for code, value in bad.items() if value < meta.min]
    hits = [(row, value) for row, value in low if row in cells]
    if not hits:
        return []
    row, value = hits[0]
    text = cells[row]
    return [
        Problem(
            "warning",
            Msg(
                "problems.indicators.thousands_dot",
                file=Path(info.get("source", "")).name,
                column=repr(column),
                n=len(hits),
                min=meta.min,
                unit=meta.unit,
                example=repr(text),
                row=row,
                value=value,
                fixed=int("".join(c for c in text if c.isdigit())),
            ),
            row=row,
            column=column,
            value=text,
        )
    ]


def _boundary_names(regions: pd.DataFrame, config: Config) -> str | None:
    """The boundary column holding region names (None when the file had no name field)."""
    meta = regions.attrs.get("kerjasama")
    if meta is not None and meta.get("name_field") is None:
        return None
    if config.data.boundary_name in regions.columns:
        return config.data.boundary_name
    return "name" if "name" in regions.columns else None


def join_indicators(
    regions: pd.DataFrame,
    table: pd.DataFrame,
    *,
    boundary_key: str | None = None,
    indicator_key: str | None = None,
    indicator_name: str | None = None,
    names: bool = True,
    config: Config | None = None,
) -> tuple[pd.DataFrame, JoinReport]:
    """Attach indicator rows to regions by code (or by name), checking names.

    Parameters
    ----------
    regions
        From :func:`geo.boundaries.read_boundaries`: index ``code``, columns ``name``,
        ``province`` and the original attributes (e.g. ``code_dot``).
    table
        From :func:`analysis.indicators.read_indicators` (index = file row number).
    boundary_key, indicator_key
        Code columns to join on; proposed when not given (the pair with the most matches
        whose names agree; names when no code pair passes).
    indicator_name
        The table's region-name column; detected when not given (by its values, else by a
        header such as ``Nama``, ``Kabupaten/Kota``, ``Wilayah``).
    names
        Verify names on matched pairs (default). ``False`` never refuses a join for names, but
        still lists and counts every pair whose names differ.
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
        When look-alike codes pair different names, or codes could be of either numbering and
        no names can be compared (exit 2, with the cause and a fix that exists), when a name
        fits several regions, when a key column does not exist, or when duplicate codes carry
        different values.
    """
    config = config or load_config()
    meta = regions.attrs.get("kerjasama", {})
    bname_col = _boundary_names(regions, config)
    bnames_all = regions[bname_col] if bname_col else None
    iname_col = _name_column(table, indicator_name, config.data.indicator_name)
    inames_all = table[iname_col] if iname_col else None
    bnames = bnames_all
    inames = inames_all

    bcands = _candidates(regions, boundary=True)
    icands = _candidates(table, boundary=False)
    if boundary_key is not None:
        bcands[boundary_key] = _codes(_column_for(regions, boundary_key, boundary=True))
    if indicator_key is not None:
        icands[indicator_key] = _codes(_column_for(table, indicator_key, boundary=False))
    proposed = boundary_key is None or indicator_key is None
    explicit = boundary_key is not None and indicator_key is not None
    bchoices = [boundary_key] if boundary_key is not None else list(bcands)
    ichoices = [indicator_key] if indicator_key is not None else list(icands)
    pairings = _all_pairings(
        {k: bcands[k] for k in bchoices}, bnames, {k: icands[k] for k in ichoices}, inames
    )

    names_reason = None
    ambiguous: list[tuple[object, str, list[str]]] = []
    by_name_codes = pd.Series(None, index=table.index, dtype=object)
    can_name_join = bnames is not None and inames is not None and not explicit
    if meta.get("codes_from_names") and can_name_join:
        names_reason = "boundary_names_only"
    elif not icands and can_name_join:
        names_reason = "table_without_codes"
    chosen: _Pairing | None = None
    if names_reason is None:
        if explicit:
            chosen = pairings[0] if pairings else _Pairing(boundary_key, indicator_key, 0, 0, ())
        else:
            chosen = _best(pairings) if names else None
            if chosen is None and names and can_name_join:
                names_reason = "codes_disagree"
            elif chosen is None:
                if not pairings:
                    raise InputError(
                        "errors.join.no_key_pair",
                        bkeys=", ".join(bchoices) if bchoices else Msg("common.none"),
                        ikeys=", ".join(ichoices) if ichoices else Msg("common.none"),
                        option=Option("keys"),
                    )
                chosen = max(pairings, key=lambda p: p.matched)
    by_names = None
    wanted = names_reason is not None or (chosen is not None and names and chosen.refused())
    if wanted and bnames is not None and inames is not None:
        by_name_codes, ambiguous = _codes_by_names(bnames, inames)
        by_names = int(by_name_codes.dropna().nunique())
    if chosen is not None:
        if chosen.matched == 0:
            raise InputError(
                "errors.join.no_match",
                ikey=repr(chosen.indicator_key),
                bkey=repr(chosen.boundary_key),
                option=Option("keys"),
            )
        if names and chosen.refused():
            everything = _all_pairings(bcands, bnames, icands, inames)
            raise _refusal(chosen, _best(everything), len(regions), config.data.province, by_names)
        bcodes = bcands[chosen.boundary_key]
        icodes = icands[chosen.indicator_key]
        bkey_shown, ikey_shown = chosen.boundary_key, chosen.indicator_key
        differences = list(chosen.examples)
        unverified = not chosen.comparable
    else:
        if ambiguous:
            shown = [
                Msg(
                    "errors.join.ambiguous_item",
                    row=row,
                    name=name,
                    regions=Listing([str(bnames[c]) for c in codes], last="or"),
                )
                for row, name, codes in ambiguous
            ]
            raise InputError(
                "errors.join.ambiguous_names",
                n=len(ambiguous),
                items=Listing(shown, limit=10, sep="; "),
            )
        if not by_names and names_reason == "codes_disagree" and pairings:
            # neither the codes nor the names agree: the codes' refusal says most
            worst = max(pairings, key=lambda p: p.matched)
            raise _refusal(worst, None, len(regions), config.data.province, None)
        if not by_names:
            raise InputError(
                "errors.join.no_name_match",
                bname=bname_col,
                iname=iname_col,
                option=Option("keys"),
            )
        bcodes = _codes(pd.Series(regions.index.astype(str), index=regions.index))
        icodes = by_name_codes
        bkey_shown = meta.get("name_field") or bname_col
        ikey_shown = iname_col
        differences = []
        unverified = False
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
            body = group.drop(columns=[ikey_shown], errors="ignore").astype(str)
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
                ikey=repr(ikey_shown),
                conflicts=Listing(shown, limit=10, sep="; "),
            )
    first = ~icodes.duplicated(keep="first") & ~no_code

    # map regions -> indicator row (by position: the table's index need not be unique)
    positions = np.flatnonzero(first.to_numpy())
    lookup_pos = pd.Series(positions, index=icodes[first].to_numpy())
    region_codes = bcodes.reindex(regions.index)
    pos_of = region_codes.map(lookup_pos)
    row_of = pd.Series(
        [rows[int(p)] if pd.notna(p) else None for p in pos_of], index=regions.index, dtype=object
    )

    # never join a region with one that split off from it (or from which it split off)
    split_rows = _empty(["code", "name", "row", "indicator_name", "law"])
    if bnames_all is not None and inames_all is not None and chosen is not None:
        found = _split_pairs(bnames_all, inames_all, row_of)
        if found:
            split_rows = pd.DataFrame(found, columns=list(split_rows.columns))
            refused = regions.index.isin(split_rows["code"])
            pos_of[refused] = np.nan
            row_of[refused] = None
            differences = [d for d in differences if d[0] not in set(split_rows["code"])]
    matched_mask = pos_of.notna()

    # result table
    values = table.iloc[pos_of[matched_mask].astype(int).to_numpy()].copy()
    values.index = regions.index[matched_mask.to_numpy()]
    values = values.reindex(regions.index)
    values = values.rename(
        columns={c: f"{c}_indicator" for c in values.columns if c in ("code", "name", "province")}
    )
    head = pd.DataFrame(index=regions.index)
    head["name"] = regions[bname_col] if bname_col else regions.get("name")
    head["province"] = regions["province"] if "province" in regions.columns else None
    joined = pd.concat([head, values], axis=1)
    joined.index.name = "code"

    # out-of-range values -> NaN
    oor = []
    for column in joined.columns:
        meta_i = config.indicators.get(str(column))
        if meta_i is None or (meta_i.min is None and meta_i.max is None):
            continue
        if not pd.api.types.is_numeric_dtype(joined[column]):
            continue
        x = joined[column]
        bad = (x < meta_i.min if meta_i.min is not None else False) | (
            x > meta_i.max if meta_i.max is not None else False
        )
        bad = bad & x.notna()
        for code in joined.index[bad.to_numpy()]:
            oor.append((code, row_of[code], str(column), float(x[code]), meta_i.min, meta_i.max))
        problems.extend(_thousands_dots(table, column, x[bad], row_of, meta_i))
        joined.loc[bad, column] = np.nan
    out_of_range = pd.DataFrame(oor, columns=["code", "row", "column", "value", "min", "max"])

    # unmatched
    shown_names = regions[bname_col] if bname_col else regions.get("name")
    unmatched_regions = pd.DataFrame(
        {
            "code": regions.index[~matched_mask.to_numpy()].astype(str),
            "key": region_codes[~matched_mask].to_numpy(),
            "name": (
                shown_names[~matched_mask] if shown_names is not None else pd.Series(dtype=object)
            )
            .reindex(regions.index[~matched_mask.to_numpy()])
            .to_numpy(),
        }
    )
    ikey_values = table[ikey_shown] if ikey_shown in table.columns else icodes
    used = set(region_codes[matched_mask].dropna())
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

    name_differences = pd.DataFrame(
        differences, columns=["code", "boundary_name", "indicator_name"]
    )

    # coverage
    matched = int(matched_mask.sum())
    cov = []
    for column in values.columns:
        if not pd.api.types.is_numeric_dtype(joined[column]):
            continue
        meta_c = indicator_meta(config, str(column))
        n = int(joined.loc[matched_mask.to_numpy(), column].notna().sum())
        cov.append(
            (str(column), meta_c.label_id, meta_c.label_en, meta_c.unit, meta_c.year, n, matched)
        )
    coverage = pd.DataFrame(
        cov, columns=["column", "label_id", "label_en", "unit", "year", "non_missing", "matched"]
    ).set_index("column")
    coverage["share"] = coverage["non_missing"] / max(matched, 1)

    vintage = list(meta.get("vintage", []))
    if bnames_all is not None and inames_all is not None:
        vintage += _table_vintage(bnames_all, inames_all)

    report = JoinReport(
        boundary_key=bkey_shown,
        indicator_key=ikey_shown,
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
        method="codes" if chosen is not None else "names",
        names_reason=names_reason if chosen is None else None,
        names_checked=names,
        indicator_name=iname_col,
        unverified=unverified,
        split_pairs=split_rows,
        vintage=vintage,
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
