"""The derived files shipped with the bundled boundary file (``data/boundaries/derived/``).

They hold what the app would otherwise compute on its first start (the national edge table and
display geometry); ``kerjasama.derived`` serves them only for the very file and settings they
were computed from. These tests run everywhere: the bundled data is part of the repository.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import shapely.affinity
from test_default_data import build

from analysis import pipeline
from geo.boundaries import read_boundaries
from geo.display import display_regions
from kerjasama import derived

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data" / "boundaries" / "idn_adm2.parquet"
REBUILD = (
    "re-run `.venv/bin/python scripts/build_default_data.py --derived` and commit "
    "data/boundaries/derived/"
)


@pytest.fixture(scope="module")
def regions():
    return pipeline.load_regions(BUNDLED)


def _geos_of(kind: str) -> str | None:
    """The GEOS version the shipped ``kind`` file of the bundled file was built with."""
    record = derived._stored(BUNDLED, kind)
    assert record is not None, f"no shipped {kind} file for the bundled boundary file: {REBUILD}"
    return record["parameters"].get("geos")


#: the shipped files were built by another GEOS than the installed one (a shapely release):
#: they are not served, the app computes, and the tests that need them served say so
OTHER_GEOS = any(_geos_of(k) != shapely.geos_version_string for k in ("adjacency", "display"))
needs_same_geos = pytest.mark.skipif(
    OTHER_GEOS,
    reason=f"shipped files built with another GEOS than {shapely.geos_version_string}: {REBUILD}",
)


def test_files_of_another_geos_are_not_served(monkeypatch, regions):
    """A GEOS release may change predicates and simplification: what another GEOS built is
    never served (the app computes instead), and the suite says to rebuild the files."""
    if OTHER_GEOS:
        warnings.warn(
            f"the shipped derived files are not used with this GEOS: {REBUILD}", stacklevel=1
        )
    monkeypatch.setattr(derived, "_geos", lambda: "0.0.0")
    assert derived.shipped_adjacency(BUNDLED) is None
    assert derived.shipped_display(regions, BUNDLED) is None
    assert not derived.proven_valid(BUNDLED)


@needs_same_geos
def test_shipped_adjacency_is_what_the_code_computes(regions):
    shipped = derived.shipped_adjacency(BUNDLED)
    assert shipped is not None, f"no shipped adjacency for this file or settings: {REBUILD}"
    computed = pipeline.build_adjacency(regions)
    try:
        pd.testing.assert_frame_equal(shipped, computed)
    except AssertionError as err:
        raise AssertionError(f"the adjacency code changed its result: {REBUILD}\n{err}") from err


@needs_same_geos
def test_shipped_display_is_what_the_code_computes(regions):
    shipped = derived.shipped_display(regions, BUNDLED)
    assert shipped is not None, f"no shipped display geometry for this file or settings: {REBUILD}"
    computed = display_regions(regions)
    try:
        pd.testing.assert_frame_equal(
            shipped.drop(columns="geometry"), computed.drop(columns="geometry")
        )
        assert shipped.crs == computed.crs
        assert shapely.equals_exact(shipped.geometry.values, computed.geometry.values, 0).all()
    except AssertionError as err:
        raise AssertionError(f"the display code changed its result: {REBUILD}\n{err}") from err


@needs_same_geos
def test_validity_proven_when_built_still_holds(regions):
    """The bundled file is read without its validity check (proven when shipped): the proof
    still holds, and the result is the same as with the check."""
    assert derived.proven_valid(BUNDLED), f"no validity proof for this file: {REBUILD}"
    assert build.valid_as_read(regions)
    trusted = read_boundaries(BUNDLED, known_valid=True)
    pd.testing.assert_frame_equal(trusted, regions)
    assert shapely.equals_exact(trusted.geometry.values, regions.geometry.values, 0).all()
    assert trusted.attrs["kerjasama"]["repairs"] == regions.attrs["kerjasama"]["repairs"] == []


@needs_same_geos
def test_display_is_shipped_only_for_all_regions(regions):
    assert derived.ships_display(regions, BUNDLED)
    assert not derived.ships_display(regions.iloc[:5], BUNDLED)
    assert derived.shipped_display(regions.iloc[:5], BUNDLED) is None
    assert derived.shipped_display(regions.iloc[::-1], BUNDLED) is None  # another order


def _copy(tmp_path: Path, name: str) -> Path:
    """A data folder's boundaries with the bundled derived files copied under ``name``."""
    folder = tmp_path / "boundaries"
    (folder / derived.FOLDER).mkdir(parents=True)
    for kind in ("adjacency", "display"):
        shipped = derived.derived_path(BUNDLED, kind)
        shutil.copyfile(shipped, derived.derived_path(folder / name, kind))
    return folder / name


@needs_same_geos
def test_same_bytes_under_another_name_use_the_shipped_files(tmp_path, regions):
    copy = _copy(tmp_path, "my_regions.parquet")
    shutil.copyfile(BUNDLED, copy)
    assert derived.shipped_adjacency(copy) is not None
    assert derived.shipped_display(pipeline.load_regions(copy), copy) is not None
    assert derived.proven_valid(copy)


