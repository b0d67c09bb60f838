"""What operators watch: kiosk heartbeats, when a message was abandoned, events by kind.

- ``kiosk_heartbeats``: one row per kiosk id, its last beat (``kiosk run`` beats once a minute);
- ``outbox.abandoned_at``: "abandoned in the last 24 h" needs the moment it was given up;
- ``ix_auth_events_event_at``: ``kiosk status`` and ``/metrics`` count events by kind.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk_heartbeats",
        sa.Column("kiosk_id", sa.String(100), nullable=False),
        sa.Column("beat_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id", name="pk_kiosk_heartbeats"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("abandoned_at", sa.DateTime(), nullable=True))
    op.create_index("ix_auth_events_event_at", "auth_events", ["event", "at"])


def downgrade() -> None:
    op.drop_index("ix_auth_events_event_at", table_name="auth_events")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("abandoned_at")
    op.drop_table("kiosk_heartbeats")
