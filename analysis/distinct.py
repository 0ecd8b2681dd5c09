"""Distinct alternatives: the default list shows different ideas, not variants of one.

:func:`distinct` walks the suggestions (rows with no threshold flag) in rank order and keeps a
row when its member set overlaps every kept row by Jaccard ≤ ``jaccard`` (``[clusters]
distinct_jaccard``) and its provider is the provider of fewer than ``max_provider`` kept rows
(``[clusters] max_provider_repeats``). Every other row of the sector — flagged rows included — is
a **variant** of the first kept row it overlaps by more than ``jaccard``, or, when only the
provider cap kept it out, of the first kept row with the same provider; rows that overlap no
kept row are nobody's variant. Member overlaps are counted through an inverted index (region ->
sets holding it), once per kept row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.ranking import Candidates


@dataclass(frozen=True)
class DistinctList:
    """The kept rows (positions into the candidates, rank order) and each row's variant owner.

    ``owner[r]`` is the index into ``rows`` of the kept row that row ``r`` is a variant of
    (-1: none; a kept row is its own owner).
    """

    rows: np.ndarray
    owner: np.ndarray

    def variants(self, k: int) -> np.ndarray:
        """Positions of the variants of the ``k``-th kept row (rank order, itself excluded)."""
        out = np.flatnonzero(self.owner == k)
        return out[out != self.rows[k]]

    @property
    def counts(self) -> np.ndarray:
        """Number of variants of each kept row."""
        n = np.bincount(self.owner[self.owner >= 0], minlength=len(self.rows))
        return n - 1


def _postings(sets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverted index of a (sets, width) position matrix: the sets holding each region.

    Returns ``(order, starts)``: the sets holding region ``r`` are
    ``order[starts[r]:starts[r + 1]]``.
    """
    flat = sets.ravel()
    present = flat >= 0
    regions = flat[present]
    owners = np.repeat(np.arange(len(sets)), sets.shape[1])[present]
    by_region = np.argsort(regions, kind="stable")
    n_regions = int(regions.max()) + 1 if len(regions) else 0
    starts = np.zeros(n_regions + 1, dtype=np.int64)
    np.cumsum(np.bincount(regions, minlength=n_regions), out=starts[1:])
    return owners[by_region], starts


def _overlapping(
    k: int,
    sets: np.ndarray,
    sizes: np.ndarray,
    index: tuple[np.ndarray, np.ndarray],
    jaccard: float,
) -> np.ndarray:
    """Sets whose members overlap set ``k`` by Jaccard > ``jaccard`` (set ``k`` included)."""
    order, starts = index
    regions = sets[k][sets[k] >= 0]
    touching = np.concatenate([order[starts[r] : starts[r + 1]] for r in regions])
    other, inter = np.unique(touching, return_counts=True)
    share = inter / (sizes[other] + sizes[k] - inter)
    return other[share > jaccard]


def distinct(
    candidates: Candidates, top: int, *, jaccard: float = 0.5, max_provider: int = 2
) -> DistinctList:
    """Up to ``top`` distinct suggestions of ``candidates`` and the variants of each.

    Parameters
    ----------
    candidates
        All candidates of one sector, rank order.
    top
        Number of distinct rows wanted (fewer when fewer rows pass every threshold).
    jaccard
        Largest member overlap (Jaccard) two kept rows may have.
    max_provider
        Most kept rows one region may provide.

    Notes
    -----
    Overlaps are counted through an inverted index (region -> sets holding it), once per kept
    row and only over the sets that share a region with it: the cost grows with the kept list
    and the sets around it, not with (rows x kept rows).
    """
    n = len(candidates)
    set_row = np.asarray(candidates.set_row, dtype=np.int64)
    sets = candidates.sets
    sizes = (sets >= 0).sum(axis=1)
    index = _postings(sets) if n else (np.zeros(0, np.int64), np.zeros(1, np.int64))
    provider = np.asarray(candidates.provider, dtype=np.int64)
    flagged = np.asarray(candidates.flagged, dtype=bool)
    # first kept row (index into the kept list) each set overlaps beyond the share, -1: none
    set_owner = np.full(len(sets), -1, dtype=np.int64)
    kept: list[int] = []
    used: dict[int, int] = {}  # provider position -> kept rows it provides
    for row in np.flatnonzero(~flagged).tolist():
        if len(kept) >= top:
            break
        if set_owner[set_row[row]] >= 0:
            continue  # overlaps an earlier kept row beyond the share
        p = int(provider[row])
        if p >= 0 and used.get(p, 0) >= max_provider:
            continue
        over = _overlapping(int(set_row[row]), sets, sizes, index, jaccard)
        set_owner[over[set_owner[over] < 0]] = len(kept)
        kept.append(row)
        if p >= 0:
            used[p] = used.get(p, 0) + 1
    rows = np.asarray(kept, dtype=np.int64)
    owner = set_owner[set_row] if n else np.zeros(0, dtype=np.int64)
    if len(rows):
        # rows kept out only by the provider cap: variants of the first kept row of that provider
        first_of: dict[int, int] = {}
        for k, p in enumerate(provider[rows].tolist()):
            if p >= 0:
                first_of.setdefault(p, k)
        capped = {p: first_of[p] for p, count in used.items() if count >= max_provider}
        if capped:
            lookup = np.full(int(provider.max()) + 1, -1, dtype=np.int64)
            for p, k in capped.items():
                lookup[p] = k
            free = (owner < 0) & (provider >= 0)
            owner[free] = lookup[provider[free]]
        owner[rows] = np.arange(len(rows))
    return DistinctList(rows=rows, owner=owner)
