"""The cooperation map page: controls, the map, the opened candidate, the ranked table with the
planner's selection, comparison, downloads and the data panel.

The view lives in the URL (:mod:`kerjasama.webapp.state`): a reload or a shared link shows the
same scope, sector, language, sizes, forms, weights, list, selection and opened candidate. The
selection is a list of ``cluster_id`` s, never of row positions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from common.errors import InputError, MissingDataError
from common.text import fmt_number, format_value, translator
from kerjasama import paths
from kerjasama.present import map as webmap
from kerjasama.present import tables
from kerjasama.present.datainfo import no_candidate_reasons, upload_summary
from kerjasama.present.labels import component_label, form_label
from kerjasama.present.upload import MAX_UPLOAD_MB, Upload
from kerjasama.present.words import (
    boundary_messages,
    join_messages,
    portfolio_summary,
    unmatched_in_scope,
)
from kerjasama.webapp import compute, panels, registrypage
from kerjasama.webapp.mapview import show_map
from kerjasama.webapp.state import (
    ALL,
    Options,
    View,
    apply_table_ticks,
    keep,
    parse_query,
    remember,
    resolve_selection,
    to_query,
)

MAP_KEY = "map"
MAP_HEIGHT = 640
PRESENTATION_HEIGHT = 860
#: less empty space above the title, so the map gets the screen
PAGE_CSS = "<style>.block-container {padding-top: 2.2rem; padding-bottom: 2rem;}</style>"


# ---------------------------------------------------------------- data


def folder_files(config) -> tuple[Path, Path] | None:
    """The data folder's boundary and indicator files, or None when it lacks them."""
    try:
        return (
            paths.default_boundaries(None, config.data.boundary_file),
            paths.default_indicators(None, config.data.indicator_file),
        )
    except MissingDataError:
        return None


def upload_form(tr, where, expanded: bool, lang: str) -> None:
    """Upload widgets; "use" keeps the uploads in the session (bytes only, no file written).
    Folded (beside the map): drawn only once opened (:func:`panels.lazy_expander`)."""
    if expanded:
        panel = where.expander(tr("ui.upload_heading"), expanded=True)
    else:
        panel = panels.lazy_expander(where, tr("ui.upload_heading"), "upload", lang)
        if not panel.open:
            return
    with panel:
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


def load_data(tr, files) -> compute.Data:
    """The uploads (when used) or the data folder, read, joined and linked (cached)."""
    if "uploads" in st.session_state:
        boundaries, indicators, bkey, ikey, *more = st.session_state["uploads"]
        options = more[0] if more else {}
        if indicators is None or not boundaries:
            raise InputError("errors.upload.need_both")
        digest = hashlib.sha256()
        for item in (*boundaries, indicators):
            digest.update(item.name.encode() + b"\0" + item.data)
        digest.update(f"{bkey}\0{ikey}\0{sorted(options.items())}".encode())
        with st.spinner(tr("ui.computing")):
            data = compute.upload_data(
                digest.hexdigest(), boundaries, indicators, bkey, ikey, **options
            )
        st.sidebar.caption(  # uploaded file names are the user's text: plain
            panels.plain(
                tr("ui.data_uploaded_caption", boundaries=data.names[0], indicators=data.names[1])
            )
        )
        st.sidebar.success(panels.plain(upload_summary(data, st.session_state.get("lang", "id"))))
        return data
    bpath, ipath = files
    stamp = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in (bpath, ipath))
    with st.spinner(tr("ui.computing")):
        data = compute.folder_data(str(bpath), str(ipath), stamp)
    st.sidebar.caption(panels.plain(tr("ui.data_folder_caption", path=str(paths.data_dir()))))
    st.sidebar.caption(
        panels.plain(tr("ui.data_files_caption", boundaries=bpath.name, indicators=ipath.name))
    )
    return data


# ---------------------------------------------------------------- the view and the URL


