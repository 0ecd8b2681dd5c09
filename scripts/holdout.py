"""Assign the fixed, seeded hold-out third of the documented arrangements.

The backtest (issue 11) reports the hold-out rows separately; nobody tunes the model on them.
Rows are assigned per batch (``data/arrangements/holdout_batches.csv`` says in which batch each
row was added), so adding a batch never changes the assignment of earlier rows. Within a batch,
rows are stratified by sector: for each sector (in sorted order) the row ids are sorted, shuffled
with ``numpy.random.default_rng([SEED, batch])`` and the first ``round(n / 3)`` are held out.

Usage::

    python scripts/holdout.py           # rewrite the holdout column of arrangements.csv
    python scripts/holdout.py --check   # exit 1 if the column is not what this script assigns
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

SEED = 20261201
ROOT = Path(__file__).resolve().parent.parent
ARRANGEMENTS = ROOT / "data" / "arrangements" / "arrangements.csv"
BATCHES = ROOT / "data" / "arrangements" / "holdout_batches.csv"


def held_out_count(n: int) -> int:
    """``round(n / 3)`` with halves rounded up (1 -> 0, 2 -> 1, 4 -> 1, 5 -> 2)."""
    return (2 * n + 3) // 6


def assign_holdout(sectors: dict[str, str], batches: dict[str, int]) -> dict[str, bool]:
    """Hold-out flag per arrangement id.

    Parameters
    ----------
    sectors
        Sector of each arrangement, keyed by id.
    batches
        Batch number of each arrangement, keyed by id; must cover exactly the same ids.

    Returns
    -------
    dict
        ``True`` for held-out ids, ``False`` otherwise, keyed by id.
    """
    if set(sectors) != set(batches):
        missing = sorted(set(sectors) - set(batches))
        unknown = sorted(set(batches) - set(sectors))
        raise ValueError(f"batch list does not match the arrangements: {missing=} {unknown=}")
    groups: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ident, sector in sectors.items():
        groups[batches[ident]][sector].append(ident)
    held = dict.fromkeys(sectors, False)
    for batch in sorted(groups):
        rng = np.random.default_rng([SEED, batch])
        for sector in sorted(groups[batch]):
            ids = sorted(groups[batch][sector])
            order = rng.permutation(len(ids))
            for i in order[: held_out_count(len(ids))]:
                held[ids[i]] = True
    return held


def read_batches(path: Path) -> dict[str, int]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["id"]: int(row["batch"]) for row in csv.DictReader(f)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=ARRANGEMENTS)
    parser.add_argument("--batches", type=Path, default=BATCHES)
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)

    with args.csv.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    held = assign_holdout({r["id"]: r["sector"] for r in rows}, read_batches(args.batches))
    wanted = ["true" if held[r["id"]] else "false" for r in rows]
    if args.check:
        wrong = [r["id"] for r, w in zip(rows, wanted, strict=True) if r["holdout"] != w]
        if wrong:
            print(f"holdout column differs for: {', '.join(wrong)}", file=sys.stderr)
            return 1
        return 0
    for row, value in zip(rows, wanted, strict=True):
        row["holdout"] = value
    with args.csv.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{sum(held.values())} of {len(rows)} arrangements held out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
