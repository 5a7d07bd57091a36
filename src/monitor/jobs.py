"""Jobs that the CLI, cron and the scheduler run: each takes settings and the time it runs at."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from monitor.classify import load_taxonomy
from monitor.config import Settings
from monitor.delivery import DeliveryReport, send_due, write_outbox
from monitor.digest import build_digest, source_health
from monitor.editions import Edition, issue_edition, write_pdf
from monitor.render import render_html
from monitor.store import Store


def write_digest(
    settings: Settings, since: date, until: date, now: datetime, output: Path | None = None, keep_html: bool = False
) -> tuple[Path, int]:
    """A one-off digest of the releases published in [since, until]: nothing is recorded or sent.
    Returns the PDF's path and how many stories it lists."""
    store = Store.open(settings.database_url)
    store.assign_stories(now)  # whatever stored releases last, the digest sees them in stories
    digest = build_digest(
        store.stories(since, until),
        settings.sources,
        load_taxonomy(settings.taxonomy_path),
        since,
        until,
        now,
        health=source_health(settings.sources, store.source_rows()),
    )
    html = render_html(digest, settings.templates_dir)
    path = write_pdf(html, output or settings.reports_dir / f"digest-{since.isoformat()}-{until.isoformat()}.pdf")
    if keep_html:
        path.with_suffix(".html").write_text(html, encoding="utf-8")
    return path, digest.total


@dataclass
class DigestJobResult:
    editions: list[tuple[Edition, bool]] = field(default_factory=list)  # (issue, created now)
    deliveries: list[DeliveryReport] = field(default_factory=list)
    outbox: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[DeliveryReport]:
        return [d for d in self.deliveries if d.status != "sent"]


def digest_job(
    settings: Settings, names: list[str], now: datetime, send: bool = False, dry_run: bool = False
) -> DigestJobResult:
    """Issue each named digest for its latest period (once), then send what is due, or write
    it to the outbox on a dry run. Failed deliveries of earlier issues are retried here too."""
    store = Store.open(settings.database_url)
    result = DigestJobResult()
    for name in names:
        result.editions.append(issue_edition(settings, store, name, now))
    if dry_run:
        result.outbox = write_outbox(settings, store, now)
    elif send:
        result.deliveries = send_due(settings, store, now)
    return result
