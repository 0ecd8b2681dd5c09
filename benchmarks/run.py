"""Run every benchmark: ``python benchmarks/run.py [topic ...]``.

Each ``benchmarks/bench_<topic>.py`` is run in its own process (so peak memory figures do not
mix) and prints its own lines: our time, the peer baseline measured in the same run, the ratio
and the target. The data folder comes from ``KERJASAMA_DATA`` (default ``../shared/data``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (default: all) and return the worst exit status."""
    wanted = set(argv if argv is not None else sys.argv[1:])
    env = dict(os.environ)
    env.setdefault("KERJASAMA_DATA", str((HERE.parent.parent / "shared" / "data").resolve()))
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        topic = script.stem.removeprefix("bench_")
        if wanted and topic not in wanted:
            continue
        print(f"== {topic} ==", flush=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(script)], env=env, check=False)
        print(f"   ({topic}: {time.perf_counter() - start:.1f} s wall)", flush=True)
        status = max(status, done.returncode)
    return status


if __name__ == "__main__":
    sys.exit(main())
