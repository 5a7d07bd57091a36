"""Runs crawls as child processes (`python -m scrapy crawl FAMILY -a source=KEY`): Twisted's
reactor cannot restart inside a long-lived process, and a failing spider must not take the
caller down. Each child records its own run; the parent closes runs a child left open."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from monitor.settings.config import Settings
from monitor.settings.names import file_in
from monitor.settings.sources import Source
from monitor.storage.models import CrawlRunRow
from monitor.storage.store import Store

POLL_SECONDS = 0.2


@dataclass
class CrawlJob:
    source: Source
    run_id: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    stderr: IO[bytes] | None = None  # what the child prints before its logging is set up
    seen_path: Path | None = None  # the seen entries handed to the child


@dataclass(frozen=True)
class CrawlResult:
    source: str
    run_id: int
    status: str  # ok, partial, failed
    message: str
    pages: int
    new: int
    updated: int
    unchanged: int
    errors: int
    log_path: Path

    @classmethod
    def from_run(cls, run: CrawlRunRow, log_path: Path) -> CrawlResult:
        return cls(
            run.source_key,
            run.id,
            run.status,
            run.message,
            run.pages,
            run.new,
            run.updated,
            run.unchanged,
            run.errors,
            log_path,
        )


def child_environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["MONITOR_DATABASE_URL"] = settings.database_url
    env["MONITOR_HOME"] = str(settings.home)
    env["SCRAPY_SETTINGS_MODULE"] = "scrapers.settings"
    if settings.config_path:
        env["MONITOR_CONFIG"] = str(settings.config_path)
    return env


def crawl_command(job: CrawlJob, mode: str, since: date | None, extra_settings: Sequence[str] = ()) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        job.source.family,
        "-a",
        f"source={job.source.key}",
        "-a",
        f"mode={mode}",
        "-a",
        f"run_id={job.run_id}",
        "-s",
        f"LOG_FILE={job.log_path}",
        "-s",
        "LOG_FILE_APPEND=False",
    ]
    if job.seen_path:
        command += ["-a", f"seen={job.seen_path}"]
    if since:
        command += ["-a", f"since={since.isoformat()}"]
    for setting in extra_settings:
        command += ["-s", setting]
    return command


def run_crawls(
    settings: Settings,
    sources: Sequence[Source],
    store: Store,
    mode: str = "incremental",
    since: date | None = None,
    jobs: int | None = None,
    extra_settings: Sequence[str] = (),
    on_progress: Callable[[dict[str, CrawlRunRow]], None] | None = None,
    assign_stories: bool = True,
) -> list[CrawlResult]:
    """Crawl each source in its own child process, at most `jobs` at once; never raises for a
    failing source: its result says failed, with the reason and the log file."""
    log_dir = settings.home / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    store.sync_sources(sources)
    pending = []
    for source in sources:
        run_id = store.start_run(source.key, "since" if since else mode, datetime.now(UTC))
        job = CrawlJob(source, run_id, file_in(log_dir, f"crawl-{source.key}-{run_id}.log"))
        # What the source's listings showed last time, handed to the child: it never opens the database.
        job.seen_path = job.log_path.with_suffix(".seen.json")
        job.seen_path.write_text(json.dumps(store.seen_entries(source.key)), encoding="utf-8")
        pending.append(job)
    running: list[CrawlJob] = []
    finished: list[CrawlJob] = []
    limit = max(1, jobs or settings.crawl.jobs)
    env = child_environment(settings)
    while pending or running:
        while pending and len(running) < limit:
            job = pending.pop(0)
            job.stderr = job.log_path.with_suffix(".stderr").open("wb")
            job.process = subprocess.Popen(
                crawl_command(job, mode, since, extra_settings),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=job.stderr,
            )
            job.started = time.monotonic()
            running.append(job)
        # Wake as soon as the oldest child ends, or in time to check the others and the clock.
        with contextlib.suppress(subprocess.TimeoutExpired):
            running[0].process.wait(timeout=POLL_SECONDS)  # type: ignore[union-attr]
        for job in list(running):
            assert job.process is not None
            code = job.process.poll()
            if code is None and time.monotonic() - job.started > settings.crawl.timeout_s:
                job.process.kill()
                code = job.process.wait()
                store.finish_run(job.run_id, "failed", f"killed after {settings.crawl.timeout_s:.0f} s", _now())
            if code is not None:
                assert job.stderr is not None
                job.stderr.close()
                running.remove(job)
                finished.append(job)
                if job.seen_path:
                    job.seen_path.unlink(missing_ok=True)
                # A child that died before closing its run (crash, SIGKILL, a dead store worker) leaves it open.
                store.finish_run(
                    job.run_id, "failed", f"the crawl ended without closing its run (exit code {code}); see "
                    f"{job.log_path}", _now(),
                )  # fmt: skip
        if on_progress:
            on_progress({job.source.key: run for job in running + finished if (run := store.run(job.run_id))})
    if assign_stories:
        from monitor.storage.filing import file_stories  # numpy and the rest: only once the crawls are done

        file_stories(store, _now())  # stories for what the crawls stored, once they are all done
    results = []
    for job in finished:
        run = store.run(job.run_id)
        assert run is not None
        results.append(CrawlResult.from_run(run, job.log_path))
    order = {source.key: index for index, source in enumerate(sources)}
    return sorted(results, key=lambda r: order[r.source])


def _now() -> datetime:
    return datetime.now(UTC)
