"""Every connected set of 2–5 regions in an adjacency graph.

The enumeration grows sets level by level, vectorised with numpy: every connected set of size
``k + 1`` contains a connected subset of size ``k`` (remove a non-cut vertex, e.g. a leaf of a
spanning tree), so extending every connected ``k``-set by every neighbour of every member and
dropping duplicates yields *all* connected ``(k + 1)``-sets — a complete method. Duplicates are
removed through an exact integer key (the combinatorial number system) when it fits in 64 bits,
else through ``np.unique(axis=0)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb

import numpy as np
import pandas as pd

from common.errors import InputError

MIN_SIZE = 2
MAX_SIZE = 5
#: Default limit of sets per size level (about 0.2 GB per million 5-sets while growing).
MAX_SETS = 4_000_000
EDGE_COLUMNS = ("source", "target", "kind")


def check_sizes(min_size: int, max_size: int) -> None:
    """Refuse sizes outside ``MIN_SIZE <= min_size <= max_size <= MAX_SIZE`` (InputError)."""
    if not (MIN_SIZE <= min_size <= max_size <= MAX_SIZE):
        raise InputError(
            "errors.clusters.sizes", lo=MIN_SIZE, hi=MAX_SIZE, min=min_size, max=max_size
        )


def edge_positions(
    edges: pd.DataFrame, ids: Sequence[str], *, kinds: Sequence[str] = ("land", "maritime")
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions (into sorted ``ids``) of the edges of the given kinds inside ``ids``.

    Returns
    -------
    (u, v, rows)
        ``u < v`` positions and the row numbers of those edges in ``edges``; edges with an end
        outside ``ids`` are not part of the induced subgraph and are left out.
    """
    missing = [c for c in EDGE_COLUMNS if c not in edges.columns]
    if missing:
        raise InputError("errors.adjacency.edge_columns", columns=", ".join(missing))
    sorted_ids = np.asarray(sorted(map(str, ids)), dtype=object)
    src = edges["source"].astype(str).to_numpy(dtype=object)
    tgt = edges["target"].astype(str).to_numpy(dtype=object)
    keep = edges["kind"].isin(list(kinds)).to_numpy().copy()
    if len(sorted_ids) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    a = np.searchsorted(sorted_ids, src)
    b = np.searchsorted(sorted_ids, tgt)
    a_ok = (a < len(sorted_ids)) & (sorted_ids[np.minimum(a, len(sorted_ids) - 1)] == src)
    b_ok = (b < len(sorted_ids)) & (sorted_ids[np.minimum(b, len(sorted_ids) - 1)] == tgt)
    keep &= a_ok & b_ok & (a != b)
    rows = np.flatnonzero(keep)
    u = np.minimum(a[rows], b[rows]).astype(np.int64)
    v = np.maximum(a[rows], b[rows]).astype(np.int64)
    return u, v, rows


