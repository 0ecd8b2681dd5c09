"""Honest words about the data and the candidates: what is missing, where figures come from,
why no candidate appears, what an upload gave, and candidates side by side.

Pure functions over facts (tables of strings in the chosen language); the app shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from common.text import Listing, fmt_number, translator
from kerjasama.present.labels import component_label, form_label


def _names(prep, codes: Sequence[str]) -> list[str]:
    where = {c: i for i, c in enumerate(prep.ids)}
    return [str(prep.names[where[c]]) if c in where else c for c in codes]


def sector_columns(config, sector: str) -> list[str]:
    """The indicator columns a sector reads (gap and capacity terms), in config order."""
    sec = config.sector(sector)
    return list(dict.fromkeys(sec.columns))


def missing_figures(prep, table: pd.DataFrame, config, sector: str, lang: str) -> pd.DataFrame:
    """Per indicator of the sector: how many regions of the scope lack it, and which."""
    tr = translator(lang)
    codes = [c for c in prep.ids if c in table.index]
    scope = table.loc[codes]
    rows = []
    for column in sector_columns(config, sector):
        meta = config.indicators.get(column)
        values = pd.to_numeric(scope[column], errors="coerce") if column in scope else None
        absent = list(scope.index) if values is None else list(values.index[values.isna()])
        names = _names(prep, [str(c) for c in absent])
        rows.append(
            {
                tr("ui.col_indicator"): meta.label(lang) if meta else column,
                tr("ui.col_year"): "" if meta is None or meta.year is None else str(meta.year),
                tr("ui.col_missing_n"): tr("ui.missing_n", n=len(absent), total=len(codes)),
                tr("ui.col_missing"): Listing(names, limit=12).render(lang) if names else "",
            }
        )
    return pd.DataFrame(rows)


def data_sources(config, sector: str, lang: str) -> pd.DataFrame:
    """Label, unit, year and source of each indicator the sector reads (and population)."""
    tr = translator(lang)
    rows = []
    for column in [*sector_columns(config, sector), config.data.population]:
        meta = config.indicators.get(column)
        if meta is None:
            continue
        rows.append(
            {
                tr("ui.col_indicator"): meta.label(lang),
                tr("ui.col_unit"): meta.unit_label(lang) if hasattr(meta, "unit_label") else "",
                tr("ui.col_year"): "" if meta.year is None else str(meta.year),
                tr("ui.col_source"): meta.source or column,
            }
        )
    return pd.DataFrame(rows).drop_duplicates()


def no_candidate_reasons(
    prep, table: pd.DataFrame, config, sector: str, forms: Sequence[str], scope: str, lang: str
) -> list[str]:
    """Why a scope gives no candidate, from the facts: no forms chosen, no connected member
    sets, figures missing for most regions, or no set passing a threshold."""
    tr = translator(lang)
    if not forms:
        return [tr("ui.why_no_forms")]
    if prep.n_sets == 0:
        return [
            tr("ui.why_no_sets", lo=prep.min_size, hi=prep.max_size, scope=scope, n=len(prep.ids))
        ]
    out = []
    codes = [c for c in prep.ids if c in table.index]
    for column in sector_columns(config, sector):
        values = pd.to_numeric(table.loc[codes, column], errors="coerce")
        absent = [str(c) for c in values.index[values.isna()]]
        if absent:
            meta = config.indicators.get(column)
            out.append(
                tr(
                    "ui.why_missing",
                    label=meta.label(lang) if meta else column,
                    year="" if meta is None or meta.year is None else meta.year,
                    n=len(absent),
                    total=len(codes),
                    scope=scope,
                    names=Listing(_names(prep, absent), limit=8).render(lang),
                )
            )
    out.append(tr("ui.why_thresholds", n=prep.n_sets, scope=scope))
    return out


def upload_summary(data, lang: str) -> str:
    """ "N regions read from <file>, M matched (R rows); provinces: …" for an upload."""
    tr = translator(lang)
    report = data.report
    provinces = Listing(
        [f"{name} ({code})" if name != code else code for code, name in data.provinces.items()],
        limit=6,
    ).render(lang)
    return tr(
        "ui.upload_read",
        n=len(data.regions),
        file=data.names[0],
        m=report.matched,
        rows=report.n_rows,
        indicators=data.names[1],
        provinces=provinces,
    )


def comparison_table(
    rows: pd.DataFrame, facts: list, table: pd.DataFrame, config, sector: str, lang: str
) -> pd.DataFrame:
    """2–3 candidates side by side: one column per candidate, one row per property."""
    tr = translator(lang)
    sec = config.sector(sector)
    columns = {}
    for row, fact in zip(rows.to_dict("records"), facts, strict=True):
        names = dict(zip(row["members"], row["member_names"], strict=True))
        provider = row.get("provider")
        sea = "; ".join(
            tr("ui.compare_sea_item", a=a, b=b, km=fmt_number(km, lang, decimals=1))
            for a, b, km in fact.maritime
        ) or tr("common.none")
        comps = "; ".join(
            f"{component_label(k, lang)} {fmt_number(v, lang, decimals=2)}"
            for k, v in dict(row.get("score_components") or {}).items()
        )
        stability = row.get("stability")
        entry = {
            tr("ui.compare_members"): ", ".join(map(str, row["member_names"])),
            tr("ui.compare_form"): form_label(str(row["form"]), lang),
            tr("ui.compare_provider"): names.get(provider, "") if isinstance(provider, str) else "",
            tr("ui.compare_score"): fmt_number(row["score"], lang, decimals=3),
            tr("ui.compare_components"): comps,
            tr("ui.compare_population"): fmt_number(fact.population, lang, decimals=0),
            tr("ui.compare_border"): tr("ui.km", km=fmt_number(fact.border_km, lang, decimals=1)),
            tr("ui.compare_sea"): sea,
            tr("ui.compare_stability"): ""
            if stability is None or pd.isna(stability)
            else fmt_number(100 * float(stability), lang, decimals=0) + " %",
        }
        for column in sec.columns:
            meta = config.indicators.get(column)
            label = meta.label(lang) if meta else column
            values = pd.to_numeric(table.reindex(list(row["members"]))[column], errors="coerce")
            entry[label] = "; ".join(
                f"{names[c]} {fmt_number(v, lang) if not np.isnan(v) else tr('ui.not_available')}"
                for c, v in values.items()
            )
        columns[f"#{int(row['rank'])}"] = entry
    frame = pd.DataFrame(columns)
    frame.index.name = tr("ui.compare_property")
    return frame
