"""Which period a digest issue covers: pure rules over the definition and the issues before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.reporting.selection import LATE_GRACE, issue_window
from monitor.settings.definitions import definition_from_mapping

WEEKLY = definition_from_mapping("weekly", {"period": "weekly", "recipients": ["a@example.org"]}, "Weekly")


def test_the_first_issue_covers_one_period_and_carries_nothing_older() -> None:
    end = WEEKLY.last_boundary(datetime(2026, 3, 12, 9, tzinfo=UTC))
    start, floor = issue_window(WEEKLY, end, latest_end=None, first_start=None)
    assert end - start == timedelta(days=7)
    assert floor == start


def test_after_downtime_one_issue_covers_the_gap_and_late_stories_are_still_due() -> None:
    first_start = datetime(2026, 2, 1, tzinfo=UTC)
    latest_end = datetime(2026, 2, 22, tzinfo=UTC)
    end = datetime(2026, 3, 15, tzinfo=UTC)  # three weeks down
    start, floor = issue_window(WEEKLY, end, latest_end, first_start)
    assert start == latest_end
    assert floor == latest_end - LATE_GRACE  # a story a crawl committed late is carried once
    start, floor = issue_window(WEEKLY, end, latest_end, first_start=latest_end)
    assert floor == latest_end  # never anything from before the first issue
