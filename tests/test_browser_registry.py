"""The registry page end to end in real headless Chromium (`streamlit run app.py` on the real
data, a real SQLite file named by ``KERJASAMA_DB_URL`` in a temporary folder).

A visitor reads but is offered no form; an editor (created on the command line, as an
administrator would) logs in, adds an agreement and sees its alert; when the login ends on the
server while the page still shows the forms, the next save is refused by the registry and
nothing is written; logout ends the login in the database; the agreement is on the map page's
agreements layer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from devtools.appserver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    act,
    free_port,
    open_app,
    start_app,
    stop_app,
    wait_healthy,
    wait_idle,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "correct horse battery"
TIMEOUT = 300_000


@pytest.fixture(scope="module")
def server(real_data, tmp_path_factory):
    """(app URL, database URL): the app on a fresh registry file with one editor account."""
    folder = tmp_path_factory.mktemp("registry_app")
    db_url = f"sqlite:///{folder / 'registry.sqlite'}"
    kerjasama = Path(sys.executable).with_name("kerjasama")
    made = subprocess.run(
        [str(kerjasama), "registry", "user", "add", "editor1", "--db", db_url],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    port = free_port()
    with mock.patch.dict(os.environ, {"KERJASAMA_DB_URL": db_url}):
        proc = start_app(real_data, port, folder / "streamlit.log")
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}", db_url
    finally:
        stop_app(proc)


@pytest.fixture()
def page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            yield page
            assert not errors, errors
        finally:
            browser.close()


def open_registry_page(page, app_url: str) -> None:
    page.goto(app_url + "/registri")
    page.get_by_text("Registri Kerja Sama Daerah").first.wait_for(timeout=TIMEOUT)
    page.get_by_text("Daftar kerja sama").wait_for(timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)


def log_in(page) -> None:
    side = page.locator("[data-testid=stSidebar]")
    side.get_by_label("Nama pengguna").fill("editor1")
    side.get_by_label("Kata sandi").fill(PASSWORD)
    act(page, lambda: side.get_by_role("button", name="Masuk").click(), TIMEOUT)
    side.get_by_text("Masuk sebagai editor1.").wait_for(timeout=TIMEOUT)


def choose(page, scope, label: str, option: str, search: str = "") -> None:
    """Pick ``option`` in the select box or multiselect labelled ``label`` inside ``scope``
    (typing ``search`` first: long option lists are drawn only around what is typed)."""
    scope.get_by_role("combobox", name=label).click()
    if search:
        page.keyboard.type(search)
    page.get_by_role("option", name=option).first.click()
    page.keyboard.press("Escape")  # close the list (while open, the rest of the page is hidden)


def registry(db_url: str):
    from registry import Registry

    return Registry.open(db_url, local_user="test")


def test_login_add_see_the_alert_and_a_refused_write(page, server):
    app_url, db_url = server
    open_registry_page(page, app_url)
    main = page.locator("[data-testid=stMain]")

    # a visitor reads: no form is offered
    assert "Masuk sebagai editor" in main.inner_text()
    assert page.get_by_text("Tambah kerja sama").count() == 0
    assert page.get_by_role("button", name="Simpan perubahan").count() == 0
    assert "Peringatan terbuka (0)" in main.inner_text()

    # an editor logs in and records a KB signed in January 2024 without a PKS since
    log_in(page)
    page.get_by_text("Tambah kerja sama").click()
    form = page.locator("[data-testid=stForm]").filter(has_text="Catat kerja sama")
    form.get_by_label("Nama kerja sama").fill("TPA Regional Bontang–Kutai Timur")
    choose(page, form, "Sektor", "Air minum (SPAM regional)")
    choose(page, form, "Tahap", "KB/MoU")
    form.get_by_role("spinbutton", name="year, Tanggal tahap ini dicapai").click()
    page.keyboard.type("20240110")  # year, month, day: each segment moves on to the next
    choose(page, form, "Pihak kabupaten/kota", "Kota Bontang (64.74)", "Bontang")
    choose(page, form, "Pihak kabupaten/kota", "Kabupaten Kutai Timur (64.08)", "Kutai Timur")
    act(page, lambda: form.get_by_role("button", name="Catat kerja sama").click(), TIMEOUT)
    page.get_by_text("Kerja sama #1 tercatat.").wait_for(timeout=TIMEOUT)

    # its alert: counted first on the page, and spelled out on the agreement
    alert = "#1 TPA Regional Bontang–Kutai Timur: KB/MoU ditandatangani 2024-01-10"
    page.get_by_test_id("stAlertContentWarning").get_by_text(alert).wait_for(timeout=TIMEOUT)
    # the save re-runs the page once more (st.rerun): the agreement may come a run later
    page.get_by_text(alert).nth(1).wait_for(timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)
    assert page.get_by_text(alert).count() == 2  # in the alert list and on the agreement
    text = main.inner_text()
    assert "Peringatan terbuka (1)" in text
    assert alert in text
    assert "belum ada PKS" in text
    with registry(db_url) as reg:
        (added,) = reg.list()
        assert added.name == "TPA Regional Bontang–Kutai Timur" and added.sector == "water"
        assert set(added.members) == {"6474", "6408"}
        assert {h.user for h in reg.history(1)} == {"editor1"}
    page.screenshot(path=str(ARTIFACTS / "browser_registry.png"), full_page=True)

    # the login ends on the server (expiry, logout elsewhere) while the forms are still shown:
    # the next save is refused by the registry and nothing is written
    from sqlalchemy import update

    from registry.auth import utcnow
    from registry.models import LoginSession

    with registry(db_url) as reg, reg.engine.begin() as conn:
        conn.execute(update(LoginSession).values(revoked_at=utcnow()))
    edit = page.locator("[data-testid=stForm]").filter(has_text="Simpan perubahan")
    edit.get_by_label("Nama kerja sama").fill("Renamed by a stale page")
    act(page, lambda: edit.get_by_role("button", name="Simpan perubahan").click(), TIMEOUT)
    page.get_by_text("Login Anda sudah kedaluwarsa atau diakhiri").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Simpan perubahan").wait_for(state="detached", timeout=60_000)
    with registry(db_url) as reg:
        assert reg.get(1)["name"] == "TPA Regional Bontang–Kutai Timur"
        assert reg.get(1).version == 1

    # log in again, then out: the login ends in the database and the forms go
    log_in(page)
    act(page, lambda: page.get_by_role("button", name="Keluar").click(), TIMEOUT)
    page.locator("[data-testid=stSidebar]").get_by_label("Nama pengguna").wait_for()
    page.get_by_role("button", name="Simpan perubahan").wait_for(state="detached", timeout=60_000)
    with registry(db_url) as reg, reg.read_session() as session:
        rows = session.query(LoginSession).all()
        assert len(rows) == 2 and all(r.revoked_at is not None for r in rows)

    # the map page: the agreement on the agreements layer, in the sector and province
    open_app(page, app_url + "/?lang=id&scope=64&sector=water")
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    tips = frame.evaluate(
        "() => { const out = []; window.map.eachLayer(l => {"
        " if (l.feature && l.feature.properties.kind === 'agreement')"
        " out.push(l.feature.properties.tip); }); return out; }"
    )
    assert tips == ["Kerja sama yang ada: TPA Regional Bontang–Kutai Timur (KB/MoU, 2024)"]
    page.screenshot(path=str(ARTIFACTS / "browser_registry_map.png"))
