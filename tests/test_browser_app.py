"""End to end in real headless Chromium (`streamlit run app.py` on the real data), as scenarios.

1. The selection follows the candidates: tick three rows, change a weight, the size and the
   cross-province toggle, download every format twice, and compare the ``cluster_id`` s in
   every file with those ticked (none replaced, dropped ones named and left out).
2. The map (folium in streamlit-folium's frame) as a working surface: the opened candidate in
   sync between map, box and heading (also when the same number is clicked again), search,
   numbers that do not pile up, tooltips inside the map, a foldable legend, full screen, all
   Indonesia in view, numbers written per language, the data panel, URL state, and no request
   leaving this computer.
"""

from __future__ import annotations

import io
import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from devtools.appserver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_IFRAME,
    act,
    free_port,
    map_frame,
    open_app,
    start_app,
    stop_app,
    tick_row,
    wait_idle,
    wait_map,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CLUSTER_ID = re.compile(r"\b[a-z_]+-(?:joint|contract)-\d+(?:-\d+)+\b")
FORMATS = ("GeoJSON", "CSV", "Shapefile", "PDF", "HTML")


@pytest.fixture(scope="module")
def app_url(real_data, tmp_path_factory):
    port = free_port()
    proc = start_app(real_data, port, tmp_path_factory.mktemp("app") / "streamlit.log")
    try:
        from devtools.appserver import wait_healthy

        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


@pytest.fixture()
def page(app_url):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.requests = []
            page.on("request", lambda request: page.requests.append(request.url))
            yield page
            assert not errors, errors
        finally:
            browser.close()


def frame(page):
    """The map's frame (a new one after a reload or a scope switch)."""
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def query(page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.url).query))


def ids_in(kind: str, payload: bytes) -> set[str]:
    """The cluster ids a downloaded file holds."""
    if kind == "GeoJSON":
        return {f["properties"]["cluster_id"] for f in json.loads(payload)["features"]}
    if kind == "CSV":
        lines = payload.decode("utf-8").splitlines()[1:]
        return {line.split(",")[0] for line in lines}
    if kind == "Shapefile":
        import geopandas as gpd

        with zipfile.ZipFile(io.BytesIO(payload)) as zf:
            names = zf.namelist()
            assert any(n.endswith(".shp") for n in names)
            assert any(n.endswith("explanations.csv") for n in names)
        frame = gpd.read_file(io.BytesIO(payload))
        return set(frame["cluster_id"])
    if kind == "PDF":
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(payload)).pages)
        return set(CLUSTER_ID.findall(text))
    return set(re.findall(r'<section class="cluster" id="([^"]+)"', payload.decode("utf-8")))


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_selection_follows_candidates_into_every_download(page, app_url):
    # Sulawesi Selatan water: the top three hold sets of 2 and 4 members (Kalimantan Timur has
    # only three water suggestions within reach, all pairs)
    open_app(page, app_url + "/?lang=id&scope=73&sector=water")
    for row in (0, 1, 2):
        tick_row(page, row)
    ticked = query(page)["sel"].split(",")
    assert len(ticked) == 3 and len(set(ticked)) == 3
    # a candidate keeps its rank among all scored rows; the distinct list skips its variants
    ranks = sorted(map_frame(page).locator(".ks-rank.ticked").all_inner_texts(), key=int)
    assert len(ranks) == 3 and ranks[0] == "1"

    # a weight, the size (2-3 members) and the cross-province toggle change the ranking
    act(page, lambda: page.get_by_text("Bobot komponen skor").click())  # drawn once open
    weight = page.get_by_role("slider", name="kapasitas penyedia").first
    weight.focus()
    for _ in range(4):
        act(page, lambda: page.keyboard.press("ArrowLeft"))
    size = page.get_by_role("slider", name="Jumlah anggota klaster").last
    size.focus()
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    # the toggle repaints the map (same frame, same regions): the neighbours of other
    # provinces are drawn pale around the province until they join the scope
    frame(page).evaluate("() => { window.__ksSameMap = true; }")
    paint = "() => Object.keys(window.ks.state.outsideSet).length"
    outside = frame(page).evaluate(paint)
    assert outside > 0
    act(page, lambda: page.get_by_text("Izinkan anggota dari provinsi tetangga").click())
    assert frame(page).evaluate("() => window.__ksSameMap === true")
    assert frame(page).evaluate(paint) < outside
    assert query(page)["sel"].split(",") == ticked  # the selection is still the same ids
    assert query(page)["size"] == "2-3" and query(page)["cross"] == "1"

    small = {c for c in ticked if len(c.split("-")) - 2 <= 3}
    large = set(ticked) - small
    assert small and large  # the scenario covers both: kept and dropped
    main = page.locator("[data-testid=stMain]")
    for cid in large:  # dropped: named, never replaced
        assert cid in main.inner_text()
    page.screenshot(path=str(ARTIFACTS / "browser_selection.png"))

    for kind, label in zip(
        FORMATS,
        (
            "Unduh GeoJSON",
            "Unduh CSV anggota",
            "Unduh Shapefile (zip)",
            "Bahan briefing — dokumen cetak (PDF)",
            "Bahan briefing — halaman web (HTML)",
        ),
        strict=True,
    ):
        for _ in range(2):  # every download works whenever clicked, also right after another
            found = ids_in(kind, download(page, label))
            assert found <= set(ticked), (kind, found - set(ticked))
            assert found == small, (kind, found, small)


