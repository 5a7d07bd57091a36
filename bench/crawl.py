"""Crawl benchmark: a generated mirror of 2,000 releases (1,000 on each OSCE site generation)
served on 127.0.0.1, crawled by our spiders, pipelines and store, and by a bare Scrapy spider.

Prints (a) our full crawl's wall time divided by the bare spider's, measured in the same run (the
median of alternated rounds), and the same ratio of the crawl processes' CPU time; (b) the
requests of a second, incremental crawl of the unchanged mirror, per source; (c) peak memory of
the crawl processes. The last line is one JSON object.

    .venv/bin/python bench/crawl.py [--releases 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from monitor.crawling.runner import run_crawls
from monitor.demo.mirror import Mirror
from monitor.demo.site import SiteWriter, _prepare, add_article, add_legacy_listing, add_new_listing
from monitor.settings.config import load_settings
from monitor.storage.filing import file_stories
from monitor.storage.store import Store

LEGACY_BASE = "/press-releases?filters=%20im_taxonomy_vid_1%3A%2836%29"
SOURCES = ("osce_newsroom", "osce_astana")
WORDS = [
    "court",
    "judge",
    "judiciary",
    "reform",
    "justice",
    "legal",
    "aid",
    "prosecutor",
    "probation",
    "gender",
    "women",
    "equality",
    "violence",
    "police",
    "training",
    "seminar",
    "round",
    "table",
    "strategy",
    "ministry",
    "supreme",
    "constitutional",
    "access",
    "rights",
    "trial",
    "detention",
    "administration",
    "academy",
    "mentorship",
    "leadership",
    "regional",
    "co-operation",
    "project",
    "funding",
    "experts",
    "participants",
    "discussed",
    "agreed",
    "recommendations",
    "digital",
    "electronic",
    "evaluation",
    "performance",
    "ethics",
    "decisions",
    "appeal",
    "region",
    "Astana",
    "Bishkek",
    "Dushanbe",
    "Tashkent",
    "Almaty",
    "Kazakhstan",
    "Kyrgyzstan",
    "Tajikistan",
    "Uzbekistan",
    "Turkmenistan",
    "office",
]


def synthetic_releases(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    start = date(2026, 6, 1)
    releases = []
    for index in range(count):
        legacy = index % 2 == 0
        nid = str(700000 + index)
        day = start - timedelta(days=index // 4)
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(5)]
        releases.append({
            "key": nid, "nid": nid, "published": day.isoformat(), "lang": "en",
            "title": f"Release {index}: " + " ".join(rng.choice(WORDS) for _ in range(8)),
            "paragraphs": paragraphs,
            "site": "legacy" if legacy else "new",
            "host": "www.osce.org" if legacy else "astana.osce.org",
            "path": f"/programme-office-in-astana/{nid}" if legacy else f"/news/programme-office-astana/{nid}",
            "issued_by": "OSCE Programme Office in Astana",
        })  # fmt: skip
    return releases


def build_mirror(root: Path, count: int) -> Path:
    writer = SiteWriter()
    prepared = [_prepare(r) for r in synthetic_releases(count)]
    for release in prepared:
        add_article(writer, release)
    add_legacy_listing(writer, LEGACY_BASE, [r for r in prepared if r["site"] == "legacy"], per_page=20)
    add_new_listing(writer, "astana.osce.org", [r for r in prepared if r["site"] == "new"], per_page=20)
    return writer.write(root)


def config_text(mirror: Mirror) -> str:
    aliases = "\n".join(f'"{local}" = "{real}"' for local, real in mirror.host_aliases().items())
    return f"""
