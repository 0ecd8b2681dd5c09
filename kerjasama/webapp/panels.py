"""The panels around the map: candidate detail, comparison, selection and downloads, data.

Every text comes from the catalogue; user text (region and file names) is passed to Streamlit
as plain text only (``st.text``, table cells, ``st.caption`` of catalogue templates whose
parameters are escaped for Markdown by :func:`plain`).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from analysis import pipeline
from common.text import t, translator
from kerjasama.present import tables
from kerjasama.present.datainfo import comparison_table, data_sources, missing_figures

#: The page languages (the catalogue's), each named in itself.
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def language_switch() -> str:
    """The sidebar language switch every page shows; returns the chosen language.

    The choice carries over between pages (re-assigning a widget's state keeps it when the
    page that drew it is left) and a link's ``?lang=`` sets it on first load.
    """
    if "lang" in st.session_state:
        st.session_state["lang"] = st.session_state["lang"]
    elif st.query_params.get("lang") in LANG_NAMES:
        st.session_state["lang"] = st.query_params["lang"]
    return st.sidebar.radio(
        t("ui.lang_switch"),
        list(LANG_NAMES),
        format_func=LANG_NAMES.get,
        key="lang",
        horizontal=True,
    )


def _remember_open(name: str, key: str) -> None:
    st.session_state[f"open:{name}"] = bool(st.session_state.get(key))


def lazy_expander(where, label: str, name: str, lang: str):
    """A folded expander that tells whether it is open (``.open``), so that its content is
    made and sent only while it is: the browser spends seconds drawing widgets and tables
    hidden in folded expanders on every page load and full rerun. Opening or folding it
    re-runs the page (or the fragment it sits in); whether it is open is kept under ``name``
    across language switches and label changes."""
    key = f"{name}:{lang}"
    return where.expander(
        label,
        expanded=bool(st.session_state.get(f"open:{name}", False)),
        key=key,
        on_change=_remember_open,
        args=(name, key),
    )


_MD = re.compile(r"([\\`*_\[\]#|<>~$])")


def plain(text: object) -> str:
    """``text`` with every Markdown/HTML character escaped, for Markdown-rendering widgets."""
    return _MD.sub(r"\\\1", str(text))


def candidate_detail(lang, row, table, config, sector, names) -> None:
    """The opened candidate: heading, explanation, member indicator table."""
    tr = translator(lang)
    st.markdown(
        "#### "
        + plain(
            tr("ui.candidate_heading", rank=int(row["rank"]), names=", ".join(row["member_names"]))
        )
    )
    st.text(row.get("explanation") or "")
    if bool(row.get("wajib_indication")):
        st.caption(tr("ui.wajib_note"))
    sec = config.sectors[sector]
    columns = [*sec.columns, config.data.population]
    labels = {c: config.indicators[c].label(lang) for c in columns if c in config.indicators}
    st.markdown(f"**{tr('ui.candidate_indicators')}**")
    st.dataframe(tables.member_table(row["members"], table, columns, labels, names, lang))


def comparison(lang, rows: pd.DataFrame, facts: list, table, config, sector) -> None:
    """Side by side: 2–3 candidates (members, form, provider, components, figures, distances)."""
    tr = translator(lang)
    st.subheader(tr("ui.compare_heading"))
    if len(rows) < 2:
        st.caption(tr("ui.compare_help"))
        return
    frame = comparison_table(rows.head(3), facts[:3], table, config, sector, lang)
    st.dataframe(frame, width="stretch", row_height=56)


def data_panel(lang, data, prep, config, sector: str, scope_label: str) -> None:
    """Which join was used, how many regions matched, which regions lack which figure for the
    sector, and the years and sources."""
    tr = translator(lang)
    panel = lazy_expander(st, tr("ui.data_heading"), "data", lang)
    if not panel.open:
        return
    report, missing, sources = _data_facts(
        data.key, data, prep, config, sector, lang, tuple(prep.ids)
    )
    with panel:
        st.text(tr("ui.data_files", boundaries=data.names[0], indicators=data.names[1]))
        st.markdown(f"**{tr('ui.data_report_heading')}**")
        st.text(report)
        st.markdown(f"**{plain(tr('ui.data_missing_heading', scope=scope_label))}**")
        st.dataframe(missing, hide_index=True, width="stretch")
        st.markdown(f"**{tr('ui.data_sources_heading')}**")
        st.dataframe(sources, hide_index=True, width="stretch")


@st.cache_resource(show_spinner=False, max_entries=32)
def _data_facts(key: str, _data, _prep, _config, sector: str, lang: str, scope: tuple):
    """(validate report, missing figures, sources) of a data source, scope and sector."""
    from kerjasama.present.words import validation_text

    data, config = _data, _config
    report = validation_text(
        data.names[0], data.regions, data.names[1], None, data.problems, data.report, lang
    )
    return (
        report,
        missing_figures(_prep, data.table, config, sector, lang),
        data_sources(config, sector, lang),
    )


def downloads(lang, chosen, data, config, opts, ticked: bool, prep) -> None:
    """Download buttons for exactly ``chosen`` (of the scope ``prep``, whose links the briefing
    pack draws). Files are made when a button is clicked (deferred)
    and a click does not re-run the page (``on_click="ignore"``), so the next click on any
    button still finds its file."""
    from kerjasama.present.brief import brief_html, brief_pdf, build_brief
    from kerjasama.present.export import candidates_to_geojson, members_csv, shapefile_zip

    tr = translator(lang)
    ranks = ", ".join(f"#{r}" for r in chosen["rank"])
    st.caption(
        tr("ui.selection_count", n=len(chosen), ranks=ranks)
        if ticked
        else tr("ui.selection_none", ranks=ranks)
    )
    stem = f"kerjasama_{opts['sector']}_{opts['province'] or 'idn'}"
    regions, table = data.regions, data.table

    def brief():
        from kerjasama.webapp.registrypage import brief_section  # (imports this module)

        return build_brief(
            chosen,
            regions,
            table,
            config=config,
            sector=opts["sector"],
            lang=lang,
            scope=opts["scope_label"],
            boundary_source=data.names[0],
            indicator_source=data.names[1],
            date=dt.date.today(),
            edges=pipeline.scope_links(data.edges, prep),
            agreements=brief_section(
                regions, chosen, opts["sector"], opts["province"], opts["scope_label"], lang
            ),
        )

    buttons = (
        (
            "ui.download_geojson",
            lambda: candidates_to_geojson(chosen, regions),
            ".geojson",
            "application/geo+json",
            ":material/map:",
        ),
        (
            "ui.download_csv",
            lambda: members_csv(chosen),
            "_members.csv",
            "text/csv",
            ":material/table_view:",
        ),
        (
            "ui.download_shp",
            lambda: shapefile_zip(chosen, regions),
            "_shp.zip",
            "application/zip",
            ":material/folder_zip:",
        ),
        (
            "ui.download_brief_pdf",
            lambda: brief_pdf(brief()),
            "_brief.pdf",
            "application/pdf",
            ":material/picture_as_pdf:",
        ),
        (
            "ui.download_brief_html",
            lambda: brief_html(brief()),
            "_brief.html",
            "text/html",
            ":material/language:",
        ),
    )
    slots = [*st.columns(3), *st.columns(3)[:2]]
    for column, (label, make, suffix, mime, icon) in zip(slots, buttons, strict=True):
        column.download_button(
            tr(label),
            make,
            f"{stem}{suffix}",
            mime,
            key=f"dl:{label}",
            on_click="ignore",
            icon=icon,
            width="stretch",
        )
