"""Queue workers benchmark: 120 crawl jobs against small sites served on 127.0.0.1 (one of them a
slow host), run by 1, 2 and 4 `monitor worker` processes of 2 slots each, on PostgreSQL.

Each site answers at once, but its source keeps a politeness delay between requests (as real
sources do): a crawl waits more than it computes, so more slots finish the same jobs sooner
until the machine's CPUs are the limit. Prints (a) the wall time of the 120 jobs per worker
count, each on a fresh database, with a check that each source was crawled exactly once and
every release stored once; (b) the queue's overhead per job: crawls run directly (crawl_job)
against their twins run through the queue by one worker with one slot, in turns (the order
swapped every other pair), in the same run (the median difference); (c) the scaling from 1 to 2 workers. The last line is one JSON object.

    .venv/bin/python bench/workers.py [--jobs 120] [--delay 0.8] [--workers 1 2 4]

PostgreSQL: $MONITOR_TEST_POSTGRES_URL, or the throwaway server scripts/postgres.sh starts.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from monitor.demo.fleet import Site, build_fleet, fleet_config
from monitor.demo.mirror import Mirror
from monitor.operations.jobs import crawl_job
from monitor.operations.queue import request_crawl, workers
from monitor.settings.config import load_settings
from monitor.storage.models import CrawlRunRow, ReleaseRow
from monitor.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
RELEASES_EACH = 2
SLOW_HOST_DELAY = 0.5  # seconds before each answer of the slow host
OVERHEAD_JOBS = 24  # pairs: the median is steady against the odd slow crawl
QUEUE = "[queue]\nheartbeat_s = 2\nstalled_after_s = 10\npoll_s = 1\n"


def admin_url() -> str:
    url = os.environ.get("MONITOR_TEST_POSTGRES_URL")
    if url:
        return url
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()


@contextmanager
def fresh_database(admin: str) -> Iterator[str]:
    name = f"bench_workers_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        engine.dispose()


@contextmanager
def worker_processes(env: dict[str, str], count: int, work: Path, *args: str) -> Iterator[list[subprocess.Popen]]:
    logs = [(work / f"worker-{uuid.uuid4().hex[:6]}.log").open("wb") for _ in range(count)]
    processes = [
        subprocess.Popen([sys.executable, "-m", "monitor", "worker", *args], env=env, stdout=log, stderr=log)
        for log in logs
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=120)
        for log in logs:
            log.close()


def wait(condition, timeout: float, what: str, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: timed out waiting for {what}")
        time.sleep(every)  # the queue gives no signal to block on here


def queue_idle(store: Store) -> bool:
    with store.engine.connect() as conn:
        return not conn.execute(
            text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")
        ).scalar()


def crawled_once(store: Store, sites: list[Site], mirrors: list[Mirror]) -> bool:
    with store.session() as session:
        runs = session.execute(select(CrawlRunRow.source_key, CrawlRunRow.status)).all()
        identities = list(session.scalars(select(ReleaseRow.identity)))
        failed_jobs = session.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status <> 'succeeded'"))
        failed = failed_jobs.scalar_one()
    hits: dict[str, list[str]] = {}
    for mirror in mirrors:
        hits |= mirror.hits()
    once = sorted(key for key, _ in runs) == sorted(s.key for s in sites) and {status for _, status in runs} == {"ok"}
    listings_once = all(hits[s.host].count("/news") == 1 for s in sites)
    stored_once = len(identities) == len(set(identities)) == len(sites) * RELEASES_EACH
    return once and listings_once and stored_once and failed == 0


def db_now(store: Store) -> datetime:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT clock_timestamp()")).scalar_one()


def finished_at(store: Store, job_id: int) -> datetime | None:
    with store.engine.connect() as conn:
        return conn.execute(
            text("SELECT max(at) FROM procrastinate_events WHERE job_id = :id AND type = 'succeeded'"), {"id": job_id}
        ).scalar()


def run_seconds(store: Store, job_id: int) -> float:
    """How long the job's recorded run (crawl_job inside the worker) took."""
    with store.engine.connect() as conn:
        started, finished = conn.execute(
            text("SELECT started_at, finished_at FROM job_runs WHERE queue_job_id = :id"), {"id": job_id}
        ).one()
    return (finished - started).total_seconds()


def overhead_pairs(work: Path, config: Path, database: str, probe_keys: list[str]) -> tuple[list[float], list[float]]:
    """Seconds each queued crawl took beyond its twin run directly: from the request to the
    job's end (the database's clock) against crawl_job's own time; and, with less noise, the
    queued job's time beyond its own recorded run (pick-up, bookkeeping, the story pass request)."""
    env = {**os.environ, "MONITOR_DATABASE_URL": database, "MONITOR_HOME": str(work / "home"),
           "MONITOR_CONFIG": str(config)}  # fmt: skip
    settings = load_settings(env, config_path=config)
    store = Store.open(database)
    overheads, bookkeeping = [], []
    with worker_processes(env, 1, work, "--concurrency", "1", "--queues", "crawls"):
        wait(lambda: alive_workers(store) == 1, 60, "a worker")

        def direct(key: str) -> float:
            started = time.perf_counter()
            crawl_job(settings, [settings.source(key)], datetime.now(UTC), jobs=1, file_after=False, store=store)
            return time.perf_counter() - started

        def queued(key: str) -> tuple[float, float]:
            requested = db_now(store)
            job = request_crawl(settings, key, store=store)
            wait(lambda: finished_at(store, job.job_id) is not None, 300, f"crawl {key}", every=0.1)
            took = (finished_at(store, job.job_id) - requested).total_seconds()  # type: ignore[operator]
            return took, took - run_seconds(store, job.job_id)

        for turn, (direct_key, queued_key) in enumerate(zip(probe_keys[::2], probe_keys[1::2], strict=True)):
            # every other pair runs the queued twin first, so that whatever favours the first
            # (or second) crawl of a pair cancels out in the median
            if turn % 2:
                (through_queue, outside_run), directly = queued(queued_key), direct(direct_key)
            else:
                directly, (through_queue, outside_run) = direct(direct_key), queued(queued_key)
            overheads.append(through_queue - directly)
            bookkeeping.append(outside_run)
    store.engine.dispose()
    return overheads, bookkeeping