def test_map_is_a_working_surface(page, app_url):
    # Sulawesi Selatan water: twenty suggestions within reach (Kalimantan Timur has three)
    open_app(page, app_url + "/?lang=id&scope=73&sector=water")
    main = page.locator("[data-testid=stMain]")
    fmap = map_frame(page)
    box = page.locator(MAP_IFRAME).bounding_box()

    # the legend folds away (folded at first: it never covers the province unasked)
    legend = fmap.locator(".ks-legend")
    assert not legend.evaluate("e => e.open")
    fmap.locator(".ks-legend summary").click()
    assert legend.evaluate("e => e.open")
    assert "(% rumah tangga, 2024)" in legend.inner_text()
    fmap.locator(".ks-legend summary").click()
    assert not legend.evaluate("e => e.open")

    # numbered markers never sit on top of each other
    rects = [r.bounding_box() for r in fmap.locator(".ks-rank").all()]
    assert len(rects) == 20
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert overlap_x <= 1 or overlap_y <= 1

    # a tooltip stays inside the map; numbers in the page's language
    rightmost = max(fmap.locator(".ks-rank").all(), key=lambda r: r.bounding_box()["x"])
    rightmost.hover()
    tip = fmap.locator(".leaflet-tooltip").last
    assert re.search(r"skor 0,\d{3}", tip.inner_text())
    t = tip.bounding_box()
    assert box["x"] <= t["x"] and t["x"] + t["width"] <= box["x"] + box["width"] + 1
    assert box["y"] <= t["y"] and t["y"] + t["height"] <= box["y"] + box["height"] + 1

    # the opened candidate: map number, box and heading agree, whichever moved
    # (ranks count every scored row; the distinct list skips the variants in between)
    second, third = sorted(fmap.locator(".ks-rank").all_inner_texts(), key=int)[1:3]
    rank = fmap.locator(".ks-rank", has_text=re.compile(rf"^{second}$"))
    act(page, lambda: rank.dispatch_event("click"))
    runs = page.evaluate("() => window.__ksDone")
    page.wait_for_timeout(700)  # streamlit-folium's own report of the click comes 250 ms later
    assert page.evaluate("() => window.__ksDone") == runs  # the click re-ran the page once
    shown = page.get_by_role("combobox", name="Kandidat yang dibuka")
    assert shown.input_value().startswith(f"#{second} ")
    assert f"Kandidat #{second}:" in main.inner_text()
    assert fmap.locator(".ks-rank.opened").inner_text() == second
    shown.click()
    act(page, lambda: page.get_by_role("option", name=re.compile(rf"^#{third} ")).click())
    assert fmap.locator(".ks-rank.opened").inner_text() == third
    assert f"Kandidat #{third}:" in main.inner_text()
    assert shown.input_value().startswith(f"#{third} ")
    # the same number clicked again is a new click (it opens the second again)
    act(page, lambda: rank.dispatch_event("click"))
    assert fmap.locator(".ks-rank.opened").inner_text() == second
    assert f"Kandidat #{second}:" in main.inner_text()
    again = fmap.locator(".ks-rank", has_text=re.compile(rf"^{third}$"))
    act(page, lambda: again.dispatch_event("click"))
    opened = query(page)["open"]

    # the opened suggestion's variants: folded (and not explained) until opened
    heading = page.get_by_text(re.compile(r"^Varian kandidat ini \(\d+\)$"))
    assert "Kandidat lain yang anggotanya tumpang tindih" not in main.inner_text()
    act(page, lambda: heading.click())
    assert "Kandidat lain yang anggotanya tumpang tindih" in main.inner_text()
    act(page, lambda: heading.click())
    assert "Kandidat lain yang anggotanya tumpang tindih" not in main.inner_text()

    # search a region by name: the map zooms there and lists its candidates
    search = fmap.locator(".ks-search input")
    search.fill("Kota Makassar")
    act(page, lambda: search.press("Enter"))
    runs = page.evaluate("() => window.__ksDone")
    page.wait_for_timeout(700)  # Enter is a keydown and a change: still one search, one run
    assert page.evaluate("() => window.__ksDone") == runs
    assert "Kandidat yang memuat Kota Makassar" in main.inner_text()
    assert frame(page).evaluate("() => window.map.getZoom()") >= 8

    # the data panel: the join, what is missing, years and sources
    act(page, lambda: page.get_by_text("Data yang dipakai").click())  # drawn once open
    text = main.inner_text()
    assert "cocok" in text and "Kelengkapan angka untuk sektor ini" in text

    # full screen: the map with its legend
    fmap.locator(".ks-fullscreen a").click()
    frame(page).wait_for_function(
        "() => document.fullscreenElement?.classList.contains('leaflet-container')"
    )
    assert frame(page).evaluate(
        "() => document.fullscreenElement.contains(document.querySelector('.ks-legend'))"
    )
    frame(page).evaluate("() => document.exitFullscreen()")

    # a reload (or a shared link) shows the same view
    page.reload()
    wait_map(page, 120_000)
    wait_idle(page)
    assert query(page)["open"] == opened
    assert map_frame(page).locator(".ks-rank.opened").inner_text() == third

    # all Indonesia fits the map; English numbers in English
    act(page, lambda: page.get_by_text("English", exact=True).click())
    page.get_by_role("combobox", name="Scope").click()
    act(page, lambda: page.get_by_role("option", name="All Indonesia").click())
    wait_map(page, 120_000)
    wait_idle(page)
    bounds = frame(page).evaluate(
        "() => { const b = window.map.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
    )
    assert bounds[0] <= 95.5 and bounds[2] >= 140.5 and bounds[1] <= -10.5 and bounds[3] >= 5.5
    map_frame(page).locator(".ks-rank").first.hover()
    assert re.search(
        r"score 0\.\d{3}", map_frame(page).locator(".leaflet-tooltip").last.inner_text()
    )
    page.screenshot(path=str(ARTIFACTS / "browser_app.png"))

    # nothing was loaded from outside this computer (Leaflet is vendored, no tiles)
    outside = [
        url for url in page.requests if not url.startswith(("http://127.0.0.1", "data:", "blob:"))
    ]
    assert not outside, outside[:5]
