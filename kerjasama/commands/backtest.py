"""``kerjasama backtest``: how high the model ranks documented, real arrangements (issue 11).

Runs the protocol of ``docs/model.md``: national scope, default options; the model, the need-only
weights and the gravity-only baseline in one run; per sector and overall; training rows, hold-out
rows and all rows. ``--tune`` runs the tuning procedure on the training rows only and prints the
tuned weights (and no hold-out figure).
"""

from __future__ import annotations

import argparse
import sys

from common.spreadsheet import neutralise
from common.text import translator
from kerjasama.commands._common import (
    add_input_args,
    boundary_options,
    input_files,
    input_paths,
    load_table,
)
from kerjasama.outputs import check_output


def register(subparsers, tr, parents: list) -> None:
    """Add the ``backtest`` sub-command."""
    p = subparsers.add_parser(
        "backtest",
        help=tr("cli.backtest.help"),
        description=tr("cli.backtest.description"),
        add_help=False,
        parents=parents,
    )
    add_input_args(p, tr)
    p.add_argument("--arrangements", help=tr("cli.backtest.arrangements"))
    p.add_argument("--out", help=tr("cli.backtest.out"))
    p.add_argument("--tune", action="store_true", help=tr("cli.backtest.tune"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``kerjasama backtest``; return the exit status."""
    from analysis import backtest as bt
    from analysis import pipeline
    from analysis.config import load_config
    from kerjasama.outputs import write_output
    from kerjasama.present.words import backtest_text, weights_toml

    tr = translator(args.lang)
    config = load_config(args.config)
    boundaries, indicators = input_paths(args, config)
    arrangements = args.arrangements or bt.ARRANGEMENTS_CSV
    inputs = input_files(boundaries, indicators, config.source, arrangements, config=config)
    out = check_output(args.out, "--out", inputs, (".csv",))
    items = bt.read_arrangements(args.arrangements)
    bt.check_arrangements(
        items, list(config.sectors), arrangements, config.source, training=args.tune
    )
    regions = pipeline.load_regions(boundaries, **boundary_options(args))
    table, _, _ = load_table(args, indicators, regions, config)
    edges = pipeline.build_adjacency(regions)
    seats = pipeline.load_seats(regions, None, config)
    prepared = pipeline.prepare(regions, edges, seats=seats)
    if args.tune:
        training = [a for a in items if not a.holdout]
        _, scored, located = pipeline.backtest(
            prepared, table, config=config, arrangements=training, models=("model",)
        )
        weights, best, log = bt.tune(scored, located, config.clusters.weights)
        for line in log:
            print(line, file=sys.stderr)
        print(tr("cli.backtest.tuned", median=best[0], mean_log=best[1], n=len(training)))
        print(weights_toml(weights), end="")
        return 0
    results, _, _ = pipeline.backtest(prepared, table, config=config, arrangements=items)
    if out:
        text = results.assign(
            id=results["id"].map(neutralise), sector=results["sector"].map(neutralise)
        )
        write_output(out, text.to_csv(index=False, lineterminator="\n"), "--out")
    print(backtest_text(results, bt.summary(results), args.lang), end="")
    if seats.n_estimated:
        print(tr("cli.suggest.seats_estimated", n=seats.n_estimated), file=sys.stderr)
    return 0
