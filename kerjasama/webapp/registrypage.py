"""The agreements registry page: the open alerts first, the agreements with filters, one
agreement's detail and history, and, for a logged-in editor, the forms that write.

Who may change what (``docs/registry.md``, Security model): reading is open; every write goes
through :func:`write`, which hands the session's login token to the registry, and the registry
checks it on the server inside the write's own transaction (``Registry.write`` →
``registry.auth.editor_for``). Hiding the forms from a visitor is only a courtesy: a write
without a valid token is refused by the registry and nothing is saved. The token lives only in
the server-side session state (never in the URL, a query parameter, a cookie or a log line); a
reload starts a new session and asks for a new login.

Optimistic locking: the edit and stage forms save against the version of the agreement that was
loaded into the session (:func:`loaded`); when someone saved in between, the registry refuses
the save (``EditConflict``), the page says who changed it and when, the typed values stay in the
form and the refused changes are listed, and "load the latest version" starts again from the
current values. All user text (names, notes, titles, links) is shown as plain text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from analysis.pks import CLAUSES, label_key
from common.errors import KerjasamaError, MissingDataError
from common.text import translator
from kerjasama import paths
from kerjasama.present import agreements as words
from kerjasama.webapp import compute
from kerjasama.webapp.panels import language_switch, plain
from registry import Registry, auth, db
from registry.errors import EditConflict, LoginRequired
from registry.models import DOCUMENT_KINDS, DPRD_STATES, FORMS, MONITORING_STATUS, STAGES
from registry.records import EDITABLE

TOKEN = "registry_token"  # server-side session state only
EDITOR = "registry_editor"  # the logged-in editor's name (for display)
FLASH = "registry_flash"  # a message to show after the re-run that follows a save
REFUSED = "registry_refused"  # why a write was refused (no valid login, or an edit conflict)
UNSAVED = "registry_unsaved"  # refused changes of an edit conflict, by agreement id
ANY = ""
#: stages a new agreement may be recorded at (later ones are reached with "advance")
NEW_STAGES = ("usulan", "kb", "pks", "berjalan")


# ---------------------------------------------------------------- the registry


@st.cache_resource(show_spinner=False)
def _registry(url: str, places_key: str, _places) -> Registry:
    """One registry per database and boundary file, shared by every session (the engine is
    thread-safe; each read and write opens its own connection). A new default database is
    seeded with the documented arrangements, as on the command line."""
    return Registry.open(
        url,
        local_user=None,
        config=compute.config(),
        places=_places,
        seed_new=db.new_default(None),
    )


def places() -> pd.DataFrame | None:
    """The data folder's regions (shared with the map page), to check codes and give names;
    None without a data folder (codes are then checked for their shape only)."""
    config = compute.config()
    try:
        bpath = paths.default_boundaries(None, config.data.boundary_file)
        ipath = paths.default_indicators(None, config.data.indicator_file)
    except MissingDataError:
        return None
    stamp = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in (bpath, ipath))
    return compute.folder_data(str(bpath), str(ipath), stamp).regions


def open_registry(regions: pd.DataFrame | None) -> Registry:
    """The registry of ``KERJASAMA_DB_URL`` (else the user's default file), opened for the app:
    no local user, so every write needs an editor's login token."""
    key = "" if regions is None else str(regions.attrs.get("kerjasama", {}).get("source", ""))
    return _registry(db.resolve_url(None), key, regions)


def brief_section(regions, candidates, sector: str, province: str | None, scope: str, lang: str):
    """The briefing pack's registry section (existing agreements and open alerts of ``sector``
    in the scope, and which of ``candidates`` overlap them), from the app's registry."""
    from kerjasama.present.brief.agreements import agreements_section, unavailable_section

    try:
        reg = open_registry(regions)
        return agreements_section(
            reg,
            sector=sector,
            province=province,
            scope=scope,
            lang=lang,
            today=dt.date.today(),
            candidates=candidates,
            names=names(regions),
            config=compute.config(),
        )
    except KerjasamaError:
        return unavailable_section(lang)


# ---------------------------------------------------------------- login and writes


def login_box(reg: Registry, tr) -> str | None:
    """The sidebar login form, or who is logged in and a logout button. Returns the editor's
    name (display only: the registry checks the token on every write)."""
    side = st.sidebar
    side.subheader(tr("registry.app.login_heading"))
    if st.session_state.get(TOKEN):
        side.text(tr("registry.app.logged_in_as", user=st.session_state.get(EDITOR, "")))
        if side.button(tr("registry.app.logout"), key="registry_logout"):
            auth.logout(reg, st.session_state.pop(TOKEN, None))
            st.session_state.pop(EDITOR, None)
            st.rerun()
        return st.session_state.get(EDITOR)
    with side.form("registry_login", clear_on_submit=True):
        username = st.text_input(tr("registry.app.username"), key="registry_username")
        password = st.text_input(
            tr("registry.app.password"), type="password", key="registry_password"
        )
        if st.form_submit_button(tr("registry.app.login")):
            token = auth.login(reg, username, password)
            if token is None:
                side.error(tr("registry.app.login_failed"))
            else:
                st.session_state[TOKEN] = token
                st.session_state[EDITOR] = auth.require_editor(reg, token).username
                st.rerun()
    side.caption(tr("registry.app.login_help"))
    return None


def write(lang: str, action: Callable[[str | None], Any]) -> tuple[bool, Any]:
    """Run a write with the session's token: ``(True, its result)``, or ``(False, None)`` with
    the problem shown. The registry checks the token on the server for this write; a refused
    login is forgotten (log in again), an edit conflict keeps the refused changes, any other
    problem is shown in the reader's language. Nothing is saved unless it returns True."""
    try:
        return True, action(st.session_state.get(TOKEN))
    except LoginRequired as err:  # forget the refused login; the page is drawn again without forms
        st.session_state.pop(TOKEN, None)
        st.session_state.pop(EDITOR, None)
        st.session_state[REFUSED] = err.render(lang, "app")
        st.rerun()
    except EditConflict as err:  # the page is drawn again with the refused changes listed
        st.session_state.setdefault(UNSAVED, {})[err.params.get("id")] = err.unsaved
        st.session_state[REFUSED] = err.render(lang, "app")
        st.rerun()
    except KerjasamaError as err:
        st.error(plain(err.render(lang, "app")))  # the message quotes the user's values
    return False, None


def save(reg: Registry, lang: str, agreement_id: int, action, done: str) -> None:
    """:func:`write` a change of one agreement; once saved, say so (catalogue key ``done``) on
    the next run, load the agreement again and re-run the page."""
    ok, _ = write(lang, action)
    if ok:
        st.session_state[FLASH] = translator(lang)(done, id=agreement_id)
        loaded(reg, agreement_id, fresh=True)
        st.rerun()


# ---------------------------------------------------------------- the agreement in the session


def loaded(reg: Registry, agreement_id: int, *, fresh: bool = False):
    """The agreement as this session loaded it (its version is what the edit and stage forms
    save against); loaded again only when asked (after a save, or "load the latest")."""
    store = st.session_state.setdefault("registry_loaded", {})
    if fresh or agreement_id not in store:
        store[agreement_id] = reg.get(agreement_id)
    return store[agreement_id]


def _reload(agreement_id: int) -> None:
    st.session_state.get("registry_loaded", {}).pop(agreement_id, None)
    st.session_state.get(UNSAVED, {}).pop(agreement_id, None)


# ---------------------------------------------------------------- options


def region_options(regions: pd.DataFrame | None) -> dict[str, str]:
    """Kab/kota code -> ``Name (64.71)``, ordered by code."""
    if regions is None:
        return {}
    names = regions["name"].astype(str)
    return {code: f"{names[code]} ({words.dotted(code)})" for code in sorted(regions.index)}


def names(regions: pd.DataFrame | None) -> dict[str, str]:
    """Kab/kota code -> name from the boundary file (for parties recorded without a name)."""
    return {} if regions is None else regions["name"].astype(str).to_dict()


def province_choices(regions: pd.DataFrame | None, summaries) -> dict[str, str]:
    """Province code -> name (from the boundary file, else the codes in the registry)."""
    if regions is not None and "province" in regions:
        col = "province_name" if "province_name" in regions else "province"
        pairs = regions[["province", col]].drop_duplicates("province")
        return {str(c): str(n) for c, n in sorted(zip(pairs["province"], pairs[col], strict=True))}
    return {c: c for c in sorted({p for s in summaries for p in s.provinces})}


# ---------------------------------------------------------------- the page


def page() -> None:
    config = compute.config()
    lang = language_switch()
    tr = translator(lang)
    regions = places()
    reg = open_registry(regions)
    editor = login_box(reg, tr)
    st.markdown(f"### {tr('registry.app.title')}")
    st.caption(tr("registry.app.subtitle", url=db.shown_url(db.resolve_url(None))))
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))  # catalogue text and ids only
    if REFUSED in st.session_state:
        st.error(plain(st.session_state.pop(REFUSED)))  # it may quote a name
    today = dt.date.today()

    # 1. the open alerts first
    report = reg.alerts(today)
    st.subheader(tr("registry.app.alerts_heading", n=len(report.alerts)))
    if report.alerts:
        st.dataframe(words.alert_table(report.alerts, lang), hide_index=True, width="stretch")
    else:
        st.caption(tr("registry.app.no_alerts", today=today.isoformat()))
    if report.dates_unknown:
        with st.expander(tr("registry.dates_unknown_heading", n=len(report.dates_unknown))):
            st.text(
                "\n".join(
                    f"#{u.agreement_id} {u.name} ({words.stage_label(u.stage, tr)}): "
                    + ", ".join(tr(words.RULE_KEYS[r]) for r in u.rules)
                    for u in report.dates_unknown
                )
            )

    # 2. the agreements, filtered
    st.subheader(tr("registry.app.list_heading"))
    everything = reg.list()
    provinces = province_choices(regions, everything)
    c1, c2, c3, c4 = st.columns([3, 2, 3, 2])
    sector = c1.selectbox(
        tr("registry.app.filter_sector"),
        [ANY, *config.sectors],
        format_func=lambda s: tr("registry.app.any") if s == ANY else config.sectors[s].label(lang),
        key=f"registry_f_sector:{lang}",
    )
    stage = c2.selectbox(
        tr("registry.app.filter_stage"),
        [ANY, *STAGES],
        format_func=lambda s: tr("registry.app.any") if s == ANY else words.stage_label(s, tr),
        key=f"registry_f_stage:{lang}",
    )
    province = c3.selectbox(
        tr("registry.app.filter_province"),
        [ANY, *provinces],
        format_func=lambda p: tr("registry.app.any") if p == ANY else f"{provinces[p]} ({p})",
        key=f"registry_f_province:{lang}",
    )
    only_alerts = c4.toggle(tr("registry.app.filter_alerts"), key=f"registry_f_alerts:{lang}")
    rows = reg.list(
        sector=sector or None,
        stage=stage or None,
        province=province or None,
        alerts=only_alerts,
        today=today,
    )
    by_id = {}
    for alert in report.alerts:
        by_id.setdefault(alert.agreement_id, []).append(alert)
    st.caption(tr("registry.app.listed", n=len(rows), total=len(everything)))
    st.dataframe(
        words.agreement_table(rows, lang, config=config, alerts=by_id, names=names(regions)),
        hide_index=True,
        width="stretch",
    )

    if editor:
        add_form(reg, lang, config, regions)
    else:
        st.info(tr("registry.app.read_only"))

    # 3. one agreement
    if not rows:
        return
    labels = {s.id: f"#{s.id} {s.name}" for s in rows}
    chosen = st.selectbox(
        tr("registry.app.open_label"),
        list(labels),
        format_func=labels.get,
        key=f"registry_open:{lang}",
    )
    detail(reg, lang, config, chosen, report, editor, regions)


