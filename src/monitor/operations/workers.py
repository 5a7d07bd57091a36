"""`monitor worker`: a Procrastinate worker that takes jobs from the queue in the database until
SIGTERM or SIGINT; then it finishes the jobs it runs (a crawl child keeps its own time limit)
and stops. Any number run, on any number of machines.

Beside the jobs each worker sweeps for jobs of dead workers (Procrastinate's stalled jobs: a
running job whose worker's heartbeat stopped) and puts them back in the queue, where another
worker takes them; a crawl taken over closes the dead run as interrupted under its lease, as a
local crawl does. Procrastinate's periodic tasks are not used (the scheduler is the one clock)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from monitor.operations import tasks
from monitor.operations.queue import QUEUES, conninfo
from monitor.settings.config import Settings
from monitor.storage import queue_workers
from monitor.storage.store import Store

logger = logging.getLogger(__name__)
OLD_JOBS_HOURS = 7 * 24  # finished jobs are kept this long for status, then removed
CLEAN_EVERY_S = 3600.0
# Procrastinate's own retry, on the row locked as it was found: still running, by the same (dead) worker.
PUT_BACK = """
WITH stalled AS (
    SELECT id FROM procrastinate_jobs
    WHERE id = %(job_id)s AND status = 'doing' AND worker_id IS NOT DISTINCT FROM %(worker_id)s
    FOR UPDATE
)
SELECT procrastinate_retry_job_v2(id, %(retry_at)s, NULL, NULL, NULL) FROM stalled
"""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def build_app(settings: Settings, concurrency: int) -> Any:
    from procrastinate import App, PsycopgConnector

    # A connection per running job's bookkeeping, plus the listener, heartbeat and sweep.
    connector = PsycopgConnector(conninfo=conninfo(settings.database_url), min_size=1, max_size=concurrency + 4)
    app = App(connector=connector)
    tasks.register(app)
    return app


@dataclass
class Sweep:
    """Jobs of dead workers back to the queue; old finished jobs out of it."""

    app: Any
    stalled_after_s: float
    _last_clean: float = 0.0

    async def once(self) -> list[int]:
        from procrastinate import exceptions, jobs

        manager = self.app.job_manager
        retried = []
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=self.stalled_after_s):
            try:
                if await self.put_back(job):
                    retried.append(job.id)
                    logger.warning("job %s (%s) of a dead worker is back in the queue", job.id, job.queueing_lock)
            except exceptions.UniqueViolation:
                # Another job with its queueing lock already waits (a story pass): that one does the
                # work, and a `doing` row left forever would block nothing but mislead status.
                await manager.finish_job(job=job, status=jobs.Status.FAILED, delete_job=False)
                logger.warning("job %s of a dead worker ended: the same job already waits", job.id)
        await manager.prune_stalled_workers(self.stalled_after_s)
        now = asyncio.get_running_loop().time()
        if now - self._last_clean > CLEAN_EVERY_S:
            self._last_clean = now
            await manager.delete_old_jobs(nb_hours=OLD_JOBS_HOURS, include_failed=True, include_cancelled=True)
        return retried

    async def put_back(self, job: Any) -> bool:
        """Queue a stalled job again, unless it changed since it was found stalled: another sweep
        may have put it back already and a live worker taken it (or finished it), and a second
        put-back would have it run twice at once (or a failed job run again)."""
        rows = await self.app.connector.execute_query_all_async(
            PUT_BACK, job_id=job.id, worker_id=job.worker_id, retry_at=datetime.now(UTC)
        )
        return bool(rows)

    async def run(self, every_s: float) -> None:
        while True:
            try:
                await self.once()
            except Exception:  # a database that restarts: sweep again next time
                logger.exception("the sweep for jobs of dead workers failed")
            await asyncio.sleep(every_s)


async def _announce(worker: Any, store: Store, name: str, queues: Sequence[str], concurrency: int) -> int:
    while worker.worker_id is None:  # set once the worker has registered in the queue
        await asyncio.sleep(0.05)
    await asyncio.to_thread(
        queue_workers.announce, store, worker.worker_id, name, queues, concurrency, datetime.now(UTC)
    )
    logger.info("worker %s (id %s) takes jobs from %s", name, worker.worker_id, ", ".join(queues) or "every queue")
    return int(worker.worker_id)


async def serve(settings: Settings, queues: Sequence[str] = (), concurrency: int | None = None) -> None:
    """Run a worker until it is told to stop; returns once its running jobs are done."""
    from procrastinate.worker import Worker

    unknown = set(queues) - set(QUEUES)
    if unknown:
        raise ValueError(f"unknown queue(s) {', '.join(sorted(unknown))}; the queues are {', '.join(QUEUES)}")
    concurrency = concurrency or settings.queue.concurrency
    store = Store.open(settings.database_url)  # migrated: the queue's schema comes with the monitor's
    app = build_app(settings, concurrency)
    name = worker_name()
    options = settings.queue
    async with app.open_async():
        worker = Worker(
            app=app,
            queues=list(queues) or None,
            name=name,
            concurrency=concurrency,
            # Polling stays on beside LISTEN/NOTIFY: notifications sent while the connection was
            # down (a database restart) are lost, and the poll finds their jobs.
            listen_notify=True,
            fetch_job_polling_interval=options.poll_s,
            update_heartbeat_interval=options.heartbeat_s,
            stalled_worker_timeout=options.stalled_after_s,
            shutdown_graceful_timeout=None,  # a crawl child has its own time limit
            additional_context={"settings": settings, "store": store},
        )
        sweep = asyncio.create_task(Sweep(app, options.stalled_after_s).run(max(1.0, options.heartbeat_s)))
        announced = asyncio.create_task(_announce(worker, store, name, queues, concurrency))
        try:
            await worker.run()
        finally:
            sweep.cancel()
            if announced.done() and not announced.cancelled() and announced.exception() is None:
                await asyncio.to_thread(queue_workers.retire, store, announced.result())
            else:
                announced.cancel()
    logger.info("worker %s stopped", name)


def run_worker(settings: Settings, queues: Sequence[str] = (), concurrency: int | None = None) -> int:
    asyncio.run(serve(settings, queues, concurrency))
    return 0
