"""What a crawl run's outcome means for its source."""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_ITEMS_FOR_GAPS = 3  # below this, one odd page is not a pattern
GAP_SHARE = 0.8  # an expected field missing on most releases: the layout lost its markers


@dataclass(frozen=True)
class RunCounts:
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    items: int = 0  # releases delivered to the store
    field_gaps: dict[str, int] = field(default_factory=dict)  # expected field -> releases without it

    @property
    def releases_seen(self) -> int:
        return self.new + self.updated + self.unchanged


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
