"""The facts behind each cluster candidate, for the explanation that presentation writes.

For one candidate row this module collects what drove the suggestion, as values and not words:
the members' gap indicators, the provider's and clients' capacity indicators (contract), the
service seat (the provider's, or the joint cluster's central seat) and the road-estimated seat
distances from it, who lies beyond the sector's reach and which maritime links exceed the
sector's sea limit, the weakest gravity tie, the combined population against the sector's
reference size, the density contrast, the missing figures and the data completeness, the shared
land border and maritime links, and the flags (cross-province, voluntary, estimated seats,
"indikasi kerja sama wajib" — an indication for TKKSD discussion, never a legal finding).
:func:`kerjasama.present.words.explanation` turns these facts into sentences. Facts are built only
for the rows that are output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.attributes import member_pairs
from analysis.clusters import central_member, road_km
from analysis.ranking import Candidates


@dataclass(frozen=True)
class TermValues:
    """One sector term's values for some members.

    Attributes
    ----------
    term
        The :class:`analysis.config.Term` (labels, unit, year, weight, direction).
    values
        ``(code, name, value)`` per member, in the order the sentence lists them; ``value`` is
        NaN when the region has no data.
    """

    term: object
    values: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class CandidateFacts:
    """Everything an explanation of one candidate says, as facts.

    Attributes
    ----------
    form
        ``"joint"`` or ``"contract"``.
    sector
        The :class:`analysis.config.Sector`.
    codes, names
        Members (codes and names) in the candidate's order.
    gap
        Joint: every gap term over all members. Contract: every gap term over the clients.
    capacity
        Contract: every capacity term (heaviest weight first) over the provider then the clients;
        empty for joint.
    host
        Joint: index into ``codes`` of the possible host of a shared facility; None for contract.
    host_links
        Joint: number of other members the host borders (or is linked to by sea).
    host_largest
        Joint: whether the host also has the largest population.
    provider
        Contract: index into ``codes`` of the provider; None for joint.
    clients
        Contract: indices of the clients.
    via
        Contract: ``(client index, through index)`` for clients not linked to the provider
        directly, with the member linking them.
    border_km
        Shared land border between members (km).
    maritime
        ``(name a, name b, km)`` per maritime link between members.
    population, population_year
        Combined population of the members and its data year (None when unknown).
    cross_province, wajib
        The candidate's flags.
    service
        Index of the service seat: the provider (contract) or the central member (joint).
    seat_km
        ``(member index, road km)`` from the service seat to every other member.
    reach_km
        The sector's service radius (None: no reach rule).
    beyond
        ``(member index, road km)`` of the members beyond the radius.
    sea_km, sea_links
        The sector's sea limit (None: any maritime link) and the maritime links inside the
        cluster longer than it ``(name a, name b, km)``.
    sea_crossing
        Whether the service needs such a link (the row's flag).
    weakest
        ``(member index, partner index, road km)``: the member with the weakest strongest tie
        and that tie (None when fewer than two members have a population).
    scale_people
        The sector's reference population (None: no scale term).
    density
        ``(densest index, value, sparsest index, value, unit)`` of the complementarity column
        (None when fewer than two members have it).
    missing
        ``(member name, term, year)`` for every figure the form needs that a member lacks (term
        None: the population).
    completeness, missing_penalty
        Share of the needed figures present, and the share of the score lost at completeness 0.
    flags
        The row's flag names (:data:`analysis.ranking.FLAGS`).
    estimated
        Names of the members whose seat point is estimated.
    voluntary
        The cluster needs a voluntary (non-bordering) link.
    """

    form: str
    sector: object
    codes: tuple[str, ...]
    names: tuple[str, ...]
    gap: tuple[TermValues, ...]
    capacity: tuple[TermValues, ...]
    host: int | None
    host_links: int
    host_largest: bool
    provider: int | None
    clients: tuple[int, ...]
    via: tuple[tuple[int, int], ...]
    border_km: float
    maritime: tuple[tuple[str, str, float], ...]
    population: float
    population_year: int | None
    cross_province: bool
    wajib: bool
    service: int = 0
    seat_km: tuple[tuple[int, float], ...] = ()
    reach_km: float | None = None
    beyond: tuple[tuple[int, float], ...] = ()
    sea_km: float | None = None
    sea_links: tuple[tuple[str, str, float], ...] = ()
    sea_crossing: bool = False
    weakest: tuple[int, int, float] | None = None
    scale_people: float | None = None
    density: tuple[int, float, int, float, str] | None = None
    missing: tuple[tuple[str, str, int | None], ...] = ()
    completeness: float = 1.0
    missing_penalty: float = 0.0
    flags: tuple[str, ...] = ()
    estimated: tuple[str, ...] = ()
    voluntary: bool = False

    @property
    def size(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class RegionValues:
    """The per-region values the facts read, as ``code -> value`` dicts (a pandas look-up per
    member costs far more than the rest of a candidate's facts).

    Attributes
    ----------
    raw
        Column of :attr:`analysis.ranking.Candidates.raw` -> code -> value.
    population
        Code -> population (float).
    estimated
        Code -> whether the seat point is estimated.
    """

    raw: dict[str, dict]
    population: dict[str, float]
    estimated: dict[str, bool]


def region_values(candidates: Candidates) -> RegionValues:
    """:class:`RegionValues` of ``candidates`` (build once, for all the rows explained)."""
    raw = candidates.raw
    population = candidates.population
    estimated = candidates.seat_estimated
    return RegionValues(
        raw={c: dict(zip(raw.index, raw[c].to_numpy(), strict=True)) for c in raw.columns},
        population=dict(zip(population.index, population.to_numpy(float), strict=True)),
        estimated={}
        if estimated is None
        else dict(zip(estimated.index, estimated.fillna(False).to_numpy(bool), strict=True)),
    )


def _values(term, raw: dict[str, dict], codes, names, idx) -> TermValues:
    values = []
    for i in idx:
        value = raw[term.key][codes[i]] if term.key in raw else float("nan")
        values.append((codes[i], names[i], float(value)))
    return TermValues(term, tuple(values))


def _missing(sector, raw: dict[str, dict], codes, names, gap_idx, cap_idx, pop, pop_year) -> list:
    """``(name, term, year)`` of the figures the form needs that members lack (term None: the
    population)."""
    out = []
    for terms, idx in ((sector.gap, gap_idx), (sector.capacity, cap_idx)):
        for i in idx:
            for term in terms:
                value = raw[term.key][codes[i]] if term.key in raw else np.nan
                if not np.isfinite(value):
                    out.append((names[i], term, term.year))
    for i in range(len(codes)):
        if not np.isfinite(pop[i]):
            out.append((names[i], None, pop_year))
    return out


def candidate_facts(
    row: pd.Series, candidates: Candidates, values: RegionValues | None = None
) -> CandidateFacts:
    """The facts of one candidate row (a row of ``candidates.frame()``, with ``set_row``);
    ``values``: :func:`region_values` of ``candidates``, when several rows are explained."""
    attrs, settings, sector = candidates.attrs, candidates.settings, candidates.sector_def
    values = region_values(candidates) if values is None else values
    raw = values.raw
    s = int(row["set_row"])
    codes = tuple(str(m) for m in row["members"])
    names = tuple(str(n) for n in row["member_names"])
    size = len(codes)
    pop = np.array([values.population.get(c, np.nan) for c in codes], dtype=float)
    adj = attrs.linked(s)
    links = attrs.maritime.of(s)
    maritime = tuple(
        (names[i], names[j], float(km))
        for i, j, km in zip(
            attrs.maritime.i[links], attrs.maritime.j[links], attrs.maritime.km[links], strict=True
        )
    )
    one = attrs.rows(s, s + 1)
    road = road_km(one, settings)[0]
    pairs = member_pairs(attrs.sets.shape[1])
    dist = np.zeros((size, size))
    for p, (i, j) in enumerate(pairs):
        if i < size and j < size:
            dist[i, j] = dist[j, i] = road[p]
    everyone = range(size)
    host = provider = None
    host_links, host_largest = 0, False
    clients: tuple[int, ...] = ()
    via: list[tuple[int, int]] = []
    capacity: tuple[TermValues, ...] = ()
    if row["form"] == "joint":
        gap = tuple(_values(t, raw, codes, names, everyone) for t in sector.gap)
        host = int(central_member(one, settings)[0][0])
        host_links = int(adj[host].sum())
        host_largest = bool(np.isfinite(pop[host]) and pop[host] >= np.nanmax(pop))
        service = host
        missing = _missing(sector, raw, codes, names, everyone, (), pop, candidates.population_year)
    else:
        provider = codes.index(str(row["provider"]))
        service = provider
        clients = tuple(i for i in everyone if i != provider)
        order = (provider, *clients)
        capacity = tuple(
            _values(t, raw, codes, names, order)
            for t in sorted(sector.capacity, key=lambda t: -t.weight)
        )
        gap = tuple(_values(t, raw, codes, names, clients) for t in sector.gap)
        hops = _first_hops(adj, provider)
        via = [(i, hops[i]) for i in clients if not adj[provider, i] and hops[i] is not None]
        missing = _missing(
            sector, raw, codes, names, clients, everyone, pop, candidates.population_year
        )
    seat_km = tuple((i, float(dist[service, i])) for i in everyone if i != service)
    reach_km = float(sector.reach.value) if sector.reach is not None else None
    beyond = tuple((i, d) for i, d in seat_km if reach_km is not None and d > reach_km)
    sea_km = float(sector.sea.value) if sector.sea is not None else None
    sea_links = tuple(m for m in maritime if sea_km is not None and m[2] > sea_km)
    flags = tuple(row.get("flags") or ())
    weakest = None
    known = [i for i in everyone if np.isfinite(pop[i])]
    if len(known) >= 2:
        d = np.maximum(dist, settings.min_distance_km)
        tie = {
            i: max(
                ((pop[i] * pop[j] / d[i, j] ** 2, j) for j in known if j != i),
                key=lambda x: x[0],
            )
            for i in known
        }
        worst = min(known, key=lambda i: (tie[i][0], i))
        weakest = (worst, tie[worst][1], float(dist[worst, tie[worst][1]]))
    density = None
    if sector.complementarity is not None and "complementarity" in raw:
        rho = np.array([raw["complementarity"].get(c, np.nan) for c in codes], dtype=float)
        ok = [i for i in everyone if np.isfinite(rho[i]) and rho[i] > 0]
        if len(ok) >= 2:
            hi = max(ok, key=lambda i: rho[i])
            lo = min(ok, key=lambda i: rho[i])
            density = (hi, float(rho[hi]), lo, float(rho[lo]), "")
    estimated = ()
    if candidates.seat_estimated is not None:
        estimated = tuple(names[i] for i in everyone if values.estimated.get(codes[i], False))
    return CandidateFacts(
        form=str(row["form"]),
        sector=sector,
        codes=codes,
        names=names,
        gap=gap,
        capacity=capacity,
        host=host,
        host_links=host_links,
        host_largest=host_largest,
        provider=provider,
        clients=clients,
        via=tuple(via),
        border_km=float(attrs.border_km[s]),
        maritime=maritime,
        population=float(np.nansum(pop)),
        population_year=candidates.population_year,
        cross_province=bool(row["cross_province"]),
        wajib=bool(row["wajib_indication"]),
        service=service,
        seat_km=seat_km,
        reach_km=reach_km,
        beyond=beyond,
        sea_km=sea_km,
        sea_links=sea_links,
        sea_crossing="sea_crossing" in flags,
        weakest=weakest,
        scale_people=float(sector.scale.value) if sector.scale is not None else None,
        density=density,
        missing=tuple(missing),
        completeness=float(row.get("data_completeness", 1.0)),
        missing_penalty=float(candidates.missing_penalty),
        flags=flags,
        estimated=estimated,
        voluntary="voluntary" in flags,
    )


def _first_hops(adj: np.ndarray, start: int) -> list[int | None]:
    """For each member, the first member after ``start`` on a shortest link path to it."""
    first: list[int | None] = [None] * len(adj)
    seen = {start}
    frontier = []
    for j in np.flatnonzero(adj[start]):
        first[int(j)] = int(j)
        seen.add(int(j))
        frontier.append(int(j))
    while frontier:
        nxt = []
        for i in frontier:
            for j in np.flatnonzero(adj[i]):
                if int(j) not in seen:
                    seen.add(int(j))
                    first[int(j)] = first[i]
                    nxt.append(int(j))
        frontier = nxt
    return first
