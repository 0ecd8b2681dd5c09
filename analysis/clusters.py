"""Joint and contract candidates: need and potential components, flags, scores, ranking.

The model is specified in ``docs/model.md``; this module computes it, vectorised over sets and
in chunks of :data:`SCORE_CHUNK` sets (bounded temporaries). Every connected set is scored in
every form it can take: **joint** always; **contract** when at least one member has a capacity
score (the provider: highest capacity among the members that have one, ties to the smallest
code — a region missing the figure is never the provider).

Components (all in [0, 1]; :data:`analysis.ranking.COMPONENTS` gives each form's):

* ``need`` (joint) ``= s * mean(gap) + (1 - s) * min(gap)`` over the members with a gap;
  ``capacity`` / ``client_need`` (contract): the provider's capacity, the clients' mean gap;
* ``complementarity``: joint, ``min(1, log10(max/min of the sector's complementarity column)
  / orders)``; contract, ``max(0, provider capacity - mean client capacity)``;
* ``linkage``: ``L = min_i max_j P_i P_j / d_ij^2`` (seat distance ``d`` = ellipsoidal km ×
  ``detour_factor``, at least ``min_distance_km``) on a log scale between ``linkage_low`` and
  ``linkage_high``;
* ``reach``: ``clip(1 - r / (2 R), 0, 1)``, ``r`` the longest seat distance between members,
  ``R`` the sector's service radius;
* ``scale``: ``min(1, sum(P) / reference population)``;
* ``cohesion``: ``border_weight * border + (1 - border_weight) * links`` with ``border = min(1,
  2 * internal shared border / sum of member perimeters / border_ref)`` and ``links = 1 - sum of
  maritime hop penalties / (size - 1)`` (a hop costs ``base + (1 - base) * min(1, km / ref_km)``).

A sector without a potential parameter gets the neutral constant 1 for that term and no rule.

Flags (:data:`analysis.ranking.FLAGS`): the threshold flags ``low_need``, ``low_capacity``,
``low_client_gap``, ``beyond_reach`` (``r > R``) and ``sea_crossing`` (the members, or the provider
and its clients, are connected only through a maritime link longer than the sector's limit) put
a row after every row without one; ``incomplete_data`` multiplies the score by ``1 -
missing_penalty * (1 - completeness)``; ``voluntary`` and ``estimated_seat`` inform.

Monotone by construction (hypothesis-tested): more gap never lowers a joint score; more provider
capacity never lowers a contract score; more population never lowers linkage or scale; shorter
distances never lower linkage or reach; none of these adds a threshold flag.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.attributes import SetAttributes, closure, full_masks, member_pairs
from analysis.ranking import (
    COMPONENTS,
    FLAG_BITS,
    FORMS,
    THRESHOLD_FLAGS,
    Candidates,
    rank_order,
)
from analysis.schema import Integer, Number, Table, Text
from common.errors import InputError

#: Sets scored at a time (bounds the temporary arrays of :func:`score_candidates`).
SCORE_CHUNK = 1 << 17
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
        "detour_factor": Number(1, 5),
        "min_distance_km": Number(0, 1000, above=True),
        "linkage_low": Number(0, 1e30, above=True),
        "linkage_high": Number(0, 1e30, above=True),
        "missing_penalty": _SHARE,
        "distinct_jaccard": _SHARE,
        "max_provider_repeats": Integer(1, 1000),
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
    detour_factor: float
    min_distance_km: float
    linkage_low: float
    linkage_high: float
    missing_penalty: float
    distinct_jaccard: float
    max_provider_repeats: int
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
        """Validate a complete ``[clusters]`` table (:data:`SCHEMA`, then the weight sums and
        the linkage bounds).

        Raises
        ------
        InputError
            Naming the file, the key and the allowed range.
        """
        values = SCHEMA.check(table, "[clusters]", source)
        values["weights"] = check_weights(values["weights"], source=source)
        if not values["linkage_low"] < values["linkage_high"]:
            raise InputError(
                "errors.clusters.linkage_bounds",
                file=source,
                low=values["linkage_low"],
                high=values["linkage_high"],
            )
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


@dataclass(frozen=True)
class SectorPotential:
    """The numbers of a sector's potential parameters (None: neutral term, no rule).

    ``reach_km`` service radius, ``sea_km`` longest maritime link a service may use (None: any),
    ``scale_people`` reference population, ``orders`` the complementarity ratio's orders of
    magnitude for full credit.
    """

    reach_km: float | None = None
    sea_km: float | None = None
    scale_people: float | None = None
    orders: float | None = None

    @classmethod
    def of(cls, sector) -> SectorPotential:
        """From a :class:`analysis.config.Sector`."""
        values = (sector.reach, sector.sea, sector.scale, sector.complementarity)
        return cls(*(None if p is None else float(p.value) for p in values))


@dataclass(frozen=True)
class RegionData:
    """Per-region inputs aligned with the sorted ids (NaN = no data)."""

    gap: np.ndarray
    capacity: np.ndarray
    population: np.ndarray
    complement: np.ndarray | None = None
    seat_estimated: np.ndarray | None = None


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
# Terms over a chunk of sets
# --------------------------------------------------------------------------------------------


def _gather(values: np.ndarray | None, sets: np.ndarray) -> np.ndarray:
    """Per-member values (m, width), NaN on padding (position -1 reads the appended NaN)."""
    if values is None:
        return np.full(sets.shape, np.nan)
    return np.append(np.asarray(values, float), np.nan)[sets]


def _across(ufunc, x: np.ndarray) -> np.ndarray:
    """``ufunc`` reduced across the (few) member columns, column by column: much faster than
    a reduction along a short last axis."""
    out = x[:, 0].copy()
    for j in range(1, x.shape[1]):
        ufunc(out, x[:, j], out=out)
    return out


def _flag(condition: np.ndarray, name: str) -> np.ndarray:
    """The bit of flag ``name`` where ``condition`` holds, else 0."""
    return np.where(condition, FLAG_BITS[name], 0).astype(np.uint8)


def _count(mask: np.ndarray) -> np.ndarray:
    """Number of True members per set."""
    return _across(np.add, mask.astype(np.int8))


def road_km(attrs: SetAttributes, settings: ClusterSettings) -> np.ndarray:
    """Seat distances of the member pairs as road estimates (km; NaN on padding)."""
    return attrs.pair_km.astype(float) * settings.detour_factor


def linkage_values(
    attrs: SetAttributes, population: np.ndarray, settings: ClusterSettings
) -> np.ndarray:
    """Raw linkage ``min_i max_j P_i P_j / d_ij^2`` of every set (0 when under two members
    have a population)."""
    pop = _gather(population, attrs.sets)
    dist = np.maximum(road_km(attrs, settings), settings.min_distance_km)
    m, width = attrs.sets.shape
    best = np.full((m, width), -np.inf)
    with np.errstate(invalid="ignore"):
        for p, (i, j) in enumerate(member_pairs(width)):
            tie = pop[:, i] * pop[:, j] / dist[:, p] ** 2
            tie = np.where(np.isfinite(tie), tie, -np.inf)
            best[:, i] = np.maximum(best[:, i], tie)
            best[:, j] = np.maximum(best[:, j], tie)
    known = np.isfinite(pop) & (attrs.sets >= 0)
    weakest = _across(np.minimum, np.where(known, best, np.inf))
    return np.where(np.isfinite(weakest) & (_count(known) >= 2), weakest, 0.0)


def linkage_score(raw: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """Raw linkage on the documented log scale, in [0, 1]."""
    lo, hi = np.log10(settings.linkage_low), np.log10(settings.linkage_high)
    with np.errstate(divide="ignore"):
        value = (np.log10(np.maximum(raw, 1e-300)) - lo) / (hi - lo)
    return np.clip(np.where(raw > 0, value, 0.0), 0.0, 1.0)


def eccentricity_km(attrs: SetAttributes, settings: ClusterSettings) -> np.ndarray:
    """(m, width): each member's longest road-estimated seat distance to another member (inf on
    padding)."""
    road = road_km(attrs, settings)
    m, width = attrs.sets.shape
    ecc = np.zeros((m, width))
    for p, (i, j) in enumerate(member_pairs(width)):
        d = np.nan_to_num(road[:, p], nan=0.0)
        ecc[:, i] = np.maximum(ecc[:, i], d)
        ecc[:, j] = np.maximum(ecc[:, j], d)
    return np.where(attrs.sets >= 0, ecc, np.inf)


def central_member(
    attrs: SetAttributes, settings: ClusterSettings
) -> tuple[np.ndarray, np.ndarray]:
    """The member whose seat is nearest to the farthest other member (the joint service's
    central seat; ties: smallest code) and that distance, per set."""
    ecc = eccentricity_km(attrs, settings)
    slot = np.argmin(ecc, axis=1)
    return slot, ecc[np.arange(len(slot)), slot]


def _sea_masks(attrs: SetAttributes, sea_km: float | None) -> np.ndarray:
    """Link masks allowed for a service: over-land links plus maritime links within the limit."""
    allowed = attrs.overland.copy()
    mar = attrs.maritime
    ok = np.ones(len(mar.km), bool) if sea_km is None else mar.km.astype(float) <= sea_km
    row, i, j = mar.row[ok], mar.i[ok].astype(np.int64), mar.j[ok].astype(np.int64)
    np.bitwise_or.at(allowed, (row, i), (1 << j).astype(np.uint8))
    np.bitwise_or.at(allowed, (row, j), (1 << i).astype(np.uint8))
    return allowed


@dataclass(frozen=True)
class _Part:
    """One form's rows of a chunk."""

    rows: np.ndarray
    provider: np.ndarray
    components: np.ndarray
    completeness: np.ndarray
    flags: np.ndarray


