"""Builds the mirror's pages from release data with the OSCE's two page generations as templates.

The demo builds its mirror from `releases.json`; the crawl benchmark builds thousands of
synthetic releases through the same writer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "kk": [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
}
ROBOTS = "User-agent: *\nCrawl-delay: 1\nDisallow: /admin/\nDisallow: /search/\nDisallow: /user/\n"
SITE_NAMES = {
    "astana.osce.org": "OSCE Programme Office in Astana",
    "bishkek.osce.org": "OSCE Programme Office in Bishkek",
    "odihr.osce.org": "OSCE ODIHR",
    "dushanbe.osce.org": "OSCE Programme Office in Dushanbe",
    "ashgabat.osce.org": "OSCE Centre in Ashgabat",
    "uzbekistan.osce.org": "OSCE Project Co-ordinator in Uzbekistan",
}
LEGACY_LISTINGS = {
    # listing key -> (path and filter exactly as the old newsroom spelled them)
    "astana_rol": "/press-releases?filters=%20im_taxonomy_vid_1%3A%2836%29%20im_taxonomy_vid_3%3A%28129%29",
    "odihr": "/press-releases?filters=%20im_taxonomy_vid_1%3A%2824%29",
}
NEW_LISTINGS = {
    "astana_news": "astana.osce.org",
    "bishkek_news": "bishkek.osce.org",
    "odihr_news": "odihr.osce.org",
    "dushanbe_news": "dushanbe.osce.org",
    "ashgabat_news": "ashgabat.osce.org",
    "uzbekistan_news": "uzbekistan.osce.org",
}
FEED = ("feeds.osce.org", "/OSCELatestNews")


def date_text(value: str, lang: str = "en") -> str:
    day = date.fromisoformat(value)
    month = MONTHS.get(lang, MONTHS["en"])[day.month - 1]
    if lang == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    return f"{day.day} {month} {day.year}" + (" г." if lang == "ru" else "")


class SiteWriter:
    """Collects files and routes per host, then writes them out as a mirror directory."""

    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("monitor.demo", "templates"), autoescape=select_autoescape(["html", "xml"])
        )
        self.files: dict[str, dict[str, bytes]] = defaultdict(dict)
        self.routes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)

    def add(
        self,
        host: str,
        target: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        extension = ".xml" if "xml" in content_type else ".pdf" if "pdf" in content_type else ".html"
        name = f"f{len(self.files[host]):05d}{extension}"
        self.files[host][name] = body.encode("utf-8") if isinstance(body, str) else body
        route: dict[str, Any] = {"file": name, "type": content_type, "status": status}
        if headers:
            route["headers"] = headers
        self.routes[host][target] = route

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def write(self, out_dir: Path) -> Path:
        out_dir.mkdir(parents=True, exist_ok=True)
        for host in self.files:
            if "/robots.txt" not in self.routes[host]:
                self.add(host, "/robots.txt", ROBOTS, "text/plain; charset=utf-8")
            host_dir = out_dir / host
            host_dir.mkdir(exist_ok=True)
            for name, body in self.files[host].items():
                (host_dir / name).write_bytes(body)
            (host_dir / "routes.json").write_text(json.dumps(self.routes[host], indent=1), encoding="utf-8")
        return out_dir


def _prepare(release: dict[str, Any]) -> dict[str, Any]:
    r = dict(release)
    r.setdefault("teaser", r["paragraphs"][0])
    r["published_text"] = date_text(r["published"], r.get("lang", "en"))
    r["url"] = f"https://{r['host']}{r['path']}"
    published = datetime.combine(date.fromisoformat(r["published"]), time(9), tzinfo=UTC)
    r["rfc822"] = format_datetime(published)
    r.setdefault("issued_by", ", ".join(r.get("where", [])) or "OSCE")
    r["jsonld"] = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": r["title"],
            "datePublished": f"{r['published']}T09:00:00+05:00",
            "inLanguage": r.get("lang", "en"),
            "publisher": {"@type": "Organization", "name": r["issued_by"]},
        },
        ensure_ascii=False,
    ).replace("</", "<\\/")
    return r


def _pages(entries: list[dict[str, Any]], per_page: int) -> list[list[dict[str, Any]]]:
    return [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]


def add_legacy_listing(writer: SiteWriter, base: str, entries: list[dict[str, Any]], per_page: int = 10) -> None:
    pages = _pages(sorted(entries, key=lambda r: r["published"], reverse=True), per_page)
    for number, page_entries in enumerate(pages):
        target = f"{base}&page={number}"
        html = writer.render(
            "legacy_listing.html",
            entries=page_entries,
            page=number,
            prev_url=f"{base}&page={number - 1}" if number else None,
            next_url=f"{base}&page={number + 1}" if number + 1 < len(pages) else None,
        )
        writer.add("www.osce.org", target, html)
        if number == 0:
            writer.add("www.osce.org", base, html)


def add_new_listing(
    writer: SiteWriter, host: str, entries: list[dict[str, Any]], per_page: int = 10, path: str = "/news"
) -> None:
    pages = _pages(sorted(entries, key=lambda r: r["published"], reverse=True), per_page)
    for number, page_entries in enumerate(pages):
        html = writer.render(
            "new_listing.html",
            entries=page_entries,
            host=host,
            site_name=SITE_NAMES.get(host, host),
            next_url=f"{path}?page={number + 1}" if number + 1 < len(pages) else None,
        )
        writer.add(host, f"{path}?page={number}", html)
        if number == 0:
            writer.add(host, path, html)


def add_article(writer: SiteWriter, r: dict[str, Any]) -> None:
    template = "legacy_article.html" if r["site"] == "legacy" else "new_article.html"
    html = writer.render(template, r=r, site_name=SITE_NAMES.get(r["host"], "OSCE"))
    writer.add(r["host"], r["path"], html)


def add_feed(writer: SiteWriter, entries: list[dict[str, Any]]) -> None:
    xml = writer.render("feed.xml", entries=entries)
    writer.add(FEED[0], FEED[1], xml, "application/rss+xml; charset=utf-8")


def build_site(
    releases: list[dict[str, Any]],
    feed_keys: list[str],
    out_dir: Path,
    per_page: int = 10,
    writer: SiteWriter | None = None,
) -> Path:
    """The OSCE sites of `releases`, written with whatever `writer` holds already."""
    writer = writer or SiteWriter()
    prepared = [_prepare(r) for r in releases]
    for r in prepared:
        add_article(writer, r)
    for key, base in LEGACY_LISTINGS.items():
        if entries := [r for r in prepared if r.get("listing") == key]:
            add_legacy_listing(writer, base, entries, per_page)
    for key, host in NEW_LISTINGS.items():
        listed = [r for r in prepared if r.get("listing") == key]
        for lang in sorted({r["lang"] for r in listed}):  # each language has its own listing: /news, /ru/news
            entries = [r for r in listed if r["lang"] == lang]
            add_new_listing(writer, host, entries, per_page, "/news" if lang == "en" else f"/{lang}/news")
    by_key = {r["key"]: r for r in prepared}
    if feed_keys:
        add_feed(writer, [by_key[k] for k in feed_keys])
    return writer.write(out_dir)


def demo_releases() -> dict[str, Any]:
    return json.loads((resources.files("monitor.demo") / "releases.json").read_text(encoding="utf-8"))
