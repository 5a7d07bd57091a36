"""The one place that reads and writes the database."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from monitor.records import CrawlProblem, Release, RunCounts, SkippedPage, Tag
from monitor.settings.sources import Source
from monitor.storage.engine import make_engine, upgrade
from monitor.storage.models import (
    CrawlProblemRow,
    CrawlRunRow,
    FingerprintRow,
    ReleaseRow,
    RevisionRow,
    SeenEntryRow,
    SourceRow,
    StoryMemberRow,
    StoryRow,
    TagRow,
)
from monitor.storage.writer import Outcome, record_seen_entries, write_batch

__all__ = ["Outcome", "RunCounts", "Store"]


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, database_url: str) -> Store:
        engine = make_engine(database_url)
        upgrade(engine)
        return cls(engine)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # --- sources -------------------------------------------------------------------------------
    def sync_sources(self, sources: Iterable[Source]) -> None:
        with self.session() as session, session.begin():
            for source in sources:
                row = session.get(SourceRow, source.key) or SourceRow(
                    key=source.key, health="unknown", health_reason=""
                )
                row.name, row.organisation, row.kind = source.name, source.organisation, source.kind
                session.add(row)

    def source_rows(self) -> dict[str, SourceRow]:
        with self.session() as session:
            return {row.key: row for row in session.scalars(select(SourceRow))}

    # --- releases ------------------------------------------------------------------------------
    def seen_entries(self, source_key: str) -> dict[str, str]:
        """identity -> fingerprint of every listing or feed entry this source has fully delivered."""
        with self.session() as session:
            rows = session.execute(
                select(SeenEntryRow.identity, SeenEntryRow.fingerprint).where(SeenEntryRow.source_key == source_key)
            )
            return {identity: fingerprint for identity, fingerprint in rows}

    def upsert(
        self, session: Session, release: Release, tags: Sequence[Tag], now: datetime, listing_fingerprint: str = ""
    ) -> Outcome:
        return write_batch(session, [(release, tags, listing_fingerprint)], now)[0]

    def upsert_many(
        self, session: Session, batch: Sequence[tuple[Release, Sequence[Tag], str]], now: datetime
    ) -> list[Outcome]:
        return write_batch(session, batch, now)

    def releases(
        self,
        since: date | None = None,
        until: date | None = None,
        topics: Sequence[str] = (),
        include_duplicates: bool = False,
    ) -> list[ReleaseRow]:
        """Releases by publication date (first-seen date when none is known), newest first."""
        day = func.coalesce(ReleaseRow.published, func.date(ReleaseRow.first_seen_at))
        query = select(ReleaseRow).options(selectinload(ReleaseRow.tags), selectinload(ReleaseRow.revisions))
        if since:
            query = query.where(day >= since)
        if until:
            query = query.where(day <= until)
        if not include_duplicates:
            query = query.where(ReleaseRow.duplicate_of_id.is_(None))
        if topics:
            query = query.where(
                ReleaseRow.tags.any(or_(*[(TagRow.kind == "topic") & (TagRow.value == t) for t in topics]))
            )
        with self.session() as session:
            return list(session.scalars(query.order_by(day.desc(), ReleaseRow.id.desc())))

    def stories(self, since: date | None = None, until: date | None = None) -> list[StoryRow]:
        """Stories by the date of their canonical release, newest first, members and tags loaded."""
        day = func.coalesce(ReleaseRow.published, func.date(ReleaseRow.first_seen_at))
        query = (
            select(StoryRow)
            .join(ReleaseRow, StoryRow.canonical_release_id == ReleaseRow.id)
            .options(
                selectinload(StoryRow.canonical).selectinload(ReleaseRow.tags),
                selectinload(StoryRow.members).selectinload(StoryMemberRow.release).selectinload(ReleaseRow.tags),
            )
        )
        if since:
            query = query.where(day >= since)
        if until:
            query = query.where(day <= until)
        with self.session() as session:
            return list(session.scalars(query.order_by(day.desc(), StoryRow.id.desc())))

    def release(self, release_id: int) -> ReleaseRow | None:
        with self.session() as session:
            return session.scalar(
                select(ReleaseRow)
                .options(selectinload(ReleaseRow.tags), selectinload(ReleaseRow.revisions))
                .where(ReleaseRow.id == release_id)
            )

    # --- crawl runs ----------------------------------------------------------------------------
    def start_run(self, source_key: str, mode: str, now: datetime) -> int:
        with self.session() as session, session.begin():
            run = CrawlRunRow(source_key=source_key, started_at=now, status="running", mode=mode, message="")
            session.add(run)
            session.flush()
            return run.id

    def set_run_counts(self, session: Session, run_id: int, counts: RunCounts) -> None:
        session.execute(
            update(CrawlRunRow)
            .where(CrawlRunRow.id == run_id)
            .values(
                pages=counts.pages,
                new=counts.new,
                updated=counts.updated,
                unchanged=counts.unchanged,
                errors=counts.errors,
                items=counts.items,
                field_gaps=json.dumps(counts.field_gaps, sort_keys=True),
            )
        )

    def add_problem(self, session: Session, run_id: int, problem: CrawlProblem, now: datetime) -> None:
        session.add(
            CrawlProblemRow(
                run_id=run_id,
                source_key=problem.source,
                url=problem.url,
                kind=problem.kind,
                message=problem.message[:2000],
                at=now,
            )
        )

    def skip_page(self, session: Session, run_id: int, skipped: SkippedPage, now: datetime) -> None:
        """Record a page not taken for a release, and its entry as seen (unless it has none)."""
        self.add_problem(session, run_id, CrawlProblem(skipped.source, skipped.url, "skipped", skipped.reason), now)
        if skipped.fingerprint:
            row = {"source_key": skipped.source, "identity": skipped.identity, "fingerprint": skipped.fingerprint}
            record_seen_entries(session, [{**row, "seen_at": now}])

    def finish_run(self, run_id: int, status: str, message: str, now: datetime) -> CrawlRunRow:
        """Close a run (only if still open: the child's own verdict wins) and update source health."""
        with self.session() as session, session.begin():
            run = session.get(CrawlRunRow, run_id)
            if run is None:
                raise KeyError(f"no crawl run {run_id}")
            if run.status == "running":
                run.status, run.message, run.finished_at = status, message, now
            source = session.get(SourceRow, run.source_key)
            if source is not None:
                source.last_run_at = run.finished_at
                if run.status in ("ok", "partial"):
                    source.health, source.health_reason, source.last_success_at = "ok", "", run.finished_at
                else:
                    source.health, source.health_reason = "failing", run.message
            return run

    def run(self, run_id: int) -> CrawlRunRow | None:
        with self.session() as session:
            return session.scalar(
                select(CrawlRunRow).options(selectinload(CrawlRunRow.problems)).where(CrawlRunRow.id == run_id)
            )

    def last_runs(self) -> dict[str, CrawlRunRow]:
        with self.session() as session:
            latest = select(func.max(CrawlRunRow.id)).group_by(CrawlRunRow.source_key)
            return {
                run.source_key: run for run in session.scalars(select(CrawlRunRow).where(CrawlRunRow.id.in_(latest)))
            }

    def runs_of(self, source_key: str, limit: int = 10) -> list[CrawlRunRow]:
        """The source's latest runs, newest first."""
        with self.session() as session:
            query = select(CrawlRunRow).where(CrawlRunRow.source_key == source_key)
            return list(session.scalars(query.order_by(CrawlRunRow.id.desc()).limit(limit)))

    def counts(self) -> dict[str, int]:
        with self.session() as session:
            return {
                "releases": session.scalar(select(func.count(ReleaseRow.id))) or 0,
                "revisions": session.scalar(select(func.count(RevisionRow.id))) or 0,
                "fingerprints": session.scalar(select(func.count(FingerprintRow.release_id))) or 0,
            }
