"""The registry's tables as SQLAlchemy 2 typed models.

The schema is made and changed only by the Alembic migrations in ``registry/migrations``; these
models must match the head revision (``tests/test_registry_db.py`` compares them). Nothing is
deleted: ending or cancelling an agreement is a stage, a party leaving is ``active = False``, and
every insert and update is written to :class:`AuditEntry` (see :mod:`registry.audit`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Stages in order; ``berakhir`` (ended) and ``dibatalkan`` (cancelled) are final.
STAGES: tuple[str, ...] = ("usulan", "kb", "pks", "berjalan", "berakhir", "dibatalkan")
FINAL_STAGES: tuple[str, ...] = ("berakhir", "dibatalkan")
#: Stages in which a signed PKS is in force.
ACTIVE_STAGES: tuple[str, ...] = ("pks", "berjalan")
FORMS: tuple[str, ...] = ("joint", "contract", "other")
PARTY_KINDS: tuple[str, ...] = ("kabkota", "province", "third")
DPRD_STATES: tuple[str, ...] = ("unknown", "not_needed", "needed", "approved")
CONFIDENCE: tuple[str, ...] = ("high", "medium", "low")
DOCUMENT_KINDS: tuple[str, ...] = ("kb", "pks", "addendum", "dprd", "report", "other")
MONITORING_STATUS: tuple[str, ...] = ("on_track", "delayed", "problem", "stopped")


def stage_column(stage: str) -> str:
    """Name of the column holding the date a stage was reached (``kb`` -> ``kb_on``)."""
    if stage not in STAGES:
        raise KeyError(stage)
    return f"{stage}_on"


class Base(DeclarativeBase):
    """Declarative base of the registry tables."""


class Agreement(Base):
    """One cooperation agreement, from proposal (usulan) to its end."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(40), index=True)
    sector_detail: Mapped[str] = mapped_column(Text, default="")
    form: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16), index=True)
    usulan_on: Mapped[dt.date | None] = mapped_column(Date)
    kb_on: Mapped[dt.date | None] = mapped_column(Date)
    pks_on: Mapped[dt.date | None] = mapped_column(Date)
    berjalan_on: Mapped[dt.date | None] = mapped_column(Date)
    berakhir_on: Mapped[dt.date | None] = mapped_column(Date)
    dibatalkan_on: Mapped[dt.date | None] = mapped_column(Date)
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    duration_months: Mapped[int | None] = mapped_column(Integer)
    end_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    object: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    pks_clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    dprd: Mapped[str] = mapped_column(String(16), default="unknown")
    dprd_on: Mapped[dt.date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    year_basis: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_title: Mapped[str] = mapped_column(Text, default="")
    source_publisher: Mapped[str] = mapped_column(Text, default="")
    source_date: Mapped[str] = mapped_column(String(40), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    documented: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[str | None] = mapped_column(String(16))
    seed_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)

    parties: Mapped[list[Party]] = relationship(
        back_populates="agreement", order_by="Party.id", lazy="selectin"
    )
    budgets: Mapped[list[BudgetCommitment]] = relationship(
        order_by="(BudgetCommitment.year, BudgetCommitment.party_id)", lazy="selectin"
    )
    documents: Mapped[list[Document]] = relationship(order_by="Document.id", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Party(Base):
    """A party to an agreement: a kabupaten/kota, a province, or a third party (by name)."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    kind: Mapped[str] = mapped_column(String(12))
    code: Mapped[str | None] = mapped_column(String(12))
    province: Mapped[str | None] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(300), default="")
    is_provider: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    agreement: Mapped[Agreement] = relationship(back_populates="parties")

    __table_args__ = (
        Index("ix_parties_agreement", "agreement_id"),
        Index("ix_parties_code", "code", "agreement_id"),
        Index("ix_parties_province", "province", "agreement_id"),
    )


class BudgetCommitment(Base):
    """A party's budget commitment (rupiah) to an agreement for one budget year."""

    __tablename__ = "budget_commitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("party_id", "year", name="uq_budget_party_year"),)


class Document(Base):
    """A document reference: number, date, link or file name."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(260), default="")


class MonitoringEntry(Base):
    """The TKKSD's monitoring record of one agreement for one month."""

    __tablename__ = "monitoring_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    period: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("agreement_id", "period", name="uq_monitoring_agreement_period"),
    )


class AuditEntry(Base):
    """One recorded change: who, when, which table/row/field, old and new value (JSON text)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(12))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    agreement_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class User(Base):
    """An editor account of the app (revision 0002)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="editor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(120))


class LoginSession(Base):
    """An app login: the SHA-256 of a random token, never the token itself (revision 0002)."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


#: Tables whose every insert and update is audited.
AUDITED = (Agreement, Party, BudgetCommitment, Document, MonitoringEntry, User)
