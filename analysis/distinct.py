"""Distinct alternatives: the default list shows different ideas, not variants of one.

:func:`distinct` walks the suggestions (rows with no threshold flag) in rank order and keeps a
row when its member set overlaps every kept row by Jaccard ≤ ``jaccard`` (``[clusters]
distinct_jaccard``) and its provider is the provider of fewer than ``max_provider`` kept rows
(``[clusters] max_provider_repeats``). Every other row of the sector — flagged rows included — is
a **variant** of the first kept row it overlaps by more than ``jaccard``, or, when only the
provider cap kept it out, of the first kept row with the same provider; rows that overlap no
kept row are nobody's variant. Vectorised: member overlaps are counted by comparing the
(rows, width) position matrices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.ranking import Candidates

BLOCK = 4096


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


def _overlap(members: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Jaccard of every row of ``members`` (m, w) with every row of ``kept`` (k, w)."""
    present = members >= 0
    kept_present = kept >= 0
    same = (members[:, None, :, None] == kept[None, :, None, :]) & (
        present[:, None, :, None] & kept_present[None, :, None, :]
    )
    inter = same.any(axis=3).sum(axis=2)
    union = present.sum(axis=1)[:, None] + kept_present.sum(axis=1)[None, :] - inter
    return inter / np.maximum(union, 1)


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
    """
    n = len(candidates)
    members = candidates.member_positions()
    provider = candidates.provider
    eligible = np.flatnonzero(~candidates.flagged)
    kept: list[int] = []
    used: dict[int, int] = {}  # provider position -> kept rows it provides
    for lo in range(0, len(eligible), BLOCK):
        if len(kept) >= top:
            break
        block = eligible[lo : lo + BLOCK]
        # rows of the block already ruled out by an earlier kept row
        blocked = np.zeros(len(block), dtype=bool)
        for k in kept:
            blocked |= _overlap(members[block], members[[k]])[:, 0] > jaccard
        prov = provider[block]
        pos = 0
        while len(kept) < top:
            capped = np.array(
                [p >= 0 and used.get(int(p), 0) >= max_provider for p in prov[pos:]], dtype=bool
            )
            free = np.flatnonzero(~blocked[pos:] & ~capped)
            if not len(free):
                break
            at = pos + int(free[0])
            row = int(block[at])
            kept.append(row)
            if provider[row] >= 0:
                used[int(provider[row])] = used.get(int(provider[row]), 0) + 1
            blocked |= _overlap(members[block], members[[row]])[:, 0] > jaccard
            pos = at + 1
    rows = np.asarray(kept, dtype=np.int64)
    owner = np.full(n, -1, dtype=np.int64)
    if len(rows):
        for lo in range(0, n, BLOCK * 16):
            part = np.arange(lo, min(n, lo + BLOCK * 16))
            over = _overlap(members[part], members[rows]) > jaccard
            first = np.where(over.any(axis=1), over.argmax(axis=1), -1)
            same_provider = (provider[part][:, None] >= 0) & (
                provider[part][:, None] == provider[rows][None, :]
            )
            capped = same_provider.sum(axis=1) >= max_provider
            by_provider = np.where(capped, same_provider.argmax(axis=1), -1)
            owner[part] = np.where(first >= 0, first, by_provider)
        owner[rows] = np.arange(len(rows))
    return DistinctList(rows=rows, owner=owner)
