"""The best non-overlapping set of candidates, solved exactly (HiGHS MILP via scipy).

Maximise the total score of the chosen candidates subject to: each region is in at most one
chosen candidate of the sector (weighted set packing). Binary ``x_c`` per candidate, one ``<= 1``
row per region (sparse), objective ``-score``. HiGHS proves optimality (``mip_rel_gap = 0``) or,
when the time limit stops it, reports the remaining relative gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array


@dataclass(frozen=True)
class PortfolioResult:
    """Outcome of :func:`best_portfolio`.

    ``chosen`` holds positional row numbers into the candidates frame (rank order);
    ``optimal`` is True only when HiGHS proved optimality (status 0, gap 0); ``mip_gap`` is the
    relative gap HiGHS reports (0 when proven; ``None`` when no solution was found).
    """

    chosen: np.ndarray
    total_score: float
    optimal: bool
    status: int
    message: str
    mip_gap: float | None
    bound: float | None


def best_portfolio(
    members: np.ndarray, score: np.ndarray, *, time_limit: float = 120.0
) -> PortfolioResult:
    """Choose non-overlapping candidates maximising the total ``score``.

    Parameters
    ----------
    members
        Member positions per candidate, an int array (candidates, width) padded with -1 (e.g.
        :meth:`analysis.ranking.Candidates.member_positions`).
    score
        Score per candidate.
    time_limit
        Seconds; when reached the best solution found is returned with its gap.

    Returns
    -------
    PortfolioResult
        ``chosen`` are row numbers into ``members`` (ascending).
    """
    members = np.asarray(members)
    score = np.asarray(score, dtype=float)
    if len(score) == 0:
        return PortfolioResult(np.zeros(0, np.int64), 0.0, True, 0, "no candidates", 0.0, 0.0)
    present = members >= 0
    col = np.repeat(np.arange(len(members)), present.sum(axis=1))
    regions, row = np.unique(members[present], return_inverse=True)
    a = csr_array((np.ones(len(col)), (row, col)), shape=(len(regions), len(members)))
    res = milp(
        c=-score,
        integrality=np.ones(len(score)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(a, -np.inf, 1),
        options={"time_limit": float(time_limit), "mip_rel_gap": 0.0, "disp": False},
    )
    if res.x is None:
        return PortfolioResult(
            np.zeros(0, np.int64), 0.0, False, int(res.status), str(res.message), None, None
        )
    chosen = np.flatnonzero(res.x > 0.5)
    gap = getattr(res, "mip_gap", None)
    bound = getattr(res, "mip_dual_bound", None)
    optimal = res.status == 0 and (gap is None or gap <= 1e-9)
    return PortfolioResult(
        chosen=chosen,
        total_score=float(score[chosen].sum()),
        optimal=bool(optimal),
        status=int(res.status),
        message=str(res.message),
        mip_gap=None if gap is None else float(gap),
        bound=None if bound is None else float(-bound),
    )
