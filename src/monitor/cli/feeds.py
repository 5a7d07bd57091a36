"""`monitor feeds write DIR`: every Atom feed as a static file, for cron and a web server."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from monitor.cli.common import EXIT_FAILED, EXIT_OK
from monitor.cli.tables import table
from monitor.reporting.feed_files import write_feeds
from monitor.settings.config import Settings
from monitor.settings.names import check_name
from monitor.storage.store import Store
from monitor.storage.subscribers import sync_config
from monitor.understanding.classify import load_taxonomy


def base_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"not an http(s) address: {text!r}")
    return text.rstrip("/")


def named_search(text: str) -> tuple[str, str]:
    name, equals, query = text.partition("=")
    if not equals or not query.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=QUERY: {text!r}")
    try:
        return check_name("search name", name.strip()), query.strip()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_commands(commands: Any) -> None:
    feeds = commands.add_parser(
        "feeds",
        help="Atom feeds of topics, countries, digests and searches as static files",
        description="The web view serves every feed at /feeds (each user's URLs carry a feed token). "
        "`feeds write DIR` writes the same feeds as static files for a web server of your own, from cron: "
        "DIR/topics/KEY.atom (and KEY/SUBTOPIC.atom), DIR/countries/NAME.atom, DIR/digests/NAME.atom, "
        "DIR/searches/NAME.atom for each --search, and DIR/searches/SLUG-HASH.atom for each query a "
        "subscriber has saved (one file per distinct query, however many subscribers saved it: SLUG is the "
        "query in Latin letters, at most 40, HASH 8 hex digits of the query's SHA-256, case and spacing "
        "aside). Each file is replaced whole (written aside, then renamed); an unchanged feed is not "
        "rewritten. The files carry no token: serve them only where their readers may read.",
    )
    actions = feeds.add_subparsers(dest="feeds_action", required=True, metavar="ACTION")
    write = actions.add_parser(
        "write",
        help="write every feed under DIR",
        description="Write every feed under DIR, subscribers' saved searches included (not those of "
        "subscribers who unsubscribed), and print each file with its number of entries. "
        "Exit 1 when a feed could not be made (a digest definition naming an unknown topic, a taxonomy "
        "name that cannot be a file name): the others are written all the same.",
    )
    write.add_argument("folder", type=Path, metavar="DIR", help="folder to write into (made if missing)")
    write.add_argument(
        "--base-url",
        type=base_url,
        metavar="URL",
        help="where DIR is served, for the feeds' self links (default: the public URL's /feeds)",
    )
    write.add_argument(
        "--search",
        type=named_search,
        action="append",
        default=[],
        metavar="NAME=QUERY",
        help="also write searches/NAME.atom: the stories a full-text QUERY finds (repeatable)",
    )
    write.set_defaults(handler=cmd_feeds_write)


def cmd_feeds_write(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.open(settings.database_url)
    sync_config(store, settings.subscribers, datetime.now(UTC))  # the file's subscribers have feeds too
    written = write_feeds(
        store, settings, load_taxonomy(settings.taxonomy_path), args.folder, args.base_url, args.search
    )
    print(table(["file", "entries", "status"], [[w.path, w.entries, w.status] for w in written], max_width=90))
    changed = sum(w.status == "written" for w in written)
    print(f"monitor: {len(written)} feeds in {args.folder}, {changed} changed", file=sys.stderr)
    return EXIT_FAILED if any(w.failed for w in written) else EXIT_OK
