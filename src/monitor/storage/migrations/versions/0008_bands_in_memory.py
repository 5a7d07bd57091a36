"""the LSH index is built in memory from the stored signatures at each story pass: no bands table

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 07:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("minhash_bands")


def downgrade() -> None:
    op.create_table(
        "minhash_bands",
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "release_id"),
        sqlite_with_rowid=False,
    )
    # 0007 reads candidates from that table: with no fingerprints, its next story pass
    # fingerprints every filed release again and fills the table as it goes.
    op.execute("DELETE FROM release_fingerprints")
