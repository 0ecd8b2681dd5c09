"""Agreements, parties, budget commitments, documents, monitoring and the audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("sector_detail", sa.Text(), nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("usulan_on", sa.Date()),
        sa.Column("kb_on", sa.Date()),
        sa.Column("pks_on", sa.Date()),
        sa.Column("berjalan_on", sa.Date()),
        sa.Column("berakhir_on", sa.Date()),
        sa.Column("dibatalkan_on", sa.Date()),
        sa.Column("start_on", sa.Date()),
        sa.Column("duration_months", sa.Integer()),
        sa.Column("end_on", sa.Date()),
        sa.Column("object", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("pks_clauses", sa.JSON(), nullable=False),
        sa.Column("dprd", sa.String(16), nullable=False),
        sa.Column("dprd_on", sa.Date()),
        sa.Column("year", sa.Integer()),
        sa.Column("year_basis", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("source_title", sa.Text(), nullable=False),
        sa.Column("source_publisher", sa.Text(), nullable=False),
        sa.Column("source_date", sa.String(40), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("documented", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.String(16)),
        sa.Column("seed_id", sa.String(80), unique=True),
        sa.Column("renews_id", sa.Integer(), sa.ForeignKey("agreements.id")),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_agreements_sector", "agreements", ["sector"])
    op.create_index("ix_agreements_stage", "agreements", ["stage"])
    op.create_index("ix_agreements_end_on", "agreements", ["end_on"])

    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("code", sa.String(12)),
        sa.Column("province", sa.String(4)),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("is_provider", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_parties_agreement", "parties", ["agreement_id"])
    op.create_index("ix_parties_code", "parties", ["code", "agreement_id"])
    op.create_index("ix_parties_province", "parties", ["province", "agreement_id"])

    op.create_table(
        "budget_commitments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(20, 2), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("party_id", "year", name="uq_budget_party_year"),
    )
    op.create_index("ix_budget_commitments_agreement_id", "budget_commitments", ["agreement_id"])

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(200), nullable=False),
        sa.Column("issued_on", sa.Date()),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(260), nullable=False),
    )
    op.create_index("ix_documents_agreement_id", "documents", ["agreement_id"])

    op.create_table(
        "monitoring_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("agreement_id", "period", name="uq_monitoring_agreement_period"),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(120), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer()),
        sa.Column("field", sa.String(60)),
        sa.Column("old", sa.Text()),
        sa.Column("new", sa.Text()),
    )
    op.create_index("ix_audit_log_agreement_id", "audit_log", ["agreement_id"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "monitoring_entries",
        "documents",
        "budget_commitments",
        "parties",
        "agreements",
    ):
        op.drop_table(table)
