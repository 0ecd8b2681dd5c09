"""The wheel, built once for the whole test run, and a fresh environment it is installed in.

The wheel is built from a copy of the source tree (never inside the repository, so no
``build/`` folder is left behind to leak stale files into a later wheel), without network
access (``--no-build-isolation``: the build backend comes from this environment), and installed
with ``--no-deps`` into a fresh virtual environment. The dependencies are made visible through a
``.pth`` line naming this environment's site-packages: a path added that way is not scanned for
``.pth`` files, so the editable install of the test environment cannot leak in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: top-level entries of the source tree that the wheel build does not need
SKIP = {".git", ".venv", "data", "build", "dist", "tests", "benchmarks", "docs", "out"}


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 300):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def clean_env() -> dict[str, str]:
    """This environment without the data folder and any PYTHONPATH (the wheel stands alone)."""
    return {k: v for k, v in os.environ.items() if k not in ("KERJASAMA_DATA", "PYTHONPATH")}


@dataclass(frozen=True)
class Installed:
    """The built wheel and the environment it is installed in."""

    wheel: Path
    bin: Path  # the virtual environment's bin folder
    work: Path  # a folder outside the repository to run commands in
    env: dict[str, str]


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """The project's wheel, built once per test run from a copy of the source tree."""
    root = tmp_path_factory.mktemp("wheel_build")
    src, dist = root / "src", root / "dist"
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
    build = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(dist), str(src)],
        cwd=root,
        env=clean_env(),
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("kerjasama-*.whl")
    return wheel


@pytest.fixture(scope="session")
def installed_wheel(built_wheel, tmp_path_factory) -> Installed:
    """:func:`built_wheel` installed (``--no-deps``) in a fresh virtual environment."""
    root = tmp_path_factory.mktemp("wheel_venv")
    venv, work = root / "venv", root / "work"
    work.mkdir()
    env = clean_env()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(built_wheel)],
        cwd=work,
        env=env,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    site = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=work,
        env=env,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "kerjasama_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    return Installed(built_wheel, venv / "bin", work, env)
