"""The layers point one way: common ← geo ← analysis ← registry ← kerjasama ← app.py.

``devtools/`` (helpers shared by the tests and the benchmarks) imports none of them.

Every ``import`` in a package (at module level or inside a function) is checked against the
packages it may use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"common", "geo", "analysis", "registry", "kerjasama", "app", "devtools"}
ALLOWED = {
    "common": {"common"},
    "geo": {"common", "geo"},
    "analysis": {"common", "geo", "analysis"},
    "registry": {"common", "geo", "analysis", "registry"},
    "kerjasama": OURS - {"app", "devtools"},
    "devtools": {"devtools"},  # test/benchmark helpers: they drive the app from outside
}


def imported_packages(path: Path) -> dict[str, int]:
    """Our top-level packages imported by ``path`` -> first line number."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in OURS:
                found.setdefault(top, node.lineno)
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_lower_layers(package):
    folder = ROOT / package
    if not folder.is_dir():
        pytest.skip(f"{package}/ does not exist yet")
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for top, line in imported_packages(path).items():
            if top not in ALLOWED[package]:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {top}")
    assert bad == []


def test_the_check_sees_function_level_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from kerjasama import cli\n    import app\n")
    assert imported_packages(source) == {"kerjasama": 2, "app": 3}
