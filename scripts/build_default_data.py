"""Build the repository's default data folder (``data/``) from the project's shared data folder.

Usage (from the repository root, after ``bash scripts/test.sh`` or ``bash scripts/app.sh`` has
created ``.venv/``)::

    .venv/bin/python scripts/build_default_data.py                 # ../shared/data -> data/
    .venv/bin/python scripts/build_default_data.py --source DIR --out DIR
    .venv/bin/python scripts/build_default_data.py --measure       # the table in docs/data.md
    .venv/bin/python scripts/build_default_data.py --derived       # only boundaries/derived/

What it writes (``docs/data.md`` describes every column and the licences):

``boundaries/idn_adm2.parquet``
    All kab/kota polygons of ``boundaries/idn_adm2.gpkg`` with every attribute, **not simplified**:
    the vertices are snapped to a grid of 2^-20 degree (about 0.1 m) with GEOS snap-rounding
    (:func:`shapely.set_precision`, which keeps every polygon valid), so that shared borders keep
    identical vertices and the coordinates compress well, then written as GeoParquet (WKB, zstd).
    The coverage (no overlaps, identical shared edges) is checked before and after.
``boundaries/idn_adm2_seats.csv``
    The seats of government of ``boundaries/idn_adm2_seats.csv``, only the licence-clean
    kecamatan-derived point (``kec_lon``/``kec_lat``) and the identifying columns; the geocoded
    ``lon``/``lat`` and their ``method``/``source`` are left out (see the source's ``SEATS.md``).
``indicators/idn_kabkota_indicators.csv`` and ``indicators/SOURCES.md``
    Copied byte for byte.
``boundaries/derived/idn_adm2.adjacency.parquet`` and ``…/derived/idn_adm2.display.parquet``
    What the app would otherwise compute on its first start from the bundled boundary file (as
    :func:`analysis.pipeline.load_regions` reads it): the edge table of
    :func:`analysis.pipeline.build_adjacency` and the national display geometry of
    :func:`geo.display.display_regions`, each recording the sha256 of the boundary file and its
    parameters (:mod:`kerjasama.derived`). ``--derived`` rebuilds only these two from the
    bundled boundary file of ``--out`` (after a change to the adjacency or display code).

The output is deterministic: the same source files and library versions give the same bytes
(rows sorted by code, no time stamps). Every check that fails stops the build with a message; the
files are written to a temporary name and renamed, so a failed build leaves the old ones intact.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(ROOT))

#: Grid (degrees) the bundled coordinates are snapped to: 2^-20° = 0.106 m at the equator. A power
#: of two keeps the low mantissa bits of every coordinate zero, which is what zstd compresses.
#: Coarser grids break the coverage: at 2^-17° (0.85 m) GEOS snap-rounding already moves shared
#: edges apart (docs/data.md).
QUANTUM_DEG = 2.0**-20
#: zstd level: 9 gives 7.44 MB in about 1 s; 19 gives 7.30 MB in 25 s (docs/data.md).
ZSTD_LEVEL = 9
BOUNDARY_SOURCE = Path("boundaries") / "idn_adm2.gpkg"
BOUNDARY_OUT = Path("boundaries") / "idn_adm2.parquet"
SEATS = Path("boundaries") / "idn_adm2_seats.csv"
INDICATORS = Path("indicators") / "idn_kabkota_indicators.csv"
INDICATOR_SOURCES = Path("indicators") / "SOURCES.md"
#: Columns kept from the seats table, in this order. ``kec_lon``/``kec_lat`` keep the source's
#: names so that the same code reads the bundled file and the shared one.
SEAT_COLUMNS = [
    "code",
    "code_dot",
    "name",
    "seat_name",
    "seat_kecamatan_code",
    "seat_kecamatan_name",
    "kec_lon",
    "kec_lat",
    "kec_point_offset_km",
]
#: The whole data/ folder must stay under this size (bytes): the repository's size hook warns
#: above 10 MB.
SIZE_BUDGET = 10_000_000


class BuildError(Exception):
    """A check on the source or the output failed."""


# ------------------------------------------------------------------------------- boundaries


def read_source_boundaries(source: Path) -> gpd.GeoDataFrame:
    """The source kab/kota layer, rows sorted by ``code``; refused unless it is a clean coverage."""
    path = source / BOUNDARY_SOURCE
    if not path.is_file():
        raise BuildError(f"{path} not found: --source must name the shared data folder.")
    gdf = pyogrio.read_dataframe(path)
    if gdf["code"].isna().any() or gdf["code"].duplicated().any():
        raise BuildError(f"{path}: missing or duplicate codes.")
    gdf = gdf.sort_values("code", kind="stable").reset_index(drop=True)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    if not shapely.is_valid(geoms).all():
        raise BuildError(f"{path}: invalid geometries; repair the source first.")
    if not shapely.coverage_is_valid(geoms):
        raise BuildError(f"{path}: not a clean polygon coverage (overlaps or unmatched edges).")
    return gdf


def quantise(geoms: np.ndarray, quantum: float = QUANTUM_DEG) -> np.ndarray:
    """Snap a coverage to a grid of ``quantum`` degrees; BuildError if anything breaks."""
    out = shapely.set_precision(geoms, quantum)
    kinds = shapely.get_type_id(out)
    if (shapely.is_empty(out) | ~np.isin(kinds, (3, 6))).any():
        raise BuildError("snapping to the grid collapsed a polygon; use a finer QUANTUM_DEG.")
    if not shapely.is_valid(out).all() or not shapely.coverage_is_valid(out):
        raise BuildError("snapping to the grid broke the coverage; use a finer QUANTUM_DEG.")
    return out


def write_parquet(gdf: gpd.GeoDataFrame, path: Path, level: int = ZSTD_LEVEL) -> None:
    gdf.to_parquet(path, compression="zstd", compression_level=level, index=False)


def build_boundaries(source: Path, out: Path) -> gpd.GeoDataFrame:
    """Write ``boundaries/idn_adm2.parquet``; return what was written."""
    gdf = read_source_boundaries(source)
    before = np.asarray(gdf.geometry.values, dtype=object)
    bundled = gdf.set_geometry(quantise(before))
    change = np.abs(shapely.area(bundled.geometry.values) / shapely.area(before) - 1).max()
    _write(out / BOUNDARY_OUT, lambda tmp: write_parquet(bundled, tmp))
    print(
        f"{out / BOUNDARY_OUT}: {len(bundled)} regions, "
        f"{int(shapely.get_num_coordinates(bundled.geometry.values).sum()):,} vertices, "
        f"largest area change {change:.1e} (relative)"
    )
    return bundled


# ------------------------------------------------------------------------- seats, indicators


def build_seats(source: Path, out: Path, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Write the seats table with only the licence-clean point; check it against ``regions``."""
    path = source / SEATS
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in SEAT_COLUMNS if c not in raw.columns]
    if missing:
        raise BuildError(f"{path}: columns {', '.join(missing)} are missing.")
    seats = raw[SEAT_COLUMNS].sort_values("code", kind="stable").reset_index(drop=True)
    if (seats == "").any().any():
        raise BuildError(f"{path}: empty cells in the kept columns.")
    if list(seats["code"]) != list(regions["code"]):
        raise BuildError(f"{path}: its codes differ from those of {BOUNDARY_SOURCE}.")
    points = shapely.points(seats["kec_lon"].astype(float), seats["kec_lat"].astype(float))
    outside = ~shapely.covers(np.asarray(regions.geometry.values, dtype=object), points)
    if outside.any():
        codes = ", ".join(seats.loc[outside, "code"])
        raise BuildError(f"{path}: seat points outside their own region: {codes}.")
    _write(
        out / SEATS,
        lambda tmp: seats.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8"),
    )
    print(f"{out / SEATS}: {len(seats)} seats, columns {', '.join(SEAT_COLUMNS)}")
    return seats


