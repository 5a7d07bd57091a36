"""What a crawl run's outcome means for its source."""

from __future__ import annotations

from monitor.store import RunCounts


def run_verdict(counts: RunCounts, fatal: list[str], finish_reason: str) -> tuple[str, str]:
    """(status, message): failed when the source gave nothing usable, partial when some pages
    failed, ok otherwise."""
    if finish_reason not in ("finished", "closespider_itemcount", "closespider_pagecount"):
        return "failed", f"crawl stopped early: {finish_reason}"
    if fatal:
        return "failed", "; ".join(fatal[:3])
    if counts.pages == 0:
        return "failed", "no page could be fetched"
    if counts.errors:
        return "partial", f"{counts.errors} problem(s) recorded"
    return "ok", ""
