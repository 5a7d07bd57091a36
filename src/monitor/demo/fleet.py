"""Many small sites in the new OSCE markup, one host and one source each, for the tests and the
benchmark of queue workers: each site a listing of a few releases with texts of their own, and
the config that points a source at each."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from monitor.demo.mirror import Mirror
from monitor.demo.site import SiteWriter, _prepare, add_article, add_new_listing

WORDS = (
    "court judge judiciary reform justice legal aid prosecutor probation gender women equality violence police "
    "training seminar strategy ministry supreme constitutional access rights trial detention academy mentorship "
    "leadership regional project experts participants discussed agreed recommendations digital evaluation ethics "
    "appeal Astana Bishkek Dushanbe Tashkent Almaty Kazakhstan Kyrgyzstan Tajikistan Uzbekistan office"
).split()
ARTICLE_PATTERN = r"^/(?:[a-z]{2}/)?(?:news/[a-z0-9-]+|node)/(\d{5,})/?$"


@dataclass(frozen=True)
class Site:
    key: str  # the source key
    host: str
    releases: int


def build_fleet(root: Path, keys: list[str], releases_each: int = 3, first_nid: int = 800000) -> list[Site]:
    """One host per key (`<key>.osce.org`), each listing `releases_each` releases; every node id
    and text differs, so each release is its own."""
    writer = SiteWriter()
    sites = []
    for index, key in enumerate(keys):
        host = f"{key.replace('_', '-')}.osce.org"
        rng = random.Random(f"{key}:{first_nid}")  # noqa: S311 (made-up texts, not secrets)
        entries = []
        for number in range(releases_each):
            nid = str(first_nid + index * 100 + number)
            paragraphs = [" ".join(rng.choice(WORDS) for _ in range(50)).capitalize() + "." for _ in range(3)]
            release = _prepare(
                {
                    "key": nid,
                    "nid": nid,
                    "published": f"2026-06-{1 + number % 28:02d}",
                    "lang": "en",
                    "title": f"{key} release {number}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
                    "paragraphs": paragraphs,
                    "site": "new",
                    "host": host,
                    "path": f"/news/office-{index}/{nid}",
                    "issued_by": f"OSCE office {index}",
                }
            )
            add_article(writer, release)
            entries.append(release)
        add_new_listing(writer, host, entries, per_page=50)
        sites.append(Site(key, host, releases_each))
    writer.write(root)
    return sites


def fleet_config(
    mirrors: list[tuple[Mirror, list[Site]]], download_delay: float = 0.0, delays: Mapping[str, float] | None = None
) -> str:
    """The config that points one source at each site (the shipped sources stay as they are),
    each with `download_delay` between requests unless `delays` names its own."""
    delays = delays or {}
    lines = ["[crawl]", "autothrottle = false", "concurrent_per_domain = 1", "", "[hosts]"]
    for mirror, _ in mirrors:
        lines += [f'"{local}" = "{real}"' for local, real in mirror.host_aliases().items()]
    for mirror, sites in mirrors:
        for site in sites:
            lines += [
                "",
                f"[sources.{site.key}]",
                'organisation = "OSCE"',
                'family = "osce"',
                'kind = "listing"',
                f'start_urls = ["{mirror.url(site.host, "/news")}"]',
                'allowed_hosts = ["127.0.0.1"]',
                f"article_url_pattern = '{ARTICLE_PATTERN}'",
                f"download_delay = {delays.get(site.key, download_delay)}",
            ]
    return "\n".join(lines) + "\n"
