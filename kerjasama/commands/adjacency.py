"""``kerjasama adjacency``: the neighbour table (land and maritime links) of a boundary file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from common.text import translator
from geo.adjacency import (
    COLUMNS,
    DEFAULT_MARITIME_KM,
    DEFAULT_TOLERANCE_M,
    MAX_MARITIME_KM,
    MAX_TOLERANCE_M,
    adjacency_edges,
)
from geo.boundaries import read_boundaries
from kerjasama.commands._common import number
from kerjasama.outputs import check_output, write_output


def register(subparsers: argparse._SubParsersAction, tr: Callable, parents: list) -> None:
    """Add the ``adjacency`` sub-command."""
    parser = subparsers.add_parser(
        "adjacency",
        help=tr("cli.adjacency.help"),
        description=tr("cli.adjacency.description"),
        add_help=False,
        parents=parents,
    )
    parser.add_argument("boundaries", metavar="BOUNDARIES", help=tr("cli.adjacency.boundaries"))
    parser.add_argument("--layer", help=tr("cli.adjacency.layer"))
    parser.add_argument("--id-field", help=tr("cli.adjacency.id_field"))
    parser.add_argument("--name-field", help=tr("cli.adjacency.name_field"))
    parser.add_argument("--rook", action="store_true", help=tr("cli.adjacency.rook"))
    parser.add_argument(
        "--tolerance-m",
        type=number(tr, 0, MAX_TOLERANCE_M),
        default=DEFAULT_TOLERANCE_M,
        help=tr("cli.adjacency.tolerance_m", default=DEFAULT_TOLERANCE_M),
    )
    parser.add_argument(
        "--maritime-km",
        type=number(tr, 0, MAX_MARITIME_KM),
        default=DEFAULT_MARITIME_KM,
        help=tr("cli.adjacency.maritime_km", default=DEFAULT_MARITIME_KM),
    )
    parser.add_argument("--out", help=tr("cli.adjacency.out"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute the edge table and write it as CSV; notes and repairs go to stderr."""
    tr = translator(args.lang)
    out_path = check_output(args.out, "--out", [args.boundaries])
    regions = read_boundaries(
        args.boundaries, layer=args.layer, id_field=args.id_field, name_field=args.name_field
    )
    meta = regions.attrs.get("kerjasama", {})
    for note in meta.get("repairs", []):
        print(tr("cli.note", note=note.render(args.lang)), file=sys.stderr)
    edges = adjacency_edges(
        regions,
        rook=args.rook,
        tolerance_m=args.tolerance_m,
        maritime_km=args.maritime_km or None,
    )
    counts = edges["kind"].value_counts()
    print(
        tr(
            "cli.adjacency.summary",
            n=len(regions),
            field=meta.get("id_field"),
            land=int(counts.get("land", 0)),
            maritime=int(counts.get("maritime", 0)),
        ),
        file=sys.stderr,
    )
    text = edges[COLUMNS].to_csv(index=False, float_format="%.3f", lineterminator="\n")
    if out_path is not None:
        write_output(out_path, text, "--out")
    else:
        sys.stdout.write(text)
    return 0
