"""Every feed as a static file under a folder (topics/judicial.atom, countries/kazakhstan.atom,
digests/weekly.atom, searches/NAME.atom for named searches and subscribers' saved ones: the web
view's paths under /feeds), for a cron set-up behind the operator's own web server. Static files
carry no token: whoever may read the folder may read them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from monitor.reporting.feed_sets import Feed, catalogue, render
from monitor.reporting.files import make_folder, replace_whole
from monitor.reporting.saved_searches import saved_search_feeds
from monitor.reporting.selection import DigestError
from monitor.settings.config import Settings
from monitor.settings.names import check_name
from monitor.storage.store import Store
from monitor.understanding.classify import Taxonomy

NAMED = {"topics": "topic", "countries": "country", "digests": "digest name", "searches": "search name"}


@dataclass(frozen=True)
class Written:
    path: str  # relative to the folder
    entries: int
    status: str  # written, unchanged, or why it was skipped or failed

    @property
    def failed(self) -> bool:
        return self.status not in ("written", "unchanged")


def feed_file(folder: Path, feed: Feed) -> Path:
    """The feed's file under `folder`; ValueError for a name that is not plain (a taxonomy's
    country or a search's name is written by people: it must not climb out of the folder, and
    only a subtopic makes a subfolder)."""
    names = feed.name.split("/", 1) if feed.kind == "topics" else [feed.name]  # only a subtopic nests
    for name in names:
        check_name(NAMED[feed.kind], name)
    path = folder.joinpath(feed.kind, *names[:-1], names[-1] + ".atom")
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ValueError(f"refusing to write {feed.path!r} outside {folder}")
    return path


def write_atomically(path: Path, body: bytes) -> bool:
    """Write through a .part file and a rename, so that a web server never serves half a feed;
    an unchanged feed is left alone (its modification time stays, and so do readers' caches).
    Returns whether the file changed."""
    if path.is_file() and path.read_bytes() == body:
        return False
    replace_whole(path, body)
    return True


def write_feeds(
    store: Store,
    settings: Settings,
    taxonomy: Taxonomy,
    folder: Path,
    base_url: str | None = None,
    searches: Sequence[tuple[str, str]] = (),
) -> list[Written]:
    """Write every feed under `folder`, served at `base_url` (default: the public URL's /feeds):
    the catalogue's, one per (name, query) search given, and one per query that a subscriber
    still subscribed has saved."""
    base = (base_url or settings.public_url.rstrip("/") + "/feeds").rstrip("/")
    make_folder(folder)  # a file in its place is one error naming it, before any feed is rendered
    written = []
    for feed in [*catalogue(settings, taxonomy, searches), *saved_search_feeds(store)]:
        try:
            path = feed_file(folder, feed)
        except ValueError as exc:
            written.append(Written(feed.path + ".atom", 0, f"skipped: {exc}"))
            continue
        try:
            body, entries = render(store, settings, taxonomy, feed, f"{base}/{quote(feed.path)}.atom")
        except DigestError as exc:  # one unusable definition: the other feeds are still written
            written.append(Written(path.relative_to(folder).as_posix(), 0, f"failed: {exc}"))
            continue
        changed = write_atomically(path, body)
        written.append(Written(path.relative_to(folder).as_posix(), entries, "written" if changed else "unchanged"))
    return written
