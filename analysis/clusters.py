"""Joint and contract cluster candidates: static set attributes, scores, ranking.

A *candidate* is one connected member set (``analysis.candidates.enumerate_sets``) in one form:

* **joint** (pelayanan bersama): members share a gap; components ``need`` (shared need,
  ``s * mean(gap) + (1 - s) * min(gap)``: the minimum rewards "high and similar" gaps and, unlike a
  spread penalty, never falls when a gap rises), ``scale`` (combined population, log-scaled
  between the smallest region and the ``max_size`` largest regions of the scope) and
  ``cohesion``. Qualifies when every member has a gap score and ``need >= joint_min_need``.
* **contract** (kontrak pelayanan): the **provider** is the member with the highest capacity
  (ties: smallest code); components ``capacity`` (provider capacity), ``client_need`` (mean client
  gap), ``contrast`` (provider capacity minus the clients' mean capacity, clipped at 0), ``reach``
  (share of clients bordering the provider directly) and ``cohesion``. Qualifies when every member
  has gap and capacity scores, provider capacity ``>= contract_min_capacity``, some client gap
  ``>= contract_min_gap`` and every client borders the provider or reaches it through exactly one
  intermediate member (within the cluster).

``cohesion = border_weight * border + (1 - border_weight) * links`` with ``border = min(1,
2 * internal shared border / sum of member perimeters / border_ref)`` and ``links = 1 - sum of
maritime hop penalties / (size - 1)`` (a hop costs ``base + (1 - base) * min(1, km / ref_km)``).

Each score is the weighted mean of its components (weights normalised to sum 1), so it lies in
[0, 1]. Raising a member's gap never lowers a joint score (mean and min are monotone); raising
the provider's capacity never lowers a contract score (capacity and contrast rise, the provider
stays the provider). Ranking per sector: score (rounded to 1e-9) descending, size ascending,
``cluster_id`` ascending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analysis.candidates import edge_positions
from analysis.ranking import COMPONENTS, FORMS, Candidates, rank_order
from analysis.schema import Integer, Number, Table, Text
from common.errors import InputError

_SHARE = Number(0, 1)
#: The ``[clusters]`` table of ``sectors.toml``: one entry per :class:`ClusterSettings` field
#: (a test checks they match). A new parameter = a new field + a new entry here.
SCHEMA = Table(
    {
        "population": Text(nonempty=True),
        "need_mean_share": _SHARE,
        "joint_min_need": _SHARE,
        "contract_min_capacity": _SHARE,
        "contract_min_gap": _SHARE,
        "border_weight": _SHARE,
        "border_ref": Number(0, 1, above=True),
        "maritime_base_penalty": _SHARE,
        "maritime_ref_km": Number(0, 1000, above=True),
        "top": Integer(1, 1000),
        "stability_draws": Integer(0, 10_000),
        "stability_concentration": Number(0, 1e6, above=True),
        "stability_top": Integer(1, 1000),
        "stability_seed": Integer(0, 2**32 - 1),
        "portfolio_time_limit": Number(0, 86_400, above=True),
        "weights": Table(
            {
                form: Table({name: Number(0, 1e6) for name in names})
                for form, names in COMPONENTS.items()
            }
        ),
    }
)


@dataclass(frozen=True)
class ClusterSettings:
    """The ``[clusters]`` table of ``sectors.toml`` (see the comments there and :data:`SCHEMA`)."""

    population: str
    need_mean_share: float
    joint_min_need: float
    contract_min_capacity: float
    contract_min_gap: float
    border_weight: float
    border_ref: float
    maritime_base_penalty: float
    maritime_ref_km: float
    top: int
    stability_draws: int
    stability_concentration: float
    stability_top: int
    stability_seed: int
    portfolio_time_limit: float
    weights: Mapping[str, Mapping[str, float]]

    @classmethod
    def from_mapping(cls, table: Mapping, source: str = "sectors.toml") -> ClusterSettings:
        """Validate a complete ``[clusters]`` table (:data:`SCHEMA`, then the weight sums).

        Raises
        ------
        InputError
            Naming the file, the key and the allowed range.
        """
        values = SCHEMA.check(table, "[clusters]", source)
        values["weights"] = check_weights(values["weights"], source=source)
        return cls(**values)


def check_weights(weights: Mapping, *, source: str = "weights", base=None) -> dict:
    """Complete and validate per-form weights; each form's weights are non-negative, sum > 0.

    ``base`` (a complete weights mapping) supplies the components ``weights`` leaves out, so the
    app can override one slider at a time.
    """
    out: dict[str, dict[str, float]] = {}
    for form, comps in COMPONENTS.items():
        given = dict((base or {}).get(form, {}))
        given.update(dict(weights.get(form, {})))
        unknown = sorted(set(given) - set(comps))
        if unknown:
            raise InputError(
                "errors.clusters.unknown_weights",
                file=source,
                form=form,
                names=", ".join(unknown),
                allowed=", ".join(comps),
            )
        missing = [c for c in comps if c not in given]
        if missing:
            raise InputError(
                "errors.clusters.missing_weights", file=source, form=form, names=", ".join(missing)
            )
        numeric = all(
            isinstance(given[c], int | float | np.number) and not isinstance(given[c], bool)
            for c in comps
        )
        vals = {c: float(given[c]) if numeric else given[c] for c in comps}
        if (
            not numeric
            or any(not np.isfinite(v) or v < 0 for v in vals.values())
            or sum(vals.values()) <= 0
        ):
            raise InputError(
                "errors.clusters.bad_weights", file=source, form=form, values=str(vals)
            )
        out[form] = vals
    return out


def normalised_weights(weights: Mapping[str, Mapping[str, float]], form: str) -> np.ndarray:
    """Weights of ``form`` in :data:`COMPONENTS` order, summing to 1."""
    w = np.array([float(weights[form][c]) for c in COMPONENTS[form]])
    return w / w.sum()


# --------------------------------------------------------------------------------------------
# Static attributes of member sets (no indicator data needed)
# --------------------------------------------------------------------------------------------


#: Sets scored at a time (bounds the temporary arrays of :func:`score_candidates`).
SCORE_CHUNK = 1 << 18
#: Number of set bits of every uint8 value.
POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int8)


@dataclass(frozen=True)
class MaritimeLinks:
    """The maritime links inside the sets, one entry per linked member pair (sparse).

    ``row`` (sorted) is the set row, ``i < j`` the member columns, ``km`` the link's distance.
    """

    row: np.ndarray
    i: np.ndarray
    j: np.ndarray
    km: np.ndarray

    def of(self, s: int) -> slice:
        """The entries of set row ``s``."""
        lo, hi = np.searchsorted(self.row, [s, s + 1])
        return slice(int(lo), int(hi))

    def take(self, keep: np.ndarray) -> MaritimeLinks:
        """The entries of the set rows kept by the boolean mask ``keep``, renumbered."""
        new_row = np.cumsum(keep) - 1
        sel = keep[self.row]
        return MaritimeLinks(new_row[self.row[sel]], self.i[sel], self.j[sel], self.km[sel])


@dataclass(frozen=True)
class SetAttributes:
    """Per-set arrays that depend on geometry and adjacency only (cache them).

    Member links are bit masks: bit ``k`` of ``links[s, j]`` is set when members ``j`` and ``k``
    of set ``s`` are linked (any kind used), of ``land[s, j]`` when they share a land border;
    ``direct[s, j]`` / ``within2[s, j]`` count the other members one / at most two hops from
    member ``j`` inside the set; ``maritime`` lists the maritime links inside each set.
    """

    sets: np.ndarray
    size: np.ndarray
    links: np.ndarray
    land: np.ndarray
    direct: np.ndarray
    within2: np.ndarray
    border_km: np.ndarray
    perimeter_km: np.ndarray
    maritime: MaritimeLinks
    maritime_links: np.ndarray
    land_connected: np.ndarray
    cross_province: np.ndarray

    def rows(self, lo: int, hi: int) -> SetAttributes:
        """The sets ``lo:hi`` (views; maritime rows renumbered from 0)."""
        part = {f.name: getattr(self, f.name)[lo:hi] for f in fields(self) if f.name != "maritime"}
        a, b = np.searchsorted(self.maritime.row, [lo, hi])
        mar = self.maritime
        sea = MaritimeLinks(mar.row[a:b] - lo, mar.i[a:b], mar.j[a:b], mar.km[a:b])
        return SetAttributes(**part, maritime=sea)

    def linked(self, s: int) -> np.ndarray:
        """Boolean (size, size) link matrix of set row ``s``."""
        k = int(self.size[s])
        bits = self.links[s, :k].astype(np.int64)
        return ((bits[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)


def member_pairs(width: int) -> list[tuple[int, int]]:
    """Column pairs ``(i, j)``, ``i < j``, of a set array of ``width`` columns."""
    return [(i, j) for i in range(width) for j in range(i + 1, width)]


def _bit(values: np.ndarray, k: int) -> np.ndarray:
    return ((values >> k) & 1).astype(bool)


def set_attributes(
    sets: np.ndarray,
    edges: pd.DataFrame,
    ids: Sequence[str],
    *,
    perimeter_km: np.ndarray,
    province: np.ndarray,
    kinds: Sequence[str] = ("land", "maritime"),
) -> SetAttributes:
    """Compute the static attributes of every set (vectorised over sets).

    Parameters
    ----------
    sets
        Output of :func:`analysis.candidates.enumerate_sets` on the same ``edges``, ``ids``.
    perimeter_km, province
        Per-region arrays aligned with ``sorted(ids)``.
    """
    n = len(ids)
    m, width = sets.shape
    if width > 8:
        raise ValueError("sets of more than 8 members do not fit the uint8 link masks")
    u, v, rows = edge_positions(edges, ids, kinds=kinds)
    kind = edges["kind"].to_numpy()[rows]
    border = (
        pd.to_numeric(edges["shared_border_km"], errors="coerce").to_numpy(float)[rows]
        if "shared_border_km" in edges
        else np.zeros(len(rows))
    )
    dist = (
        pd.to_numeric(edges["distance_km"], errors="coerce").to_numpy(float)[rows]
        if "distance_km" in edges
        else np.zeros(len(rows))
    )
    key = u * n + v
    # One link per pair; a land link wins over a maritime one for the same pair.
    order = np.lexsort((kind != "land", key))
    key, kind, border, dist = key[order], kind[order], border[order], dist[order]
    first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, bool)
    key, kind, border, dist = key[first], kind[first], border[first], dist[first]
    is_land = kind == "land"
    border = np.where(is_land, np.nan_to_num(border), 0.0)

    links = np.zeros((m, width), dtype=np.uint8)
    land = np.zeros((m, width), dtype=np.uint8)
    border_km = np.zeros(m)
    mar_rows, mar_i, mar_j, mar_km = [], [], [], []
    for i, j in member_pairs(width):
        a, b = sets[:, i], sets[:, j]
        valid = (a >= 0) & (b >= 0)
        if not len(key):
            continue
        k = np.where(valid, a * n + b, -1)
        pos = np.minimum(np.searchsorted(key, k), len(key) - 1)
        hit = valid & (key[pos] == k)
        on_land = hit & is_land[pos]
        links[:, i] |= hit.astype(np.uint8) << j
        links[:, j] |= hit.astype(np.uint8) << i
        land[:, i] |= on_land.astype(np.uint8) << j
        land[:, j] |= on_land.astype(np.uint8) << i
        border_km += np.where(on_land, border[pos], 0.0)
        sea = np.flatnonzero(hit & ~on_land)
        mar_rows.append(sea)
        mar_i.append(np.full(len(sea), i, dtype=np.int8))
        mar_j.append(np.full(len(sea), j, dtype=np.int8))
        mar_km.append(dist[pos[sea]].astype(np.float32))

    present = sets >= 0
    size = present.sum(axis=1).astype(np.int8)
    full = ((1 << size.astype(np.int64)) - 1).astype(np.uint8)
    two = links.copy()
    for j in range(width):
        for k in range(width):
            if k != j:
                two[:, j] |= np.where(_bit(links[:, j], k), links[:, k], 0).astype(np.uint8)
        two[:, j] &= ~np.uint8(1 << j)
    direct = POPCOUNT[links]
    within2 = POPCOUNT[two]
    reach = np.ones(m, dtype=np.uint8)  # from member 0 over land borders
    for _ in range(width - 1):
        grown = reach.copy()
        for k in range(width):
            grown |= np.where(_bit(reach, k), land[:, k], 0).astype(np.uint8)
        reach = grown
    land_connected = (reach & full) == full

    safe = np.where(present, sets, 0)
    perim = np.where(present, np.asarray(perimeter_km, float)[safe], 0.0).sum(axis=1)
    prov = np.asarray(province, dtype=object)[safe]
    cross = ((prov != prov[:, :1]) & present).any(axis=1)
    mar_row = _concat(mar_rows, np.int64).astype(np.int64)
    order = np.argsort(mar_row, kind="stable")
    maritime = MaritimeLinks(
        mar_row[order],
        _concat(mar_i, np.int8)[order],
        _concat(mar_j, np.int8)[order],
        _concat(mar_km, np.float32)[order],
    )
    return SetAttributes(
        sets=sets,
        size=size,
        links=links,
        land=land,
        direct=direct,
        within2=within2,
        border_km=border_km,
        perimeter_km=perim,
        maritime=maritime,
        maritime_links=np.bincount(maritime.row, minlength=m).astype(np.int8),
        land_connected=land_connected,
        cross_province=cross,
    )


def subset_attributes(attrs: SetAttributes, keep: np.ndarray) -> SetAttributes:
    """The attributes of the sets selected by a boolean mask."""
    keep = np.asarray(keep, dtype=bool)
    values = {
        f.name: getattr(attrs, f.name)[keep] for f in fields(SetAttributes) if f.name != "maritime"
    }
    return SetAttributes(**values, maritime=attrs.maritime.take(keep))


def cohesion(attrs: SetAttributes, settings: ClusterSettings) -> np.ndarray:
    """Cohesion in [0, 1] of every set (see the module docstring)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(attrs.perimeter_km > 0, 2 * attrs.border_km / attrs.perimeter_km, 0.0)
    border = np.clip(frac / settings.border_ref, 0.0, 1.0)
    base = settings.maritime_base_penalty
    km = attrs.maritime.km.astype(float)
    hop = base + (1 - base) * np.minimum(1.0, np.nan_to_num(km) / settings.maritime_ref_km)
    hop = np.bincount(attrs.maritime.row, weights=hop, minlength=len(attrs.sets))
    links = 1.0 - np.clip(hop / np.maximum(attrs.size - 1, 1), 0.0, 1.0)
    bw = settings.border_weight
    return np.clip(bw * border + (1 - bw) * links, 0.0, 1.0)


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------


