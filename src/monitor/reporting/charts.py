"""The digest's timeline chart: stories per day, week or month, as bar geometry for inline SVG
(WeasyPrint draws it; nothing is fetched and no charting library is needed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT, AXIS = 500.0, 120.0, 16.0  # SVG user units; the bottom AXIS units hold the labels
MAX_LABELS = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str  # shown under some bars only, so labels never overlap


@dataclass(frozen=True)
class Timeline:
    unit: str  # day, week, month
    bars: tuple[Bar, ...]
    peak: int
    width: float = WIDTH
    height: float = HEIGHT
    axis: float = AXIS


def _bucket_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _label(start: date, unit: str) -> str:
    return f"{start:%b %Y}" if unit == "month" else f"{start.day} {start:%b}"


def timeline(days: Sequence[date], since: date, until: date) -> Timeline:
    """Bars from `since` to `until`: by day up to six weeks, by week up to a year, else by month."""
    span = (until - since).days + 1
    unit = "day" if span <= 42 else "week" if span <= 366 else "month"
    counts = Counter(_bucket_start(day, unit) for day in days)
    starts = [_bucket_start(since, unit)]
    while _next(starts[-1], unit) <= until:
        starts.append(_next(starts[-1], unit))
    peak = max(counts.values(), default=0)
    slot = WIDTH / len(starts)
    every = max(1, -(-len(starts) // MAX_LABELS))  # ceiling division
    plot = HEIGHT - AXIS
    bars = []
    for i, start in enumerate(starts):
        height = plot * counts[start] / peak if peak else 0.0
        bars.append(
            Bar(
                x=round(i * slot + slot * 0.1, 2),
                y=round(plot - height, 2),
                width=round(slot * 0.8, 2),
                height=round(height, 2),
                count=counts[start],
                label=_label(start, unit) if i % every == 0 else "",
            )
        )
    return Timeline(unit, tuple(bars), peak)
