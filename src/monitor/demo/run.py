"""`monitor demo`: build the bundled mirror, serve it on 127.0.0.1, crawl it with the real
spiders in child processes, and render the digest. Nothing reaches the internet."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from monitor.crawling.runner import CrawlResult, run_crawls
from monitor.demo.mirror import Mirror
from monitor.demo.partners import SITES, build_demo_site
from monitor.demo.site import LEGACY_LISTINGS
from monitor.operations.jobs import digest_job, write_digest
from monitor.reporting.editions import Edition
from monitor.settings.config import Settings, load_settings
from monitor.settings.definitions import cron_trigger
from monitor.storage.store import Store

OSCE_STARTS = {
    "osce_newsroom": [("www.osce.org", target) for target in LEGACY_LISTINGS.values()],
    "osce_astana": [("astana.osce.org", target) for target in ("/news", "/ru/news", "/kk/news")],
    "osce_bishkek": [("bishkek.osce.org", "/news")],
    "osce_odihr": [("odihr.osce.org", "/news")],
    "osce_dushanbe": [("dushanbe.osce.org", "/news")],
    "osce_ashgabat": [("ashgabat.osce.org", "/news")],
    "osce_uzbekistan": [("uzbekistan.osce.org", "/news")],
    "osce_feed": [("feeds.osce.org", "/OSCELatestNews")],
}
# Every source the monitor ships, each started at its page on the mirror.
DEMO_STARTS = {**OSCE_STARTS, **{key: [(host, target)] for key, (host, target, *_) in SITES.items()}}
DEMO_SOURCES = tuple(DEMO_STARTS)
DEMO_SINCE = date(2021, 1, 1)


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


# Two readers with different needs, each with their own daily digest.
DEMO_SUBSCRIBERS = """
[subscribers.bishkek-gender]
address = "gender-adviser@example.org"
period = "daily"
topics = ["gender_equality"]
countries = ["kyrgyzstan"]

[subscribers.rule-of-law]
address = "rule-of-law@example.org"
period = "daily"
topics = ["judicial/legal_aid", "judicial/probation_penitentiary"]
"""


def demo_config(mirror: Mirror) -> str:
    """Point every source at the mirror, without delays: it is our own server."""
    lines = [
        "[crawl]",
        "download_delay = 0.0",
        "autothrottle = false",
        "concurrent_per_domain = 4",
        "",
        "[hosts]",
        *(f'"{local}" = "{real}"' for local, real in mirror.host_aliases().items()),
        "",
    ]
    for key, starts in DEMO_STARTS.items():
        urls = [mirror.url(host, target) for host, target in starts]
        lines += [
            f"[sources.{key}]",
            f"start_urls = {_toml_list(urls)}",
            'allowed_hosts = ["127.0.0.1"]',
            "download_delay = 0.0",
            "",
        ]
    return "\n".join(lines) + DEMO_SUBSCRIBERS


def demo_settings(workdir: Path, config_path: Path) -> Settings:
    # The demo keeps its own database, whatever MONITOR_DATABASE_URL says.
    return load_settings({"MONITOR_HOME": str(workdir)}, config_path=config_path)


@dataclass(frozen=True)
class DemoOutcome:
    crawls: list[CrawlResult]
    digest: Path
    stories: int
    database_url: str
    editions: list[Edition]  # the subscribers' own digests, issued as at the end of today
    outbox: list[Path]  # their messages, written and not sent

    @property
    def failed(self) -> bool:
        return any(r.status == "failed" for r in self.crawls)


def run_demo(workdir: Path) -> DemoOutcome:
    """Serve the mirror, crawl every source on it, and render the digest of what was found."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    site = build_demo_site(workdir / "site")
    mirror = Mirror(site).start()
    try:
        config_path = workdir / "demo.toml"
        config_path.write_text(demo_config(mirror), encoding="utf-8")
        settings = demo_settings(workdir, config_path)
        print(f"demo: serving a mirror of {len(mirror.servers)} hosts on 127.0.0.1", file=sys.stderr)
        store = Store.open(settings.database_url)
        results = run_crawls(settings, [settings.source(k) for k in DEMO_SOURCES], store, jobs=2)
    finally:
        mirror.stop()
    now = datetime.now(UTC)
    path, total = write_digest(settings, DEMO_SINCE, now.date(), now, settings.reports_dir / "demo-digest.pdf")
    # What the crawl found is first seen today: the subscribers' first daily issue is the one made
    # when today ends (in their timezone), so it is issued as at that moment.
    tonight = cron_trigger("0 0 * * *", "Asia/Almaty").get_next_fire_time(None, now).astimezone(UTC)
    issued = digest_job(settings, [], tonight, dry_run=True, subscribers=True, outbox=workdir / "outbox")
    editions = [edition for edition, _ in issued.editions]
    return DemoOutcome(results, path, total, settings.database_url, editions, issued.outbox)
