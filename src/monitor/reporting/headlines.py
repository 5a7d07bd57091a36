"""An issue's headlines for a chat channel: the period, then per section each story's title,
country, source, day and link. The PDF stays in the e-mail and the web view; a link points there
when the web view's public address is known."""

from __future__ import annotations

from monitor.reporting.chat import ChatMessage, safe_link, untrusted
from monitor.reporting.content import DigestItem, DigestSection
from monitor.reporting.editions import Edition
from monitor.settings.config import Settings


def issue_url(settings: Settings, run_id: int) -> str | None:
    """The issue's page in the web view, unless the public address is still the shipped loopback
    one, which no chat reader could open."""
    if settings.public_url == Settings.public_url:
        return None
    return f"{settings.public_url}/digests/{run_id}"


def _period(edition: Edition) -> str:
    since, until = edition.digest.since, edition.digest.until
    return f"{since:%-d %b %Y}" if since == until else f"{since:%-d %b} – {until:%-d %b %Y}"


def _story(item: DigestItem, country: str) -> str:
    about = " · ".join(untrusted(part, 80) for part in (country, item.source) if part)
    link = safe_link(item.url)
    return f"• {untrusted(item.title)}\n  {about} · {item.day:%-d %b %Y}" + (f"\n  {link}" if link else "")


def _section(section: DigestSection) -> list[str]:
    """One block per story; the section's heading goes with its first story so that a split
    message never ends on a heading."""
    blocks = [_story(item, group.name) for group in section.groups for item in group.items]
    if blocks:
        blocks[0] = f"{section.title} ({len(blocks)})\n{blocks[0]}"
    return blocks


def headlines(edition: Edition, issue_url: str | None = None) -> ChatMessage:
    """The chat message of an issue; an empty issue is a short note."""
    total = edition.digest.total
    if not total:
        return ChatMessage(
            f"{edition.subject} (no new activity)",
            (f"No new stories on the tracked topics for {_period(edition)}.",),
        )
    summary = f"{total} new {'story' if total == 1 else 'stories'}, {_period(edition)}."
    if issue_url and edition.pdf is not None:
        summary += f"\nThe issue with its PDF: {issue_url}"
    blocks = [summary]
    for section in edition.digest.sections:
        blocks.extend(_section(section))
    return ChatMessage(edition.subject, tuple(blocks))
