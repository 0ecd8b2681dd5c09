"""Argument wiring shared by the sub-commands that read the data folder.

``validate``, ``suggest`` and ``brief`` take the same input options and resolve them the same way;
``suggest`` and ``brief`` also share the scope options and the load → adjacency → prepare steps.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.errors import InputError
from common.text import translator
from kerjasama.outputs import check_output

#: Rows for ``--top`` (the members CSV may hold many; GeoJSON has its own limit).
TOP_RANGE = (1, 100_000)


def number(tr: Callable, lo: float, hi: float, *, integer: bool = False) -> Callable[[str], float]:
    """An argparse ``type=``: a finite number in ``[lo, hi]`` (a whole one when ``integer``).

    A value outside is refused by argparse with exit 2 and the allowed range, before any data is
    read (``inf``, ``nan``, ``1e9`` and ``2.5`` for a count included).
    """

    lo_shown, hi_shown = (int(v) if float(v).is_integer() else v for v in (lo, hi))

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        whole = math.isfinite(value) and value.is_integer()
        if not (math.isfinite(value) and lo <= value <= hi) or (integer and not whole):
            key = "cli.option_range_int" if integer else "cli.option_range"
            raise argparse.ArgumentTypeError(tr(key, value=text, lo=lo_shown, hi=hi_shown))
        return int(value) if integer else value

    parse.__name__ = "int" if integer else "float"
    return parse


def add_boundary_args(p: argparse.ArgumentParser, tr: Callable) -> None:
    """Options on how to read a boundary file: its code and name fields, non-region features."""
    p.add_argument("--id-field", help=tr("cli.args.id_field"))
    p.add_argument("--name-field", help=tr("cli.args.name_field"))
    p.add_argument("--keep-non-regions", action="store_true", help=tr("cli.args.keep_non_regions"))


def add_input_args(p: argparse.ArgumentParser, tr: Callable, *, sheet: bool = False) -> None:
    """Options naming the boundary file, the indicator table, the join keys and the config."""
    p.add_argument("--boundaries", help=tr("cli.args.boundaries"))
    p.add_argument("--layer", help=tr("cli.args.layer"))
    add_boundary_args(p, tr)
    p.add_argument("--indicators", help=tr("cli.args.indicators"))
    if sheet:
        p.add_argument("--sheet", help=tr("cli.args.sheet"))
    p.add_argument("--boundary-key", help=tr("cli.args.boundary_key"))
    p.add_argument("--indicator-key", help=tr("cli.args.indicator_key"))
    p.add_argument("--indicator-name", help=tr("cli.args.indicator_name"))
    p.add_argument("--no-name-check", action="store_true", help=tr("cli.args.no_name_check"))
    p.add_argument("--data", help=tr("cli.args.data"))
    p.add_argument("--config", help=tr("cli.args.config"))


def boundary_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`geo.boundaries.read_boundaries` given on the command line."""
    return {
        "layer": args.layer,
        "id_field": args.id_field,
        "name_field": args.name_field,
        "keep_non_regions": args.keep_non_regions,
    }


def boundary_notes(regions: Any, lang: str, *, fields: bool = False) -> list[str]:
    """Lines on how a boundary file was read (notes and warnings), for stderr."""
    from kerjasama.present.words import boundary_messages

    tr = translator(lang)
    return [
        tr("cli.warning", message=m.render(lang))
        if level == "warning"
        else tr("cli.note", note=m.render(lang))
        for level, m in boundary_messages(regions, fields=fields)
    ]


def add_scope_args(p: argparse.ArgumentParser, tr: Callable) -> None:
    """Options choosing the sector, the scope and the cluster sizes."""
    from analysis.candidates import MAX_SIZE, MIN_SIZE

    size = number(tr, MIN_SIZE, MAX_SIZE, integer=True)
    p.add_argument("--sector", required=True, help=tr("cli.args.sector"))
    p.add_argument("--province", help=tr("cli.args.province"))
    p.add_argument("--cross-province", action="store_true", help=tr("cli.args.cross_province"))
    p.add_argument("--no-maritime", action="store_true", help=tr("cli.args.no_maritime"))
    p.add_argument("--min-size", type=size, default=MIN_SIZE, help=tr("cli.args.min_size"))
    p.add_argument("--max-size", type=size, default=MAX_SIZE, help=tr("cli.args.max_size"))
    p.add_argument(
        "--voluntary-km",
        type=number(tr, 0, 1000),
        default=None,
        metavar="KM",
        help=tr("cli.args.voluntary_km"),
    )


