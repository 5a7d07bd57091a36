"""Jobs that the CLI, cron and the scheduler run: each takes settings and the time it runs at."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from monitor.classify import load_taxonomy
from monitor.config import Settings
from monitor.digest import build_digest
from monitor.render import render_html, render_pdf
from monitor.store import Store


def write_digest(
    settings: Settings, since: date, until: date, now: datetime, output: Path | None = None, keep_html: bool = False
) -> tuple[Path, int]:
    """Render the period's digest to a PDF; returns its path and how many releases it lists."""
    store = Store.open(settings.database_url)
    store.assign_stories(now)  # whatever stored releases last, the digest sees them in stories
    digest = build_digest(store, settings.sources, load_taxonomy(settings.taxonomy_path), since, until, now)
    html = render_html(digest, settings.templates_dir)
    path = output or settings.reports_dir / f"digest-{since.isoformat()}-{until.isoformat()}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = render_pdf(html)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(pdf)
    partial.replace(path)  # never leave a half-written PDF under the final name
    if keep_html:
        path.with_suffix(".html").write_text(html, encoding="utf-8")
    return path, digest.total
