"""The current kab/kota code list (Kepmendagri 2025), shipped with the package.

``geo/kabkota_2025.csv`` holds the 514 kabupaten/kota of the current edition: Kemendagri code
(``code``, ``code_dot``), official name, type, province, and the BPS code of the same region
(``bps_code``, pre-2022 province structure as published in the BPS tables the project uses:
91 = Papua Barat, 94 = Papua). It is derived by ``scripts/build_reference.py`` from the project's
data folder; the sources are named there and in ``docs/data.md``.

What it is for: recognising code and name fields by their content, telling BPS codes from
Kemendagri codes (they share the 4-digit shape but name different regions for 164 of 514
kab/kota), assigning codes to files that carry names only, and recognising an older edition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.names import KINDS, name_key, province_key, strip_islands

REFERENCE_FILE = Path(__file__).with_name("kabkota_2025.csv")
#: The edition the list follows, for messages.
EDITION = "Kepmendagri 2025"
SYSTEMS = ("kemendagri", "bps")


@lru_cache(maxsize=1)
def regions() -> pd.DataFrame:
    """The current list: index ``code`` (Kemendagri, 4 digits), columns ``code_dot``, ``name``,
    ``kind`` (kabupaten/kota), ``province``, ``province_name``, ``bps_code``, ``core`` (the
    :func:`geo.names.name_key` core of the name). Cached: do not modify it."""
    frame = pd.read_csv(REFERENCE_FILE, dtype=str, keep_default_na=False)
    frame["kind"] = frame["type"].str.lower()
    frame["core"] = [name_key(n)[1] for n in frame["name"]]
    frame = frame.rename(columns={"province_code": "province"}).set_index("code")
    return frame[["code_dot", "name", "kind", "province", "province_name", "bps_code", "core"]]


@dataclass(frozen=True)
class Region:
    """One kab/kota of the current list."""

    code: str
    code_dot: str
    name: str
    kind: str
    province: str
    province_name: str
    bps_code: str
    core: str


@lru_cache(maxsize=1)
def by_code() -> dict[str, Region]:
    """Kemendagri code -> :class:`Region` (fast access for per-feature checks)."""
    return {
        code: Region(code, *row)
        for code, row in zip(regions().index, regions().itertuples(index=False), strict=True)
    }


@lru_cache(maxsize=1)
def names_by_code() -> dict[str, dict[str, str]]:
    """``{system: {code: name}}`` for ``kemendagri`` and ``bps`` codes (4 digits)."""
    ref = regions()
    return {
        "kemendagri": dict(zip(ref.index, ref["name"], strict=True)),
        "bps": dict(zip(ref["bps_code"], ref["name"], strict=True)),
    }


@lru_cache(maxsize=1)
def current_code_of_bps() -> dict[str, str]:
    """BPS code -> Kemendagri code of the same region."""
    ref = regions()
    return dict(zip(ref["bps_code"], ref.index, strict=True))


@lru_cache(maxsize=1)
def province_codes() -> frozenset[str]:
    """Every 2-digit province prefix a kab/kota code can have (Kemendagri and BPS, old and new)."""
    from geo.vintages import province_changes

    ref = regions()
    codes = set(ref["province"]) | {c[:2] for c in ref["bps_code"]}
    codes |= {p.former for p in province_changes()}
    return frozenset(codes)


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """Province name key (:func:`geo.names.province_key`) -> current Kemendagri province code."""
    ref = regions().drop_duplicates("province")
    pairs = zip(ref["province_name"], ref["province"], strict=True)
    return {province_key(name)[1]: code for name, code in pairs}


@lru_cache(maxsize=1)
def _by_core() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, core in regions()["core"].items():
        for key in {core, strip_islands(core)}:
            out.setdefault(key, []).append(code)
    return out


def lookup(name: object, kind: str | None = None) -> list[str]:
    """Current Kemendagri codes whose name matches ``name`` (see :func:`geo.names.names_match`).

    A name without a type word (and no ``kind``) matches a kabupaten and a kota of the same name,
    and a former name that is now another region's (``Pontianak``: Kota Pontianak, or the
    former Kabupaten Pontianak, now Mempawah): more than one code means the name is ambiguous.
    """
    return list(_lookup_key(*name_key(name, kind)))


@lru_cache(maxsize=65536)
def _lookup_key(kind: str | None, core: str) -> tuple[str, ...]:
    """:func:`lookup` of a normalised name key."""
    from geo.vintages import renamed

    if not core:
        return ()
    ref = by_code()
    found = _by_core().get(core, []) or _by_core().get(strip_islands(core), [])
    found = [c for c in found if kind is None or ref[c].kind == kind]
    if kind is None:
        for k in KINDS:
            new = renamed(k, core)
            if new is not None:
                found += [c for c in _by_core().get(new, []) if ref[c].kind == k]
    return tuple(sorted(set(found)))


def is_kabkota_code(code: str | None) -> bool:
    """A 4-digit code with a known province prefix (any edition, BPS or Kemendagri)."""
    return code is not None and len(code) == 4 and code[:2] in province_codes()
