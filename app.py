"""kerjasama: the Streamlit app (``streamlit run app.py``).

Thin wiring only: widgets -> ``analysis.pipeline`` and the presentation modules of
``kerjasama.present`` (map, tables, words, export, brief, upload). Heavy steps (reading,
adjacency, enumeration, display geometry) are cached so moving a weight slider only re-scores.
All text comes from the catalogue (``common/catalogue``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from analysis import pipeline
from analysis.config import load_config
from common.errors import InputError, KerjasamaError, MissingDataError
from common.text import t, translator
from geo.display import display_regions, label_points
from kerjasama import paths
from kerjasama.present import map as webmap
from kerjasama.present import tables
from kerjasama.present.labels import component_label, form_label
from kerjasama.present.upload import MAX_UPLOAD_MB, Upload, read_uploads
from kerjasama.present.words import (
    boundary_messages,
    explain_rows,
    join_messages,
    province_options,
    unmatched_in_scope,
    validation_text,
)

ALL = "__all__"
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

st.set_page_config(page_title="kerjasama", page_icon=":handshake:", layout="wide")


# ---------------------------------------------------------------- cached heavy steps


@st.cache_resource(show_spinner=False)
def get_config():
    return load_config()


@st.cache_resource(show_spinner=False, max_entries=4)
def folder_data(boundaries: str, indicators: str, stamp: tuple):
    """Regions, joined table, report, problems and edges of the data folder (by file stamp)."""
    config = get_config()
    regions = pipeline.load_regions(boundaries)
    table, report, problems = pipeline.load_table(indicators, regions, None, None, config)
    edges = pipeline.build_adjacency(regions)
    return regions, table, report, problems, edges


@st.cache_resource(show_spinner=False, max_entries=2)
def upload_data(digest: str, _boundaries: tuple, _indicators: Upload, bkey: str, ikey: str, **kw):
    """Uploaded data read and joined (keyed by the content digest and options), plus its edges."""
    data = read_uploads(
        list(_boundaries),
        _indicators,
        config=get_config(),
        boundary_key=bkey,
        indicator_key=ikey,
        **kw,
    )
    return data, pipeline.build_adjacency(data.regions)


@st.cache_resource(show_spinner=False, max_entries=16)
def prepared_scope(data_key: str, _regions, _edges, province, cross: bool, maritime: bool):
    return pipeline.prepare(
        _regions, _edges, province=province, cross_province=cross, maritime=maritime
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def display_scope(data_key: str, _regions, codes: tuple):
    return display_regions(_regions.loc[list(codes)])


# ---------------------------------------------------------------- pieces of the page


def no_data_screen(tr, folder: Path) -> None:
    st.header(tr("ui.nodata_title"))
    st.write(tr("ui.nodata_intro", path=str(folder)))
    st.markdown(tr("ui.how_to_get_data"))


def folder_files(config) -> tuple[Path, Path] | None:
    """The data folder's boundary and indicator files, or None when it lacks them."""
    try:
        return (
            paths.default_boundaries(None, config.data.boundary_file),
            paths.default_indicators(None, config.data.indicator_file),
        )
    except MissingDataError:
        return None


def upload_form(tr, where, expanded: bool) -> None:
    """Upload widgets; "use" keeps the uploads in the session (bytes only, no file written)."""
    with where.expander(tr("ui.upload_heading"), expanded=expanded):
        st.caption(tr("ui.upload_limit", limit=MAX_UPLOAD_MB))
        bfiles = st.file_uploader(
            tr("ui.upload_boundaries"),
            type=["zip", "gpkg", "geojson", "json", "shp", "shx", "dbf", "prj", "cpg"],
            accept_multiple_files=True,
            key="up_boundaries",
        )
        ifile = st.file_uploader(tr("ui.upload_indicators"), type=["csv", "xlsx"], key="up_ind")
        options = {
            "id_field": st.text_input(tr("ui.upload_id_field"), key="up_idf").strip(),
            "name_field": st.text_input(tr("ui.upload_name_field"), key="up_namef").strip(),
            "indicator_name": st.text_input(tr("ui.upload_indicator_name"), key="up_iname").strip(),
            "names": not st.checkbox(tr("ui.upload_no_name_check"), key="up_nonames"),
            "keep_non_regions": st.checkbox(tr("ui.upload_keep_non_regions"), key="up_keep"),
        }
        bkey = st.text_input(tr("ui.upload_boundary_key"), key="up_bkey")
        ikey = st.text_input(tr("ui.upload_indicator_key"), key="up_ikey")
        if st.button(tr("ui.upload_use"), key="up_use"):
            boundaries = tuple(Upload(f.name, f.getvalue()) for f in bfiles or [])
            indicators = Upload(ifile.name, ifile.getvalue()) if ifile else None
            st.session_state["uploads"] = (
                boundaries, indicators, bkey.strip(), ikey.strip(), options
            )  # fmt: skip
        if "uploads" in st.session_state and st.button(tr("ui.upload_clear"), key="up_clear"):
            del st.session_state["uploads"]