def add_top_arg(p: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup, tr, help: str):
    """``--top N``: a whole number in :data:`TOP_RANGE`."""
    p.add_argument("--top", type=number(tr, *TOP_RANGE, integer=True), default=None, help=help)


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


def input_files(boundaries: Path, *others: Path | str | None, config: Any = None) -> list[Path]:
    """Every file of the input datasets, for :func:`kerjasama.outputs.check_output`: the boundary
    file with the seat tables that would be read with it (existing or not: an output written
    there would be read as seats next time), and ``others`` (indicators, config, ...)."""
    from analysis.config import DataDefaults
    from geo.seats import seat_table_candidates

    fallback = config.data.seats_file if config is not None else DataDefaults().seats_file
    seats = seat_table_candidates(boundaries, fallback)
    return [Path(p) for p in (boundaries, *seats, *others) if p]


def load_table(args: argparse.Namespace, indicators: Path, regions: Any, config: Any):
    """:func:`analysis.pipeline.load_table` with the join options given on the command line
    (keys, indicator name column, ``--no-name-check``)."""
    from analysis import pipeline

    return pipeline.load_table(
        indicators,
        regions,
        args.boundary_key,
        args.indicator_key,
        config,
        indicator_name=args.indicator_name,
        names=not args.no_name_check,
    )


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
    outputs: dict[str, Path | None]
    report: Any = None
    edges: Any = None

    def warnings(self, lang: str) -> list[str]:
        """Lines for stderr: how the boundaries were read, regions of the scope without data,
        and a join that was made on names or without a name check."""
        from kerjasama.present.words import join_messages, unmatched_in_scope

        warn = translator(lang)
        lines = boundary_notes(self.regions, lang)
        messages = join_messages(self.report)
        missing = unmatched_in_scope(self.report, self.prepared.ids)
        if missing is not None:
            messages.append(missing)
        return lines + [warn("cli.warning", message=m.render(lang)) for m in messages]


def load_scope(
    args: argparse.Namespace,
    *,
    outputs: dict[str, tuple] | None = None,
    checks: Callable[[Any], None] | None = None,
) -> Scope:
    """Validate the scope options, then read, join, build adjacency and enumerate the sets.

    ``outputs`` maps an option name (``"--out"``) to ``(value, suffixes)``; each is checked
    (:func:`kerjasama.outputs.check_output`: suffix, folder, not part of an input dataset) before
    any data is read, and returned in ``Scope.outputs``. ``checks(config)`` runs then too
    (command-specific option checks that need the config).
    """
    from analysis import pipeline
    from analysis.candidates import check_sizes
    from analysis.config import load_config

    if args.cross_province and not args.province:
        raise InputError("errors.cli.cross_province")
    check_sizes(args.min_size, args.max_size)
    config = load_config(args.config)
    if args.sector not in config.sectors:
        raise InputError(
            "errors.cli.unknown_sector",
            sector=repr(args.sector),
            file=config.source,
            sectors=", ".join(config.sectors),
        )
    boundaries, indicators = input_paths(args, config)
    inputs = input_files(boundaries, indicators, config.source, config=config)
    checked = {
        name: check_output(value, name, inputs, suffixes)
        for name, (value, suffixes) in (outputs or {}).items()
    }
    if checks is not None:
        checks(config)
    maritime_km = 0 if args.no_maritime else None
    if args.province:  # read and link only around the province
        regions, edges = pipeline.load_scope_regions(
            boundaries,
            args.province,
            cross_province=args.cross_province,
            maritime_km=maritime_km,
            **boundary_options(args),
        )
    else:
        regions = pipeline.load_regions(boundaries, **boundary_options(args))
        edges = None
    table, report, problems = load_table(args, indicators, regions, config)
    if edges is None:
        edges = pipeline.build_adjacency(regions, maritime_km=maritime_km)
    seats = pipeline.load_seats(regions, None, config)
    prepared = pipeline.prepare(
        regions,
        edges,
        province=args.province,
        cross_province=args.cross_province,
        maritime=not args.no_maritime,
        min_size=args.min_size,
        max_size=args.max_size,
        seats=seats,
        voluntary_km=args.voluntary_km,
    )
    return Scope(
        config, boundaries, indicators, regions, table, problems, prepared, checked, report, edges
    )
