"""Tables for people: candidates and member indicators, in the chosen language.

Headers come from the catalogue and every number is formatted for the language
(:func:`common.text.fmt_number`: ``1.234,5`` in Bahasa Indonesia, ``1,234.5`` in English); cells
are plain text (the app shows them as text, never as HTML or Markdown).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from common.text import fmt_number, format_value, translator
from kerjasama.present.labels import component_label, form_label


def member_table(
    members: Sequence[str],
    table: pd.DataFrame,
    columns: Sequence[str],
    labels: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Indicator values of the members (rows, in the given order) for ``columns``, as text.

    Columns are renamed with ``labels``; the first column holds the member names; numbers are
    written in the language, missing values as ``t.a.`` / ``n/a``. Indexed by the member codes
    (index named with the translated "Code").
    """
    tr = translator(lang)
    present = [c for c in columns if c in table.columns]
    values = table.reindex(list(members))[present]
    out = pd.DataFrame(
        {
            (labels or {}).get(c, c): [fmt_number(v, lang) for v in values[c].to_numpy()]
            for c in present
        },
        index=pd.Index(list(members), name=tr("ui.col_code")),
    )
    if names is not None:
        out.insert(0, tr("ui.col_region"), [names.get(code, code) for code in members])
    return out


#: the words of each row flag of the model (analysis.ranking.FLAGS) in the table's notes
FLAG_KEYS = {
    "low_need": "ui.flag_low_need",
    "low_capacity": "ui.flag_low_capacity",
    "low_client_gap": "ui.flag_low_client_gap",
    "beyond_reach": "ui.flag_beyond_reach",
    "sea_crossing": "ui.flag_sea_crossing",
    "incomplete_data": "ui.flag_incomplete_data",
    "voluntary": "ui.flag_voluntary",
    "estimated_seat": "ui.flag_estimated_seat",
}


def candidate_table(candidates: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The ranked candidates as a display table with translated headers (plain text cells)."""
    tr = translator(lang)

    def provider_name(row: pd.Series) -> str:
        provider = row.get("provider")
        if provider is None or (isinstance(provider, float) and math.isnan(provider)):
            return ""
        members = list(row["members"])
        return str(row["member_names"][members.index(provider)]) if provider in members else ""

    def components(value: object) -> str:
        return ", ".join(
            f"{component_label(k, lang)} {fmt_number(v, lang, decimals=2)}"
            for k, v in dict(value or {}).items()
        )

    def notes(row: pd.Series) -> str:
        out = []
        if bool(row.get("cross_province")):
            out.append(tr("ui.flag_cross_province"))
        if int(row.get("maritime_links") or 0):
            out.append(tr("ui.flag_maritime", n=int(row["maritime_links"])))
        if bool(row.get("wajib_indication")):
            out.append(tr("ui.flag_wajib"))
        if row.get("existing"):  # "sudah ada kerja sama: ..." instead of presented as new
            out.append(str(row["existing"]))
        flags = row.get("flags")
        for flag in flags if isinstance(flags, (list, tuple)) else ():
            if flag in FLAG_KEYS:
                out.append(tr(FLAG_KEYS[flag]))
        return ", ".join(out)

    def count(value: object) -> str:
        return "" if value is None or pd.isna(value) else fmt_number(int(value), lang)

    def share(value: object) -> str:
        return "" if value is None or pd.isna(value) else format_value(float(value), ".0%", lang)

    none = pd.Series(None, index=candidates.index, dtype=object)

    stability = candidates.get("stability", pd.Series(None, index=candidates.index))
    explanation = candidates.get("explanation", pd.Series("", index=candidates.index))
    return pd.DataFrame(
        {
            tr("ui.col_rank"): candidates["rank"].astype(int).to_numpy(),
            tr("ui.col_score"): [fmt_number(v, lang, decimals=3) for v in candidates["score"]],
            tr("ui.col_form"): [form_label(str(f), lang) for f in candidates["form"]],
            tr("ui.col_members"): [", ".join(map(str, n)) for n in candidates["member_names"]],
            tr("ui.col_provider"): [provider_name(r) for _, r in candidates.iterrows()],
            tr("ui.col_flags"): [notes(r) for _, r in candidates.iterrows()],
            tr("ui.col_variants"): [count(v) for v in candidates.get("variants", none)],
            tr("ui.col_completeness"): [
                share(v) for v in candidates.get("data_completeness", none)
            ],
            tr("ui.col_stability"): [
                "" if v is None or pd.isna(v) else format_value(float(v), ".0%", lang)
                for v in stability
            ],
            tr("ui.col_components"): [components(v) for v in candidates["score_components"]],
            tr("ui.col_explanation"): explanation.fillna("").astype(str).to_numpy(),
            tr("ui.col_cluster_id"): candidates["cluster_id"].astype(str).to_numpy(),
        }
    )
