"""Run every benchmark: ``python benchmarks/run.py [--write-docs] [topic ...]``.

Each ``benchmarks/bench_<topic>.py`` is run in its own process (so peak memory figures do not
mix) and prints its own lines: the date, CPU and load of the run, our time, the peer baseline
measured in the same run, the ratio and the target. The data folder comes from
``KERJASAMA_DATA`` (default ``../shared/data``). Needs the ``[bench]`` extra (``pip install -e
".[bench]"``: spopt for the regionalisation peer, Playwright for the app benchmark, which also
needs Chromium at ``/usr/bin/chromium``).

With ``--write-docs`` the output of each topic replaces the block between
``<!-- bench:<topic> -->`` and ``<!-- /bench:<topic> -->`` in the pages of ``docs/``, so every
figure quoted there comes from a benchmark run and says when and on what machine.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs"


def write_docs(topic: str, lines: list[str], docs: Path = DOCS) -> list[Path]:
    """Replace the ``bench:<topic>`` block of every docs page that has one; return the pages."""
    pattern = re.compile(
        rf"(<!-- bench:{re.escape(topic)} -->\n).*?(<!-- /bench:{re.escape(topic)} -->)", re.S
    )
    body = (
        f"Written by `benchmarks/run.py --write-docs {topic}` from its output:\n\n"
        "```text\n" + "\n".join(lines) + "\n```\n"
    )
    changed = []
    for page in sorted(docs.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        new = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (default: all) and return the worst exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true", help="quote the output in docs/")
    parser.add_argument("topics", nargs="*", help="e.g. adjacency suggest app (default: all)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("KERJASAMA_DATA", str((HERE.parent.parent / "shared" / "data").resolve()))
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        topic = script.stem.removeprefix("bench_")
        if args.topics and topic not in args.topics:
            continue
        print(f"== {topic} ==", flush=True)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(script)], env=env, stdout=subprocess.PIPE, text=True
        )
        lines = []
        for line in proc.stdout:  # type: ignore[union-attr]
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
        code = proc.wait()
        print(f"   ({topic}: {time.perf_counter() - start:.1f} s wall)", flush=True)
        status = max(status, code)
        if args.write_docs and code == 0:
            for page in write_docs(topic, lines):
                print(f"   (quoted in {page.relative_to(HERE.parent)})", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
