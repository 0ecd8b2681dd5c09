"""Benchmark the Streamlit app in a real browser and the size of the map page.

Run: ``KERJASAMA_DATA=/path/to/data .venv/bin/python benchmarks/bench_app.py``

Prints:

* time until the map is visible (Leaflet drawn with the numbered candidates) for Kalimantan
  Timur, cold (first request: reading, adjacency, enumeration) and warm (cached), and for all
  Indonesia (cold: display geometry and enumeration of the national scope; warm);
* the re-render time after a weight slider moves (the page shows the re-scored map);
* the map payload (bytes of the folium HTML page the browser receives) for Kalimantan Timur and
  all Indonesia, against the peer: folium drawing the full-detail boundaries directly
  (``folium.GeoJson(regions)``), which is what a naive app would send;
* peak memory (VmHWM) of the Streamlit server process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout: the project and devtools/

from devtools.appserver import (  # noqa: E402  (after the path set-up)
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    free_port,
    start_app,
    stop_app,
    wait_healthy,
)

PAYLOAD_TARGET = 3_000_000


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def payloads(data: Path) -> dict[str, tuple[int, int]]:
    """(ours, naive folium) payload bytes for Kalimantan Timur and all Indonesia."""
    import folium

    from analysis import pipeline
    from analysis.config import load_config
    from geo.display import display_regions
    from kerjasama import paths
    from kerjasama.present import map as webmap

    config = load_config()
    bpath = paths.default_boundaries(data, config.data.boundary_file)
    ipath = paths.default_indicators(data, config.data.indicator_file)
    regions = pipeline.load_regions(bpath)
    table, _, _ = pipeline.load_table(ipath, regions, None, None, config)
    edges = pipeline.build_adjacency(regions)
    out = {}
    for label, province in (("Kalimantan Timur", "64"), ("all Indonesia", None)):
        prepared = pipeline.prepare(regions, edges, province=province)
        ranked = pipeline.score(prepared, table, "water", config=config)
        shown, _ = pipeline.finalize(ranked)
        scope = regions.loc[list(prepared.ids)]
        display = display_regions(scope)
        gap = pipeline.scope_gap(ranked)
        fmap = webmap.build_map(display, gap=gap, edges=edges, candidates=shown, lang="id")
        page = fmap.get_root().render()
        naive = folium.Map(tiles=None)
        folium.GeoJson(scope[["name", "geometry"]].to_json()).add_to(naive)
        out[label] = (len(page.encode()), len(naive.get_root().render().encode()))
    return out


def browser_times(data: Path) -> dict[str, float]:
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    proc = start_app(data, port)
    times: dict[str, float] = {}
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(port, proc, timeout=120)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})

            def new_map(timeout: float = 300_000) -> None:
                """Wait for a map iframe not marked old, drawn with its candidates."""
                fresh = page.locator(f"{MAP_FRAME}:not([data-old])").last
                fresh.wait_for(timeout=timeout)
                frame = page.frame_locator(f"{MAP_FRAME}:not([data-old])").last
                frame.locator(".kerjasama-rank").first.wait_for(timeout=timeout)

            def mark_old() -> None:
                script = "s => document.querySelectorAll(s).forEach(e => e.dataset.old = '1')"
                page.evaluate(script, MAP_FRAME)

            def timed(name: str, action) -> None:
                start = time.perf_counter()
                action()
                new_map()
                times[name] = time.perf_counter() - start

            timed("Kalimantan Timur, cold", lambda: page.goto(url))
            timed("Kalimantan Timur, warm", lambda: page.reload())

            def all_indonesia() -> None:
                mark_old()
                page.get_by_role("combobox", name="Cakupan wilayah").click()
                page.get_by_role("option", name="Seluruh Indonesia").click()

            timed("all Indonesia, cold", all_indonesia)
            page.reload()
            new_map()
            timed("all Indonesia, warm", all_indonesia)

            page.get_by_text("Bobot komponen skor").click()
            slider = page.get_by_role("slider", name="kebutuhan bersama").first

            def weight_change() -> None:
                mark_old()
                slider.focus()
                page.keyboard.press("ArrowLeft")

            timed("all Indonesia, weight change", weight_change)
            expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=60_000)
            browser.close()
        times["server peak memory MB"] = _peak_rss_mb(proc.pid)
    finally:
        stop_app(proc)
    return times


def main() -> None:
    from kerjasama import paths

    data = paths.data_dir()
    for label, (ours, naive) in payloads(data).items():
        print(
            f"map payload {label}: ours {ours / 1e6:.2f} MB, naive folium full geometry "
            f"{naive / 1e6:.2f} MB, ratio {ours / naive:.3f} (target <= {PAYLOAD_TARGET / 1e6:.0f}"
            " MB)"
        )
    times = browser_times(data)
    memory = times.pop("server peak memory MB")
    for name, seconds in times.items():
        print(f"map visible in browser, {name}: {seconds:.2f} s")
    print(f"streamlit server peak memory (VmHWM of the server process): {memory:.0f} MB")


if __name__ == "__main__":
    main()
