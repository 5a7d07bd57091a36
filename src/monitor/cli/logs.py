"""The process's log on stderr: `-v` shows the monitor's debug details, never the HTTP libraries'."""

from __future__ import annotations

import logging

# Their debug lines name each request's path and query, where a chat webhook keeps its secret
# (Slack, Discord, Teams and json:// URLs alike); their warnings and errors still show.
QUIET = ("urllib3", "requests", "httpx", "httpcore", "apprise")


def configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
