"""The scheduler as users run it: `monitor schedule` in a child process against the demo mirror
and a real SMTP server; crawls and a digest happen on their own, a manual crawl never overlaps a
scheduled one, a restart never duplicates jobs, SIGTERM stops it cleanly."""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text, update

from monitor.operations.jobs import crawl_job
from monitor.operations.scheduler import JOBSTORE_TABLE, build_scheduler, stored_next_runs
from monitor.reporting import ledger
from monitor.settings.config import load_settings
from monitor.storage.models import StoryRow
from monitor.storage.store import Store
from tests.integration.crawling import cli_env, monitor_cli, write_config
from tests.smtp_server import SmtpServer
from tests.waiting import wait_for

SOURCES = ["osce_astana", "lprc"]


def schedule_config(path: Path, mirror, every_hours: float = 0.001) -> Path:
    write_config(path, mirror)
    with path.open("a", encoding="utf-8") as config:
        config.write(
            # the scheduler running its jobs itself, on either database (queued jobs: test_workers.py)
            "\n[queue]\ndispatch = 'local'\n"
            "\n[schedule]\nlease_ttl_s = 10\nretry_deliveries_minutes = 0.1\n[schedule.crawls.all]\nenabled = false\n"
            f"[schedule.crawls.pair]\nsources = {SOURCES!r}\nevery_hours = {every_hours}\n"
            # a yearly period: no boundary can pass while the test runs and add an issue of its own
            "[digests.yearly]\nperiod = '0 0 1 1 *'\ntimezone = 'UTC'\nrecipients = ['analyst@example.org']\n"
        )
    return path


def test_scheduler_crawls_and_sends_the_missed_digest_once_and_never_overlaps_a_manual_crawl(
    tmp_path: Path, demo_mirror, smtp_server: SmtpServer
) -> None:
    home = tmp_path / "home"
    config = schedule_config(tmp_path / "schedule.toml", demo_mirror)
    environ = {**cli_env(home, config), **smtp_server.environ()}
    settings = load_settings(environ)
    store = Store.open(settings.database_url)
    now = datetime.now(UTC)
    # Last year's crawls stored these stories; the scheduler was down when the year's digest was due.
    crawl_job(settings, [settings.source(k) for k in SOURCES], now)
    boundary = settings.digest("yearly").last_boundary(now)
    with store.session() as session, session.begin():
        session.execute(update(StoryRow).values(created_at=boundary - timedelta(hours=1)))
    scheduler = build_scheduler(settings, str(config), now)
    scheduler.start(paused=True)
    scheduler.shutdown()
    with store.engine.begin() as connection:
        connection.execute(
            text(f"UPDATE {JOBSTORE_TABLE} SET next_run_time = :t WHERE id = 'digest:yearly'"),
            {"t": (boundary - timedelta(minutes=5)).timestamp()},
        )

    log = (tmp_path / "scheduler.log").open("w")
    child = subprocess.Popen([sys.executable, "-m", "monitor", "schedule"], env=environ, stdout=log, stderr=log)
    try:
        # the missed digest goes out once, with its PDF
        wait_for(lambda: smtp_server.recorder.to("analyst@example.org"))
        # a manual crawl while the scheduled one holds the sources exits with its own code
        wait_for(lambda: [name for name in _leases(store) if name.startswith("crawl:")])
        manual = monitor_cli("crawl", "osce_astana", home=home, config=config)
        assert manual.returncode == 75, manual.stderr
        assert "not started: crawl:" in manual.stderr and "is running elsewhere" in manual.stderr
        wait_for(lambda: len([r for r in _job_runs(store, "crawl:pair") if r.status == "ok"]) >= 2)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)
        log.close()
    output = (tmp_path / "scheduler.log").read_text()
    assert child.returncode == 0, output
    assert "scheduler stopped" in output

    (message,) = smtp_server.recorder.to("analyst@example.org")
    assert [part.get_content_type() for part in message.iter_attachments()] == ["application/pdf"]
    assert len(ledger.runs(store, "yearly")) == 1
    assert [r.trigger for r in _job_runs(store, "digest:yearly")] == ["schedule"]
    runs = _job_runs(store, "crawl:pair")
    assert all(r.trigger == "schedule" for r in runs) and len(runs) >= 2
    manual_runs = _job_runs(store, "crawl:manual")
    assert [r.status for r in manual_runs] == ["ok", "busy"]  # the set-up crawl, then the refused one
    crawls = sorted((r.started_at, r.finished_at) for r in runs + manual_runs if r.status != "busy")
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(crawls))  # one at a time

    # a restart replaces the jobs, never duplicates them
    restart = build_scheduler(settings, str(config), datetime.now(UTC))
    restart.start(paused=True)
    restart.shutdown()
    jobs = [
        "crawl:pair",
        "deliveries:retry",
        "digest:subscribers",
        "digest:weekly",
        "digest:yearly",
    ]  # and the shipped weekly
    assert sorted(stored_next_runs(store.engine)) == jobs

    status = monitor_cli("status", home=home, config=config)
    assert "crawl:pair" in status.stdout and "digest:yearly" in status.stdout and "schedule" in status.stdout
    assert "deliveries: 1 sent" in status.stdout
    assert status.returncode == 0, status.stdout


