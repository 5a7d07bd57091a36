"""`monitor releases` and `monitor stories`: what is stored, as tables or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from monitor.cli.common import EXIT_FAILED, EXIT_OK, iso_date
from monitor.cli.tables import table, visible
from monitor.reporting.export import release_json, story_json
from monitor.settings.config import Settings
from monitor.storage.filing import file_stories
from monitor.storage.refiling import refile_stories
from monitor.storage.store import Store


def add_commands(commands: Any) -> None:
    releases = commands.add_parser(
        "releases", help="list stored releases", description="List stored releases, newest first."
    )
    releases.add_argument("--since", type=iso_date, metavar="DATE")
    releases.add_argument("--until", type=iso_date, metavar="DATE")
    releases.add_argument("--topic", action="append", default=[], help="only releases with this topic tag")
    releases.add_argument("--limit", type=int, default=50, help="at most N rows (default 50; 0 for all)")
    releases.add_argument("--json", action="store_true", help="print a JSON array with every field")
    releases.add_argument("--explain", type=int, metavar="ID", help="show one release: dates, tags and why")
    releases.set_defaults(handler=cmd_releases)

    stories = commands.add_parser(
        "stories",
        help="list stories: each event once, with every release that told it",
        description="List stories by the date of their canonical release, newest first.",
    )
    stories.add_argument("--since", type=iso_date, metavar="DATE")
    stories.add_argument("--until", type=iso_date, metavar="DATE")
    stories.add_argument("--json", action="store_true", help="print a JSON array")
    stories.add_argument(
        "--refile",
        action="store_true",
        help="file every stored release again under the current rules (once, after an upgrade that changed them)",
    )
    stories.set_defaults(handler=cmd_stories)


def reading(settings: Settings) -> Store:
    """The store, after saying which one (to stderr: the output stays clean for tools): a user
    who ran the demo should not wonder why their own store looks different."""
    print(f"monitor: reading {settings.safe_database_url}", file=sys.stderr)
    return Store.open(settings.database_url)


def cmd_releases(args: argparse.Namespace, settings: Settings) -> int:
    store = reading(settings)
    if args.explain is not None:
        row = store.release(args.explain)
        if row is None:
            print(f"monitor: no release {args.explain}", file=sys.stderr)
            return EXIT_FAILED
        data = release_json(row)
        print(f"{visible(row.title)}\n{visible(row.canonical_url)}\n")
        for key in (
            "source",
            "lang",
            "published",
            "published_provenance",
            "event_date",
            "event_provenance",
            "dateline_place",
            "revisions",
            "duplicate_of",
        ):
            print(f"  {key:22} {visible(data[key])}")
        print(f"  {'published as written':22} {visible(row.published_raw)}")
        print("\ntags:")
        for tag in sorted(row.tags, key=lambda t: (t.kind, t.value)):
            print(f"  {tag.kind:13} {visible(tag.value):28} because {visible('; '.join(tag.evidence))}")
        return EXIT_OK
    rows = store.releases(args.since, args.until, topics=args.topic, include_duplicates=args.json)
    if args.limit:
        rows = rows[: args.limit]
    if args.json:
        json.dump([release_json(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return EXIT_OK
    print(
        table(
            ["id", "published", "source", "lang", "topics", "title"],
            [
                [
                    r.id,
                    r.published or "?",
                    r.source_key,
                    r.lang,
                    ",".join(sorted(t.value for t in r.tags if t.kind == "topic")),
                    r.title,
                ]
                for r in rows
            ],
            max_width=70,
        )
    )
    return EXIT_OK


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    store = reading(settings)
    if args.refile:
        print("filing every stored release again ...", file=sys.stderr)
        before, after = refile_stories(store, datetime.now(UTC))
        print(f"{before} stories before, {after} now; what digests carried stays carried", file=sys.stderr)
        return EXIT_OK
    file_stories(store, datetime.now(UTC))
    stories = store.stories(args.since, args.until)
    if args.json:
        json.dump([story_json(story) for story in stories], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return EXIT_OK
    rows = [
        [story.id, data["published"], len(story.members), ",".join(data["topics"]), data["title"]]
        for story in stories
        if (data := story_json(story))
    ]
    print(table(["story", "published", "releases", "topics", "title"], rows, max_width=70))
    return EXIT_OK
