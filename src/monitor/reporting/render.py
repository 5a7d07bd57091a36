"""Digest -> HTML (Jinja2, autoescaped) -> PDF (WeasyPrint, fetching nothing)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from monitor.reporting.content import Digest

logger = logging.getLogger(__name__)


def template_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda d: f"{d.day} {d:%B %Y}" if d else ""
    env.filters["safe_url"] = safe_url
    return env


def safe_url(url: str) -> str:
    """Scraped links go into the PDF as links only when they are plain web addresses."""
    return url if url.startswith(("https://", "http://")) else ""


def render_html(digest: Digest, templates_dir: Path) -> str:
    return template_environment(templates_dir).get_template("digest/digest.html").render(digest=digest)


def render_email(digest: Digest, templates_dir: Path, unsubscribe: str = "") -> tuple[str, str]:
    """(plain text, HTML) bodies listing the headlines, with the unsubscribe link when there is
    one; the HTML one is autoescaped."""
    env = template_environment(templates_dir)
    return (
        env.get_template("email/digest.txt").render(digest=digest, unsubscribe=unsubscribe),
        env.get_template("email/digest.html").render(digest=digest, unsubscribe=unsubscribe),
    )


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing: no remote URL, no local file. The digest
    embeds scraped text, and its own CSS is inline, so nothing outside the document is needed."""
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.refused.append(url)
            logger.warning("digest: refused to fetch %s", url[:200])
            raise ValueError(f"fetching is disabled in digests: {url[:200]}")

    return RefusingFetcher()


def render_pdf(html: str, fetcher: Any | None = None) -> bytes:
    from weasyprint import HTML  # a one-second import, only when a PDF is made

    document = HTML(string=html, base_url="about:blank", url_fetcher=fetcher or refusing_fetcher())
    return bytes(document.write_pdf())