def _score_chunk(
    part: SetAttributes,
    coh: np.ndarray,
    data: RegionData,
    settings: ClusterSettings,
    pot: SectorPotential,
    forms: Collection[str],
) -> dict[str, _Part]:
    sets = part.sets
    m, width = sets.shape
    present = sets >= 0
    size = part.size.astype(np.int64)
    g = _gather(data.gap, sets)
    c = _gather(data.capacity, sets)
    pop = _gather(data.population, sets)
    has_g, has_c, has_p = (
        present & np.isfinite(g),
        present & np.isfinite(c),
        present & ~np.isnan(pop),
    )

    # set-level potential terms
    ecc = eccentricity_km(part, settings)
    link = linkage_score(linkage_values(part, data.population, settings), settings)
    total = _across(np.add, np.where(has_p, pop, 0.0))
    scale = np.ones(m) if pot.scale_people is None else np.minimum(1.0, total / pot.scale_people)
    allowed = _sea_masks(part, pot.sea_km)
    full = full_masks(part.size)
    base = np.zeros(m, np.uint8)
    base |= _flag(part.voluntary, "voluntary")
    if data.seat_estimated is not None:
        est = _gather(data.seat_estimated.astype(float), sets)
        base |= _flag(_across(np.logical_or, est == 1), "estimated_seat")
    out: dict[str, _Part] = {}

    def reach_of(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if pot.reach_km is None:
            return np.ones(m), np.zeros(m, np.uint8)
        beyond = _flag(r > pot.reach_km, "beyond_reach")
        return np.clip(1.0 - r / (2.0 * pot.reach_km), 0.0, 1.0), beyond

    if "joint" in forms:
        n_g = _count(has_g)
        with np.errstate(invalid="ignore"):
            mean = _across(np.add, np.where(has_g, g, 0.0)) / np.maximum(n_g, 1)
            low = _across(np.minimum, np.where(has_g, g, np.inf))
        s = settings.need_mean_share
        need = np.where(n_g > 0, s * mean + (1 - s) * low, 0.0)
        needed = 2 * size
        got = n_g + _count(has_p)
        if pot.orders is None:
            comp = np.ones(m)
        else:
            rho = _gather(data.complement, sets)
            has_r = present & np.isfinite(rho) & (rho > 0)
            hi = _across(np.maximum, np.where(has_r, rho, -np.inf))
            lo = _across(np.minimum, np.where(has_r, rho, np.inf))
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.log10(hi / lo) / pot.orders
            comp = np.where(_count(has_r) >= 2, np.clip(ratio, 0.0, 1.0), 0.0)
            needed = needed + size
            got = got + _count(has_r)
        completeness = got / needed
        sea_ok = (closure(allowed, np.ones(m, np.uint8)) & full) == full
        reach, beyond = reach_of(_across(np.minimum, ecc))
        flags = base | beyond
        flags |= _flag(need < settings.joint_min_need, "low_need")
        flags |= _flag(~sea_ok, "sea_crossing") | _flag(completeness < 1, "incomplete_data")
        values = {
            "need": need,
            "complementarity": comp,
            "linkage": link,
            "reach": reach,
            "scale": scale,
            "cohesion": coh,
        }
        out["joint"] = _Part(
            rows=np.arange(m),
            provider=np.full(m, -1, np.int64),
            components=np.column_stack([values[k] for k in COMPONENTS["joint"]]),
            completeness=completeness,
            flags=flags,
        )

    if "contract" in forms:
        exists = _across(np.logical_or, has_c)
        c_fill = np.where(has_c, c, -np.inf)
        slot = np.argmax(c_fill, axis=1)  # first maximum = smallest position = smallest code
        idx = np.arange(m)
        cap = np.where(exists, c_fill[idx, slot], 0.0)
        client = present.copy()
        client[idx, slot] = False
        cg, cc = client & has_g, client & has_c
        with np.errstate(invalid="ignore"):
            client_need = _across(np.add, np.where(cg, g, 0.0)) / np.maximum(_count(cg), 1)
            client_cap = _across(np.add, np.where(cc, c, 0.0)) / np.maximum(_count(cc), 1)
        max_gap = _across(np.maximum, np.where(cg, g, -1.0))
        comp = np.where(_across(np.logical_or, cc), np.clip(cap - client_cap, 0.0, 1.0), 0.0)
        completeness = (_count(cg) + _count(has_c) + _count(has_p)) / (3 * size - 1)
        start = (1 << slot).astype(np.uint8)
        sea_ok = (closure(allowed, start) & full) == full
        reach, beyond = reach_of(ecc[idx, slot])
        flags = base | beyond
        flags |= _flag(cap < settings.contract_min_capacity, "low_capacity")
        flags |= _flag(max_gap < settings.contract_min_gap, "low_client_gap")
        flags |= _flag(~sea_ok, "sea_crossing") | _flag(completeness < 1, "incomplete_data")
        values = {
            "capacity": cap,
            "client_need": client_need,
            "complementarity": comp,
            "linkage": link,
            "reach": reach,
            "scale": scale,
            "cohesion": coh,
        }
        keep = np.flatnonzero(exists)
        out["contract"] = _Part(
            rows=keep,
            provider=sets[keep, slot[keep]],
            components=np.column_stack([values[k] for k in COMPONENTS["contract"]])[keep],
            completeness=completeness[keep],
            flags=flags[keep],
        )
    return out


def score_candidates(
    attrs: SetAttributes,
    ids: Sequence[str],
    *,
    sector: str,
    data: RegionData,
    settings: ClusterSettings,
    potential: SectorPotential | None = None,
    weights: Mapping | None = None,
    forms: Sequence[str] = FORMS,
    names: Sequence[str] | None = None,
    externality: bool = False,
    data_years: Mapping[str, int] | None = None,
    rules: Collection[str] | None = None,
    penalty: bool = True,
) -> Candidates:
    """Score every set in every form it can take; return all rows, ranked.

    Parameters
    ----------
    attrs
        :func:`analysis.attributes.set_attributes` of the enumerated sets.
    ids
        Region codes; the arrays of ``data`` and ``names`` are aligned with ``sorted(ids)``
        (gap/capacity in [0, 1], NaN when unknown).
    potential
        The sector's potential parameters (None: every potential term neutral, no reach or sea
        rule).
    weights
        Per-form weights overriding ``settings.weights`` component by component.
    forms
        Forms to score (the sector's forms).
    rules
        Threshold flags that rank a row lower (default: all of
        :data:`analysis.ranking.THRESHOLD_FLAGS`); the others are still reported. The backtest's
        baselines use fewer.
    penalty
        Apply the missing-data penalty.

    Returns
    -------
    Candidates
        One row per (set, form), columnar, in rank order (:mod:`analysis.ranking`);
        :meth:`Candidates.frame` materialises rows.
    """
    unknown = [f for f in forms if f not in FORMS]
    if unknown:
        raise InputError("errors.clusters.forms", forms=str(unknown), allowed=", ".join(FORMS))
    w = check_weights(weights or {}, base=settings.weights)
    pot = potential or SectorPotential()
    codes = np.asarray(sorted(map(str, ids)), dtype=object)
    names_arr = np.asarray(names if names is not None else codes, dtype=object)
    coh = cohesion(attrs, settings)
    names_all = list(dict.fromkeys(c for f in FORMS for c in COMPONENTS[f]))
    m = len(attrs.sets)
    cap = m * sum(f in forms for f in FORMS)  # at most one row per set and form
    idx_type = np.int32 if max(m, len(codes)) < 2**31 else np.int64
    col = {
        "row": np.empty(cap, idx_type),
        "form": np.empty(cap, np.int8),
        "prov": np.empty(cap, idx_type),
        "score": np.empty(cap, float),
        "comp": np.empty(cap, np.float32),
        "flags": np.empty(cap, np.uint8),
    }
    comps = {name: np.full(cap, np.nan, np.float32) for name in names_all}
    n = 0
    for lo in range(0, m, SCORE_CHUNK):  # bounded temporaries
        part = attrs.rows(lo, lo + SCORE_CHUNK)
        parts = _score_chunk(part, coh[lo : lo + SCORE_CHUNK], data, settings, pot, forms)
        for code, form in enumerate(FORMS):
            if form not in parts:
                continue
            got = parts[form]
            score = np.clip(got.components @ normalised_weights(w, form), 0.0, 1.0)
            if penalty:
                score = score * (1.0 - settings.missing_penalty * (1.0 - got.completeness))
            k = len(got.rows)
            col["row"][n : n + k] = got.rows + lo
            col["form"][n : n + k] = code
            col["prov"][n : n + k] = got.provider
            col["score"][n : n + k] = np.round(score, 9)
            col["comp"][n : n + k] = got.completeness
            col["flags"][n : n + k] = got.flags
            for j, name in enumerate(COMPONENTS[form]):
                comps[name][n : n + k] = got.components[:, j]
            n += k
    active = THRESHOLD_FLAGS if rules is None else tuple(rules)
    rule_bits = np.uint8(sum(FLAG_BITS[f] for f in active))
    parts = part = None  # free the last chunk before sorting
    order = rank_order(
        col["score"][:n],
        attrs.size[col["row"][:n]],
        col["form"][:n],
        col["row"][:n],
        (col["flags"][:n] & rule_bits) > 0,
    )
    # reorder one column at a time (peak memory: the columns plus one copy)
    for key in list(col):
        col[key] = col[key][:n][order]
    for key in list(comps):
        comps[key] = comps[key][:n][order]
    return Candidates(
        sector=sector,
        ids=codes,
        names=names_arr,
        attrs=attrs,
        set_row=col["row"],
        form=col["form"],
        provider=col["prov"],
        score=col["score"],
        components=comps,
        flags=col["flags"],
        completeness=col["comp"],
        rule_bits=int(rule_bits),
        missing_penalty=settings.missing_penalty if penalty else 0.0,
        externality=bool(externality),
        weights=w,
        data_years=dict(sorted((data_years or {}).items())),
    )
