"""What a crawl run's outcome means for its source."""

from __future__ import annotations

from monitor.records import RunCounts

MIN_ITEMS_FOR_GAPS = 3  # below this, one odd page is not a pattern
GAP_SHARE = 0.8  # an expected field missing on most releases: the layout lost its markers


def run_verdict(counts: RunCounts, fatal: list[str], finish_reason: str) -> tuple[str, str]:
    """(status, message): failed when the source gave nothing usable or its fields vanished,
    partial when some pages failed, ok otherwise."""
    if finish_reason not in ("finished", "closespider_itemcount", "closespider_pagecount"):
        return "failed", f"crawl stopped early: {finish_reason}"
    if fatal:
        return "failed", "; ".join(fatal[:3])
    if counts.pages == 0:
        return "failed", "no page could be fetched"
    if counts.releases_seen == 0:
        return "failed", "the source yielded no releases, new or known"
    if counts.items >= MIN_ITEMS_FOR_GAPS:
        vanished = [
            f"{name} missing on {missing} of {counts.items} releases"
            for name, missing in sorted(counts.field_gaps.items())
            if missing / counts.items >= GAP_SHARE
        ]
        if vanished:
            return "failed", "; ".join(vanished) + " (a redesign?)"
    if counts.errors:
        return "partial", f"{counts.errors} problem(s) recorded"
    return "ok", ""
