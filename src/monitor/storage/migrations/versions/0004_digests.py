"""digest issues, the stories each carried, and their deliveries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 22:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, index=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stories", sa.Integer(), nullable=False),
        sa.Column("pdf_path", sa.Text(), nullable=False),
        sa.UniqueConstraint("name", "period_end"),
    )
    op.create_table(
        "digest_items",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("story_id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("digest_runs.id", ondelete="CASCADE"), nullable=False, index=True
        ),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("digest_runs.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("error", sa.Text(), nullable=False),
        sa.UniqueConstraint("run_id", "recipient"),
    )


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("digest_items")
    op.drop_table("digest_runs")
