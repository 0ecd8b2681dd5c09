"""``kerjasama suggest``: ranked, explained 2–5-region cooperation clusters for one sector."""

from __future__ import annotations

import argparse
import sys

from common.errors import InputError
from common.text import translator
from kerjasama.commands._common import (
    add_input_args,
    add_scope_args,
    add_top_arg,
    load_scope,
    number,
)
from kerjasama.outputs import write_output


def register(subparsers, tr, parents: list) -> None:
    """Add the ``suggest`` sub-command."""
    from analysis.clusters import SCHEMA

    p = subparsers.add_parser(
        "suggest",
        help=tr("cli.suggest.help"),
        description=tr("cli.suggest.description"),
        add_help=False,
        parents=parents,
    )
    add_input_args(p, tr)
    add_scope_args(p, tr)
    group = p.add_mutually_exclusive_group()
    add_top_arg(group, tr, tr("cli.suggest.top"))
    group.add_argument("--all", action="store_true", help=tr("cli.suggest.all"))
    p.add_argument("--variants", action="store_true", help=tr("cli.suggest.variants"))
    p.add_argument("--portfolio", action="store_true", help=tr("cli.suggest.portfolio"))
    draws = SCHEMA.fields["stability_draws"]
    p.add_argument(
        "--stability",
        type=number(tr, draws.lo, draws.hi, integer=True),
        default=None,
        metavar="DRAWS",
        help=tr("cli.suggest.stability"),
    )
    p.add_argument("--out", help=tr("cli.suggest.out"))
    p.add_argument("--members-csv", help=tr("cli.suggest.members_csv"))
    p.add_argument("--regions-out", help=tr("cli.suggest.regions_out"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``kerjasama suggest``; return the exit status."""
    from analysis import pipeline
    from kerjasama.present.export import (
        MEMBERS_CSV_COLUMNS,
        candidates_to_geojson,
        members_csv,
        regions_to_geojson,
    )
    from kerjasama.present.words import explain_rows, portfolio_summary

    tr = translator(args.lang)
    if not args.out and not args.members_csv and not args.regions_out:
        raise InputError("errors.cli.nothing_to_write")
    if args.variants and (args.all or args.portfolio):
        raise InputError("errors.cli.variants_with", option="--all" if args.all else "--portfolio")

    def map_size(config, n: int) -> None:
        """Refuse a GeoJSON of more than ``[export] max_features`` candidates."""
        limit = config.export["max_features"]
        if args.out and n > limit:
            raise InputError(
                "errors.export.too_many", file=args.out, n=n, limit=limit, config=config.source
            )

    scope = load_scope(
        args,
        outputs={
            "--out": (args.out, (".geojson", ".json")),
            "--members-csv": (args.members_csv, (".csv",)),
            "--regions-out": (args.regions_out, (".geojson", ".json")),
        },
        checks=lambda config: map_size(config, args.top or 0),
    )
    config, regions, table, prepared = scope.config, scope.regions, scope.table, scope.prepared
    out, csv_out = scope.outputs["--out"], scope.outputs["--members-csv"]
    for line in scope.warnings(args.lang):
        print(line, file=sys.stderr)
    settings = config.clusters
    candidates = pipeline.score(prepared, table, args.sector, config=config)
    top = None if args.all else (args.top if args.top is not None else settings.top)
    if not args.portfolio:
        map_size(config, len(candidates) if top is None else min(top, len(candidates)))
    output, portfolio = pipeline.finalize(
        candidates,
        top=top,
        portfolio=args.portfolio,
        stability_draws=args.stability,
        stability_rows=settings.top if args.all else None,
        with_variants=args.variants,
        columns=None if out else MEMBERS_CSV_COLUMNS,
    )
    map_size(config, len(output))
    if out:
        output = explain_rows(candidates, output, args.lang)
        write_output(out, candidates_to_geojson(output, regions), "--out")
    if csv_out:
        write_output(csv_out, members_csv(output), "--members-csv")
    if scope.outputs["--regions-out"]:
        layer = regions_to_geojson(regions.loc[list(prepared.ids)])
        write_output(scope.outputs["--regions-out"], layer, "--regions-out")

    n_forms = candidates.counts()
    print(
        tr(
            "cli.suggest.summary",
            sector=args.sector,
            regions=len(prepared.ids),
            sets=prepared.n_sets,
            lo=args.min_size,
            hi=args.max_size,
            candidates=len(candidates),
            joint=n_forms.get("joint", 0),
            contract=n_forms.get("contract", 0),
            flagged=candidates.flag_count(),
            written=len(output),
        ),
        file=sys.stderr,
    )
    if prepared.seats is not None and prepared.seats.n_estimated:
        print(tr("cli.suggest.seats_estimated", n=prepared.seats.n_estimated), file=sys.stderr)
    if top is not None and not args.portfolio:
        shown = int((output["variant_of"].isna()).sum()) if len(output) else 0
        if shown < top:
            print(tr("cli.suggest.fewer", n=shown, top=top), file=sys.stderr)
    if portfolio is not None:
        print(portfolio_summary(portfolio, args.lang), file=sys.stderr)
    if scope.problems:
        print(
            tr("cli.suggest.problems", n=len(scope.problems), path=scope.indicators),
            file=sys.stderr,
        )
    if len(candidates) == 0:
        print(tr("cli.suggest.none"), file=sys.stderr)
        return 1
    if portfolio is not None and not portfolio.optimal:
        return 1
    return 0
