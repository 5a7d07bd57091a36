"""Filing every stored release again, once, when an upgrade changed the story rules: stories are
made anew in one transaction (a refiling that dies leaves the old ones), and a story a digest
definition has carried stays carried under its new id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select

from monitor.storage.filing import STORY_PASS_WAIT, StoryPass
from monitor.storage.fingerprints import restore_fingerprints
from monitor.storage.leases import Lease
from monitor.storage.models import DigestItemRow, StoryMemberRow, StoryRow
from monitor.storage.store import Store


def refile_stories(store: Store, now: datetime) -> tuple[int, int]:
    """(stories before, stories after)."""
    with Lease(store, ["stories"], wait=STORY_PASS_WAIT):
        while True:  # every release needs fingerprints of the current scheme first
            with store.session() as session, session.begin():
                if not restore_fingerprints(session.connection()):
                    break
        with store.session() as session, session.begin():
            conn = session.connection()
            stories_before = conn.scalar(select(func.count()).select_from(StoryRow))
            # a carried story is known again by its canonical release
            carried = conn.execute(
                select(DigestItemRow.name, DigestItemRow.run_id, StoryRow.canonical_release_id).join(
                    StoryRow, StoryRow.id == DigestItemRow.story_id
                )
            ).all()
            conn.execute(delete(StoryMemberRow))
            conn.execute(delete(StoryRow))
            story_pass = StoryPass(now)
            while story_pass.file_next(conn):
                pass
            story_of = dict(conn.execute(select(StoryMemberRow.release_id, StoryMemberRow.story_id)).all())
            kept = {(name, story_of[release]): run for name, run, release in carried if release in story_of}
            conn.execute(delete(DigestItemRow))
            if kept:
                conn.execute(
                    insert(DigestItemRow),
                    [{"name": name, "story_id": story, "run_id": run} for (name, story), run in kept.items()],
                )
            stories_after = conn.scalar(select(func.count()).select_from(StoryRow))
    return stories_before or 0, stories_after or 0