def load_data(tr, files: tuple[Path, Path] | None):
    """(regions, table, report, problems, edges, data_key, source names) of the uploads (when
    used) or of the data folder."""
    if "uploads" in st.session_state:
        boundaries, indicators, bkey, ikey, *more = st.session_state["uploads"]
        options = more[0] if more else {}
        if indicators is None or not boundaries:
            raise InputError("errors.upload.need_both")
        digest = hashlib.sha256()
        for item in (*boundaries, indicators):
            digest.update(item.name.encode() + b"\0" + item.data)
        digest.update(f"{bkey}\0{ikey}\0{sorted(options.items())}".encode())
        key = "upload:" + digest.hexdigest()
        with st.spinner(tr("ui.computing")):
            data, edges = upload_data(key, boundaries, indicators, bkey, ikey, **options)
        st.sidebar.caption(
            tr(
                "ui.data_uploaded_caption",
                boundaries=data.boundary_name,
                indicators=data.indicator_name,
            )
        )
        names = (data.boundary_name, data.indicator_name)
        return data.regions, data.table, data.report, data.problems, edges, key, names
    bpath, ipath = files
    stamp = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in (bpath, ipath))
    with st.spinner(tr("ui.computing")):
        regions, table, report, problems, edges = folder_data(str(bpath), str(ipath), stamp)
    st.sidebar.caption(tr("ui.data_folder_caption", path=str(paths.data_dir())))
    st.sidebar.caption(tr("ui.data_files_caption", boundaries=bpath.name, indicators=ipath.name))
    key = f"{bpath}|{ipath}|{stamp}"
    return regions, table, report, problems, edges, key, (bpath.name, ipath.name)


def data_report(tr, lang: str, regions, report, problems, sources) -> None:
    """How the data was read and joined, in the page language: warnings above the map, the
    whole report (as ``kerjasama validate`` prints it) in an expander, as plain text."""
    warnings = [m for level, m in boundary_messages(regions) if level == "warning"]
    for message in [*warnings, *join_messages(report)]:
        st.warning(message.render(lang, "app"))
    with st.expander(tr("ui.data_report_heading"), expanded=False):
        st.text(validation_text(sources[0], regions, sources[1], None, problems, report, lang))


def remember(name: str, default):
    """The language-independent value of a widget (see :func:`keep`)."""
    return st.session_state.get(f"keep:{name}", default)


def keep(name: str, value):
    """Store a widget's value under a language-independent name and return it.

    Streamlit resets a widget whose label or option labels change, so every translated widget
    has a per-language key and is seeded from this store: a language switch keeps the choices.
    """
    st.session_state[f"keep:{name}"] = value
    return value


def kept_toggle(where, label: str, name: str, default: bool, key: str, **kw) -> bool:
    """A translated toggle whose value survives a language switch (see :func:`keep`)."""
    return keep(name, where.toggle(label, value=remember(name, default), key=key, **kw))


