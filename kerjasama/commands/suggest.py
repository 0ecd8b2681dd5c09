"""``kerjasama suggest``: ranked, explained 2–5-region cooperation clusters for one sector."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kerjasama.errors import InputError


def register(subparsers) -> None:
    """Add the ``suggest`` sub-command."""
    p = subparsers.add_parser(
        "suggest",
        help="suggest joint/contract service clusters of 2-5 neighbouring regions",
        description=(
            "List every connected cluster of 2-5 regions, score it for a joint or contract "
            "service in one sector, rank, explain and write GeoJSON and/or a members CSV. "
            "Boundaries and indicators default to the data folder (KERJASAMA_DATA or --data)."
        ),
    )
    p.add_argument("--boundaries", help="boundary file (.shp/.zip/.gpkg/.geojson)")
    p.add_argument("--layer", help="GeoPackage layer of the boundary file")
    p.add_argument("--indicators", help="indicator table (.csv/.xlsx)")
    p.add_argument("--boundary-key", help="code field of the boundary file to join on")
    p.add_argument("--indicator-key", help="code column of the indicator table to join on")
    p.add_argument("--data", help="data folder (default: KERJASAMA_DATA, then data/)")
    p.add_argument("--config", help="sector config TOML (default: the packaged sectors.toml)")
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
    group = p.add_mutually_exclusive_group()
    group.add_argument("--top", type=int, default=None, help="output the best N (default 20)")
    group.add_argument("--all", action="store_true", help="output every candidate")
    p.add_argument(
        "--portfolio",
        action="store_true",
        help="output the optimal non-overlapping set (exact MILP) instead of the top N",
    )
    p.add_argument(
        "--stability",
        type=int,
        default=None,
        metavar="DRAWS",
        help="weight draws for the stability share of the first N output rows "
        "(default from config: 200; 0 = off)",
    )
    p.add_argument("--lang", choices=("id", "en"), default="id", help="explanation language")
    p.add_argument("--out", help="write GeoJSON (RFC 7946) here")
    p.add_argument("--members-csv", help="write one row per member per candidate here")
    p.set_defaults(func=run)


def _paths(args, config) -> tuple[Path, Path]:
    from kerjasama import paths

    b = (
        Path(args.boundaries)
        if args.boundaries
        else paths.default_boundaries(args.data, config.data.boundary_file)
    )
    i = (
        Path(args.indicators)
        if args.indicators
        else paths.default_indicators(args.data, config.data.indicator_file)
    )
    return b, i


def _check_out(path: str | None, inputs: list[Path], what: str) -> Path | None:
    if not path:
        return None
    out = Path(path)
    if any(out.resolve() == p.resolve() for p in inputs):
        raise InputError(f"{what} {out} is one of the input files; choose another output path.")
    if not out.parent.exists():
        raise InputError(f"{what} {out}: folder {out.parent} does not exist; create it first.")
    return out


def run(args: argparse.Namespace) -> int:
    """Run ``kerjasama suggest``; return the exit status."""
    from analysis import pipeline
    from analysis.config import load_config
    from analysis.export import candidates_to_geojson, members_csv

    if not args.out and not args.members_csv:
        raise InputError("Nothing to write: give --out FILE.geojson and/or --members-csv FILE.csv.")
    if args.cross_province and not args.province:
        raise InputError("--cross-province needs --province (the scope to extend).")
    if args.top is not None and args.top < 1:
        raise InputError(f"--top must be at least 1, got {args.top}.")
    config = load_config(args.config)
    if args.sector not in config.sectors:
        raise InputError(
            f"Unknown sector {args.sector!r}; sectors in {config.source}: "
            f"{', '.join(config.sectors)}."
        )
    settings = pipeline.settings_of(config)
    boundaries, indicators = _paths(args, config)
    out = _check_out(args.out, [boundaries, indicators], "--out")
    csv_out = _check_out(args.members_csv, [boundaries, indicators], "--members-csv")

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
    candidates = pipeline.score(prepared, table, args.sector, config=config)
    top = None if args.all else (args.top if args.top is not None else settings.top)
    output, portfolio = pipeline.finalize(
        prepared,
        table,
        candidates,
        config=config,
        sector=args.sector,
        top=top,
        portfolio=args.portfolio,
        stability_draws=args.stability,
        stability_rows=settings.top if args.all else None,
        lang=args.lang,
        explanations=bool(out),
    )
    if out:
        out.write_text(candidates_to_geojson(output, regions), encoding="utf-8", newline="\n")
    if csv_out:
        csv_out.write_text(members_csv(output), encoding="utf-8", newline="\n")

    n_forms = candidates["form"].value_counts().to_dict() if len(candidates) else {}
    print(
        f"suggest {args.sector}: {len(prepared.ids)} regions, {prepared.n_sets} connected sets "
        f"of size {args.min_size}-{args.max_size}, {len(candidates)} candidates "
        f"(joint {n_forms.get('joint', 0)}, contract {n_forms.get('contract', 0)}); "
        f"{len(output)} written",
        file=sys.stderr,
    )
    if portfolio is not None:
        print(portfolio.summary("en"), file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} problem(s) while reading {indicators}; run `kerjasama validate` "
            "for details.",
            file=sys.stderr,
        )
    if len(candidates) == 0:
        print(
            "No cluster qualifies: lower [clusters] thresholds or check the indicator data.",
            file=sys.stderr,
        )
        return 1
    if portfolio is not None and not portfolio.optimal:
        return 1
    return 0