[crawl]
download_delay = 0.0
autothrottle = false
concurrent_per_domain = 8
jobs = 1
[hosts]
{aliases}
[sources.osce_newsroom]
start_urls = ["{mirror.url("www.osce.org", LEGACY_BASE)}"]
allowed_hosts = ["127.0.0.1"]
max_pages = 1000
[sources.osce_astana]
start_urls = ["{mirror.url("astana.osce.org", "/news")}"]
allowed_hosts = ["127.0.0.1"]
max_pages = 1000
"""


def children_cpu() -> float:
    """CPU seconds of the crawl processes ended so far (a store worker counts in its crawl's)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_crawl(settings, work: Path) -> tuple[float, int]:
    """Wall time and pages of the bare spider over the same start URLs, one process per source."""
    spider = Path(__file__).with_name("bare_spider.py")
    started = time.perf_counter()
    pages = 0
    for key in SOURCES:
        source = settings.source(key)
        log = work / f"bare-{key}.log"
        subprocess.run(
            [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"start={source.start_urls[0]}",
             "-a", f"pattern={source.article_url_pattern}", "-s", "LOG_LEVEL=INFO", "-s", f"LOG_FILE={log}",
             "-s", "ROBOTSTXT_OBEY=True", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "DOWNLOAD_DELAY=0",
             "-s", "TELNETCONSOLE_ENABLED=False", "-s", "REMOTE_CONTROL_ENABLED=False",
             "-s", "CONCURRENT_ITEMS=4"],  # as in our settings, so that only the work per page differs
            check=True, cwd=work,
        )  # fmt: skip
        pages += int(re.search(r"'response_received_count': (\d+)", log.read_text()).group(1))
    return time.perf_counter() - started, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="bare and full crawls, alternated (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        work = Path(tmp)
        site = build_mirror(work / "site", args.releases)
        mirror = Mirror(site).start()
        try:
            config = work / "bench.toml"
            config.write_text(config_text(mirror))
            # Alternated rounds, each full crawl into a fresh store: a busy moment of the machine
            # shifts one round, not the median.
            ratios, cpu_ratios = [], []
            for round_number in range(1, args.rounds + 1):
                home = work / f"home-{round_number}"
                settings = load_settings({"MONITOR_HOME": str(home)}, config_path=config)
                cpu_before = children_cpu()
                bare_seconds, bare_pages = bare_crawl(settings, work)
                bare_cpu = children_cpu() - cpu_before
                store = Store.open(settings.database_url)
                mirror.reset_hits()
                started = time.perf_counter()
                results = run_crawls(
                    settings, [settings.source(k) for k in SOURCES], store, mode="full", jobs=1, assign_stories=False
                )
                ours_seconds = time.perf_counter() - started
                ratios.append(ours_seconds / bare_seconds)
                cpu_ratios.append((children_cpu() - cpu_before - bare_cpu) / bare_cpu)
                pages = sum(r.pages for r in results)
                stored = store.counts()["releases"]
                print(f"round {round_number}: bare Scrapy spider {bare_pages} pages in {bare_seconds:.2f} s "
                      f"({bare_pages / bare_seconds:.0f} pages/s); ours {pages} pages in {ours_seconds:.2f} s "
                      f"({pages / ours_seconds:.0f} pages/s), {stored} releases stored, statuses "
                      f"{[r.status for r in results]}; ratio {ratios[-1]:.2f}", flush=True)  # fmt: skip
            started = time.perf_counter()
            clustered = file_stories(store, datetime.now(UTC))  # what `monitor crawl` runs after its crawls
            story_seconds = time.perf_counter() - started
            print(f"story pass after the crawl: {clustered} releases filed in {story_seconds:.2f} s "
                  f"({clustered / story_seconds:.0f} releases/s); crawl and pass together: "
                  f"{(ours_seconds + story_seconds) / bare_seconds:.2f} x the bare spider")  # fmt: skip

            mirror.reset_hits()
            started = time.perf_counter()
            run_crawls(settings, [settings.source(k) for k in SOURCES], store, jobs=1)
            incremental_seconds = time.perf_counter() - started
            hits = {host: len(paths) for host, paths in mirror.hits().items()}
            per_source = max(hits.values())
            print(f"incremental crawl:  {hits} requests per host in {incremental_seconds:.2f} s")
        finally:
            mirror.stop()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ratio = statistics.median(ratios)
    print(f"full crawl ratio (ours / bare Scrapy), median of {len(ratios)} rounds: {ratio:.2f}  [target <= 1.5]")
    print(f"CPU time of the crawl processes (ours / bare Scrapy), median: {statistics.median(cpu_ratios):.2f} "
          "(steadier than wall time on a shared machine)")  # fmt: skip
    print(f"incremental requests per source: {per_source}  [target <= 2]")
    print(f"peak RSS of a crawl process: {peak_rss_mb:.0f} MB")
    print(json.dumps({"full_crawl_ratio": round(ratio, 3), "ratios": [round(r, 3) for r in ratios],
                      "cpu_ratio": round(statistics.median(cpu_ratios), 3),
                      "incremental_requests_per_source": per_source, "peak_rss_mb": round(peak_rss_mb, 1), "story_pass_s": round(story_seconds, 2)}))  # fmt: skip
    return 0 if stored == args.releases else 1


if __name__ == "__main__":
    raise SystemExit(main())
