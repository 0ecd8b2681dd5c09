"""The facts behind each cluster candidate, for the explanation that presentation writes.

For one candidate row this module collects what drove the suggestion, as values and not words:
the members' gap indicators, the provider's and clients' capacity indicators (contract), who
would host (joint: the member linked to most other members, then the most populous) or provide
(contract) and which clients reach the provider through another member, the shared land border,
the maritime links, the combined population and its year, and the flags (cross-province,
"indikasi kerja sama wajib", an indication for TKKSD discussion, never a legal finding).
:func:`kerjasama.present.words.explanation` turns these facts into sentences. Facts are built only
for the rows that are output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.clusters import SetAttributes


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

    @property
    def size(self) -> int:
        return len(self.codes)


def _values(term, raw: pd.DataFrame, codes, names, idx) -> TermValues:
    values = []
    for i in idx:
        value = raw.at[codes[i], term.key] if term.key in raw.columns else float("nan")
        values.append((codes[i], names[i], float(value)))
    return TermValues(term, tuple(values))


def candidate_facts(
    row: pd.Series,
    *,
    sector,
    raw: pd.DataFrame,
    population: pd.Series,
    population_year: int | None,
    attrs: SetAttributes,
) -> CandidateFacts:
    """The facts of one candidate row (``score_candidates`` output with ``set_row``)."""
    s = int(row["set_row"])
    codes = tuple(str(m) for m in row["members"])
    names = tuple(str(n) for n in row["member_names"])
    size = len(codes)
    pop = population.reindex(list(codes)).to_numpy(float)
    adj = attrs.linked(s)
    links = attrs.maritime.of(s)
    maritime = tuple(
        (names[i], names[j], float(km))
        for i, j, km in zip(
            attrs.maritime.i[links], attrs.maritime.j[links], attrs.maritime.km[links], strict=True
        )
    )
    everyone = range(size)
    host = provider = None
    host_links, host_largest = 0, False
    clients: tuple[int, ...] = ()
    via: list[tuple[int, int]] = []
    capacity: tuple[TermValues, ...] = ()
    if row["form"] == "joint":
        gap = tuple(_values(t, raw, codes, names, everyone) for t in sector.gap)
        degree = adj.sum(axis=1)
        host = sorted(everyone, key=lambda i: (-int(degree[i]), -np.nan_to_num(pop[i]), codes[i]))[
            0
        ]
        host_links = int(degree[host])
        host_largest = bool(np.isfinite(pop[host]) and pop[host] >= np.nanmax(pop))
    else:
        provider = codes.index(str(row["provider"]))
        clients = tuple(i for i in everyone if i != provider)
        order = (provider, *clients)
        capacity = tuple(
            _values(t, raw, codes, names, order)
            for t in sorted(sector.capacity, key=lambda t: -t.weight)
        )
        gap = tuple(_values(t, raw, codes, names, clients) for t in sector.gap)
        for i in clients:
            if not adj[provider, i]:
                through = [k for k in everyone if adj[provider, k] and adj[k, i]]
                via.append((i, through[0]))
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
        population_year=population_year,
        cross_province=bool(row["cross_province"]),
        wajib=bool(row["wajib_indication"]),
    )