def test_a_scheduler_back_after_three_days_crawls_once_and_stops_on_ctrl_c(tmp_path: Path, demo_mirror) -> None:
    home = tmp_path / "home"
    config = schedule_config(tmp_path / "schedule.toml", demo_mirror, every_hours=6)
    environ = cli_env(home, config)
    settings = load_settings(environ)
    store = Store.open(settings.database_url)
    first = build_scheduler(settings, str(config), datetime.now(UTC))
    first.start(paused=True)
    first.shutdown()
    down_since = datetime.now(UTC) - timedelta(days=3)  # twelve six-hour crawls missed
    with store.engine.begin() as connection:
        connection.execute(
            text(f"UPDATE {JOBSTORE_TABLE} SET next_run_time = :t WHERE id = 'crawl:pair'"),
            {"t": down_since.timestamp()},
        )

    log = (tmp_path / "scheduler.log").open("w")
    now = datetime.now(UTC)
    child = subprocess.Popen([sys.executable, "-m", "monitor", "schedule"], env=environ, stdout=log, stderr=log)
    try:
        wait_for(lambda: [r for r in _job_runs(store, "crawl:pair") if r.status == "ok"])
        second = monitor_cli("schedule", home=home, config=config, timeout=60)  # its jobs would run twice
        assert second.returncode == 75 and "not started: scheduler is running elsewhere" in second.stderr
        # the catch-up run is over once the job store holds the next run six hours on
        wait_for(lambda: (stored_next_runs(store.engine)["crawl:pair"] or now) > now + timedelta(hours=5))
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=60)
        log.close()
    assert child.returncode == 0, (tmp_path / "scheduler.log").read_text()
    assert len(_job_runs(store, "crawl:pair")) == 1
    next_crawl = stored_next_runs(store.engine)["crawl:pair"]
    assert next_crawl is not None and next_crawl > datetime.now(UTC) + timedelta(hours=5)


def test_a_schedule_changed_to_come_sooner_takes_effect_at_restart_and_an_unchanged_one_keeps_its_clock(
    tmp_path: Path, demo_mirror
) -> None:
    config = schedule_config(tmp_path / "schedule.toml", demo_mirror, every_hours=24)
    settings = load_settings(cli_env(tmp_path / "home", config))
    Store.open(settings.database_url)

    def next_runs(now: datetime) -> dict[str, datetime]:
        scheduler = build_scheduler(load_settings(cli_env(tmp_path / "home", config)), str(config), now)
        scheduler.start(paused=True)
        runs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        scheduler.shutdown()
        return runs

    now = datetime.now(UTC)
    first = next_runs(now)
    assert first["crawl:pair"] > now + timedelta(hours=23) and first["digest:yearly"].month == 1
    again = next_runs(now + timedelta(hours=1))  # restarted, nothing changed: the same clock
    assert (again["crawl:pair"], again["digest:yearly"]) == (first["crawl:pair"], first["digest:yearly"])
    text_now = config.read_text(encoding="utf-8")
    config.write_text(text_now.replace("every_hours = 24", "every_hours = 1").replace("'0 0 1 1 *'", "'0 0 * * *'"))
    changed = next_runs(now + timedelta(hours=1))
    assert changed["crawl:pair"] <= now + timedelta(hours=2, minutes=1)  # hourly now, not in a day
    assert changed["digest:yearly"] <= now + timedelta(days=1, hours=1)  # daily now, not next January


def test_a_scheduled_issue_skipped_while_the_digest_lease_was_held_is_made_by_the_next_retry(
    tmp_path: Path, demo_mirror, smtp_server: SmtpServer, monkeypatch
) -> None:
    from monitor.operations.jobs import digest_job
    from monitor.operations.scheduler import scheduled_retry
    from monitor.storage import job_runs
    from monitor.storage.leases import Busy, Lease
    from tests.sample_releases import NOW, RELEASES, store_releases

    config = schedule_config(tmp_path / "schedule.toml", demo_mirror)
    environ = {**cli_env(tmp_path / "home", config), **smtp_server.environ()}
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(environ)
    store = store_releases(settings, RELEASES, NOW)
    with Lease(store, ["digest"]), pytest.raises(Busy):  # a long manual digest holds it at the boundary
        digest_job(settings, ["yearly"], datetime.now(UTC), send=True, trigger="schedule", job="digest:yearly")
    assert job_runs.latest(store)["digest:yearly"].status == "busy" and not ledger.runs(store, "yearly")

    scheduled_retry(str(config))

    assert len(ledger.runs(store, "yearly")) == 1 and job_runs.latest(store)["digest:yearly"].status == "ok"
    assert smtp_server.recorder.to("analyst@example.org")
    scheduled_retry(str(config))  # once made, not again
    assert len(ledger.runs(store, "yearly")) == 1


def _leases(store: Store) -> list[str]:
    from monitor.storage.leases import held

    return [lease.name for lease in held(store)]


def _job_runs(store: Store, job: str):
    from sqlalchemy import select

    from monitor.storage.models import JobRunRow

    with store.session() as session:
        return list(session.scalars(select(JobRunRow).where(JobRunRow.job == job).order_by(JobRunRow.id)))