def data_warnings(lang: str, data, prep) -> None:
    """How the data was read and joined, above the map: features set aside, signs of an older
    edition, a join made on names or without a name check, regions of the scope without data."""
    warnings = [m for level, m in boundary_messages(data.regions) if level == "warning"]
    missing = unmatched_in_scope(data.report, prep.ids)
    for message in [*warnings, *join_messages(data.report), *([missing] if missing else [])]:
        st.warning(panels.plain(message.render(lang, "app")))


def url_options(data, config) -> tuple[Options, View]:
    settings = config.clusters
    provinces = compute.scope_options(data.key, data, "id")
    options = Options(
        provinces=list(provinces),
        sectors=list(config.sectors),
        forms={s: list(config.sectors[s].forms) for s in config.sectors},
        weights={f: dict(c) for f, c in settings.weights.items()},
    )
    sectors = list(config.sectors)
    default = View(
        scope=config.data.province if config.data.province in provinces else ALL,
        sector="water" if "water" in sectors else sectors[0],
        top=int(settings.top),
    )
    default.forms = tuple(options.forms[default.sector])
    return options, default


def seed_from_url(options: Options, default: View) -> None:
    """Once per session: the URL's view becomes the widgets' starting values."""
    if st.session_state.get("url_seeded"):
        return
    st.session_state["url_seeded"] = True
    view = parse_query(st.query_params.to_dict(), options, default)
    keep("scope", view.scope)
    keep("sector", view.sector)
    keep("sizes", view.sizes)
    keep(f"forms_{view.sector}", list(view.forms))
    keep("maritime", view.maritime)
    keep("cross", view.cross)
    keep("top", view.top)
    keep("view", view.view)
    keep("flagged", view.flagged)
    keep("voluntary", view.voluntary)
    for form, comps in view.weights.items():
        for comp, value in comps.items():
            keep(f"w_{form}_{comp}", value)
    st.session_state["selected"] = list(view.selected)
    if view.opened:
        st.session_state["opened"] = view.opened


def write_url(view: View, options: Options, default: View) -> None:
    wanted = to_query(view, options, default)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


# ---------------------------------------------------------------- controls


def kept_toggle(where, label: str, name: str, default: bool, key: str, **kw) -> bool:
    """A translated toggle whose value survives a language switch."""
    return keep(name, where.toggle(label, value=remember(name, default), key=key, **kw))


def kept_select(where, label: str, options: list, name: str, default, fmt, lang: str):
    """A translated select box whose choice survives a language switch."""
    chosen = remember(name, default)
    index = options.index(chosen if chosen in options else default)
    return keep(
        name,
        where.selectbox(label, options, index=index, format_func=fmt, key=f"{name}:{lang}"),
    )


