"""Database location, creation, migrations (from the shipped v1 fixture), packaging."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from registry_support import agreement
from sqlalchemy import MetaData, Table, create_engine, select

from common.errors import InputError
from registry import Registry, db

FIXTURES = Path(__file__).with_name("fixtures")
V1 = FIXTURES / "registry_v1.sqlite"
V1_TABLES = (
    "agreements",
    "parties",
    "budget_commitments",
    "documents",
    "monitoring_entries",
    "audit_log",
)


def _dump(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    try:
        meta = MetaData()
        out = {}
        with engine.connect() as conn:
            for name in V1_TABLES:
                table = Table(name, meta, autoload_with=conn)
                rows = conn.execute(select(table).order_by(table.c.id)).mappings().all()
                out[name] = [tuple(sorted((k, _norm(v)) for k, v in r.items())) for r in rows]
        return out
    finally:
        engine.dispose()


def _norm(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return str(value) if value is not None and not isinstance(value, int) else value


def _fixture_module():
    spec = importlib.util.spec_from_file_location("make_v1", FIXTURES / "make_registry_v1.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_v1_fixture_upgrades_to_head_keeping_every_row(tmp_path):
    path = tmp_path / "registry.sqlite"
    shutil.copy(V1, path)
    url = f"sqlite:///{path}"
    before = _dump(url)
    assert sum(len(v) for v in before.values()) == 13
    report = db.upgrade(url)
    assert (report.before, report.after) == ("0001", db.head_revision())
    # the copy made before migrating holds the v1 database unchanged
    assert report.backup is not None and report.backup.parent == tmp_path
    assert report.backup.name.startswith("registry.sqlite.bak-")
    con = sqlite3.connect(report.backup)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    con.close()
    assert _dump(url) == before
    # and the registry works on it
    with Registry.open(url, local_user="tester") as reg:
        listed = reg.list()
        assert [(s.id, s.stage, s.members) for s in listed] == [
            (1, "berjalan", ("6471", "6409")),
            (2, "kb", ("6474",)),
        ]
        detail = reg.get(1)
        assert detail["scope"] == "=SUM(A1:A9)"
        assert [m.period for m in detail.monitoring] == [dt.date(2024, 1, 1), dt.date(2024, 2, 1)]
        report = reg.alerts(dt.date(2024, 7, 20))
        assert {(a.rule, a.agreement_id) for a in report.alerts} == {
            ("pks_expired", 1),
            ("monitoring_overdue", 1),
            ("kb_without_pks", 2),
        }
        reg.edit(2, {"notes": "after upgrade"}, expected_version=1)
    # a second upgrade is a no-op and makes no copy
    again = db.upgrade(url)
    assert not again.changed and again.backup is None


def test_v1_rows_survive_on_postgresql(db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite is covered by the shipped file")
    rows = _fixture_module().ROWS
    db.upgrade(db_url, revision="0001")
    engine = db.make_engine(db_url)
    meta = MetaData()
    stamp = dt.datetime(2024, 1, 10, 8)
    with engine.begin() as conn:
        tables = {n: Table(n, meta, autoload_with=conn) for n in V1_TABLES}
        for row in rows["agreements"]:
            full = dict(row, created_at=stamp, created_by="f", updated_at=stamp, updated_by="f")
            full["version"] = 1
            full["documented"] = bool(full["documented"])
            full["pks_clauses"] = __import__("json").loads(full["pks_clauses"])
            for key in ("kb_on", "pks_on", "berjalan_on", "start_on", "end_on", "dprd_on"):
                if key in full:
                    full[key] = dt.date.fromisoformat(full[key])
            conn.execute(tables["agreements"].insert(), full)
        for name in V1_TABLES[1:]:
            table = tables[name]
            for values in rows[name]:
                record = dict(zip(table.c.keys(), values, strict=True))
                for key, value in record.items():
                    column = table.c[key]
                    if value is None:
                        continue
                    kind = column.type.python_type
                    if kind is bool:
                        record[key] = bool(value)
                    elif kind is dt.date:
                        record[key] = dt.date.fromisoformat(value)
                    elif kind is dt.datetime:
                        record[key] = dt.datetime.fromisoformat(value)
                    elif kind is dict:
                        record[key] = __import__("json").loads(value)
                conn.execute(table.insert(), record)
    engine.dispose()
    before = _dump(db_url)
    report = db.upgrade(db_url)
    assert report.after == db.head_revision() and report.backup is None
    assert _dump(db_url) == before


def test_models_match_the_migrations(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from registry.models import Base

    db.upgrade(db_url)
    engine = db.make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_older_postgresql_is_not_upgraded_silently(db_url):
    db.upgrade(db_url, revision="0001")
    if db_url.startswith("sqlite"):
        with Registry.open(db_url, local_user="t") as reg:  # SQLite: copied aside and upgraded
            assert reg.list() == []
        assert list(Path(db.sqlite_path(db_url)).parent.glob("*.bak-*"))
        return
    with pytest.raises(InputError, match="db upgrade"):
        Registry.open(db_url, local_user="t")
    db.upgrade(db_url)
    with Registry.open(db_url, local_user="t") as reg:
        reg.add(agreement())


def test_url_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv(db.ENV_URL, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    default = db.resolve_url()
    state = tmp_path / "state" / "kerjasama"
    assert default == f"sqlite:///{state / 'kerjasama-registry.sqlite'}"
    monkeypatch.setenv(db.ENV_URL, "postgresql://u:secret@db.example/reg")
    assert db.resolve_url() == "postgresql+psycopg://u:secret@db.example/reg"
    assert "secret" not in db.shown_url(db.resolve_url())
    assert db.resolve_url(tmp_path / "x.sqlite") == f"sqlite:///{tmp_path / 'x.sqlite'}"
    with pytest.raises(InputError, match="SQLite"):
        db.resolve_url("mysql://u@h/d")


def test_database_created_on_first_use_in_its_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "registry.sqlite"
    with Registry.open(str(path), local_user="t") as reg:
        assert reg.list() == []
    assert path.is_file() and not list(path.parent.glob("*.bak-*"))


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(Exception) as info:
        Registry.open("postgresql+psycopg://nobody:pw@127.0.0.1:9/none", local_user="t")
    assert "pw" not in str(info.value)
    assert "127.0.0.1" in str(info.value)


def test_alembic_cli_with_the_packaged_ini(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    alembic = Path(sys.executable).with_name("alembic")
    done = subprocess.run(
        [str(alembic), "-c", str(db.ALEMBIC_INI), "-x", f"url={url}", "upgrade", "head"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    engine = db.make_engine(url)
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()


@pytest.mark.wheel
def test_wheel_ships_the_migrations(built_wheel, installed_wheel, tmp_path):
    """The suite's one wheel (``tests/wheel_support.py``) holds the migrations, and they run
    from the installed package."""
    names = set(zipfile.ZipFile(built_wheel).namelist())
    for needed in (
        "registry/alembic.ini",
        "registry/migrations/env.py",
        "registry/migrations/script.py.mako",
        "registry/migrations/versions/0001_agreements.py",
        "registry/migrations/versions/0002_users.py",
        "analysis/sectors.toml",
        "common/catalogue/en.toml",
    ):
        assert needed in names
    assert not any(n.startswith(("build/", "tests/")) for n in names)
    url = f"sqlite:///{tmp_path / 'from_wheel.sqlite'}"
    venv = installed_wheel.bin.parent.resolve()
    code = (
        f"import registry.db as d; r = d.upgrade({url!r}); "
        f"assert d.MIGRATIONS_DIR.is_relative_to({str(venv)!r}), d.MIGRATIONS_DIR; print(r.after)"
    )
    done = subprocess.run(
        [str(installed_wheel.bin / "python"), "-c", code],
        capture_output=True,
        text=True,
        cwd=installed_wheel.work,
        env=installed_wheel.env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == db.head_revision()


def test_the_suite_never_opens_the_users_own_registry(tmp_path_factory):
    """Every test, and every app or command a test starts, finds the default registry in the
    session's own folder (tests/conftest.py), never in the user's state folder."""
    assert Path(db.sqlite_path(db.default_url())).is_relative_to(tmp_path_factory.getbasetemp())
