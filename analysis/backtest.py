"""The backtest: how high does the model rank real, documented arrangements?

Protocol (``docs/model.md``, fixed before any rank was seen): national scope, default options
(maritime links on, no voluntary links), sizes 2–5, each sector scored once. For every documented
arrangement (``data/arrangements/arrangements.csv``) of 2–5 kab/kota:

* **present**: its member set is a connected set of the scope (else it cannot be suggested; it is
  listed and counts as rank percentile 100 %);
* **rank percentile**: the best rank of any row whose member set equals it (any form, any
  provider) ÷ the number of scored rows of its sector.

Three models in one run (:data:`MODELS`): the model (the configured weights), the need-only
weights before issue 11, and a gravity-only baseline (the linkage term alone, no flags). The
summary gives, per sector and overall, for training rows, hold-out rows and all rows: count,
recall, median rank percentile, share in the top 10 %.

:func:`tune` runs the tuning procedure on the training rows only (coordinate descent over the
component weights, ``docs/model.md``); nothing in this module looks at a region's name.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ranking import COMPONENTS, FORMS, Candidates, rank_order
from common.errors import InputError, MissingDataError
from geo.codes import normalize_code

#: The documented arrangements shipped in the repository.
ARRANGEMENTS_CSV = (
    Path(__file__).resolve().parent.parent / "data" / "arrangements" / "arrangements.csv"
)
MODELS = ("model", "need_only", "gravity_only")
#: The weights before issue 11 (``contrast`` is now ``complementarity``; the old ``reach``, the
#: share of clients bordering the provider, has no counterpart and is left out).
NEED_ONLY_WEIGHTS = {
    "joint": {"need": 0.6, "scale": 0.2, "cohesion": 0.2},
    "contract": {"capacity": 0.3, "client_need": 0.3, "complementarity": 0.2, "cohesion": 0.1},
}
#: The thresholds before issue 11.
NEED_ONLY_THRESHOLDS = {
    "joint_min_need": 0.5,
    "contract_min_capacity": 0.6,
    "contract_min_gap": 0.5,
}
#: Values tried for each weight by :func:`tune`, and the most passes.
TUNING_GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
TUNING_PASSES = 4
TOP_SHARE = 0.10


@dataclass(frozen=True)
class Arrangement:
    """One documented arrangement (only what the backtest reads)."""

    id: str
    sector: str
    members: tuple[str, ...]
    holdout: bool
    line: int


def read_arrangements(path: str | Path | None = None) -> list[Arrangement]:
    """The arrangements of ``path`` (default :data:`ARRANGEMENTS_CSV`) with 2–5 members.

    Raises
    ------
    MissingDataError, InputError
        Naming the file and the line: missing file, missing columns, a member code that is not
        a code, a hold-out value other than true/false.
    """
    path = Path(path) if path is not None else ARRANGEMENTS_CSV
    if not path.is_file():
        raise MissingDataError("errors.backtest.missing", file=path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        need = ("id", "sector", "members", "holdout")
        absent = [c for c in need if c not in (reader.fieldnames or [])]
        if absent:
            raise InputError("errors.backtest.columns", file=path, columns=", ".join(absent))
        out = []
        for line, row in enumerate(reader, start=2):
            codes = [normalize_code(c) for c in str(row["members"]).split(";") if c.strip()]
            flag = str(row["holdout"]).strip().lower()
            if any(c is None for c in codes) or flag not in ("true", "false"):
                raise InputError("errors.backtest.row", file=path, line=line, id=row["id"])
            if 2 <= len(set(codes)) <= 5:
                out.append(
                    Arrangement(
                        id=str(row["id"]),
                        sector=str(row["sector"]).strip(),
                        members=tuple(sorted(set(codes))),
                        holdout=flag == "true",
                        line=line,
                    )
                )
        return out


def check_arrangements(
    items: Sequence[Arrangement],
    sectors: Sequence[str],
    file: str | Path,
    config: str | Path,
    *,
    training: bool = False,
) -> None:
    """Refuse, naming the file and line, an arrangement of a sector the config does not have, a
    file with no arrangement of 2–5 regions, and (``training``: for the tuning) one with no
    training row.

    Raises
    ------
    InputError
    """
    for a in items:
        if a.sector not in sectors:
            raise InputError(
                "errors.backtest.sector",
                file=file,
                line=a.line,
                id=a.id,
                sector=repr(a.sector),
                config=config,
                sectors=", ".join(sectors),
            )
    if not items:
        raise InputError("errors.backtest.none", file=file)
    if training and all(a.holdout for a in items):
        raise InputError("errors.backtest.no_training", file=file)


@dataclass(frozen=True)
class Variant:
    """How one model scores: weights, the threshold flags in force, the data penalty, and
    ``[clusters]`` overrides."""

    weights: Mapping[str, Mapping[str, float]] | None
    rules: tuple[str, ...] | None
    penalty: bool
    overrides: Mapping[str, float]


def variant(name: str) -> Variant:
    """The scoring of model ``name`` (:data:`MODELS`)."""
    if name == "model":
        return Variant(None, None, True, {})
    if name == "need_only":
        weights = {
            form: {c: float(NEED_ONLY_WEIGHTS[form].get(c, 0.0)) for c in comps}
            for form, comps in COMPONENTS.items()
        }
        rules = ("low_need", "low_capacity", "low_client_gap", "incomplete_data")
        return Variant(weights, rules, False, NEED_ONLY_THRESHOLDS)
    if name == "gravity_only":
        weights = {
            form: {c: float(c == "linkage") for c in comps} for form, comps in COMPONENTS.items()
        }
        return Variant(weights, (), False, {})
    raise ValueError(name)


def set_rows(candidates: Candidates, members: Sequence[str]) -> int | None:
    """The row of ``members`` in the prepared set matrix, or None when it is not a scored set."""
    ids = candidates.ids
    pos = np.searchsorted(ids, list(members))
    if (pos >= len(ids)).any() or list(ids[pos]) != list(members):
        return None
    sets = candidates.sets
    target = np.full(sets.shape[1], -1, dtype=sets.dtype)
    target[: len(pos)] = np.sort(pos)
    hit = np.flatnonzero((sets == target).all(axis=1))
    return int(hit[0]) if len(hit) else None


def rescore(candidates: Candidates, weights: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Scores of every row under other component weights (same flags, same data penalty)."""
    score = np.zeros(len(candidates))
    for f in FORMS:
        rows = candidates.rows_of(f)
        if len(rows) == 0:
            continue
        w = np.array([float(weights[f][c]) for c in COMPONENTS[f]])
        w = w / w.sum() if w.sum() > 0 else w
        score[rows] = np.clip(candidates.component_matrix(f, rows).astype(float) @ w, 0.0, 1.0)
    if candidates.completeness is not None:
        score *= 1.0 - candidates.missing_penalty * (1.0 - candidates.completeness.astype(float))
    return np.round(score, 9)


