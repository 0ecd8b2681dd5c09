"""The documented inter-regional arrangements dataset (backtest and registry seed).

Checks the shape and vocabulary of ``data/arrangements/arrangements.csv``, that every member
code is a current Kemendagri kab/kota code with the recorded name (in the bundled or shared
boundary file), and that the hold-out column is exactly what ``scripts/holdout.py`` assigns.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
from collections import Counter
from pathlib import Path

import pyogrio
import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "data" / "arrangements"
COLUMNS = [
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
]
SECTORS = {"water", "waste", "sanitation", "health", "economy"}
FORMS = {"joint", "contract", "other"}
STAGES = {"KB", "PKS", "running", "ended"}
CONFIDENCE = {"high", "medium", "low"}
CODE = re.compile(r"^\d{2}\.\d{2}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def table() -> tuple[list[str], list[dict[str, str]]]:
    return _read(FOLDER / "arrangements.csv")


@pytest.fixture(scope="module")
def rows(table) -> list[dict[str, str]]:
    return table[1]


def _holdout_module():
    spec = importlib.util.spec_from_file_location("holdout", ROOT / "scripts" / "holdout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _boundary_files() -> list[Path]:
    folders = [ROOT / "data" / "boundaries"]
    if os.environ.get("KERJASAMA_DATA"):
        folders.append(Path(os.environ["KERJASAMA_DATA"]) / "boundaries")
    found = []
    for folder in folders:
        for pattern in ("idn_adm2*.gpkg", "idn_adm2*.geojson"):
            found.extend(sorted(folder.glob(pattern)))
    return found


def test_columns_exactly(table):
    assert table[0] == COLUMNS


def test_size_and_spread(rows):
    assert len(rows) >= 30
    provinces = {p for r in rows for p in r["province_codes"].split(";")}
    assert len(provinces) >= 10
    assert {r["sector"] for r in rows} == SECTORS


def test_ids_are_unique_slugs(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(SLUG.match(i) for i in ids)
    assert ids == sorted(ids)


def test_vocabularies(rows):
    for r in rows:
        assert r["sector"] in SECTORS, r["id"]
        assert r["form"] in FORMS, r["id"]
        assert r["stage"] in STAGES, r["id"]
        assert r["confidence"] in CONFIDENCE, r["id"]
        assert r["holdout"] in {"true", "false"}, r["id"]


def test_members(rows):
    for r in rows:
        codes = r["members"].split(";")
        names = r["member_names"].split(";")
        assert 2 <= len(codes) <= 5, r["id"]
        assert all(CODE.match(c) for c in codes), r["id"]
        assert codes == sorted(set(codes)), r["id"]
        assert len(names) == len(codes), r["id"]
        assert r["province_codes"].split(";") == sorted({c[:2] for c in codes}), r["id"]


def test_provider_only_for_contracts(rows):
    for r in rows:
        if r["form"] == "contract":
            assert r["provider"] in r["members"].split(";"), r["id"]
        else:
            assert r["provider"] == "", r["id"]


def test_no_member_set_repeats_within_a_sector(rows):
    keys = Counter((r["sector"], r["members"]) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []


def test_sources_and_dates(rows):
    for r in rows:
        assert r["source_url"].startswith(("http://", "https://")), r["id"]
        assert r["evidence"].strip(), r["id"]
        assert r["name"].strip() and r["sector_detail"].strip(), r["id"]
        if r["year"]:
            assert 1990 <= int(r["year"]) <= 2026, r["id"]
            assert r["year_basis"].strip(), r["id"]
        if r["source_date"]:
            assert DATE.match(r["source_date"]), r["id"]
        assert r["other_parties"] == r["other_parties"].strip(), r["id"]


def test_member_codes_and_names_exist_in_boundary_file(rows):
    files = _boundary_files()
    if not files:
        pytest.skip("no bundled or shared national kab/kota boundary file (set KERJASAMA_DATA)")
    for path in files:
        frame = pyogrio.read_dataframe(path, read_geometry=False, columns=["code_dot", "name"])
        names = dict(zip(frame["code_dot"], frame["name"], strict=True))
        for r in rows:
            for code, name in zip(
                r["members"].split(";"), r["member_names"].split(";"), strict=True
            ):
                assert code in names, f"{path.name}: {r['id']} has unknown code {code}"
                assert names[code] == name, f"{path.name}: {r['id']} {code} is {names[code]}"


def test_holdout_matches_script(rows):
    holdout = _holdout_module()
    batches = holdout.read_batches(FOLDER / "holdout_batches.csv")
    held = holdout.assign_holdout({r["id"]: r["sector"] for r in rows}, batches)
    assert {r["id"]: r["holdout"] == "true" for r in rows} == held
    share = sum(held.values()) / len(held)
    assert 0.25 <= share <= 0.42


def test_holdout_of_earlier_batches_ignores_later_batches(rows):
    holdout = _holdout_module()
    batches = holdout.read_batches(FOLDER / "holdout_batches.csv")
    sectors = {r["id"]: r["sector"] for r in rows}
    full = holdout.assign_holdout(sectors, batches)
    for last in sorted(set(batches.values())):
        keep = {i for i, b in batches.items() if b <= last}
        part = holdout.assign_holdout({i: sectors[i] for i in keep}, {i: batches[i] for i in keep})
        assert part == {i: full[i] for i in keep}


def test_holdout_is_seeded_and_stratified():
    holdout = _holdout_module()
    sectors = {f"a{i:02d}": ("water" if i % 2 else "waste") for i in range(12)}
    batches = dict.fromkeys(sectors, 1)
    first = holdout.assign_holdout(sectors, batches)
    assert first == holdout.assign_holdout(sectors, batches)
    per_sector = Counter(sectors[i] for i, h in first.items() if h)
    assert per_sector == {"water": 2, "waste": 2}
    with pytest.raises(ValueError, match="batch list"):
        holdout.assign_holdout(sectors, {"a00": 1})
