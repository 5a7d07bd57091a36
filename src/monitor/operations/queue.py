"""The job queue on PostgreSQL (Procrastinate): what can be queued, and enqueueing with one job
per thing at a time. The scheduler, `monitor crawl --queue` and the web view call the request_*
functions; `monitor worker` processes run the jobs (operations.tasks, operations.workers).

One crawl per source is queued or running at a time: a second request is answered with the job
already there. Procrastinate's queueing lock alone only covers jobs that wait (a job that runs no
longer holds it), so the check and the insert run under a transaction-scoped advisory lock on the
same key; the queueing lock stays as the database's own guard. The story pass is the exception:
a pass already running may have read the releases before ours were stored, so one more may wait
behind it (the queueing lock: at most one waiting) and they never run at once (its lock)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from monitor.settings.config import ConfigError, Settings
from monitor.settings.subscribers import EVERY_SUBSCRIBER
from monitor.storage.store import Store

logger = logging.getLogger(__name__)

CRAWLS, STORIES, DIGESTS = "crawls", "stories", "digests"
QUEUES = (CRAWLS, STORIES, DIGESTS)
CRAWL_TASK, STORIES_TASK, DIGEST_TASK, DELIVERIES_TASK = "crawl", "stories", "digest", "deliveries"
STORIES_KEY, DELIVERIES_KEY = "stories", "deliveries"
DIGEST_LOCK = "digest"  # issuing and sending take turns, as the digest lease makes them


class QueueUnavailable(ConfigError):
    """The queue needs PostgreSQL (the message says what to do instead)."""


@dataclass(frozen=True)
class Enqueued:
    """The answer to a request: the job that will do it, new or already there."""

    key: str  # crawl:<source>, digest:<name>, stories, deliveries
    job_id: int
    created: bool  # False: the same job was already waiting or running
    status: str  # todo (waiting) or doing (running)
    worker: str | None = None  # host:pid of the worker running it

    def describe(self) -> str:
        if self.created:
            return f"queued as job {self.job_id}"
        where = f" on {self.worker}" if self.worker else ""
        state = f"running{where}" if self.status == "doing" else "waiting"
        return f"already queued: job {self.job_id}, {state}"


def conninfo(database_url: str) -> str:
    """The libpq address of the monitor's SQLAlchemy URL (postgresql+psycopg://...)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise QueueUnavailable(
            "the job queue and workers need PostgreSQL (set MONITOR_DATABASE_URL to a postgresql+psycopg:// URL); "
            "on SQLite crawls and digests run as local processes"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def require_queue(settings: Settings) -> None:
    conninfo(settings.database_url)


def _holder(conn: Connection, key: str, running_too: bool) -> Enqueued | None:
    states = "('todo', 'doing')" if running_too else "('todo')"
    row = conn.execute(
        text(
            "SELECT j.id, j.status::text AS status, w.name FROM procrastinate_jobs j "
            "LEFT JOIN queue_workers w ON w.worker_id = j.worker_id "
            f"WHERE j.queueing_lock = :key AND j.status IN {states} ORDER BY j.id LIMIT 1"
        ),
        {"key": key},
    ).first()
    return Enqueued(key, row.id, False, row.status, row.name) if row else None


def enqueue(
    store: Store,
    task: str,
    queue: str,
    key: str,
    kwargs: dict[str, Any],
    *,
    lock: str | None = None,
    running_too: bool = True,
) -> Enqueued:
    """Queue `task` unless a job with the same key is waiting (or, with `running_too`, running)."""
    from procrastinate.exceptions import AlreadyEnqueued
    from procrastinate.jobs import Job
    from procrastinate.manager import JobManager
    from procrastinate.psycopg_connector import PsycopgConnector

    try:
        with store.engine.begin() as conn:
            # Two requests for the same key queue one job: the second waits here, then finds it.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"monitor.queue:{key}"})
            if existing := _holder(conn, key, running_too):
                return existing
            job = Job(id=None, queue=queue, lock=lock, queueing_lock=key, task_name=task, task_kwargs=kwargs)
            # The job is written in this transaction, on its connection (no pool of the queue's own).
            raw = conn.connection.driver_connection
            deferred = JobManager(PsycopgConnector()).defer_job(job, connection=raw)
            assert deferred.id is not None
            logger.info("queued %s as job %s", key, deferred.id)
            return Enqueued(key, deferred.id, True, "todo")
    except AlreadyEnqueued:  # a stalled job put back in the queue meanwhile (not under our lock)
        with store.engine.connect() as conn:
            existing = _holder(conn, key, running_too)
        if existing is None:
            raise
        return existing


