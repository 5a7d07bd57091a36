"""The pages from elsewhere (tests/fixtures/elsewhere: 1290 pages, articles and some that are not
news, in themes, site builders and languages no source fixture uses, each with its author's title,
date, body snippets and non-body snippets): the generic path, trafilatura and htmldate on each,
scored as bench/extraction.py scores snippets, titles and dates. The test suite checks each page;
this prints the comparison. Last line: JSON.

    .venv/bin/python bench/elsewhere.py
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from extraction import normal, ours, with_htmldate, with_trafilatura

PAGES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "elsewhere"
METHODS = {"generic path": ours, "trafilatura": with_trafilatura, "htmldate": with_htmldate}


def main() -> None:
    warnings.simplefilter("ignore")  # the libraries' own warnings about odd pages
    gold = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
    figures = {}
    for name, method in METHODS.items():
        found = missed = extra = titles = dates = 0
        for page in gold:
            result = method((PAGES / page["page"]).read_text(encoding="utf-8"), page["url"])
            dates += (result.date or "")[:10] == page["date"]
            if result.title is not None:
                titles += normal(result.title) == normal(page["title"])
            if result.text is not None:
                text = normal(result.text)
                found += sum(normal(s) in text for s in page["with"])
                missed += sum(normal(s) not in text for s in page["with"])
                extra += sum(normal(s) in text for s in page["without"])
        figures[name] = {"pages": len(gold), "dates": dates}
        line = f"{name:14} dates {dates}/{len(gold)}"
        if result.title is not None:  # htmldate reads dates only
            figures[name] |= {"titles": titles, "snippets_found": found, "snippets_missed": missed,
                              "non_body_snippets_kept": extra}  # fmt: skip
            line += (
                f"  titles {titles}/{len(gold)}  body snippets found {found}, missed {missed}, non-body kept {extra}"
            )
        print(line)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
