"""Older editions of the kab/kota map: recognise them and say what changed, by which law.

Boundary files found in public repositories are often older than the current code list: a GADM
3.6 export still draws Kutai Barat with Mahakam Ulu inside it (split off by UU 2/2013), codes the
five Kalimantan Utara regions under Kalimantan Timur (64, before UU 20/2012) and the new Papua
provinces under 91 (before 2022). Joining today's figures to such polygons silently gives wrong
results. :func:`detect` compares each feature's code and name with the current list
(:mod:`geo.reference`) and the documented changes in ``geo/vintages.toml`` and returns the
findings as facts (:class:`Finding`); the presentation renders them with :meth:`Finding.message`.

Nothing here ever moves figures between regions: a region that split off is never given its
former parent's figures, nor the parent the split-off region's (see :func:`split_pair`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from common.text import Msg

VINTAGES_FILE = Path(__file__).with_name("vintages.toml")


@dataclass(frozen=True)
class ProvinceChange:
    """Province ``new`` (``name``) was formed from ``former`` by ``law``."""

    new: str
    name: str
    former: str
    law: str
    year: int


@dataclass(frozen=True)
class Split:
    """Kab/kota ``new`` was split off from ``former`` by ``law`` (Kemendagri codes)."""

    new: str
    former: str
    law: str
    year: int


@dataclass(frozen=True)
class Rename:
    """Kab/kota ``code`` is ``name`` since ``law``; before it was ``former_name``."""

    code: str
    name: str
    former_name: str
    law: str
    year: int


@lru_cache(maxsize=1)
def _table() -> dict:
    with VINTAGES_FILE.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def province_changes() -> tuple[ProvinceChange, ...]:
    """The new provinces since 2012."""
    return tuple(ProvinceChange(**row) for row in _table().get("province", []))


@lru_cache(maxsize=1)
def splits() -> tuple[Split, ...]:
    """The kab/kota splits listed in ``geo/vintages.toml``."""
    return tuple(Split(**row) for row in _table().get("split", []))


@lru_cache(maxsize=1)
def renames() -> tuple[Rename, ...]:
    """The kab/kota renames listed in ``geo/vintages.toml``."""
    return tuple(Rename(**row) for row in _table().get("rename", []))


@lru_cache(maxsize=1)
def _rename_map() -> dict[tuple[str | None, str], Rename]:
    from geo.names import raw_key

    return {raw_key(r.former_name): r for r in renames()}


def renamed(kind: str | None, core: str) -> str | None:
    """The current core of a former name (``("kabupaten", "pontianak")`` -> ``"mempawah"``).

    Only for names whose kind is known: a bare ``Pontianak`` may be today's Kota Pontianak.
    """
    from geo.names import raw_key

    rename = _rename_map().get((kind, core)) if kind else None
    return raw_key(rename.name)[1] if rename else None


def rename_of(name: object, kind: str | None = None) -> Rename | None:
    """The :class:`Rename` when ``name`` is a former name, else None."""
    from geo.names import raw_key

    if name is None or (isinstance(name, float) and name != name):
        return None
    key = raw_key(str(name), kind)
    return _rename_map().get(key) if key[0] else None


def split_pair(code_a: str | None, code_b: str | None) -> Split | None:
    """The :class:`Split` when one of two current codes split off from the other, else None."""
    for split in splits():
        if {split.new, split.former} == {code_a, code_b}:
            return split
    return None


def _province_change(new: str, former: str) -> ProvinceChange | None:
    for change in province_changes():
        if change.new == new and change.former == former:
            return change
    return None


@dataclass(frozen=True)
class Finding:
    """One sign that a file follows an older edition of the kab/kota map.

    Attributes
    ----------
    kind
        ``"moved"`` (coded under the province it belonged to before a new province was formed),
        ``"includes"`` (a region that later split: its polygon probably still holds the split-off
        region, which the file lacks), ``"renamed"`` (a former name), ``"recoded"`` (a code that
        is neither the region's Kemendagri nor its BPS code), ``"unknown"`` (neither code nor
        name is in the current list), ``"table_includes"`` (an indicator table lacks a region
        that split off from one it has: its figures may predate the split).
    code, name
        The feature's code (canonical) and name as in the file.
    current, current_name
        The region's current Kemendagri code and official name (None for ``unknown``).
    law, year
        The regulation behind the change, when documented in ``geo/vintages.toml``.
    other
        ``includes``: the split-off region's name; ``moved``: the new province's name.
    """

    kind: str
    code: str | None
    name: str
    current: str | None = None
    current_name: str | None = None
    law: str | None = None
    year: int | None = None
    other: str | None = None

    def message(self) -> Msg:
        """The finding as deferred text."""
        return Msg(
            _FINDING_KEYS[self.kind],
            code=self.code or "",
            province=(self.code or "")[:2],
            name=self.name,
            current=self.current or "",
            current_name=self.current_name or "",
            law=self.law or "",
            year=self.year or "",
            other=self.other or "",
        )


_FINDING_KEYS = {
    "moved": "vintage.moved",
    "includes": "vintage.includes",
    "renamed": "vintage.renamed",
    "recoded": "vintage.recoded",
    "unknown": "vintage.unknown",
    "table_includes": "vintage.table_includes",
}


def current_codes(names: Iterable[object]) -> list[str | None]:
    """The current Kemendagri code of each name (None when unknown or ambiguous)."""
    from geo.reference import lookup

    out: list[str | None] = []
    for name in names:
        found = lookup(name)
        out.append(found[0] if len(found) == 1 else None)
    return out


def detect(codes: Iterable[str | None], names: Iterable[object]) -> list[Finding]:
    """Findings that features belong to an older edition of the kab/kota map.

    Parameters
    ----------
    codes
        Canonical codes as in the file (None for a file without codes).
    names
        Names as in the file, with the type word (``"Kabupaten X"``) when the file gives one.

    Returns
    -------
    list of Finding
        In file order; then one ``includes`` finding per documented split whose former region
        is in the file while the split-off region is not.
    """
    from geo.reference import by_code, names_by_code

    ref = by_code()
    kemendagri = names_by_code()["kemendagri"]
    bps = names_by_code()["bps"]
    findings: list[Finding] = []
    present: dict[str, tuple[str | None, str]] = {}
    codes, names = list(codes), list(names)
    for code, name, current in zip(codes, names, current_codes(names), strict=True):
        shown = "" if name is None else str(name)
        if current is None:
            if code and code not in kemendagri and code not in bps and name is not None:
                findings.append(Finding("unknown", code, shown))
            continue
        present[current] = (code, shown)
        row = ref[current]
        rename = rename_of(name)
        if rename is not None:
            findings.append(
                Finding("renamed", code, shown, current, row.name, rename.law, rename.year)
            )
        if code is None or code in (current, row.bps_code):
            continue
        prefix = code[:2]
        change = _province_change(row.province, prefix)
        if change is not None and prefix != row.bps_code[:2]:
            findings.append(
                Finding(
                    "moved",
                    code,
                    shown,
                    current,
                    row.name,
                    change.law,
                    change.year,
                    change.name,
                )  # fmt: skip
            )
        elif len(code) == 4:
            findings.append(Finding("recoded", code, shown, current, row.name))
    for split in splits():
        if split.former in present and split.new not in present:
            code, shown = present[split.former]
            findings.append(
                Finding(
                    "includes",
                    code,
                    shown,
                    split.former,
                    ref[split.former].name,
                    split.law,
                    split.year,
                    ref[split.new].name,
                )  # fmt: skip
            )
    return findings


def moved_into(province: str, codes: Iterable[str | None], names: Iterable[object]) -> list[str]:
    """Codes (as in the file) of the features that are today in ``province`` but coded elsewhere.

    For ``--province 93`` on a file that still codes Papua Selatan under 91: the Papua Selatan
    regions it holds, to explain why the scope is empty.
    """
    from geo.reference import by_code

    ref = by_code()
    codes, names = list(codes), list(names)
    out = []
    for code, current in zip(codes, current_codes(names), strict=True):
        inside = current is not None and ref[current].province == province
        if inside and code and not code.startswith(province):
            out.append(code)
    return out
