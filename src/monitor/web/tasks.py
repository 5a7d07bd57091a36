"""Crawls and digests started from the web view: the same jobs as `monitor crawl` and `monitor
digest` (leases, run records, alerts), each in a thread of the server, whose crawl children are
`scrapy crawl` processes as ever. A request learns at once whether its job started or who holds
the lease; the pages then follow it through the run records."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from monitor.operations.jobs import crawl_job, digest_job
from monitor.operations.queue import Enqueued, request_crawl
from monitor.settings.config import Settings
from monitor.settings.sources import Source
from monitor.settings.subscribers import EVERY_SUBSCRIBER
from monitor.storage.engine import as_utc
from monitor.storage.leases import Busy, held
from monitor.storage.models import CrawlRunRow
from monitor.storage.store import Store

logger = logging.getLogger(__name__)
START_TIMEOUT_S = 60.0  # a crawl's children are started within a second or two; this is a safety net


@dataclass
class Started:
    job: str
    runs: dict[str, int] = field(default_factory=dict)  # source -> crawl run id
    queued: dict[str, Enqueued] = field(default_factory=dict)  # source -> its job, when workers crawl


@dataclass(frozen=True)
class Finished:
    at: datetime
    job: str
    by: str
    outcome: str  # ok, failed, busy
    message: str


class Tasks:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings, self.store = settings, store
        self.recent: deque[Finished] = deque(maxlen=20)  # what this server ran lately, for the pages
        self._threads: list[threading.Thread] = []

    def _refuse_if_held(self, names: Sequence[str]) -> None:
        """Busy before starting anything when a lease is held: the holder's name goes back at once."""
        for lease in held(self.store):
            if lease.name in names:
                raise Busy(lease.name, lease.holder, as_utc(lease.expires_at))

    def _run(
        self, job: str, by: str, work: Callable[[], str], started: threading.Event, box: dict[str, object]
    ) -> None:
        outcome, message = "ok", ""
        try:
            message = work()
        except Busy as exc:
            outcome, message = "busy", str(exc)
            box["busy"] = exc
        except Exception as exc:  # recorded by the job itself too; the server goes on
            logger.exception("%s started by %s failed", job, by)
            outcome, message = "failed", f"{type(exc).__name__}: {exc}"
            box["error"] = exc
        finally:
            started.set()
            self.recent.appendleft(Finished(datetime.now(UTC), job, by, outcome, message))

    def _start(
        self, job: str, by: str, work: Callable[[], str], started: threading.Event, box: dict[str, object]
    ) -> None:
        thread = threading.Thread(target=self._run, args=(job, by, work, started, box), name=job, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def crawl(self, sources: Sequence[Source], by: str) -> Started:
        """Start a crawl of the sources; returns once its runs exist. Raises Busy with the holder.
        Where workers crawl (PostgreSQL), each source's crawl is queued for them instead: a crawl
        already waiting or running answers with its job."""
        self._refuse_if_held([f"crawl:{s.key}" for s in sources])  # a crawl running anyhow names its holder
        if self.settings.uses_queue:
            queued = {s.key: request_crawl(self.settings, s.key, trigger="web", store=self.store) for s in sources}
            self.recent.appendleft(Finished(datetime.now(UTC), "crawl:queue", by, "ok", "queued"))
            return Started("crawl:queue", queued=queued)
        started, box = threading.Event(), {}
        result = Started("crawl:web")

        def progress(runs: dict[str, CrawlRunRow]) -> None:
            if not started.is_set():
                result.runs = {key: run.id for key, run in runs.items()}
                started.set()

        def work() -> str:
            results = crawl_job(
                self.settings, sources, datetime.now(UTC), job="crawl:web", trigger="web", on_progress=progress
            )
            return ", ".join(f"{r.source}: {r.status}, {r.new} new, {r.updated} updated" for r in results)

        self._start("crawl:web", by, work, started, box)
        started.wait(START_TIMEOUT_S)
        if isinstance(box.get("busy"), Busy):
            raise box["busy"]  # type: ignore[misc]
        if "error" in box:
            raise RuntimeError(f"the crawl did not start: {box['error']}")
        return result

    def digest(self, names: list[str], send: bool, by: str) -> Started:
        """Issue the named digests (EVERY_SUBSCRIBER: every subscriber's own) and send what is due,
        through the digest lease."""
        self._refuse_if_held(["digest"])
        started, box = threading.Event(), {}
        job = "digest:" + (",".join(names) or "retry")
        subscribers = EVERY_SUBSCRIBER in names
        names = [n for n in names if n != EVERY_SUBSCRIBER]

        def work() -> str:
            now = datetime.now(UTC)
            result = digest_job(self.settings, names, now, send=send, trigger="web", subscribers=subscribers)
            issued = ", ".join(f"{e.definition.name}: {e.digest.total} stories" for e, _ in result.editions)
            sent = f"; {len(result.deliveries) - len(result.failed)} sent, {len(result.failed)} not" if send else ""
            return issued + sent

        self._start(job, by, work, started, box)
        started.wait(1.0)  # long enough to learn of a lease taken a moment ago; issuing takes longer
        if isinstance(box.get("busy"), Busy):
            raise box["busy"]  # type: ignore[misc]
        return Started(job)

    def join(self, timeout: float | None = None) -> None:
        for thread in self._threads:
            thread.join(timeout)
