"""Mirror pages of the partner sites and aggregators, in each site's own markup (per
../shared/reference/sites.md): EEAS cards, WordPress (LPRC with its PDF press release, a
content farm), UNODC through a sitemap, UNDP cards, UN Women, pubt.io, the europavarietas
aggregator, and newscentralasia's feed."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import escape

from monitor.demo.site import MONTHS, SiteWriter, build_site, date_text, demo_releases

# source key -> (host, listing target, listing template, article template); None: no own pages
SITES: dict[str, tuple[str, str, str | None, str | None]] = {
    "eeas_kazakhstan": ("www.eeas.europa.eu", "/eeas/press-material_en", "eeas_listing", "eeas_article"),
    "lprc": ("lprc.kz", "/en/news/", "wordpress_listing", "wordpress_article"),
    "unodc_roca": ("www.unodc.org", "/roca/sitemap.xml", None, "unodc_article"),
    "undp_kazakhstan": ("www.undp.org", "/kazakhstan/news", "undp_listing", "undp_article"),
    "unwomen_eca": ("eca.unwomen.org", "/en/news", "unwomen_listing", "unwomen_article"),
    "pubt_osce": ("www.pubt.io", "/publisher/osce", "pubt_listing", "pubt_article"),
    "europavarietas": ("europavarietas.org", "/evnc/en/aggregator/sources/3", "aggregator_listing", None),
    "newscentralasia": ("newscentralasia.net", "/feed/", None, "wordpress_article"),
    "content_farm": ("3.72.39.107", "/?cat=3", "wordpress_listing", "wordpress_article"),
}
BLOG_NAMES = {
    "lprc.kz": "Legal Policy Research Centre",
    "newscentralasia.net": "News Central Asia",
    "3.72.39.107": "World News Today",
}
PDF_STYLE = """@page { size: A4; margin: 2cm 2cm 4cm; @bottom-center { content: element(footer) } }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; line-height: 1.4 }
.footer { position: running(footer); font-size: 7.5pt; display: flex; gap: 2cm }
.footer div { white-space: pre-line; width: 7cm }
h1 { font-size: 15pt } .banner { font-weight: bold; letter-spacing: 2px }"""


def partner_data() -> dict[str, Any]:
    return json.loads((resources.files("monitor.demo") / "partners.json").read_text(encoding="utf-8"))


def _prepare(item: dict[str, Any]) -> dict[str, Any]:
    r = dict(item)
    day = date.fromisoformat(r["published"])
    r["date_text"] = date_text(r["published"], r.get("lang", "en"))
    r["date_dmy"] = day.strftime("%d.%m.%Y")
    r["date_mdy"] = f"{MONTHS['en'][day.month - 1]} {day.day}, {day.year}"
    r["date_mdy_slash"] = day.strftime("%m/%d/%Y")
    r.setdefault("nid", str(zlib.crc32(r["title"].encode()) % 900000 + 100000))  # stable
    r["url"] = f"https://{r['host']}{r.get('path', '')}"
    r["rfc822"] = format_datetime(datetime.combine(day, time(10), tzinfo=UTC))
    return r


def press_release_pdf(spec: dict[str, Any]) -> bytes:
    """The LPRC press release of seed 002 as a real PDF: banner, date, title, place, text, and
    the contact and funding blocks in the page footer, where LPRC prints them."""
    from weasyprint import HTML

    footers = "".join(f"<div>{escape(block)}</div>" for block in spec["footers"])
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in [*spec["paragraphs"], spec["closing"]])
    html = (
        f"<html><head><title>{escape(spec['title'])}</title><style>{PDF_STYLE}</style></head><body>"
        f'<div class="footer">{footers}</div><p class="banner">{escape(spec["banner"])}</p>'
        f"<p>{escape(spec['date'])}</p><h1>{escape(spec['title'])}</h1><p><b>{escape(spec['place'])}</b></p>"
        f"{paragraphs}</body></html>"
    )
    return HTML(string=html).write_pdf()


def add_partner_sites(writer: SiteWriter, data: dict[str, Any] | None = None) -> None:
    data = data or partner_data()
    items = [_prepare(item) for item in data["partners"]]
    for key, (host, listing, listing_template, article_template) in SITES.items():
        entries = sorted((r for r in items if r["source"] == key), key=lambda r: r["published"], reverse=True)
        context = {"blog_name": BLOG_NAMES.get(host, host), "lang": "en"}
        if article_template:
            for r in entries:
                writer.add(host, r["path"], writer.render(f"partners/{article_template}.html", r=r, **context))
        if listing_template:
            html = writer.render(f"partners/{listing_template}.html", entries=entries, next_url=None, **context)
            writer.add(host, listing, html)
    _add_unodc_sitemap(writer, [r for r in items if r["source"] == "unodc_roca"])
    _add_newscentralasia_feed(writer, [r for r in items if r["source"] == "newscentralasia"])
    pdf_path = next(r["pdf"] for r in items if r.get("pdf"))
    writer.add("lprc.kz", pdf_path, press_release_pdf(data["seed002_pdf"]), "application/pdf")


def _add_unodc_sitemap(writer: SiteWriter, entries: list[dict[str, Any]]) -> None:
    urls = [{"loc": r["url"], "lastmod": r["published"]} for r in entries]
    urls.append({"loc": "https://www.unodc.org/roca/en/About-unodc-roca/about-unodc-roca.html", "lastmod": None})
    # In a release's URL shape but not a release: read, then recorded as skipped
    urls.append({"loc": f"https://www.unodc.org{ABOUT_UNODC[0]}", "lastmod": "2026-01-12"})
    writer.add("www.unodc.org", *ABOUT_UNODC)
    xml = writer.render("partners/sitemap.xml", urls=urls)
    writer.add("www.unodc.org", "/roca/sitemap.xml", xml, "application/xml; charset=utf-8")


ABOUT_UNODC = (
    "/centralasia/en/about-us.html",
    "<!DOCTYPE html><html lang=en><head><title>About us | UNODC Central Asia</title></head><body><main>"
    "<h1>About us</h1><p>The UNODC Regional Office for Central Asia in Tashkent works with Kazakhstan, Kyrgyzstan, "
    "Tajikistan, Turkmenistan and Uzbekistan on drug control, crime prevention, criminal justice and the "
    "prevention of terrorism.</p><p>Its programme for 2022-2025 has four sub-programmes, agreed with the five "
    "governments, and projects funded by donors.</p></main></body></html>",
)


def _add_newscentralasia_feed(writer: SiteWriter, entries: list[dict[str, Any]]) -> None:
    feed_entries = [{**r, "issued_by": "News Central Asia", "nid": r["path"]} for r in entries]
    xml = writer.render(
        "feed.xml", entries=feed_entries, channel="News Central Asia", home="https://newscentralasia.net/"
    )
    writer.add("newscentralasia.net", "/feed/", xml, "application/rss+xml; charset=utf-8")


def build_demo_site(out_dir: Path) -> Path:
    """The whole demo mirror: the OSCE sites and every partner's."""
    data = demo_releases()
    writer = SiteWriter()
    add_partner_sites(writer)
    # Seven entries a page, as in the stored Astana rule-of-law listing: the eighth is on page 1.
    return build_site(data["releases"], data["feed"], out_dir, per_page=7, writer=writer)
