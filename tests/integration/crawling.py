"""Helpers for tests that run real `scrapy crawl` children against a mirror on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from monitor.demo.mirror import Mirror
from monitor.demo.run import demo_config


def write_config(path: Path, mirror: Mirror) -> Path:
    path.write_text(demo_config(mirror), encoding="utf-8")
    return path


def cli_env(home: Path, config: Path | None = None) -> dict[str, str]:
    """The environment of a `monitor` child: nothing of the caller's MONITOR_* settings but the
    database a test runs against (SQLite in `home` unless the suite runs on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_") or k == "MONITOR_DATABASE_URL"}
    env |= {"MONITOR_HOME": str(home), "MONITOR_REPORTS_DIR": str(home / "reports")}
    if config:
        env["MONITOR_CONFIG"] = str(config)
    return env


def monitor_cli(
    *args: str, home: Path, config: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        env=cli_env(home, config),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def undp_listing(*slugs: str) -> str:
    """A UNDP listing page (its real card markup) linking press releases by slug."""
    cards = "".join(
        f'<div class="content-card"><a href="/kazakhstan/press-releases/{slug}">'
        f'<h6 class="coh-heading">April 30, 2025</h6><h2 class="coh-heading">Release {slug}</h2></a></div>'
        for slug in slugs
    )
    return f"<html><body>{cards}</body></html>"


def undp_config(path: Path, mirror: Mirror, extra: str = "") -> Path:
    """The undp_kazakhstan source pointed at the mirror's listing, without delays."""
    path.write_text(
        "[crawl]\ndownload_delay = 0.0\nautothrottle = false\n"
        f'[sources.undp_kazakhstan]\nstart_urls = ["{mirror.url("www.undp.org", "/kazakhstan/news")}"]\n'
        f'allowed_hosts = ["127.0.0.1"]\ndownload_delay = 0.0\n{extra}',
        encoding="utf-8",
    )
    return path
