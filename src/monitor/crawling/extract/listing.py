"""Entries of a listing page, found by the article links they carry, and the next-page link."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml.html import HtmlElement

from monitor.crawling.extract.html import block_lines, dated_element_text, labelled_values, split_list, text_of
from monitor.crawling.extract.select import select
from monitor.settings.sources import Source, match_native_id
from monitor.understanding.normalize.dates import parse_date

NODE_AND_AUTHOR = re.compile(r"^\d{4,}\s+\w[\w .'-]{0,60}$")  # an aggregator's "589080 Željka Šulc"
FRAME_TAGS = ("nav", "footer", "aside")  # a link there is the site's menu, footer or sidebar, not an entry
NEXT_TEXTS = {"next", "next ›", "next page", "›", "»", "next »", "следующая", "следующая ›", "келесі", "келесі ›"}


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
    tree: HtmlElement, base_url: str, pattern: re.Pattern[str], hosts: tuple[str, ...], selector: str | None = None
) -> list[tuple[HtmlElement, str, str]]:
    """(anchor, absolute url, node id) for every link that looks like an article of this source;
    with a CSS `selector`, only among the links it picks."""
    found = []
    for anchor in select(tree, selector) if selector else tree.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        if not selector and in_page_frame(anchor):
            continue
        absolute = urljoin(base_url, href.strip())
        parts = urlsplit(absolute)
        if hosts and (parts.hostname or "") not in hosts:
            continue
        if native_id := match_native_id(pattern, absolute):
            found.append((anchor, absolute.split("#")[0], native_id))
    return found


def in_page_frame(element: HtmlElement) -> bool:
    """Within the site's menus, footer or a sidebar (an entry's own <footer> inside an <article> is
    the entry's)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in FRAME_TAGS and not (
            ancestor.tag == "footer" and any(a.tag == "article" for a in ancestor.iterancestors())
        ):
            return True
    return False


def _entry_container(anchor: HtmlElement, node_id: str, ids_below: dict[HtmlElement, set[str]]) -> HtmlElement:
    """The largest ancestor that holds links to this article and no other."""
    container = anchor
    parent = anchor.getparent()
    while parent is not None and ids_below.get(parent, set()) <= {node_id}:
        container, parent = parent, parent.getparent()
    return container


def listing_entries(
    tree: HtmlElement,
    base_url: str,
    pattern: re.Pattern[str],
    hosts: tuple[str, ...],
    link_selector: str | None = None,
    date_selector: str | None = None,
    most: int | None = None,
) -> list[ListingEntry]:
    """One entry per article linked, the first `most` at most; `link_selector` and
    `date_selector` (CSS) pin down what the generic reading (labels, <time>, date-classed
    elements) cannot find."""
    links = article_links(tree, base_url, pattern, hosts, link_selector)
    if most is not None:  # only the entries to be taken are read: a page of a million links costs no more
        kept = set(list(dict.fromkeys(node_id for _, _, node_id in links))[:most])
        links = [link for link in links if link[2] in kept]
    ids_below: dict[HtmlElement, set[str]] = {}
    for anchor, _, node_id in links:
        for ancestor in anchor.iterancestors():
            ids_below.setdefault(ancestor, set()).add(node_id)

    entries: dict[str, ListingEntry] = {}
    for anchor, url, node_id in links:
        title = text_of(anchor)
        if node_id in entries:
            if len(title) > len(entries[node_id].title):  # a "Read more" link came first
                entries[node_id].title = title
            continue
        container = _entry_container(anchor, node_id, ids_below)
        lines = block_lines(container)
        entry = ListingEntry(url=url, native_id=node_id, title=title)
        label_lines = set()
        for name, value in labelled_values(lines):
            label_lines.add(value)
            if name == "published":
                entry.dates.append(("listing", value))
            else:
                entry.facets.setdefault(name, []).extend(split_list(value) if name == "what we do" else [value])
        for time_el in container.iter("time"):
            if value := (time_el.get("datetime") or text_of(time_el)):
                entry.dates.append(("listing", value))
        if date_selector:
            entry.dates += [("listing", text) for el in select(container, date_selector) if (text := text_of(el))][:1]
        if not entry.dates and (found := dated_element_text(container, parse_date)):
            entry.dates.append(("listing", found))  # a card footer, "12/19/2024 | Press release"
        # The item's own words, in their order: not its title, labels, byline or "589080 Author" line.
        prose = [
            line
            for line in lines
            if line != title
            and ":" not in line[:30]
            and line not in label_lines
            and len(line) > 40
            and not NODE_AND_AUTHOR.match(line)
        ]
        entry.teaser = "\n\n".join(prose)
        entries[node_id] = entry
    return [e for e in entries.values() if e.title]


def source_entries(source: Source, tree: HtmlElement, base_url: str, most: int | None = None) -> list[ListingEntry]:
    """A listing page read the way the source's entry in the sources file says (the first
    `most` entries at most)."""
    selectors = source.selectors
    entries = listing_entries(
        tree,
        base_url,
        source.article_url_re,
        source.allowed_hosts,
        selectors.get("link"),
        selectors.get("listing_date"),
        most,
    )
    if not source.candidate_url_pattern:
        return entries
    found = {entry.url for entry in entries}
    candidates = listing_entries(
        tree,
        base_url,
        re.compile(source.candidate_url_pattern),
        source.allowed_hosts,
        selectors.get("link"),
        selectors.get("listing_date"),
        most,
    )
    entries += [replace(entry, candidate=True) for entry in candidates if entry.url not in found]
    return entries[:most] if most is not None else entries


def next_page_url(tree: HtmlElement, base_url: str, selector: str | None = None) -> str | None:
    """The source's own selector; else rel=next, a pager's next item, a 'next' text or title;
    else the link to ?page=current+1."""
    if selector:
        found = [a for a in select(tree, selector) if a.get("href")]
        return urljoin(base_url, found[0].get("href")) if found else None
    current = int(parse_qs(urlsplit(base_url).query).get("page", ["0"])[0] or 0)
    by_number = None
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        rel = (anchor.get("rel") or "").lower().split()
        label = " ".join(text_of(anchor).lower().split())
        classes = " ".join(
            [
                anchor.get("class") or "",
                (anchor.getparent().get("class") or "") if anchor.getparent() is not None else "",
            ]
        )
        if (
            "next" in rel
            or label in NEXT_TEXTS
            or "go to next page" in (anchor.get("title") or "").lower()
            or re.search(r"pager(?:__item-{1,2}|-)next", classes)
        ):
            return urljoin(base_url, href)
        page = parse_qs(urlsplit(urljoin(base_url, href)).query).get("page", [None])[0]
        if page and page.isdigit() and int(page) == current + 1:
            by_number = urljoin(base_url, href)
    return by_number


def pdf_links(tree: HtmlElement, base_url: str) -> list[str]:
    """Links to PDF files, in page order, each once (a press release attached to its post); not
    those of the site's menus, footer or sidebars (a strategy or an annual report)."""
    links = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if urlsplit(href).path.lower().endswith(".pdf") and not in_page_frame(anchor):
            links.append(urljoin(base_url, href))
    return list(dict.fromkeys(links))