def copy_indicators(source: Path, out: Path, regions: gpd.GeoDataFrame) -> None:
    """Copy the indicator table and its sources verbatim, after checking the join key."""
    table = pd.read_csv(source / INDICATORS, dtype=str, keep_default_na=False)
    if sorted(table["kemendagri_code_2025"]) != sorted(regions["code_dot"]):
        raise BuildError(
            f"{source / INDICATORS}: kemendagri_code_2025 does not match the boundary code_dot."
        )
    for rel in (INDICATORS, INDICATOR_SOURCES):
        _write(out / rel, lambda tmp, rel=rel: shutil.copyfile(source / rel, tmp))
    print(f"{out / INDICATORS}: {len(table)} rows (copied as is, with {INDICATOR_SOURCES.name})")


# ---------------------------------------------------------------------------- derived files


def valid_as_read(regions: gpd.GeoDataFrame) -> bool:
    """Whether the reader found every geometry valid (it repaired none) and they are valid."""
    repairs = regions.attrs["kerjasama"]["repairs"]
    repaired = any(m.key.startswith("repairs.boundaries.made_valid") for m in repairs)
    return not repaired and bool(shapely.is_valid(np.asarray(regions.geometry.values)).all())


def build_derived(out: Path) -> None:
    """Write ``boundaries/derived/`` for the bundled boundary file of ``out``: the national edge
    table and display geometry, computed as the app computes them."""
    from analysis import pipeline
    from geo.display import display_regions
    from kerjasama import derived

    boundaries = out / BOUNDARY_OUT
    regions = pipeline.load_regions(boundaries)
    edges = pipeline.build_adjacency(regions)
    proven = {"valid_geometry": valid_as_read(regions)}
    path = derived.write(edges, boundaries, "adjacency", derived.adjacency_parameters(), proven)
    print(f"{path}: {len(edges)} edges ({path.stat().st_size:,} bytes)")
    display = display_regions(regions)
    parameters = derived.display_parameters(regions)
    path = derived.write(display, boundaries, "display", parameters)
    print(
        f"{path}: {len(display)} regions, "
        f"{int(shapely.get_num_coordinates(display.geometry.values).sum()):,} vertices, "
        f"tolerance {parameters['tolerance']:.5f}° ({path.stat().st_size:,} bytes)"
    )


