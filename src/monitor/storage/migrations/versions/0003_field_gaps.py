"""crawl runs count the releases they delivered and the expected fields each one lacked

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("items", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("field_gaps", sa.Text(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("field_gaps")
        batch_op.drop_column("items")
