"""Queue workers as users run them: `monitor worker` processes on the throwaway PostgreSQL of
`make test`, real `scrapy crawl` children against small sites served on 127.0.0.1. Skipped on
SQLite, where crawls stay local child processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from procrastinate import jobs
from sqlalchemy import func, select, text

from monitor.demo.fleet import Site, build_fleet, fleet_config
from monitor.demo.mirror import Mirror
from monitor.operations.queue import request_crawl, request_digest, request_story_pass, workers
from monitor.operations.workers import Sweep, build_app
from monitor.reporting import ledger
from monitor.settings.config import Settings, load_settings
from monitor.storage.models import CrawlRunRow, JobRunRow, ReleaseRow, StoryMemberRow
from monitor.storage.store import Store
from tests.integration.crawling import cli_env, monitor_cli
from tests.waiting import wait_for

pytestmark = pytest.mark.slow

QUEUE = "[queue]\nheartbeat_s = 0.5\nstalled_after_s = 3\npoll_s = 0.5\n[schedule]\nlease_ttl_s = 10\n"


@pytest.fixture
def postgres(database_url: str | None) -> str:
    if database_url is None:
        pytest.skip("workers need PostgreSQL (make test runs this file with --backend postgresql)")
    return database_url


@dataclass
class Fleet:
    """Small sites on a mirror, a config pointing a source at each, and the monitor's settings."""

    tmp: Path
    home: Path
    config: Path
    mirror: Mirror
    sites: list[Site]
    settings: Settings
    store: Store
    processes: list[subprocess.Popen[bytes]]
    logs: list[Any]

    def open_log(self, name: str) -> Any:
        self.logs.append((self.tmp / f"{name}-{len(self.logs)}.log").open("wb"))
        return self.logs[-1]

    def env(self) -> dict[str, str]:
        return cli_env(self.home, self.config)

    def worker(self, *args: str, name: str = "worker") -> subprocess.Popen[bytes]:
        log = self.open_log(name)
        process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "worker", *args],
            env=self.env(),
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: killing it takes its crawl children too
        )
        self.processes.append(process)
        return process

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.tmp.glob("*.log")))

    def jobs(self) -> list[Any]:
        with self.store.engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT id, task_name, status::text AS status, attempts, worker_id, queueing_lock "
                    "FROM procrastinate_jobs ORDER BY id"
                )
            ).all()

    def job(self, job_id: int) -> Any:
        return next(j for j in self.jobs() if j.id == job_id)

    def idle(self) -> bool:
        return all(j.status not in ("todo", "doing") for j in self.jobs())

    def alive_workers(self) -> int:
        return len([w for w in workers(self.store, 3) or [] if w.alive and w.name])

    def runs(self, model: Any = CrawlRunRow) -> list[Any]:
        with self.store.session() as session:
            return list(session.scalars(select(model).order_by(model.id)))

    def releases(self) -> list[str]:
        with self.store.session() as session:
            return list(session.scalars(select(ReleaseRow.identity)))

    def filed(self) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count(StoryMemberRow.release_id))) or 0


@pytest.fixture
def fleet_of(tmp_path: Path, postgres: str) -> Iterator[Any]:
    made: list[Fleet] = []

    def make(count: int, releases_each: int = 3, delay: float = 0.0, extra: str = "", unreachable: int = 0) -> Fleet:
        sites = build_fleet(tmp_path / "site", [f"s{i:02d}" for i in range(count)], releases_each)
        mirror = Mirror(tmp_path / "site", delay=delay).start()
        config = tmp_path / "fleet.toml"
        text = fleet_config([(mirror, sites)]) + QUEUE + extra
        for site in sites[:unreachable]:  # nothing listens on port 9
            text = text.replace(mirror.url(site.host, "/news"), "http://127.0.0.1:9/news")
        config.write_text(text, encoding="utf-8")
        home = tmp_path / "home"
        settings = load_settings(cli_env(home, config), config_path=config)
        fleet = Fleet(tmp_path, home, config, mirror, sites, settings, Store.open(settings.database_url), [], [])
        made.append(fleet)
        return fleet

    yield make
    for fleet in made:
        for process in fleet.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in fleet.logs:
            log.close()
        fleet.mirror.stop()


