"""End to end in real headless Chromium: `streamlit run app.py`, the map, a sector and language
switch, a candidate picked on the map, the GeoJSON download, a screenshot."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from devtools.appserver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    free_port,
    start_app,
    stop_app,
    wait_healthy,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture()
def app_url(real_data, tmp_path):
    port = free_port()
    proc = start_app(real_data, port, tmp_path / "streamlit.log")
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


def wait_map(page, timeout_ms: int = 60_000):
    """The newest map frame, once Leaflet drew it with its numbered candidates.

    A re-render briefly shows the old and the new map; ``last`` is the new one.
    """
    frame = page.frame_locator(MAP_FRAME).last
    frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    frame.locator(".kerjasama-rank").first.wait_for(timeout=timeout_ms)
    return frame


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).first.click()


def test_browser_end_to_end(app_url):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(app_url)
            frame = wait_map(page)
            expect(page.get_by_text("Peta Kerja Sama Daerah")).to_be_visible()
            # the legend names the sector gap with unit and year
            expect(frame.locator(".kerjasama-legend")).to_contain_text("(% rumah tangga, 2024)")

            # full-screen presentation view: the button puts the map itself in full screen
            frame.locator(".kerjasama-fullscreen a").click()
            frame.locator("body").evaluate("() => 0")  # the frame is alive
            frames = [f for f in page.frames if "streamlit_folium" in f.url]
            assert frames[-1].wait_for_function(
                "() => document.fullscreenElement !== null && "
                "document.fullscreenElement.classList.contains('leaflet-container')",
                timeout=10_000,
            )
            frames[-1].evaluate("() => document.exitFullscreen()")

            # sector switch: explanations now speak of sanitation
            choose(page, "Sektor", "Air limbah / sanitasi")
            main = page.locator('[data-testid="stMain"]')
            expect(main).to_contain_text("Air limbah / sanitasi", timeout=30_000)
            frame = wait_map(page)
            expect(frame.locator(".kerjasama-legend")).to_contain_text("sanitasi", timeout=30_000)

            # language switch
            page.get_by_text("English", exact=True).click()
            expect(page.get_by_text("Inter-regional Cooperation Map")).to_be_visible(timeout=30_000)
            frame = wait_map(page)
            expect(frame.locator(".kerjasama-legend")).to_contain_text("gap", timeout=30_000)

            # clicking a region lists the candidates that include it
            frame.locator("path.leaflet-interactive").first.dispatch_event("click")
            expect(page.locator('[data-testid="stMain"]')).to_contain_text(
                "Candidates that include", timeout=30_000
            )
            frame = wait_map(page)

            # pick candidate #2 by clicking its number on the map (numbers may overlap in a
            # small province, so the click is sent to the marker element itself)
            frame.locator(".kerjasama-rank", has_text=re.compile(r"^2$")).dispatch_event("click")
            shown = page.get_by_role("combobox", name="Candidate shown")
            expect(shown).to_have_value(re.compile(r"^#2 "), timeout=30_000)
            frame = wait_map(page)
            expect(frame.locator(".kerjasama-rank.selected")).to_have_text("2", timeout=30_000)

            # download the GeoJSON of the candidate shown and check it
            with page.expect_download(timeout=30_000) as info:
                page.get_by_role("button", name="Download GeoJSON").click()
            download = info.value
            assert download.suggested_filename == "kerjasama_sanitation_64.geojson"
            data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
            assert data["type"] == "FeatureCollection"
            assert len(data["features"]) == 1
            feature = data["features"][0]
            props = feature["properties"]
            assert props["rank"] == 2 and props["sector"] == "sanitation"
            assert props["form"] in ("joint", "contract")
            assert 2 <= props["size"] == len(props["members"]) <= 5
            assert all(code.startswith("64") for code in props["members"])
            assert props["explanation"].startswith(("Joint service", "Contract service"))
            assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
            lon, lat = (
                feature["geometry"]["coordinates"][0][0][0][:2]
                if feature["geometry"]["type"] == "MultiPolygon"
                else feature["geometry"]["coordinates"][0][0][:2]
            )
            assert 113 < lon < 120 and -3 < lat < 3  # Kalimantan Timur, lon/lat order

            page.screenshot(path=str(ARTIFACTS / "browser_app_downloads.png"))
            page.get_by_text("Inter-regional Cooperation Map").scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "browser_app.png"))
            assert not errors, errors
        finally:
            browser.close()
