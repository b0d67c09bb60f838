"""The language of each account (SPEC §11): its e-mails are written in it.

``accounts.language``: ``fr`` or ``en``, the language in which the account was created or last
signed in; existing accounts were all opened in French.

Revision ID: 0007_account_language
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=False, server_default="fr"))
        batch.create_check_constraint("ck_accounts_language", "language IN ('fr', 'en')")


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint("ck_accounts_language", type_="check")
        batch.drop_column("language")
