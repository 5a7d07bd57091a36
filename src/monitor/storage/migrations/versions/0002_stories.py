"""stories, fingerprints and MinHash bands

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 20:06:45.478170
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "minhash_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("minhash_bands", schema=None) as batch_op:
        batch_op.create_index("ix_minhash_bands_bucket", ["bucket"], unique=False)
        batch_op.create_index(batch_op.f("ix_minhash_bands_release_id"), ["release_id"], unique=False)

    op.create_table(
        "release_fingerprints",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("text_sig", sa.LargeBinary(), nullable=True),
        sa.Column("lead_sig", sa.LargeBinary(), nullable=True),
        sa.Column("key_sig", sa.LargeBinary(), nullable=True),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("release_id"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical_release_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["canonical_release_id"],
            ["releases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "story_members",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("related_to_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["related_to_id"],
            ["releases.id"],
        ),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
        ),
        sa.PrimaryKeyConstraint("release_id"),
    )
    with op.batch_alter_table("story_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_members_story_id"), ["story_id"], unique=False)

    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("syndication", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_releases_event_date"), ["event_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_releases_native_id"), ["native_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_releases_native_id"))
        batch_op.drop_index(batch_op.f("ix_releases_event_date"))
        batch_op.drop_column("syndication")

    with op.batch_alter_table("story_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_members_story_id"))

    op.drop_table("story_members")
    op.drop_table("stories")
    op.drop_table("release_fingerprints")
    with op.batch_alter_table("minhash_bands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minhash_bands_release_id"))
        batch_op.drop_index("ix_minhash_bands_bucket")

    op.drop_table("minhash_bands")
