"""`monitor sources check NAME`: fetch one start page and one article of a source, politely
(robots.txt, the configured user agent), and report what the extractors find, so a user can
tell whether a new entry in the sources file works before the first crawl."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from protego import Protego
from scrapy.utils.sitemap import Sitemap

from monitor.crawling.extract.article import not_a_release
from monitor.crawling.extract.contained import extract_pdf_contained
from monitor.crawling.extract.deadline import DocumentTimeout
from monitor.crawling.extract.feed import FeedError, parse_feed
from monitor.crawling.extract.html import parse_html
from monitor.crawling.extract.listing import next_page_url, pdf_links, source_entries
from monitor.crawling.extract.page import raw_release, read_article
from monitor.crawling.extract.pdf import PdfError, looks_like_pdf, with_pdf
from monitor.crawling.ingest import missing_fields
from monitor.crawling.reach import DEFAULT_PORTS, on_hosts, on_ports, port_of, same_port
from monitor.records import RawRelease
from monitor.settings.config import Settings
from monitor.settings.sources import Source
from monitor.understanding.normalize import normalize_release

TIMEOUT_SECONDS = 30  # one request
CHECK_SECONDS = 120  # the whole check
READ_BYTES = 65_536  # a body is read in pieces of at most this, the deadline checked between them
MAX_REDIRECTS = 5
CANDIDATES_READ = 3  # pages of an ambiguous URL shape read to show what a crawl would make of them


@dataclass
class CheckReport:
    source: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (field, what was found)
    links: list[tuple[str, str]] = field(default_factory=list)  # (URL on the start page, the rule that took it)
    problems: list[str] = field(default_factory=list)

    def add(self, name: str, value: object) -> None:
        self.lines.append((name, str(value)))


class Fetcher:
    """Fetches the way a crawl does: http(s) only, on the source's allowed hosts and the port it
    starts on, redirects followed only there, robots.txt read with the monitor's own user agent
    for every host it fetches from, responses capped at the source's byte limits, each request
    and the whole check bounded in time."""

    def __init__(self, settings: Settings, source: Source) -> None:
        self.user_agent = f"{settings.crawl.user_agent} contact: {settings.crawl.contact}"
        self.source = source
        self.robots: dict[str, Protego] = {}
        self.deadline = time.monotonic() + CHECK_SECONDS
        self.opener = urllib.request.build_opener(NoRedirects)
        self.start = urlsplit(source.start_urls[0])

    def permitted(self, url: str) -> str:
        """Why `url` may not be fetched, or "" if it may."""
        parts, hosts = urlsplit(url), self.source.allowed_hosts
        if parts.scheme not in DEFAULT_PORTS:
            return f"not an http(s) URL: {url}"
        if not on_hosts(parts.hostname or "", hosts):
            return f"{parts.hostname} is not among the source's allowed hosts ({', '.join(hosts)}): {url}"
        if port_of(parts) is None:
            return f"bad port: {url}"
        if not same_port(self.start, parts):
            return f"port {port_of(parts)} is not the port the source starts on ({port_of(self.start)}): {url}"
        return ""

    def allowed(self, url: str) -> bool:
        """What robots.txt says, read as the crawl reads it (Protego, Scrapy's parser)."""
        parts = urlsplit(url)
        if parts.netloc not in self.robots:
            try:
                body, _ = self._follow(f"{parts.scheme}://{parts.netloc}/robots.txt", "page_bytes", robots=False)
                rules = body.decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:  # 401 and 403 forbid all; a missing file allows all
                exc.close()
                rules = "User-agent: *\nDisallow: /" if exc.code in (401, 403) else ""
            except (urllib.error.URLError, OSError, ValueError):
                rules = ""  # unreachable robots.txt: allowed, as for Scrapy
            self.robots[parts.netloc] = Protego.parse(rules)
        return bool(self.robots[parts.netloc].can_fetch(url, self.user_agent))

    def __call__(self, url: str, pdf: bool = False) -> tuple[bytes, str]:
        """The body and Content-Type of `url`, following permitted redirects."""
        return self._follow(url, "pdf_bytes" if pdf else "page_bytes")

    def _follow(self, url: str, limit_name: str, robots: bool = True) -> tuple[bytes, str]:
        for _ in range(MAX_REDIRECTS + 1):
            if why := self.permitted(url):
                raise PermissionError(why)
            if robots and not self.allowed(url):
                raise PermissionError(f"robots.txt disallows {url}")
            try:
                return self._get(url, limit_name)
            except urllib.error.HTTPError as exc:
                location = exc.headers.get("Location") if 300 <= exc.code < 400 else None
                if not location:
                    raise
                exc.close()
                url = urljoin(url, location)
        raise PermissionError(f"more than {MAX_REDIRECTS} redirects: {url}")

    def _get(self, url: str, limit_name: str) -> tuple[bytes, str]:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise PermissionError(f"the check took more than {CHECK_SECONDS} s")
        limit = getattr(self.source.limits, limit_name)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})  # noqa: S310 (scheme checked)
        with self.opener.open(request, timeout=min(TIMEOUT_SECONDS, left)) as response:
            # in pieces, the deadline checked after each: the timeout bounds each read, and a
            # server trickling a byte at a time would pass it read after read
            chunks, size = [], 0
            while size <= limit and (chunk := response.read1(min(READ_BYTES, limit + 1 - size))):
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > self.deadline:
                    raise PermissionError(f"the check took more than {CHECK_SECONDS} s (reading {url})")
            body = b"".join(chunks)
        if len(body) > limit:
            raise ValueError(f"{url} is larger than {limit:,} bytes (limit {limit_name})")
        return body, response.headers.get("Content-Type", "")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are answered as errors, so the fetcher checks each target before following it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def first_article(source: Source, url: str, body: bytes, report: CheckReport) -> RawRelease | str | None:
    """Read the start page with the source's strategy, noting each link and the rule that took
    or skipped it; the feed item itself or the first article URL."""
    if source.kind == "feed":
        items = parse_feed(body)
        report.add("feed items", len(items))
        report.links += [
            (item.link, "feed item: a summary, its article page is the release" if item.summary else "feed item: a release")
            for item in items
        ]
        if not items:
            return None
        item = items[0]
        if item.summary:
            return item.link
        dates = [("feed", item.published)] if item.published else []
        return RawRelease(source.key, item.link, item.title, item.text, dates, captions=item.captions)
    if source.kind == "sitemap":
        entries = [dict(e) for e in Sitemap(body)]
        locs = [e.get("loc", "") for e in entries]
        report.links += link_rules(source, locs, set(locs), url)
        urls = [loc for loc in locs if source.native_id(loc) or source.candidate_id(loc)]
        report.add("sitemap URLs", f"{len(entries)}, of which releases or candidates: {len(urls)}")
        return urls[0] if urls else None
    tree = parse_html(body)
    entries, unfit_selector = source_entries(source, tree, url)
    anchors = [urljoin(url, a.get("href", "").strip()) for a in tree.iter("a") if a.get("href")]
    report.links += link_rules(
        source, [a for a in anchors if a.startswith(("http://", "https://"))], {e.url for e in entries}, url
    )
    report.add("listing entries", len(entries))
    if unfit_selector:
        report.add("link selector", f"{unfit_selector!r} finds no release link: the links were taken by their URL shapes")
    for entry in entries[:3]:
        report.add("  entry", f"{entry.title[:60]} | {entry.dates[0][1] if entry.dates else 'no date'} | {entry.url}")
    report.add("next page", next_page_url(tree, url, source.selectors.get("next")) or "none")
    return entries[0].url if entries else None


