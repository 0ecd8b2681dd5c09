"""Argument wiring shared by the sub-commands that read the data folder.

``validate``, ``suggest`` and ``brief`` take the same input options and resolve them the same way;
``suggest`` and ``brief`` also share the scope options and the load → adjacency → prepare steps.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.errors import InputError
from common.text import Listing


def add_input_args(p: argparse.ArgumentParser, tr: Callable, *, sheet: bool = False) -> None:
    """Options naming the boundary file, the indicator table, the join keys and the config."""
    p.add_argument("--boundaries", help=tr("cli.args.boundaries"))
    p.add_argument("--layer", help=tr("cli.args.layer"))
    p.add_argument("--indicators", help=tr("cli.args.indicators"))
    if sheet:
        p.add_argument("--sheet", help=tr("cli.args.sheet"))
    p.add_argument("--boundary-key", help=tr("cli.args.boundary_key"))
    p.add_argument("--indicator-key", help=tr("cli.args.indicator_key"))
    p.add_argument("--data", help=tr("cli.args.data"))
    p.add_argument("--config", help=tr("cli.args.config"))


def add_scope_args(p: argparse.ArgumentParser, tr: Callable) -> None:
    """Options choosing the sector, the scope and the cluster sizes."""
    p.add_argument("--sector", required=True, help=tr("cli.args.sector"))
    p.add_argument("--province", help=tr("cli.args.province"))
    p.add_argument("--cross-province", action="store_true", help=tr("cli.args.cross_province"))
    p.add_argument("--no-maritime", action="store_true", help=tr("cli.args.no_maritime"))
    p.add_argument("--min-size", type=int, default=2, help=tr("cli.args.min_size"))
    p.add_argument("--max-size", type=int, default=5, help=tr("cli.args.max_size"))


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
        raise InputError(
            "errors.cli.output_suffix", option=what, file=out, suffixes=Listing(suffixes, last="or")
        )
    if any(out.resolve() == p.resolve() for p in inputs):
        raise InputError("errors.cli.output_is_input", option=what, file=out)
    if not out.parent.exists():
        raise InputError("errors.cli.output_folder", option=what, file=out, folder=out.parent)
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
        raise InputError("errors.cli.cross_province")
    if getattr(args, "top", None) is not None and args.top < 1:
        raise InputError("errors.cli.top", value=args.top)
    config = load_config(args.config)
    if args.sector not in config.sectors:
        raise InputError(
            "errors.cli.unknown_sector",
            sector=repr(args.sector),
            file=config.source,
            sectors=", ".join(config.sectors),
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
