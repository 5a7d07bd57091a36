"""`monitor worker`: take crawls, story passes, digests and deliveries from the job queue
(PostgreSQL only) until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from monitor.cli.common import EXIT_OK
from monitor.operations.queue import QUEUES, require_queue
from monitor.settings.config import ConfigError, Settings


def add_commands(commands: Any) -> None:
    worker = commands.add_parser(
        "worker",
        help="run queued crawls, story passes and digests (PostgreSQL; any number, on any machine)",
        description="Take jobs from the queue in the PostgreSQL database and run them: a crawl of one source "
        "(a `scrapy crawl` child with its time limit), the story pass, issuing and sending a digest, delivery "
        "retries. `monitor schedule`, `monitor crawl --queue` and the web view queue them. SIGTERM or Ctrl-C "
        "stops taking jobs, lets the running ones finish, then exits. Jobs of a worker that died are run again "
        "by another once its heartbeat stops ([queue] stalled_after_s).",
    )
    worker.add_argument("--concurrency", type=int, metavar="N", help="jobs at once (default [queue] concurrency)")
    worker.add_argument(
        "--queues",
        nargs="+",
        choices=QUEUES,
        default=[],
        metavar="QUEUE",
        help=f"take jobs only from these queues ({', '.join(QUEUES)}; default all)",
    )
    worker.set_defaults(handler=cmd_worker)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.operations.workers import run_worker

    require_queue(settings)
    if args.concurrency is not None and args.concurrency < 1:
        raise ConfigError("--concurrency must be at least 1")
    # A worker runs under systemd or in a terminal: say which jobs start and end.
    for name in ("monitor", "procrastinate.worker"):
        logging.getLogger(name).setLevel(logging.INFO)
    run_worker(settings, args.queues, args.concurrency)
    return EXIT_OK
