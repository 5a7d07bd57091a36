"""`monitor schedule`: APScheduler 3.11 in the foreground, its jobs stored in the monitor's
database. Each job is the same function a CLI command runs (with its lease), so a scheduled run
and a manual one never overlap; crawls run in child processes with a time limit.

coalesce and a misfire grace of hours mean a scheduler that was down runs each missed job once
when it is back; a digest issue then covers the whole gap. Jobs are replaced on start from the
config (never duplicated), keeping the next run time they had."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, inspect, text

from monitor.operations.jobs import crawl_job, digest_job, recorded
from monitor.operations.queue import Enqueued, request_crawl, request_deliveries, request_digest
from monitor.settings.config import Settings, load_settings
from monitor.settings.subscribers import EVERY_SUBSCRIBER, digest_names
from monitor.storage import job_runs
from monitor.storage.engine import make_engine
from monitor.storage.leases import Busy, Lease
from monitor.storage.store import Store

logger = logging.getLogger(__name__)
JOBSTORE_TABLE = "apscheduler_jobs"


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., None]
    args: tuple[Any, ...]
    trigger: BaseTrigger
    schedule: str  # for people: "every 6 h", "0 0 * * mon (Asia/Almaty)"


def _now() -> datetime:
    return datetime.now(UTC)


# --- the jobs (module-level functions: the job store keeps them as "module:function") ----------
def scheduled_crawl(config_path: str | None, group_name: str) -> None:
    settings = load_settings(config_path=config_path)
    group = next(g for g in settings.schedule.crawl_groups if g.name == group_name)
    if settings.uses_queue:  # workers run them; the scheduler only keeps the clock
        queue_scheduled(
            settings,
            f"crawl:{group_name}",
            lambda store: [
                request_crawl(settings, s.key, trigger="schedule", store=store) for s in settings.group_sources(group)
            ],
        )
        return
    try:
        crawl_job(settings, settings.group_sources(group), _now(), job=f"crawl:{group_name}", trigger="schedule")
    except Busy as exc:
        logger.warning("crawl:%s skipped: %s", group_name, exc)


def scheduled_digest(config_path: str | None, name: str) -> None:
    settings = load_settings(config_path=config_path)
    if settings.uses_queue:
        queue_scheduled(
            settings, f"digest:{name}", lambda store: [request_digest(settings, name, trigger="schedule", store=store)]
        )
        return
    names, subscribers = digest_names(name)
    try:
        digest_job(settings, names, _now(), send=True, trigger="schedule", wait=60, subscribers=subscribers)
    except Busy as exc:
        logger.warning("digest:%s skipped: %s", name, exc)


def scheduled_retry(config_path: str | None) -> None:
    """Failed deliveries whose backoff is over go out again, and a scheduled issue skipped because
    another process held the digest lease (a manual digest, a long subscribers' run) is made."""
    settings = load_settings(config_path=config_path)
    if settings.uses_queue:
        queue_scheduled(
            settings, "deliveries:retry", lambda store: [request_deliveries(settings, trigger="schedule", store=store)]
        )
        return
    store = Store.open(settings.database_url)
    last = job_runs.latest(store)
    for name in settings.digests:  # an issue skipped at its boundary, the digest lease being held: now
        if (run := last.get(f"digest:{name}")) is not None and run.status == "busy":
            with contextlib.suppress(Busy):
                digest_job(settings, [name], _now(), send=True, trigger="schedule", job=f"digest:{name}", store=store)
    with contextlib.suppress(Busy):  # a digest is being sent right now; it retries what is due itself
        digest_job(settings, [], _now(), send=True, trigger="schedule", job="deliveries:retry", store=store)


def queue_scheduled(settings: Settings, job: str, request: Callable[[Store], list[Enqueued]]) -> None:
    """Queue a scheduled job's work for the workers, recorded as the job's run (what was queued,
    what was already there); the runs of the queued jobs are recorded by the workers."""
    store = Store.open(settings.database_url)
    with recorded(settings, store, job, "schedule", _now()) as run:
        answers = request(store)
        run.message = "; ".join(f"{a.key}: {a.describe()}" for a in answers)


def job_specs(settings: Settings, config_path: str | None) -> list[JobSpec]:
    specs = [
        JobSpec(
            f"crawl:{group.name}",
            scheduled_crawl,
            (config_path, group.name),
            IntervalTrigger(seconds=group.every_hours * 3600, timezone=UTC),
            f"every {group.every_hours:g} h",
        )
        for group in settings.schedule.crawl_groups
    ]
    specs += [
        JobSpec(
            f"digest:{name}",
            scheduled_digest,
            (config_path, name),
            definition.trigger(),
            f"{definition.cron} ({definition.timezone})",
        )
        for name, definition in settings.digests.items()
    ]
    minutes = settings.schedule.subscribers_minutes
    specs.append(
        JobSpec(
            f"digest:{EVERY_SUBSCRIBER}",
            scheduled_digest,
            (config_path, EVERY_SUBSCRIBER),
            IntervalTrigger(seconds=minutes * 60, timezone=UTC),
            f"every {minutes:g} min (each subscriber's period)",
        )
    )
    minutes = settings.schedule.retry_deliveries_minutes
    specs.append(
        JobSpec(
            "deliveries:retry",
            scheduled_retry,
            (config_path,),
            IntervalTrigger(seconds=minutes * 60, timezone=UTC),
            f"every {minutes:g} min",
        )
    )
    return specs


def stored_next_runs(engine: Engine) -> dict[str, datetime | None]:
    """Each stored job's next run time, read without starting a scheduler."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(JOBSTORE_TABLE):
            return {}
        rows = connection.execute(text(f"SELECT id, next_run_time FROM {JOBSTORE_TABLE}"))
        return {job: datetime.fromtimestamp(when, UTC) if when is not None else None for job, when in rows}


def build_scheduler(settings: Settings, config_path: str | None, now: datetime) -> BackgroundScheduler:
    engine = make_engine(settings.database_url)
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(settings.schedule.misfire_grace_hours * 3600),
        },
        timezone=UTC,
    )
    previous = stored_next_runs(engine)
    for spec in job_specs(settings, config_path):
        kept = previous.get(spec.id)
        extra = {}
        if kept is not None:  # keep the job's clock; a run missed while down happens once, now
            # unless its schedule was changed to come sooner (weekly to daily, 24-hourly to hourly)
            sooner = spec.trigger.get_next_fire_time(None, now)
            extra["next_run_time"] = max(min(kept, sooner) if sooner else kept, now)
        scheduler.add_job(
            spec.func, spec.trigger, args=spec.args, id=spec.id, name=spec.id, replace_existing=True, **extra
        )
    return scheduler


def _log_event(event: JobExecutionEvent, out: TextIO) -> None:
    when = f"{_now():%Y-%m-%d %H:%M:%S}"
    if event.code == EVENT_JOB_MISSED:
        print(f"{when} {event.job_id}: run of {event.scheduled_run_time} missed", file=out, flush=True)
    elif event.exception is not None:
        print(f"{when} {event.job_id}: failed: {event.exception!r}", file=out, flush=True)
    else:
        print(f"{when} {event.job_id}: done", file=out, flush=True)


def run_scheduler(
    settings: Settings, config_path: str | None, stop: threading.Event | None = None, out: TextIO = sys.stderr
) -> int:
    """Run until SIGTERM, SIGINT or `stop`; then let running jobs finish and return. One
    scheduler per database: a second one raises Busy (its jobs would all run twice)."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    ttl = timedelta(seconds=settings.schedule.lease_ttl_s)
    with Lease(Store.open(settings.database_url), ["scheduler"], ttl):
        scheduler = build_scheduler(settings, config_path, _now())
        scheduler.add_listener(lambda e: _log_event(e, out), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
        scheduler.start()
        wanted = {spec.id for spec in job_specs(settings, config_path)}
        for job in scheduler.get_jobs():
            if job.id not in wanted:  # a group or digest removed from the config
                job.remove()
        print(f"scheduler started with {len(wanted)} jobs (database {settings.safe_database_url}):", file=out)
        for job in sorted(scheduler.get_jobs(), key=lambda j: j.id):
            print(f"  {job.id:24} next run {job.next_run_time:%Y-%m-%d %H:%M:%S %Z}", file=out, flush=True)
        while not stop.wait(1.0):
            pass
        print("stopping: waiting for running jobs to finish …", file=out, flush=True)
        scheduler.shutdown(wait=True)
    print("scheduler stopped", file=out, flush=True)
    return 0
