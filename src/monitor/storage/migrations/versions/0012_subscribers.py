"""subscribers, the filter sets they share, which subscriber a delivery is for, and stories
indexed by when they were first seen

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 23:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("address", sa.String(320), nullable=False, index=True),
        sa.Column("period", sa.String(64), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("follows", sa.String(64), nullable=False),
        sa.Column("empty", sa.String(8), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True)),
        sa.Column("unsubscribed_via", sa.String(64), nullable=False),
    )
    op.create_table(
        "filter_sets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_stories_created_at", "stories", ["created_at"])  # each issue selects by first seen
    with op.batch_alter_table("deliveries") as table:
        table.add_column(sa.Column("subscriber_id", sa.Integer()))
        table.create_foreign_key(
            "fk_deliveries_subscriber_id", "subscribers", ["subscriber_id"], ["id"], ondelete="SET NULL"
        )
        table.create_index("ix_deliveries_subscriber_id", ["subscriber_id"])


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as table:
        table.drop_index("ix_deliveries_subscriber_id")
        table.drop_constraint("fk_deliveries_subscriber_id", type_="foreignkey")
        table.drop_column("subscriber_id")
    op.drop_index("ix_stories_created_at", "stories")
    op.drop_table("filter_sets")
    op.drop_table("subscribers")
