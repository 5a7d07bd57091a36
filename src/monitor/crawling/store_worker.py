"""A process beside each crawl that reads the article pages the crawl fetched, normalizes, tags
and stores what it delivers, and records the run's counts and verdict: the crawl process itself
never opens the database.

Scrapy runs on one core; reading a page, and normalizing, tagging and writing a release, each
cost about as much as fetching it. Doing that work in a second process lets fetching go on
meanwhile, and the database layer is imported there, after the fork, instead of delaying the
first request.
The crawl hands messages over in bundles (one pickle and one pipe write for many: a message at a
time, the queue's thread cost the crawl process a tenth of its time) and the worker commits in
batches; if the crawl process dies, the worker commits what it has and exits, so the store stays
consistent and the next crawl fetches what was never recorded."""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from monitor.crawling.fetched import FetchedPage, listing_only, read_fetched
from monitor.crawling.verdict import run_verdict
from monitor.records import CrawlProblem, RawRelease, RunCounts, SkippedPage
from monitor.settings.config import Settings
from monitor.settings.sources import Source

logger = logging.getLogger(__name__)
BATCH_ITEMS = 50
BATCH_SECONDS = 2.0
BUNDLE_MESSAGES = 25  # handed over together on a fast crawl
BUNDLE_BYTES = 1_000_000  # or pages of this size together: pages waiting in the queue stay bounded
BUNDLE_SECONDS = 0.5  # on a slow (polite) one, the crawl hands its bundle over this often (hand_over)
QUEUED_BUNDLES = 40  # back-pressure: fetching waits while this many bundles are not yet stored


@dataclass(frozen=True)
class Progress:
    """What only the crawl process knows: pages fetched and problems met so far."""

    pages: int
    errors: int


@dataclass(frozen=True)
class Finish:
    """The crawl is over: what the verdict needs from the crawl process."""

    progress: Progress
    unchanged: int  # releases the crawl skipped as known (listings, 304s)
    fatal: list[str]  # problems that fail the source
    reason: str  # Scrapy's finish reason


def serve(inbox: Any, outbox: Any, settings: Settings, source: Source, run_id: int, mode: str, parent_pid: int) -> None:
    os.nice(10)  # fetching is the critical path; storing catches up from the queue
    from monitor.crawling.ingest import Ingestor, store_batch
    from monitor.storage.store import Store
    from monitor.understanding.classify import load_taxonomy

    store = Store.open(settings.database_url)
    if not run_id:  # a crawl started by hand (`scrapy crawl`), not by `monitor crawl`
        store.sync_sources([source])
        run_id = store.start_run(source.key, mode, datetime.now(UTC))
    progress = Progress(0, 0)
    finish: Finish | None = None
    last_commit = time.monotonic()
    with store.session() as session:
        ingestor = Ingestor(store, session, load_taxonomy(settings.taxonomy_path), settings.host_aliases)

        def refused(url: str, why: str) -> None:  # the others of its batch are stored
            store.add_problem(session, run_id, CrawlProblem(source.key, url, "store", why), datetime.now(UTC))
            ingestor.counts["refused"] += 1

        def store_message(message: Any) -> None:
            nonlocal progress
            if isinstance(message, RawRelease):
                try:
                    ingestor.add(message, source)
                except Exception as exc:  # one release that cannot be read loses that release only
                    why = f"not stored: {type(exc).__name__}: {exc}"[:300]
                    store.add_problem(
                        session, run_id, CrawlProblem(source.key, message.url, "store", why), datetime.now(UTC)
                    )
            elif isinstance(message, CrawlProblem):
                store.add_problem(session, run_id, message, datetime.now(UTC))
            elif isinstance(message, SkippedPage):
                store.skip_page(session, run_id, message, datetime.now(UTC))
            elif isinstance(message, Progress):
                progress = message

        def commit() -> None:
            nonlocal last_commit
            store_batch(ingestor, session, [release.url for release, _, _ in ingestor.batch], refused)
            store.set_run_counts(session, run_id, run_counts(ingestor.tally(), progress))
            session.commit()
            last_commit = time.monotonic()

        bundle: list[Any] = []
        while True:
            try:
                if not bundle:
                    bundle = inbox.get(timeout=0.5)
                message = bundle.pop(0)
            except queue.Empty:
                if os.getppid() != parent_pid:  # the crawl process died without saying stop
                    logger.warning("crawl process %d is gone; committing and exiting", parent_pid)
                    break
                message = None
            if isinstance(message, Finish):
                finish, progress = message, message.progress
                break
            if isinstance(message, FetchedPage):
                for item in read_handed_over(message, source):
                    # what the crawl process counts of the messages it hands over itself
                    ingestor.counts["errors"] += isinstance(item, CrawlProblem)
                    if isinstance(item, SkippedPage):
                        ingestor.counts["skipped"] += 1
                        logger.info("[%s] not a release, skipped: %s (%s)", item.source, item.url, item.reason)
                    store_message(item)
            else:
                store_message(message)
            if len(ingestor.batch) >= BATCH_ITEMS or time.monotonic() - last_commit > BATCH_SECONDS:
                commit()
        commit()
    if finish is not None:  # without it the crawl process died: the parent closes the run
        tally = ingestor.tally()
        counts = run_counts({**tally, "unchanged": tally.get("unchanged", 0) + finish.unchanged}, progress)
        with store.session() as session:
            store.set_run_counts(session, run_id, counts)
            session.commit()
        status, message = run_verdict(counts, finish.fatal, finish.reason)
        store.finish_run(run_id, status, message, datetime.now(UTC))
    store.engine.dispose()
    outbox.put(ingestor.tally())


