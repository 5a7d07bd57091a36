"""`monitor crawl`, `monitor ingest` and `monitor sources`: bringing releases in."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from monitor.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_wait, iso_date
from monitor.cli.tables import table, visible
from monitor.crawling.check import check_source
from monitor.operations.jobs import crawl_job
from monitor.settings.config import Settings
from monitor.storage.store import Store

LINKS_SHOWN = 40  # links of a start page listed by `sources check`; the rest are counted


def add_commands(commands: Any) -> None:
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
    crawl.add_argument(
        "--queue",
        action="store_true",
        help="PostgreSQL: queue one crawl job per source for `monitor worker` and return (a source already "
        "queued or being crawled keeps its job)",
    )
    crawl.set_defaults(handler=cmd_crawl)

    ingest = commands.add_parser(
        "ingest",
        help="import raw releases from a JSON Lines file",
        description="Store raw releases (one JSON object per line: url, source, title, published as written, "
        "text or html, optional lang) through the same normalize, dedup and tag path as a crawl. A bad line is "
        "reported with its number and skipped (exit code 1). A large file's stories are filed by a second "
        "process while it is stored.",
    )
    ingest.add_argument("file", type=Path, metavar="FILE.jsonl", help="the file ('-' for standard input)")
    ingest.set_defaults(handler=cmd_ingest)

    sources = commands.add_parser(
        "sources",
        help="list configured sources and their health, or check one",
        description="List the configured sources, their health and last success. "
        "`monitor sources check NAME` fetches one start page and one article of NAME and prints "
        "the fields found (exit 1 if an expected field is missing).",
    )
    sources.add_argument("action", nargs="?", choices=["check"], help="check one source against its live site")
    sources.add_argument("name", nargs="?", metavar="NAME", help="the source to check")
    sources.set_defaults(handler=cmd_sources)


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
    # a source named twice would otherwise be crawled by two processes at once, and reported twice
    keys = dict.fromkeys(args.sources)
    sources = [settings.source(key) for key in keys] or settings.enabled_sources()
    if not sources:
        print("monitor: no enabled sources to crawl", file=sys.stderr)
        return EXIT_USAGE
    mode = "full" if args.full else "incremental"
    if args.queue:
        return queue_crawls(settings, [s.key for s in sources], mode, args.since)
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
            print(visible(f"  {result.source}: {problem.kind} {problem.url} — {problem.message}"))
    failed = [r.source for r in results if r.status == "failed"]
    if failed:
        print(f"failed: {', '.join(failed)} (logs in {settings.home / 'logs'})", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def queue_crawls(settings: Settings, keys: list[str], mode: str, since: date | None) -> int:
    from monitor.operations.queue import request_crawl, require_queue

    require_queue(settings)
    store = Store.open(settings.database_url)
    answers = [request_crawl(settings, key, trigger="manual", mode=mode, since=since, store=store) for key in keys]
    print(
        table(["source", "job", "state"], [[key, a.job_id, a.describe()] for key, a in zip(keys, answers, strict=True)])
    )
    return EXIT_OK


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
        print(f"{args.file}:{number}: skipped: {visible(reason)}", file=sys.stderr)
    for number, change in report.cleaned:
        print(f"{args.file}:{number}: stored, cleaned: {change}", file=sys.stderr)
    counts = report.counts
    print(
        f"{report.lines} line(s): {counts['new']} new, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {len(report.skipped)} skipped"
    )
    if report.stories_failed:
        print(f"monitor: filing stories failed: {report.stories_failed}; the releases are stored, "
              "and the next story pass (any crawl, import or digest) files them", file=sys.stderr)  # fmt: skip
    return EXIT_FAILED if report.skipped or report.stories_failed else EXIT_OK


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "check":
        if not args.name:
            print("monitor: sources check needs a source NAME (see `monitor sources`)", file=sys.stderr)
            return EXIT_USAGE
        report = check_source(settings.source(args.name), settings)
        if report.links:
            shown = report.links[:LINKS_SHOWN]
            print(table(["link on the start page", "rule"], [list(link) for link in shown], max_width=90))
            if rest := report.links[LINKS_SHOWN:]:
                print(
                    f"... and {len(rest)} more links, {sum(r.startswith('skipped') for _, r in rest)} of them skipped\n"
                )
        print(table(["field", "found"], [list(line) for line in report.lines], max_width=100))
        for problem in report.problems:
            print(f"problem: {visible(problem)}", file=sys.stderr)
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