def detail(reg: Registry, lang, config, agreement_id: int, report, editor, regions) -> None:
    """One agreement: its values, parties, PKS clauses, budget, documents, monitoring, alerts
    and history; for an editor, the forms that change it."""
    tr = translator(lang)
    current = reg.get(agreement_id)
    v = current.values
    st.markdown("#### " + plain(f"#{v['id']} {v['name']}"))
    facts = [
        (tr("registry.field_sector"), words.sector_text(v["sector"], config, lang)),
        (tr("registry.field_form"), tr(words.FORM_KEYS[v["form"]])),
        (tr("registry.field_stage"), words.stage_label(v["stage"], tr)),
        *(
            (f"{tr('registry.field_stage')}: {words.stage_label(s, tr)}", v[f"{s}_on"].isoformat())
            for s in STAGES
            if v.get(f"{s}_on")
        ),
        (tr("registry.field_sector_detail"), v.get("sector_detail") or ""),
        (tr("registry.field_object"), v.get("object") or ""),
        (tr("registry.field_scope"), v.get("scope") or ""),
        (tr("registry.field_start_on"), v["start_on"].isoformat() if v.get("start_on") else ""),
        (tr("registry.field_duration_months"), v.get("duration_months") or ""),
        (tr("registry.field_end_on"), v["end_on"].isoformat() if v.get("end_on") else ""),
        (tr("registry.field_year"), v.get("year") or ""),
        (tr("registry.field_dprd"), tr(words.DPRD_KEYS[v.get("dprd") or "unknown"])),
        (tr("registry.field_notes"), v.get("notes") or ""),
        (tr("registry.field_source"), " ".join(filter(None, (v.get("source_title"), v.get("source_url"))))),  # noqa: E501
        (tr("registry.version"), v["version"]),
    ]  # fmt: skip
    st.dataframe(
        pd.DataFrame(
            [(k, str(x)) for k, x in facts if x not in ("", None)],
            columns=[tr("registry.app.col_field"), tr("registry.app.col_value")],
        ),
        hide_index=True,
        width="stretch",
    )
    for alert in report.for_agreement(agreement_id):
        st.warning(plain(words.alert_line(alert, tr)))
    st.markdown(f"**{tr('registry.field_parties')}**")
    st.dataframe(
        pd.DataFrame(
            [
                (tr(words.KIND_KEYS[p.kind]), words.party_text(p, names(regions)))
                for p in current.parties
            ],
            columns=[tr("registry.app.col_kind"), tr("registry.col_parties")],
        ),
        hide_index=True,
    )
    st.markdown(f"**{tr('registry.field_pks_clauses')}**")
    st.text(
        "\n".join(
            f"[{'x' if c in current.pks_clauses else ' '}] {tr(label_key(c))}" for c in CLAUSES
        )
    )
    if current.budgets:
        st.markdown(f"**{tr('registry.field_budget')}**")
        st.dataframe(
            pd.DataFrame(
                [
                    (b.year, b.party_name or words.dotted(b.party_code), words.money(b.amount, lang), b.note)  # noqa: E501
                    for b in current.budgets
                ],
                columns=[tr("registry.app.col_year"), tr("registry.col_parties"),
                         tr("registry.app.col_amount"), tr("registry.field_notes")],
            ),
            hide_index=True,
        )  # fmt: skip
    if current.documents:
        st.markdown(f"**{tr('registry.field_documents')}**")
        st.dataframe(
            pd.DataFrame(
                [
                    (tr(words.DOCUMENT_KEYS[d.kind]), d.number, d.issued_on.isoformat() if d.issued_on else "", d.title, d.link, d.file_name)  # noqa: E501
                    for d in current.documents
                ],
                columns=[tr("registry.app.col_kind"), tr("registry.app.doc_number"),
                         tr("registry.app.doc_date"), tr("registry.app.doc_title"),
                         tr("registry.app.doc_link"), tr("registry.app.doc_file")],
            ),
            hide_index=True,
        )  # fmt: skip
    if current.monitoring:
        st.markdown(f"**{tr('registry.field_monitoring')}**")
        st.dataframe(
            pd.DataFrame(
                [
                    (m.period.isoformat()[:7], tr(words.STATUS_KEYS[m.status]), m.note,
                     "; ".join(f"{k}={x:g}" for k, x in sorted(m.indicators.items())), m.recorded_by)  # noqa: E501
                    for m in current.monitoring
                ],
                columns=[tr("registry.app.mon_period"), tr("registry.app.mon_status"),
                         tr("registry.field_notes"), tr("registry.app.mon_indicators"),
                         tr("registry.col_user")],
            ),
            hide_index=True,
        )  # fmt: skip
    with st.expander(tr("registry.field_history")):
        st.dataframe(
            words.history_table(reg.history(agreement_id), lang), hide_index=True, width="stretch"
        )
    if editor:
        change_forms(reg, lang, config, agreement_id, current, regions)


