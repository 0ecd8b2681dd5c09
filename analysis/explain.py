"""Plain-language explanations of cluster candidates (Bahasa Indonesia by default, English).

An explanation cites the values that drove the suggestion, in their units and with their data
years: the members' gap indicators, the provider's and clients' capacity indicators (contract),
the shared land border, maritime hops, the combined population, who would host (joint: the
member linked to most other members, then the most populous) or provide (contract), and the
"indikasi kerja sama wajib" label, which is an indication for TKKSD discussion, never a legal
finding. Explanations are built only for the rows that are output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.clusters import SetAttributes, member_pairs


def format_number(value: float, lang: str = "id", decimals: int | None = None) -> str:
    """Format a number the Indonesian (``1.234.567``, ``99,5``) or English way.

    ``decimals`` defaults to 0 for integers and values of 1,000 or more, 2 below 1, else 1.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "t.a." if lang != "en" else "n/a"
    v = float(value)
    if decimals is None:
        if v.is_integer() or abs(v) >= 1000:
            decimals = 0
        elif abs(v) < 1:
            decimals = 2
        else:
            decimals = 1
    text = f"{v:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def with_unit(value: float, unit: str, lang: str = "id") -> str:
    """``99,5%``, ``47,5% rumah tangga``, ``12.345 ton/tahun``."""
    num = format_number(value, lang)
    if not unit:
        return num
    if unit.startswith("%"):
        return num + unit
    return f"{num} {unit}"


def join_names(names: Sequence[str], lang: str = "id") -> str:
    """``A, B dan C`` / ``A, B and C``."""
    names = list(names)
    word = "and" if lang == "en" else "dan"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {word} " + names[-1]


def _year(year: int | None) -> str:
    return f" ({year})" if year else ""


def _term_values(term, raw: pd.DataFrame, codes, names, lang) -> str:
    parts = []
    for code, name in zip(codes, names, strict=True):
        value = raw.at[code, term.key] if term.key in raw.columns else float("nan")
        parts.append(f"{name} {with_unit(value, term.unit_label(lang), lang)}{_year(term.year)}")
    return f"{term.label(lang)}: " + "; ".join(parts)


def explain_candidate(
    row: pd.Series,
    *,
    sector,
    raw: pd.DataFrame,
    population: pd.Series,
    population_year: int | None,
    attrs: SetAttributes,
    lang: str = "id",
) -> str:
    """The explanation of one candidate row (``score_candidates`` output with ``set_row``)."""
    en = lang == "en"
    s = int(row["set_row"])
    members = list(row["members"])
    names = list(row["member_names"])
    size = len(members)
    label = (
        sector.label(lang)
        if hasattr(sector, "label")
        else (sector.label_en if en else sector.label_id)
    )
    pop = population.reindex(members).to_numpy(float)
    pop_total = float(np.nansum(pop))
    adj = attrs.adjacency[s, :size, :size]
    border = float(attrs.border_km[s])
    pairs = member_pairs(attrs.sets.shape[1])
    hops = [
        (names[i], names[j], float(attrs.pair_maritime_km[s, p]))
        for p, (i, j) in enumerate(pairs)
        if i < size and j < size and np.isfinite(attrs.pair_maritime_km[s, p])
    ]
    text: list[str] = []

    if row["form"] == "joint":
        head = (
            f"Joint service – {label}. {join_names(names, lang)} share a service gap."
            if en
            else f"Pelayanan bersama – {label}. {join_names(names, lang)} sama-sama memiliki "
            "kesenjangan layanan."
        )
        text.append(head)
        for term in sector.gap:
            text.append(_term_values(term, raw, members, names, lang) + ".")
        degree = adj.sum(axis=1)
        order = sorted(
            range(size), key=lambda i: (-int(degree[i]), -np.nan_to_num(pop[i]), members[i])
        )
        host = order[0]
        others = int(degree[host])
        text.append(
            f"Possible host of the shared facility: {names[host]} (linked to {others} of the "
            f"other {size - 1} members{', largest population' if _largest(pop, host) else ''})."
            if en
            else f"Calon tuan rumah fasilitas bersama: {names[host]} (terhubung dengan {others} "
            f"dari {size - 1} anggota lain{', penduduk terbanyak' if _largest(pop, host) else ''})."
        )
    else:
        prov = members.index(row["provider"])
        client_idx = [i for i in range(size) if i != prov]
        clients = [names[i] for i in client_idx]
        order = [prov, *client_idx]
        head = (
            f"Contract service – {label}. Provider: {names[prov]}, the highest capacity in the "
            f"cluster; clients: {join_names(clients, lang)}."
            if en
            else f"Kontrak pelayanan – {label}. Penyedia: {names[prov]}, kapasitas tertinggi di "
            f"klaster; klien: {join_names(clients, lang)}."
        )
        text.append(head)
        cap_terms = sorted(sector.capacity, key=lambda t: -t.weight)
        for term in cap_terms:
            text.append(
                _term_values(
                    term, raw, [members[i] for i in order], [names[i] for i in order], lang
                )
                + "."
            )
        for term in sector.gap:
            text.append(
                ("Client gap – " if en else "Kesenjangan klien – ")
                + _term_values(term, raw, [members[i] for i in client_idx], clients, lang)
                + "."
            )
        via = []
        for i in client_idx:
            if not adj[prov, i]:
                mids = [k for k in range(size) if adj[prov, k] and adj[k, i]]
                via.append((names[i], names[mids[0]]))
        if not via:
            text.append(
                "Every client borders the provider."
                if en
                else "Semua klien berbatasan langsung dengan penyedia."
            )
        else:
            text.append(
                "; ".join(
                    f"{c} is reached through {m}" if en else f"{c} terhubung melalui {m}"
                    for c, m in via
                )
                + "."
            )

    link = (
        f"Shared land border {format_number(border, lang)} km"
        if en
        else f"Batas darat bersama {format_number(border, lang)} km"
    )
    if hops:
        hop_text = ", ".join(f"{a}–{b} {format_number(d, lang)} km" for a, b, d in hops)
        link += (
            f"; {len(hops)} maritime link(s) ({hop_text})"
            if en
            else f"; {len(hops)} hubungan laut ({hop_text})"
        )
    people = (
        f"combined population {format_number(pop_total, lang, 0)}{_year(population_year)}"
        if en
        else f"jumlah penduduk gabungan {format_number(pop_total, lang, 0)} jiwa"
        f"{_year(population_year)}"
    )
    text.append(f"{link}; {people}.")
    if bool(row["cross_province"]):
        text.append("Cross-province cluster." if en else "Klaster lintas provinsi.")
    if bool(row["wajib_indication"]):
        text.append(
            "Indication of mandatory cooperation (bordering regions, sector with cross-boundary "
            "externalities or economies of scale) for TKKSD discussion; not a legal finding."
            if en
            else "Indikasi kerja sama wajib (daerah berbatasan; urusan dengan eksternalitas "
            "lintas batas/efisiensi) untuk dibahas TKKSD; bukan penetapan hukum."
        )
    return " ".join(text)


def _largest(pop: np.ndarray, i: int) -> bool:
    return bool(np.isfinite(pop[i]) and pop[i] >= np.nanmax(pop))
