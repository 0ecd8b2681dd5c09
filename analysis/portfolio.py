"""The best non-overlapping set of candidates, solved exactly (HiGHS MILP via scipy).

Maximise the total score of the chosen candidates subject to: each region is in at most one
chosen candidate of the sector (weighted set packing). Binary ``x_c`` per candidate, one ``<= 1``
row per region (sparse), objective ``-score``. HiGHS proves optimality (``mip_rel_gap = 0``) or,
when the time limit stops it, reports the remaining relative gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from common.errors import InputError


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
    candidates: pd.DataFrame, *, time_limit: float = 120.0, column: str = "members"
) -> PortfolioResult:
    """Choose non-overlapping candidates maximising the total ``score``.

    Parameters
    ----------
    candidates
        Frame with ``members`` (tuples of codes) and ``score`` (one sector).
    time_limit
        Seconds; when reached the best solution found is returned with its gap.

    Returns
    -------
    PortfolioResult
    """
    if len(candidates) == 0:
        return PortfolioResult(np.zeros(0, np.int64), 0.0, True, 0, "no candidates", 0.0, 0.0)
    if "sector" in candidates and candidates["sector"].nunique() > 1:
        raise InputError("errors.clusters.portfolio_sectors")
    score = candidates["score"].to_numpy(float)
    members = candidates[column].tolist()
    sizes = np.fromiter((len(m) for m in members), dtype=np.int64, count=len(members))
    flat = np.fromiter((c for m in members for c in m), dtype=object, count=int(sizes.sum()))
    regions, row = np.unique(flat.astype(str), return_inverse=True)
    col = np.repeat(np.arange(len(members)), sizes)
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
