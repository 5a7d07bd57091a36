"""Sources described as data: the shipped defaults merged with a user's overrides."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import GenericTranslator, SelectorError

from monitor.settings import values
from monitor.settings.limits import Limits
from monitor.settings.names import check_name

KINDS = ("legacy_listing", "listing", "feed", "sitemap")
DATE_ORDERS = ("DMY", "MDY", "YMD")
SELECTOR_NAMES = ("link", "next", "listing_date", "title", "date", "body")  # CSS selectors a source may pin down
GENERIC_FAMILY = "generic"
FIELD_NAMES = ("title", "text", "published", "lang")  # what a crawl counts as missing per release


class SourceConfigError(ValueError):
    """A source entry in the config cannot be used; the message names the source and the field."""


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    organisation: str
    family: str  # the Scrapy spider that handles this source ("generic" fits any site)
    kind: str  # how the spider walks it: see KINDS
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    languages: tuple[str, ...] = ("en",)
    date_order: str = "DMY"
    timezone: str | None = None  # where the source publishes: a timestamp's day is read there
    # where each host it carries releases of publishes, if elsewhere (a feed of several offices)
    host_timezones: dict[str, str] = field(default_factory=dict)
    article_url_pattern: str = r"/(\d{4,})/?$"
    # URLs in the shape of a release and of other pages too ("about us"): such a page is taken
    # only when it reads as a release, and is otherwise recorded as skipped
    candidate_url_pattern: str = ""
    enabled: bool = True
    syndication: bool = False  # republished copies, never the canonical publisher
    max_pages: int = 50  # listing pages walked at most by a --full crawl
    download_delay: float | None = None  # None: the [crawl] default
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    selectors: dict[str, str] = field(default_factory=dict)
    follow_articles: bool = True  # False: the listing entries are the releases (aggregators' teasers)
    follow_pdfs: bool = False  # article pages link their press release as a PDF
    drop_blocks: tuple[str, ...] = ()  # regexes of paragraphs repeated on every release (contacts, funding)
    expected_fields: tuple[str, ...] = ("title", "text", "published")
    assumptions: str = ""
    limits: Limits = field(default_factory=Limits)

    @property
    def id_namespace(self) -> str:
        """Native ids are shared by every host of a family (the OSCE's node ids); a generic
        source's ids (slugs, file names) mean something only on that source."""
        return self.key if self.family == GENERIC_FAMILY else self.family

    @property
    def zone(self) -> ZoneInfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None

    def zone_of(self, host: str) -> ZoneInfo | None:
        """Where a release on `host` was published: its host's zone, else the source's."""
        return ZoneInfo(self.host_timezones[host]) if host in self.host_timezones else self.zone

    @property
    def article_url_re(self) -> re.Pattern[str]:
        return re.compile(self.article_url_pattern)

    def native_id(self, url: str) -> str | None:
        return match_native_id(self.article_url_re, url)

    def candidate_id(self, url: str) -> str | None:
        """The id of a URL that may be a release, to be read before it is taken for one."""
        return match_native_id(re.compile(self.candidate_url_pattern), url) if self.candidate_url_pattern else None


def match_native_id(pattern: re.Pattern[str], url: str) -> str | None:
    """The id an article URL carries: the first group the pattern captured, tried on the path
    and then on the path with its query (WordPress ?p=N); None when the URL is not an article."""
    parts = urlsplit(url)
    for target in (parts.path, f"{parts.path}?{parts.query}" if parts.query else None):
        if target and (match := pattern.search(target)):
            return next((group for group in match.groups() if group), match.group(0))
    return None


SOURCE_KEYS = tuple(f.name for f in dataclasses.fields(Source) if f.name != "key")


def source_from_mapping(key: str, data: Any, limits: Limits | None = None) -> Source:
    try:
        check_name("source key", key)
    except ValueError as exc:
        raise SourceConfigError(str(exc)) from None
    if not isinstance(data, dict):
        raise SourceConfigError(f"source {key!r} must be a table ([sources.{key}]), not {data!r}")
    try:
        return _source(key, data, limits or Limits())
    except ValueError as exc:
        raise SourceConfigError(str(exc)) from None


def _source(key: str, data: dict[str, Any], limits: Limits) -> Source:
    where = f"source {key!r}"
    values.check_keys(where, data, SOURCE_KEYS)

    def need(name: str) -> Any:
        if name not in data:
            raise SourceConfigError(f"{where}: missing field {name!r}")
        return data[name]

    def text(name: str, default: str) -> str:
        return values.text(where, name, data.get(name, default))

    def strings(name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        return values.strings(where, name, data[name]) if name in data else default

    def flag(name: str, default: bool) -> bool:
        return values.boolean(where, name, data.get(name, default))

    kind = values.text(where, "kind", need("kind"))
    if kind not in KINDS:
        raise SourceConfigError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    order = text("date_order", "DMY")
    if order not in DATE_ORDERS:
        raise SourceConfigError(f"{where}: date_order {order!r} is not one of {', '.join(DATE_ORDERS)}")

    def known_zone(name: str, zone: object) -> str:
        try:
            ZoneInfo(values.text(where, name, zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise SourceConfigError(f"{where}: {name} {zone!r} is not a known time zone") from None
        return str(zone)

    timezone = known_zone("timezone", data["timezone"]) if "timezone" in data else None
    host_timezones = {
        host.lower(): known_zone(f"host_timezones.{host}", zone)
        for host, zone in values.table(where, "host_timezones", data.get("host_timezones", {})).items()
    }
    start_urls = values.strings(where, "start_urls", need("start_urls"))
    if not start_urls:
        raise SourceConfigError(f"{where}: start_urls is empty")
    pattern = text("article_url_pattern", Source.article_url_pattern)
    candidates = text("candidate_url_pattern", "")
    for name, regex in (("article_url_pattern", pattern), ("candidate_url_pattern", candidates)):
        try:
            re.compile(regex)
        except re.error as exc:
            raise SourceConfigError(f"{where}: {name} is not a valid regex: {exc}") from exc
    selectors = dict(values.table(where, "selectors", data.get("selectors", {})))
    if unknown := set(selectors) - set(SELECTOR_NAMES):
        raise SourceConfigError(f"{where}: unknown selectors {sorted(unknown)}; use {', '.join(SELECTOR_NAMES)}")
    for name, selector in selectors.items():
        try:
            GenericTranslator().css_to_xpath(values.text(where, f"selectors.{name}", selector))
        except SelectorError as exc:
            raise SourceConfigError(f"{where}: selectors.{name} {selector!r} is not valid CSS: {exc}") from exc
    expected = strings("expected_fields", Source.expected_fields)
    if unknown := set(expected) - set(FIELD_NAMES):
        raise SourceConfigError(f"{where}: unknown expected_fields {sorted(unknown)}")
    orders = values.table(where, "fields", data.get("fields", {}))
    if unknown := set(orders) - set(FIELD_NAMES):
        raise SourceConfigError(f"{where}: unknown fields {sorted(unknown)}; use {', '.join(FIELD_NAMES)}")
    drop_blocks = strings("drop_blocks")
    for block in drop_blocks:
        try:
            re.compile(block)
        except re.error as exc:
            raise SourceConfigError(f"{where}: drop_blocks entry {block!r} is not a valid regex: {exc}") from exc
    delay = data.get("download_delay")
    return Source(
        key=key,
        name=text("name", key),
        organisation=values.text(where, "organisation", need("organisation")),
        family=text("family", GENERIC_FAMILY),
        kind=kind,
        start_urls=start_urls,
        allowed_hosts=values.strings(where, "allowed_hosts", need("allowed_hosts")),
        languages=strings("languages", ("en",)),
        date_order=order,
        timezone=timezone,
        host_timezones=host_timezones,
        article_url_pattern=pattern,
        candidate_url_pattern=candidates,
        enabled=flag("enabled", True),
        syndication=flag("syndication", False),
        max_pages=values.integer(where, "max_pages", data.get("max_pages", 50), minimum=1),
        download_delay=None if delay is None else values.number(where, "download_delay", delay),
        fields={name: values.strings(where, f"fields.{name}", order) for name, order in orders.items()},
        selectors=selectors,
        follow_articles=flag("follow_articles", True),
        follow_pdfs=flag("follow_pdfs", False),
        drop_blocks=drop_blocks,
        expected_fields=expected,
        assumptions=text("assumptions", ""),
        limits=source_limits(key, data.get("limits", {}), limits),
    )


def source_limits(key: str, overrides: Any, defaults: Limits) -> Limits:
    if not isinstance(overrides, dict):
        raise SourceConfigError(f"source {key!r}: limits must be a table")
    try:
        return defaults.merged(overrides, f"source {key!r}")
    except ValueError as exc:
        raise SourceConfigError(str(exc)) from None
