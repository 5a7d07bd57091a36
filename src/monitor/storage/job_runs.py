"""The record of job runs (scheduled or by hand), for `monitor status` and alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from monitor.storage.models import CrawlRunRow, JobRunRow
from monitor.storage.store import Store


def start(store: Store, job: str, trigger: str, now: datetime, queue_job_id: int | None = None) -> int:
    with store.session() as session, session.begin():
        row = JobRunRow(
            job=job, trigger=trigger, started_at=now, status="running", message="", queue_job_id=queue_job_id
        )
        session.add(row)
        session.flush()
        return row.id


def finish(store: Store, run_id: int, status: str, message: str, now: datetime) -> None:
    with store.session() as session, session.begin():
        session.execute(
            update(JobRunRow)
            .where(JobRunRow.id == run_id)
            .values(status=status, message=message[:2000], finished_at=now)
        )


def latest(store: Store) -> dict[str, JobRunRow]:
    """The last run of every job."""
    with store.session() as session:
        newest = select(func.max(JobRunRow.id)).group_by(JobRunRow.job)
        return {row.job: row for row in session.scalars(select(JobRunRow).where(JobRunRow.id.in_(newest)))}


def close_interrupted_crawls(store: Store, source_key: str, now: datetime) -> int:
    """Crawl runs of a source left `running` by a process that was killed. Only called by the
    holder of the source's lease, so no live crawl of that source can be among them."""
    with store.session() as session, session.begin():
        return (
            session.execute(
                update(CrawlRunRow)
                .where(CrawlRunRow.source_key == source_key, CrawlRunRow.status == "running")
                .values(status="failed", finished_at=now, message="interrupted: the crawl process was killed")
            ).rowcount
            or 0
        )