def test_a_changed_boundary_file_does_not_use_them(tmp_path, monkeypatch, regions):
    """One region moved by 1 m: another digest, so the app computes (and keeps in the user
    cache) instead of serving the shipped tables."""
    from kerjasama.webapp import compute

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = _copy(tmp_path, BUNDLED.name)
    changed = gpd.read_parquet(BUNDLED)
    geoms = changed.geometry.values.copy()
    geoms[0] = shapely.affinity.translate(geoms[0], xoff=1e-5)
    changed.set_geometry(geoms, inplace=True)
    changed.to_parquet(copy, index=False)
    mine = pipeline.load_regions(copy)
    assert derived.shipped_adjacency(copy) is None
    assert derived.shipped_display(mine, copy) is None
    assert not derived.proven_valid(copy)
    edges = compute.cached_adjacency(mine, copy)
    pd.testing.assert_frame_equal(edges, pipeline.build_adjacency(mine))
    assert compute.adjacency_cache_path(copy).is_file()


def test_changed_settings_do_not_use_them(monkeypatch, regions):
    import geo.adjacency
    import geo.display

    monkeypatch.setattr(geo.adjacency, "DEFAULT_MARITIME_KM", 20.0)
    assert derived.shipped_adjacency(BUNDLED) is None
    monkeypatch.setattr(geo.display, "display_digits", lambda tolerance: 6)
    assert derived.shipped_display(regions, BUNDLED) is None


@needs_same_geos
def test_the_app_reads_the_shipped_tables_without_a_user_cache(tmp_path, monkeypatch, regions):
    from kerjasama.webapp import compute

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pd.testing.assert_frame_equal(
        compute.cached_adjacency(regions, BUNDLED), derived.shipped_adjacency(BUNDLED)
    )
    display = compute.cached_display(regions, BUNDLED)
    assert list(display.index) == list(regions.index)
    assert not any(tmp_path.iterdir())  # nothing computed, nothing kept


def test_damaged_or_foreign_files_are_ignored(tmp_path):
    copy = _copy(tmp_path, BUNDLED.name)
    shutil.copyfile(BUNDLED, copy)
    derived.derived_path(copy, "adjacency").write_bytes(b"not parquet")
    assert derived.shipped_adjacency(copy) is None
    plain = pd.DataFrame({"source": ["a"], "target": ["b"]})
    plain.to_parquet(derived.derived_path(copy, "adjacency"))  # no record
    assert derived.shipped_adjacency(copy) is None


def test_derived_files_are_deterministic(tmp_path):
    boundaries = tmp_path / "b.parquet"
    shutil.copyfile(BUNDLED, boundaries)
    frame = pd.DataFrame({"source": ["1101", "1102"], "target": ["1102", "1103"], "km": [1.5, 2]})
    first = derived.write(frame, boundaries, "adjacency", {"maritime_km": 15.0}).read_bytes()
    again = derived.write(frame, boundaries, "adjacency", {"maritime_km": 15.0}).read_bytes()
    assert first == again


@needs_same_geos
@pytest.mark.parametrize("shipped", [True, False])
def test_national_warm_up_waits_less_when_the_display_is_shipped(
    tmp_path, monkeypatch, regions, shipped
):
    """The bundled data's national warm-up starts after WARM_UP_SHIPPED_DELAY; a boundary file
    without shipped display geometry (a user's own data) keeps WARM_UP_DELAY."""
    from kerjasama.webapp import compute

    source = BUNDLED
    if not shipped:
        source = tmp_path / "boundaries" / BUNDLED.name
        source.parent.mkdir()
        shutil.copyfile(BUNDLED, source)  # same bytes, no derived files
    data = compute.Data(f"warm:{shipped}", regions, None, None, [], None, ("", ""), {}, source)
    started, calls = [], []

    class Thread:  # runs nothing until the test calls the target
        def __init__(self, target, **kw):
            started.append(target)

        def start(self):
            pass

    class Prepared:
        ids = ("1101",)

    def prepared(key, data, scope):
        calls.append(("prepared", scope))
        return Prepared()

    monkeypatch.setattr(compute.threading, "Thread", Thread)
    monkeypatch.setattr(compute.time, "sleep", lambda s: calls.append(("sleep", s)))
    monkeypatch.setattr(compute, "prepared", prepared)
    monkeypatch.setattr(compute, "scope_drawing", lambda *a: calls.append(("drawing",)))
    monkeypatch.setattr(compute, "ranked", lambda k, d, choice: calls.append(("ranked", choice)))
    monkeypatch.setattr(compute, "_warmed", set())
    choice = compute.Choice.of(compute.Scope("73", True, False), (2, 3), "water", ("joint",), {})
    compute.warm_up(data.key, data, choice)
    compute.warm_up(data.key, data, choice)  # once per data source
    assert len(started) == 1
    started[0]()
    delay = compute.WARM_UP_SHIPPED_DELAY if shipped else compute.WARM_UP_DELAY
    national = compute.Scope(None, False, True)
    assert calls == [
        ("sleep", delay),
        ("prepared", national),
        ("drawing",),
        ("ranked", compute.Choice.of(national, (2, 3), "water", ("joint",), {})),
    ]