# ---------------------------------------------------------------- forms (editors)


def _members_input(tr, options: dict[str, str], default: list[str], key: str) -> list[str] | str:
    """Kab/kota parties: a multiselect over the boundary file, else codes typed with ``;``."""
    if options:
        return st.multiselect(
            tr("registry.app.members"),
            list(options),
            default=[c for c in default if c in options],
            format_func=options.get,
            key=key,
        )
    return st.text_input(
        tr("registry.app.members_codes"), value=";".join(words.dotted(c) for c in default), key=key
    )


def add_form(reg: Registry, lang: str, config, regions) -> None:
    """A new agreement (any stage up to running, with the date it reached it)."""
    tr = translator(lang)
    options = region_options(regions)
    with st.expander(tr("registry.app.add_heading")), st.form("registry_add"):
        name = st.text_input(tr("registry.app.name"), key="reg_add_name")
        c1, c2, c3 = st.columns(3)
        sector = c1.selectbox(
            tr("registry.field_sector"),
            list(config.sectors),
            format_func=lambda s: config.sectors[s].label(lang),
            key=f"reg_add_sector:{lang}",
        )
        form = c2.selectbox(
            tr("registry.field_form"),
            list(FORMS),
            format_func=lambda f: tr(words.FORM_KEYS[f]),
            key=f"reg_add_form:{lang}",
        )
        stage = c3.selectbox(
            tr("registry.field_stage"),
            list(NEW_STAGES),
            format_func=lambda s: words.stage_label(s, tr),
            key=f"reg_add_stage:{lang}",
        )
        stage_on = st.date_input(tr("registry.app.stage_date"), value=None, key="reg_add_on")
        members = _members_input(tr, options, [], "reg_add_members")
        third = st.text_input(tr("registry.app.third_parties"), key="reg_add_third")
        provider = st.text_input(tr("registry.app.provider"), key="reg_add_provider")
        c1, c2 = st.columns(2)
        start_on = c1.date_input(tr("registry.field_start_on"), value=None, key="reg_add_start")
        months = c2.number_input(
            tr("registry.field_duration_months"), 0, 1200, 0, key="reg_add_months"
        )
        obj = st.text_input(tr("registry.field_object"), key="reg_add_object")
        scope = st.text_area(tr("registry.field_scope"), key="reg_add_scope")
        notes = st.text_area(tr("registry.field_notes"), key="reg_add_notes")
        if st.form_submit_button(tr("registry.app.add_submit")):
            values = {
                "name": name,
                "sector": sector,
                "form": form,
                "stage": stage,
                "members": members,
                "third_parties": third,
                "provider": provider,
                "start_on": start_on,
                "duration_months": months or None,
                "object": obj,
                "scope": scope,
                "notes": notes,
            }
            if stage_on is not None:
                values[f"{stage}_on"] = stage_on
            ok, new_id = write(lang, lambda token: reg.add(values, token=token))
            if ok:
                st.session_state[FLASH] = tr("registry.added", id=new_id)
                st.rerun()


