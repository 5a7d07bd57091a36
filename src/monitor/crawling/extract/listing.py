"""Entries of a listing page, found by the article links they carry, and the next-page link."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml.html import HtmlElement

from monitor.crawling.extract.html import (
    DATE_LINE_CHARS,
    REPOSTED,
    block_lines,
    dated_element_text,
    labelled_values,
    split_list,
    text_of,
)
from monitor.crawling.extract.select import select
from monitor.crawling.reach import on_ports
from monitor.settings.sources import Source, match_native_id
from monitor.understanding.normalize.dates import YEAR, day_shown, parse_date
from monitor.understanding.normalize.urls import without_campaign

# An aggregator's node-id and author line: "589080 Željka Šulc", "599990 Public Affairs Unit, OSCE
# Office for Democratic Institutions and Human Rights Katya Andrusz": names, not a sentence.
NODE_AND_AUTHOR = re.compile(r"^\d{4,}\s+(?P<names>[^\W\d][\w .,'&()/-]{0,200})$")
# A link there is the site's header (a "latest" ticker), menu, footer or sidebar, not an entry.
FRAME_TAGS = ("header", "nav", "footer", "aside")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
DESCRIPTION_CHARS = 60  # a sentence longer than a date line or a kicker
# A sentence's end, before any closing quote or bracket: a short line that ends so is the item's prose.
SENTENCE_END = re.compile(r"[.!?…][\"'”»)]*$")
QUOTATION = re.compile(r":\s*[\"“«„']")  # 'He said: “…”', where a label's colon has a value after it
NEXT_TEXTS = {"›", "»", "→"}
# A pager's link to the next page in words: "Next ›", "Older entries", "Older releases →", "Следующая страница".
NEXT_LABEL = re.compile(r"^\W*(?:next|older|следующая|далее|келесі)\b", re.IGNORECASE)  # "« Older Entries"


@dataclass
class ListingEntry:
    url: str
    native_id: str
    title: str
    teaser: str = ""
    dates: list[tuple[str, str]] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    candidate: bool = False  # in an ambiguous shape: a release only if its page reads as one


def article_links(
    tree: HtmlElement,
    base_url: str,
    pattern: re.Pattern[str],
    hosts: tuple[str, ...],
    selector: str | None = None,
    origins: tuple[str, ...] = (),
) -> list[tuple[HtmlElement, str, str]]:
    """(anchor, absolute url, node id) for every link that looks like an article of this source;
    with a CSS `selector`, only among the links it picks; with `origins`, only on the port of one
    of them (links to be fetched: another port of an allowed host is another server)."""
    found = []
    for anchor in select(tree, selector) if selector else tree.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        if not selector and in_page_frame(anchor):
            continue
        try:  # "https://[domain]/x", a template's placeholder: that link, not the listing, is lost
            absolute = urljoin(base_url, href.strip())
            parts = urlsplit(absolute)
        except ValueError:
            continue
        if hosts and (parts.hostname or "") not in hosts:
            continue
        if origins and not on_ports(absolute, origins):
            continue
        if native_id := match_native_id(pattern, absolute):
            found.append((anchor, without_campaign(absolute), native_id))
    return found


def in_page_frame(element: HtmlElement) -> bool:
    """Within the site's header, menus, footer or a sidebar (an entry's own <header> or <footer>
    inside an <article>, or a header within the page's <main>, is the entry's)."""
    return any(ancestor.tag in FRAME_TAGS and not _entrys_own(ancestor) for ancestor in element.iterancestors())


def _entrys_own(frame: HtmlElement) -> bool:
    if frame.tag not in ("header", "footer"):
        return False
    within = {ancestor.tag for ancestor in frame.iterancestors()}
    return "article" in within or (frame.tag == "header" and "main" in within)


def _walls(tree: HtmlElement, entry_links: set[HtmlElement]) -> set[HtmlElement]:
    """Elements no entry reaches up to: those holding the page's own heading or the site's header,
    menus, footer or sidebars, and the page itself. With a single entry on the page nothing else
    stops the climb, and the whole page would be read as its teaser and dates."""
    walls: set[HtmlElement] = {tree}
    if (body := tree.find("body")) is not None:
        walls.add(body)
    for element in tree.iter("h1", "header", "nav", "footer", "aside"):
        if element.tag == "h1":
            if any(a in entry_links for a in element.iter("a")):
                continue  # a theme that heads each entry with an <h1>
        elif any(a.tag in ("article", "main") for a in element.iterancestors()):
            continue  # the entry's own header or footer, a pager within the content
        walls.update(element.iterancestors())
    return walls


ITEM_TYPE = re.compile(r"schema\.org/\w*(?:Article|Posting|Event|Report)\b")  # a microdata item: an entry whole


def _entry_container(
    anchor: HtmlElement, node_id: str, ids_below: dict[HtmlElement, set[str]], walls: set[HtmlElement]
) -> HtmlElement:
    """The largest ancestor that holds links to this article and no other, within the content.
    The only entry on a listing's last page would climb to the page's content: an <article> (or a
    microdata item) holding the link is the entry whole, and no entry outside one takes in prose
    set above it (the listing's description; in an item, that is its teaser above "Read more")."""
    in_item = any(_whole_entry(ancestor) for ancestor in anchor.iterancestors())
    container = anchor
    parent = anchor.getparent()
    while (
        parent is not None
        and not _whole_entry(container)
        and parent not in walls
        and ids_below.get(parent, set()) <= {node_id}
        and (in_item or not any(_description(line) for block in container.itersiblings(preceding=True) for line in _lines(block)))
    ):
        container, parent = parent, parent.getparent()
    return container


def _whole_entry(element: HtmlElement) -> bool:
    return element.tag == "article" or ITEM_TYPE.search(element.get("itemtype") or "") is not None


def _anchor_title(anchor: HtmlElement, container: HtmlElement) -> str:
    """What the link is titled: the heading it wraps (a whole card is often one link, its type and
    date included); else its text; else, for an empty overlay link, its label or the entry's heading."""
    if headings := [h for h in anchor.iter(*HEADINGS) if text_of(h)]:
        return text_of(min(headings, key=lambda h: h.tag))
    if title := text_of(anchor):
        if len(title.split()) <= READ_MORE_WORDS:  # "Подробнее", "Read more »": the entry's heading names it
            return next((text for h in container.iter(*HEADINGS) if len(text := text_of(h)) > len(title)), title)
        return title
    if label := " ".join((anchor.get("aria-label") or anchor.get("title") or "").split()):
        return label
    return next((text for h in container.iter(*HEADINGS) if (text := text_of(h))), "")


READ_MORE_WORDS = 3


def _entry_dates(
    container: HtmlElement, anchor: HtmlElement, lines: list[str], title: str, date_selector: str | None, labelled: list[str]
) -> list[str]:
    """The dates an entry shows: its labelled ones, <time> elements, the source's selector (the
    first of its matches that reads as a date), else a date-classed element, else a short line
    that holds a date, else an element of its own that holds one (a card's "<span>Заявление</span>
    <span>28.10.2024</span>", set apart by the layout alone), else a day and month it shows in
    the year of the month heading above its link ("20 Mar" under "March 2024")."""
    dates = list(labelled)
    # a UTC stamp the day before the day the item shows ("Wed, 03/04/2024 - 00:40"): the day its readers see
    dates += [
        day_shown(value, text_of(time_el)) or value
        for time_el in container.iter("time")
        if (value := time_el.get("datetime") or text_of(time_el))
    ]
    if date_selector:
        dates += [text for el in select(container, date_selector) if (text := text_of(el)) and parse_date(text)][:1]
    if not dates and (found := dated_element_text(container, parse_date)):
        dates.append(found)  # a card footer, "12/19/2024 | Press release"
    if not dates:
        dates += [line for line in lines if line != title and len(line) <= DATE_LINE_CHARS and parse_date(line)][:1]
    if not dates:
        dates += [text for el in container.iter() if _dated_leaf(el, title) and (text := text_of(el))][:1]
    if not dates and (year := _heading_year(anchor)):
        found = dated_element_text(container, lambda text: parse_date(f"{text} {year}"))
        dates += [f"{found} {year}"] if found else []
    return dates


def _heading_year(anchor: HtmlElement) -> str | None:
    """The year of the month heading a listing groups its entries under ("March 2024")."""
    for heading in reversed(anchor.xpath("preceding::*[self::h2 or self::h3 or self::h4]")):
        if len(text := text_of(heading)) <= MONTH_HEADING_CHARS and (found := YEAR.search(text)):
            return found.group()
    return None


MONTH_HEADING_CHARS = 30


def _dated_leaf(element: HtmlElement, title: str) -> bool:
    if not isinstance(element.tag, str) or len(element) or not element.text:
        return False
    text = element.text.strip()
    return text != title and len(text) <= DATE_LINE_CHARS and parse_date(text) is not None


def _names_line(line: str) -> bool:
    """An aggregator's "<node id> <author>" line: names (most words capitalised), no sentence."""
    match = NODE_AND_AUTHOR.match(line)
    if not match or line.rstrip().endswith((".", "!", "?")):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", match["names"])]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _lines(block: HtmlElement) -> list[str]:
    return block_lines(block) if isinstance(block.tag, str) else []  # not a comment's


def _description(line: str) -> bool:
    """A sentence of prose, longer than a date line ("16 февраля 2026 г.") or a kicker."""
    return len(line) >= DESCRIPTION_CHARS and _sentence(line)


def _sentence(line: str) -> bool:
    return len(line.split()) >= 3 and bool(SENTENCE_END.search(line))


def _prose_line(line: str, title: str, label_lines: set[str]) -> bool:
    """A line of the item's own words: not its title, a labelled line ("Categories: Central Europe"),
    a byline or a "589080 Author" line. A colon early in a line opens a label ("Photo: OSCE.")
    unless a quotation follows it, and a short line is prose when it is a sentence ("Turnout was
    high.")."""
    if line == title or line in label_lines or _names_line(line):
        return False
    if ":" in line[:30] and not QUOTATION.search(line):
        return False
    return len(line) > 40 or _sentence(line)


def listing_entries(
    tree: HtmlElement,
    base_url: str,
    pattern: re.Pattern[str],
    hosts: tuple[str, ...],
    link_selector: str | None = None,
    date_selector: str | None = None,
    most: int | None = None,
    origins: tuple[str, ...] = (),
) -> list[ListingEntry]:
    """One entry per article linked, the first `most` at most; `link_selector` and
    `date_selector` (CSS) pin down what the generic reading (labels, <time>, date-classed
    elements) cannot find; `origins` as for article_links."""
    links = article_links(tree, base_url, pattern, hosts, link_selector, origins)
    if most is not None:  # only the entries to be taken are read: a page of a million links costs no more
        kept = set(list(dict.fromkeys(node_id for _, _, node_id in links))[:most])
        links = [link for link in links if link[2] in kept]
    ids_below: dict[HtmlElement, set[str]] = {}
    for anchor, _, node_id in links:
        for ancestor in anchor.iterancestors():
            ids_below.setdefault(ancestor, set()).add(node_id)

    walls = _walls(tree, {anchor for anchor, _, _ in links})
    entries: dict[str, ListingEntry] = {}
    for anchor, url, node_id in links:
        container = _entry_container(anchor, node_id, ids_below, walls)
        title = _anchor_title(anchor, container)
        if node_id in entries:
            entry = entries[node_id]
            if len(title) > len(entry.title):  # a "Read more" link came first
                entry.title = title
            if not entry.dates:  # a featured teaser first, the dated list entry after it
                found = _entry_dates(container, anchor, block_lines(container), title, date_selector, [])
                entry.dates = [("listing", value) for value in found]
            continue
        lines = block_lines(container)
        entry = ListingEntry(url=url, native_id=node_id, title=title)
        label_lines = set()
        labelled_dates = []
        for name, value in labelled_values(lines):
            label_lines.add(value)
            if name in ("published", REPOSTED):
                labelled_dates.append(value)
            else:
                entry.facets.setdefault(name, []).extend(split_list(value) if name == "what we do" else [value])
        found = _entry_dates(container, anchor, lines, title, date_selector, labelled_dates)
        entry.dates = [("listing", value) for value in found]
        # The item's own words, in their order: not its title, labels, byline or "589080 Author" line.
        entry.teaser = "\n\n".join(line for line in lines if _prose_line(line, title, label_lines))
        entries[node_id] = entry
    return [e for e in entries.values() if e.title]


class Listing(NamedTuple):
    entries: list[ListingEntry]
    unfit_selector: str | None = None  # the source's link selector, where it found no release


def source_entries(source: Source, tree: HtmlElement, base_url: str, most: int | None = None) -> Listing:
    """A listing page read the way the source's entry in the sources file says (the first
    `most` entries at most). Where the source's link selector finds no release, the page is
    read by the URL shapes alone (a redesign changes the markup sooner than the URLs), and the
    selector is named so that the crawl can say it no longer fits."""
    selectors = source.selectors
    # Articles to be fetched are on the page's port or a start URL's; an entry that is the whole
    # release (an aggregator's teaser) is not fetched, and may link its original on any port.
    origins = (base_url, *source.start_urls) if source.follow_articles else ()

    def read(pattern: re.Pattern[str], link: str | None, listing_date: str | None) -> list[ListingEntry]:
        return listing_entries(tree, base_url, pattern, source.allowed_hosts, link, listing_date, most, origins)

    unfit = None
    entries = read(source.article_url_re, selectors.get("link"), selectors.get("listing_date"))
    if not entries and (unfit := selectors.get("link")):
        selectors = {}
        entries = read(source.article_url_re, None, None)
    if source.candidate_url_pattern:
        found = {entry.url for entry in entries}
        candidates = read(re.compile(source.candidate_url_pattern), selectors.get("link"), selectors.get("listing_date"))
        entries += [replace(entry, candidate=True) for entry in candidates if entry.url not in found]
    return Listing(entries[:most] if most is not None else entries, unfit if entries else None)


def next_page_url(tree: HtmlElement, base_url: str, selector: str | None = None) -> str | None:
    """The source's own selector; else rel=next, a pager's next item, a 'next' or 'older' text,
    title or label (an icon-only arrow); else the first link to the next page number."""
    if selector:
        found = [a for a in select(tree, selector) if a.get("href")]
        return urljoin(base_url, found[0].get("href")) if found else None
    query = parse_qs(urlsplit(base_url).query)
    # the page after this one: Drupal counts ?page=N from 0, WordPress ?paged=N and most others
    # ?page=N from 1, so the first page (no number) is followed by either's second
    page = query.get("page", [""])[0]
    wanted = {
        "page": {int(page) + 1} if page.isdigit() else {1, 2},
        "paged": {int(query.get("paged", ["1"])[0] or 1) + 1},
    }
    by_number = None
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):  # a slider's "Next" arrow, a disabled pager item
            continue
        rel = (anchor.get("rel") or "").lower().split()
        label = " ".join(text_of(anchor).lower().split())
        classes = " ".join(
            [
                anchor.get("class") or "",
                (anchor.getparent().get("class") or "") if anchor.getparent() is not None else "",
            ]
        )
        named = f"{anchor.get('title') or ''} {anchor.get('aria-label') or ''}".lower()
        if (
            "next" in rel
            or label in NEXT_TEXTS
            or NEXT_LABEL.match(label)
            or "go to next page" in named
            or (not label and re.search(r"\bnext\b", named))
            or re.search(r"pager(?:__item-{1,2}|-)next", classes)
        ):
            return urljoin(base_url, href)
        target = parse_qs(urlsplit(urljoin(base_url, href)).query)
        for name, numbers in wanted.items():
            value = target.get(name, [None])[0]
            if value and value.isdigit() and int(value) in numbers:
                if label == "2" and not page:  # the second page, as the pager labels it
                    return urljoin(base_url, href)
                by_number = by_number or urljoin(base_url, href)
    return by_number


def pdf_links(tree: HtmlElement, base_url: str) -> list[str]:
    """Links to PDF files, in page order, each once (a press release attached to its post); not
    those of the site's menus, footer or sidebars (a strategy or an annual report)."""
    links = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        try:
            if urlsplit(href).path.lower().endswith(".pdf") and not in_page_frame(anchor):
                links.append(urljoin(base_url, href))
        except ValueError:  # a malformed address: that link alone is skipped
            continue
    return list(dict.fromkeys(links))
