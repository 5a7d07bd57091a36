"""the job queue of workers on PostgreSQL: Procrastinate's schema, who each worker is, and which
queued job a job run was for

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_workers",
        sa.Column("worker_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("queues", sa.String(200), nullable=False),
        sa.Column("concurrency", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("job_runs") as table:
        table.add_column(sa.Column("queue_job_id", sa.Integer()))
        table.create_index("ix_job_runs_queue_job_id", ["queue_job_id"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and not sa.inspect(bind).has_table("procrastinate_jobs"):
        # The queue's own tables and functions, as its `schema --apply` writes them. Run on the
        # driver's connection without parameters: the script holds literal % signs.
        from procrastinate.schema import SchemaManager

        with bind.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(SchemaManager.get_schema())


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as table:
        table.drop_index("ix_job_runs_queue_job_id")
        table.drop_column("queue_job_id")
    op.drop_table("queue_workers")
    # Procrastinate's tables stay: they may hold jobs, and its own migrations manage them.
