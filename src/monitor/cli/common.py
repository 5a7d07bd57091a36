"""What every command shares: exit codes and argument types."""

from __future__ import annotations

import argparse
from datetime import date

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 75  # EX_TEMPFAIL: the same job is running elsewhere; try again later
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a program whose reader went away


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_wait(parser: argparse.ArgumentParser, elsewhere: str) -> None:
    parser.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS", help=f"wait this long if {elsewhere} elsewhere"
    )
