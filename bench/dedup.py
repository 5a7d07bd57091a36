"""Dedup benchmark: ingests 10,000 and then 100,000 synthetic releases (about 300 words each, 10%
planted copies with aggregator boilerplate and a few edited words, 5% planted rewrites sharing
names and figures) through `monitor ingest`'s path into a SQLite store, and prints, from the same
run: releases per second end to end, the per-release cost at the large size divided by that at
the small one, the recall of planted copies and rewrites, and peak memory. The import files its
stories in a second process while it stores; the CPU time of each is printed per release. Last
line: JSON.

    .venv/bin/python bench/dedup.py [--small 10000] [--large 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from monitor.crawling.ingest import import_jsonl
from monitor.settings.config import load_settings
from monitor.storage.fingerprints import load_index
from monitor.storage.models import ReleaseRow, StoryMemberRow
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy

SYLLABLES = "ka ra zan bek ol mir tash ali na sul tan gul dar ser ik ay bol at um et ev ro ni ko la".split()
WORDS = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("", "n", "r", "s", "l")][:20000]
TOPIC_WORDS = "court judges justice prosecutor legal aid women gender violence police training reform".split()


def synthetic(count: int, seed: int) -> Iterator[tuple[dict, str, int | None]]:
    """(item, kind, index of the original) for `count` releases; kind is original, copy or rewrite."""
    rng = random.Random(seed)
    originals: list[dict] = []
    start = date(2023, 1, 1)
    for index in range(count):
        roll = rng.random()
        if originals and roll < 0.10:
            source_index = rng.randrange(len(originals))
            original = originals[source_index]
            words = original["text"].split()
            for _ in range(3):  # a few edited words
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            text = (
                f"Distributed by Public on {original['published']}\n\n"
                + " ".join(words)
                + "\n\nOriginal Source: osce.org"
            )
            yield ({**original, "url": f"https://aggregator.example/{index}", "source": "aggregator.example",
                    "text": text}, "copy", source_index)  # fmt: skip
            continue
        if originals and roll < 0.15:
            source_index = rng.randrange(len(originals))
            original = originals[source_index]
            names, figures = original["names"], original["figures"]
            kept = original["text"].split()[12:]
            body = " ".join(rng.sample(kept, len(kept) // 2) + [rng.choice(WORDS) for _ in range(100)])
            text = (f"{names[0]} and {names[1]} met {names[2]} in {names[3]} with {figures[0]} participants. {body} "
                    f"{names[4]} said the {figures[1]} cases were reviewed.")  # fmt: skip
            yield ({"url": f"https://rewrites.example/{index}", "source": "rewrites.example", "title": body[:60],
                    "published": original["published"], "text": text}, "rewrite", source_index)  # fmt: skip
            continue
        day = start + timedelta(days=rng.randrange(3 * 365))
        names = [rng.choice(WORDS).capitalize() + " " + rng.choice(WORDS).capitalize() for _ in range(5)]
        figures = [str(rng.randrange(11, 999)) for _ in range(2)]
        sentences = []
        for _ in range(20):
            sentence = [rng.choice(WORDS) for _ in range(14)]
            sentence[rng.randrange(14)] = rng.choice(TOPIC_WORDS)
            sentences.append("The " + " ".join(sentence) + ".")
        text = (f"{names[0]} and {names[1]} met {names[2]} in {names[3]} with {figures[0]} participants. "
                + " ".join(sentences) + f" {names[4]} said the {figures[1]} cases were reviewed.")  # fmt: skip
        item = {"url": f"https://osce.example/news/{index}", "source": "osce.example",
                "title": " ".join(rng.choice(WORDS) for _ in range(8)).capitalize(),
                "published": day.isoformat(), "text": text, "names": names, "figures": figures}  # fmt: skip
        originals.append(item)
        yield item, "original", None


def run(count: int, seed: int, work: Path) -> dict:
    settings = load_settings({"MONITOR_HOME": str(work / f"home-{count}")})
    store = Store.open(settings.database_url)
    planted: list[tuple[str, str, str]] = []  # (url, original url, kind)
    originals: list[str] = []

    path = work / f"items-{count}.jsonl"  # written first, so that making the data is not timed
    with path.open("wb") as out:
        for item, kind, source_index in synthetic(count, seed):
            if kind == "original":
                originals.append(item["url"])
            else:
                planted.append((item["url"], originals[source_index], kind))
            out.write(json.dumps({k: v for k, v in item.items() if k not in ("names", "figures")}).encode() + b"\n")

    started, cpu = time.perf_counter(), _cpu_seconds()
    with path.open("rb") as lines:  # what `monitor ingest FILE` does
        report = import_jsonl(lines, settings, store, load_taxonomy())
    seconds = time.perf_counter() - started
    cpu = {name: spent - cpu[name] for name, spent in _cpu_seconds().items()}
    with store.engine.connect() as conn:  # what every later story pass starts with (after a restart too)
        index_started = time.perf_counter()
        index_entries = len(load_index(conn))
        index_seconds = time.perf_counter() - index_started
    with store.engine.connect() as conn:  # plain rows: the check must not weigh on the memory figure
        rows = conn.execute(
            select(ReleaseRow.url, StoryMemberRow.story_id).join(
                StoryMemberRow, StoryMemberRow.release_id == ReleaseRow.id
            )
        )
        story_of = {url: story_id for url, story_id in rows}
    recall = {}
    for kind in ("copy", "rewrite"):
        pairs = [(url, original) for url, original, k in planted if k == kind]
        recall[kind] = sum(story_of[u] == story_of[o] for u, o in pairs) / max(1, len(pairs))
    stories = len(set(story_of.values()))
    print(f"{count:>7} releases: {seconds:7.1f} s, {count / seconds:6.0f} releases/s (CPU per release: import "
          f"{1000 * cpu['import'] / count:.2f} ms, story pass {1000 * cpu['stories'] / count:.2f} ms), {stories} stories, "
          f"recall of planted copies {recall['copy']:.3f}, of rewrites {recall['rewrite']:.3f}, skipped {len(report.skipped)}")  # fmt: skip
    print(f"{count:>7} releases: the next story pass builds its index of {index_entries:,} buckets from the stored "
          f"signatures in {index_seconds:.2f} s")  # fmt: skip
    return {"seconds": seconds, "per_release_ms": 1000 * seconds / count, "recall": recall}


def _cpu_seconds() -> dict[str, float]:
    """CPU time of this process (the import) and of its finished children (the story pass)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"import": own.ru_utime + own.ru_stime, "stories": children.ru_utime + children.ru_stime}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dedup-") as tmp:
        small = run(args.small, 1, Path(tmp))
        large = run(args.large, 2, Path(tmp))
    # The import and its story pass (a child process) run at once: their peaks are added (pages
    # they share since the fork count twice: an upper bound).
    import_mb, pass_mb = (resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))  # fmt: skip
    peak_rss_mb = import_mb + pass_mb
    ratio = large["per_release_ms"] / small["per_release_ms"]
    per_second = args.large / large["seconds"]
    print(f"releases per second at {args.large}: {per_second:.0f}  [target >= 1000]")
    print(f"per-release cost {args.large} / {args.small}: {ratio:.2f}  [target <= 1.5]")
    print(
        f"planted copy recall at {args.large}: {large['recall']['copy']:.3f}; rewrites {large['recall']['rewrite']:.3f}"
    )
    print(f"peak RSS: {peak_rss_mb:.0f} MB (the import {import_mb:.0f} MB, with this bench's checks, and its story "
          f"pass {pass_mb:.0f} MB)  [target <= 1500]")  # fmt: skip
    print(json.dumps({"releases_per_s_100k": round(per_second, 1), "cost_ratio_100k_10k": round(ratio, 3),
                      "planted_copy_recall": round(large["recall"]["copy"], 4), "peak_rss_mb": round(peak_rss_mb, 1)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
