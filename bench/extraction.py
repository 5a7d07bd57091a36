"""Extraction benchmark on other projects' gold pages (../shared/peer-eval): the monitor's generic
path (what a new or redesigned site falls through to: no selectors), scored on what the monitor
stores (its text cleaning counts), htmldate and trafilatura, on the same pages in the same run.

Per corpus and method: publication date (exact day / none / wrong, against gold), whole-body
bag-of-words precision, recall and F1 (\\w+ tokens after NFKC and casefolding, averaged over
pages), snippets (a "with" snippet found is a true positive, missed a false negative, a
"without" snippet found a false positive; micro P/R/F1, substring match after the same
normalisation), exact titles, and milliseconds per page. A third of each corpus (by a hash of
the page id) is held out: never looked at when tuning, its figures printed apart. Last line:
JSON with the generic path's figures over all pages, and apart for the held-out third.

    .venv/bin/python bench/extraction.py [--peer-eval DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import time
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from w3lib.encoding import html_to_unicode

from monitor.crawling.extract.article import extract_article
from monitor.crawling.extract.html import parse_html
from monitor.crawling.extract.page import raw_release
from monitor.settings.sources import Source
from monitor.understanding.normalize import normalize_release

PEER_EVAL = Path(__file__).resolve().parents[2] / "shared" / "peer-eval"
TODAY = date(2026, 12, 31)
WORD = re.compile(r"\w+")


@dataclass
class Found:
    date: str | None
    title: str | None  # None: the method does not extract it
    text: str | None


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def bag(text: str) -> Counter[str]:
    return Counter(WORD.findall(normal(text)))


def generic_source() -> Source:
    return Source(key="peer", name="peer", organisation="peer", family="generic", kind="listing",
                  start_urls=("https://example.org/",), allowed_hosts=())  # fmt: skip


SOURCE = generic_source()


def ours(html: str, url: str) -> Found:
    fields = extract_article(parse_html(html), url, html=html)
    raw = raw_release(fields, "peer", url)
    release = normalize_release(raw, SOURCE, {}, TODAY)  # scored as stored: the monitor's own cleaning counts
    return Found(release.published.value.isoformat() if release.published else None, release.title, release.text)


def with_htmldate(html: str, url: str) -> Found:
    from htmldate import find_date

    return Found(find_date(html, url=url, original_date=True), None, None)


def with_trafilatura(html: str, url: str) -> Found:
    from trafilatura import bare_extraction

    result = bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if result is None:
        return Found(None, "", "")
    data = result if isinstance(result, dict) else result.as_dict()
    return Found(data.get("date"), data.get("title") or "", data.get("text") or "")


METHODS: dict[str, Callable[[str, str], Found]] = {
    "generic path": ours, "htmldate": with_htmldate, "trafilatura": with_trafilatura,
}  # fmt: skip


def held_out(page_id: str) -> bool:
    return int(hashlib.sha256(page_id.encode()).hexdigest(), 16) % 3 == 0


class Score:
    def __init__(self) -> None:
        self.dates = Counter()  # exact, none, wrong
        self.body: list[tuple[float, float, float]] = []
        self.snippets = Counter()  # tp, fn, fp
        self.titles = Counter()  # exact, total
        self.seconds = 0.0
        self.pages = 0

    def add(self, gold: dict, found: Found, seconds: float) -> None:
        self.pages += 1
        self.seconds += seconds
        if gold.get("date"):
            day = (found.date or "")[:10]
            self.dates["exact" if day == gold["date"][:10] else "none" if not day else "wrong"] += 1
        if found.text is None:
            return
        if gold.get("body"):
            mine, truth = bag(found.text), bag(gold["body"])
            common = sum((mine & truth).values())
            p = common / sum(mine.values()) if mine else 0.0
            r = common / sum(truth.values()) if truth else 0.0
            self.body.append((p, r, 2 * p * r / (p + r) if p + r else 0.0))
        text = normal(found.text)
        for snippet in gold.get("with") or []:
            self.snippets["tp" if normal(snippet) in text else "fn"] += 1
        for snippet in gold.get("without") or []:
            self.snippets["fp"] += normal(snippet) in text
        if gold.get("title") and found.title is not None:
            self.titles["total"] += 1
            self.titles["exact"] += normal(found.title) == normal(gold["title"])

    def figures(self) -> dict[str, float]:
        dated = sum(self.dates.values())
        tp, fn, fp = self.snippets["tp"], self.snippets["fn"], self.snippets["fp"]
        return {
            "date_exact": self.dates["exact"] / dated if dated else float("nan"),
            "date_none": self.dates["none"] / dated if dated else float("nan"),
            "date_wrong": self.dates["wrong"] / dated if dated else float("nan"),
            "body_p": _mean(p for p, _, _ in self.body), "body_r": _mean(r for _, r, _ in self.body),
            "body_f1": _mean(f for _, _, f in self.body),
            "snippet_precision": tp / (tp + fp) if tp + fp else float("nan"),
            "snippet_recall": tp / (tp + fn) if tp + fn else float("nan"),
            "title_exact": self.titles["exact"] / self.titles["total"] if self.titles["total"] else float("nan"),
            "ms_per_page": 1000 * self.seconds / self.pages if self.pages else float("nan"),
            "dated": dated, "bodies": len(self.body), "snippets": tp + fn + fp, "titles": self.titles["total"],
        }  # fmt: skip


def _mean(values: object) -> float:
    values = list(values)  # type: ignore[call-overload]
    return sum(values) / len(values) if values else float("nan")


def read_page(path: Path) -> str:
    return html_to_unicode(None, gzip.decompress(path.read_bytes()))[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer-eval", type=Path, default=PEER_EVAL)
    parser.add_argument("--limit", type=int, default=0, help="at most N pages a corpus (0: all)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    scores: dict[tuple[str, str, str], Score] = defaultdict(Score)  # (corpus, part, method)
    for corpus in sorted(p for p in args.peer_eval.iterdir() if (p / "gold.json").is_file()):
        gold_pages = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
        for gold in gold_pages[: args.limit or None]:
            html = read_page(corpus / gold["page"])
            url = gold["url"] if gold["url"].startswith("http") else "https://example.org/page"
            part = "held-out" if held_out(gold["id"]) else "tuning"
            for method, extract in METHODS.items():
                started = time.perf_counter()
                try:
                    found = extract(html, url)
                except Exception:
                    found = Found(None, "", "")
                seconds = time.perf_counter() - started
                for key in ((corpus.name, part, method), ("all", part, method), ("all", "all", method)):
                    scores[key].add(gold, found, seconds)
    header = f"{'corpus':28} {'part':9} {'method':13} {'date ok/none/wrong':>20} {'body P/R/F1':>17} {'snip P/R':>11} {'title':>6} {'ms':>6}"
    print(header)
    for (corpus, part, method), score in sorted(scores.items()):
        f = score.figures()
        print(f"{corpus:28} {part:9} {method:13} {f['date_exact']:6.3f}/{f['date_none']:.3f}/{f['date_wrong']:.3f} "
              f"{f['body_p']:.3f}/{f['body_r']:.3f}/{f['body_f1']:.3f} {f['snippet_precision']:.3f}/{f['snippet_recall']:.3f} "
              f"{f['title_exact']:6.3f} {f['ms_per_page']:6.1f}")  # fmt: skip
    ours_all, ours_held = (
        scores[("all", "all", "generic path")].figures(),
        scores[("all", "held-out", "generic path")].figures(),
    )
    keys = ("date_exact", "date_none", "body_f1", "snippet_recall", "snippet_precision", "title_exact", "ms_per_page")
    summary = {key: round(ours_all[key], 3) for key in keys}
    summary["held_out"] = {key: round(ours_held[key], 3) for key in keys}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