def _gather(values: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """Per-member values (m, width), NaN on padding."""
    safe = np.where(sets >= 0, sets, 0)
    return np.where(sets >= 0, np.asarray(values, float)[safe], np.nan)


def joint_components(
    attrs: SetAttributes,
    gap: np.ndarray,
    population: np.ndarray,
    settings: ClusterSettings,
    *,
    coh: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Joint components (m rows, :data:`COMPONENTS` order) and the qualification mask."""
    g = _gather(gap, attrs.sets)
    present = attrs.sets >= 0
    complete = ~(np.isnan(g) & present).any(axis=1)
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(np.where(complete[:, None], g, 0.0), axis=1)
        low = np.nanmin(np.where(complete[:, None], g, 0.0), axis=1)
    s = settings.need_mean_share
    need = s * mean + (1 - s) * low
    pop = np.asarray(population, float)
    total = np.nansum(_gather(pop, attrs.sets), axis=1)
    known = pop[np.isfinite(pop) & (pop > 0)]
    if len(known):
        lo = np.log10(known.min())
        hi = np.log10(np.sort(known)[-attrs.sets.shape[1] :].sum())
        with np.errstate(divide="ignore"):
            scale = (np.log10(np.maximum(total, 1e-300)) - lo) / max(hi - lo, 1e-12)
        scale = np.clip(np.where(total > 0, scale, 0.0), 0.0, 1.0)
    else:
        scale = np.zeros(len(total))
    coh = cohesion(attrs, settings) if coh is None else coh
    comps = pd.DataFrame({"need": need, "scale": scale, "cohesion": coh})
    ok = complete & (need >= settings.joint_min_need)
    return comps, ok


def contract_components(
    attrs: SetAttributes,
    gap: np.ndarray,
    capacity: np.ndarray,
    settings: ClusterSettings,
    *,
    coh: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Contract components, qualification mask and provider column (member position)."""
    g = _gather(gap, attrs.sets)
    c = _gather(capacity, attrs.sets)
    present = attrs.sets >= 0
    complete = ~((np.isnan(g) | np.isnan(c)) & present).any(axis=1)
    c_fill = np.where(present & ~np.isnan(c), c, -np.inf)
    prov = np.argmax(c_fill, axis=1)  # first maximum = smallest position = smallest code
    rows = np.arange(len(prov))
    cap = np.where(complete, c_fill[rows, prov], 0.0)
    client = present.copy()
    client[rows, prov] = False
    n_client = np.maximum(client.sum(axis=1), 1)
    g0 = np.where(client & complete[:, None], g, 0.0)
    c0 = np.where(client & complete[:, None], c, 0.0)
    client_need = g0.sum(axis=1) / n_client
    max_client_gap = np.where(client, np.nan_to_num(g, nan=-1.0), -1.0).max(axis=1)
    contrast = np.clip(cap - c0.sum(axis=1) / n_client, 0.0, 1.0)
    direct = attrs.direct[rows, prov].astype(float)
    reach = direct / np.maximum(attrs.size - 1, 1)
    reach_ok = attrs.within2[rows, prov] == attrs.size - 1
    coh = cohesion(attrs, settings) if coh is None else coh
    comps = pd.DataFrame(
        {
            "capacity": cap,
            "client_need": client_need,
            "contrast": contrast,
            "reach": reach,
            "cohesion": coh,
        }
    )
    ok = (
        complete
        & reach_ok
        & (cap >= settings.contract_min_capacity)
        & (max_client_gap >= settings.contract_min_gap)
    )
    return comps, ok, prov


def score_candidates(
    attrs: SetAttributes,
    ids: Sequence[str],
    *,
    sector: str,
    gap: np.ndarray,
    capacity: np.ndarray,
    population: np.ndarray,
    settings: ClusterSettings,
    weights: Mapping | None = None,
    forms: Sequence[str] = FORMS,
    names: Sequence[str] | None = None,
    externality: bool = False,
    data_years: Mapping[str, int] | None = None,
) -> Candidates:
    """Score every set in every form; return the qualifying candidates, ranked.

    Parameters
    ----------
    attrs
        :func:`set_attributes` of the enumerated sets.
    ids
        Region codes; ``gap``, ``capacity``, ``population`` and ``names`` are aligned with
        ``sorted(ids)`` (gap/capacity in [0, 1], NaN when unknown).
    weights
        Per-form weights overriding ``settings.weights`` component by component.
    forms
        Forms to score (the sector's forms).

    Returns
    -------
    Candidates
        One row per qualifying (set, form), columnar, in rank order
        (:mod:`analysis.ranking`); :meth:`Candidates.frame` materialises rows.
    """
    unknown = [f for f in forms if f not in FORMS]
    if unknown:
        raise InputError("errors.clusters.forms", forms=str(unknown), allowed=", ".join(FORMS))
    w = check_weights(weights or {}, base=settings.weights)
    codes = np.asarray(sorted(map(str, ids)), dtype=object)
    names_arr = np.asarray(names if names is not None else codes, dtype=object)
    coh = cohesion(attrs, settings)
    set_rows, form_codes, providers, scores = [], [], [], []
    columns: dict[str, list[np.ndarray]] = {c: [] for f in FORMS for c in COMPONENTS[f]}
    for lo in range(0, len(attrs.sets), SCORE_CHUNK):  # bounded temporaries
        part = attrs.rows(lo, lo + SCORE_CHUNK)
        part_coh = coh[lo : lo + SCORE_CHUNK]
        for code, form in enumerate(FORMS):
            if form not in forms:
                continue
            if form == "joint":
                comps, ok = joint_components(part, gap, population, settings, coh=part_coh)
                prov = None
            else:
                comps, ok, prov = contract_components(part, gap, capacity, settings, coh=part_coh)
            idx = np.flatnonzero(ok)
            comp = comps.to_numpy()[idx]
            set_rows.append(idx + lo)
            form_codes.append(np.full(len(idx), code, dtype=np.int8))
            providers.append(
                part.sets[idx, prov[idx]] if prov is not None else np.full(len(idx), -1, np.int64)
            )
            scores.append(np.clip(comp @ normalised_weights(w, form), 0.0, 1.0))
            for name in columns:
                j = COMPONENTS[form].index(name) if name in COMPONENTS[form] else None
                columns[name].append(comp[:, j] if j is not None else np.full(len(idx), np.nan))
    set_row = _concat(set_rows, np.int64).astype(np.int64)
    form_code = _concat(form_codes, np.int8)
    score = np.round(_concat(scores, float), 9)
    size = attrs.size[set_row].astype(np.int64)
    order = rank_order(score, size, form_code, set_row)
    set_row = set_row[order]
    return Candidates(
        sector=sector,
        ids=codes,
        names=names_arr,
        attrs=attrs,
        set_row=set_row,
        form=form_code[order],
        provider=_concat(providers, np.int64).astype(np.int64)[order],
        score=score[order],
        components={k: _concat(v, float)[order] for k, v in columns.items()},
        size=size[order],
        cross_province=attrs.cross_province[set_row],
        maritime_links=attrs.maritime_links[set_row].astype(np.int64),
        land_connected=attrs.land_connected[set_row],
        externality=bool(externality),
        weights=w,
        data_years=dict(sorted((data_years or {}).items())),
    )


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)
