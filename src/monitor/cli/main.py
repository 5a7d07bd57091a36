"""The `monitor` command: its options, its command groups (crawl, digest, feeds, browse, operate) and
what each kind of failure means as an exit code. Only the commands (and the scheduler) read the
clock and the environment."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from monitor import __version__
from monitor.cli import browse, crawl, digest, feeds, operate, subscribers, web, worker
from monitor.cli.common import EXIT_BUSY, EXIT_FAILED, EXIT_PIPE, EXIT_USAGE
from monitor.cli.logs import configure_logging
from monitor.reporting.mailer import MailError
from monitor.reporting.selection import DigestError
from monitor.settings.config import ConfigError, load_settings
from monitor.storage.engine import DatabaseError
from monitor.storage.leases import Busy

logger = logging.getLogger("monitor")


def database_hint(message: str) -> str:
    if "readonly" in message or "read-only" in message:  # SQLite; PostgreSQL
        return " (the database file or its folder is read-only)"
    if "disk I/O error" in message or "disk is full" in message:
        return " (is the disk full?)"
    return ""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monitor",
        description="Crawls OSCE and partner press releases on justice reform and gender equality in "
        "Central Asia, stores each release once, and renders PDF digests.",
        epilog="Exit codes: 0 success, 1 a source or job failed, 2 bad arguments or configuration, "
        "75 the same crawl or digest is running elsewhere (try again later), 141 the output's reader stopped "
        "reading (as `| head` does).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config", type=Path, help="TOML file overriding the shipped sources and settings (default: $MONITOR_CONFIG)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (crawl, digest, feeds, browse, operate, subscribers, web, worker):
        group.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            return run(argv)
        finally:
            sys.stdout.flush()  # what is still buffered goes out here, where a closed pipe is handled
    except BrokenPipeError:
        return reader_gone()


def reader_gone() -> int:
    """The reader stopped reading (`monitor releases | head -1`): end quietly, as a program that
    SIGPIPE ends would. Standard output now goes to /dev/null, so that the interpreter's own flush
    at exit has nothing left to fail on (Python's documented way: "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE


def run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    try:
        settings = load_settings(config_path=args.config)
        return int(args.handler(args, settings))
    except (ConfigError, DigestError) as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Busy as exc:
        print(f"monitor: not started: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except DBAPIError as exc:  # read-only, full or unreachable database: the transaction was rolled back
        print(
            f"monitor: database error, nothing was half-written: {exc.orig}{database_hint(str(exc.orig))}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except (DatabaseError, MailError) as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        raise  # the reader of our output left (sockets handle their own): main() ends quietly
    except OSError as exc:  # a file or folder the command could not write or read: say which, and why
        logger.debug("file error", exc_info=True)
        print(f"monitor: {exc.filename}: {exc.strerror}" if exc.filename else f"monitor: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("monitor: interrupted", file=sys.stderr)
        return 130