def controls(tr, lang: str, regions, config):
    """Sidebar widgets; returns the chosen options as a dict."""
    side = st.sidebar
    side.subheader(tr("ui.controls_heading"))
    provinces = province_options(regions, lang)
    options = [ALL, *provinces]
    default = config.data.province if config.data.province in provinces else ALL
    scope = remember("scope", default)
    scope = keep(
        "scope",
        side.selectbox(
            tr("ui.scope_label"),
            options,
            index=options.index(scope if scope in options else default),
            format_func=lambda c: tr("ui.scope_all") if c == ALL else provinces[c],
            key=f"scope:{lang}",
        ),
    )
    sectors = list(config.sectors)
    sector = remember("sector", "water" if "water" in sectors else sectors[0])
    sector = keep(
        "sector",
        side.selectbox(
            tr("ui.sector_label"),
            sectors,
            index=sectors.index(sector if sector in sectors else sectors[0]),
            format_func=lambda s: config.sectors[s].label(lang),
            key=f"sector:{lang}",
        ),
    )
    lo, hi = keep(
        "sizes",
        side.slider(tr("ui.size_label"), 2, 5, remember("sizes", (2, 5)), key=f"sizes:{lang}"),
    )
    sec_forms = list(config.sectors[sector].forms)
    forms = keep(
        f"forms_{sector}",
        side.multiselect(
            tr("ui.forms_label"),
            sec_forms,
            default=[f for f in remember(f"forms_{sector}", sec_forms) if f in sec_forms],
            format_func=lambda f: form_label(f, lang),
            key=f"forms_{sector}:{lang}",
        ),
    )
    maritime = kept_toggle(side, tr("ui.maritime_label"), "maritime", True, f"mar:{lang}")
    cross = kept_toggle(
        side, tr("ui.cross_province_label"), "cross", False, f"cross:{lang}", disabled=scope == ALL
    )
    settings = config.clusters
    top = keep(
        "top",
        side.slider(
            tr("ui.top_n_label"), 1, 100, remember("top", int(settings.top)), key=f"top:{lang}"
        ),
    )
    weights: dict[str, dict[str, float]] = {}
    with side.expander(tr("ui.weights_heading")):
        st.caption(tr("ui.weights_help"))
        for form in forms:
            st.markdown(f"**{form_label(form, lang)}**")
            weights[form] = {
                comp: keep(
                    f"w_{form}_{comp}",
                    st.slider(
                        component_label(comp, lang),
                        0.0,
                        1.0,
                        float(remember(f"w_{form}_{comp}", value)),
                        0.05,
                        key=f"w_{form}_{comp}:{lang}",
                    ),
                )
                for comp, value in settings.weights.get(form, {}).items()
            }
    show_edges = kept_toggle(side, tr("ui.edges_label"), "edges", True, f"edges:{lang}")
    presentation = kept_toggle(
        side, tr("ui.presentation_label"), "presentation", False, f"presentation:{lang}"
    )
    return {
        "province": None if scope == ALL else scope,
        "scope_label": tr("ui.scope_all") if scope == ALL else provinces[scope],
        "sector": sector,
        "sizes": (lo, hi),
        "forms": forms,
        "maritime": maritime,
        "cross": bool(cross and scope != ALL),
        "top": top,
        "weights": weights,
        "show_edges": show_edges,
        "presentation": presentation,
    }


def candidate_detail(tr, lang, row, table, config, sector, names) -> None:
    heading = tr(
        "ui.candidate_heading", rank=int(row["rank"]), names=", ".join(row["member_names"])
    )
    st.markdown(f"#### {heading}")
    st.write(row.get("explanation") or "")
    if bool(row.get("wajib_indication")):
        st.caption(tr("ui.wajib_note"))
    sec = config.sectors[sector]
    columns = [*sec.columns, config.data.population]
    labels = {c: config.indicators[c].label(lang) for c in columns if c in config.indicators}
    st.markdown(f"**{tr('ui.candidate_indicators')}**")
    st.dataframe(tables.member_table(row["members"], table, columns, labels, names, lang))


