"""The one path from raw items to stored releases, for crawls and imports alike: normalize, tag,
and store in batches (which also dedups and files each release under a story)."""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, BinaryIO, TypeVar
from urllib.parse import urlsplit

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from monitor.crawling.extract.article import ArticleFields
from monitor.crawling.extract.deadline import DocumentTimeout
from monitor.crawling.extract.page import ReadArticle, raw_release, read_article
from monitor.records import RawRelease, Release, Tag
from monitor.settings.config import Settings
from monitor.settings.names import check_name
from monitor.settings.sources import Source
from monitor.storage.store import Store
from monitor.understanding.classify import Taxonomy, classify
from monitor.understanding.normalize import normalize_release
from monitor.understanding.normalize.dates import parse_date
from monitor.understanding.normalize.urls import MAX_URL_CHARS

BATCH = 200
MAX_LINE_BYTES = 2_000_000  # a press release is a few kilobytes; ten megabytes is not one
CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f]")  # a few U+FFFD from a mis-decoded page are no reason to refuse it
SURROGATE = re.compile(r"[\ud800-\udfff]")
# Letters, digits, dots and hyphens: no space, hidden or direction character, no %. Nor the Hangul
# fillers, the invisible characters \w takes for letters (Unicode's default-ignorable ones in Lo):
# www.os\u3164ce.org shows as www.osce.org. Python's idna codec (IDNA 2003) would encode them.
HOST = re.compile(r"(?:[^\W\u115f\u1160\u3164\uffa0]|[.-])+")
T = TypeVar("T")  # what a refused release is reported by: a line number, a URL


def missing_fields(release: Release, expected: Sequence[str]) -> list[str]:
    """The expected fields this release came without: the trace a redesign leaves."""
    present = {
        "title": bool(release.title),
        "text": not release.listing_only,
        "published": release.published is not None,
        "lang": bool(release.lang),
    }
    return [name for name in expected if not present.get(name, True)]


class Ingestor:
    """Collects raw items and stores them a batch at a time; counts the outcomes."""

    def __init__(self, store: Store, session: Session, taxonomy: Taxonomy, host_aliases: dict[str, str]) -> None:
        self.store, self.session, self.taxonomy, self.host_aliases = store, session, taxonomy, host_aliases
        self.batch: list[tuple[Release, list[Tag], str]] = []
        self.counts: Counter[str] = Counter()  # outcomes: new, updated, unchanged
        self.items = 0
        self.gaps: Counter[str] = Counter()  # expected field -> releases without it

    def tally(self) -> dict[str, int]:
        """Outcomes, releases delivered ("items") and field gaps ("missing:FIELD"), for a crawl run."""
        return {**self.counts, "items": self.items, **{f"missing:{k}": v for k, v in self.gaps.items()}}

    def add(self, raw: RawRelease, source: Source) -> None:
        release = normalize_release(storable_release(raw), source, self.host_aliases, datetime.now(UTC).date())
        self.items += 1
        self.gaps.update(missing_fields(release, source.expected_fields))
        self.batch.append((release, classify(release, self.taxonomy), raw.listing_fingerprint))

    def flush(self) -> None:
        if self.batch:
            outcomes = self.store.upsert_many(self.session, self.batch, datetime.now(UTC))
            self.counts.update(outcome.value for outcome in outcomes)
            self.batch = []


@dataclass
class ImportReport:
    lines: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)
    cleaned: list[tuple[int, str]] = field(default_factory=list)  # (line number, what cleaning changed)
    clustered: int = 0  # releases filed under stories by the import's story pass
    stories_failed: str = ""  # why that pass failed (the releases are stored; the next pass files them)


def import_source(key: str, settings: Settings) -> Source:
    """A configured source, or one made up for a name the config does not know. An unknown
    publisher is taken for an aggregator: it never outranks a known original."""
    if key in settings.sources:
        return settings.sources[key]
    check_name("source", key)
    return Source(key=key, name=key, organisation=key, family="import", kind="feed", start_urls=("import:",),
                  allowed_hosts=(), syndication=True)  # fmt: skip


def storable(value: str) -> tuple[str, list[str]]:
    """The text without what databases refuse (NUL, lone surrogates from a bad decode), and what
    was changed."""
    changes = []
    if "\x00" in value:
        changes.append(f"{value.count(chr(0))} NUL removed")
        value = value.replace("\x00", "")
    if SURROGATE.search(value):
        changes.append(f"{len(SURROGATE.findall(value))} lone surrogate(s) replaced")
        value = SURROGATE.sub("\ufffd", value)
    return value, changes


