"""room for long native ids (aggregators' slugs) and dates as written; PostgreSQL enforces lengths

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 22:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# SQLite ignores VARCHAR lengths, and rebuilding `releases` there would cascade-delete the
# rows that reference it: only servers that enforce lengths are altered.
def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("releases", "native_id", type_=sa.String(500), existing_type=sa.String(64))
    op.alter_column("releases", "published_raw", type_=sa.String(200), existing_type=sa.String(100))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("releases", "published_raw", type_=sa.String(100), existing_type=sa.String(200))
    op.alter_column("releases", "native_id", type_=sa.String(64), existing_type=sa.String(500))
