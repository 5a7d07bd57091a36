"""`monitor schedule`, `monitor status` and `monitor demo`: running the monitor and watching it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from monitor.cli.common import EXIT_FAILED, EXIT_OK
from monitor.cli.tables import table
from monitor.settings.config import Settings


def add_commands(commands: Any) -> None:
    schedule = commands.add_parser(
        "schedule",
        help="run the scheduler in the foreground (for systemd or a terminal)",
        description="Run crawls per group every N hours, each digest when its period ends, and delivery "
        "retries, from [schedule] and [digests] in the config. Jobs are kept in the database; a job missed "
        "while the scheduler was down runs once when it starts. SIGTERM or Ctrl-C stops it after the "
        "running jobs finish.",
    )
    schedule.set_defaults(handler=cmd_schedule)

    status = commands.add_parser(
        "status",
        help="jobs, what runs now, source health, deliveries, open incidents, the database",
        description="Show the last and next run of each job, the leases held, on PostgreSQL the job queue "
        "(waiting, running on which worker, failed with why) and the workers with their last heartbeat, each "
        "source's health, deliveries not yet sent and open incidents. Exit 1 while any incident is open.",
    )
    status.set_defaults(handler=cmd_status)

    demo = commands.add_parser(
        "demo",
        help="offline demo: serve a local mirror, crawl it, render a digest",
        description="Serve a bundled mirror of the OSCE sites on 127.0.0.1, crawl it with "
        "the real spiders and render the digest. Nothing leaves this machine.",
    )
    demo.add_argument("--workdir", type=Path, default=Path("var/demo"), help="where the demo keeps its database")
    demo.set_defaults(handler=cmd_demo)


def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.operations.scheduler import run_scheduler

    config = str(settings.config_path) if settings.config_path else None
    return run_scheduler(settings, config)


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.operations.status import gather

    status = gather(settings, str(settings.config_path) if settings.config_path else None)
    print(f"database: {status.database} (schema {status.schema})\n")
    print(table(["job", "schedule", "last run", "message", "next run"], status.jobs, max_width=60))
    print("\nrunning now:" if status.running else "\nrunning now: nothing")
    if status.running:
        print(table(["lease", "holder", "since", "expires"], status.running))
    if status.queue is not None:
        print("\nqueue:" if status.queue else "\nqueue: empty")
        if status.queue:
            print(table(["job", "what", "state", "worker", "tries", "since", "why"], status.queue, max_width=70))
    if status.workers is not None:
        print("\nworkers:" if status.workers else "\nworkers: none running")
        if status.workers:
            print(table(["worker", "state", "last heartbeat", "running", "queues"], status.workers))
    print()
    print(table(["source", "enabled", "health", "last success", "reason"], status.sources, max_width=70))
    counts = ", ".join(f"{n} {state}" for state, n in sorted(status.deliveries.items())) or "none yet"
    print(f"\ndeliveries: {counts}")
    if status.undelivered:
        print(table(["id", "recipient", "status", "tries", "next try", "error"], status.undelivered, max_width=60))
    print("\nopen incidents:" if status.incidents else "\nopen incidents: none")
    if status.incidents:
        print(table(["incident", "since", "summary"], status.incidents, max_width=90))
    return EXIT_OK if status.healthy else EXIT_FAILED


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.demo.run import run_demo

    outcome = run_demo(args.workdir.resolve())
    print(
        table(
            ["source", "status", "pages", "new", "updated", "unchanged", "errors"],
            [[r.source, r.status, r.pages, r.new, r.updated, r.unchanged, r.errors] for r in outcome.crawls],
        ),
        file=sys.stderr,
    )
    print(f"demo: {outcome.stories} stories in the digest", file=sys.stderr)
    print(outcome.digest)
    print(
        "\ndemo: each subscriber's own digest, as issued when today ends in Almaty (a dry run: written, not sent):",
        file=sys.stderr,
    )
    print(
        table(
            ["digest", "stories", "pdf"],
            [[e.definition.title, e.digest.total, e.pdf or "(empty)"] for e in outcome.editions],
            max_width=100,
        ),
        file=sys.stderr,
    )
    for path in outcome.outbox:
        print(f"  {path}", file=sys.stderr)
    print_web_hint(outcome.database_url, args.workdir.resolve())
    return EXIT_FAILED if outcome.failed else EXIT_OK


def print_web_hint(database_url: str, workdir: Path) -> None:
    """One command that opens the demo's stories in the web view, and an account to sign in with
    (a viewer with a fresh random password, on a server that listens on this machine only)."""
    import secrets
    import shlex
    from datetime import UTC, datetime

    from monitor.storage.store import Store
    from monitor.web.accounts import add_user

    password = secrets.token_urlsafe(12)
    add_user(Store.open(database_url), "demo@localhost", "viewer", password, datetime.now(UTC))
    program = Path(sys.executable).with_name("monitor")
    if not program.exists():
        program = Path("monitor")
    elif program.is_relative_to(Path.cwd()):
        program = program.relative_to(Path.cwd())
    command = shlex.join(
        ["env", f"MONITOR_HOME={workdir}", f"MONITOR_DATABASE_URL={database_url}", str(program), "web"]
    )
    print(
        f"\ndemo: to browse the demo's stories in the web view, run\n\n    {command}\n\n"
        f"and open http://127.0.0.1:8000/ ; sign in as demo@localhost with the password {password}",
        file=sys.stderr,
    )
