"""What `monitor status` shows: jobs with their last and next run, what runs now, each source's
health, deliveries waiting or failed, open incidents and the database in use."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from monitor.operations.alerts import open_incidents
from monitor.operations.queue import queued_jobs, workers
from monitor.operations.scheduler import job_specs, stored_next_runs
from monitor.settings.config import Settings
from monitor.storage import job_runs as runlog
from monitor.storage.engine import current_revision
from monitor.storage.leases import held
from monitor.storage.models import DeliveryRow
from monitor.storage.store import Store


@dataclass
class Status:
    database: str
    schema: str | None
    jobs: list[list[object]] = field(default_factory=list)
    running: list[list[object]] = field(default_factory=list)
    sources: list[list[object]] = field(default_factory=list)
    deliveries: Counter[str] = field(default_factory=Counter)
    undelivered: list[list[object]] = field(default_factory=list)
    incidents: list[list[object]] = field(default_factory=list)
    queue: list[list[object]] | None = None  # waiting, running and failed jobs; None without a queue
    workers: list[list[object]] | None = None  # workers the queue knows, with their last heartbeat

    @property
    def healthy(self) -> bool:
        return not self.incidents


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else ""


def gather(settings: Settings, config_path: str | None) -> Status:
    store = Store.open(settings.database_url)
    status = Status(settings.safe_database_url, current_revision(store.engine))
    last = runlog.latest(store)
    next_runs = stored_next_runs(store.engine)
    specs = job_specs(settings, config_path)
    for spec in specs:
        run = last.get(spec.id)
        status.jobs.append(
            [
                spec.id,
                spec.schedule,
                f"{_when(run.started_at)} {run.status}" if run else "never",
                run.message if run else "",
                _when(next_runs[spec.id]) if spec.id in next_runs else "(scheduler not started)",
            ]
        )
    for job, run in sorted(last.items()):
        if job not in {spec.id for spec in specs}:
            status.jobs.append([job, "by hand", f"{_when(run.started_at)} {run.status}", run.message, ""])
    status.running = [
        [lease.name, lease.holder, _when(lease.acquired_at), _when(lease.expires_at)] for lease in held(store)
    ]
    rows = store.source_rows()
    for source in settings.sources.values():
        row = rows.get(source.key)
        status.sources.append(
            [
                source.key,
                "yes" if source.enabled else "no",
                row.health if row else "unknown",
                _when(row.last_success_at) if row and row.last_success_at else "never",
                row.health_reason if row else "",
            ]
        )
    with store.session() as session:
        status.deliveries = Counter(
            dict(session.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)).all())
        )
        waiting = select(DeliveryRow).where(DeliveryRow.status != "sent").order_by(DeliveryRow.id.desc()).limit(20)
        status.undelivered = [
            [d.id, d.recipient, d.status, d.attempts, _when(d.next_attempt_at), d.error]
            for d in session.scalars(waiting)
        ]
    status.incidents = [[i.key, _when(i.opened_at), i.summary] for i in open_incidents(store)]
    gather_queue(status, store, settings.queue.stalled_after_s)
    return status


STATES = {"todo": "waiting", "doing": "running", "failed": "failed"}


def gather_queue(status: Status, store: Store, stalled_after_s: float) -> None:
    jobs = queued_jobs(store)
    if jobs is not None:
        status.queue = [
            [job.id, job.key, STATES.get(job.status, job.status), job.worker or "", job.attempts, _when(job.since),
             job.why]
            for job in jobs
        ]  # fmt: skip
    known = workers(store, stalled_after_s)
    if known is not None:
        status.workers = [
            [w.name or f"worker {w.id}", "alive" if w.alive else "silent (dead?)", f"{w.last_heartbeat:%Y-%m-%d %H:%M:%S}",
             f"{w.running}/{w.concurrency or '?'}", w.queues or "all"]
            for w in known
        ]  # fmt: skip
