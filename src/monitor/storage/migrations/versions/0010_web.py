"""the web view: user accounts, API tokens (hashes only) and the full-text index of releases

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:10:00
"""

import sqlalchemy as sa
from alembic import op

from monitor.storage import search

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
    )
    # What the web view's story list filters and sorts by, without reading the releases' texts.
    op.create_index("ix_releases_lang", "releases", ["lang"])
    op.create_index("ix_stories_canonical_release_id", "stories", ["canonical_release_id"])
    op.create_index("ix_tags_kind_value_release", "tags", ["kind", "value", "release_id"])  # no row reads
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # The day a story is listed by (its canonical release's publication day, or first sighting):
        # newest first is a walk down this index, not a sort of every story. PostgreSQL cannot index
        # date(timestamptz) (it depends on the session's time zone); it sorts the stories instead.
        op.execute("CREATE INDEX ix_releases_day ON releases (coalesce(published, date(first_seen_at)))")
    if bind.dialect.name == "postgresql":
        op.create_table(
            "release_search",
            sa.Column("release_id", sa.Integer(), sa.ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("document", sa.dialects.postgresql.TSVECTOR(), nullable=False),
        )
        op.create_index("ix_release_search_document", "release_search", ["document"], postgresql_using="gin")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE release_search USING fts5(stems, content='', detail=none, "
            "tokenize='unicode61 remove_diacritics 0')"
        )
    search.rebuild(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_releases_day", "releases")
    op.drop_index("ix_tags_kind_value_release", "tags")
    op.drop_index("ix_stories_canonical_release_id", "stories")
    op.drop_index("ix_releases_lang", "releases")
    op.drop_table("release_search")
    op.drop_table("api_tokens")
    op.drop_table("users")