def controls(tr, lang: str, data, config, default: View) -> dict:
    """Sidebar widgets; returns the chosen options."""
    side = st.sidebar
    side.subheader(tr("ui.controls_heading"))
    provinces = compute.scope_options(data.key, data, lang)
    scope = kept_select(
        side,
        tr("ui.scope_label"),
        [ALL, *provinces],
        "scope",
        default.scope,
        lambda c: tr("ui.scope_all") if c == ALL else provinces[c],
        lang,
    )
    sector = kept_select(
        side,
        tr("ui.sector_label"),
        list(config.sectors),
        "sector",
        default.sector,
        lambda s: config.sectors[s].label(lang),
        lang,
    )
    views = {"top": "ui.view_top", "portfolio": "ui.view_portfolio"}
    view = keep(
        "view",
        side.radio(
            tr("ui.view_label"),
            list(views),
            index=list(views).index(remember("view", "top")),
            format_func=lambda v: tr(views[v]),
            key=f"view:{lang}",
        ),
    )
    lo, hi = keep(
        "sizes",
        side.slider(
            tr("ui.size_label"), 2, 5, tuple(remember("sizes", (2, 5))), key=f"sizes:{lang}"
        ),
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
    voluntary = keep(
        "voluntary",
        int(
            side.number_input(
                tr("ui.voluntary_label"),
                min_value=0,
                max_value=200,
                value=int(remember("voluntary", 0)),
                step=10,
                help=tr("ui.voluntary_help"),
                key=f"vol:{lang}",
            )
        ),
    )
    flagged = kept_toggle(
        side,
        tr("ui.flagged_label"),
        "flagged",
        False,
        f"flagged:{lang}",
        help=tr("ui.flagged_help"),
        disabled=view == "portfolio",
    )
    settings = config.clusters
    top = keep(
        "top",
        side.slider(
            tr("ui.top_n_label"), 1, 100, remember("top", int(settings.top)), key=f"top:{lang}"
        ),
    )
    weights: dict[str, dict[str, float]] = {
        form: {
            comp: float(remember(f"w_{form}_{comp}", value))
            for comp, value in settings.weights.get(form, {}).items()
        }
        for form in forms
    }  # the sliders' values (drawn only while their folded panel is open)
    panel = panels.lazy_expander(side, tr("ui.weights_heading"), "weights", lang)
    if panel.open:
        with panel:
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
    show_links = kept_toggle(side, tr("ui.edges_label"), "edges", True, f"edges:{lang}")
    show_agreements = kept_toggle(
        side, tr("registry.map.layer_toggle"), "agreements", True, f"agreements:{lang}"
    )
    presentation = kept_toggle(
        side, tr("ui.presentation_label"), "presentation", False, f"presentation:{lang}"
    )
    return {
        "province": None if scope == ALL else scope,
        "scope": scope,
        "scope_label": tr("ui.scope_all") if scope == ALL else provinces[scope],
        "sector": sector,
        "view": view,
        "sizes": (lo, hi),
        "forms": tuple(forms),
        "maritime": maritime,
        "cross": bool(cross and scope != ALL),
        "top": top,
        "weights": weights,
        "show_links": show_links,
        "show_agreements": show_agreements,
        "presentation": presentation,
        "voluntary": voluntary,
        "flagged": bool(flagged and view != "portfolio"),
    }


def table_columns(tr) -> dict:
    """Widths of the candidate table: rank, score, form and members fit without scrolling;
    a click on a long cell (members, explanation) shows it whole."""
    return {
        tr("ui.col_rank"): st.column_config.NumberColumn(width=70),
        tr("ui.col_score"): st.column_config.TextColumn(width=70),
        tr("ui.col_form"): st.column_config.TextColumn(width=130),
        tr("ui.col_members"): st.column_config.TextColumn(width="large"),
        tr("ui.col_provider"): st.column_config.TextColumn(width="medium"),
        tr("ui.col_flags"): st.column_config.TextColumn(width="medium"),
        tr("ui.col_explanation"): st.column_config.TextColumn(width="large"),
    }


# ---------------------------------------------------------------- callbacks (run before the page)


def _on_map_click(regions: tuple, candidates: tuple) -> None:
    click = webmap.parse_click(st.session_state.get(MAP_KEY), regions, candidates)
    if click is None:
        return
    kind, ident = click
    if kind == "candidate":
        st.session_state["opened"] = ident
    else:
        st.session_state["clicked_region"] = ident


def _on_table(key: str, shown_ids: tuple) -> None:
    rows = st.session_state[key]["selection"]["rows"]
    st.session_state["selected"] = apply_table_ticks(
        st.session_state.get("selected", []), shown_ids, rows
    )


def _on_pick(key: str) -> None:
    st.session_state["opened"] = st.session_state[key]


def _on_basket(key: str, others: tuple) -> None:
    st.session_state["selected"] = [*st.session_state[key], *others]


def _drop(ids: tuple) -> None:
    st.session_state["selected"] = [c for c in st.session_state.get("selected", []) if c not in ids]


# ---------------------------------------------------------------- the page


def page() -> None:
    config = compute.config()
    files = folder_files(config)
    lang = panels.language_switch()
    tr = translator(lang)
    st.html(PAGE_CSS)
    st.markdown(f"### {tr('ui.app_title')}")
    st.caption(tr("ui.app_subtitle"))
    if files is None and "uploads" not in st.session_state:
        st.header(tr("ui.nodata_title"))
        st.write(tr("ui.nodata_intro", path=str(paths.data_dir())))
        st.markdown(tr("ui.how_to_get_data"))
        upload_form(tr, st, expanded=True, lang=lang)
        return
    upload_form(tr, st.sidebar, expanded=False, lang=lang)
    data = load_data(tr, files)
    options, default = url_options(data, config)
    seed_from_url(options, default)
    opts = controls(tr, lang, data, config, default)
    key = data.key
    scope = compute.Scope(
        opts["province"], opts["cross"], opts["maritime"], float(opts["voluntary"])
    )
    choice = compute.Choice.of(scope, opts["sizes"], opts["sector"], opts["forms"], opts["weights"])
    with st.spinner(tr("ui.computing")):
        prep = compute.prepared(key, data, scope)
        ranked = compute.ranked(key, data, choice)
        rows, portfolio = compute.shown(key, data, choice, *_listing(opts))
        ids = tuple(rows["cluster_id"].astype(str))
        shown = compute.explained(key, data, choice, rows, ids, lang)
        drawing = compute.scope_drawing(key, data, scope, tuple(prep.ids))
        colours = compute.gap(key, ranked, scope, opts["sector"], lang)
        link_items = compute.links(key, data, drawing, prep, scope, lang)
    data_warnings(lang, data, prep)
    workspace(
        Context(
            lang,
            config,
            data,
            opts,
            choice,
            prep,
            ranked,
            portfolio,
            ids,
            shown,
            drawing,
            colours,
            link_items,
            options,
            default,
        )  # fmt: skip
    )
    panels.data_panel(lang, data, prep, config, opts["sector"], opts["scope_label"])
    compute.warm_up(key, data, choice)
    compute.warm_neighbours(key, data, choice, _listing(opts), lang)


def _listing(opts: dict) -> tuple:
    """What the shown list depends on beyond the ranking: its length, the view (top or
    portfolio) and the flagged rows (:func:`compute.shown`'s arguments)."""
    return (opts["top"], opts["view"], opts["flagged"])


@dataclass(frozen=True)
class Context:
    """What the workspace fragment needs from the full run (all cached, never modified)."""

    lang: str
    config: object
    data: compute.Data
    opts: dict
    choice: compute.Choice
    prep: object
    ranked: object
    portfolio: object
    ids: tuple
    shown: object
    drawing: compute.Drawing
    colours: tuple
    link_items: dict
    options: Options
    default: View


@st.fragment
def workspace(ctx: Context) -> None:
    """The map, the opened candidate, the table, the selection, downloads and comparison.

    A fragment: a click on the map, the candidate box or a table tick re-runs only this part
    (the sidebar and every analysis step stay as they are); a sidebar change re-runs the page.
    """
    lang, config, data, opts, choice = ctx.lang, ctx.config, ctx.data, ctx.opts, ctx.choice
    prep, ranked, portfolio, ids, shown = ctx.prep, ctx.ranked, ctx.portfolio, ctx.ids, ctx.shown
    drawing, colours, link_items = ctx.drawing, ctx.colours, ctx.link_items
    options, default, key = ctx.options, ctx.default, data.key
    tr = translator(lang)
    # a suggestion that overlaps an existing agreement says so (a copy: ctx rows are cached)
    shown = registrypage.with_existing(shown, data.regions, opts["sector"], lang)

    selected = list(st.session_state.get("selected", []))
    mine = [c for c in selected if c.startswith(f"{opts['sector']}-")]
    positions = ranked.positions(mine)
    outside = [c for c in mine if c in positions and c not in ids]
    owner = (
        compute.variant_owner(key, data, choice, opts["top"], outside)
        if outside and opts["view"] == "top"
        else {}
    )
    shown_rank = dict(zip(ids, (int(r) for r in shown["rank"]), strict=True))
    variant_of = {c: shown_rank[o] for c, o in owner.items() if o in shown_rank}
    selection = resolve_selection(selected, positions, ids, opts["sector"], variant_of)
    selection_rows = ranked.frame(sorted(positions.values()))
    opened = st.session_state.get("opened")
    if opened not in ids:
        opened = ids[0] if ids else None
    st.session_state["opened"] = opened

    sector = config.sectors[opts["sector"]]
    fill, gap_text = colours
    shapes, marks = webmap.candidate_features(
        shown, drawing.outlines, opened=opened, ticked=selection.shown, lang=lang
    )
    # the legend names the voluntary links only when some are drawn
    drawn_voluntary = any(f["properties"]["kind"] == "voluntary" for f in link_items["features"])
    state = webmap.paint_state(
        fill,
        gap_text,
        webmap.region_counts(shown, lang),
        webmap.legend(sector, lang, voluntary=opts["show_links"] and drawn_voluntary),
        lang,
        outside=set(drawing.display.index) - set(prep.ids),
    )
    st.caption(tr("ui.map_help"))
    show_map(
        drawing,
        [
            webmap.link_group(link_items if opts["show_links"] else None),
            webmap.agreement_group(
                registrypage.map_layer(
                    data.regions, drawing.outlines, opts["sector"], opts["province"], lang
                )
                if opts["show_agreements"]
                else None
            ),
            webmap.candidate_group(shapes, marks, state),
        ],
        key=MAP_KEY,
        height=PRESENTATION_HEIGHT if opts["presentation"] else MAP_HEIGHT,
        on_click=lambda: _on_map_click(tuple(prep.ids), ids),
    )

    names = data.regions["name"].astype(str).to_dict()
    if opts["view"] == "portfolio" and portfolio is not None:
        st.caption(portfolio_summary(portfolio, lang))
    if opts["flagged"]:  # the flagged rows follow the suggestions (they stand for no variants)
        n_flagged = int(shown["variants"].isna().sum()) if "variants" in shown else 0
        st.caption(tr("ui.flagged_caption", n=n_flagged))
    if not ids:
        st.subheader(tr("ui.table_heading"))
        st.warning(tr("ui.no_candidates"))
        reasons = no_candidate_reasons(
            prep, data.table, config, opts["sector"], opts["forms"], opts["scope_label"], lang
        )
        st.text("\n".join(f"• {r}" for r in reasons))
        write_url(_view(lang, opts, selected, opened), options, default)
        return

    detail_col, region_col = st.columns([3, 2])
    with detail_col:
        labels = {
            c: webmap.candidate_label(r, lang)
            for c, r in zip(ids, shown.to_dict("records"), strict=True)
        }
        pick_key = f"pick:{lang}:{webmap.digest(ids)}"
        st.session_state[pick_key] = opened
        st.selectbox(
            tr("ui.candidate_pick"),
            list(ids),
            format_func=labels.get,
            key=pick_key,
            on_change=_on_pick,
            args=(pick_key,),
        )
        row = shown.loc[shown["cluster_id"] == opened].iloc[0]
        panels.candidate_detail(lang, row, data.table, config, opts["sector"], names)
        registrypage.draft_box(lang, row, data.regions)
        completeness = row.get("data_completeness")
        if completeness is not None and not pd.isna(completeness):
            pct = format_value(float(completeness), ".0%", lang)
            st.caption(tr("ui.completeness_line", pct=pct))
        count = row.get("variants")
        if opts["view"] == "top" and count is not None and not pd.isna(count):
            variants_panel(ctx, opened, int(count))
    with region_col:
        region = st.session_state.get("clicked_region")
        if region in names and region in prep.ids:
            hits = webmap.candidates_with_region(shown, region)
            st.markdown(f"**{panels.plain(tr('ui.region_candidates', name=names[region]))}**")
            if len(hits):
                st.dataframe(
                    tables.candidate_table(hits, lang),
                    hide_index=True,
                    column_config=table_columns(tr),
                )
            else:
                st.caption(panels.plain(tr("ui.region_no_candidates", name=names[region])))
        else:
            st.caption(tr("ui.region_hint"))

    st.subheader(tr("ui.table_heading"))
    st.caption(tr("ui.table_help"))
    table_key = f"table:{lang}:{webmap.digest(ids)}"
    positions = [ids.index(c) for c in selection.shown]
    notes = tuple(shown["existing"]) if "existing" in shown else ()
    st.dataframe(
        compute.table(key, choice, _listing(opts), ids, lang, notes, shown),
        hide_index=True,
        column_config=table_columns(tr),
        on_select=lambda: _on_table(table_key, ids),
        selection_mode="multi-row",
        selection_default={"selection": {"rows": positions}},
        key=table_key,
    )

    st.subheader(tr("ui.selection_heading"))
    mine = [c for c in selected if c.startswith(f"{opts['sector']}-")]
    if mine:
        rank_of = {c: pos + 1 for c, pos in ranked.positions(mine).items()}
        basket_key = f"basket:{lang}:{webmap.digest(mine)}"
        st.session_state[basket_key] = mine
        others = tuple(c for c in selected if c not in mine)
        st.multiselect(
            tr("ui.selection_basket"),
            mine,
            key=basket_key,
            format_func=lambda c: (
                f"#{rank_of[c]} {c}" if c in rank_of else tr("ui.selection_dropped_item", id=c)
            ),
            on_change=_on_basket,
            args=(basket_key, others),
        )
    if selection.variants:
        items = ", ".join(
            tr("ui.selection_variant_item", rank=rank, id=cid, of=of)
            for cid, rank, of in selection.variants
        )
        st.info(tr("ui.selection_variant", items=items))
    if selection.elsewhere:
        items = ", ".join(f"#{rank} ({cid})" for cid, rank in selection.elsewhere)
        st.info(tr("ui.selection_elsewhere", items=items))
    if selection.dropped:
        st.warning(
            tr("ui.selection_dropped", n=len(selection.dropped), items=", ".join(selection.dropped))
        )
        st.button(
            tr("ui.selection_clear_dropped"),
            key="drop_dropped",
            on_click=_drop,
            args=(selection.dropped,),
        )
    ticked = len(selection_rows) > 0
    chosen_rows = selection_rows if ticked else shown.loc[shown["cluster_id"] == opened]
    chosen_ids = tuple(chosen_rows["cluster_id"].astype(str))
    chosen = compute.explained(key, data, choice, chosen_rows, chosen_ids, lang)
    panels.downloads(lang, chosen, data, config, opts, ticked, prep)

    if len(selection_rows) >= 2:
        compare_rows = chosen.head(3)
        facts = compute.pipeline.explain(ranked, compare_rows)
        panels.comparison(lang, compare_rows, facts, data.table, config, opts["sector"])
    else:
        st.subheader(tr("ui.compare_heading"))
        st.caption(tr("ui.compare_help"))
    write_url(_view(lang, opts, selected, opened), options, default)


def variants_panel(ctx: Context, opened: str, count: int) -> None:
    """The opened suggestion's ``count`` variants in an expander (rank order, plain-text
    table). Lazy: they are explained and drawn only while the expander is open (explaining
    a suggestion's variants takes seconds; most reruns would do it for a folded panel)."""
    tr = translator(ctx.lang)
    panel = panels.lazy_expander(st, tr("ui.variants_heading", n=count), "variants", ctx.lang)
    if not panel.open:
        return
    rows = compute.variants(ctx.data.key, ctx.data, ctx.choice, ctx.opts["top"], opened, ctx.lang)
    with panel:
        jaccard = ctx.ranked.settings.distinct_jaccard
        st.caption(tr("ui.variants_help", jaccard=fmt_number(jaccard, ctx.lang, decimals=1)))
        if len(rows):
            st.dataframe(
                tables.candidate_table(rows, ctx.lang),
                hide_index=True,
                column_config=table_columns(tr),
            )
        else:
            st.caption(tr("ui.variants_none"))


def _view(lang: str, opts: dict, selected: list[str], opened: str | None) -> View:
    return View(
        lang=lang,
        scope=opts["scope"],
        sector=opts["sector"],
        sizes=tuple(opts["sizes"]),
        forms=tuple(opts["forms"]),
        maritime=opts["maritime"],
        cross=opts["cross"],
        top=opts["top"],
        weights=opts["weights"],
        view=opts["view"],
        flagged=opts["flagged"],
        voluntary=opts["voluntary"],
        selected=[c for c in selected if c.startswith(f"{opts['sector']}-")],
        opened=opened,
    )
