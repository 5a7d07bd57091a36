"""Sources described as data: the shipped defaults merged with a user's overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

KINDS = ("legacy_listing", "listing", "feed")
DATE_ORDERS = ("DMY", "MDY", "YMD")


class SourceConfigError(ValueError):
    """A source entry in the config cannot be used; the message names the source and the field."""


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    organisation: str
    family: str  # the Scrapy spider that handles this source
    kind: str  # how the spider walks it: see KINDS
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    languages: tuple[str, ...] = ("en",)
    date_order: str = "DMY"
    article_url_pattern: str = r"/(\d{4,})/?$"
    enabled: bool = True
    syndication: bool = False  # republished copies, never the canonical publisher
    max_pages: int = 50  # listing pages walked at most by a --full crawl
    download_delay: float | None = None  # None: the [crawl] default
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    assumptions: str = ""

    @property
    def article_url_re(self) -> re.Pattern[str]:
        return re.compile(self.article_url_pattern)


def source_from_mapping(key: str, data: dict[str, Any]) -> Source:
    def need(name: str) -> Any:
        if name not in data:
            raise SourceConfigError(f"source {key!r}: missing field {name!r}")
        return data[name]

    kind = need("kind")
    if kind not in KINDS:
        raise SourceConfigError(f"source {key!r}: kind {kind!r} is not one of {', '.join(KINDS)}")
    order = data.get("date_order", "DMY")
    if order not in DATE_ORDERS:
        raise SourceConfigError(f"source {key!r}: date_order {order!r} is not one of {', '.join(DATE_ORDERS)}")
    start_urls = tuple(need("start_urls"))
    if not start_urls:
        raise SourceConfigError(f"source {key!r}: start_urls is empty")
    pattern = data.get("article_url_pattern", Source.article_url_pattern)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise SourceConfigError(f"source {key!r}: article_url_pattern is not a valid regex: {exc}") from exc
    return Source(
        key=key,
        name=data.get("name", key),
        organisation=need("organisation"),
        family=need("family"),
        kind=kind,
        start_urls=start_urls,
        allowed_hosts=tuple(need("allowed_hosts")),
        languages=tuple(data.get("languages", ("en",))),
        date_order=order,
        article_url_pattern=pattern,
        enabled=bool(data.get("enabled", True)),
        syndication=bool(data.get("syndication", False)),
        max_pages=int(data.get("max_pages", 50)),
        download_delay=data.get("download_delay"),
        fields={name: tuple(order) for name, order in data.get("fields", {}).items()},
        assumptions=data.get("assumptions", ""),
    )
