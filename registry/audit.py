"""The audit log: every insert and update of a registry row, with who and when.

:func:`install` attaches two listeners to a session factory. Before a flush, deleting an audited
row is refused (nothing is deleted outright: ending is a stage, a party leaving is
``active = False``). After a flush, one :class:`~registry.models.AuditEntry` row is written per
inserted row (``field`` empty, ``new`` = the row's values as JSON) and one per changed field of
an updated row (``old`` and ``new`` as JSON), in the same transaction, attributed to
``session.info["actor"]`` at ``session.info["now"]`` (UTC). Password hashes are never copied
into the log.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from registry.models import AUDITED, Agreement, AuditEntry, User

#: Columns never copied into the log (secrets) or not worth a line (bookkeeping).
SECRET = {"password_hash"}
SKIPPED = {"version", "updated_at", "updated_by", "created_at", "created_by"}


def to_json(value: Any) -> str | None:
    """A column value as JSON text (dates ISO, decimals as text); None stays None."""
    if value is None:
        return None
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _agreement_id(obj: Any) -> int | None:
    if isinstance(obj, Agreement):
        return obj.id
    return getattr(obj, "agreement_id", None)


def _refuse_deletes(session: Session, _context, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, AUDITED):
            raise RuntimeError(
                f"registry rows are never deleted ({type(obj).__name__} {obj.id}); "
                "end or cancel the agreement, or mark the party inactive"
            )


def _record(session: Session, _context) -> None:
    actor = session.info.get("actor")
    now = session.info.get("now") or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if not isinstance(obj, AUDITED):
            continue
        mapper = inspect(obj).mapper
        values = {
            c.key: _plain(getattr(obj, c.key))
            for c in mapper.column_attrs
            if c.key not in SECRET and c.key not in SKIPPED and getattr(obj, c.key) is not None
        }
        rows.append(
            _entry(
                obj,
                actor,
                now,
                "insert",
                None,
                None,
                json.dumps(values, sort_keys=True, ensure_ascii=False),
            )
        )
    for obj in session.dirty:
        if not isinstance(obj, AUDITED) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in SKIPPED:
                continue
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _plain(old) == _plain(new):
                continue
            if attr.key in SECRET:
                old_text, new_text = '"***"', '"***"'
            else:
                old_text, new_text = to_json(old), to_json(new)
            rows.append(_entry(obj, actor, now, "update", attr.key, old_text, new_text))
    if rows:
        if actor is None:
            raise RuntimeError("a registry write without an actor (session.info['actor'])")
        session.connection().execute(insert(AuditEntry), rows)


def _entry(obj, actor, now, action, field, old, new) -> dict[str, Any]:
    return {
        "at": now,
        "user_name": actor or "",
        "action": action,
        "table_name": obj.__tablename__,
        "row_id": obj.id,
        "agreement_id": None if isinstance(obj, User) else _agreement_id(obj),
        "field": field,
        "old": old,
        "new": new,
    }


def install(factory: sessionmaker) -> sessionmaker:
    """Attach the audit listeners to ``factory`` and return it."""
    event.listen(factory, "before_flush", _refuse_deletes)
    event.listen(factory, "after_flush", _record)
    return factory
