"""`monitor subscribers`: readers' own digests (filters, saved searches, period, address)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from monitor.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from monitor.cli.tables import table, visible
from monitor.reporting.ledger import deliveries_of
from monitor.reporting.subscriptions import check_filters
from monitor.settings.config import Settings
from monitor.settings.definitions import DefinitionError
from monitor.settings.subscribers import filter_set, subscriber_spec
from monitor.storage import subscribers
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy

FILTER_OPTIONS = {  # option -> the filter it fills
    "topic": "topics",
    "country": "countries",
    "organisation": "organisations",
    "source": "sources",
    "lang": "languages",
    "search": "searches",
}


def add_commands(commands: Any) -> None:
    parser = commands.add_parser(
        "subscribers",
        help="readers' own digests: add, list, show, remove, unsubscribe",
        description="Each subscriber gets their own issue of the stories matching their filters and saved "
        "searches, at their own period, by e-mail or in a chat channel (channel:NAME, its URL in "
        "MONITOR_CHANNEL_NAME). Subscribers with the same filters and period share one PDF. Repeat a filter "
        "option for several values (a story matches one value of each filter given). `--follows DIGEST` "
        "gets a configured digest instead. The config's [subscribers.NAME] tables and digest recipients "
        "are listed too (origin config).",
    )
    parser.add_argument("action", choices=["add", "list", "show", "remove", "unsubscribe", "resubscribe"])
    parser.add_argument("target", nargs="?", metavar="ADDRESS|NAME", help="add: the address; else a name or id")
    parser.add_argument("--name", help="add: a name for the subscriber (default: the address)")
    parser.add_argument("--period", default="weekly", help="daily, weekly, monthly or a cron expression")
    parser.add_argument("--timezone", default="Asia/Almaty", help="where the period's days begin (default Asia/Almaty)")
    for option, key in FILTER_OPTIONS.items():
        hint = "a full-text query, as in the web view's search" if key == "searches" else f"one of the {key}"
        parser.add_argument(f"--{option}", action="append", default=[], dest=key, help=hint)
    parser.add_argument("--follows", default="", metavar="DIGEST", help="get this configured digest's issues")
    parser.add_argument("--empty", choices=["note", "skip"], default="note", help="an empty period: a note, or nothing")
    parser.add_argument("--all", action="store_true", help="list: also those who unsubscribed")
    parser.set_defaults(handler=cmd_subscribers)


def cmd_subscribers(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.open(settings.database_url)
    now = datetime.now(UTC)
    subscribers.sync_config(store, settings.subscribers, now)
    if args.action == "list":
        rows = subscribers.listed(store, active_only=not args.all)
        print(table(["id", "name", "address", "gets", "origin", "state"], [_row(r) for r in rows], max_width=70))
        return EXIT_OK
    if not args.target:
        print(
            f"monitor: subscribers {args.action} needs {'an ADDRESS' if args.action == 'add' else 'a NAME'}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        if args.action == "add":
            return _add(args, settings, store, now)
        row = subscribers.find(store, args.target)
    except (subscribers.SubscriberError, DefinitionError) as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return EXIT_USAGE if args.action == "add" else EXIT_FAILED
    if args.action == "show":
        _show(store, row)
    elif args.action == "remove":
        subscribers.remove(store, row.id)
        print(
            f"{visible(row.name)} removed"
            + (" (it is in the config file: remove it there too)" if row.origin == "config" else "")
        )
    elif args.action == "unsubscribe":
        subscribers.unsubscribe(store, row.id, "cli", now)
        print(f"{visible(row.name)} unsubscribed: no further issue goes to {visible(row.address)}")
    else:
        subscribers.resubscribe(store, row.id)
        print(f"{visible(row.name)} subscribed again")
    return EXIT_OK


def _add(args: argparse.Namespace, settings: Settings, store: Store, now: datetime) -> int:
    data: dict[str, Any] = {"address": args.target, "period": args.period, "timezone": args.timezone}
    data |= {key: getattr(args, key) for key in FILTER_OPTIONS.values()}
    data |= {"follows": args.follows, "empty": args.empty}
    spec = subscriber_spec(args.name or args.target.strip(), data, settings.digests)
    check_filters(settings, load_taxonomy(settings.taxonomy_path), spec)
    row = subscribers.add(store, spec, "cli", now)
    print(f"subscriber {row.id} {visible(row.name)}: {visible(spec.describe())} → {visible(row.address)}")
    return EXIT_OK


def _row(row: Any) -> list[object]:
    spec = subscribers.spec_of(row)
    state = f"unsubscribed {row.unsubscribed_at:%Y-%m-%d} ({row.unsubscribed_via})" if row.unsubscribed_at else "active"
    return [row.id, row.name, row.address, spec.describe(), row.origin, state]


def _show(store: Store, row: Any) -> None:
    spec = subscribers.spec_of(row)
    shared = spec.follows or filter_set(spec).name
    # Names, addresses and saved searches come from the web view and the config: never raw to a terminal
    print(f"{visible(row.name)} (id {row.id}, {row.origin})")
    print(f"  address   {visible(row.address)}\n  gets      {visible(spec.describe())}")
    print(f"  timezone  {visible(row.timezone)}\n  empty     {row.empty}\n  issues of {visible(shared)}")
    state = (
        f"unsubscribed {row.unsubscribed_at:%Y-%m-%d %H:%M} via {visible(row.unsubscribed_via)}"
        if row.unsubscribed_at
        else "active"
    )
    print(f"  state     {state}")
    sent = deliveries_of(store, row.id)
    if sent:
        print(
            table(
                ["issue", "period end", "status", "attempts", "error"],
                [[d.run_id, f"{d.run.period_end:%Y-%m-%d}", d.status, d.attempts, d.error] for d in sent],
            )
        )
