"""fingerprints keep names as consonant skeletons in Latin letters and figures without the days of
dates: the stored ones are dropped, and the next story pass fingerprints every filed release again;
indexes of releases' days with their language, for the story pass's look-up of translations

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:30:00
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM release_fingerprints")
    op.create_index("ix_releases_published_lang", "releases", ["published", "lang"])
    op.create_index("ix_releases_event_date_lang", "releases", ["event_date", "lang"])


def downgrade() -> None:
    op.drop_index("ix_releases_event_date_lang", "releases")
    op.drop_index("ix_releases_published_lang", "releases")
    op.execute("DELETE FROM release_fingerprints")  # the older scheme's, likewise made again
