"""Start the Streamlit app on a free local port and drive it with Debian's Chromium.

Shared by the browser test (``tests/test_browser_app.py``) and the app benchmark
(``benchmarks/bench_app.py``); developer tooling, not part of the installed package.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(data: Path, port: int, log: Path | None = None) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:``port`` with ``KERJASAMA_DATA=data``."""
    env = dict(os.environ, KERJASAMA_DATA=str(data))
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]
    out = log.open("w") if log else subprocess.DEVNULL
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until the server answers its health check (or fail if it exited)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not start")


def stop_app(proc: subprocess.Popen) -> None:
    """Terminate the server, killing it if it does not stop within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------- driving the page

#: counts finished script runs (full reruns and fragment runs) on ``window.__ksDone``: every
#: change of the page's script state is a record with the value before it, so a run that starts
#: and ends between two calls of the observer (a fast, cached re-run) is counted too
_RUN_COUNTER = """() => {
  if (window.__ksObs) return;
  const app = document.querySelector('[data-testid=stApp]');
  window.__ksDone = 0;
  window.__ksObs = new MutationObserver((records) => {
    const states = records.map((r) => r.oldValue);
    states.push(app.getAttribute('data-test-script-state'));
    for (let i = 0; i + 1 < states.length; i++) {
      if (states[i] === 'running' && states[i + 1] !== 'running') window.__ksDone += 1;
    }
  });
  window.__ksObs.observe(app, {
    attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state'],
  });
}"""


#: streamlit-folium's frame (the map's own page)
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def map_frame(page):
    """The map (a Playwright frame locator: ``map_frame(page).locator('.ks-rank')``)."""
    return page.frame_locator(MAP_IFRAME)


def wait_map(page, timeout_ms: float = 300_000) -> None:
    """Wait until the map shows its numbered candidates."""
    map_frame(page).locator(".ks-rank").first.wait_for(timeout=timeout_ms)


def wait_idle(page, timeout_ms: float = 120_000) -> None:
    """Wait until no script runs and the map drew what it was sent (two animation frames in
    the page, then two in the map's frame, which redraws after the page hands it the data)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        ".getAttribute('data-test-script-state') === 'notRunning'",
        timeout=timeout_ms,
    )
    page.evaluate(_FRAMES)
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            frame.evaluate(_FRAMES)


def open_app(page, url: str, timeout_ms: float = 300_000) -> None:
    """Load the page and wait for the map with its numbered candidates."""
    page.goto(url)
    wait_map(page, timeout_ms)
    page.wait_for_selector("[data-testid=stApp]")
    page.evaluate(_RUN_COUNTER)
    wait_idle(page, timeout_ms)


def act(page, action, timeout_ms: float = 300_000) -> None:
    """Do ``action`` (a click, a key press...) and wait until the re-run it caused settled."""
    page.evaluate(_RUN_COUNTER)
    before = page.evaluate("() => window.__ksDone")
    action()
    page.wait_for_function(f"() => window.__ksDone > {before}", timeout=timeout_ms)
    wait_idle(page, timeout_ms)


def row_tick(page, row: int, grid: int = 1):
    """The click that ticks (or unticks) a row of the ``grid``-th visible data grid of the
    page (the ranked candidates are the second one: the opened candidate's member table comes
    first; the variants table in its folded expander is not visible), with the grid scrolled
    into view: call it with :func:`act`."""
    table = page.locator("[data-testid=stDataFrame]").filter(visible=True).nth(grid)
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    return lambda: page.mouse.click(box["x"] + 16, box["y"] + 35 + 35 * row + 17)


def tick_row(page, row: int, grid: int = 1) -> None:
    """Tick (or untick) a row of a data grid (:func:`row_tick`) and wait for the re-run."""
    act(page, row_tick(page, row, grid))
