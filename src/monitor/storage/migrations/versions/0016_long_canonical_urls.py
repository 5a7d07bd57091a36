"""room for canonical URLs as long as a crawl follows (a slug of a long Cyrillic title is
percent-encoded into hundreds of characters); PostgreSQL enforces lengths

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


# Nothing looks releases up by canonical URL, and a btree entry cannot hold a long URL of
# non-ASCII characters: the index goes. SQLite ignores lengths (see 0006).
def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.drop_index("ix_releases_canonical_url", "releases")
    op.alter_column("releases", "canonical_url", type_=sa.Text(), existing_type=sa.String(1000))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("releases", "canonical_url", type_=sa.String(1000), existing_type=sa.Text())
    op.create_index("ix_releases_canonical_url", "releases", ["canonical_url"])