def test_two_workers_crawl_twelve_sources_each_once_and_store_every_release_once(fleet_of) -> None:
    fleet = fleet_of(12)
    first, second = fleet.worker("--concurrency", "2"), fleet.worker("--concurrency", "2")
    wait_for(lambda: fleet.alive_workers() == 2)

    queued = monitor_cli("crawl", "--queue", *[s.key for s in fleet.sites], home=fleet.home, config=fleet.config)
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.count("queued as job") == 12

    wait_for(lambda: len(fleet.runs()) == 12 and fleet.idle(), timeout=180)
    crawls = [j for j in fleet.jobs() if j.task_name == "crawl"]
    assert [j.status for j in crawls] == ["succeeded"] * 12, fleet.log()
    assert len({j.worker_id for j in crawls}) == 2  # both workers took crawls
    runs = fleet.runs()
    assert sorted(r.source_key for r in runs) == [s.key for s in fleet.sites]  # each source crawled once
    assert {r.status for r in runs} == {"ok"}
    assert all(fleet.mirror.hits()[s.host].count("/news") == 1 for s in fleet.sites)
    stored = fleet.releases()
    assert len(stored) == len(set(stored)) == 36  # every release once
    assert fleet.filed() == 36  # and in a story: the story pass ran after the crawls

    status = monitor_cli("status", home=fleet.home, config=fleet.config)
    assert "queue: empty" in status.stdout and status.stdout.count(" alive ") == 2, status.stdout

    for worker in (first, second):
        worker.send_signal(signal.SIGTERM)
    assert [w.wait(timeout=60) for w in (first, second)] == [0, 0], fleet.log()
    status = monitor_cli("status", home=fleet.home, config=fleet.config)
    assert "workers: none running" in status.stdout, status.stdout


def test_the_same_job_requested_twice_is_queued_once(fleet_of) -> None:
    fleet = fleet_of(2, extra="[digests.yearly]\nperiod = '0 0 1 1 *'\nrecipients = []\n")
    settings = fleet.settings
    crawl = request_crawl(settings, "s00")
    again = request_crawl(settings, "s00", trigger="web")
    assert crawl.created and not again.created and again.job_id == crawl.job_id and again.status == "todo"
    cli = monitor_cli("crawl", "--queue", "s00", "s01", home=fleet.home, config=fleet.config)
    assert cli.returncode == 0, cli.stderr
    assert f"already queued: job {crawl.job_id}, waiting" in cli.stdout and "queued as job" in cli.stdout
    digest = request_digest(settings, "yearly")
    assert request_digest(settings, "yearly").job_id == digest.job_id
    passes = {request_story_pass(settings).job_id for _ in range(3)}
    assert len(passes) == 1
    assert sorted(j.queueing_lock for j in fleet.jobs()) == ["crawl:s00", "crawl:s01", "digest:yearly", "stories"]


def test_a_worker_killed_mid_crawl_has_its_job_run_again_by_another_without_duplicates(fleet_of) -> None:
    fleet = fleet_of(1, releases_each=12, delay=0.3)
    (site,) = fleet.sites
    doomed = fleet.worker("--concurrency", "1")
    wait_for(lambda: fleet.alive_workers() == 1)
    job = request_crawl(fleet.settings, site.key)
    wait_for(lambda: len(fleet.mirror.hits()[site.host]) >= 5, timeout=60)  # well into the crawl
    assert fleet.job(job.job_id).status == "doing"
    os.killpg(doomed.pid, signal.SIGKILL)  # the machine is lost: the worker and its crawl child
    doomed.wait()
    assert fleet.runs()[0].status == "running"  # cut short

    fleet.worker("--concurrency", "1")
    wait_for(lambda: fleet.job(job.job_id).status == "succeeded" and fleet.idle(), timeout=120)
    assert fleet.job(job.job_id).attempts == 2, fleet.log()
    first, second = fleet.runs()
    assert (first.status, second.status) == ("failed", "ok")
    assert first.message.startswith("interrupted"), first.message  # closed by the worker that took over
    stored = fleet.releases()
    assert len(stored) == len(set(stored)) == 12  # no release lost, none twice
    assert fleet.filed() == 12


