"""The story and tag evaluation on a set written apart from the code: pair precision and recall
of "same story", overall and per relation kind; distinct events merged, by kind of hard
negative; topic precision and recall per topic and language.

Sets: `stories/part_*.jsonl` are tuned on; `holdout/part_*.jsonl` never are (their figures are
reported apart, and must meet the same floors). Each line is an item for `monitor ingest` plus
gold fields the importer ignores: story, kind, topics, and for a hard negative
negative = {"of": STORY, "why": series | yearly | same_office_day}.

    .venv/bin/python -m tests.eval.stories [tuning|holdout|all]   # ingests into a fresh store, prints
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from monitor.crawling.ingest import import_jsonl
from monitor.settings.config import load_settings
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy
from tests.eval.metrics import count_pairs, ratio

HERE = Path(__file__).parent
SETS = {"tuning": sorted((HERE / "stories").glob("*.jsonl")), "holdout": sorted((HERE / "holdout").glob("*.jsonl"))}
TOPICS = ("judicial", "gender_equality")


def items_of(name: str) -> list[dict]:
    paths = SETS["tuning"] + SETS["holdout"] if name == "all" else SETS[name]
    return [
        json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@dataclass
class Figures:
    releases: int
    stories: int
    pair_precision: float
    pair_recall: float
    recall_by_kind: dict[str, float]
    merged_negatives: dict[str, int]  # why -> distinct-event story pairs put in one story
    negatives: dict[str, int]  # why -> distinct-event story pairs in the set
    topics: dict[str, tuple[float, float]]  # "topic" and "topic/lang" -> (precision, recall)
    mistakes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.releases} releases in {self.stories} stories",
            f"same-story pairs: precision {self.pair_precision:.3f}, recall {self.pair_recall:.3f}",
            *(f"  recall of {kind}: {value:.3f}" for kind, value in sorted(self.recall_by_kind.items())),
            *(f"  distinct {why} pairs merged: {self.merged_negatives.get(why, 0)} of {n}"
              for why, n in sorted(self.negatives.items())),
            *(f"topic {key}: precision {p:.3f}, recall {r:.3f}" for key, (p, r) in sorted(self.topics.items())),
        ]  # fmt: skip
        return out


def evaluate(store: Store, items: list[dict]) -> Figures:
    story_of, tags = {}, {}
    for story in store.stories():
        for member in story.members:
            story_of[member.release.url] = story.id
    for release in store.releases(include_duplicates=True):
        tags[release.url] = {t.value for t in release.tags if t.kind == "topic"}
    gold_story = {item["url"]: item["story"] for item in items}
    counted = count_pairs(items, story_of, lambda a, b: a["story"] == b["story"])
    pairs = {(item["story"], item["negative"]["of"]): item["negative"]["why"] for item in items if item.get("negative")}
    negatives: dict[str, int] = defaultdict(int)
    merged: dict[str, int] = defaultdict(int)
    stories_of_story = defaultdict(set)
    for url, story in gold_story.items():
        if url in story_of:
            stories_of_story[story].add(story_of[url])
    for (one, other), why in pairs.items():
        negatives[why] += 1
        merged[why] += bool(stories_of_story[one] & stories_of_story[other])
    topics = {}
    for topic in TOPICS:
        for lang in (None, "en", "ru", "kk"):
            chosen = [i for i in items if lang is None or i.get("lang", "en") == lang]
            tagged = [i for i in chosen if topic in tags.get(i["url"], set())]
            expected = [i for i in chosen if topic in i["topics"]]
            key = topic if lang is None else f"{topic}/{lang}"
            topics[key] = (
                ratio(sum(topic in i["topics"] for i in tagged), len(tagged)),
                ratio(sum(topic in tags.get(i["url"], set()) for i in expected), len(expected)),
            )
    return Figures(
        releases=len(items),
        stories=len({i["story"] for i in items}),
        pair_precision=counted.precision,
        pair_recall=counted.recall,
        recall_by_kind=counted.recall_by_kind,
        merged_negatives=dict(merged),
        negatives=dict(negatives),
        topics=topics,
        mistakes=counted.mistakes,
    )


def ingest(items: list[dict], home: Path) -> Store:
    settings = load_settings({"MONITOR_HOME": str(home)})
    store = Store.open(settings.database_url)
    lines = [json.dumps(item, ensure_ascii=False).encode() for item in items]
    report = import_jsonl(lines, settings, store, load_taxonomy())
    if report.skipped:
        raise ValueError(f"evaluation lines skipped: {report.skipped[:3]}")
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description="Story and tag figures on the evaluation sets.")
    parser.add_argument("set", nargs="?", default="all", choices=["all", *SETS], help="which set (default all)")
    parser.add_argument("-v", action="store_true", help="also list the first 200 mistakes")
    args = parser.parse_args()
    items = items_of(args.set)
    with tempfile.TemporaryDirectory() as home:
        started = datetime.now(UTC)
        figures = evaluate(ingest(items, Path(home)), items)
        print("\n".join(figures.lines()))
        if args.v:
            print("\n".join(figures.mistakes[:200]))
        print(f"({(datetime.now(UTC) - started).total_seconds():.1f} s)")


if __name__ == "__main__":
    main()
