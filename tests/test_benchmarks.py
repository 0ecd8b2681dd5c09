"""The benchmark runner: installable extras, and docs figures written from a run (issue 8
section 9)."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import run as bench_run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OURS = {"analysis", "common", "geo", "kerjasama", "registry", "devtools", "_measure", "run"}
#: import name -> distribution name where they differ
DISTRIBUTIONS = {"libpysal": "libpysal", "sqlalchemy": "sqlalchemy", "yaml": "pyyaml"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _requirement_names(items: list[str]) -> set[str]:
    out = set()
    for item in items:
        name = item
        for stop in "<>=![; ":
            name = name.split(stop)[0]
        out.add(name.lower().replace("_", "-"))
    return out


def test_bench_extra_covers_every_benchmark_import():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    available = _requirement_names(project["dependencies"])
    available |= _requirement_names(project["optional-dependencies"]["bench"])
    scripts = [*sorted((ROOT / "benchmarks").glob("*.py")), ROOT / "devtools" / "appserver.py"]
    needed = set().union(*(_imports(p) for p in scripts))
    third_party = {
        n
        for n in needed
        if n not in sys.stdlib_module_names and n not in OURS and n != "__future__"
    }
    missing = sorted(
        n for n in third_party if DISTRIBUTIONS.get(n, n).lower().replace("_", "-") not in available
    )
    assert missing == [], f"benchmarks import {missing}: add them to [bench] in pyproject.toml"


def test_write_docs_replaces_only_its_block(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "intro\n<!-- bench:suggest -->\nold figures\n<!-- /bench:suggest -->\n"
        "<!-- bench:adjacency -->\nkept\n<!-- /bench:adjacency -->\n",
        encoding="utf-8",
    )
    lines = ["suggest benchmarks, 2026-12-02, Some CPU, 2 cores, load 1.0", "ours 1.0 s"]
    assert bench_run.write_docs("suggest", lines, docs=tmp_path) == [page]
    text = page.read_text(encoding="utf-8")
    assert "old figures" not in text and "ours 1.0 s" in text and "2026-12-02" in text
    assert "<!-- bench:adjacency -->\nkept\n" in text
    assert bench_run.write_docs("app", lines, docs=tmp_path) == []


def test_every_docs_block_names_an_existing_benchmark():
    topics = {p.stem.removeprefix("bench_") for p in (ROOT / "benchmarks").glob("bench_*.py")}
    for page in (ROOT / "docs").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for part in text.split("<!-- bench:")[1:]:
            topic = part.split(" -->", 1)[0]
            assert topic in topics, f"{page.name}: block for unknown benchmark {topic!r}"
            assert f"<!-- /bench:{topic} -->" in text
