"""The registry page of the app (streamlit.testing AppTest, no browser), on SQLite and PostgreSQL.

Reading is open; the forms appear after an editor login, and every write is checked on the
server: a forged or ended login is refused by the registry itself and nothing is saved. Two
editors saving the same agreement: the second save is refused, the typed values stay, nothing
is overwritten. Every write is attributed to the logged-in editor.
"""

from __future__ import annotations

import datetime as dt

import pytest
from registry_support import agreement
from streamlit.testing.v1 import AppTest

from registry import Registry, auth

PASSWORD = "correct horse battery"
TIMEOUT = 180
ADD = "FormSubmitter:registry_add-Catat kerja sama"


def _page():
    from kerjasama.webapp import registrypage

    registrypage.page()


@pytest.fixture
def app_db(db_url, monkeypatch):
    """A registry database for the app (``KERJASAMA_DB_URL``), two editors, one agreement."""
    from kerjasama.webapp import registrypage

    monkeypatch.setenv("KERJASAMA_DB_URL", db_url)
    reg = Registry.open(db_url, local_user="admin")
    auth.create_user(reg, "editor1", PASSWORD)
    auth.create_user(reg, "editor2", PASSWORD)
    reg.add(agreement(name="TPA Regional Bontang–Kutai Timur"))
    yield reg
    registrypage._registry.clear()
    reg.close()


def run_page(**state) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def login(at: AppTest, user: str = "editor1", password: str = PASSWORD) -> AppTest:
    at.text_input(key="registry_username").input(user)
    at.text_input(key="registry_password").input(password)
    return at.button(key="FormSubmitter:registry_login-Masuk").click().run()


def submit(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_reading_is_open_and_no_form_is_offered(app_db):
    at = run_page()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader][:2] == ["Peringatan terbuka (1)", "Daftar kerja sama"]
    # the alert list comes first: the KB of 2024-01-10 has no PKS
    alerts = at.dataframe[0].value
    assert list(alerts["Peringatan"]) == ["KB tanpa PKS (tanggal KB)"]
    listing = at.dataframe[1].value
    assert list(listing["Kerja sama"]) == ["TPA Regional Bontang–Kutai Timur"]
    assert "Kutai Timur (64.08)" in listing["Para pihak (* penyedia)"].iloc[0]
    assert any("Masuk sebagai editor" in i.value for i in at.info)
    submitters = [b.key for b in at.button if str(b.key).startswith("FormSubmitter:")]
    assert submitters == ["FormSubmitter:registry_login-Masuk"]  # only the login form
    assert [e.label for e in at.expander] == ["Riwayat perubahan"]


def test_login_then_add_an_agreement_and_see_its_alert(app_db):
    at = login(run_page(), password="wrong password!")
    assert errors(at) == ["Nama pengguna atau kata sandi tidak dikenali."]
    assert "registry_token" not in at.session_state
    at = login(at)
    assert not errors(at), errors(at)
    assert [x.value for x in at.sidebar.text] == ["Masuk sebagai editor1."]
    at.text_input(key="reg_add_name").input("IPAL Komunal Samarinda–Kutai Kartanegara")
    at.selectbox(key="reg_add_sector:id").set_value("sanitation")
    at.selectbox(key="reg_add_stage:id").set_value("kb")
    at.date_input(key="reg_add_on").set_value(dt.date(2024, 3, 1))
    at.multiselect(key="reg_add_members").set_value(["6472", "6402"])
    at = submit(at, ADD)
    assert not errors(at), errors(at)
    assert [s.value for s in at.success] == ["Kerja sama #2 tercatat."]
    alerts = at.dataframe[0].value
    assert sorted(alerts["No."]) == [1, 2]
    assert "IPAL Komunal Samarinda–Kutai Kartanegara" in " ".join(alerts["Tindak lanjut"])
    # attributed to the editor who logged in
    history = app_db.history(2)
    assert {h.user for h in history} == {"editor1"}
    parties = app_db.get(2).parties
    assert {p.code for p in parties} == {"6472", "6402"}
    assert {p.name for p in parties} == {"Kota Samarinda", "Kabupaten Kutai Kartanegara"}


def test_a_bad_form_is_refused_naming_the_field_nothing_saved(app_db):
    at = login(run_page())
    at.text_input(key="reg_add_name").input("Tanpa anggota")
    at = submit(at, ADD)
    assert len(errors(at)) == 1 and "members" in errors(at)[0]
    assert [s.name for s in app_db.list()] == ["TPA Regional Bontang–Kutai Timur"]


