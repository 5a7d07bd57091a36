"""Faults of unattended runs: a crawl killed mid-way, two crawls at once, leases of dead
holders, a read-only or full database. Each ends in a clear error and a consistent store."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from monitor.demo.fleet import build_fleet, fleet_config
from monitor.demo.mirror import Mirror
from monitor.settings.config import load_settings
from monitor.storage.engine import as_utc
from monitor.storage.leases import Busy, Lease, held
from monitor.storage.models import CrawlRunRow, ReleaseRow, StoryMemberRow
from monitor.storage.store import Store
from tests.integration.crawling import cli_env, monitor_cli, write_config
from tests.waiting import wait_for

SOURCES = ["osce_newsroom", "osce_astana"]


def contents(store: Store) -> list[tuple[str, str, bool]]:
    with store.session() as session:
        rows = session.execute(select(ReleaseRow.identity, ReleaseRow.content_hash, ReleaseRow.listing_only))
        return sorted(tuple(row) for row in rows)


def test_a_crawl_killed_with_sigkill_midway_leaves_a_consistent_store_and_the_next_run_completes(
    tmp_path: Path, demo_site: Path
) -> None:
    # what a crawl never interrupted stores (in a SQLite file of its own, whatever the backend)
    clean = tmp_path / "clean.sqlite"
    with Mirror(demo_site) as mirror:
        env = cli_env(tmp_path / "clean", write_config(tmp_path / "c.toml", mirror))
        env["MONITOR_DATABASE_URL"] = f"sqlite:///{clean}"
        subprocess.run([sys.executable, "-m", "monitor", "crawl", *SOURCES], env=env, check=True, capture_output=True)
    expected = contents(Store.open(f"sqlite:///{clean}"))

    home = tmp_path / "home"
    store = Store.open(load_settings(cli_env(home)).database_url)
    with Mirror(demo_site, delay=0.25) as slow:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "monitor", "crawl", *SOURCES],
            env=cli_env(home, write_config(tmp_path / "slow.toml", slow)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the crawl children die with it
        )
        wait_for(lambda: len(slow.hits()["www.osce.org"]) >= 8)  # well into the crawl
        os.killpg(crawl.pid, signal.SIGKILL)
        crawl.wait()
    if (home / "monitor.sqlite").exists():
        with sqlite3.connect(home / "monitor.sqlite") as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [lease.name for lease in held(store)] == ["crawl:osce_astana", "crawl:osce_newsroom"]  # left behind
    with store.session() as session:
        cut_short = set(session.scalars(select(CrawlRunRow.source_key).where(CrawlRunRow.status == "running")))
    assert cut_short  # killed mid-way

    with Mirror(demo_site) as mirror:
        again = monitor_cli("crawl", *SOURCES, home=home, config=write_config(tmp_path / "again.toml", mirror))
    assert again.returncode == 0, again.stderr  # the dead holder's leases were taken over at once
    assert contents(store) == expected  # what an uninterrupted crawl stores, once each
    with store.session() as session:
        members = session.scalar(select(func.count(StoryMemberRow.release_id)))
        interrupted = session.scalars(select(CrawlRunRow).where(CrawlRunRow.message.like("interrupted%"))).all()
    assert members == len(expected)  # each release in exactly one story
    assert {run.source_key for run in interrupted} == cut_short
    assert held(store) == []


def test_a_crawl_stopped_with_sigterm_midway_is_not_recorded_as_ok(tmp_path: Path, demo_site: Path) -> None:
    home = tmp_path / "home"
    store = Store.open(load_settings(cli_env(home)).database_url)
    with Mirror(demo_site, delay=0.5) as slow:
        config = write_config(tmp_path / "slow.toml", slow)
        crawl = subprocess.Popen([sys.executable, "-m", "monitor", "crawl", "osce_newsroom"], env=cli_env(home, config),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        wait_for(lambda: len(slow.hits()["www.osce.org"]) >= 4)  # of 15
        os.killpg(crawl.pid, signal.SIGTERM)  # a service manager stopping it: Scrapy closes the spider
        crawl.wait(timeout=120)
        # the crawl child closes its run as it stops (its parent gone, or told to shut down)
        stopped = wait_for(lambda: (run := store.last_runs()["osce_newsroom"]).status != "running" and run, timeout=60)
        assert stopped.status != "ok" and "stopped early" in stopped.message, (stopped.status, stopped.message)
        again = monitor_cli("crawl", "osce_newsroom", home=home, config=config)
    assert again.returncode == 0, again.stderr
    assert store.last_runs()["osce_newsroom"].status == "ok"


def test_a_crawl_whose_starter_is_killed_alone_stops_instead_of_crawling_on(tmp_path: Path) -> None:
    """A worker or scheduler SIGKILLed by itself (the OOM killer) orphans its crawl child: the child
    stops within seconds, so it never crawls on beside the retry of its job."""
    (site,) = build_fleet(tmp_path / "site", ["s00"], releases_each=200)
    home = tmp_path / "home"
    with Mirror(tmp_path / "site", delay=0.3) as slow:
        config = tmp_path / "fleet.toml"
        config.write_text(fleet_config([(slow, [site])]), encoding="utf-8")
        starter = subprocess.Popen(
            [sys.executable, "-m", "monitor", "crawl", site.key],
            env=cli_env(home, config),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a process group of its own, to see its children end
        )
        wait_for(lambda: len(slow.hits()[site.host]) >= 4)  # well into the crawl of 200 pages
        os.kill(starter.pid, signal.SIGKILL)  # the starter alone; its crawl child is orphaned
        starter.wait()

        def group_gone() -> bool:
            try:
                os.killpg(starter.pid, 0)
            except ProcessLookupError:
                return True
            return False

        wait_for(group_gone, timeout=30)
        fetched = len(slow.hits()[site.host])
    assert fetched < 150  # stopped long before the crawl's end
    log = "".join(path.read_text() for path in (home / "logs").glob(f"crawl-{site.key}-*"))
    assert "the process that started this crawl" in log and "parent_gone" in log


def test_two_crawls_started_at_once_one_runs_the_other_exits_75(tmp_path: Path, demo_site: Path) -> None:
    home = tmp_path / "home"
    with Mirror(demo_site, delay=0.05) as mirror:
        config = write_config(tmp_path / "c.toml", mirror)
        Store.open(load_settings(cli_env(home)).database_url)  # migrated before the race
        crawls = [
            subprocess.Popen(
                [sys.executable, "-m", "monitor", "crawl", "osce_astana"],
                env=cli_env(home, config),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        errors = [crawl.communicate(timeout=120)[1] for crawl in crawls]
        outcomes = sorted((crawl.returncode, error) for crawl, error in zip(crawls, errors, strict=True))
    assert [code for code, _ in outcomes] == [0, 75], outcomes
    assert "not started: crawl:osce_astana is running elsewhere" in outcomes[1][1]
    store = Store.open(load_settings(cli_env(home)).database_url)
    with store.session() as session:
        assert session.scalars(select(CrawlRunRow.status)).all() == ["ok"]


def test_leases_expire_renew_and_pass_on_from_dead_holders(settings) -> None:
    store = Store.open(settings.database_url)
    with Lease(store, ["digest"], ttl=timedelta(seconds=1)):
        with pytest.raises(Busy, match="digest is running elsewhere"):
            Lease(store, ["digest"]).acquire()
        first_expiry = held(store)[0].expires_at
        wait_for(lambda: datetime.now(UTC) > as_utc(first_expiry))
        # past the lease's first expiry: the holder's renewals keep it
        with pytest.raises(Busy):
            Lease(store, ["digest"], wait=0.3).acquire()
    Lease(store, ["digest"]).acquire().release()  # released on exit

    # a holder on another machine that stopped renewing: free once its lease has expired
    stale = Lease(store, ["crawl:lprc"], ttl=timedelta(seconds=0.5), holder="elsewhere:1:x")
    stale._try_acquire()
    with pytest.raises(Busy):
        Lease(store, ["crawl:lprc"]).acquire()
    Lease(store, ["crawl:lprc"], wait=5).acquire().release()  # taken once it has expired

    # a holder on this host whose process is gone: free at once
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    from monitor.storage.leases import HOST

    Lease(store, ["crawl:lprc"], ttl=timedelta(hours=1), holder=f"{HOST}:{dead.pid}:x")._try_acquire()
    Lease(store, ["crawl:lprc"]).acquire().release()


def jsonl(path: Path, n: int, start: int = 0) -> Path:
    lines = []
    for i in range(start, start + n):
        words = " ".join(f"word{i}x{j}" for j in range(400))
        lines.append(
            json.dumps(
                {
                    "url": f"https://astana.osce.org/news/x/{800000 + i}",
                    "source": "osce_astana",
                    "title": f"Court reform seminar {i}",
                    "published": "2026-03-01",
                    "text": f"Judges discussed court reform {i}. {words}",
                }
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def set_read_only(database_url: str, on: bool) -> None:
    """PostgreSQL: every new session of the database starts read-only (set from the server's
    admin database: a read-only session could not undo it)."""
    with create_engine(os.environ["MONITOR_TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT").connect() as connection:
        name = make_url(database_url).database
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {"on" if on else "off"}'))


def test_a_read_only_database_is_a_clear_error_and_nothing_changes(tmp_path: Path, database_url: str | None) -> None:
    home = tmp_path / "home"
    assert monitor_cli("ingest", str(jsonl(tmp_path / "a.jsonl", 3)), home=home).returncode == 0
    database = home / "monitor.sqlite"
    env = cli_env(home)
    if database_url:
        set_read_only(database_url, True)
    elif os.geteuid() == 0:  # root writes whatever the file mode says: open the file read-only instead
        env["MONITOR_DATABASE_URL"] = f"sqlite:///file:{database}?mode=ro&uri=true"
    else:
        database.chmod(0o444)
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "ingest", str(jsonl(tmp_path / "b.jsonl", 3, start=10))],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert not (tmp_path / "file:").exists()  # a URI's path is no folder to make
    if database_url:
        set_read_only(database_url, False)
    else:
        database.chmod(0o644)
    assert result.returncode == 1
    assert "database error, nothing was half-written: " in result.stderr and "read-only" in result.stderr
    store = Store.open(load_settings(cli_env(home)).database_url)
    assert store.counts()["releases"] == 3


@pytest.mark.sqlite_only
def test_a_full_disk_is_a_clear_error_and_leaves_whole_batches_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert monitor_cli("ingest", str(jsonl(tmp_path / "a.jsonl", 2)), home=home).returncode == 0
    database = home / "monitor.sqlite"
    room = sum(p.stat().st_size for p in home.glob("monitor.sqlite*")) + 400_000

    def small_disk() -> None:  # files may grow to `room` bytes; beyond, writes fail as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))

    result = subprocess.run(
        [sys.executable, "-m", "monitor", "ingest", str(jsonl(tmp_path / "b.jsonl", 400, start=100))],
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=small_disk,
    )
    assert result.returncode == 1, result.stderr
    assert "database error, nothing was half-written: disk I/O error (is the disk full?)" in result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = db.execute("SELECT count(*) FROM releases").fetchone()[0]
        tagged = db.execute("SELECT count(DISTINCT release_id) FROM tags").fetchone()[0]
        revisions = db.execute("SELECT count(DISTINCT release_id) FROM revisions").fetchone()[0]
    assert 2 <= stored < 402 and tagged == stored and revisions == stored  # no release without its parts
    # once there is room again the same import completes
    again = monitor_cli("ingest", str(tmp_path / "b.jsonl"), home=home, timeout=300)
    assert again.returncode == 0, again.stderr
    assert Store.open(load_settings(cli_env(home)).database_url).counts()["releases"] == 402
