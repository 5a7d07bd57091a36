"""What a worker does with each kind of queued job: the same job functions the CLI and the
scheduler run on SQLite (with their leases and run records), plus what only a queue needs.

A task that ends in a failed run raises JobFailed, so the queue shows the job as failed and
`monitor status` shows why (the run's message). Nothing is retried on failure: a crawl or a
digest that failed is run again by its next request, as before. Busy (the same work is running
elsewhere, e.g. a manual `monitor crawl`) is no failure: the job ends and says so."""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text

from monitor.operations.jobs import crawl_job, digest_job, recorded
from monitor.operations.queue import CRAWL_TASK, STORIES_TASK, request_story_pass
from monitor.settings.config import Settings
from monitor.settings.subscribers import digest_names
from monitor.storage.filing import file_stories
from monitor.storage.leases import Busy
from monitor.storage.store import Store

logger = logging.getLogger(__name__)
EARLIER_POLL_S = 0.5
UNSTARTED_GRACE_S = 10.0  # a crawl queued before a digest but not started by then is not waited for


class JobFailed(RuntimeError):
    """The job ran and its run is recorded as failed (the message says why)."""


def _now() -> datetime:
    return datetime.now(UTC)


def lease_wait(settings: Settings) -> float:
    """Long enough for the lease of a holder on another machine that died to expire: a job put
    back in the queue after its worker died takes the work over instead of giving up."""
    return settings.schedule.lease_ttl_s * 1.5


def crawl(
    settings: Settings, store: Store, job_id: int, source: str, mode: str, since: str | None, trigger: str
) -> str:
    try:
        (result,) = crawl_job(
            settings,
            [settings.source(source)],
            _now(),
            job=f"crawl:{source}",
            trigger=trigger,
            mode=mode,
            since=date.fromisoformat(since) if since else None,
            jobs=1,
            wait=lease_wait(settings),
            file_after=False,
            queue_job=job_id,
            store=store,
        )
    except Busy as exc:
        return f"not run: {exc}"
    # One pass files what every crawl that ended meanwhile stored.
    request_story_pass(settings, trigger=trigger, store=store)
    summary = f"{source}: {result.status}, {result.pages} pages, {result.new} new, {result.updated} updated"
    if result.status == "failed":
        raise JobFailed(f"{summary}: {result.message}")
    return summary


def stories(settings: Settings, store: Store, job_id: int, trigger: str) -> str:
    now = _now()
    with recorded(settings, store, "stories", trigger, now, job_id):
        filed = file_stories(store, now)
    return f"{filed} release(s) filed"


def wait_for_earlier_crawls(settings: Settings, store: Store, job_id: int) -> int:
    """Wait until the crawls and story passes queued before job `job_id` have run, so that a
    digest issued after a crawl was asked for sees what it stored. Crawls still waiting for a
    free slot after a short grace are not waited for (this job may hold the only slot).
    Returns how many were waited for."""
    query = text(
        "SELECT count(*) FILTER (WHERE status = 'doing') AS running, count(*) AS pending FROM procrastinate_jobs "
        "WHERE id < :id AND task_name IN (:crawl, :stories) AND status IN ('todo', 'doing')"
    )
    params = {"id": job_id, "crawl": CRAWL_TASK, "stories": STORIES_TASK}
    started = time.monotonic()
    deadline = started + settings.queue.digest_waits_s
    waited = 0
    while time.monotonic() < deadline:
        with store.engine.connect() as conn:
            running, pending = conn.execute(query, params).one()
        waited = max(waited, pending)
        if not running and (not pending or time.monotonic() - started > UNSTARTED_GRACE_S):
            break
        # The queue gives no signal when a job ends: look again shortly.
        time.sleep(EARLIER_POLL_S)
    return waited


def digest(settings: Settings, store: Store, job_id: int, name: str, send: bool, trigger: str) -> str:
    waited = wait_for_earlier_crawls(settings, store, job_id)
    names, subscribers = digest_names(name)
    result = _digest_job(settings, store, job_id, names, send=send, trigger=trigger, subscribers=subscribers)
    if isinstance(result, str):
        return result
    issued = ", ".join(
        f"{e.definition.name} {'issued' if created else 'already issued'}" for e, created in result.editions
    )
    return f"{issued} after {waited} earlier job(s); {len(result.deliveries)} delivery(ies)"


def deliveries(settings: Settings, store: Store, job_id: int, trigger: str) -> str:
    result = _digest_job(settings, store, job_id, [], send=True, trigger=trigger, job="deliveries:retry")
    return result if isinstance(result, str) else f"{len(result.deliveries)} delivery(ies) sent"


def _digest_job(
    settings: Settings, store: Store, job_id: int, names: list[str], send: bool, trigger: str, **kwargs: Any
) -> Any:
    """The digest job under the queue's job: its result, "not run: ..." when the lease is held,
    JobFailed when a delivery was not sent."""
    try:
        result = digest_job(
            settings,
            names,
            _now(),
            send=send,
            trigger=trigger,
            wait=lease_wait(settings),
            queue_job=job_id,
            store=store,
            **kwargs,
        )
    except Busy as exc:
        return f"not run: {exc}"
    if result.failed:
        raise JobFailed(f"{len(result.failed)} delivery(ies) not sent")
    return result


def register(app: Any) -> None:
    """The tasks of a worker's Procrastinate app, each given the job's id, and the settings and
    the store the worker was started with (`additional_context`)."""
    from procrastinate.job_context import JobContext

    from monitor.operations import queue

    def settings_of(context: JobContext) -> Settings:
        return context.additional_context["settings"]

    def store_of(context: JobContext) -> Store:
        return context.additional_context["store"]

    def job_id(context: JobContext) -> int:
        assert context.job.id is not None
        return context.job.id

    @app.task(name=queue.CRAWL_TASK, queue=queue.CRAWLS, pass_context=True)
    def crawl_task(
        context: JobContext, source: str, mode: str = "incremental", trigger: str = "queue", since: str | None = None
    ) -> str:
        return crawl(settings_of(context), store_of(context), job_id(context), source, mode, since, trigger)

    @app.task(name=queue.STORIES_TASK, queue=queue.STORIES, pass_context=True)
    def stories_task(context: JobContext, trigger: str = "queue") -> str:
        return stories(settings_of(context), store_of(context), job_id(context), trigger)

    @app.task(name=queue.DIGEST_TASK, queue=queue.DIGESTS, pass_context=True)
    def digest_task(context: JobContext, name: str, send: bool = True, trigger: str = "queue") -> str:
        return digest(settings_of(context), store_of(context), job_id(context), name, send, trigger)

    @app.task(name=queue.DELIVERIES_TASK, queue=queue.DIGESTS, pass_context=True)
    def deliveries_task(context: JobContext, trigger: str = "queue") -> str:
        return deliveries(settings_of(context), store_of(context), job_id(context), trigger)
