"""Alembic environment of the registry: run by :func:`registry.db.upgrade` or the alembic CLI.

Given a connection (``config.attributes["connection"]``, as :mod:`registry.db` does) it migrates
that; otherwise it connects to ``-x url=...``, else ``KERJASAMA_DB_URL``, else the default SQLite
file. SQLite runs in batch mode so that later revisions can alter tables.
"""

from __future__ import annotations

from alembic import context

from registry import db
from registry.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = db.make_engine(db.resolve_url(url))
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("The registry migrations run online only (alembic upgrade head).")
run_migrations_online()
