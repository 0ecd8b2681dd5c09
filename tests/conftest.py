"""Shared fixtures.

Real-data tests read the folder named by ``KERJASAMA_DATA`` (``.ci/run`` points it at
``../shared/data``). Locally they are skipped when it is absent; under CI (``CI=true``) a missing
data folder fails the run instead, so a green CI always means the real-data tests ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# registry fixtures (db_url on SQLite and PostgreSQL, reg): tests/registry_support.py;
# the wheel built once for the suite (built_wheel, installed_wheel): tests/wheel_support.py
pytest_plugins = ["registry_support", "wheel_support"]


@pytest.fixture(scope="session", autouse=True)
def _own_state_folder(tmp_path_factory):
    """No test (nor an app or command it starts) writes the user's own registry: the state
    folder where the default registry lives (platformdirs, ``XDG_STATE_HOME``) is the
    session's."""
    before = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    yield
    if before is None:
        del os.environ["XDG_STATE_HOME"]
    else:
        os.environ["XDG_STATE_HOME"] = before


def _real_data_dir() -> Path | None:
    env = os.environ.get("KERJASAMA_DATA")
    if env and (Path(env) / "boundaries").is_dir():
        return Path(env)
    return None


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real data folder (``boundaries/`` + ``indicators/``)."""
    folder = _real_data_dir()
    if folder is None:
        if os.environ.get("CI"):
            pytest.fail("KERJASAMA_DATA does not name a data folder with boundaries/ in CI")
        pytest.skip("real data not available: set KERJASAMA_DATA to the shared data folder")
    return folder


@pytest.fixture(scope="session")
def national_adm2(real_data: Path) -> Path:
    return real_data / "boundaries" / "idn_adm2.gpkg"


@pytest.fixture(scope="session")
def kaltim_shp(real_data: Path) -> Path:
    return real_data / "boundaries" / "kaltim_adm2.shp"


@pytest.fixture(scope="session")
def national_indicators(real_data: Path) -> Path:
    return real_data / "indicators" / "idn_kabkota_indicators.csv"


@pytest.fixture(scope="session")
def kaltim_indicators(real_data: Path) -> Path:
    return real_data / "indicators" / "kaltim_indicators.csv"
