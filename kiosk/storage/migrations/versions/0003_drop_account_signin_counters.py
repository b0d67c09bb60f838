"""Drop the sign-in counters of accounts: failed sign-ins are throttle events now.

One counter, keyed by a digest of the address, serves addresses with and without an account
alike, so that the wait after failures does not tell which addresses have one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:  # SQLite rebuilds the table
        batch.drop_column("failed_signins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("failed_signins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