def request_crawl(
    settings: Settings,
    source_key: str,
    *,
    trigger: str = "manual",
    mode: str = "incremental",
    since: date | None = None,
    store: Store | None = None,
) -> Enqueued:
    """Ask the workers for a crawl of one source (the web view's "crawl now", `POST /api/crawls`,
    `monitor crawl --queue`, the scheduler). A crawl of it already waiting or running answers."""
    require_queue(settings)
    settings.source(source_key)  # an unknown source is the caller's error, not a failed job
    kwargs: dict[str, Any] = {"source": source_key, "mode": mode, "trigger": trigger}
    if since:
        kwargs["since"] = since.isoformat()
    return enqueue(store or Store.open(settings.database_url), CRAWL_TASK, CRAWLS, f"crawl:{source_key}", kwargs)


def request_story_pass(settings: Settings, *, trigger: str = "queue", store: Store | None = None) -> Enqueued:
    require_queue(settings)
    return enqueue(
        store or Store.open(settings.database_url),
        STORIES_TASK,
        STORIES,
        STORIES_KEY,
        {"trigger": trigger},
        lock=STORIES_KEY,
        running_too=False,
    )


def request_digest(
    settings: Settings, name: str, *, send: bool = True, trigger: str = "manual", store: Store | None = None
) -> Enqueued:
    require_queue(settings)
    if name != EVERY_SUBSCRIBER:
        settings.digest(name)
    return enqueue(
        store or Store.open(settings.database_url),
        DIGEST_TASK,
        DIGESTS,
        f"digest:{name}",
        {"name": name, "send": send, "trigger": trigger},
        lock=DIGEST_LOCK,
    )


def request_deliveries(settings: Settings, *, trigger: str = "manual", store: Store | None = None) -> Enqueued:
    require_queue(settings)
    return enqueue(
        store or Store.open(settings.database_url),
        DELIVERIES_TASK,
        DIGESTS,
        DELIVERIES_KEY,
        {"trigger": trigger},
        lock=DIGEST_LOCK,
    )


# --- what `monitor status` and the web view show ------------------------------------------------
@dataclass(frozen=True)
class QueuedJob:
    id: int
    key: str
    task: str
    status: str  # todo, doing, failed
    attempts: int
    worker: str | None
    since: datetime | None  # when it was queued, started or failed
    why: str = ""  # for a failed job: the message its run recorded


@dataclass(frozen=True)
class WorkerState:
    id: int
    name: str | None
    queues: str
    concurrency: int | None
    last_heartbeat: datetime
    alive: bool
    running: int


def _has_queue(store: Store) -> bool:
    if store.engine.dialect.name != "postgresql":
        return False
    with store.engine.connect() as conn:
        return bool(conn.execute(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).scalar())


def queued_jobs(store: Store, failed_limit: int = 20) -> list[QueuedJob] | None:
    """Jobs waiting, running, and the latest that failed (with why); None without a queue."""
    if not _has_queue(store):
        return None
    query = text(
        "SELECT j.id, coalesce(j.queueing_lock, j.task_name) AS key, j.task_name, j.status::text AS status, "
        "j.attempts, w.name AS worker, (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) AS since, "
        "(SELECT r.message FROM job_runs r WHERE r.queue_job_id = j.id ORDER BY r.id DESC LIMIT 1) AS why "
        "FROM procrastinate_jobs j LEFT JOIN queue_workers w ON w.worker_id = j.worker_id "
        "WHERE j.status IN ('todo', 'doing') OR j.id IN "
        "(SELECT id FROM procrastinate_jobs WHERE status = 'failed' ORDER BY id DESC LIMIT :limit) "
        "ORDER BY j.status = 'failed', j.id"
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query, {"limit": failed_limit}).all()
    return [QueuedJob(r.id, r.key, r.task_name, r.status, r.attempts, r.worker, r.since, r.why or "") for r in rows]


def workers(store: Store, stalled_after_s: float) -> list[WorkerState] | None:
    """Workers the queue knows, alive or silent, with their last heartbeat; None without a queue."""
    if not _has_queue(store):
        return None
    query = text(
        "SELECT p.id, p.last_heartbeat, w.name, w.queues, w.concurrency, "
        "p.last_heartbeat >= now() - make_interval(secs => :stalled) AS alive, "
        "(SELECT count(*) FROM procrastinate_jobs j WHERE j.worker_id = p.id AND j.status = 'doing') AS running "
        "FROM procrastinate_workers p LEFT JOIN queue_workers w ON w.worker_id = p.id ORDER BY p.id"
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query, {"stalled": stalled_after_s}).all()
    return [
        WorkerState(r.id, r.name, r.queues or "", r.concurrency, r.last_heartbeat, bool(r.alive), r.running)
        for r in rows
    ]