def alive_workers(store: Store) -> int:
    return len([w for w in workers(store, 10) or [] if w.alive and w.name])


def phase(
    admin: str, work: Path, config: Path, count: int, sites: list[Site], mirrors: list[Mirror]
) -> tuple[float, bool, int]:
    """The crawl of every site by `count` workers on a fresh database: wall time, whether each
    source was crawled once and every release stored once, and how many releases were stored."""
    for mirror in mirrors:
        mirror.reset_hits()
    with fresh_database(admin) as database:
        env = {**os.environ, "MONITOR_DATABASE_URL": database, "MONITOR_HOME": str(work / "home"),
               "MONITOR_CONFIG": str(config)}  # fmt: skip
        settings = load_settings(env, config_path=config)
        store = Store.open(database)
        with worker_processes(env, count, work, "--concurrency", "2"):
            wait(lambda: alive_workers(store) == count, 60, f"{count} workers")
            started = time.perf_counter()
            for site in sites:
                request_crawl(settings, site.key, store=store)
            wait(lambda: queue_idle(store), 1800, "the crawl jobs", every=0.05)
            wall = time.perf_counter() - started
        once = crawled_once(store, sites, mirrors)
        with store.session() as session:
            stored = session.scalar(select(func.count(ReleaseRow.id))) or 0
        store.engine.dispose()
    return wall, once, stored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=120, help="crawl jobs (one source each)")
    parser.add_argument("--delay", type=float, default=0.8, help="politeness delay of each source, seconds")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    admin = admin_url()
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp:
        work = Path(tmp)
        keys = [f"b{i:03d}" for i in range(args.jobs)]
        sites = build_fleet(work / "fast", keys[:-1], RELEASES_EACH)
        slow_sites = build_fleet(work / "slow", keys[-1:], RELEASES_EACH, first_nid=900000)
        probe_keys = [f"p{i:02d}" for i in range(2 * OVERHEAD_JOBS)]
        probes = build_fleet(work / "probe", probe_keys, RELEASES_EACH, first_nid=950000)
        fast, slow = Mirror(work / "fast").start(), Mirror(work / "slow", SLOW_HOST_DELAY).start()
        probe = Mirror(work / "probe").start()
        mirrors = [fast, slow]
        try:
            config, probe_config = work / "bench.toml", work / "probes.toml"
            config.write_text(fleet_config([(fast, sites), (slow, slow_sites)], args.delay) + QUEUE)
            # The probes crawl without a delay, from a config of their own: their time is the
            # crawl's own work, so that the queue's share shows against it, with less noise than
            # politeness waits (or a crawl child reading 120 other sources' settings) would add.
            probe_config.write_text(fleet_config([(probe, probes)], 0.0) + QUEUE)
            all_sites = sites + slow_sites
            print(
                f"{len(all_sites)} crawl jobs, {RELEASES_EACH} releases each, politeness delay {args.delay:g} s, "
                f"one slow host answering after {SLOW_HOST_DELAY:g} s; {os.cpu_count()} CPUs"
            )

            # (b) the queue's overhead per job: each probe crawl directly, then its twin through the
            # queue, in turns, so that a neighbour's load on the machine hits both alike
            with fresh_database(admin) as database:
                overheads, bookkeeping = overhead_pairs(work, probe_config, database, probe_keys)
            overhead_ms = statistics.median(overheads) * 1000
            bookkeeping_ms = statistics.median(bookkeeping) * 1000
            print(f"overhead: {len(overheads)} crawls directly and their twins through the queue (one worker, one "
                  f"slot): median {overhead_ms:+.0f} ms per job (each: "
                  f"{', '.join(f'{o * 1000:+.0f}' for o in overheads)})  [target <= 50]")  # fmt: skip
            print(f"  of which outside the crawl job's own recorded run (pick-up, bookkeeping, story pass request): "
                  f"median {bookkeeping_ms:.0f} ms")  # fmt: skip

            # (a) the 120 jobs by 1, 2 and 4 workers of 2 slots each
            walls: dict[int, float] = {}
            once = True
            for count in args.workers:
                walls[count], this_once, stored = phase(admin, work, config, count, all_sites, mirrors)
                once = once and this_once
                print(f"{count} worker(s) x 2 slots: {len(all_sites)} jobs in {walls[count]:.1f} s "
                      f"({len(all_sites) / walls[count]:.2f} jobs/s), {stored} releases stored, "
                      f"each source crawled once: {this_once}")  # fmt: skip
        finally:
            for mirror in (fast, slow, probe):
                mirror.stop()
    first, second = args.workers[0], args.workers[1] if len(args.workers) > 1 else args.workers[0]
    scaling = walls[first] / walls[second]
    print(f"scaling from {first} to {second} workers: {scaling:.2f} x  [target >= 1.7]")
    result = {f"wall_s_{n}": round(walls[n], 1) for n in args.workers}
    result |= {
        "overhead_ms_per_job": round(overhead_ms, 1),
        "bookkeeping_ms_per_job": round(bookkeeping_ms, 1),
        "scaling_1_to_2": round(scaling, 2),
        "crawled_once": once,
    }
    print(json.dumps(result))
    return 0 if once else 1


if __name__ == "__main__":
    raise SystemExit(main())
