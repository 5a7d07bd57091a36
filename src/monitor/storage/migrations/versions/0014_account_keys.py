"""a random key per account, new with each password, that sessions and feed tokens are bound to:
the password hash changes too when it is only rehashed with stronger parameters at sign-in

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "" for the accounts there are: they stay bound to their password hash (see accounts.stamp)
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("account_key", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.drop_column("account_key")