def test_the_page_write_without_a_token_is_refused_by_the_registry(app_db):
    def script():
        import streamlit as st

        from kerjasama.webapp import registrypage

        reg = registrypage.open_registry(registrypage.places())
        values = {"name": "Forged", "sector": "waste", "form": "joint", "members": "64.71;64.72"}
        if "tried" not in st.session_state:  # a refused login re-runs the page
            st.session_state["tried"] = "refused"
            ok, _ = registrypage.write("en", lambda token: reg.add(values, token=token))
            st.session_state["tried"] = ok
        st.error(st.session_state.pop(registrypage.REFUSED, ""))

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert at.session_state["tried"] == "refused"
    assert errors(at) == ["Saving needs an editor login. Log in and save again; nothing was saved."]
    assert [s.name for s in app_db.list()] == ["TPA Regional Bontang–Kutai Timur"]


def test_a_forged_login_sees_the_forms_but_every_write_is_refused(app_db):
    # the session state claims a login: the forms are drawn, the registry still refuses
    at = run_page(registry_token="forged-token", registry_editor="mallory")
    at.text_input(key="reg_add_name").input("Forged agreement")
    at.multiselect(key="reg_add_members").set_value(["6471", "6472"])
    at = submit(at, ADD)
    assert errors(at) == [
        "Menyimpan memerlukan login editor. Masuk lalu simpan lagi; belum ada yang tersimpan."
    ]
    assert "registry_token" not in at.session_state  # the page forgets the refused login
    assert [s.name for s in app_db.list()] == ["TPA Regional Bontang–Kutai Timur"]
    assert not [b for b in at.button if str(b.key).startswith("FormSubmitter:reg_1_")]


def test_an_ended_login_is_refused_on_the_next_write(app_db):
    at = login(run_page())
    at.text_input(key="reg_1_1_name").input("Renamed after logout")
    # the login ends elsewhere (expiry, logout in another tab): the page still shows the form
    from sqlalchemy import update

    from registry.auth import utcnow
    from registry.models import LoginSession

    with app_db.engine.begin() as conn:
        conn.execute(update(LoginSession).values(revoked_at=utcnow()))
    at = submit(at, "FormSubmitter:reg_1_1_edit-Simpan perubahan")
    assert len(errors(at)) == 1 and "kedaluwarsa atau diakhiri" in errors(at)[0]
    assert app_db.get(1)["name"] == "TPA Regional Bontang–Kutai Timur"
    assert app_db.get(1).version == 1


def test_logout_ends_the_login_on_the_server(app_db):
    at = login(run_page())
    from registry.models import LoginSession

    with app_db.read_session() as session:
        (row,) = session.query(LoginSession).all()
        assert row.revoked_at is None
    at = at.button(key="registry_logout").click().run()
    assert "registry_token" not in at.session_state
    with app_db.read_session() as session:
        (row,) = session.query(LoginSession).all()
        assert row.revoked_at is not None
    assert not [b for b in at.button if str(b.key).startswith("FormSubmitter:reg_")]


def test_the_second_save_of_the_same_version_is_refused_and_nothing_is_lost(app_db):
    first = login(run_page(), "editor1")
    second = login(run_page(), "editor2")
    first.text_input(key="reg_1_1_name").input("TPA Regional (nama baru)")
    first = submit(first, "FormSubmitter:reg_1_1_edit-Simpan perubahan")
    assert not errors(first), errors(first)
    assert [s.value for s in first.success] == ["Kerja sama #1 tersimpan."]
    # the second editor loaded version 1 and changes the scope
    second.text_area(key="reg_1_1_scope").input("Pengangkutan dan pemrosesan akhir")
    second = submit(second, "FormSubmitter:reg_1_1_edit-Simpan perubahan")
    (message,) = errors(second)
    assert "editor1" in message and "TIDAK disimpan" in message
    # nothing overwritten, nothing lost: the typed value stays and is listed
    assert app_db.get(1)["name"] == "TPA Regional (nama baru)"
    assert app_db.get(1)["scope"] == ""
    assert second.text_area(key="reg_1_1_scope").value == "Pengangkutan dan pemrosesan akhir"
    assert "scope: Pengangkutan dan pemrosesan akhir" in " ".join(t.value for t in second.text)
    # load the latest version, then save again
    second = second.button(key="reg_reload_1").click().run()
    assert second.text_input(key="reg_1_2_name").value == "TPA Regional (nama baru)"
    second.text_area(key="reg_1_2_scope").input("Pengangkutan dan pemrosesan akhir")
    second = submit(second, "FormSubmitter:reg_1_2_edit-Simpan perubahan")
    assert not errors(second), errors(second)
    assert app_db.get(1)["scope"] == "Pengangkutan dan pemrosesan akhir"
    assert app_db.get(1)["name"] == "TPA Regional (nama baru)"
    who = {(h.field, h.user) for h in app_db.history(1) if h.action == "update"}
    assert {("name", "editor1"), ("scope", "editor2")} <= who