def test_a_stalled_job_found_by_two_sweeps_is_put_back_once(fleet_of) -> None:
    fleet = fleet_of(1)
    job = request_story_pass(fleet.settings, store=fleet.store)

    async def two_sweeps() -> list[bool]:
        app = build_app(fleet.settings, 1)
        async with app.open_async():
            manager = app.job_manager
            dead = await manager.register_worker()
            assert (await manager.fetch_job(None, dead)).id == job.job_id
            with fleet.store.engine.begin() as conn:  # its heartbeat stopped long ago
                conn.execute(
                    text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' WHERE id = :id"),
                    {"id": dead},
                )
            sweep = Sweep(app, stalled_after_s=3)
            (found,) = await manager.get_stalled_jobs(seconds_since_heartbeat=3)  # both sweeps read it so
            first = await sweep.put_back(found)
            live = await manager.register_worker()
            assert (await manager.fetch_job(None, live)).id == job.job_id  # taken again at once
            second = await sweep.put_back(found)
            running = fleet.job(job.job_id)
            await manager.finish_job_by_id_async(job.job_id, status=jobs.Status.FAILED, delete_job=False)
            return [first, second, running.status == "doing" and running.worker_id == live, await sweep.put_back(found)]

    first, second, still_running, failed_revived = asyncio.run(two_sweeps())
    assert first and not second and still_running  # not queued again while its new worker runs it
    assert not failed_revived and fleet.job(job.job_id).status == "failed"


def test_a_digest_queued_after_a_crawl_waits_for_it_and_its_story_pass(fleet_of) -> None:
    extra = "[digests.yearly]\nperiod = '0 0 1 1 *'\ntimezone = 'UTC'\nrecipients = ['analyst@example.org']\n"
    fleet = fleet_of(1, releases_each=8, delay=0.2, extra=extra)
    (site,) = fleet.sites
    fleet.worker("--concurrency", "1")
    fleet.worker("--concurrency", "1")
    wait_for(lambda: fleet.alive_workers() == 2)
    crawl = request_crawl(fleet.settings, site.key)
    digest = request_digest(fleet.settings, "yearly", send=False)

    # The second worker takes the digest at once, and it waits while the crawl runs.
    wait_for(lambda: {fleet.job(crawl.job_id).status, fleet.job(digest.job_id).status} == {"doing"}, timeout=60)
    wait_for(lambda: fleet.idle() and fleet.job(digest.job_id).status == "succeeded", timeout=120)
    runs = {run.job: run for run in fleet.runs(JobRunRow)}
    assert runs["digest:yearly"].queue_job_id == digest.job_id
    assert runs["digest:yearly"].started_at >= runs[f"crawl:{site.key}"].finished_at
    assert fleet.filed() == 8  # the digest's own story pass found the crawl's releases filed or filed them
    assert len(ledger.runs(fleet.store, "yearly")) == 1


def test_sigterm_lets_a_worker_finish_its_crawl_before_it_stops(fleet_of) -> None:
    fleet = fleet_of(1, releases_each=10, delay=0.2)
    (site,) = fleet.sites
    worker = fleet.worker("--concurrency", "1")
    wait_for(lambda: fleet.alive_workers() == 1)
    job = request_crawl(fleet.settings, site.key)
    wait_for(lambda: len(fleet.mirror.hits()[site.host]) >= 3, timeout=60)
    running = request_crawl(fleet.settings, site.key)  # asked again while it runs: the same job
    assert (running.job_id, running.created, running.status) == (job.job_id, False, "doing")
    assert running.worker and running.worker.endswith(f":{worker.pid}")

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=120) == 0, fleet.log()
    assert fleet.job(job.job_id).status == "succeeded"
    (run,) = fleet.runs()
    assert (run.status, run.new) == ("ok", 10)
    assert len(fleet.releases()) == 10
    assert fleet.alive_workers() == 0


