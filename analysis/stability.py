"""How robust is a suggestion to a change of priorities?

Draw ``draws`` weight vectors per form from a Dirichlet distribution centred on the configured
weights (``alpha = concentration * w``, seeded), re-score every candidate of the sector with each
draw (components matrix @ weights, vectorised, in chunks of draws) and report, for the chosen
rows, the share of draws in which the candidate stays in the top ``top`` of its sector (ties
broken like the ranking: size ascending, then ``cluster_id``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.clusters import normalised_weights
from analysis.ranking import COMPONENTS, Candidates


def weight_draws(
    weights: Mapping[str, Mapping[str, float]],
    *,
    draws: int = 200,
    concentration: float = 50.0,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Per form, a (draws, components) array of weight vectors summing to 1.

    Components with weight 0 stay 0 (a Dirichlet needs positive parameters, so they are left
    out of the draw).
    """
    rng = np.random.default_rng(seed)
    out = {}
    for form in COMPONENTS:
        w = normalised_weights(weights, form)
        pos = w > 0
        d = np.zeros((draws, len(w)))
        d[:, pos] = rng.dirichlet(concentration * w[pos], size=draws)
        out[form] = d
    return out


def stability(
    candidates: Candidates,
    rows: Sequence[int],
    weights: Mapping[str, Mapping[str, float]],
    *,
    draws: int = 200,
    concentration: float = 50.0,
    top: int = 10,
    seed: int = 0,
    chunk: int = 16,
) -> pd.Series:
    """Share of weight draws in which each of ``rows`` stays in the top ``top``.

    Parameters
    ----------
    candidates
        All candidates of one sector in rank order (:class:`analysis.ranking.Candidates`).
    rows
        Positional rows to report on (e.g. the top N).

    Returns
    -------
    Series
        Shares in [0, 1] indexed by the positional ``rows``.
    """
    rows = np.asarray(rows, dtype=np.int64)
    index = rows
    n = len(candidates)
    if n == 0 or len(rows) == 0:
        return pd.Series(np.zeros(len(rows)), index=rows, dtype=float)
    ws = weight_draws(weights, draws=draws, concentration=concentration, seed=seed)
    # Flagged rows rank after every other row whatever the weights: when enough rows pass (and
    # every reported row passes), only those can reach the top, so only they are re-scored.
    open_rows = np.flatnonzero(~candidates.flagged)
    if len(open_rows) >= min(top, n) and not candidates.flagged[rows].any():
        candidates = candidates.take(open_rows)
        rows = np.searchsorted(open_rows, rows)
        n = len(candidates)
    where = {f: candidates.rows_of(f) for f in COMPONENTS}
    # the components as reported (6 decimals)
    comps = {f: np.round(candidates.component_matrix(f, where[f]), 6) for f in COMPONENTS}
    tie = candidates.tie_rank()
    # the ranking rule: threshold-flagged rows after the others, scores with the data penalty
    factor = np.ones(n)
    if candidates.completeness is not None:
        factor = 1.0 - candidates.missing_penalty * (1.0 - candidates.completeness.astype(float))
    sink = 2.0 * candidates.flagged
    hits = np.zeros(n)
    k = min(top, n)
    chunk = max(1, min(chunk, 8_000_000 // n))  # the (rows, draws) block stays under ~64 MB
    for lo in range(0, draws, chunk):
        hi = min(lo + chunk, draws)
        s = np.empty((n, hi - lo))
        for f in COMPONENTS:
            if len(where[f]):
                s[where[f]] = comps[f] @ ws[f][lo:hi].T
        s = np.round(s * factor[:, None], 9) - sink[:, None]
        for d in range(hi - lo):
            col = s[:, d]
            kth = -np.partition(-col, k - 1)[k - 1]
            near = np.flatnonzero(col >= kth)
            order = near[np.lexsort((tie[near], -col[near]))][:k]
            hits[order] += 1
    return pd.Series(hits[rows] / draws, index=index, dtype=float)