def link_rules(source: Source, urls: list[str], taken: set[str], page_url: str) -> list[tuple[str, str]]:
    """Each distinct link on the page at `page_url` and the rule that takes or skips it, releases first."""
    rules = []
    for url in dict.fromkeys(u.split("#")[0] for u in urls):
        if not on_hosts(urlsplit(url).hostname or "", source.allowed_hosts):
            rule = "skipped: not on the source's hosts"
        elif source.follow_articles and not on_ports(url, (page_url, *source.start_urls)):
            rule = "skipped: another port of the source's host (another server)"
        elif native_id := source.native_id(url):
            taken_here = url in taken
            rule = (
                f"release URL shape (id {native_id})"
                if taken_here
                else "skipped: release URL shape outside selectors.link"
            )
        elif candidate_id := source.candidate_id(url):
            rule = f"ambiguous URL shape (id {candidate_id}): taken if it reads as a release"
        else:
            rule = "skipped: not a release URL shape"
        rules.append((url, rule))
    order = ("release", "ambiguous", "skipped")
    return sorted(rules, key=lambda link: next(i for i, word in enumerate(order) if link[1].startswith(word)))


def read_candidates(source: Source, report: CheckReport, fetch: Fetcher) -> None:
    """Read the first few pages of an ambiguous shape as a crawl would, and say what became of each."""
    ambiguous = [index for index, (_, rule) in enumerate(report.links) if rule.startswith("ambiguous")]
    for index in ambiguous[:CANDIDATES_READ]:
        url = report.links[index][0]
        body, _ = fetch(url)
        try:  # within the source's limits, as a crawl reads it
            reason = not_a_release(read_article(body.decode("utf-8", "replace"), url, source, body).fields)
        except DocumentTimeout as exc:
            reason = f"not read: {exc}"
        report.links[index] = (url, f"ambiguous URL shape: {'skipped, ' + reason if reason else 'reads as a release'}")