def test_the_scheduler_queues_a_group_crawl_and_a_worker_runs_it(fleet_of) -> None:
    extra = "[schedule.crawls.all]\nenabled = false\n[schedule.crawls.pair]\nsources = ['s00', 's01']\nevery_hours = 0.001\n"
    fleet = fleet_of(2, extra=extra)
    fleet.worker("--concurrency", "2")
    log = fleet.open_log("scheduler")
    scheduler = subprocess.Popen([sys.executable, "-m", "monitor", "schedule"], env=fleet.env(), stdout=log, stderr=log)
    fleet.processes.append(scheduler)
    try:
        wait_for(lambda: {r.source_key for r in fleet.runs() if r.status == "ok"} == {"s00", "s01"}, timeout=120)
    finally:
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=60) == 0, fleet.log()
    wait_for(fleet.idle, timeout=120)
    runs = fleet.runs(JobRunRow)
    queued = [r for r in runs if r.job == "crawl:pair"]
    assert queued and {(r.trigger, r.status) for r in queued} == {("schedule", "ok")}
    assert "crawl:s00: queued as job" in queued[0].message and "crawl:s01: queued as job" in queued[0].message
    crawls = [r for r in runs if r.job.startswith("crawl:s")]
    assert {(r.trigger, r.status) for r in crawls} == {("schedule", "ok")}
    # the scheduler ran nothing itself: every crawl was a queued job run by the worker
    assert all(r.queue_job_id for r in crawls) and len(crawls) == len(fleet.runs())


def test_status_shows_a_failed_job_with_why_and_the_workers(fleet_of) -> None:
    fleet = fleet_of(1, unreachable=1)
    worker = fleet.worker("--concurrency", "1")
    wait_for(lambda: fleet.alive_workers() == 1)
    job = request_crawl(fleet.settings, "s00")
    wait_for(lambda: fleet.job(job.job_id).status == "failed", timeout=120)
    status = monitor_cli("status", home=fleet.home, config=fleet.config)
    line = next(line for line in status.stdout.splitlines() if line.strip().startswith(f"{job.job_id} "))
    (run,) = fleet.runs()
    assert "crawl:s00" in line and " failed " in line and f"failed: s00 ({run.message[:20]}" in line, status.stdout
    assert f":{worker.pid}" in status.stdout and " alive " in status.stdout
    assert status.returncode == 1  # the failed source is an open incident


def test_the_web_views_crawl_now_queues_for_the_workers_once(fleet_of) -> None:
    """POST /api/crawls and the sources page's "crawl now" on PostgreSQL: a job for the workers
    (202 with its id), and a second request answered with the job already there (409)."""
    from datetime import UTC, datetime

    from starlette.testclient import TestClient

    from monitor.web.accounts import issue_token
    from monitor.web.app import create_app
    from tests.web.conftest import add_user

    fleet = fleet_of(1)
    add_user(fleet.settings, "ops@example.org", "operator")
    bearer = {"Authorization": f"Bearer {issue_token(fleet.store, 'ops@example.org', datetime.now(UTC))}"}
    with TestClient(create_app(fleet.settings, secret="s" * 48)) as client:
        queued = client.post("/api/crawls", data={"source": "s00"}, headers=bearer)
        assert queued.status_code == 202, queued.text
        job = queued.json()["jobs"]["s00"]["job_id"]
        again = client.post("/api/crawls", data={"source": "s00"}, headers=bearer)
        assert again.status_code == 409 and again.json()["jobs"]["s00"]["job_id"] == job
    assert [j.queueing_lock for j in fleet.jobs()] == ["crawl:s00"]
