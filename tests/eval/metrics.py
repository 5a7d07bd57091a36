"""Pair precision and recall of "same story", and per-topic precision and recall, for the
evaluation set ingested into a store."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from monitor.storage.store import Store

EVAL_SET = Path(__file__).with_name("dedup_eval.jsonl")


def gold_items() -> list[dict]:
    return [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


@dataclass
class Report:
    pair_precision: float
    pair_recall: float
    recall_by_kind: dict[str, float]
    copy_precision: float
    topic_precision: dict[str, float]
    topic_recall: dict[str, float]
    mistakes: list[str]

    def lines(self) -> list[str]:
        lines = [f"same-story pairs: precision {self.pair_precision:.3f}, recall {self.pair_recall:.3f}",
                 f"copies and teasers: precision {self.copy_precision:.3f}"]  # fmt: skip
        lines += [f"recall of {kind} pairs: {value:.3f}" for kind, value in sorted(self.recall_by_kind.items())]
        for topic in sorted(self.topic_precision):
            lines.append(
                f"topic {topic}: precision {self.topic_precision[topic]:.3f}, recall {self.topic_recall[topic]:.3f}"
            )
        return lines + self.mistakes


@dataclass
class Pairs:
    precision: float
    recall: float
    recall_by_kind: dict[str, float]  # of each kind of member paired with its story's original
    mistakes: list[str]


def count_pairs(items: list[dict], story_of: dict[str, int], same: Callable[[dict, dict], bool]) -> Pairs:
    """Pair precision and recall of "same story": every pair of items, gold (`same`) against filed."""
    kinds: dict[str, list[bool]] = defaultdict(list)
    predicted = correct = gold = 0
    mistakes = []
    for a, b in combinations(items, 2):
        expected = same(a, b)
        joined = story_of.get(a["url"]) is not None and story_of.get(a["url"]) == story_of.get(b["url"])
        predicted += joined
        correct += joined and expected
        gold += expected
        if expected and "original" in (a["kind"], b["kind"]):
            kinds[(b if a["kind"] == "original" else a)["kind"]].append(joined)
        if joined != expected:
            mistakes.append(
                f"{'joined' if joined else 'missed'}: {a['story']}/{a['kind']} {a['url']} ~ {b['story']}/{b['kind']} {b['url']}"
            )
    return Pairs(
        ratio(correct, predicted), ratio(correct, gold), {k: ratio(sum(v), len(v)) for k, v in kinds.items()}, mistakes
    )


def evaluate(store: Store) -> Report:
    items = gold_items()
    by_url = {item["url"]: item for item in items}
    story_of: dict[str, int] = {}
    relation_of: dict[str, str] = {}
    for story in store.stories():
        for member in story.members:
            story_of[member.release.url] = story.id
            relation_of[member.release.url] = member.relation
    tags = {r.url: {t.value for t in r.tags if t.kind == "topic"} for r in store.releases(include_duplicates=True)}

    def same(a: dict, b: dict) -> bool:
        return a["story"] == b["story"] and not a["story"].startswith("U")

    pairs = count_pairs(items, story_of, same)
    copy_predicted = copy_correct = 0
    for a, b in combinations(items, 2):
        if story_of[a["url"]] == story_of[b["url"]] and relation_of[b["url"]] in ("copy", "duplicate", "listing entry"):
            copy_predicted += 1
            copy_correct += same(a, b)

    topics = {"judicial", "gender_equality"}
    precision, recall = {}, {}
    for topic in topics:
        tagged = [url for url in by_url if topic in tags.get(url, set())]
        expected = [url for url, item in by_url.items() if topic in item["topics"]]
        precision[topic] = ratio(sum(topic in by_url[u]["topics"] for u in tagged), len(tagged))
        recall[topic] = ratio(sum(topic in tags.get(u, set()) for u in expected), len(expected))
    return Report(
        pair_precision=pairs.precision,
        pair_recall=pairs.recall,
        recall_by_kind=pairs.recall_by_kind,
        copy_precision=ratio(copy_correct, copy_predicted),
        topic_precision=precision,
        topic_recall=recall,
        mistakes=pairs.mistakes,
    )
