"""Hostile-input benchmark: each hostile document of tests/hostile/documents.py through the
spider's real callback (or an import through `monitor ingest`'s path), each in a child process
under a 3 GiB address-space limit and a time limit. Prints, per case, the wall time, the child's
peak memory and what came out (problems recorded, releases kept). The last line is one JSON
object: {"cases", "slowest_s", "largest_peak_mb", "per_case": {name: [seconds, peak_mb]}}.

    .venv/bin/python bench/hostile.py [--timeout 150] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile import documents  # noqa: E402 -- the generators the tests use

LIMIT_MB = 3072


def spider(source: str) -> Any:
    from scrapers.spiders.base import ReleaseSpider
    from tests.conftest import spider_for  # made as `scrapy crawl` makes it: settings applied after

    return spider_for(ReleaseSpider, source=source)


def response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> Any:
    from scrapy.http import HtmlResponse, Request, TextResponse

    kind = HtmlResponse if "html" in content_type else TextResponse
    return kind(url, body=body, headers={"Content-Type": content_type}, request=Request(url))


def outcome(output: list[Any]) -> str:
    from monitor.records import CrawlProblem, RawRelease

    problems = [f"{o.kind}: {o.message[:70]}" for o in output if isinstance(o, CrawlProblem)]
    releases = [o for o in output if isinstance(o, RawRelease)]
    requests = len(output) - len(problems) - len(releases)
    kept = f"{len(releases)} release(s), {max((len(r.text) for r in releases), default=0):,} chars"
    return "; ".join([*problems[:2], kept, f"{requests} request(s)"])


def pdf_case(make: Callable[[], bytes]) -> Callable[[], str]:
    def run() -> str:
        from monitor.records import RawRelease

        stand_in = RawRelease(source="lprc", url="https://lprc.kz/en/news/x/", title="X", text="Post text.")
        url = "https://lprc.kz/wp-content/uploads/2025/03/release.pdf"
        return outcome(list(spider("lprc").parse_pdf(response(url, make(), "application/pdf"), stand_in)))

    return run


def article_case(make: Callable[[], bytes]) -> Callable[[], str]:
    def run() -> str:
        url = "https://www.undp.org/kazakhstan/press-releases/hostile"
        return outcome(list(spider("undp_kazakhstan").parse_article(response(url, make()))))

    return run


def listing_case() -> str:
    page = response("https://www.undp.org/kazakhstan/news", documents.link_listing(100_000))
    return outcome(list(spider("undp_kazakhstan").parse_listing(page, page=0)))


def feed_case() -> str:
    page = response("https://newscentralasia.net/feed/", documents.atom_feed(200_000), "application/atom+xml")
    return outcome(list(spider("newscentralasia").parse_feed(page)))


def import_case() -> str:
    from monitor.crawling.ingest import import_jsonl
    from monitor.settings.config import load_settings
    from monitor.storage.store import Store
    from monitor.understanding.classify import load_taxonomy

    lines = [
        json.dumps({"url": f"https://www.osce.org/odihr/{900000 + n}", "source": "osce_odihr", "published": "2025-03-14",
                    "title": f"Trial monitoring report {n}", "text": f"Report {n}. ODIHR monitored trials in courts. " * 8})
        for n in range(500)
    ]  # fmt: skip
    lines[299] = json.dumps({"url": "https://www.osce.org:99999/x/1", "title": "x", "text": "y"})
    settings = load_settings()
    store = Store.open(settings.database_url)
    report = import_jsonl([line.encode() for line in lines], settings, store, load_taxonomy())
    return f"{len(report.skipped)} line(s) skipped; {store.counts()['releases']} of 499 good lines stored"


CASES: dict[str, Callable[[], str]] = {
    "pdf: 2,000 scattered text runs (69 KB)": pdf_case(lambda: documents.scattered_runs(2_000)),
    "pdf: inflates to 1 GiB (1 MB)": pdf_case(lambda: documents.inflation_bomb(1024)),
    "pdf: 20,000 pages (6.5 MB)": pdf_case(lambda: documents.many_pages(20_000)),
    "pdf: cross-reference loop": pdf_case(documents.xref_loop),
    "html: 250 nested div.meta around 2 MB": article_case(lambda: documents.nested_meta_page(250, 2)),
    "html: 9 MB date in meta and <time>": article_case(lambda: documents.huge_date_page(9)),
    "html: one tag of 200,000 attributes (2 MB)": article_case(lambda: documents.crowded_tag_page(200_000)),
    "html: 50 MB page": article_case(lambda: documents.nested_meta_page(1, 50)),
    "listing: 100,000 links": listing_case,
    "feed: 200,000 items": feed_case,
    "import: 500 lines, line 300 bad": import_case,
}


def child(name: str, send: Any) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_MB << 20, LIMIT_MB << 20))
    started = time.monotonic()
    try:
        result = CASES[name]()
    except BaseException as exc:
        result = f"{type(exc).__name__}: {str(exc)[:80]}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    send.send((time.monotonic() - started, peak, result))


def measure(name: str, timeout: float) -> tuple[float, float, str]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(name, send))
    started = time.monotonic()
    process.start()
    send.close()
    if not receive.poll(timeout):
        process.kill()
        process.join()
        return time.monotonic() - started, float("nan"), f"still running after {timeout:.0f} s: killed"
    seconds, peak, result = receive.recv()
    process.join()
    return seconds, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=150.0, help="seconds a case may run (default 150)")
    parser.add_argument("--only", nargs="*", default=[], help="cases whose name contains one of these words")
    args = parser.parse_args()
    os.environ["MONITOR_HOME"] = tempfile.mkdtemp(prefix="hostile-bench-")
    figures = {}
    for name in CASES:
        if args.only and not any(word in name for word in args.only):
            continue
        seconds, peak, result = measure(name, args.timeout)
        figures[name] = [round(seconds, 2), round(peak, 1)]
        print(f"{name:42} {seconds:7.2f} s {peak:8.1f} MB  {result}", flush=True)
    slowest = max(s for s, _ in figures.values())
    largest = max((m for _, m in figures.values() if m == m), default=float("nan"))
    print(json.dumps({"cases": len(figures), "slowest_s": slowest, "largest_peak_mb": largest, "per_case": figures}))


if __name__ == "__main__":
    main()
