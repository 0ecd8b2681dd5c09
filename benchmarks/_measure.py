"""Measuring whole processes side by side: wall time and peak memory of each child process.

Every comparison runs ours and the peer as fresh processes, interleaved (ours, peer, ours, peer,
...) so that load from other work on a shared machine falls on both alike, and reports the
minimum and the median of each. One unrecorded round comes first, so that both start from the
same state: the files read are in the page cache and the Python modules compiled to bytecode
(``PYTHONDONTWRITEBYTECODE`` is dropped for the children: an installed peer's modules were
compiled when it was installed, ours would otherwise be compiled again in every process). Peak
memory and CPU time are the child's own ``ru_maxrss`` and ``ru_utime + ru_stime``, which a small
wrapper (:func:`python`) writes to stderr at exit.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("KERJASAMA_DATA", ROOT.parent / "shared" / "data"))
PYTHON = sys.executable


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, peak resident memory (MB), exit status, its output."""

    seconds: float
    peak_mb: float
    status: int
    stdout: str
    stderr: str
    cpu_s: float = float("nan")


def run(argv: Sequence[str], *, env: Mapping[str, str] | None = None) -> Run:
    """Run ``argv`` as a child process (built with :func:`python`); time it from start to exit
    and read the peak memory it reported."""
    child_env = {**os.environ, "KERJASAMA_DATA": str(DATA), **(env or {})}
    child_env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=child_env,
        text=True,
    )
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    peak, cpu = _peak_from(err)
    return Run(seconds, peak, proc.returncode, out, _strip_peak(err), cpu)


_PEAK = "__peak_rss_kb__="
_WRAP = (
    "import resource, runpy, sys, atexit\n"
    "def _peak():\n"
    "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
    f"    sys.stderr.write('\\n{_PEAK}%d %.3f\\n' % (u.ru_maxrss, u.ru_utime + u.ru_stime))\n"
    "atexit.register(_peak)\n"
    "sys.argv = sys.argv[1:]\n"
    "if sys.argv[0] == '-m':\n"
    "    sys.argv = sys.argv[1:]\n"
    "    runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
    "elif sys.argv[0] == '-c':\n"
    "    code = sys.argv[1]\n"
    "    sys.argv = ['-c', *sys.argv[2:]]\n"
    "    exec(compile(code, '<bench>', 'exec'), {'__name__': '__main__'})\n"
    "else:\n"
    "    runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def python(*args: str) -> list[str]:
    """``python <args>`` wrapped so that the child reports its own peak memory at exit."""
    return [PYTHON, "-c", _WRAP, *args]


def _peak_from(err: str) -> tuple[float, float]:
    """(peak MB, CPU seconds) the wrapped child reported."""
    for line in reversed(err.splitlines()):
        if line.startswith(_PEAK):
            kb, cpu = line[len(_PEAK) :].split()
            return int(kb) / 1024, float(cpu)
    return float("nan"), float("nan")


def _strip_peak(err: str) -> str:
    return "\n".join(line for line in err.splitlines() if not line.startswith(_PEAK))


def interleaved(commands: Mapping[str, Sequence[str]], repeat: int) -> dict[str, list[Run]]:
    """Run every command ``repeat`` times, alternating between them, after one unrecorded round
    of each (page cache, bytecode); stop at a failure."""
    for name, argv in commands.items():
        result = run(argv)
        if result.status != 0:
            raise RuntimeError(f"{name} failed ({result.status}): {result.stderr[-500:]}")
    out: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            result = run(argv)
            out[name].append(result)
            if result.status != 0:
                raise RuntimeError(f"{name} failed ({result.status}): {result.stderr[-500:]}")
    return out


def stats(runs: Sequence[Run]) -> tuple[float, float, float, float]:
    """(min wall seconds, median wall seconds, max peak MB, median CPU seconds) of some runs.

    On a shared machine the wall time includes waiting for a core; the CPU time (user + system)
    of the process does not.
    """
    seconds = [r.seconds for r in runs]
    return (
        min(seconds),
        statistics.median(seconds),
        max(r.peak_mb for r in runs),
        statistics.median(r.cpu_s for r in runs),
    )


def machine() -> str:
    """Date, CPU model, core count and load: the context every figure needs."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "load unknown"
    cores = os.cpu_count() or 0
    return f"{dt.date.today().isoformat()}, {model}, {cores} cores, {load}"
