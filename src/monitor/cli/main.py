"""The `monitor` command. Only this module (and the scheduler) reads the clock and the environment."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from monitor import __version__
from monitor.cli.tables import table
from monitor.crawling.check import check_source
from monitor.operations.jobs import crawl_job, digest_job, write_digest
from monitor.reporting.content import DigestError, tag_values
from monitor.reporting.mailer import MailError
from monitor.settings.config import ConfigError, Settings, load_settings
from monitor.storage.engine import DatabaseError
from monitor.storage.leases import Busy
from monitor.storage.models import ReleaseRow, StoryRow
from monitor.storage.store import Store

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 75  # EX_TEMPFAIL: the same job is running elsewhere; try again later

logger = logging.getLogger("monitor")


def database_hint(message: str) -> str:
    if "readonly" in message or "read-only" in message:  # SQLite; PostgreSQL
        return " (the database file or its folder is read-only)"
    if "disk I/O error" in message or "disk is full" in message:
        return " (is the disk full?)"
    return ""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_wait(parser: argparse.ArgumentParser, elsewhere: str) -> None:
    parser.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS", help=f"wait this long if {elsewhere} elsewhere"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monitor",
        description="Crawls OSCE and partner press releases on justice reform and gender equality in "
        "Central Asia, stores each release once, and renders PDF digests.",
        epilog="Exit codes: 0 success, 1 a source or job failed, 2 bad arguments or configuration, "
        "75 the same crawl or digest is running elsewhere (try again later).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config", type=Path, help="TOML file overriding the shipped sources and settings (default: $MONITOR_CONFIG)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = commands.add_parser(
        "crawl",
        help="crawl sources now (all enabled sources by default)",
        description="Crawl sources in child processes and print what each brought.",
    )
    crawl.add_argument("sources", nargs="*", metavar="SOURCE", help="source keys (see `monitor sources`)")
    walk = crawl.add_mutually_exclusive_group()
    walk.add_argument("--full", action="store_true", help="walk every listing page and refetch every article")
    walk.add_argument("--since", type=iso_date, metavar="DATE", help="back-fill: walk listings back to DATE")
    crawl.add_argument("--jobs", type=int, metavar="N", help="crawl processes at once (default from config)")
    add_wait(crawl, "a source is being crawled")

    digest = commands.add_parser(
        "digest",
        help="issue the configured digests (and send them), or render a one-off PDF",
        description="Issue each named digest (all configured ones by default) for its latest period: the "
        "stories first seen since its previous issue, recorded once, PDF in reports/, one delivery queued per "
        "recipient. --send sends every due delivery (retries included); --dry-run writes them as .eml files "
        "instead. With --since, render a one-off PDF of the releases published in a date range: nothing is "
        "recorded or sent.",
    )
    digest.add_argument("names", nargs="*", metavar="NAME", help="digest definitions (see [digests] in the config)")
    delivery = digest.add_mutually_exclusive_group()
    delivery.add_argument("--send", action="store_true", help="send due deliveries over SMTP (MONITOR_SMTP_*)")
    delivery.add_argument("--dry-run", action="store_true", help="write due deliveries to the outbox, send nothing")
    digest.add_argument("--outbox", type=Path, metavar="DIR", help="where --dry-run writes (default from config)")
    add_wait(digest, "digests are being sent")
    digest.add_argument("--since", type=iso_date, metavar="DATE", help="one-off digest: first day (YYYY-MM-DD)")
    digest.add_argument("--until", type=iso_date, metavar="DATE", help="one-off digest: last day (default: today)")
    digest.add_argument("--output", type=Path, metavar="PATH", help="one-off PDF path")
    digest.add_argument("--html", action="store_true", help="one-off: also write the HTML next to the PDF")

    deliveries = commands.add_parser(
        "deliveries",
        help="list digest deliveries and their status; queue one again",
        description="List deliveries, newest first. Statuses: pending, sent, failed (retried with backoff), "
        "rejected (the server refused the recipient), unconfirmed (interrupted while sending: the recipient "
        "may have it), abandoned (too many failures). --resend ID queues one again with the same Message-ID.",
    )
    deliveries.add_argument("--status", action="append", default=[], help="only deliveries with this status")
    deliveries.add_argument("--limit", type=int, default=50, help="at most N rows (default 50)")
    deliveries.add_argument("--resend", type=int, metavar="ID", help="queue delivery ID again")

    releases = commands.add_parser(
        "releases", help="list stored releases", description="List stored releases, newest first."
    )
    releases.add_argument("--since", type=iso_date, metavar="DATE")
    releases.add_argument("--until", type=iso_date, metavar="DATE")
    releases.add_argument("--topic", action="append", default=[], help="only releases with this topic tag")
    releases.add_argument("--limit", type=int, default=50, help="at most N rows (default 50; 0 for all)")
    releases.add_argument("--json", action="store_true", help="print a JSON array with every field")
    releases.add_argument("--explain", type=int, metavar="ID", help="show one release: dates, tags and why")

    ingest = commands.add_parser(
        "ingest",
        help="import raw releases from a JSON Lines file",
        description="Store raw releases (one JSON object per line: url, source, title, published as written, "
        "text or html, optional lang) through the same normalize, dedup and tag path as a crawl. A bad line is "
        "reported with its number and skipped (exit code 1). A large file's stories are filed by a second "
        "process while it is stored.",
    )
    ingest.add_argument("file", type=Path, metavar="FILE.jsonl", help="the file ('-' for standard input)")

    stories = commands.add_parser(
        "stories",
        help="list stories: each event once, with every release that told it",
        description="List stories by the date of their canonical release, newest first.",
    )
    stories.add_argument("--since", type=iso_date, metavar="DATE")
    stories.add_argument("--until", type=iso_date, metavar="DATE")
    stories.add_argument("--json", action="store_true", help="print a JSON array")

    sources = commands.add_parser(
        "sources",
        help="list configured sources and their health, or check one",
        description="List the configured sources, their health and last success. "
        "`monitor sources check NAME` fetches one start page and one article of NAME and prints "
        "the fields found (exit 1 if an expected field is missing).",
    )
    sources.add_argument("action", nargs="?", choices=["check"], help="check one source against its live site")
    sources.add_argument("name", nargs="?", metavar="NAME", help="the source to check")

    commands.add_parser(
        "schedule",
        help="run the scheduler in the foreground (for systemd or a terminal)",
        description="Run crawls per group every N hours, each digest when its period ends, and delivery "
        "retries, from [schedule] and [digests] in the config. Jobs are kept in the database; a job missed "
        "while the scheduler was down runs once when it starts. SIGTERM or Ctrl-C stops it after the "
        "running jobs finish.",
    )
    commands.add_parser(
        "status",
        help="jobs, what runs now, source health, deliveries, open incidents, the database",
        description="Show the last and next run of each job, the leases held, each source's health, "
        "deliveries not yet sent and open incidents. Exit 1 while any incident is open.",
    )

    demo = commands.add_parser(
        "demo",
        help="offline demo: serve a local mirror, crawl it, render a digest",
        description="Serve a bundled mirror of the OSCE sites on 127.0.0.1, crawl it with "
        "the real spiders and render the digest. Nothing leaves this machine.",
    )
    demo.add_argument("--workdir", type=Path, default=Path("var/demo"), help="where the demo keeps its database")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = load_settings(config_path=args.config)
        handler = COMMANDS[args.command]
        return handler(args, settings)
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
    except KeyboardInterrupt:
        print("monitor: interrupted", file=sys.stderr)
        return 130


# --- crawl ----------------------------------------------------------------------------------------
class Progress:
    """One status line per update on a terminal; silent when piped (cron mails only the summary)."""

    def __init__(self, stream: object = sys.stderr) -> None:
        self.stream = stream
        self.enabled = hasattr(stream, "isatty") and stream.isatty()  # type: ignore[attr-defined]
        self.started = time.monotonic()

    def __call__(self, runs: dict[str, object]) -> None:
        if not self.enabled:
            return
        parts = [
            f"{key}: {getattr(run, 'pages', 0)} pages, {getattr(run, 'new', 0)} new"
            + ("" if getattr(run, "status", "") == "running" else " ✓")
            for key, run in runs.items()
        ]
        line = f"\r[{time.monotonic() - self.started:5.1f}s] " + " | ".join(parts)
        print(line[:200].ljust(120), end="", file=self.stream, flush=True)  # type: ignore[call-overload]

    def done(self) -> None:
        if self.enabled:
            print(file=self.stream)  # type: ignore[call-overload]


def cmd_crawl(args: argparse.Namespace, settings: Settings) -> int:
    sources = [settings.source(key) for key in args.sources] or settings.enabled_sources()
    if not sources:
        print("monitor: no enabled sources to crawl", file=sys.stderr)
        return EXIT_USAGE
    mode = "full" if args.full else "incremental"
    progress = Progress()
    results = crawl_job(
        settings,
        sources,
        datetime.now(UTC),
        mode=mode,
        since=args.since,
        jobs=args.jobs,
        wait=args.wait,
        on_progress=progress,
    )
    progress.done()
    store = Store.open(settings.database_url)
    print(
        table(
            ["source", "status", "pages", "new", "updated", "unchanged", "errors", "message"],
            [[r.source, r.status, r.pages, r.new, r.updated, r.unchanged, r.errors, r.message] for r in results],
            max_width=80,
        )
    )
    for result in results:
        run = store.run(result.run_id)
        for problem in (run.problems if run else [])[:10]:
            print(f"  {result.source}: {problem.kind} {problem.url} — {problem.message}")
    failed = [r.source for r in results if r.status == "failed"]
    if failed:
        print(f"failed: {', '.join(failed)} (logs in {settings.home / 'logs'})", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


# --- digest ---------------------------------------------------------------------------------------
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
    if not names:
        raise ConfigError("no digest is configured: add a [digests.NAME] table to the config")
    result = digest_job(
        settings,
        [settings.digest(n).name for n in names],
        now,
        send=args.send,
        dry_run=args.dry_run,
        wait=args.wait,
        outbox=args.outbox,
    )
    print(
        table(
            ["digest", "period", "stories", "issued", "pdf"],
            [
                [
                    e.definition.name,
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
        return EXIT_FAILED
    return EXIT_OK


def cmd_deliveries(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.reporting import ledger

    store = Store.open(settings.database_url)
    if args.resend is not None:
        row = ledger.requeue(store, args.resend)
        if row is None:
            print(f"monitor: no delivery {args.resend}", file=sys.stderr)
            return EXIT_FAILED
        if row.status == "sent":
            print(f"delivery {row.id} to {row.recipient} was sent at {row.sent_at:%Y-%m-%d %H:%M}; not queued again")
            return EXIT_FAILED
        print(f"delivery {row.id} to {row.recipient} queued; `monitor digest --send` sends it")
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


# --- releases -------------------------------------------------------------------------------------
def release_json(r: ReleaseRow) -> dict[str, object]:
    return {
        "id": r.id,
        "identity": r.identity,
        "source": r.source_key,
        "url": r.url,
        "canonical_url": r.canonical_url,
        "title": r.title,
        "lang": r.lang,
        "published": r.published.isoformat() if r.published else None,
        "published_provenance": r.published_provenance,
        "published_raw": r.published_raw,
        "event_date": r.event_date.isoformat() if r.event_date else None,
        "event_provenance": r.event_provenance,
        "dateline_place": r.dateline_place,
        "summary": r.summary,
        "text": r.text,
        "facets": r.facets,
        "captions": r.captions,
        "listing_only": r.listing_only,
        "duplicate_of": r.duplicate_of_id,
        "revisions": len(r.revisions),
        "tags": [{"kind": t.kind, "value": t.value, "evidence": t.evidence} for t in r.tags],
        "first_seen_at": r.first_seen_at.isoformat(),
    }


def cmd_releases(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.open(settings.database_url)
    if args.explain is not None:
        row = store.release(args.explain)
        if row is None:
            print(f"monitor: no release {args.explain}", file=sys.stderr)
            return EXIT_FAILED
        data = release_json(row)
        print(f"{row.title}\n{row.canonical_url}\n")
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
            print(f"  {key:22} {data[key]}")
        print(f"  {'published as written':22} {row.published_raw}")
        print("\ntags:")
        for tag in sorted(row.tags, key=lambda t: (t.kind, t.value)):
            print(f"  {tag.kind:13} {tag.value:28} because {'; '.join(tag.evidence)}")
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


# --- import and stories ---------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.crawling.ingest import import_jsonl
    from monitor.understanding.classify import load_taxonomy

    store = Store.open(settings.database_url)
    if str(args.file) == "-":
        report = import_jsonl(sys.stdin.buffer, settings, store, load_taxonomy(settings.taxonomy_path))
    else:
        try:
            with args.file.open("rb") as handle:
                report = import_jsonl(handle, settings, store, load_taxonomy(settings.taxonomy_path))
        except OSError as exc:
            print(f"monitor: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    for number, reason in report.skipped:
        print(f"{args.file}:{number}: skipped: {reason}", file=sys.stderr)
    counts = report.counts
    print(
        f"{report.lines} line(s): {counts['new']} new, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {len(report.skipped)} skipped"
    )
    if report.stories_failed:
        print(f"monitor: filing stories failed: {report.stories_failed}; the releases are stored, "
              "and the next story pass (any crawl, import or digest) files them", file=sys.stderr)  # fmt: skip
    return EXIT_FAILED if report.skipped or report.stories_failed else EXIT_OK


def story_json(story: StoryRow) -> dict[str, object]:
    canonical = story.canonical
    releases = [member.release for member in story.members]
    published = canonical.published or canonical.first_seen_at.date()
    return {
        "id": story.id,
        "title": canonical.title,
        "published": published.isoformat(),
        "topics": list(tag_values(releases, "topic")),
        "countries": list(tag_values(releases, "country")),
        "organisations": list(tag_values(releases, "organisation")),
        "canonical_url": canonical.canonical_url,
        "members": [
            {
                "url": member.release.canonical_url,
                "source": member.release.source_key,
                "title": member.release.title,
                "published": member.release.published.isoformat() if member.release.published else None,
                "relation": member.relation,
                "evidence": member.evidence,
            }
            for member in sorted(story.members, key=lambda m: (m.relation != "original", m.release_id))
        ],
    }


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.open(settings.database_url)
    store.assign_stories(datetime.now(UTC))
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


# --- sources --------------------------------------------------------------------------------------
def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "check":
        if not args.name:
            print("monitor: sources check needs a source NAME (see `monitor sources`)", file=sys.stderr)
            return EXIT_USAGE
        report = check_source(settings.source(args.name), settings)
        print(table(["field", "found"], [list(line) for line in report.lines], max_width=100))
        for problem in report.problems:
            print(f"problem: {problem}", file=sys.stderr)
        return EXIT_FAILED if report.problems else EXIT_OK
    store = Store.open(settings.database_url)
    health = store.source_rows()
    last = store.last_runs()
    rows = []
    for source in settings.sources.values():
        row = health.get(source.key)
        run = last.get(source.key)
        rows.append(
            [
                source.key,
                "yes" if source.enabled else "no",
                source.kind,
                source.organisation,
                row.health if row else "unknown",
                row.last_success_at.strftime("%Y-%m-%d %H:%M") if row and row.last_success_at else "never",
                f"{run.status}: {run.message}" if run and run.message else (run.status if run else ""),
                source.start_urls[0],
            ]
        )
    print(
        table(
            ["source", "enabled", "kind", "organisation", "health", "last success", "last run", "start URL"],
            rows,
            max_width=70,
        )
    )
    return EXIT_OK


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

    return run_demo(args.workdir.resolve())


COMMANDS = {
    "crawl": cmd_crawl,
    "digest": cmd_digest,
    "deliveries": cmd_deliveries,
    "releases": cmd_releases,
    "ingest": cmd_ingest,
    "stories": cmd_stories,
    "sources": cmd_sources,
    "schedule": cmd_schedule,
    "status": cmd_status,
    "demo": cmd_demo,
}
