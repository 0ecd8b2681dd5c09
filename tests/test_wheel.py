"""``pip install .`` gives a working ``kerjasama`` command (not only the editable install).

The wheel is built from a copy of the source tree, installed with ``--no-deps`` into a fresh
virtual environment, and run from a folder outside the repository. The dependencies are made
visible through a ``.pth`` line naming this environment's site-packages: a path added that way is
not scanned for ``.pth`` files, so the editable install of the test environment cannot leak in
(checked: every project package is imported from the new environment).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: top-level entries of the source tree that the wheel build does not need
SKIP = {".git", ".venv", "data", "build", "dist", "tests", "benchmarks", "docs", "out"}
PACKAGES = ("kerjasama", "common", "geo", "analysis", "registry")

pytestmark = pytest.mark.wheel


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 300):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """(venv bin folder, a work folder outside the repository, environment for the command)."""
    root = tmp_path_factory.mktemp("wheel")
    src, dist, venv, work = root / "src", root / "dist", root / "venv", root / "work"
    work.mkdir()
    shutil.copytree(
        REPO,
        src,
        ignore=lambda folder, names: [
            n
            for n in names
            if (Path(folder) == REPO and (n in SKIP or n.startswith(".")))
            or n in ("__pycache__",)
            or n.endswith(".egg-info")
        ],
    )
    env = {k: v for k, v in os.environ.items() if k not in ("KERJASAMA_DATA", "PYTHONPATH")}
    build = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(src)],
        cwd=work,
        env=env,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("kerjasama-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        cwd=work,
        env=env,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=work,
        env=env,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "kerjasama_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    return venv / "bin", work, env


def test_project_is_imported_from_the_installed_wheel(installed):
    bin_dir, work, env = installed
    code = (
        "import importlib, sys\n"
        f"for name in {PACKAGES!r}:\n"
        "    print(importlib.import_module(name).__file__)\n"
        "import analysis.config, common.text, kerjasama.present.map\n"
        "print(analysis.config.DEFAULT_CONFIG)\n"
        "print(common.text.CATALOGUE_DIR)\n"
        "print(kerjasama.present.map.LEAFLET_DIR)\n"
        "import registry.db\n"
        "print(registry.db.ALEMBIC_INI)\n"
        "print(registry.db.MIGRATIONS_DIR)\n"
    )
    result = _run([str(bin_dir / "python"), "-c", code], cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    venv = bin_dir.parent.resolve()
    files = [Path(line).resolve() for line in result.stdout.split()]
    assert all(venv in f.parents for f in files), files
    assert all(REPO not in f.parents for f in files), files
    config, catalogue, leaflet, alembic_ini, migrations = files[-5:]
    assert config.is_file() and alembic_ini.is_file()
    assert (migrations / "env.py").is_file() and list(migrations.glob("versions/0001_*.py"))
    assert (catalogue / "id.toml").is_file() and (catalogue / "en.toml").is_file()
    assert (leaflet / "leaflet.js").is_file() and (leaflet / "leaflet.css").is_file()


def test_installed_command_help_and_suggest_on_the_bundled_data(installed):
    bin_dir, work, env = installed
    kerjasama = str(bin_dir / "kerjasama")
    result = _run([kerjasama, "--help"], cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    for command in ("adjacency", "validate", "sectors", "suggest", "brief"):
        assert command in result.stdout
    for command, top, name in (("suggest", "3", "water.geojson"), ("brief", "1", "brief.html")):
        # brief: the briefing pack's template and the map's vendored Leaflet come from the wheel
        result = _run(
            [kerjasama, command, "--data", str(REPO / "data"), "--sector", "water",
             "--province", "64", "--top", top, "--out", str(work / name)],
            cwd=work,
            env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "Kabupaten" in (work / name).read_text(encoding="utf-8")
    assert (work / "water.geojson").read_text(encoding="utf-8").count('"cluster_id"') == 3


def test_installed_command_without_data_says_where_to_get_it(installed):
    bin_dir, work, env = installed
    result = _run(
        [str(bin_dir / "kerjasama"), "suggest", "--sector", "water", "--members-csv", "m.csv"],
        cwd=work,
        env=env,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for needle in ("--data", "KERJASAMA_DATA", "data/boundaries/idn_adm2.parquet", "bps.go.id"):
        assert needle in result.stderr, result.stderr
    assert "site-packages" not in result.stderr  # no folder of the installation is offered
    assert not (work / "m.csv").exists()
