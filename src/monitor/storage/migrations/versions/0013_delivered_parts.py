"""how many parts of a split channel message the channel has taken, and a digest of them, so that
a retry resumes at the first part not yet taken

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as table:
        table.add_column(sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("parts_digest", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as table:
        table.drop_column("parts_digest")
        table.drop_column("parts_sent")