def test_stage_monitoring_budget_and_document_forms(app_db):
    at = login(run_page())
    at.selectbox(key="reg_1_1_target:id").set_value("pks")
    at.date_input(key="reg_1_1_target_on").set_value(dt.date(2024, 6, 1))
    at = submit(at, "FormSubmitter:reg_1_1_stage-Catat tahap")
    assert not errors(at), errors(at)
    at.selectbox(key="reg_1_2_target:id").set_value("berjalan")
    at.date_input(key="reg_1_2_target_on").set_value(dt.date(2024, 7, 1))
    at = submit(at, "FormSubmitter:reg_1_2_stage-Catat tahap")
    assert not errors(at), errors(at)
    at.text_input(key="reg_1_3_period").input("2024-08")
    at.selectbox(key="reg_1_3_status:id").set_value("delayed")
    at.text_area(key="reg_1_3_mon_note").input("Truk belum tersedia")
    at.text_input(key="reg_1_3_mon_ind").input("ton_per_hari=85")
    at = submit(at, "FormSubmitter:reg_1_3_monitor-Catat")
    assert not errors(at), errors(at)
    at.selectbox(key="reg_1_3_party").set_value("6474")
    at.number_input(key="reg_1_3_year").set_value(2025)
    at.text_input(key="reg_1_3_amount").input("1500000000")
    at = submit(at, "FormSubmitter:reg_1_3_budget-Catat")
    assert not errors(at), errors(at)
    at.selectbox(key="reg_1_4_dkind:id").set_value("pks")
    at.text_input(key="reg_1_4_dnumber").input("180/12/2024")
    at.text_input(key="reg_1_4_dlink").input("javascript:alert(1)")
    at = submit(at, "FormSubmitter:reg_1_4_document-Catat")
    assert len(errors(at)) == 1 and "http" in errors(at)[0]  # refused, nothing saved
    at.text_input(key="reg_1_4_dlink").input("https://jdih.example.go.id/pks-180.pdf")
    at = submit(at, "FormSubmitter:reg_1_4_document-Catat")
    assert not errors(at), errors(at)
    d = app_db.get(1)
    assert d["stage"] == "berjalan" and d["pks_on"] == dt.date(2024, 6, 1)
    assert [(m.period, m.status, m.indicators) for m in d.monitoring] == [
        (dt.date(2024, 8, 1), "delayed", {"ton_per_hari": 85.0})
    ]
    assert [(b.party_code, b.year, int(b.amount)) for b in d.budgets] == [
        ("6474", 2025, 1_500_000_000)
    ]
    assert [(x.kind, x.number) for x in d.documents] == [("pks", "180/12/2024")]
    assert {h.user for h in app_db.history(1) if h.action == "update"} == {"editor1"}
    # the detail shows what was recorded, as plain table cells
    cells = " ".join(" ".join(map(str, f.value.to_numpy().ravel())) for f in at.dataframe)
    for needle in ("terlambat", "ton_per_hari=85", "Rp 1.500.000.000", "180/12/2024"):
        assert needle in cells, needle


def test_filters(app_db):
    app_db.add(agreement(name="SPAM Regional", sector="water", stage="usulan", members="6471;6472"))
    app_db.add(agreement(name="Lintas Jawa", sector="water", stage="usulan", members="33.01;33.02"))
    at = run_page()
    names = lambda: list(at.dataframe[1].value["Kerja sama"])  # noqa: E731
    assert len(names()) == 3
    at.selectbox(key="registry_f_sector:id").set_value("water").run()
    assert names() == ["SPAM Regional", "Lintas Jawa"]
    at.selectbox(key="registry_f_province:id").set_value("64").run()
    assert names() == ["SPAM Regional"]
    at.selectbox(key="registry_f_sector:id").set_value("").run()
    at.selectbox(key="registry_f_stage:id").set_value("kb").run()
    assert names() == ["TPA Regional Bontang–Kutai Timur"]
    at.selectbox(key="registry_f_stage:id").set_value("").run()
    at.toggle(key="registry_f_alerts:id").set_value(True).run()
    assert names() == ["TPA Regional Bontang–Kutai Timur"]


def test_user_text_is_plain_text(app_db):
    hostile = "<script>alert(1)</script> **tebal** [tautan](https://x.example)"
    app_db.add(agreement(name=hostile, notes="<img src=x onerror=alert(1)>"))
    at = run_page()
    at.selectbox(key="registry_open:id").set_value(2).run()
    heading = [m.value for m in at.markdown if m.value.startswith("####")][0]
    assert heading == (
        r"#### \#2 \<script\>alert(1)\</script\> \*\*tebal\*\* \[tautan\](https://x.example)"
    )
    assert not [m for m in at.markdown if "<script>" in m.value or "<img" in m.value]