def read_handed_over(page: FetchedPage, source: Source) -> list[RawRelease | CrawlProblem | SkippedPage]:
    """An article page read as the crawl process would read it; a page that breaks the reading
    loses that page only, its listing entry standing in."""
    try:
        return read_fetched(page, source).items()
    except Exception as exc:
        why = f"the page could not be read: {type(exc).__name__}: {exc}"[:300]
        logger.warning("[%s] parse at %s: %s", source.key, page.url, why)
        entry = [listing_only(source, page.entry, page.listing_url, page.fetched_at)] if page.entry else []
        return [CrawlProblem(source.key, page.url, "parse", why), *entry]


def run_counts(counts: dict[str, int], progress: Progress) -> RunCounts:
    gaps = {key.removeprefix("missing:"): n for key, n in counts.items() if key.startswith("missing:")}
    return RunCounts(
        pages=progress.pages,
        new=counts.get("new", 0),
        updated=counts.get("updated", 0),
        unchanged=counts.get("unchanged", 0),
        # the crawl's problems, the pages' read here, and the store's
        errors=progress.errors + counts.get("errors", 0) + counts.get("refused", 0),
        items=counts.get("items", 0),
        field_gaps=gaps,
    )


class StoreWorker:
    """The crawl side: hand items over, then close and collect the counts."""

    def __init__(self, settings: Settings, source: Source, run_id: int = 0, mode: str = "incremental") -> None:
        """`run_id` 0: the worker starts a run of its own, in `mode`."""
        # fork: the worker starts with everything already imported. It is forked before the
        # crawl's first request, when the process has no other threads, and opens its own
        # database connections.
        context = multiprocessing.get_context("fork")
        self.inbox = context.Queue(maxsize=QUEUED_BUNDLES)
        self.bundle: list[Any] = []
        self.bundle_bytes = 0
        self.outbox = context.Queue()
        self.process = context.Process(
            target=serve,
            args=(self.inbox, self.outbox, settings, source, run_id, mode, os.getpid()),
            name=f"store-{source.key}",
            daemon=True,
        )
        self.process.start()

    def put(self, message: RawRelease | CrawlProblem | SkippedPage | FetchedPage | Progress) -> None:
        """Hand a message over with the others of its bundle, once it is full; raises RuntimeError
        if the worker died."""
        self.bundle.append(message)
        self.bundle_bytes += len(message.body) if isinstance(message, FetchedPage) else 0
        if len(self.bundle) >= BUNDLE_MESSAGES or self.bundle_bytes >= BUNDLE_BYTES:
            self.hand_over()

    def hand_over(self) -> None:
        """Hand the bundle over, waiting while the worker catches up; raises RuntimeError if it
        died (a full queue would otherwise block the crawl's reactor for good)."""
        if not self.bundle:
            return
        bundle, self.bundle, self.bundle_bytes = self.bundle, [], 0
        while True:
            try:
                self.inbox.put(bundle, timeout=1.0)
                return
            except queue.Full:
                if not self.process.is_alive():
                    raise RuntimeError(f"the store worker died with exit code {self.process.exitcode}") from None

    def close(self, finish: Finish, timeout: float = 600.0) -> dict[str, int]:
        """Wait for everything handed over to be stored and the run closed; the outcome counts."""
        self.bundle.append(finish)
        self.hand_over()
        deadline = time.monotonic() + timeout
        while True:
            try:
                counts: dict[str, int] = self.outbox.get(timeout=1.0)
                break
            except queue.Empty:
                if not self.process.is_alive():  # it died (its traceback is in the crawl's log)
                    raise RuntimeError(f"the store worker died with exit code {self.process.exitcode}") from None
                if time.monotonic() > deadline:
                    self.process.kill()
                    raise RuntimeError(f"the store worker did not finish within {timeout:.0f} s") from None
        self.process.join(timeout=10)
        return counts
