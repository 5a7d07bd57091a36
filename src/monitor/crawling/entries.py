"""What a crawl knows of a source's listing entries before it fetches their pages: which it has
fully delivered, and each entry's identity, fingerprint and date. A changed entry is fetched
again; an unchanged one is skipped (incremental crawls)."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.settings.config import Settings
from monitor.settings.sources import Source
from monitor.understanding.normalize.dates import parse_date
from monitor.understanding.normalize.release import identity_key
from monitor.understanding.normalize.text import listing_fingerprint
from monitor.understanding.normalize.urls import language_prefix


def seen_entries(settings: Settings, source_key: str, seen_path: Path | None) -> dict[str, str]:
    """identity -> fingerprint of the entries delivered before: from the file `monitor crawl`
    hands its child, or from the database for a crawl run by hand."""
    if seen_path is not None:
        known: dict[str, str] = json.loads(seen_path.read_text(encoding="utf-8"))
        return known
    from monitor.storage.store import Store  # run by hand: the database layer is loaded only then

    store = Store.open(settings.database_url)
    try:
        return store.seen_entries(source_key)
    finally:
        store.engine.dispose()


def prepare_database(settings: Settings) -> None:
    """Migrate once, before a crawl run by hand forks its store worker (not in both at once)."""
    from monitor.storage.store import Store

    Store.open(settings.database_url).engine.dispose()


def entry_identity(source: Source, native_id: str, url: str) -> str:
    return identity_key(source, native_id, "", language_prefix(url))


# What the listing shows of an entry, and the date it gives, read as the normalizer reads them.
entry_fingerprint = listing_fingerprint
read_entry_date = parse_date
