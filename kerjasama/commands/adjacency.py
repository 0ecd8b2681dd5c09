"""``kerjasama adjacency``: the neighbour table (land and maritime links) of a boundary file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import pandas as pd

from common.spreadsheet import neutralise
from common.text import Listing, translator
from geo.adjacency import (
    COLUMNS,
    DEFAULT_MARITIME_KM,
    DEFAULT_TOLERANCE_M,
    MAX_MARITIME_KM,
    MAX_TOLERANCE_M,
    adjacency_edges,
)
from geo.boundaries import read_boundaries
from kerjasama.commands._common import (
    add_boundary_args,
    boundary_notes,
    boundary_options,
    input_files,
    number,
)
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
    add_boundary_args(parser, tr)
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


def with_names(edges: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """The edge table with ``source_name`` and ``target_name`` after the codes."""
    names = regions["name"].astype(str).map(neutralise)
    out = edges.copy()
    out.insert(1, "source_name", edges["source"].map(names).to_numpy())
    out.insert(3, "target_name", edges["target"].map(names).to_numpy())
    return out


def adjacency_summary(
    regions: pd.DataFrame, edges: pd.DataFrame, maritime_km: float, lang: str
) -> list[str]:
    """Lines a planner should check: regions with no neighbour at all, and the sea links made
    by the nearest-region rule because nothing was within ``maritime_km``."""
    tr = translator(lang)
    names = regions["name"].astype(str)
    linked = set(edges["source"]) | set(edges["target"])
    lonely = [f"{c} {names[c]}" for c in regions.index if c not in linked]
    out = []
    if lonely:
        out.append(tr("cli.adjacency.isolated", n=len(lonely), regions=Listing(lonely, limit=20)))
    far = edges[(edges["kind"] == "maritime") & (edges["distance_km"] > (maritime_km or 0))]
    if maritime_km and len(far):
        far = far.sort_values(["distance_km", "source", "target"], ascending=[False, True, True])
        links = [
            tr(
                "cli.adjacency.long_link",
                a=names[r.source],
                b=names[r.target],
                km=float(r.distance_km),
            )
            for r in far.itertuples(index=False)
        ]
        out.append(
            tr(
                "cli.adjacency.long_links",
                n=len(links),
                km=maritime_km,
                links=Listing(links, limit=20),
            )
        )
    return out


def run(args: argparse.Namespace) -> int:
    """Compute the edge table and write it as CSV; notes and repairs go to stderr."""
    tr = translator(args.lang)
    out_path = check_output(args.out, "--out", input_files(args.boundaries))
    regions = read_boundaries(args.boundaries, **boundary_options(args))
    meta = regions.attrs.get("kerjasama", {})
    for line in boundary_notes(regions, args.lang, fields=True):
        print(line, file=sys.stderr)
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
            field=meta.get("id_field") or meta.get("name_field"),
            land=int(counts.get("land", 0)),
            maritime=int(counts.get("maritime", 0)),
        ),
        file=sys.stderr,
    )
    for line in adjacency_summary(regions, edges, args.maritime_km, args.lang):
        print(line, file=sys.stderr)
    out = with_names(edges[COLUMNS], regions)
    text = out.to_csv(index=False, float_format="%.3f", lineterminator="\n")
    if out_path is not None:
        write_output(out_path, text, "--out")
    else:
        sys.stdout.write(text)
    return 0