def ranks_of(candidates: Candidates, score: np.ndarray, rows: Sequence[int]) -> np.ndarray:
    """Rank (1 = best) of the given rows under ``score`` and the ranking rule."""
    order = rank_order(
        score, candidates.size, candidates.form, candidates.set_row, candidates.flagged
    )
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    return rank[np.asarray(rows, dtype=np.int64)]


@dataclass(frozen=True)
class Located:
    """Where an arrangement's member set sits among a sector's rows."""

    arrangement: Arrangement
    rows: np.ndarray  # row positions of its set (one per form), empty when absent
    n_rows: int


def locate(candidates: Candidates, arrangements: Sequence[Arrangement]) -> list[Located]:
    """The rows of every arrangement's member set (empty when the set is not connected)."""
    out = []
    for a in arrangements:
        s = set_rows(candidates, a.members)
        rows = np.flatnonzero(candidates.set_row == s) if s is not None else np.zeros(0, np.int64)
        out.append(Located(a, rows, len(candidates)))
    return out


def percentiles(
    candidates: Candidates, located: Sequence[Located], score: np.ndarray | None = None
) -> list[tuple[Arrangement, int | None, float]]:
    """``(arrangement, best rank or None, rank percentile)`` (absent = 1.0)."""
    score = candidates.score if score is None else score
    wanted = [r for loc in located for r in loc.rows]
    ranks = dict(zip(wanted, ranks_of(candidates, score, wanted), strict=True)) if wanted else {}
    out = []
    for loc in located:
        if len(loc.rows) == 0:
            out.append((loc.arrangement, None, 1.0))
            continue
        best = int(min(ranks[r] for r in loc.rows))
        out.append((loc.arrangement, best, best / loc.n_rows))
    return out