def check_source(source: Source, settings: Settings) -> CheckReport:
    report = CheckReport(source.key)
    start = source.start_urls[0]
    report.add("strategy", f"{source.kind} at {start}")
    try:
        fetch = Fetcher(settings, source)
        body, _ = fetch(start)
        found = first_article(source, start, body, report)
        read_candidates(source, report, fetch)
        if found is None:
            report.problems.append(f"no release found on {start}: check article_url_pattern and selectors")
            return report
        raw = found if isinstance(found, RawRelease) else read_release(source, found, fetch, report)
    except (urllib.error.URLError, OSError, PermissionError, FeedError, PdfError, ValueError, DocumentTimeout) as exc:
        report.problems.append(f"{type(exc).__name__}: {exc}")
        return report
    release = normalize_release(raw, source, settings.host_aliases, datetime.now(UTC).date())
    report.add("article", raw.url)
    report.add("native id", raw.native_id or "none (identity is the canonical URL)")
    report.add("canonical URL", release.canonical_url)
    report.add("title", release.title or "MISSING")
    published = release.published
    report.add(
        "published", f"{published.value} from {published.provenance}: {published.raw!r}" if published else "MISSING"
    )
    for provenance, value in raw.dates:
        report.add("  date found", f"{provenance}: {value[:80]!r}")
    if raw.date_order and raw.date_order != source.date_order:
        report.add("  date order", f"{raw.date_order}, as the page's slashed dates show (the source says {source.date_order})")
    if release.event:
        report.add("event", f"{release.event.value} from {release.event.provenance}")
    report.add("language", f"{release.lang or 'unknown'} (the page says {raw.lang or 'nothing'})")
    report.add("text", f"{len(release.text)} characters: {release.text[:120]!r}" if release.text else "MISSING")
    for name, values in release.facets.items():
        report.add(f"  {name}", ", ".join(values))
    if release.captions:
        report.add("captions", f"{len(release.captions)}, kept apart from the text")
    report.problems += [f"{name} not found on {raw.url}" for name in missing_fields(release, source.expected_fields)]
    return report


def read_release(source: Source, url: str, fetch: Fetcher, report: CheckReport) -> RawRelease:
    body, content_type = fetch(url)
    if looks_like_pdf(body, content_type):
        report.add("read from", "PDF")
        page = RawRelease(source.key, url, native_id=source.native_id(url))
        return with_pdf(
            page,
            extract_pdf_contained(body, source.drop_blocks, source.date_order, source.limits),
            url,
            page.fetched_at,
        )
    page = read_article(body.decode("utf-8", "replace"), url, source, body)
    fields, tree = page.fields, page.tree
    report.problems += [f"{note} on {url}" for note in page.cut]
    raw = raw_release(fields, source.key, url, native_id=source.native_id(url) or source.candidate_id(url))
    report.add("title from", fields.title_from)
    report.add("body from", fields.body_from)
    if source.follow_pdfs and (links := pdf_links(tree, url)):
        report.add("linked PDF", links[0])
        pdf_body, _ = fetch(links[0], pdf=True)
        raw = with_pdf(
            raw,
            extract_pdf_contained(pdf_body, source.drop_blocks, source.date_order, source.limits),
            links[0],
            raw.fetched_at,
        )
    return raw
