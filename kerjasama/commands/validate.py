"""``kerjasama validate``: read boundaries and indicators, join them, print a data report.

Exit status: 0 clean, 1 problems that still allow work (unmatched regions, non-numeric cells,
out-of-range values...), 2 unusable input (unreadable file, a join that pairs look-alike codes
of different regions).
"""

from __future__ import annotations

import sys

from kerjasama.commands._common import add_input_args, boundary_options, input_paths


def register(subparsers, tr, parents: list) -> None:
    """Add the ``validate`` sub-command."""
    p = subparsers.add_parser(
        "validate",
        help=tr("cli.validate.help"),
        description=tr("cli.validate.description"),
        add_help=False,
        parents=parents,
    )
    add_input_args(p, tr, sheet=True)
    p.set_defaults(func=run)


def run(args) -> int:
    """Validate and print the report; return the exit status."""
    from analysis.config import load_config
    from analysis.indicators import Problem, read_indicators
    from analysis.join import default_keys, join_indicators
    from geo.boundaries import read_boundaries
    from kerjasama.present.words import validation_text

    config = load_config(args.config)
    boundaries, indicators = input_paths(args, config)
    regions = read_boundaries(boundaries, **boundary_options(args))
    table, problems = read_indicators(indicators, sheet=args.sheet)
    bkey, ikey = default_keys(regions, table, config, args.boundary_key, args.indicator_key)
    _, report = join_indicators(
        regions,
        table,
        boundary_key=bkey,
        indicator_key=ikey,
        indicator_name=args.indicator_name,
        names=not args.no_name_check,
        config=config,
    )
    report.problems.extend(problems)
    if regions.attrs.get("kerjasama", {}).get("set_aside") is not None:
        report.problems.append(
            Problem("warning", regions.attrs["kerjasama"]["set_aside"])  # listed, exit 1
        )
    print(validation_text(boundaries, regions, indicators, table, problems, report, args.lang))
    sys.stdout.flush()
    return report.exit_code