def storable_release(raw: RawRelease) -> RawRelease:
    """The item with every string storable: a lone surrogate in a JSON-LD headline, a URL or a
    language code made the database refuse the batch it was in."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return storable(value)[0]
        if isinstance(value, list | tuple):
            return type(value)(clean(v) for v in value)
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        return value

    return RawRelease(**{f.name: clean(getattr(raw, f.name)) for f in fields(raw)})


def optional_text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} is a {type(value).__name__}, not text")
    return value


def checked_url(data: dict[str, Any]) -> str:
    url = data.get("url")
    if not isinstance(url, str):
        raise ValueError("no http(s) url")
    if len(url) > MAX_URL_CHARS:
        raise ValueError(f"url is {len(url):,} characters long, more than {MAX_URL_CHARS:,}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("no http(s) url")
    if not HOST.fullmatch(parts.hostname):
        raise ValueError(f"url has a host no site can have: {parts.hostname[:100]!r}")
    if parts.username is not None or parts.password is not None:  # a secret, printed in every digest
        raise ValueError("url carries a user name or password")
    try:
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
    except ValueError:
        raise ValueError(f"url has a bad port: {url[:200]!r}") from None
    return url


def read_html(html: str, url: str, source: Source) -> ReadArticle:
    """The page, read as a crawl reads it (within the source's limits)."""
    try:
        return read_article(html, url, source)
    except DocumentTimeout as exc:  # not an Exception: made the line's error here, or it ends the import
        raise ValueError(f"html: {exc}") from None


def checked_published(published: Any, source: Source) -> tuple[str | None, list[str]]:
    """The stated publication date as text, and a note when it reads as no date (no year, a
    typo): the release is kept, undated, and the line says so, since an undated release falls
    under the day it was first seen."""
    if published is None or published == "":
        return None, []
    if not isinstance(published, str):
        raise ValueError(f"published is a {type(published).__name__}, not a date")
    if parse_date(published, source.date_order, source.zone) is None:
        return None, [f"published {published[:80]!r} is no date with a year: stored without a publication date"]
    return published, []


def raw_from_json(line: bytes, settings: Settings) -> tuple[RawRelease, Source, list[str]]:
    """One JSON line as a raw item, and what cleaning changed; ValueError says why it cannot be one."""
    if len(line.rstrip(b"\r\n")) > MAX_LINE_BYTES:
        raise ValueError(f"line is {len(line) / 1e6:.1f} MB, more than a press release can be")
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    url = checked_url(data)
    source_key = data.get("source") or urlsplit(url).hostname
    if not isinstance(source_key, str):
        raise ValueError(f"source is a {type(source_key).__name__}, not text")
    source = import_source(source_key, settings)
    title, text, lang = optional_text(data, "title"), optional_text(data, "text"), optional_text(data, "lang") or None
    html = optional_text(data, "html")
    published, changes = checked_published(data.get("published"), source)
    page: ArticleFields | None = None
    if not text.strip() and html:  # read as a crawl reads the page
        html, html_changes = storable(html)  # lxml stops reading a text at a lone surrogate
        read = read_html(html, url, source)
        page = read.fields
        changes += [f"html: {c}" for c in [*html_changes, *read.cut]]
        title, text = title or page.title, page.text
    if not text.strip():
        raise ValueError("empty text")
    (title, title_changes), (text, text_changes) = storable(title), storable(text)
    sample = text[:5000]
    if len(CONTROL.findall(sample)) > max(20, len(sample) // 100):
        raise ValueError("binary text (control characters)")
    if not title.strip():
        raise ValueError("no title")
    native_id = source.native_id(url) if source.family != "import" else None
    given = {
        "title": title, "text": text, "dates": [("import", published)] if published else [], "native_id": native_id,
        "lang": lang, "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip
    if page is None:
        raw = RawRelease(source=source.key, url=url, **given)
    else:  # everything the page states, as a crawl of it would keep
        given["dates"] += page.dates
        raw = raw_release(page, source.key, url, **{**given, "lang": lang or page.lang})
    return raw, source, [*changes, *(f"title: {c}" for c in title_changes), *(f"text: {c}" for c in text_changes)]


@dataclass
class LongLine:
    """A line over MAX_LINE_BYTES, read past rather than held."""

    size: int


def numbered_lines(lines: Iterable[bytes] | BinaryIO) -> Iterator[tuple[int, bytes | LongLine]]:
    """The non-blank lines with their numbers. From a file, a line is read a bounded piece at
    a time: a line of hundreds of megabytes is never held whole."""
    read: Iterable[bytes | LongLine] = bounded_lines(lines) if hasattr(lines, "readline") else lines
    for number, line in enumerate(read, start=1):
        if isinstance(line, LongLine) or line.strip():
            yield number, line


def bounded_lines(stream: BinaryIO) -> Iterator[bytes | LongLine]:
    while line := stream.readline(MAX_LINE_BYTES + 3):  # the limit, CR LF, and one byte past
        if len(line.rstrip(b"\r\n")) <= MAX_LINE_BYTES:
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n") and (line := stream.readline(MAX_LINE_BYTES)):
            size += len(line)
        yield LongLine(size)


def import_jsonl(lines: Iterable[bytes] | BinaryIO, settings: Settings, store: Store, taxonomy: Taxonomy) -> ImportReport:
    """Store every good line; report each bad one with its number and go on: a line that fails
    anywhere before it is stored (decoding, types, URL, normalizing, the database refusing it)
    is skipped, never its neighbours. Stories are filed by a pass in a second process while the
    import stores (see StoriesBeside), or after it when it held a single batch."""
    report = ImportReport()

    def skip(number: int, why: str) -> None:
        report.skipped.append((number, why))

    recorded = set(settings.sources)
    stories = StoriesBeside(store, datetime.now(UTC))
    try:
        with store.session() as session:
            ingestor = Ingestor(store, session, taxonomy, settings.host_aliases)
            numbers: list[int] = []  # the line of each release in the pending batch
            for number, line in numbered_lines(lines):
                report.lines += 1
                try:
                    if isinstance(line, LongLine):
                        raise ValueError(f"line is {line.size / 1e6:.1f} MB, more than a press release can be")
                    raw, source, changes = raw_from_json(line, settings)
                    if source.key not in recorded:  # a publisher the config does not list: known from now on
                        store.sync_sources([source])
                        recorded.add(source.key)
                    ingestor.add(raw, source)
                except Exception as exc:
                    report.skipped.append((number, reason(exc)))
                    continue
                report.cleaned += [(number, change) for change in changes]
                numbers.append(number)
                if len(ingestor.batch) >= BATCH:
                    store_batch(ingestor, session, numbers, skip)
                    numbers = []
                    stories.start()
            store_batch(ingestor, session, numbers, skip)
    finally:
        try:
            report.clustered = stories.finish()
        except StoryPassFailed as exc:
            report.stories_failed = str(exc)
    report.counts = ingestor.counts
    return report


def reason(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"[:300]


def store_batch(ingestor: Ingestor, session: Session, labels: Sequence[T], refused: Callable[[T, str], None]) -> None:
    """Commit the pending batch. If the database refuses one of its releases (a constraint, a
    value it cannot hold), they are stored one at a time and each refused one reported with its
    label (a line number, a URL); a database that refuses everything (full disk, read-only,
    gone) raises."""
    pending, counts = list(ingestor.batch), ingestor.counts.copy()
    try:
        ingestor.flush()
        session.commit()
        return
    except OperationalError:
        session.rollback()
        raise
    except SQLAlchemyError:
        session.rollback()
        ingestor.counts = counts
    for label, item in zip(labels, pending, strict=True):
        ingestor.batch = [item]
        try:
            ingestor.flush()
            session.commit()
        except OperationalError:
            session.rollback()
            raise
        except SQLAlchemyError as exc:
            session.rollback()
            ingestor.batch, ingestor.counts = [], counts
            refused(label, f"the database refused it: {getattr(exc, 'orig', exc)}"[:300])
        counts = ingestor.counts.copy()


class StoryPassFailed(RuntimeError):
    """The story pass beside an import failed; the message says why."""


class StoriesBeside:
    """A story pass in a child process, filing what an import has stored while it stores more:
    normalizing and tagging keep one core busy, fingerprinting and filing the other. It starts
    once the first full batch is stored (an import smaller than that files its stories here,
    after storing them). If the import fails, the pass still files what was stored."""

    def __init__(self, store: Store, now: datetime) -> None:
        self.store, self.now = store, now
        self.process: multiprocessing.process.BaseProcess | None = None

    def start(self) -> None:
        if self.process is not None:
            return
        context = multiprocessing.get_context("fork")
        self.done, (self.results, sender) = context.Event(), context.Pipe(duplex=False)
        self.process = context.Process(target=self._serve, args=(sender,), name="story-pass", daemon=True)
        self.process.start()
        sender.close()

    def _serve(self, results: Any) -> None:
        from monitor.storage.filing import file_stories  # numpy: a crawl's store worker never needs it

        self.store.engine.dispose(close=False)  # the parent's connections stay the parent's
        try:
            results.send(file_stories(self.store, self.now, until=self.done))
        except BaseException as exc:
            results.send(f"{type(exc).__name__}: {exc}")  # exceptions do not all pickle
            raise

    def finish(self) -> int:
        """Wait for the pass to file everything stored; how many releases it filed."""
        if self.process is None:
            from monitor.storage.filing import file_stories

            return file_stories(self.store, self.now)
        self.done.set()
        try:
            outcome = self.results.recv()
        except EOFError:
            outcome = f"the process ended without a word (exit code {self.process.exitcode})"
        self.process.join()
        if isinstance(outcome, str):
            raise StoryPassFailed(outcome)
        return outcome
