"""`monitor digest` and `monitor deliveries`: issuing, rendering and sending digests."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.cli.common import EXIT_FAILED, EXIT_OK, add_wait, iso_date
from monitor.cli.tables import table, visible
from monitor.operations.jobs import digest_job, write_digest
from monitor.settings.config import ConfigError, Settings
from monitor.storage.store import Store


def add_commands(commands: Any) -> None:
    digest = commands.add_parser(
        "digest",
        help="issue the configured digests and subscribers' own (and send them), or render a one-off PDF",
        description="Issue each named digest (by default every configured one and every subscriber's own, "
        "see `monitor subscribers`) for its latest period: the stories first seen since its previous issue, "
        "recorded once, PDF in reports/ (one per set of filters, shared by the subscribers who have them), "
        "one delivery queued per recipient. --send sends every due delivery (retries included); --dry-run writes them as .eml files "
        "instead. With --since, render a one-off PDF of the releases published in a date range: nothing is "
        "recorded or sent.",
    )
    digest.add_argument("names", nargs="*", metavar="NAME", help="digest definitions (see [digests] in the config)")
    digest.add_argument("--subscribers", action="store_true", help="with NAMEs: also every subscriber's own digest")
    delivery = digest.add_mutually_exclusive_group()
    delivery.add_argument("--send", action="store_true", help="send due deliveries over SMTP (MONITOR_SMTP_*)")
    delivery.add_argument("--dry-run", action="store_true", help="write due deliveries to the outbox, send nothing")
    digest.add_argument("--outbox", type=Path, metavar="DIR", help="where --dry-run writes (default from config)")
    add_wait(digest, "digests are being sent")
    digest.add_argument("--since", type=iso_date, metavar="DATE", help="one-off digest: first day (YYYY-MM-DD)")
    digest.add_argument("--until", type=iso_date, metavar="DATE", help="one-off digest: last day (default: today)")
    digest.add_argument("--output", type=Path, metavar="PATH", help="one-off PDF path")
    digest.add_argument("--html", action="store_true", help="one-off: also write the HTML next to the PDF")
    digest.set_defaults(handler=cmd_digest)

    deliveries = commands.add_parser(
        "deliveries",
        help="list digest deliveries and their status; queue one again",
        description="List deliveries, newest first. Statuses: pending, sent, failed (retried with backoff), "
        "rejected (the server refused the recipient), unconfirmed (interrupted while sending: the recipient "
        "may have it), abandoned (too many failures). --resend ID queues one again with the same Message-ID; "
        "a chat channel's message in parts resumes at the first part the channel has not taken.",
    )
    deliveries.add_argument("--status", action="append", default=[], help="only deliveries with this status")
    deliveries.add_argument("--limit", type=int, default=50, help="at most N rows (default 50)")
    deliveries.add_argument("--resend", type=int, metavar="ID", help="queue delivery ID again")
    deliveries.set_defaults(handler=cmd_deliveries)


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    now = datetime.now(UTC)
    if args.since or args.until or args.output or args.html:
        if args.names or args.send or args.dry_run or not args.since:
            raise ConfigError(
                "a one-off digest takes --since (and --until, --output, --html) but no NAME, --send or --dry-run"
            )
        until = args.until or now.date()
        print(f"rendering the digest for {args.since} – {until} …", file=sys.stderr)
        path, total = write_digest(settings, args.since, until, now, args.output, args.html)
        print(f"{total} stories in the digest")
        print(path)
        return EXIT_OK
    names = args.names or sorted(settings.digests)
    result = digest_job(
        settings,
        list(dict.fromkeys(settings.digest(n).name for n in names)),  # each once, in the order given
        now,
        subscribers=args.subscribers or not args.names,
        send=args.send,
        dry_run=args.dry_run,
        wait=args.wait,
        outbox=args.outbox,
    )
    print(
        table(
            ["digest", "title", "period", "stories", "issued", "pdf"],
            [
                [
                    e.definition.name,
                    e.definition.title,
                    f"{e.digest.since} – {e.digest.until}",
                    e.digest.total,
                    "now" if created else f"earlier ({e.run.created_at:%Y-%m-%d %H:%M})",
                    e.pdf or "(empty: no PDF)",
                ]
                for e, created in result.editions
            ],
            max_width=100,
        )
    )
    if not result.editions:
        print("no digest is configured and no one subscribes: see [digests.NAME] and `monitor subscribers add`")
    for problem in result.problems:
        print(f"monitor: not issued: {visible(problem)}", file=sys.stderr)
    if args.dry_run:
        print(f"{len(result.outbox)} message(s) written to the outbox, nothing sent:")
        for path in result.outbox:
            print(f"  {path}")
    elif args.send:
        if result.deliveries:
            print(
                table(
                    ["delivery", "digest", "recipient", "status", "detail"],
                    [[d.delivery_id, d.digest, d.recipient, d.status, d.detail] for d in result.deliveries],
                    max_width=80,
                )
            )
        else:
            print("nothing to send: every recipient has this issue already")
    if result.failed:
        print(f"monitor: {len(result.failed)} delivery(ies) not sent; see `monitor deliveries`", file=sys.stderr)
    return EXIT_FAILED if result.failed or result.problems else EXIT_OK


def cmd_deliveries(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.reporting import ledger

    store = Store.open(settings.database_url)
    if args.resend is not None:
        row = ledger.requeue(store, args.resend)
        if row is None:
            print(f"monitor: no delivery {args.resend}", file=sys.stderr)
            return EXIT_FAILED
        if row.status == "sent":
            print(
                f"delivery {row.id} to {visible(row.recipient)} was sent at {row.sent_at:%Y-%m-%d %H:%M}; not queued again"
            )
            return EXIT_FAILED
        resumes = f" from part {row.parts_sent + 1} (the channel has the parts before)" if row.parts_sent else ""
        print(f"delivery {row.id} to {visible(row.recipient)} queued; `monitor digest --send` sends it{resumes}")
        return EXIT_OK
    rows = ledger.deliveries(store, args.status, args.limit)
    print(
        table(
            ["id", "digest", "period end", "recipient", "status", "tries", "next try", "sent", "error"],
            [
                [
                    d.id,
                    d.run.name,
                    f"{d.run.period_end:%Y-%m-%d %H:%M}",
                    d.recipient,
                    d.status,
                    d.attempts,
                    f"{d.next_attempt_at:%Y-%m-%d %H:%M}" if d.next_attempt_at else "",
                    f"{d.sent_at:%Y-%m-%d %H:%M}" if d.sent_at else "",
                    d.error,
                ]
                for d in rows
            ],
            max_width=60,
        )
    )
    return EXIT_OK
