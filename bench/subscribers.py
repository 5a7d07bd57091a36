"""Subscribers benchmark: 1,000 subscribers in 20 filter sets over a store of 100,000 releases, with
a weekly period of 300 new stories. Measures, in a child process of its own (for a clean peak of
memory), the time to issue every subscriber's digest and render its PDFs, with the deliveries
queued and nothing sent; and in the same run, as the baseline, one digest of all 300 stories
(one PDF). Prints the PDFs rendered (one per distinct filter set is the goal) and the queue written.

The store: the web bench's 99,700 releases (English and Russian) stored through `monitor ingest`'s
path and moved two months back, then 300 releases in the digest bench's wording (topics, cities,
countries, five sources) first seen this week. Last line, JSON:
{"total_s", "filter_sets", "pdfs_rendered", "deliveries_queued", "peak_rss_mb", "baseline_s", "ratio_vs_one_digest"}

    .venv/bin/python bench/subscribers.py [--history 99700] [--period 300] [--subscribers 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from digest import release
from web import items

from monitor.crawling.ingest import import_jsonl
from monitor.settings.config import load_settings
from monitor.settings.subscribers import SubscriberSpec
from monitor.storage.filing import file_stories
from monitor.storage.store import Store
from monitor.storage.subscribers import add
from monitor.understanding.classify import classify, load_taxonomy
from monitor.understanding.normalize import normalize_release

TOPICS = [(), ("judicial",), ("gender_equality",)]
COUNTRIES = [(), ("kazakhstan",), ("kyrgyzstan",), ("tajikistan",), ("uzbekistan",)]
SEARCHES = [("probation",), ("legal aid",), ("пробации",), ("domestic violence",), ("judges", "prosecutors")]


def filter_sets() -> list[dict[str, tuple[str, ...]]]:
    """15 sets of topic x country, and 5 of saved searches (one with a language too): 20."""
    sets = [{"topics": t, "countries": c} for t in TOPICS for c in COUNTRIES]
    sets += [{"searches": s} for s in SEARCHES[:4]] + [{"searches": SEARCHES[4], "languages": ("en",)}]
    return [{k: v for k, v in s.items() if v} for s in sets]


def build(work: Path, history: int, period: int, subscribers: int, now: datetime) -> dict[str, str]:
    config = work / "bench.toml"  # the baseline: one digest of everything the period tracked
    config.write_text("[digests.everything]\nperiod = 'weekly'\n", encoding="utf-8")
    env = {
        "MONITOR_HOME": str(work / "home"),
        "MONITOR_REPORTS_DIR": str(work / "reports"),
        "MONITOR_CONFIG": str(config),
    }
    settings = load_settings(env)
    store = Store.open(settings.database_url)
    taxonomy = load_taxonomy()
    lines = (json.dumps(item, ensure_ascii=False).encode() for item in items(history, 2))
    started = time.perf_counter()
    report = import_jsonl(lines, settings, store, taxonomy)
    print(f"history: {report.lines} releases stored in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with store.engine.begin() as conn:  # the history is two months old: no issue of this week carries it
        old = (now - timedelta(days=60)).isoformat(sep=" ")
        conn.exec_driver_sql("UPDATE stories SET created_at = ?", (old,))
        conn.exec_driver_sql("UPDATE releases SET first_seen_at = ?", (old,))
    rng = random.Random(7)
    with store.session() as session:
        for i in range(period):
            raw = release(i, rng)
            raw = raw.__class__(**{**raw.__dict__, "native_id": f"9{raw.native_id}", "url": raw.url + "-week"})
            normalized = normalize_release(raw, settings.sources[raw.source], {}, now.date())
            store.upsert(session, normalized, classify(normalized, taxonomy), now)
        session.commit()
    file_stories(store, now)
    sets = filter_sets()
    for i in range(subscribers):
        filters = sets[i % len(sets)]
        add(store, SubscriberSpec(f"reader-{i}", f"reader{i}@example.org", filters=filters), "cli", now)
    print(f"period: {period} releases; {subscribers} subscribers in {len(sets)} filter sets", file=sys.stderr)
    return env


def measure(env: dict[str, str], issue_at: datetime, baseline: bool) -> dict[str, float]:
    """In this process: issue (baseline: one digest of everything) and report."""
    from monitor.operations.jobs import digest_job
    from monitor.storage.models import DeliveryRow

    settings = load_settings(env)
    started = time.perf_counter()
    if baseline:
        (edition, _), *_ = digest_job(settings, ["everything"], issue_at).editions
        return {"seconds": time.perf_counter() - started, "stories": edition.digest.total}
    result = digest_job(settings, [], issue_at, subscribers=True)
    seconds = time.perf_counter() - started
    with Store.open(settings.database_url).session() as session:
        queued = session.query(DeliveryRow).filter(DeliveryRow.status == "pending").count()
    return {
        "seconds": seconds,
        "filter_sets": len(result.editions),
        "pdfs": len({e.pdf for e, _ in result.editions if e.pdf}),
        "stories": sum(e.digest.total for e, _ in result.editions),
        "queued": queued,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "problems": len(result.problems),
    }


def child(env: dict[str, str], issue_at: datetime, baseline: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--measure", json.dumps(env), issue_at.isoformat()]
    out = subprocess.run(args + (["--baseline"] if baseline else []), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--history", type=int, default=99_700)
    parser.add_argument("--period", type=int, default=300)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--measure", nargs=2, metavar=("ENV", "WHEN"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(json.loads(args.measure[0]), datetime.fromisoformat(args.measure[1]), args.baseline)))
        return 0
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="bench-subscribers-") as tmp:
        env = build(Path(tmp), args.history, args.period, args.subscribers, now)
        issue_at = now + timedelta(days=7)  # this week's period has ended
        baseline = child(env, issue_at, baseline=True)
        print(f"baseline: one digest of all {baseline['stories']:.0f} stories in {baseline['seconds']:.1f} s")
        got = child(env, issue_at, baseline=False)
    print(f"{args.subscribers} subscribers: {got['filter_sets']:.0f} issues, {got['pdfs']:.0f} PDFs rendered, "
          f"{got['stories']:.0f} stories in all, {got['queued']:.0f} deliveries queued, in {got['seconds']:.1f} s, "
          f"peak {got['peak_rss_mb']:.0f} MB; {got['problems']:.0f} problems")  # fmt: skip
    print(
        json.dumps(
            {
                "total_s": round(got["seconds"], 1),
                "filter_sets": got["filter_sets"],
                "pdfs_rendered": got["pdfs"],
                "deliveries_queued": got["queued"],
                "peak_rss_mb": round(got["peak_rss_mb"], 1),
                "baseline_s": round(baseline["seconds"], 1),
                "ratio_vs_one_digest": round(got["seconds"] / baseline["seconds"], 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