def _write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def folder_size(folder: Path) -> int:
    """Total size in bytes of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(source: Path, out: Path) -> None:
    """Build every bundled file of ``out`` from ``source`` and check the size budget."""
    regions = build_boundaries(source, out)
    build_seats(source, out, regions)
    copy_indicators(source, out, regions)
    build_derived(out)
    size = folder_size(out)
    print(f"{out}: {size:,} bytes in total (budget {SIZE_BUDGET:,})")
    if size >= SIZE_BUDGET:
        raise BuildError(f"{out} holds {size:,} bytes, over the {SIZE_BUDGET:,} budget.")


# ------------------------------------------------------------------------------ measurement


def compare_adjacency(reference: pd.DataFrame, candidate: pd.DataFrame) -> dict[str, object]:
    """How far the adjacency of a derived file is from that of the full-detail file.

    Parameters
    ----------
    reference, candidate
        Edge tables of :func:`geo.adjacency.adjacency_edges`.

    Returns
    -------
    dict
        ``land`` / ``maritime``: pair counts of the candidate; ``same_land`` / ``same_maritime``:
        whether the pair sets are identical; ``compared``: land pairs sharing at least 1 km in
        the reference; ``over_2pct``: how many of them changed their shared border by more than
        2 %; ``worst_pct``: the largest change (%); ``worst_pair``; ``max_distance_change_km``
        over the common maritime pairs.
    """

    def table(edges: pd.DataFrame, kind: str) -> pd.DataFrame:
        return edges[edges["kind"] == kind].set_index(["source", "target"])

    ref_land, cand_land = table(reference, "land"), table(candidate, "land")
    ref_sea, cand_sea = table(reference, "maritime"), table(candidate, "maritime")
    both = pd.concat(
        [ref_land["shared_border_km"], cand_land["shared_border_km"]],
        axis=1,
        keys=["reference", "candidate"],
        join="inner",
    )
    both = both[both["reference"] >= 1.0]
    rel = (both["candidate"] - both["reference"]).abs() / both["reference"]
    sea = pd.concat(
        [ref_sea["distance_km"], cand_sea["distance_km"]], axis=1, keys=["ref", "c"], join="inner"
    )
    return {
        "land": len(cand_land),
        "same_land": set(ref_land.index) == set(cand_land.index),
        "maritime": len(cand_sea),
        "same_maritime": set(ref_sea.index) == set(cand_sea.index),
        "compared": len(both),
        "over_2pct": int((rel > 0.02).sum()),
        "worst_pct": float(rel.max() * 100) if len(rel) else 0.0,
        "worst_pair": rel.idxmax() if len(rel) else None,
        "max_distance_change_km": float((sea["c"] - sea["ref"]).abs().max()) if len(sea) else 0.0,
    }


def _zip(path: Path) -> Path:
    target = path.with_name(path.name + ".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.write(path, path.name)
    return target


def measure(source: Path, work: Path) -> None:
    """Print the Markdown table of encodings and simplifications in docs/data.md."""
    from geo.adjacency import adjacency_edges
    from geo.boundaries import read_boundaries

    gdf = read_source_boundaries(source)
    full = np.asarray(gdf.geometry.values, dtype=object)
    work.mkdir(parents=True, exist_ok=True)

    def gpkg(frame, path):
        pyogrio.write_dataframe(frame, path, layer="idn_adm2", SPATIAL_INDEX="NO")
        return path

    def geojson5(frame, path):
        pyogrio.write_dataframe(frame, path, driver="GeoJSON", COORDINATE_PRECISION=5)
        return _zip(path)

    def parquet(level):
        def write(frame, path):
            write_parquet(frame, path, level)
            return path

        return write

    grid = QUANTUM_DEG
    options = [  # label, coverage-simplification tolerance, grid, writer, suffix
        ("GeoPackage, full detail (the source)", None, None, gpkg, ".gpkg"),
        ("GeoPackage, coverage-simplified 0.0002°", 0.0002, None, gpkg, ".gpkg"),
        ("GeoPackage, coverage-simplified 0.0005°", 0.0005, None, gpkg, ".gpkg"),
        ("GeoPackage, coverage-simplified 0.001°", 0.001, None, gpkg, ".gpkg"),
        ("zipped GeoJSON, 5 decimals (≈1 m), full detail", None, None, geojson5, ".geojson"),
        ("GeoParquet zstd 9, full detail, float64", None, None, parquet(9), ".parquet"),
        ("GeoParquet zstd 9, full detail, 2^-20° grid", None, grid, parquet(9), ".parquet"),
        ("GeoParquet zstd 19, full detail, 2^-20° grid", None, grid, parquet(19), ".parquet"),
        ("GeoParquet zstd 9, coverage-simplified 0.0002°, 2^-20° grid", 0.0002, grid,
         parquet(9), ".parquet"),
    ]  # fmt: skip
    reference = adjacency_edges(read_boundaries(source / BOUNDARY_SOURCE))
    print(
        "| option | size (bytes) | vertices | read (s) | land pairs same | maritime pairs same "
        "| pairs ≥ 1 km moved > 2 % | worst change |"
    )
    print("|---|---:|---:|---:|---|---|---:|---:|")
    for k, (label, tolerance, quantum, write, suffix) in enumerate(options):
        geoms = full if tolerance is None else shapely.coverage_simplify(full, tolerance)
        if quantum is not None:
            geoms = quantise(geoms, quantum)
        path = write(gdf.set_geometry(geoms), work / f"option{k}{suffix}")
        start = time.perf_counter()
        regions = read_boundaries(path)
        seconds = time.perf_counter() - start
        result = compare_adjacency(reference, adjacency_edges(regions))
        vertices = int(shapely.get_num_coordinates(geoms).sum())
        print(
            f"| {label} | {path.stat().st_size:,} | {vertices:,} | {seconds:.2f} "
            f"| {'yes' if result['same_land'] else 'no'} "
            f"| {'yes' if result['same_maritime'] else 'no'} "
            f"| {result['over_2pct']} of {result['compared']} | {result['worst_pct']:.2f} % |",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="the shared data folder (default: ../shared/data next to the repository)",
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "data", help="output folder (default: data/)"
    )
    parser.add_argument(
        "--measure",
        metavar="WORKDIR",
        type=Path,
        help="instead of building, measure the encoding options in WORKDIR (the docs table)",
    )
    parser.add_argument(
        "--derived",
        action="store_true",
        help="only rebuild boundaries/derived/ of --out from its bundled boundary file",
    )
    args = parser.parse_args(argv)
    try:
        if args.measure:
            measure(args.source, args.measure)
        elif args.derived:
            build_derived(args.out)
        else:
            build(args.source, args.out)
    except BuildError as err:
        print(f"build_default_data: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
