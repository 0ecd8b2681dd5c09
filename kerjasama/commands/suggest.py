"""``kerjasama suggest``: ranked, explained 2–5-region cooperation clusters for one sector."""

from __future__ import annotations

import argparse
import sys

from kerjasama.commands._common import add_input_args, add_scope_args, load_scope, output_path
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
    add_input_args(p)
    add_scope_args(p)
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


def run(args: argparse.Namespace) -> int:
    """Run ``kerjasama suggest``; return the exit status."""
    from analysis import pipeline
    from analysis.export import candidates_to_geojson, members_csv

    if not args.out and not args.members_csv:
        raise InputError("Nothing to write: give --out FILE.geojson and/or --members-csv FILE.csv.")
    scope = load_scope(
        args,
        outputs={
            "--out": (args.out, (".geojson", ".json")),
            "--members-csv": (args.members_csv, (".csv",)),
        },
    )
    config, regions, table, prepared = scope.config, scope.regions, scope.table, scope.prepared
    inputs = [scope.boundaries, scope.indicators]
    out = output_path(args.out, inputs, "--out")
    csv_out = output_path(args.members_csv, inputs, "--members-csv")
    settings = pipeline.settings_of(config)
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
    if scope.problems:
        print(
            f"{len(scope.problems)} problem(s) while reading {scope.indicators}; "
            "run `kerjasama validate` for details.",
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
