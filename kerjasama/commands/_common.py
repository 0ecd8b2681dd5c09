"""Argument wiring shared by the sub-commands that read the data folder.

``validate``, ``suggest`` and ``brief`` take the same input options and resolve them the same way;
``suggest`` and ``brief`` also share the scope options and the load → adjacency → prepare steps.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerjasama.errors import InputError


def add_input_args(p: argparse.ArgumentParser, *, sheet: bool = False) -> None:
    """Options naming the boundary file, the indicator table, the join keys and the config."""
    p.add_argument("--boundaries", help="boundary file (.shp/.zip/.gpkg/.geojson)")
    p.add_argument("--layer", help="GeoPackage layer of the boundary file")
    p.add_argument("--indicators", help="indicator table (.csv/.xlsx)")
    if sheet:
        p.add_argument("--sheet", help="sheet of an .xlsx indicator table (default: the first)")
    p.add_argument("--boundary-key", help="code field of the boundary file to join on")
    p.add_argument("--indicator-key", help="code column of the indicator table to join on")
    p.add_argument("--data", help="data folder (default: KERJASAMA_DATA, then data/)")
    p.add_argument("--config", help="sector config TOML (default: the packaged sectors.toml)")


def add_scope_args(p: argparse.ArgumentParser) -> None:
    """Options choosing the sector, the scope and the cluster sizes."""
    p.add_argument(
        "--sector", required=True, help="sector id, e.g. water (see `kerjasama sectors`)"
    )
    p.add_argument("--province", help="province code of the scope (default: every region)")
    p.add_argument(
        "--cross-province",
        action="store_true",
        help="also use neighbours across the provincial line (needs --province)",
    )
    p.add_argument("--no-maritime", action="store_true", help="use land borders only")
    p.add_argument("--min-size", type=int, default=2, help="smallest cluster (2-5, default 2)")
    p.add_argument("--max-size", type=int, default=5, help="largest cluster (2-5, default 5)")


def input_paths(args: argparse.Namespace, config: Any) -> tuple[Path, Path]:
    """The boundary and indicator files: as given, else the data folder's defaults."""
    from kerjasama import paths

    boundaries = (
        Path(args.boundaries)
        if args.boundaries
        else paths.default_boundaries(args.data, config.data.boundary_file)
    )
    indicators = (
        Path(args.indicators)
        if args.indicators
        else paths.default_indicators(args.data, config.data.indicator_file)
    )
    return boundaries, indicators


def output_path(
    path: str | None, inputs: list[Path], what: str, suffixes: tuple[str, ...] = ()
) -> Path | None:
    """Check an output path: right suffix, not an input file, existing folder."""
    if not path:
        return None
    out = Path(path)
    if suffixes and out.suffix.lower() not in suffixes:
        raise InputError(f"{what} {out}: the file name must end in {' or '.join(suffixes)}.")
    if any(out.resolve() == p.resolve() for p in inputs):
        raise InputError(f"{what} {out} is one of the input files; choose another output path.")
    if not out.parent.exists():
        raise InputError(f"{what} {out}: folder {out.parent} does not exist; create it first.")
    return out


@dataclass(frozen=True)
class Scope:
    """Everything ``suggest`` and ``brief`` compute before scoring."""

    config: Any
    boundaries: Path
    indicators: Path
    regions: Any
    table: Any
    problems: list
    prepared: Any


def load_scope(args: argparse.Namespace, *, outputs: dict[str, tuple] | None = None) -> Scope:
    """Validate the scope options, then read, join, build adjacency and enumerate the sets.

    ``outputs`` maps an option name (``"--out"``) to ``(value, suffixes)``; each is checked
    before any heavy work so a typo fails fast.
    """
    from analysis import pipeline
    from analysis.config import load_config

    if args.cross_province and not args.province:
        raise InputError("--cross-province needs --province (the scope to extend).")
    if getattr(args, "top", None) is not None and args.top < 1:
        raise InputError(f"--top must be at least 1, got {args.top}.")
    config = load_config(args.config)
    if args.sector not in config.sectors:
        raise InputError(
            f"Unknown sector {args.sector!r}; sectors in {config.source}: "
            f"{', '.join(config.sectors)}."
        )
    boundaries, indicators = input_paths(args, config)
    for name, (value, suffixes) in (outputs or {}).items():
        output_path(value, [boundaries, indicators], name, suffixes)
    regions = pipeline.load_regions(boundaries, layer=args.layer)
    table, _report, problems = pipeline.load_table(
        indicators, regions, args.boundary_key, args.indicator_key, config
    )
    edges = pipeline.build_adjacency(regions, maritime_km=0 if args.no_maritime else None)
    prepared = pipeline.prepare(
        regions,
        edges,
        province=args.province,
        cross_province=args.cross_province,
        maritime=not args.no_maritime,
        min_size=args.min_size,
        max_size=args.max_size,
    )
    return Scope(config, boundaries, indicators, regions, table, problems, prepared)
