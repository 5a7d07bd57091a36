"""one open incident per key, and a claim on a notice being sent: two jobs ending together
opened the same incident twice and both told the admin

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OPEN = sa.text("closed_at IS NULL")


def upgrade() -> None:
    incidents = sa.table(
        "incidents",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("opened_at", sa.DateTime(timezone=True)),
        sa.column("closed_at", sa.DateTime(timezone=True)),
        sa.column("closed_notified", sa.Boolean),
    )
    # duplicates the race already opened: the oldest stays open, the others close as they opened,
    # with nothing more to tell (the admin heard of the problem from the oldest or will)
    connection = op.get_bind()
    first: dict[str, int] = {}
    duplicates = []
    for row in connection.execute(sa.select(incidents.c.id, incidents.c.key).where(OPEN).order_by(incidents.c.id)):
        if row.key in first:
            duplicates.append(row.id)
        else:
            first[row.key] = row.id
    if duplicates:
        connection.execute(
            incidents.update()
            .where(incidents.c.id.in_(duplicates))
            .values(closed_at=incidents.c.opened_at, closed_notified=True)
        )
    with op.batch_alter_table("incidents") as table:
        table.add_column(sa.Column("sending", sa.String(64)))
        table.add_column(sa.Column("sending_since", sa.DateTime(timezone=True)))
    op.create_index(
        "uq_incidents_open_key", "incidents", ["key"], unique=True, sqlite_where=OPEN, postgresql_where=OPEN
    )


def downgrade() -> None:
    op.drop_index("uq_incidents_open_key", table_name="incidents")
    with op.batch_alter_table("incidents") as table:
        table.drop_column("sending_since")
        table.drop_column("sending")
