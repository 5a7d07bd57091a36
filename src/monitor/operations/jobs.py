"""Jobs that the CLI, cron and the scheduler run: each takes settings and the time it runs at.

A crawl holds a lease on each of its sources and a digest job the `digest` lease, so a manual run
and a scheduled one never overlap; each run is recorded and ends with the alert pass."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from monitor.crawling.runner import CrawlResult, run_crawls
from monitor.operations.alerts import raise_alerts
from monitor.reporting.content import build_digest, source_health
from monitor.reporting.delivery import DeliveryReport, send_due, write_outbox
from monitor.reporting.editions import Edition, issue_edition, write_pdf
from monitor.reporting.files import replace_whole
from monitor.reporting.render import render_html
from monitor.reporting.selection import DigestError
from monitor.reporting.subscriptions import audiences
from monitor.settings.config import Settings
from monitor.settings.sources import Source
from monitor.storage import job_runs as runlog
from monitor.storage.filing import file_stories
from monitor.storage.job_runs import close_interrupted_crawls
from monitor.storage.leases import Busy, Lease
from monitor.storage.models import CrawlRunRow
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy

logger = logging.getLogger(__name__)


def write_digest(
    settings: Settings, since: date, until: date, now: datetime, output: Path | None = None, keep_html: bool = False
) -> tuple[Path, int]:
    """A one-off digest of the releases published in [since, until]: nothing is recorded or sent.
    Returns the PDF's path and how many stories it lists."""
    store = Store.open(settings.database_url)
    file_stories(store, now)  # whatever stored releases last, the digest sees them in stories
    digest = build_digest(
        store.stories(since, until),
        settings.sources,
        load_taxonomy(settings.taxonomy_path),
        since,
        until,
        now,
        health=source_health(settings.sources, store.source_rows()),
    )
    html = render_html(digest, settings.templates_dir)
    path = write_pdf(html, output or settings.reports_dir / f"digest-{since.isoformat()}-{until.isoformat()}.pdf")
    if keep_html:
        replace_whole(path.with_suffix(".html"), html.encode("utf-8"))
    return path, digest.total


@dataclass
class DigestJobResult:
    editions: list[tuple[Edition, bool]] = field(default_factory=list)  # (issue, created now)
    deliveries: list[DeliveryReport] = field(default_factory=list)
    outbox: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # issues that could not be made, and why

    @property
    def failed(self) -> list[DeliveryReport]:
        return [d for d in self.deliveries if d.status != "sent"]


def digest_job(
    settings: Settings,
    names: list[str],
    now: datetime,
    send: bool = False,
    dry_run: bool = False,
    trigger: str = "manual",
    wait: float = 0.0,
    outbox: Path | None = None,
    job: str | None = None,
    queue_job: int | None = None,
    store: Store | None = None,
    subscribers: bool = False,
) -> DigestJobResult:
    """Issue each named digest for its latest period (once), and with `subscribers` the issue of
    every subscribers' filter set that is due, then send what is due, or write it to the outbox
    on a dry run. Failed deliveries of earlier issues are retried here too. Raises Busy if
    another process is issuing or sending digests."""
    store = store or Store.open(settings.database_url)
    result = DigestJobResult()
    job = job or "digest:" + (",".join(names + ["subscribers"] * subscribers) or "retry")
    lease = Lease(store, ["digest"], timedelta(seconds=settings.schedule.lease_ttl_s), wait)
    with recorded(settings, store, job, trigger, now, queue_job) as run, lease:
        if names or subscribers:
            taxonomy = load_taxonomy(settings.taxonomy_path)
            file_stories(store, now)  # what the crawls stored last is in stories before selecting
            found = audiences(settings, store, now)
            chosen = [found[settings.digest(name).name] for name in names]
            chosen += [a for a in found.values() if subscribers and a.is_filter_set]
            for audience in chosen:
                try:
                    result.editions.append(issue_edition(settings, store, taxonomy, audience, now))
                except DigestError as exc:  # one subscriber's bad filter must not stop the others
                    if not audience.is_filter_set:
                        raise
                    result.problems.append(f"{audience.definition.name}: {exc}")
        if dry_run:
            result.outbox = write_outbox(settings, store, now, outbox)
        elif send:
            result.deliveries = send_due(settings, store, now)
        run.fail_if(result.failed, f"{len(result.failed)} delivery(ies) not sent")
        run.fail_if(result.problems, "; ".join(result.problems))
    return result


def crawl_job(
    settings: Settings,
    sources: Sequence[Source],
    now: datetime,
    *,
    job: str = "crawl:manual",
    trigger: str = "manual",
    mode: str = "incremental",
    since: date | None = None,
    jobs: int | None = None,
    wait: float = 0.0,
    on_progress: Callable[[dict[str, CrawlRunRow]], None] | None = None,
    file_after: bool = True,
    queue_job: int | None = None,
    store: Store | None = None,
) -> list[CrawlResult]:
    """Crawl the sources while holding a lease on each (all or none). Raises Busy if another
    process is crawling any of them. Without `file_after` the story pass is left to the caller
    (a queued crawl asks for one story pass job, however many crawls end at once). A worker
    passes its `store`: one engine for all its jobs."""
    store = store or Store.open(settings.database_url)
    lease = Lease(store, [f"crawl:{s.key}" for s in sources], timedelta(seconds=settings.schedule.lease_ttl_s), wait)
    with recorded(settings, store, job, trigger, now, queue_job) as run, lease:
        for source in sources:
            close_interrupted_crawls(store, source.key, now)
        results = run_crawls(
            settings,
            sources,
            store,
            mode=mode,
            since=since,
            jobs=jobs,
            on_progress=on_progress,
            assign_stories=file_after,
        )
        # the reason of each, so that status and alerts say why without opening the logs
        failed = [f"{r.source} ({r.message})" if r.message else r.source for r in results if r.status == "failed"]
        run.fail_if(failed, f"failed: {'; '.join(failed)}")
    return results


@dataclass
class RecordedRun:
    status: str = "ok"
    message: str = ""

    def fail_if(self, condition: object, message: str) -> None:
        if condition:
            self.status, self.message = "failed", message


@contextmanager
def recorded(
    settings: Settings, store: Store, job: str, trigger: str, now: datetime, queue_job: int | None = None
) -> Iterator[RecordedRun]:
    """Record the run of a job, whatever happens in it, then raise or close alerts."""
    run_id = runlog.start(store, job, trigger, now, queue_job)
    outcome = RecordedRun()
    try:
        yield outcome
    except Busy as exc:  # another process runs it: not a failure
        outcome.status, outcome.message = "busy", str(exc)
        raise
    except BaseException as exc:
        outcome.fail_if(True, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        runlog.finish(store, run_id, outcome.status, outcome.message, datetime.now(UTC))
        try:
            raise_alerts(settings, store, datetime.now(UTC))
        except Exception:  # alerting must never hide what the job itself did
            logger.exception("the alert pass failed")
