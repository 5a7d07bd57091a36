"""The store worker beside a crawl: everything handed over is stored, also when the crawl dies."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from twisted.internet.task import Clock

from monitor.crawling.extract.listing import ListingEntry
from monitor.crawling.fetched import FetchedPage
from monitor.crawling.store_worker import BUNDLE_SECONDS, Finish, Progress, StoreWorker
from monitor.records import CrawlProblem, RawRelease
from monitor.storage.store import Store
from scrapers.pipelines import StorePipeline
from tests.hostile import documents
from tests.waiting import wait_for


def release(number: int) -> RawRelease:
    return RawRelease(
        source="osce_astana", url=f"https://astana.osce.org/node/{700000 + number}", native_id=str(700000 + number),
        title=f"Release {number} on the courts of Kazakhstan", text=f"Judges met in Astana for meeting {number}.",
        dates=[("meta", "2026-01-05")], listing_fingerprint=f"fp{number}",
    )  # fmt: skip


def test_worker_stores_everything_and_reports_counts(settings) -> None:
    store = Store.open(settings.database_url)
    run_id = store.start_run("osce_astana", "incremental", datetime.now(UTC))
    worker = StoreWorker(settings, settings.sources["osce_astana"], run_id)
    for number in range(120):
        worker.put(release(number))
    worker.put(release(0))  # the same release again in the same crawl
    worker.put(CrawlProblem("osce_astana", "https://astana.osce.org/node/1", "http", "HTTP 500"))
    finish = Finish(Progress(pages=130, errors=1), unchanged=4, fatal=[], reason="finished")
    assert worker.close(finish) == {"new": 120, "unchanged": 1, "items": 121}
    assert store.counts()["releases"] == 120
    run = store.run(run_id)  # closed by the worker: the crawl process never opens the database
    assert (run.pages, run.new, run.unchanged, run.errors, run.items) == (130, 120, 5, 1, 121)
    assert (run.status, run.message, run.field_gaps) == ("partial", "1 problem(s) recorded", "{}")
    assert [p.url for p in run.problems] == ["https://astana.osce.org/node/1"]
    assert len(store.seen_entries("osce_astana")) == 120


def test_one_release_that_cannot_be_normalized_is_reported_and_the_others_stored(settings) -> None:
    from dataclasses import replace

    store = Store.open(settings.database_url)
    run_id = store.start_run("osce_astana", "incremental", datetime.now(UTC))
    worker = StoreWorker(settings, settings.sources["osce_astana"], run_id)
    worker.put(release(1))
    # a port out of range: no crawl fetches such a page, but nothing in the worker may trust that
    bad = replace(release(2), url="https://astana.osce.org:99999/node/700002", canonical_url=None, native_id=None)
    worker.put(bad)
    worker.put(release(3))
    worker.close(Finish(Progress(pages=3, errors=0), unchanged=0, fatal=[], reason="finished"))
    assert store.counts()["releases"] == 2
    (problem,) = store.run(run_id).problems
    assert problem.url == bad.url and "not stored" in problem.message


ARTICLE = (
    "<html lang='en'><head><title>{title} | OSCE</title></head><body><main><h1>{title}</h1>{dated}"
    "<p>Judges of the regional courts met in Astana to discuss the new code of judicial ethics and the"
    " selection of judges. The programme office supported the meeting with international experts.</p>"
    "<p>The participants agreed on recommendations for the Supreme Court, on legal aid and probation.</p>"
    "</main></body></html>"
)


def page(number: int, dated: bool = True, body: bytes | None = None) -> FetchedPage:
    url = f"https://astana.osce.org/news/programme-office-astana/{700000 + number}"
    title = f"Judges discuss ethics in Astana, meeting {number}"
    html = ARTICLE.format(title=title, dated="<p class='date'>5 January 2026</p>" if dated else "")
    entry = ListingEntry(url, str(700000 + number), title, teaser=f"Teaser {number}")
    return FetchedPage(url, body or html.encode(), "utf-8", "2026-01-06T10:00:00+00:00", entry, f"fp{number}", "https://astana.osce.org/news")


def test_worker_reads_the_pages_the_crawl_hands_over(settings, monkeypatch) -> None:
    """The crawl process hands its article pages over unread; the worker reads them as the crawl
    would have, and what it meets counts as the crawl's problems do. A page that breaks the
    reading loses that page only, its listing entry standing in."""
    from monitor.crawling import store_worker

    broken = page(3).url

    def reading(fetched, source, *more):  # a fault no page should cause, in the forked worker
        if fetched.url == broken:
            raise ValueError("a fault in the reading")
        return read_fetched(fetched, source, *more)

    read_fetched = store_worker.read_fetched
    monkeypatch.setattr(store_worker, "read_fetched", reading)
    store = Store.open(settings.database_url)
    run_id = store.start_run("osce_astana", "incremental", datetime.now(UTC))
    worker = StoreWorker(settings, settings.sources["osce_astana"], run_id)
    for fetched in (page(1), page(2, dated=False), page(3)):
        worker.put(fetched)
    counts = worker.close(Finish(Progress(pages=3, errors=0), unchanged=0, fatal=[], reason="finished"))
    assert (counts["new"], counts["errors"]) == (3, 2)
    by_url = {r.url: r for r in store.releases()}
    assert by_url[page(1).url].published.isoformat() == "2026-01-05"
    assert "code of judicial ethics" in by_url[page(1).url].text
    assert by_url[page(2).url].published is None and "code of judicial ethics" in by_url[page(2).url].text
    assert by_url[broken].text == "Teaser 3"  # the listing entry stands in
    run = store.run(run_id)
    assert run.errors == 2 and run.status == "partial"
    assert sorted((p.url, p.kind) for p in run.problems) == [(page(2).url, "missing-date"), (broken, "parse")]
    assert "ValueError: a fault in the reading" in next(p.message for p in run.problems if p.url == broken)
    # not fingerprinted: the next crawl fetches the broken page's article again
    assert set(store.seen_entries("osce_astana")) == {"osce:700001", "osce:700002"}


def test_a_page_read_past_its_time_limit_in_the_worker_is_given_up(settings) -> None:
    """The document time limit holds in the worker's process too (its main thread gets the alarm)."""
    from dataclasses import replace

    source = settings.sources["osce_astana"]
    # 1 s: the page of 2 MB takes seconds; the first page, the libraries' import too, a tenth of one
    source = replace(source, limits=replace(source.limits, document_seconds=1.0))
    store = Store.open(settings.database_url)
    run_id = store.start_run("osce_astana", "incremental", datetime.now(UTC))
    worker = StoreWorker(settings, source, run_id)
    worker.put(page(2))
    worker.put(page(1, body=documents.nested_meta_page(depth=150, megabytes=2)))
    worker.close(Finish(Progress(pages=2, errors=0), unchanged=0, fatal=[], reason="finished"))
    (problem,) = store.run(run_id).problems
    assert (problem.url, problem.kind) == (page(1).url, "limit") and "document_seconds" in problem.message
    texts = {r.url: r.text for r in store.releases()}
    assert texts[page(1).url] == "Teaser 1" and "code of judicial ethics" in texts[page(2).url]


