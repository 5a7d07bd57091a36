"""A digest issue made readable: its Digest content, PDF file and e-mail bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from monitor.reporting.content import Digest, build_digest, source_health
from monitor.reporting.files import replace_whole
from monitor.reporting.ledger import get_run, issue, pdf_of_another_run, run_stories, set_pdf_path
from monitor.reporting.mailer import sender_domain
from monitor.reporting.render import render_html, render_pdf
from monitor.reporting.selection import definition_matches, local_days, topics_of
from monitor.reporting.subscriptions import Audience, definition_named
from monitor.settings.config import Settings
from monitor.settings.definitions import DigestDefinition
from monitor.settings.names import file_in
from monitor.storage.engine import as_utc
from monitor.storage.models import DigestRunRow, StoryRow
from monitor.storage.search import matching_ids
from monitor.storage.store import Store
from monitor.understanding.classify import Taxonomy


@dataclass(frozen=True)
class Edition:
    definition: DigestDefinition
    run: DigestRunRow
    digest: Digest
    pdf: Path | None  # None: an empty issue, which has no PDF

    @property
    def subject(self) -> str:
        since, until = self.digest.since, self.digest.until
        period = f"{until:%-d %b %Y}" if since == until else f"{since:%-d %b} – {until:%-d %b %Y}"
        return f"{self.definition.title}: {period}"


def write_pdf(html: str, path: Path) -> Path:
    replace_whole(path, render_pdf(html))  # never a half-written PDF under the final name
    return path


def issue_edition(
    settings: Settings, store: Store, taxonomy: Taxonomy, audience: Audience, now: datetime
) -> tuple[Edition, bool]:
    """Issue (or find) the digest of the period ending before `now`; its PDF is on disk. The
    caller files pending releases into stories first."""
    definition = audience.definition
    matches = definition_matches(definition, topics_of(taxonomy, definition))
    found: set[int] = set()
    if definition.searches:
        with store.engine.connect() as conn:
            found = matching_ids(conn, definition.searches)

    def wanted(story: StoryRow) -> bool:
        return matches(story) and (not definition.searches or any(m.release_id in found for m in story.members))

    run, created = issue(store, definition, now, wanted, sender_domain(settings.mail.sender), audience.recipients)
    return load_edition(settings, store, taxonomy, run.id), created


def load_edition(settings: Settings, store: Store, taxonomy: Taxonomy, run_id: int) -> Edition:
    """Rebuild an issue's content from the stories it carried, rendering its PDF if missing."""
    run = get_run(store, run_id)
    assert run is not None
    definition = definition_named(settings, store, run.name)
    since, until = local_days(definition, run.period_start, run.period_end)
    digest = build_digest(
        run_stories(store, run.id),
        settings.sources,
        taxonomy,
        since,
        until,
        as_utc(run.created_at),
        title=definition.title,
        topics=topics_of(taxonomy, definition),
        countries=definition.countries,
        health=source_health(settings.sources, store.source_rows()),
    )
    if not digest.total:
        return Edition(definition, run, digest, None)
    path = Path(run.pdf_path) if run.pdf_path else file_in(settings.reports_dir, f"{run.name}-{since}-{until}.pdf")
    if not run.pdf_path and pdf_of_another_run(store, run.id, str(path)):  # two issues of one day (hours apart)
        path = file_in(settings.reports_dir, f"{run.name}-{since}-{until}-{run.id}.pdf")
    if not path.is_file():
        write_pdf(render_html(digest, settings.templates_dir), path)
        set_pdf_path(store, run.id, str(path))
    return Edition(definition, run, digest, path)