def edit_values(snapshot) -> dict[str, Any]:
    """The editable values of a loaded agreement, in the shape the edit form shows them."""
    v = snapshot.values
    parties = snapshot.parties
    provider = next((p for p in parties if p.is_provider), None)
    return {
        "name": v["name"],
        "sector": v["sector"],
        "form": v["form"],
        "object": v.get("object") or "",
        "scope": v.get("scope") or "",
        "notes": v.get("notes") or "",
        "start_on": v.get("start_on"),
        "duration_months": v.get("duration_months"),
        "end_on": v.get("end_on"),
        "dprd": v.get("dprd") or "unknown",
        "pks_clauses": list(snapshot.pks_clauses),
        "members": [p.code for p in parties if p.kind == "kabkota"],
        "third_parties": ";".join(p.name for p in parties if p.kind == "third"),
        "provider": "" if provider is None else words.dotted(provider.code) or provider.name,
    }


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value the editor changed (only those are sent: a field left alone is
    never written back over someone else's change of it)."""
    out = {}
    for key, value in after.items():
        old = before.get(key)
        if isinstance(value, list) and not isinstance(old, str):
            same = sorted(value) == sorted(old or [])
        else:
            same = (value or None) == (old or None)
        if not same:
            out[key] = value
    assert set(out) <= set(EDITABLE)
    return out


def change_forms(reg: Registry, lang: str, config, agreement_id: int, current, regions) -> None:
    """Edit, advance the stage, record monitoring, a budget commitment, a document."""
    tr = translator(lang)
    snapshot = loaded(reg, agreement_id)
    version = snapshot.version
    st.markdown(f"**{tr('registry.app.change_heading')}**")
    if current.version != version:
        st.warning(
            plain(
                tr(
                    "registry.app.stale",
                    loaded=version,
                    current=current.version,
                    by=current["updated_by"],
                )
            )
        )
    unsaved = st.session_state.get(UNSAVED, {}).get(agreement_id)
    if unsaved:
        st.text(
            tr("registry.app.unsaved")
            + "\n"
            + "\n".join(f"  {k}: {val}" for k, val in unsaved.items())
        )
    if current.version != version or unsaved:
        st.button(
            tr("registry.app.reload"),
            key=f"reg_reload_{agreement_id}",
            on_click=_reload,
            args=(agreement_id,),
        )
    tabs = st.tabs(
        [
            tr("registry.app.tab_edit"),
            tr("registry.app.tab_stage"),
            tr("registry.app.tab_monitoring"),
            tr("registry.app.tab_budget"),
            tr("registry.app.tab_document"),
        ]
    )
    k = f"reg_{agreement_id}_{version}"
    before = edit_values(snapshot)
    with tabs[0], st.form(f"{k}_edit"):
        after = dict(before)
        after["name"] = st.text_input(tr("registry.app.name"), before["name"], key=f"{k}_name")
        c1, c2 = st.columns(2)
        after["sector"] = c1.selectbox(
            tr("registry.field_sector"),
            list(config.sectors),
            index=list(config.sectors).index(before["sector"]),
            format_func=lambda s: config.sectors[s].label(lang),
            key=f"{k}_sector:{lang}",
        )
        after["form"] = c2.selectbox(
            tr("registry.field_form"),
            list(FORMS),
            index=list(FORMS).index(before["form"]),
            format_func=lambda f: tr(words.FORM_KEYS[f]),
            key=f"{k}_form:{lang}",
        )
        after["members"] = _members_input(
            tr, region_options(regions), before["members"], f"{k}_members"
        )
        after["third_parties"] = st.text_input(
            tr("registry.app.third_parties"), before["third_parties"], key=f"{k}_third"
        )
        after["provider"] = st.text_input(
            tr("registry.app.provider"), before["provider"], key=f"{k}_provider"
        )
        c1, c2, c3 = st.columns(3)
        after["start_on"] = c1.date_input(
            tr("registry.field_start_on"), before["start_on"], key=f"{k}_start"
        )
        after["duration_months"] = (
            c2.number_input(
                tr("registry.field_duration_months"),
                0,
                1200,
                int(before["duration_months"] or 0),
                key=f"{k}_months",
            )
            or None
        )
        after["end_on"] = c3.date_input(
            tr("registry.field_end_on"), before["end_on"], key=f"{k}_end"
        )
        after["object"] = st.text_input(
            tr("registry.field_object"), before["object"], key=f"{k}_object"
        )
        after["scope"] = st.text_area(tr("registry.field_scope"), before["scope"], key=f"{k}_scope")
        after["notes"] = st.text_area(tr("registry.field_notes"), before["notes"], key=f"{k}_notes")
        after["pks_clauses"] = st.multiselect(
            tr("registry.field_pks_clauses"),
            list(CLAUSES),
            default=before["pks_clauses"],
            format_func=lambda c: tr(label_key(c)),
            key=f"{k}_clauses:{lang}",
        )
        after["dprd"] = st.selectbox(
            tr("registry.field_dprd"),
            list(DPRD_STATES),
            index=list(DPRD_STATES).index(before["dprd"]),
            format_func=lambda d: tr(words.DPRD_KEYS[d]),
            key=f"{k}_dprd:{lang}",
        )
        if st.form_submit_button(tr("registry.app.save")):
            changes = changed(before, after)
            if not changes:
                st.info(tr("registry.app.nothing_changed"))
            else:
                save(
                    reg,
                    lang,
                    agreement_id,
                    lambda token: reg.edit(
                        agreement_id, changes, expected_version=version, token=token
                    ),
                    "registry.app.saved",
                )

    with tabs[1], st.form(f"{k}_stage"):
        later = [
            s
            for s in STAGES
            if STAGES.index(s) > STAGES.index(snapshot["stage"]) or s == "dibatalkan"
        ]
        if snapshot["stage"] in ("berakhir", "dibatalkan"):
            later = []
        target = st.selectbox(
            tr("registry.app.next_stage"),
            later,
            format_func=lambda s: words.stage_label(s, tr),
            key=f"{k}_target:{lang}",
        )
        on = st.date_input(tr("registry.app.stage_date"), value=None, key=f"{k}_target_on")
        if st.form_submit_button(tr("registry.app.advance"), disabled=not later) and target:
            save(
                reg,
                lang,
                agreement_id,
                lambda token: reg.advance(
                    agreement_id, target, on, expected_version=version, token=token
                ),
                "registry.app.saved",
            )

    with tabs[2], st.form(f"{k}_monitor"):
        c1, c2 = st.columns(2)
        period = c1.text_input(tr("registry.app.mon_period_input"), key=f"{k}_period")
        status = c2.selectbox(
            tr("registry.app.mon_status"),
            list(MONITORING_STATUS),
            format_func=lambda s: tr(words.STATUS_KEYS[s]),
            key=f"{k}_status:{lang}",
        )
        note = st.text_area(tr("registry.field_notes"), key=f"{k}_mon_note")
        indicators = st.text_input(tr("registry.app.mon_indicators_input"), key=f"{k}_mon_ind")
        replace = st.checkbox(tr("registry.app.mon_replace"), key=f"{k}_mon_replace")
        if st.form_submit_button(tr("registry.app.record")):
            values = {"period": period, "status": status, "note": note, "indicators": indicators}
            save(
                reg,
                lang,
                agreement_id,
                lambda token: reg.record_monitoring(
                    agreement_id, values, replace=replace, token=token
                ),
                "registry.app.recorded",
            )

    with tabs[3], st.form(f"{k}_budget"):
        parties = {
            (p.code or p.name): words.party_text(p, names(regions))
            for p in snapshot.parties
            if p.kind in ("kabkota", "province")
        }
        c1, c2, c3 = st.columns(3)
        party = c1.selectbox(
            tr("registry.col_parties"), list(parties), format_func=parties.get, key=f"{k}_party"
        )
        year = c2.number_input(
            tr("registry.app.col_year"), 2000, 2200, dt.date.today().year + 1, key=f"{k}_year"
        )
        amount = c3.text_input(tr("registry.app.amount_input"), key=f"{k}_amount")
        note = st.text_input(tr("registry.field_notes"), key=f"{k}_budget_note")
        if st.form_submit_button(tr("registry.app.record")) and party:
            save(
                reg,
                lang,
                agreement_id,
                lambda token: reg.commit_budget(
                    agreement_id, party, year, amount, note=note, token=token
                ),
                "registry.app.recorded",
            )

    with tabs[4], st.form(f"{k}_document"):
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(
            tr("registry.app.col_kind"),
            list(DOCUMENT_KINDS),
            format_func=lambda d: tr(words.DOCUMENT_KEYS[d]),
            key=f"{k}_dkind:{lang}",
        )
        number = c2.text_input(tr("registry.app.doc_number"), key=f"{k}_dnumber")
        issued = c3.date_input(tr("registry.app.doc_date"), value=None, key=f"{k}_ddate")
        title = st.text_input(tr("registry.app.doc_title"), key=f"{k}_dtitle")
        link = st.text_input(tr("registry.app.doc_link"), key=f"{k}_dlink")
        file_name = st.text_input(tr("registry.app.doc_file"), key=f"{k}_dfile")
        if st.form_submit_button(tr("registry.app.record")):
            values = {
                "kind": kind,
                "number": number,
                "issued_on": issued,
                "title": title,
                "link": link,
                "file_name": file_name,
            }
            save(
                reg,
                lang,
                agreement_id,
                lambda token: reg.add_document(agreement_id, values, token=token),
                "registry.app.recorded",
            )


# ---------------------------------------------------------------- on the map page

DRAFTED = "registry_drafted"  # the message after a suggestion became a draft agreement


def with_existing(rows: pd.DataFrame, regions, sector: str, lang: str) -> pd.DataFrame:
    """A copy of the candidate ``rows`` with ``existing``: "sudah ada kerja sama: <name>
    (<stage>, <year>)" for a candidate that overlaps an agreement of its sector
    (:meth:`registry.Registry.agreements_overlapping_many`, the most shared first), else empty. A
    registry that cannot be opened leaves the rows as they are."""
    try:
        clusters = [[str(m) for m in members] for members in rows["members"]]
        found = open_registry(regions).agreements_overlapping_many(clusters, sector)
        labels = [words.overlap_label(hits[0], lang) if hits else "" for hits in found]
    except KerjasamaError:
        return rows
    return rows.assign(existing=labels)


def map_layer(regions, outlines, sector: str, province: str | None, lang: str) -> dict | None:
    """The existing agreements of ``sector`` in the scope (not cancelled) for the map's
    agreements layer (:func:`kerjasama.present.map.agreement_features`); None without a
    registry."""
    from kerjasama.present.map import agreement_features

    tr = translator(lang)
    try:
        found = [
            a
            for a in open_registry(regions).list(sector=sector, province=province)
            if a.stage != "dibatalkan"
        ]
    except KerjasamaError:
        return None
    tips = {
        a.id: tr(
            "registry.map.tip",
            name=a.name,
            stage=words.stage_label(a.stage, tr),
            year=a.known_year or "?",
        )
        for a in found
    }
    return agreement_features(found, outlines, tips)


def draft_box(lang: str, row, regions) -> None:
    """Under the opened candidate: the agreements it overlaps, and one click that records it
    as a draft agreement (stage usulan) with its members, form, provider and rationale. The
    button works for a logged-in editor (log in on the registry page); the registry checks
    the login on the server (:func:`write`)."""
    tr = translator(lang)
    if row.get("existing"):
        st.info(plain(row["existing"]))
    if DRAFTED in st.session_state:
        st.success(st.session_state.pop(DRAFTED))
    if REFUSED in st.session_state:  # the registry refused the login (see :func:`write`)
        st.error(plain(st.session_state.pop(REFUSED)))
    logged_in = bool(st.session_state.get(TOKEN))
    clicked = st.button(
        tr("registry.map.draft_button"),
        key=f"draft:{row['cluster_id']}",
        disabled=not logged_in,
        icon=":material/note_add:",
    )
    if not logged_in:
        st.caption(tr("registry.map.draft_login"))
    if clicked:
        reg = open_registry(regions)
        candidate = dict(row)
        ok, new_id = write(lang, lambda token: reg.draft_from_candidate(candidate, token=token))
        if ok:
            st.session_state[DRAFTED] = tr("registry.map.drafted", id=new_id)
            st.rerun()
