"""Benchmark the Streamlit app as a planner uses it, in headless Chromium, against the targets.

Run: ``KERJASAMA_DATA=/path/to/data .venv/bin/python benchmarks/bench_app.py [--repeat N]``

Prints, each against its target (issue 12):

* server start to the first map (a new ``streamlit run`` process, first page): <= 10 s;
* a page load on the running server (reload until the map shows): <= 4 s;
* interactions at province scope (Sulawesi Selatan: twenty water and fourteen waste
  suggestions within reach; Kalimantan Timur has three): open a candidate on the map, open one in
  the "candidate shown" box, tick a table row, move a weight slider, change the size, the
  cross-province toggle, the sector, the language: each <= 0.7 s;
* the same at national scope (all Indonesia), plus the switch to it: each <= 2 s;
* the map payload (bytes the browser receives for the map) against the peer: the full-detail
  boundaries of the same scope as GeoJSON, what a naive map would send;
* peak memory (VmHWM) of the Streamlit server process.

An interaction is timed from the input event until the page settled: the script run it caused
finished and the map drew its payload (``devtools.appserver.act``). Each is repeated
``--repeat`` times (default 3); the median and the worst are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout: the project and devtools/

from devtools.appserver import (  # noqa: E402  (after the path set-up)
    CHROMIUM,
    CHROMIUM_ARGS,
    act,
    free_port,
    map_frame,
    open_app,
    row_tick,
    start_app,
    stop_app,
    wait_healthy,
    wait_idle,
    wait_map,
)

PROVINCE, PROVINCE_CODE = "Sulawesi Selatan", "73"
PROVINCE_TARGET = 0.7
NATIONAL_TARGET = 2.0
LOAD_TARGET = 4.0
START_TARGET = 10.0


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def payloads(data: Path) -> dict[str, tuple[int, int, int]]:
    """(base map, feature groups, naive full-detail GeoJSON) bytes for Sulawesi Selatan and all
    Indonesia: what streamlit-folium sends the browser on every rerun (the base map's script,
    header and the vendored Leaflet as data URLs; the feature groups' script), against the
    scope's full-detail boundaries as GeoJSON."""
    import streamlit_folium as sf

    from analysis import pipeline
    from analysis.config import load_config
    from geo.display import display_regions
    from kerjasama import paths
    from kerjasama.present import map as webmap
    from kerjasama.present.words import explain_rows

    config = load_config()
    regions = pipeline.load_regions(paths.default_boundaries(data, config.data.boundary_file))
    table, _, _ = pipeline.load_table(
        paths.default_indicators(data, config.data.indicator_file), regions, None, None, config
    )
    edges = pipeline.build_adjacency(regions)
    out = {}
    for label, province in ((PROVINCE, PROVINCE_CODE), ("all Indonesia", None)):
        prepared = pipeline.prepare(regions, edges, province=province)
        ranked = pipeline.score(prepared, table, "water", config=config)
        shown, _ = pipeline.finalize(ranked)
        shown = explain_rows(ranked, shown, "id")
        drawn = prepared.ids  # with a province, its neighbours as context (as the app)
        if province is not None:
            drawn = webmap.context_codes(regions, edges, province, prepared.ids)
        display = display_regions(regions.loc[list(drawn)])
        layer = webmap.region_layer(display)
        outlines = webmap.Outlines(display)
        fill, text = webmap.gap_layer(pipeline.scope_gap(ranked), "id")
        points = outlines.points[outlines.points.index.isin(prepared.ids)]
        links = webmap.link_features(webmap.link_layer(edges, points, "id"))
        shapes, marks = webmap.candidate_features(
            shown, outlines, opened=shown["cluster_id"].iloc[0], lang="id"
        )
        state = webmap.paint_state(
            fill,
            text,
            webmap.region_counts(shown, "id"),
            webmap.legend(config.sector("water"), "id"),
            "id",
            outside=set(drawn) - set(prepared.ids),
        )
        base = webmap.base_map(layer, webmap.layer_bounds(layer, prepared.ids))
        groups = [webmap.link_group(links), webmap.candidate_group(shapes, marks, state)]
        base.render()
        assets = sum(len(url) for _, url in base.default_js + base.default_css)
        static = len(sf._get_header(base)) + len(sf._get_map_string(base)) + assets
        dynamic = sum(
            len(sf._get_feature_group_string(g, map=base, idx=i)) for i, g in enumerate(groups)
        )
        naive = regions.loc[list(drawn), ["name", "geometry"]].to_json().encode()
        out[label] = (static, dynamic, len(naive))
    return out


def choose(page, label: str, option: str) -> None:
    """Open a select box and type the option's name (the list is filtered to it)."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).first.wait_for()


class Timer:
    """Collects timings by name."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.targets: dict[str, float] = {}
        self.memory = float("nan")

    def add(self, name: str, seconds: float, target: float) -> None:
        self.times.setdefault(name, []).append(seconds)
        self.targets[name] = target

    def timed(self, page, name: str, target: float, action) -> None:
        start = time.perf_counter()
        try:
            act(page, action)
        except Exception as exc:  # report it and go on with the next interaction
            print(f"  {name}: failed ({type(exc).__name__}); page reloaded", flush=True)
            page.reload()
            wait_map(page, 120_000)
            wait_idle(page)
            return
        self.add(name, time.perf_counter() - start, target)


def interactions(page, timer: Timer, scope: str, target: float, repeat: int) -> None:
    """Time the planner's interactions once the page shows ``scope``."""
    for i in range(repeat):
        # the second or third number on the map (ranks count every scored row: not 1, 2, 3)
        marker = map_frame(page).locator(".ks-rank").nth(1 + i % 2)
        timer.timed(
            page,
            f"{scope}: open a candidate on the map",
            target,
            lambda m=marker: m.dispatch_event("click"),
        )
        box = page.get_by_role("combobox", name="Kandidat yang dibuka")
        box.click()
        try:  # the option list open before the timer starts (a click may come too early)
            page.get_by_role("option").first.wait_for(timeout=5_000)
        except Exception:  # noqa: BLE001 (Playwright's TimeoutError): open it again
            box.click()
        timer.timed(
            page,
            f"{scope}: open a candidate in the box",
            target,
            lambda: page.get_by_role("option").first.click(),
        )
        # from the click (the grid scrolled into view before it, as a planner's eyes are)
        timer.timed(page, f"{scope}: tick a table row", target, row_tick(page, i))
        expander = page.get_by_text("Bobot komponen skor")
        if not page.get_by_role("slider", name="kapasitas penyedia").first.is_visible():
            act(page, expander.click)  # the sliders are drawn once their panel is open
        slider = page.get_by_role("slider", name="kapasitas penyedia").first
        slider.focus()
        key = "ArrowLeft" if i % 2 == 0 else "ArrowRight"
        timer.timed(
            page, f"{scope}: move a weight slider", target, lambda k=key: page.keyboard.press(k)
        )
        size = page.get_by_role("slider", name="Jumlah anggota klaster").last
        size.focus()
        key = "ArrowLeft" if i % 2 == 0 else "ArrowRight"
        timer.timed(page, f"{scope}: change the size", target, lambda k=key: page.keyboard.press(k))
        if scope == PROVINCE:
            timer.timed(
                page,
                f"{scope}: cross-province toggle",
                target,
                lambda: page.get_by_text("Izinkan anggota dari provinsi tetangga").click(),
            )
        choose(page, "Sektor", "Persampahan" if i % 2 == 0 else "Air minum")
        timer.timed(
            page, f"{scope}: change the sector", target, lambda: page.keyboard.press("Enter")
        )
    if repeat % 2:  # leave the sector, size and toggle as they were
        choose(page, "Sektor", "Air minum")
        act(page, lambda: page.keyboard.press("Enter"))
        page.get_by_role("slider", name="Jumlah anggota klaster").last.focus()
        act(page, lambda: page.keyboard.press("ArrowRight"))
        if scope == PROVINCE:
            act(page, lambda: page.get_by_text("Izinkan anggota dari provinsi tetangga").click())


def first_map(data: Path, timer: Timer, name: str) -> None:
    """With the browser already open, start a server and time until its first map; stop it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        port = free_port()
        started = time.perf_counter()
        proc = start_app(data, port)
        try:
            wait_healthy(port, proc, timeout=300)
            open_app(page, f"http://127.0.0.1:{port}/?lang=id&scope={PROVINCE_CODE}&sector=water")
            timer.add(name, time.perf_counter() - started, START_TARGET)
        finally:
            stop_app(proc)
            browser.close()


def browser_times(data: Path, repeat: int) -> tuple[Timer, float]:

    timer = Timer()
    with tempfile.TemporaryDirectory() as cache:  # the adjacency cache starts empty
        os.environ["XDG_CACHE_HOME"] = cache
        # and the default registry is made there, as on a fresh install (not the user's own)
        os.environ["XDG_STATE_HOME"] = cache
        first_map(data, timer, "server start to first map (first start, nothing cached)")
        first_map(data, timer, "server start to first map (restart)")
        browser_session(data, repeat, timer)
    return timer


def browser_session(data: Path, repeat: int, timer: Timer) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_app(data, port)
    try:
        url = f"http://127.0.0.1:{port}/?lang=id&scope={PROVINCE_CODE}&sector=water"
        wait_healthy(port, proc, timeout=300)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            try:
                run_all(page, url, timer, repeat)
            except Exception as exc:  # report what was measured, then the failure
                print(f"benchmark stopped: {type(exc).__name__}: {exc}".splitlines()[0])
            browser.close()
        timer.memory = _peak_rss_mb(proc.pid)
    finally:
        stop_app(proc)


def run_all(page, url: str, timer: Timer, repeat: int) -> None:
    """Every timed step, in order (province first, then all Indonesia)."""
    open_app(page, url)
    for _ in range(repeat):
        start = time.perf_counter()
        page.reload()
        wait_map(page, 120_000)
        wait_idle(page)
        timer.add("page load (running server)", time.perf_counter() - start, LOAD_TARGET)
    open_app(page, url)
    interactions(page, timer, PROVINCE, PROVINCE_TARGET, repeat)
    for i in range(repeat):
        for name, option in (
            ("all Indonesia: switch to it", "Seluruh Indonesia"),
            ("back to a province", PROVINCE),
        ):
            choose(page, "Cakupan wilayah", option)
            timer.timed(
                page,
                name if i else name + " (first time)",
                NATIONAL_TARGET,
                lambda: page.keyboard.press("Enter"),
            )
    choose(page, "Cakupan wilayah", "Seluruh Indonesia")
    act(page, lambda: page.keyboard.press("Enter"))
    interactions(page, timer, "all Indonesia", NATIONAL_TARGET, repeat)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT / "data",
        help="data folder (default: the bundled data in the repository's data/)",
    )
    args = parser.parse_args(argv)
    data = args.data
    load = os.getloadavg()
    print(f"data: {data}; load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    for label, (static, dynamic, naive) in payloads(data).items():
        print(
            f"map per rerun {label}: base map {static / 1e6:.2f} MB + feature groups "
            f"{dynamic / 1e6:.2f} MB; full-detail GeoJSON {naive / 1e6:.2f} MB, ratio "
            f"{(static + dynamic) / naive:.3f} (target <= 3 MB)"
        )
    timer = browser_times(data, args.repeat)
    memory = timer.memory
    width = max(len(n) for n in timer.times)
    print(f"{'interaction':<{width}}  median   worst  target  ok")
    for name, values in timer.times.items():
        target = timer.targets[name]
        median, worst = statistics.median(values), max(values)
        ok = "yes" if median <= target else "NO"
        print(f"{name:<{width}}  {median:6.2f}  {worst:6.2f}  {target:6.1f}  {ok}")
    print(f"streamlit server peak memory (VmHWM of the server process): {memory:.0f} MB")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
