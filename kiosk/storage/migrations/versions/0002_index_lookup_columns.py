"""Index the columns that services and the purge search by, which PostgreSQL does not index.

PostgreSQL indexes the referenced side of a foreign key, not the referencing one: ending the
sessions of an account, listing a commune's subscribers and purging old codes scanned whole
tables, which a central database with many kiosks feels.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sessions_account_id", "sessions", ["account_id"])
    op.create_index("ix_subscribers_commune_id", "subscribers", ["commune_id"])
    op.create_index("ix_codes_expires_at", "codes", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_codes_expires_at", table_name="codes")
    op.drop_index("ix_subscribers_commune_id", table_name="subscribers")
    op.drop_index("ix_sessions_account_id", table_name="sessions")
