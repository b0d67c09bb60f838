"""The initial schema: the tables that ``create_all`` made before migrations existed.

A database created that way (no ``alembic_version`` table) is stamped with this revision by
``kiosk init-db`` and then upgraded like any other.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
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
        "operators",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("served_here", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("website", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_operators"),
    )
    op.create_table(
        "communes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("search_key", sa.String(120), nullable=False),
        sa.Column("territory", sa.String(120), nullable=False),
        sa.Column("operator_code", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_code"], ["operators.code"], name="fk_communes_operator_code_operators"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_communes"),
        sa.UniqueConstraint("name", name="uq_communes_name"),
    )
    op.create_index("ix_communes_search_key", "communes", ["search_key"])
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract", sa.String(7), nullable=False),
        sa.Column("meter", sa.String(20), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name="fk_subscribers_commune_id_communes"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subscribers"),
        sa.UniqueConstraint("contract", name="uq_subscribers_contract"),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract", sa.String(7), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_key", sa.String(254), nullable=False),
        sa.Column("first_name", sa.String(60), nullable=False),
        sa.Column("last_name", sa.String(60), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("registration_digest", sa.String(64), nullable=True),
        sa.Column("failed_signins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'active')", name="ck_accounts_status"),
        sa.ForeignKeyConstraint(
            ["contract"], ["subscribers.contract"], name="fk_accounts_contract_subscribers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("contract", name="uq_accounts_contract"),
        sa.UniqueConstraint("email_key", name="uq_accounts_email_key"),
        sa.UniqueConstraint("registration_digest", name="uq_accounts_registration_digest"),
    )
    op.create_table(
        "codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(12), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('activation', 'reset', 'reset_grant')", name="ck_codes_purpose"
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name="fk_codes_account_id_accounts",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_codes"),
        sa.UniqueConstraint("digest", name="uq_codes_digest"),
    )
    op.create_index("ix_codes_account_purpose", "codes", ["account_id", "purpose"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name="fk_sessions_account_id_accounts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("token_digest", name="uq_sessions_token_digest"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=True),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'abandoned')", name="ck_outbox_status"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "throttle_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(30), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_throttle_events"),
    )
    op.create_index("ix_throttle_scope_key_at", "throttle_events", ["scope", "key", "at"])
    op.create_table(
        "auth_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kiosk_id", sa.String(100), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("email_masked", sa.String(260), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_auth_events"),
    )
    op.create_index("ix_auth_events_at", "auth_events", ["at"])


def downgrade() -> None:
    for table in (
        "auth_events",
        "throttle_events",
        "outbox",
        "sessions",
        "codes",
        "accounts",
        "subscribers",
        "communes",
        "operators",
    ):
        op.drop_table(table)
