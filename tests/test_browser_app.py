"""End to end in real headless Chromium (`streamlit run app.py` on the real data), as scenarios.

1. The selection follows the candidates: tick three rows, change a weight, the size and the
   cross-province toggle, download every format twice, and compare the ``cluster_id`` s in
   every file with those ticked (none replaced, dropped ones named and left out).
2. The map as a working surface: the opened candidate in sync between map, box and heading,
   search, numbers that do not pile up, tooltips inside the map, the legend outside it, full
   screen, all Indonesia in view, numbers written per language, the data panel, URL state.
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
    act,
    free_port,
    open_app,
    start_app,
    stop_app,
    tick_row,
    wait_idle,
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
            yield page
            assert not errors, errors
        finally:
            browser.close()


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
    ranks = sorted(page.locator(".ks-rank.ticked").all_inner_texts(), key=int)
    assert len(ranks) == 3 and ranks[0] == "1"

    # a weight, the size (2-3 members) and the cross-province toggle change the ranking
    page.get_by_text("Bobot komponen skor").click()
    weight = page.get_by_role("slider", name="kapasitas penyedia").first
    weight.focus()
    for _ in range(4):
        act(page, lambda: page.keyboard.press("ArrowLeft"))
    size = page.get_by_role("slider", name="Jumlah anggota klaster").last
    size.focus()
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    act(page, lambda: page.get_by_text("Izinkan anggota dari provinsi tetangga").click())
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
    box = page.locator(".ks-map-box").bounding_box()

    # the legend is below the map, never on it, and folds away
    legend = page.locator(".ks-legend")
    assert legend.bounding_box()["y"] >= box["y"] + box["height"] - 1
    assert "(% rumah tangga, 2024)" in legend.inner_text()
    page.locator(".ks-legend-title").click()
    assert not page.locator(".ks-legend").evaluate("e => e.open")

    # numbered markers never sit on top of each other
    rects = [r.bounding_box() for r in page.locator(".ks-rank").all()]
    assert len(rects) == 20
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert overlap_x <= 1 or overlap_y <= 1

    # a tooltip near the map's edge stays inside the map; numbers in the page's language
    page.mouse.move(box["x"] + box["width"] - 40, box["y"] + box["height"] / 2)
    rank = page.locator(".ks-rank").first
    rank.hover()
    tip = page.locator(".ks-tip")
    assert re.search(r"skor 0,\d{3}", tip.inner_text())
    t = tip.bounding_box()
    assert box["x"] <= t["x"] and t["x"] + t["width"] <= box["x"] + box["width"] + 1
    assert box["y"] <= t["y"] and t["y"] + t["height"] <= box["y"] + box["height"] + 1

    # the opened candidate: map number, box and heading agree, whichever moved
    # (ranks count every scored row; the distinct list skips the variants in between)
    second, third = sorted(page.locator(".ks-rank").all_inner_texts(), key=int)[1:3]
    marker = page.locator(".ks-rank", has_text=re.compile(rf"^{second}$"))
    act(page, lambda: marker.dispatch_event("click"))
    shown = page.get_by_role("combobox", name="Kandidat yang dibuka")
    assert shown.input_value().startswith(f"#{second} ")
    assert f"Kandidat #{second}:" in main.inner_text()
    assert page.locator(".ks-rank.opened").inner_text() == second
    shown.click()
    act(page, lambda: page.get_by_role("option", name=re.compile(rf"^#{third} ")).click())
    assert page.locator(".ks-rank.opened").inner_text() == third
    assert f"Kandidat #{third}:" in main.inner_text()
    assert (
        page.get_by_role("combobox", name="Kandidat yang dibuka")
        .input_value()
        .startswith(f"#{third}")
    )
    opened = query(page)["open"]

    # search a region by name: the map zooms there and lists its candidates
    search = page.locator(".ks-search input")
    search.fill("Kota Makassar")
    act(page, lambda: search.press("Enter"))
    assert "Kandidat yang memuat Kota Makassar" in main.inner_text()

    # the data panel: the join, what is missing, years and sources
    page.get_by_text("Data yang dipakai").click()
    text = main.inner_text()
    assert "cocok" in text and "Kelengkapan angka untuk sektor ini" in text

    # full screen: the map with its legend
    page.locator(".ks-fullscreen a").click()
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('ks-map')")
    page.evaluate("() => document.exitFullscreen()")

    # a reload (or a shared link) shows the same view
    page.reload()
    page.locator(".ks-map .ks-rank").first.wait_for(timeout=120_000)
    wait_idle(page)
    assert query(page)["open"] == opened
    assert page.locator(".ks-rank.opened").inner_text() == third

    # all Indonesia fits the map; English numbers in English
    act(page, lambda: page.get_by_text("English", exact=True).click())
    page.get_by_role("combobox", name="Scope").click()
    act(page, lambda: page.get_by_role("option", name="All Indonesia").click())
    bounds = page.evaluate(
        "() => { const b = document.querySelector('.ks-map').parentElement.__ks.map.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
    )
    assert bounds[0] <= 95.5 and bounds[2] >= 140.5 and bounds[1] <= -10.5 and bounds[3] >= 5.5
    page.locator(".ks-rank").first.hover()
    assert re.search(r"score 0\.\d{3}", page.locator(".ks-tip").inner_text())
    page.screenshot(path=str(ARTIFACTS / "browser_app.png"))
