"""one B-tree of MinHash buckets; fingerprints in the multiply-shift scheme with plain word lists (recomputed on the next story pass)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 01:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _bands_table(*columns: sa.Column, **kwargs: object) -> None:
    op.drop_table("minhash_bands")  # its indexes go with it
    op.create_table("minhash_bands", *columns, **kwargs)


def _fingerprints_table(words: type[sa.types.TypeEngine]) -> None:
    op.drop_table("release_fingerprints")
    op.create_table(
        "release_fingerprints",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("text_sig", sa.LargeBinary(), nullable=True),
        sa.Column("lead_sig", sa.LargeBinary(), nullable=True),
        sa.Column("key_sig", sa.LargeBinary(), nullable=True),
        sa.Column("names", words(), nullable=False),
        sa.Column("numbers", words(), nullable=False),
        sa.Column("terms", words(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("release_id"),
    )


# Signatures and buckets of the previous scheme cannot be compared with the new ones: both are
# dropped, and the next story pass fingerprints the stored releases again (their texts, once).
def upgrade() -> None:
    _fingerprints_table(sa.Text)
    _bands_table(
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "release_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    _fingerprints_table(sa.JSON)
    _bands_table(
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_minhash_bands_bucket", "minhash_bands", ["bucket"])
    op.create_index("ix_minhash_bands_release_id", "minhash_bands", ["release_id"])
