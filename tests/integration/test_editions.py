"""Digest issues: each covers the stories first seen since the previous one, once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.operations.jobs import digest_job
from monitor.reporting import ledger
from monitor.reporting.selection import DigestError
from monitor.settings.config import load_settings
from monitor.settings.definitions import DefinitionError, definition_from_mapping
from monitor.storage.store import Store
from tests.sample_releases import RELEASES, store_releases

MONDAY = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)  # Monday 2 March 00:00 in Almaty


def settings_with(home: Path, **digest: object):
    lines = ["[digests.weekly]", "recipients = ['analyst@example.org']"]
    lines += [f"{key} = {value!r}" for key, value in digest.items()]
    (home.parent / "digests.toml").write_text("\n".join(lines).replace("(", "[").replace(")", "]"), encoding="utf-8")
    return load_settings(config_path=home.parent / "digests.toml")


EVENTS = {
    1: (
        "Court training on domestic violence",
        "Judges in Almaty studied domestic violence case law with Ombudsman Elvira Azimova.",
    ),
    2: (
        "Prosecutors discuss probation reform",
        "Prosecutors in Bishkek reviewed the probation service with Minister Ayaz Baetov.",
    ),
    3: (
        "Legal aid clinic opens in Khujand",
        "Lawyers in Khujand opened a legal aid clinic with the Bar Association of Tajikistan.",
    ),
    4: (
        "Women judges meet in Tashkent",
        "Women judges in Tashkent met the Supreme Court chair Bakhtiyor Islamov on gender equality.",
    ),
}


def release(i: int):
    title, text = EVENTS[i]
    return dataclasses.replace(
        RELEASES[0], url=f"https://astana.osce.org/news/x/67000{i}", native_id=f"67000{i}", title=title, text=text
    )


def titles(edition) -> list[str]:
    return sorted(item.title for item in edition.digest.sections[0].items + edition.digest.sections[1].items)


def test_issues_follow_each_other_without_gap_or_repeat(monitor_home: Path) -> None:
    settings = settings_with(monitor_home)
    store_releases(settings, [release(1)], MONDAY + timedelta(days=2))
    first = digest_job(settings, ["weekly"], MONDAY + timedelta(days=7, hours=1)).editions[0]
    assert first[1] and titles(first[0]) == ["Court training on domestic violence"]
    assert first[0].run.period_start.replace(tzinfo=UTC) == MONDAY
    assert first[0].digest.since.isoformat() == "2026-03-02" and first[0].digest.until.isoformat() == "2026-03-08"

    # a story stored the next week; the same period issued twice is one issue with the same content
    store_releases(settings, [release(2)], MONDAY + timedelta(days=8))
    again = digest_job(settings, ["weekly"], MONDAY + timedelta(days=7, hours=5)).editions[0]
    assert not again[1] and again[0].run.id == first[0].run.id and titles(again[0]) == titles(first[0])
    second = digest_job(settings, ["weekly"], MONDAY + timedelta(days=14, hours=1)).editions[0]
    assert titles(second[0]) == ["Prosecutors discuss probation reform"]

    # the scheduler was down for three weeks: one issue covers the whole gap, once
    store_releases(settings, [release(3)], MONDAY + timedelta(days=16))
    store_releases(settings, [release(4)], MONDAY + timedelta(days=30))
    gap = digest_job(settings, ["weekly"], MONDAY + timedelta(days=35, hours=3)).editions[0][0]
    assert titles(gap) == ["Legal aid clinic opens in Khujand", "Women judges meet in Tashkent"]
    assert gap.run.period_start.replace(tzinfo=UTC) == MONDAY + timedelta(days=14)
    store = Store.open(settings.database_url)
    assert [r.stories for r in ledger.runs(store)] == [2, 1, 1]
    assert len(ledger.deliveries(store)) == 3  # one per issue for the one recipient


def test_a_story_stored_late_is_carried_by_the_next_issue(monitor_home: Path) -> None:
    """A crawl that committed after an issue was built must not fall in a gap."""
    settings = settings_with(monitor_home)
    store_releases(settings, [release(1)], MONDAY + timedelta(days=2))
    digest_job(settings, ["weekly"], MONDAY + timedelta(days=7, hours=1))
    store_releases(settings, [release(2)], MONDAY + timedelta(days=6))  # first seen inside the issued week
    late = digest_job(settings, ["weekly"], MONDAY + timedelta(days=14, hours=1)).editions[0][0]
    assert titles(late) == ["Prosecutors discuss probation reform"]


def test_the_clock_going_back_issues_nothing_new(monitor_home: Path) -> None:
    settings = settings_with(monitor_home)
    store_releases(settings, [release(1)], MONDAY + timedelta(days=2))
    ahead = digest_job(settings, ["weekly"], MONDAY + timedelta(days=14, hours=1)).editions[0][0]
    back = digest_job(settings, ["weekly"], MONDAY + timedelta(days=7, hours=1)).editions[0]
    assert not back[1] and back[0].run.id == ahead.run.id


@pytest.mark.parametrize(("empty", "deliveries"), [("note", 1), ("skip", 0)])
def test_an_empty_period_sends_a_note_or_nothing(monitor_home: Path, empty: str, deliveries: int) -> None:
    settings = settings_with(monitor_home, empty=empty)
    result = digest_job(settings, ["weekly"], MONDAY + timedelta(days=7), dry_run=True)
    edition = result.editions[0][0]
    assert edition.digest.total == 0 and edition.pdf is None
    assert len(result.outbox) == deliveries
    if deliveries:
        text = result.outbox[0].read_text()
        assert "(no new activity)" in text and "application/pdf" not in text


def test_topic_and_country_filters(monitor_home: Path) -> None:
    settings = settings_with(monitor_home, topics=["gender"])
    with pytest.raises(DigestError, match="unknown topic"):
        digest_job(settings, ["weekly"], MONDAY)
    settings = settings_with(monitor_home, topics=["gender_equality"], countries=["Kazakhstan"])
    store_releases(settings, RELEASES, MONDAY + timedelta(days=2))
    edition = digest_job(settings, ["weekly"], MONDAY + timedelta(days=7, hours=1)).editions[0][0]
    assert [s.key for s in edition.digest.sections] == ["gender_equality"]
    assert all("Kazakhstan" in item.countries for item in edition.digest.sections[0].items)
    assert edition.digest.total >= 1


@pytest.mark.parametrize(
    ("zone", "period", "now", "boundary"),
    [  # the night the clocks go back over the boundary: a wall-clock time occurs twice
        ("Europe/London", "30 1 * * *", datetime(2026, 10, 25, 3, 0, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("America/New_York", "30 1 * * *", datetime(2026, 11, 1, 9, 0, tzinfo=UTC), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        ("America/Havana", "daily", datetime(2026, 11, 1, 6, 0, tzinfo=UTC), datetime(2026, 11, 1, 4, 0, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_a_boundary_the_clocks_go_back_over_is_found_once(
    zone: str, period: str, now: datetime, boundary: datetime
) -> None:
    definition = definition_from_mapping("night", {"period": period, "timezone": zone}, "T")
    assert definition.last_boundary(now) == boundary  # it looped forever, holding the digest lease
    assert definition.last_boundary(now + timedelta(days=1)) == boundary + timedelta(days=1, hours=1)


def test_periods_are_counted_in_the_definitions_timezone() -> None:
    weekly = definition_from_mapping("w", {}, "T")
    now = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)  # Monday 23 November, 02:00 in Almaty
    assert weekly.last_boundary(now) == datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
    monthly = definition_from_mapping("m", {"period": "monthly", "timezone": "Europe/Vienna"}, "T")
    assert monthly.last_boundary(now) == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    workdays = definition_from_mapping("c", {"period": "0 8 * * 1-5", "timezone": "UTC"}, "T")
    assert workdays.last_boundary(now) == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    for bad, message in [
        ({"period": "fortnightly"}, "cron expression"),
        ({"timezone": "Mars/Olympus"}, "unknown timezone"),
        ({"recipients": ["not an address"]}, "not an e-mail address"),
        ({"empty": "maybe"}, "empty must be"),
        ({"recipient": ["a@b.c"]}, "unknown key"),
    ]:
        with pytest.raises(DefinitionError, match=message):
            definition_from_mapping("d", bad, "T")


def test_two_issues_of_one_day_each_have_their_own_pdf(monitor_home: Path) -> None:
    import pypdf

    settings = settings_with(monitor_home, period="0 */6 * * *", timezone="UTC")
    day = datetime(2026, 4, 1, tzinfo=UTC)
    store_releases(settings, RELEASES[:2], day + timedelta(hours=1))
    digest_job(settings, ["weekly"], day + timedelta(hours=6, minutes=5))  # 00:00-06:00
    store_releases(settings, RELEASES[2:4], day + timedelta(hours=7))
    digest_job(settings, ["weekly"], day + timedelta(hours=12, minutes=5))  # 06:00-12:00, the same day
    runs = sorted(ledger.runs(Store.open(settings.database_url), "weekly"), key=lambda run: run.id)
    assert len(runs) == 2 and runs[0].pdf_path != runs[1].pdf_path and runs[1].pdf_path
    for run in runs:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(run.pdf_path).pages)
        carried = [story.canonical.title for story in ledger.run_stories(Store.open(settings.database_url), run.id)]
        assert carried and all(title[:20] in text for title in carried), (run.id, carried)
