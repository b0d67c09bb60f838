"""Registration drafts: the web's registration between its steps (SPEC §10).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registration_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("step", sa.String(10), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("last_name", sa.String(60), nullable=False),
        sa.Column("first_name", sa.String(60), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("sealed_password", sa.LargeBinary(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("step IN ('commune', 'identity')", name="ck_registration_drafts_step"),
        sa.ForeignKeyConstraint(
            ["commune_id"],
            ["communes.id"],
            name="fk_registration_drafts_commune_id_communes",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_registration_drafts"),
        sa.UniqueConstraint("token_digest", name="uq_registration_drafts_token_digest"),
    )
    op.create_index("ix_registration_drafts_expires_at", "registration_drafts", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_registration_drafts_expires_at", table_name="registration_drafts")
    op.drop_table("registration_drafts")
