"""Which stored releases a new one is compared with: the in-memory LSH index and the candidate
rules, without a database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from monitor.records import DatedValue, Release
from monitor.understanding.band_index import BandIndex
from monitor.understanding.candidates import earlier_candidates, native_key, sharing_buckets
from monitor.understanding.similarity import Fingerprints

LONG_TEXT = json.loads((Path(__file__).parents[1] / "eval" / "seeds.json").read_text(encoding="utf-8"))["s000"]
OTHER = (
    "The customs service of Turkmenistan received new scanning equipment for its border crossing points "
    "near Ashgabat, together with training for forty officers on risk profiling and cargo inspection."
)


def release(identity: str, lang: str = "en", event: date | None = None) -> Release:
    dated = DatedValue(event, "dateline", "") if event else None
    return Release("s", "https://x/1", "https://x/1", identity, "", "", "", lang, None, dated, None)


def test_a_copy_finds_the_original_through_the_index_and_an_unrelated_text_finds_nothing() -> None:
    index = BandIndex()
    fps = {1: Fingerprints.of("Title", LONG_TEXT), 2: Fingerprints.of("Title", OTHER)}
    assert sharing_buckets(index, fps) == []  # nothing stored before them
    copy = {3: Fingerprints.of("Title", "Distributed by an aggregator.\n\n" + LONG_TEXT)}
    found = dict(sharing_buckets(index, copy))
    assert found == {3: 1}


def test_candidates_keep_only_earlier_releases_and_add_same_node_and_same_day_translations() -> None:
    day = date(2024, 12, 6)
    batch = [(5, release("osce:582310")), (6, release("https://a/x", "ru", day)), (7, release("https://b/y"))]
    found = earlier_candidates(
        batch,
        by_buckets=[(5, 2), (7, 6), (7, 9)],
        same_node={"osce:582310": {1, 5, 8}},
        same_day={day: [(3, "en"), (4, "ru")]},
    )
    assert found == {5: {1, 2}, 6: {3}, 7: {6}}  # never a later release, never the same language


def test_native_keys_drop_the_language_and_urls_have_none() -> None:
    assert native_key("osce:582310/ru") == "osce:582310"
    assert native_key("https://www.osce.org/node/1") is None


def test_a_teaser_meets_every_release_of_its_language_published_within_days_and_a_translation_its_day() -> None:
    published = date(2025, 3, 14)
    teaser = Release("s", "https://x/t", "https://x/t", "https://x/t", "", "Twenty judges trained.", "", "en",
                     DatedValue(published, "listing", ""), None, None)  # fmt: skip
    translation = Release("s", "https://x/r", "https://x/r", "https://x/r", "", LONG_TEXT, "", "ru",
                          DatedValue(published, "meta", ""), None, None)  # fmt: skip
    found = earlier_candidates(
        [(10, teaser), (11, translation)],
        by_buckets=[],
        same_node={},
        same_day={},
        near_day={("en", date(2025, 3, 11)): [1], ("en", date(2025, 3, 17)): [2], ("ru", published): [3]},
        same_published={published: [(4, "en"), (5, "ru")], date(2025, 3, 16): [(6, "en")]},
    )
    assert found == {10: {1, 2, 5}, 11: {4}}  # the teaser: its language's week, and a translation of its day
