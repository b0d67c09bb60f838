"""The dashboard's services (SPEC §9): invoices, meter readings, an attachment in the outbox.

- ``invoices``: the billing extract, keyed by number, read per contract newest first;
- ``meter_readings``: imported and customer readings, keyed by meter, date and kind;
- ``outbox.attachment_name`` and ``outbox.attachment``: an invoice PDF sent on request.

Revision ID: 0008_billing
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_billing"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(30), nullable=False),
        sa.Column("contract", sa.String(7), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("volume_m3", sa.Integer(), nullable=False),
        sa.Column("amount_excl_tax", sa.Numeric(12, 2), nullable=False),
        sa.Column("amount_incl_tax", sa.Numeric(12, 2), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.CheckConstraint(
            "status IN ('payee', 'a_payer', 'en_retard')", name="ck_invoices_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invoices"),
        sa.UniqueConstraint("number", name="uq_invoices_number"),
    )
    op.create_index("ix_invoices_contract_issued", "invoices", ["contract", "issued_on"])
    op.create_table(
        "meter_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract", sa.String(7), nullable=False),
        sa.Column("meter", sa.String(20), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.Column("index_m3", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.CheckConstraint(
            "kind IN ('releve', 'estime', 'autoreleve', 'teleleve')",
            name="ck_meter_readings_kind",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_meter_readings"),
        sa.UniqueConstraint("meter", "read_on", "kind", name="uq_meter_readings_key"),
    )
    op.create_index("ix_meter_readings_contract_read", "meter_readings", ["contract", "read_on"])
    op.create_index("ix_meter_readings_kind_read", "meter_readings", ["kind", "read_on"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("attachment_name", sa.String(100), nullable=True))
        batch.add_column(sa.Column("attachment", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("attachment")
        batch.drop_column("attachment_name")
    op.drop_index("ix_meter_readings_kind_read", table_name="meter_readings")
    op.drop_index("ix_meter_readings_contract_read", table_name="meter_readings")
    op.drop_table("meter_readings")
    op.drop_index("ix_invoices_contract_issued", table_name="invoices")
    op.drop_table("invoices")
