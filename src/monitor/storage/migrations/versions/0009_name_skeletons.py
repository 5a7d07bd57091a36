"""fingerprints keep names as consonant skeletons in Latin letters and figures without the days of
dates: the stored ones are dropped, and the next story pass fingerprints every filed release again

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


def downgrade() -> None:
    op.execute("DELETE FROM release_fingerprints")  # the older scheme's, likewise made again