def main() -> None:
    lang = st.sidebar.radio(
        t("ui.lang_switch"),
        list(LANG_NAMES),
        format_func=LANG_NAMES.get,
        key="lang",
        horizontal=True,
    )
    tr = translator(lang)
    st.title(tr("ui.app_title"))
    st.caption(tr("ui.app_subtitle"))
    config = get_config()

    files = folder_files(config)
    if files is None and "uploads" not in st.session_state:
        no_data_screen(tr, paths.data_dir())
        upload_form(tr, st, expanded=True)
        return
    upload_form(tr, st.sidebar, expanded=False)
    regions, table, report, problems, edges, data_key, sources = load_data(tr, files)
    data_report(tr, lang, regions, report, problems, sources)
    opts = controls(tr, lang, regions, config)

    with st.spinner(tr("ui.computing")):
        prepared = prepared_scope(
            data_key, regions, edges, opts["province"], opts["cross"], opts["maritime"]
        )
        prepared = pipeline.restrict_sizes(prepared, *opts["sizes"])
        ranked = pipeline.score(
            prepared,
            table,
            opts["sector"],
            config=config,
            weights=opts["weights"],
            forms=opts["forms"],
        )
        shown, _ = pipeline.finalize(ranked, top=opts["top"])
        shown = explain_rows(ranked, shown, lang)
        display = display_scope(data_key, regions, prepared.ids)
        gap = pipeline.scope_gap(ranked)
    missing = unmatched_in_scope(report, prepared.ids)
    if missing is not None:
        st.warning(missing.render(lang, "app"))

    names = regions["name"].astype(str).to_dict()
    ids = list(shown["cluster_id"])
    selected = st.session_state.get("selected_cluster")
    if selected not in ids:
        selected = ids[0] if ids else None
        st.session_state["selected_cluster"] = selected
    pick_key = f"pick:{lang}"
    if ids and st.session_state.get(pick_key) not in ids:
        st.session_state[pick_key] = selected

    sector = config.sectors[opts["sector"]]
    legend = tr(
        "ui.legend_gap", sector=sector.label(lang), detail=webmap.gap_legend_detail(sector, lang)
    )
    drawn_edges = edges if opts["maritime"] else edges[edges["kind"] == "land"]
    outlines = webmap.candidate_outlines(shown, display) if ids else None
    fmap = webmap.build_map(
        display,
        gap=gap,
        edges=drawn_edges,
        candidates=shown,
        legend_title=legend,
        selected=selected,
        lang=lang,
        show_edges=opts["show_edges"],
        outlines=outlines,
    )
    if opts["presentation"]:
        map_col, side_col = st.container(), st.container()
    else:
        map_col, side_col = st.columns([3, 2])
    with map_col:
        st.subheader(tr("ui.map_heading"))
        st.caption(tr("ui.map_help"))
        event = st_folium(
            fmap,
            height=780 if opts["presentation"] else 560,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            key="map",
        )
    anchors = label_points(outlines) if ids else None
    click = webmap.parse_click((event or {}).get("last_active_drawing"), anchors)
    if click and click != st.session_state.get("last_click"):
        st.session_state["last_click"] = click
        if click[0] == "candidate" and click[1] in ids and click[1] != selected:
            st.session_state["selected_cluster"] = st.session_state[pick_key] = click[1]
            st.rerun()
        if click[0] == "region":
            st.session_state["clicked_region"] = click[1]

    with side_col:
        region = st.session_state.get("clicked_region")
        if region in names:
            hits = webmap.candidates_with_region(shown, region)
            st.markdown(f"**{tr('ui.region_candidates', name=names[region])}**")
            if len(hits):
                st.dataframe(tables.candidate_table(hits, lang), hide_index=True)
            else:
                st.caption(tr("ui.region_no_candidates", name=names[region]))
        if ids:
            labels = {
                c: webmap.candidate_label(r, lang)
                for c, r in zip(ids, shown.to_dict("records"), strict=True)
            }
            pick = st.selectbox(tr("ui.candidate_pick"), ids, format_func=labels.get, key=pick_key)
            if pick != selected:
                st.session_state["selected_cluster"] = pick
                st.rerun()
            row = shown.loc[shown["cluster_id"] == pick].iloc[0]
            candidate_detail(tr, lang, row, table, config, opts["sector"], names)

    st.subheader(tr("ui.table_heading"))
    if not ids:
        st.info(tr("ui.no_candidates"))
        return
    st.caption(tr("ui.table_help"))
    event = st.dataframe(
        tables.candidate_table(shown, lang),
        hide_index=True,
        on_select="rerun",
        selection_mode="multi-row",
        key="table",
    )
    rows = sorted(event.selection.rows) if event is not None else []
    opened = shown["cluster_id"] == st.session_state.get("selected_cluster", ids[0])
    chosen = shown.iloc[rows] if rows else shown.loc[opened.to_numpy()]
    downloads(tr, lang, chosen, bool(rows), regions, table, config, opts, sources)


def downloads(tr, lang, chosen, ticked, regions, table, config, opts, sources) -> None:
    """Download buttons; files are made only when a button is clicked (deferred callables)."""
    from kerjasama.present.brief import brief_html, brief_pdf, build_brief
    from kerjasama.present.export import candidates_to_geojson, members_csv, shapefile_zip

    st.subheader(tr("ui.selection_heading"))
    ranks = ", ".join(f"#{r}" for r in chosen["rank"])
    st.caption(
        tr("ui.selection_count", n=len(chosen), ranks=ranks)
        if ticked
        else tr("ui.selection_none", ranks=ranks)
    )
    stem = f"kerjasama_{opts['sector']}_{opts['province'] or 'idn'}"

    def brief():
        return build_brief(
            chosen,
            regions,
            table,
            config=config,
            sector=opts["sector"],
            lang=lang,
            scope=opts["scope_label"],
            boundary_source=sources[0],
            indicator_source=sources[1],
            date=dt.date.today(),
        )

    buttons = (
        (
            "ui.download_geojson",
            lambda: candidates_to_geojson(chosen, regions),
            ".geojson",
            "application/geo+json",
        ),
        ("ui.download_csv", lambda: members_csv(chosen), "_members.csv", "text/csv"),
        ("ui.download_shp", lambda: shapefile_zip(chosen, regions), "_shp.zip", "application/zip"),
        ("ui.download_brief_html", lambda: brief_html(brief()), "_brief.html", "text/html"),
        ("ui.download_brief_pdf", lambda: brief_pdf(brief()), "_brief.pdf", "application/pdf"),
    )
    for column, (label, make, suffix, mime) in zip(st.columns(len(buttons)), buttons, strict=True):
        column.download_button(tr(label), make, f"{stem}{suffix}", mime, key=label)


try:
    main()
except KerjasamaError as err:
    _lang = st.session_state.get("lang")
    st.error(f"**{translator(_lang)('ui.error_heading')}**\n\n{err.render(_lang, 'app')}")
