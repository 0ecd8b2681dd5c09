"""Editor accounts and app logins.

Reading the registry is open; every write through the app needs an editor login, checked on the
server for each write: :meth:`registry.store.Registry` methods that write take ``token=`` and
call :func:`require_editor` inside the write's transaction. Command-line writes run with local
access instead (``Registry(local_user=...)``) and are attributed to the OS user or ``--user``.

* Passwords: argon2id hashes with a random salt (``argon2-cffi``'s :class:`PasswordHasher`),
  never stored or logged in clear; an unknown user is checked against a dummy hash so that the
  answer takes as long as for a known one.
* Tokens: 32 random bytes (:func:`secrets.token_urlsafe`), given to the app once; the database
  keeps only their SHA-256. They expire after ``[registry.auth] session_hours`` and on logout.
  The app must keep a token in server-side session state, never in a URL or a log line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import InputError
from registry.errors import LoginRequired
from registry.models import LoginSession, User

if TYPE_CHECKING:
    from registry.store import Registry

_HASHER = PasswordHasher()


@functools.cache
def _dummy() -> str:
    """A hash checked for unknown users (made on first use: hashing takes about a second)."""
    return _HASHER.hash("kerjasama-dummy-password")


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


@dataclass(frozen=True)
class Editor:
    """A verified editor."""

    id: int
    username: str
    role: str


def utcnow() -> dt.datetime:
    """Naive UTC now (the database stores naive UTC times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.match(name):
        raise InputError("errors.registry.bad_username", value=username)
    return name


def create_user(reg: Registry, username: str, password: str, *, role: str = "editor") -> Editor:
    """Add an editor account (local access only: the command line, never the app)."""
    name = check_username(username)
    minimum = reg.settings.auth.min_password_length
    if len(password) < minimum:
        raise InputError("errors.registry.short_password", n=minimum)
    if password.strip() != password or not password.isprintable():
        raise InputError("errors.registry.bad_password")
    with reg.write(None) as session:
        if session.scalar(select(User).where(User.username == name)) is not None:
            raise InputError("errors.registry.user_exists", username=name)
        user = User(
            username=name,
            password_hash=_HASHER.hash(password),
            role=role,
            active=True,
            created_at=session.info["now"],
            created_by=session.info["actor"],
        )
        session.add(user)
        session.flush()
        return Editor(user.id, user.username, user.role)


def _verify(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            _HASHER.verify(_dummy(), password or "")
        return None
    try:
        _HASHER.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return user


def verify(reg: Registry, username: str, password: str) -> Editor | None:
    """The editor whose password this is, else None."""
    with reg.read_session() as session:
        user = _verify(session, username, password)
        return None if user is None else Editor(user.id, user.username, user.role)


def login(reg: Registry, username: str, password: str) -> str | None:
    """A new session token for a correct password (None otherwise)."""
    with reg.session() as session, session.begin():
        user = _verify(session, username, password)
        if user is None:
            return None
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = _HASHER.hash(password)
            session.info["actor"] = user.username
        token = secrets.token_urlsafe(32)
        now = utcnow()
        session.add(
            LoginSession(
                token_hash=_hash_token(token),
                user_id=user.id,
                created_at=now,
                expires_at=now + dt.timedelta(hours=reg.settings.auth.session_hours),
            )
        )
        return token


def editor_for(session: Session, token: str | None, now: dt.datetime | None = None) -> Editor:
    """The editor a token belongs to, inside an open session; LoginRequired otherwise."""
    if not token or not isinstance(token, str):
        raise LoginRequired("errors.registry.login_required")
    now = now or utcnow()
    row = session.execute(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _hash_token(token))
    ).first()
    if row is None:
        raise LoginRequired("errors.registry.login_required")
    login_session, user = row
    if login_session.revoked_at is not None or login_session.expires_at <= now or not user.active:
        raise LoginRequired("errors.registry.login_expired")
    return Editor(user.id, user.username, user.role)


def require_editor(reg: Registry, token: str | None) -> Editor:
    """The editor of a valid, unexpired token; :class:`LoginRequired` otherwise."""
    with reg.read_session() as session:
        return editor_for(session, token)


def logout(reg: Registry, token: str | None) -> None:
    """End a login (a missing or unknown token is ignored)."""
    if not token:
        return
    with reg.session() as session, session.begin():
        row = session.get(LoginSession, _hash_token(token))
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
