"""``pip install .`` gives a working ``kerjasama`` command (not only the editable install).

The wheel (built once for the suite, ``tests/wheel_support.py``) is installed with
``--no-deps`` into a fresh virtual environment and run from a folder outside the repository
(checked: every project package is imported from the new environment).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wheel_support import REPO
from wheel_support import run as _run

PACKAGES = ("kerjasama", "common", "geo", "analysis", "registry")

pytestmark = pytest.mark.wheel


@pytest.fixture(scope="module")
def installed(installed_wheel) -> tuple[Path, Path, dict[str, str]]:
    """(venv bin folder, a work folder outside the repository, environment for the command)."""
    return installed_wheel.bin, installed_wheel.work, installed_wheel.env


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
