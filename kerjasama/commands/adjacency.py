"""``kerjasama adjacency``: the neighbour table (land and maritime links) of a boundary file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.adjacency import COLUMNS, DEFAULT_MARITIME_KM, DEFAULT_TOLERANCE_M, adjacency_edges
from geo.boundaries import read_boundaries
from kerjasama.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``adjacency`` sub-command."""
    parser = subparsers.add_parser(
        "adjacency",
        help="write the neighbour table (land and maritime links) of a boundary file as CSV",
        description=(
            "Read kab/kota boundaries and write one CSV row per pair of neighbours: "
            "source,target,kind,shared_border_km,distance_km (kind = land or maritime)."
        ),
    )
    parser.add_argument("boundaries", metavar="BOUNDARIES", help=".shp, .zip, .gpkg or .geojson")
    parser.add_argument("--layer", help="GeoPackage layer (when the file has several)")
    parser.add_argument("--id-field", help="field holding the region code (default: detected)")
    parser.add_argument("--name-field", help="field holding the region name (default: detected)")
    parser.add_argument(
        "--rook", action="store_true", help="require a shared border, not just a touching point"
    )
    parser.add_argument(
        "--tolerance-m",
        type=float,
        default=DEFAULT_TOLERANCE_M,
        help=(
            "gaps up to this many metres still count as a land border "
            f"(default {DEFAULT_TOLERANCE_M:g})"
        ),
    )
    parser.add_argument(
        "--maritime-km",
        type=float,
        default=DEFAULT_MARITIME_KM,
        help=(
            "link regions without a land border whose coasts are this close; 0 disables "
            f"maritime links (default {DEFAULT_MARITIME_KM:g})"
        ),
    )
    parser.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute the edge table and write it as CSV; notes and repairs go to stderr."""
    if args.tolerance_m < 0:
        raise InputError(f"--tolerance-m must be 0 or more, got {args.tolerance_m:g}.")
    if args.maritime_km < 0:
        raise InputError(f"--maritime-km must be 0 or more, got {args.maritime_km:g}.")
    regions = read_boundaries(
        args.boundaries, layer=args.layer, id_field=args.id_field, name_field=args.name_field
    )
    meta = regions.attrs.get("kerjasama", {})
    for note in meta.get("repairs", []):
        print(f"note: {note}", file=sys.stderr)
    edges = adjacency_edges(
        regions,
        rook=args.rook,
        tolerance_m=args.tolerance_m,
        maritime_km=args.maritime_km or None,
    )
    counts = edges["kind"].value_counts()
    print(
        f"{len(regions)} regions (code field '{meta.get('id_field')}'): "
        f"{int(counts.get('land', 0))} land and {int(counts.get('maritime', 0))} maritime links",
        file=sys.stderr,
    )
    out = edges[COLUMNS]
    if args.out is not None:
        if args.out.resolve() == Path(args.boundaries).resolve():
            raise InputError(f"--out {args.out} is the input file; choose another name.")
        try:
            out.to_csv(args.out, index=False, float_format="%.3f", lineterminator="\n")
        except OSError as err:
            raise InputError(f"cannot write {args.out}: {err.strerror}.") from None
    else:
        out.to_csv(sys.stdout, index=False, float_format="%.3f", lineterminator="\n")
    return 0