def test_worker_commits_and_exits_when_the_crawl_process_is_killed(settings, tmp_path: Path) -> None:
    store = Store.open(settings.database_url)
    run_id = store.start_run("osce_astana", "incremental", datetime.now(UTC))
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        from monitor.settings.config import load_settings
        from monitor.crawling.store_worker import StoreWorker
        from tests.integration.test_store_worker import release
        settings = load_settings()
        worker = StoreWorker(settings, settings.sources["osce_astana"], {run_id})
        for number in range(30):
            worker.put(release(number))
        print(worker.process.pid, flush=True)
        worker.hand_over(); worker.inbox.close(); worker.inbox.join_thread()  # everything is in the pipe
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, check=False)
    assert child.returncode == -9, child.stderr
    worker_pid = int(child.stdout.split()[0])
    try:
        exited = os.pidfd_open(worker_pid)  # readable once the orphaned worker has exited
    except ProcessLookupError:
        pass  # already gone
    else:
        readable, _, _ = select.select([exited], [], [], 30)
        os.close(exited)
        assert readable, "the store worker outlived its crawl process"
    assert store.counts()["releases"] == 30


def test_the_crawls_pipeline_hands_a_part_bundle_over_on_its_clock(settings) -> None:
    """On a slow crawl a bundle is not waited for until it is full: the pipeline hands it over
    every BUNDLE_SECONDS (Twisted's clock, driven here by hand)."""
    store = Store.open(settings.database_url)
    run_id = store.start_run("osce_astana", "incremental", datetime.now(UTC))
    pipeline = StorePipeline(crawler=None)  # type: ignore[arg-type]  # no crawler needed to hand over
    pipeline.worker = StoreWorker(settings, settings.sources["osce_astana"], run_id)
    pipeline.hand_over_loop.clock = clock = Clock()
    pipeline.hand_over_loop.start(BUNDLE_SECONDS, now=False)
    pipeline._put(release(1))
    assert len(pipeline.worker.bundle) == 1  # less than a bundle: kept
    clock.advance(BUNDLE_SECONDS)
    assert pipeline.worker.bundle == []
    assert wait_for(lambda: store.counts()["releases"], timeout=20) == 1  # the worker commits every BATCH_SECONDS
    pipeline.hand_over_loop.stop()
    pipeline.worker.close(Finish(Progress(pages=1, errors=0), unchanged=0, fatal=[], reason="finished"))