def results_frame(
    model: str, rows: Sequence[tuple[Arrangement, int | None, float]], n_rows: Mapping[str, int]
) -> pd.DataFrame:
    """One row per arrangement: ``model, id, sector, holdout, present, rank, rows, percentile``."""
    return pd.DataFrame(
        {
            "model": model,
            "id": [a.id for a, _, _ in rows],
            "sector": [a.sector for a, _, _ in rows],
            "holdout": [a.holdout for a, _, _ in rows],
            "present": [r is not None for _, r, _ in rows],
            "rank": [r for _, r, _ in rows],
            "rows": [n_rows[a.sector] for a, _, _ in rows],
            "percentile": [p for _, _, p in rows],
        }
    )


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per model, part (training / hold-out / all) and sector (and ``all``): count, recall,
    median rank percentile, share in the top 10 %."""
    records = []
    parts = {
        "training": ~results["holdout"],
        "holdout": results["holdout"],
        "all": results["holdout"] | True,
    }
    for model in MODELS:
        mine = results["model"] == model
        if not mine.any():
            continue
        for part, mask in parts.items():
            sel = results[mine & mask]
            for sector in [*sorted(sel["sector"].unique()), "all"]:
                group = sel if sector == "all" else sel[sel["sector"] == sector]
                if not len(group):
                    continue
                records.append(
                    {
                        "model": model,
                        "part": part,
                        "sector": sector,
                        "n": len(group),
                        "recall": float(group["present"].mean()),
                        "median": float(group["percentile"].median()),
                        "top10": float((group["percentile"] <= TOP_SHARE).mean()),
                    }
                )
    return pd.DataFrame.from_records(records)


def objective(values: Sequence[float]) -> tuple[float, float]:
    """The tuning objective: median rank percentile, then mean log10 rank percentile."""
    arr = np.asarray(values, dtype=float)
    return float(np.median(arr)), float(np.mean(np.log10(np.maximum(arr, 1e-9))))


def tune(
    scored: Mapping[str, Candidates],
    located: Mapping[str, Sequence[Located]],
    start: Mapping[str, Mapping[str, float]],
    *,
    grid: Sequence[float] = TUNING_GRID,
    passes: int = TUNING_PASSES,
) -> tuple[dict[str, dict[str, float]], tuple[float, float], list[str]]:
    """Coordinate descent over the component weights on the given (training) arrangements.

    Returns
    -------
    (weights, objective, log)
        The best weights found, their objective (:func:`objective`) and one line per accepted
        change.
    """
    weights = {f: dict(start[f]) for f in COMPONENTS}

    def evaluate(w) -> tuple[float, float]:
        values = []
        for sector, cands in scored.items():
            if not located.get(sector):
                continue
            values += [p for _, _, p in percentiles(cands, located[sector], rescore(cands, w))]
        return objective(values)

    best = evaluate(weights)
    log = []
    for _ in range(passes):
        improved = False
        for form in FORMS:
            for comp in COMPONENTS[form]:
                for value in grid:
                    if value == weights[form][comp]:
                        continue
                    trial = {f: dict(v) for f, v in weights.items()}
                    trial[form][comp] = float(value)
                    if sum(trial[form].values()) <= 0:
                        continue
                    got = evaluate(trial)
                    if got < best:
                        best, weights, improved = got, trial, True
                        log.append(
                            f"{form}.{comp} = {value}: median {got[0]:.4f}, mean log {got[1]:.4f}"
                        )
        if not improved:
            break
    return weights, best, log


def settings_for(settings, overrides: Mapping[str, float]):
    """``settings`` with some ``[clusters]`` values replaced (the need-only thresholds)."""
    return replace(settings, **dict(overrides)) if overrides else settings
