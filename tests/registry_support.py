"""Fixtures shared by the registry tests: a fresh database on SQLite, and on PostgreSQL.

PostgreSQL: ``KERJASAMA_TEST_PG_URL`` names a database the tests may create schemas in (``.ci/run``
starts a server and sets it). Each test gets its own schema, dropped afterwards. Without the
variable the PostgreSQL half is skipped locally and fails under CI (``CI`` set).
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "KERJASAMA_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


def pg_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip(f"PostgreSQL not available: set {PG_ENV} (see docs/registry.md)")
    return url


def _pg_schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite'}"
        return
    base = pg_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(_pg_schema_url(base, "public"))
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _pg_schema_url(base, schema)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def reg(db_url):
    """A registry with local access as user ``tester`` (codes checked for shape only)."""
    from registry import Registry

    r = Registry.open(db_url, local_user="tester")
    yield r
    r.close()


def agreement(**over) -> dict:
    """Values of a valid agreement (two Kalimantan Timur kab/kota), overridden by ``over``
    (None removes a field)."""
    values = {
        "name": "TPA Regional Bontang–Kutai Timur",
        "sector": "waste",
        "form": "joint",
        "stage": "kb",
        "members": "64.74;64.08",
    }
    if over.get("stage", "kb") == "kb":
        values["kb_on"] = "2024-01-10"
    values.update(over)
    return {k: v for k, v in values.items() if v is not None}
