"""``kerjasama sectors``: list the sectors of the config with their terms, units and years."""

from __future__ import annotations


def register(subparsers, tr, parents: list) -> None:
    """Add the ``sectors`` sub-command."""
    p = subparsers.add_parser(
        "sectors",
        help=tr("cli.sectors.help"),
        description=tr("cli.sectors.description"),
        add_help=False,
        parents=parents,
    )
    p.add_argument("--config", help=tr("cli.args.config"))
    p.set_defaults(func=run)


def run(args) -> int:
    """Print the sectors; return 0."""
    from analysis.config import load_config
    from kerjasama.present.words import sector_listing

    print(sector_listing(load_config(args.config), args.lang), end="")
    return 0
