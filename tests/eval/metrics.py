"""Pair precision and recall of "same story", and per-topic precision and recall, for the
evaluation set ingested into a store."""

from __future__ import annotations

import json
from collections import defaultdict
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

    kind_pairs: dict[str, list[bool]] = defaultdict(list)
    predicted_pairs = correct_pairs = gold_pairs = found_pairs = 0
    copy_predicted = copy_correct = 0
    mistakes = []
    for a, b in combinations(items, 2):
        gold = a["story"] == b["story"] and not a["story"].startswith("U")
        predicted = story_of[a["url"]] == story_of[b["url"]]
        predicted_pairs += predicted
        correct_pairs += predicted and gold
        gold_pairs += gold
        found_pairs += gold and predicted
        if gold and "original" in (a["kind"], b["kind"]):
            other = b if a["kind"] == "original" else a
            kind_pairs[other["kind"]].append(predicted)
        if predicted and relation_of[b["url"]] in ("copy", "duplicate", "listing entry"):
            copy_predicted += 1
            copy_correct += gold
        if predicted != gold:
            mistakes.append(f"{'joined' if predicted else 'missed'}: {a['url']} ~ {b['url']}")

    topics = {"judicial", "gender_equality"}
    precision, recall = {}, {}
    for topic in topics:
        tagged = [url for url in by_url if topic in tags.get(url, set())]
        expected = [url for url, item in by_url.items() if topic in item["topics"]]
        precision[topic] = ratio(sum(topic in by_url[u]["topics"] for u in tagged), len(tagged))
        recall[topic] = ratio(sum(topic in tags.get(u, set()) for u in expected), len(expected))
    return Report(
        pair_precision=ratio(correct_pairs, predicted_pairs),
        pair_recall=ratio(found_pairs, gold_pairs),
        recall_by_kind={kind: ratio(sum(v), len(v)) for kind, v in kind_pairs.items()},
        copy_precision=ratio(copy_correct, copy_predicted),
        topic_precision=precision,
        topic_recall=recall,
        mistakes=mistakes,
    )