def csr_adjacency(u: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric CSR adjacency (``indptr``, ``indices``) of ``n`` vertices, neighbours sorted."""
    a = np.concatenate([u, v])
    b = np.concatenate([v, u])
    key = np.unique(a * n + b)
    a, b = key // n, key % n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=indptr[1:])
    return indptr, b.astype(np.int64)


def _comb_table(n: int, k: int) -> np.ndarray:
    """``table[j, x] = C(x, j + 1)`` for x < n, as int64 (caller checks it fits)."""
    x = np.arange(n, dtype=object)
    return np.array([[comb(int(xi), j + 1) for xi in x] for j in range(k)], dtype=np.int64)


def _dedupe(rows: np.ndarray, table: np.ndarray | None) -> np.ndarray:
    """Unique sorted rows (each row already sorted ascending)."""
    if len(rows) == 0:
        return rows
    if table is None:
        return np.unique(rows, axis=0)
    key = np.zeros(len(rows), dtype=np.int64)
    for j in range(rows.shape[1]):
        key += table[j, rows[:, j]]
    _, first = np.unique(key, return_index=True)
    return rows[first]


def _grow(sets: np.ndarray, indptr: np.ndarray, indices: np.ndarray, table) -> np.ndarray:
    """All connected sets one larger than the connected ``sets`` (m, k)."""
    m, k = sets.shape
    if m == 0:
        return np.zeros((0, k + 1), dtype=sets.dtype)
    out = []
    # Chunk so the intermediate (rows x degree) arrays stay small.
    deg_total = (indptr[sets + 1] - indptr[sets]).sum(axis=1)
    budget = 1_000_000  # rows x degree per block: about 100 MB of temporaries
    starts = [0]
    acc = np.cumsum(deg_total)
    while starts[-1] < m:
        base = acc[starts[-1] - 1] if starts[-1] > 0 else 0
        end = int(np.searchsorted(acc, base + budget, side="right"))
        starts.append(max(end, starts[-1] + 1))
    for lo, hi in zip(starts[:-1], starts[1:], strict=True):
        block = sets[lo:hi]
        members = block.ravel()
        owner = np.repeat(np.arange(len(block)), k)
        deg = indptr[members + 1] - indptr[members]
        total = int(deg.sum())
        if total == 0:
            continue
        rep_owner = np.repeat(owner, deg)
        first = np.repeat(indptr[members], deg)
        offset = np.arange(total) - np.repeat(np.cumsum(deg) - deg, deg)
        new = indices[first + offset].astype(sets.dtype)
        base_rows = block[rep_owner]
        fresh = ~(base_rows == new[:, None]).any(axis=1)
        grown = np.concatenate([base_rows[fresh], new[fresh, None]], axis=1)
        grown.sort(axis=1)
        out.append(_dedupe(grown, table))
    if not out:
        return np.zeros((0, k + 1), dtype=sets.dtype)
    return _dedupe(np.concatenate(out), table)


def enumerate_sets(
    edges: pd.DataFrame,
    ids: Sequence[str],
    *,
    min_size: int = MIN_SIZE,
    max_size: int = MAX_SIZE,
    kinds: Sequence[str] = ("land", "maritime"),
    max_sets: int | None = MAX_SETS,
) -> np.ndarray:
    """Every connected set of ``min_size``..``max_size`` regions.

    Parameters
    ----------
    edges
        Edge table with ``source``, ``target``, ``kind`` (``geo.adjacency.adjacency_edges``).
        Only edges whose two ends are in ``ids`` and whose kind is in ``kinds`` are used (the
        subgraph induced by ``ids``).
    ids
        Region codes; positions refer to ``sorted(ids)``.
    min_size, max_size
        Set sizes, within 2..5.
    kinds
        Edge kinds to use, e.g. ``("land",)`` to leave out maritime links.
    max_sets
        Refuse (``InputError``) when one size level holds more sets than this, instead of
        exhausting memory; None = no limit.

    Returns
    -------
    numpy.ndarray
        int64 array (n_sets, max_size) of positions into sorted ``ids``, padded with -1, each row
        sorted ascending (members first, padding last), rows in lexicographic order of their
        member tuples.
    """
    check_sizes(min_size, max_size)
    n = len(set(map(str, ids)))
    if n != len(ids):
        raise InputError("errors.clusters.duplicate_ids")
    u, v, _ = edge_positions(edges, ids, kinds=kinds)
    indptr, indices = csr_adjacency(u, v, n)
    table = None
    if n > 0 and comb(n, max_size) < 2**62:
        table = _comb_table(n, max_size)
    dtype = np.int32 if n < 2**31 else np.int64
    level = np.unique(np.stack([u, v], axis=1).astype(dtype), axis=0).reshape(-1, 2)
    found: list[np.ndarray] = []
    for size in range(2, max_size + 1):
        if size > 2:
            level = _grow(level, indptr, indices, table)
        if max_sets is not None and len(level) > max_sets:
            raise InputError(
                "errors.clusters.too_many_sets", n=len(level), size=size, regions=n, limit=max_sets
            )
        if size >= min_size:
            found.append(level)
    return _order(found, max_size)


def _order(found: list[np.ndarray], width: int) -> np.ndarray:
    """Pad to ``width`` with -1 and sort rows lexicographically (a prefix before its extensions)."""
    total = sum(len(f) for f in found)
    out = np.full((total, width), -1, dtype=np.int64)  # int64 output, whatever the work dtype
    row = 0
    for f in found:
        out[row : row + len(f), : f.shape[1]] = f
        row += len(f)
    if total == 0:
        return out
    # A shorter set is a prefix of longer ones: it must come first, so sort padding as -1
    # (smaller than every position) in the lexicographic comparison.
    order = np.lexsort(out.T[::-1])
    return out[order]
