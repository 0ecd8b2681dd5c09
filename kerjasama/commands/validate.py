"""``kerjasama validate``: read boundaries and indicators, join them, print a data report.

Exit status: 0 clean, 1 problems that still allow work (unmatched regions, non-numeric cells,
out-of-range values...), 2 unusable input (unreadable file, a join that pairs look-alike codes
of different regions).
"""

from __future__ import annotations

import sys

from kerjasama.commands._common import add_input_args, input_paths


def register(subparsers) -> None:
    """Add the ``validate`` sub-command."""
    p = subparsers.add_parser(
        "validate",
        help="check boundaries + indicator table and the join between them",
        description=(
            "Read the boundary file and the indicator table, join them on region codes (checking "
            "that the names agree) and report matches, unmatched regions, duplicates, "
            "non-numeric cells, out-of-range values and coverage per indicator. Files default "
            "to the data folder (KERJASAMA_DATA or --data) and the names in the config's [data]."
        ),
    )
    add_input_args(p, sheet=True)
    p.add_argument(
        "--no-name-check",
        action="store_true",
        help="do not refuse a join whose matched codes carry different names",
    )
    p.add_argument("--lang", choices=("id", "en"), default="id", help="report language")
    p.set_defaults(func=run)


def run(args) -> int:
    """Validate and print the report; return the exit status."""
    from analysis.config import load_config
    from analysis.indicators import read_indicators
    from analysis.join import default_keys, join_indicators
    from geo.boundaries import read_boundaries

    config = load_config(args.config)
    boundaries, indicators = input_paths(args, config)
    regions = read_boundaries(boundaries, layer=args.layer)
    table, problems = read_indicators(indicators, sheet=args.sheet)
    bkey, ikey = default_keys(regions, table, config, args.boundary_key, args.indicator_key)
    _, report = join_indicators(
        regions,
        table,
        boundary_key=bkey,
        indicator_key=ikey,
        names=not args.no_name_check,
        config=config,
    )
    report.problems.extend(problems)
    en = args.lang == "en"
    print(f"{'Boundaries' if en else 'Batas wilayah'}: {boundaries} ({len(regions)})")
    print(f"{'Indicators' if en else 'Indikator'}: {indicators} ({len(table)})")
    for note in regions.attrs.get("kerjasama", {}).get("repairs", []):
        print(f"  {note}")
    for problem in problems:
        if problem.severity == "info":
            print(f"  {problem.message}")
    print(report.to_text(args.lang))
    sys.stdout.flush()
    return report.exit_code
