"""Where the registry database is, and how it is created and migrated.

The URL comes from, in order: an explicit value (``--db``), the ``KERJASAMA_DB_URL`` environment
variable, else a SQLite file ``kerjasama-registry.sqlite`` in the user's state directory
(``platformdirs.user_state_dir("kerjasama")``), never in the data folder. PostgreSQL URLs use the
psycopg 3 driver (``postgresql+psycopg://user:password@host/db``; a plain ``postgresql://`` is
read as that). A plain file path is read as a SQLite file.

:func:`upgrade` brings a database to the newest schema with the Alembic migrations shipped in
``registry/migrations``; before it changes an existing SQLite file it copies the file aside
(``<file>.bak-YYYYmmddTHHMMSS``, next to it, with SQLite's online backup).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from common.errors import InputError, MissingDataError

ENV_URL = "KERJASAMA_DB_URL"
PACKAGE_DIR = Path(__file__).resolve().parent
ALEMBIC_INI = PACKAGE_DIR / "alembic.ini"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
DB_FILE_NAME = "kerjasama-registry.sqlite"


def default_url() -> str:
    """The default SQLite file in the user's state directory (not created here)."""
    import platformdirs

    folder = Path(platformdirs.user_state_dir("kerjasama", appauthor=False))
    return f"sqlite:///{folder / DB_FILE_NAME}"


def new_default(explicit: str | os.PathLike[str] | None = None) -> bool:
    """Whether opening ``explicit`` would create the default SQLite file (no URL given, none in
    ``KERJASAMA_DB_URL``, and the file is not there yet): such a database is seeded with the
    documented arrangements, so a fresh install knows what exists."""
    if explicit or os.environ.get(ENV_URL):
        return False
    path = sqlite_path(default_url())
    return path is not None and not path.exists()


def resolve_url(explicit: str | os.PathLike[str] | None = None) -> str:
    """The database URL to use (see the module docstring), checked."""
    text = str(explicit) if explicit else os.environ.get(ENV_URL) or default_url()
    if "://" not in text:
        text = f"sqlite:///{Path(text).expanduser().resolve()}"
    try:
        url = make_url(text)
    except ArgumentError:
        raise InputError("errors.registry.db_url", url=_shown(text)) from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise InputError("errors.registry.db_url", url=_shown(text))
    return url.render_as_string(hide_password=False)


def _shown(url: str) -> str:
    """A URL fit for messages and logs: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable URL>"


def shown_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages)."""
    return _shown(url)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL or an in-memory SQLite database)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError("errors.registry.db_folder", folder=path.parent, reason=err) from None
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config():
    from alembic.config import Config

    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def revisions() -> tuple[str, ...]:
    """Every known revision, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return tuple(r.revision for r in reversed(list(script.walk_revisions())))


def current_revision(engine: Engine) -> str | None:
    """The database's revision (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as err:
        raise MissingDataError(
            "errors.registry.db_unreachable", url=_shown(str(engine.url)), reason=err.orig
        ) from None


@dataclass(frozen=True)
class UpgradeReport:
    """What :func:`upgrade` did."""

    url: str
    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def backup_sqlite(path: Path, *, now: dt.datetime | None = None) -> Path:
    """Copy a SQLite file aside with SQLite's online backup; return the copy's path."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def upgrade(
    url: str | None = None, *, revision: str = "head", backup: bool = True
) -> UpgradeReport:
    """Create or migrate the database at ``url`` to ``revision`` (default: the newest).

    An existing SQLite file that needs migrating is first copied aside (``backup=True``).
    Migrations only add; they never drop data.
    """
    from alembic import command

    url = resolve_url(url)
    engine = make_engine(url)
    try:
        before = current_revision(engine)
        target = head_revision() if revision == "head" else revision
        if before is not None and before not in revisions():
            raise InputError(
                "errors.registry.db_newer", url=_shown(url), found=before, known=head_revision()
            )
        copy = None
        path = sqlite_path(url)
        if (
            before != target
            and backup
            and path is not None
            and path.exists()
            and _has_tables(engine)
        ):
            copy = backup_sqlite(path)
        cfg = _alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return UpgradeReport(url=url, before=before, after=current_revision(engine), backup=copy)
    finally:
        engine.dispose()


def check_current(engine: Engine) -> str | None:
    """Why the database cannot be used as it is (None when it is at the newest revision)."""
    found = current_revision(engine)
    head = head_revision()
    if found == head:
        return None
    return found or "empty"
