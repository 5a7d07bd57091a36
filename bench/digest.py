"""Digest benchmark: PDF digests of 50 and 300 stories, each built in its own process.

For each size prints wall time and peak memory of our whole path (stories read from the
database, content built, Jinja2 HTML, WeasyPrint PDF written), and WeasyPrint alone rendering the
same final HTML in the same process; the ratio of the two is our overhead. The last line is one
JSON object: {"ratio_vs_weasyprint", "s_50", "s_300", "peak_rss_mb_300"}.

    .venv/bin/python bench/digest.py [--sizes 50 300]
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from monitor.records import RawRelease
from monitor.settings.config import load_settings
from monitor.storage.filing import file_stories
from monitor.storage.store import Store
from monitor.understanding.classify import classify, load_taxonomy
from monitor.understanding.normalize import normalize_release

START, END = date(2025, 1, 1), date(2025, 12, 31)
LEADS = [
    "Judges of the {city} city court discussed judicial reform and the independence of courts",
    "Lawyers opened a legal aid clinic in {city} to give access to justice to rural residents",
    "Prosecutors and the probation service in {city} reviewed alternatives to detention",
    "Women police officers in {city} were trained on domestic violence and gender equality",
    "В {city} судьи обсудили реформу пробации и доступ к правосудию для женщин",
]
CITIES = ["Almaty", "Astana", "Bishkek", "Osh", "Dushanbe", "Khujand", "Ashgabat", "Tashkent", "Samarkand", "Shymkent"]
SYLLABLES = "ka ra mo ti lu se na vo ri pe zu ba do ge hi ja ko le mi nu po ru sa te vi ya zo chi sha ne".split()
SOURCES = ["osce_astana", "osce_bishkek", "osce_dushanbe", "osce_odihr", "undp_kazakhstan", "unodc_roca"]


def release(i: int, rng: random.Random) -> RawRelease:
    lead = LEADS[i % len(LEADS)]
    city = CITIES[i % len(CITIES)]
    person = " ".join("".join(rng.choices(SYLLABLES, k=3)).capitalize() for _ in range(2))
    day = START + timedelta(days=i)  # one event a day: two stories never share date, place and lead
    # invented words: the stories share no wording, so each is its own story
    words = ["".join(rng.choices(SYLLABLES, k=3)) for _ in range(60)]
    filler = [" ".join(rng.sample(words, 14)).capitalize() + "." for _ in range(6)]
    sentences = [
        lead.format(city=city) + f" on {day:%d %B %Y}.",
        f"The event was opened by {person} and gathered {rng.randint(10, 999)} participants.",
        *filler,
    ]
    title = f"{lead.format(city=city).split(' and ')[0]} ({i})"
    return RawRelease(
        source=SOURCES[i % len(SOURCES)],
        url=f"https://astana.osce.org/news/bench/{700000 + i}",
        native_id=str(700000 + i),
        title=title,
        text="\n\n".join([" ".join(sentences[:4]), " ".join(sentences[4:])]),
        dates=[("meta", day.isoformat())],
    )


def prepare(database: Path, stories: int) -> None:
    settings = load_settings({"MONITOR_DATABASE_URL": f"sqlite:///{database}", "MONITOR_HOME": str(database.parent)})
    store = Store.open(settings.database_url)
    taxonomy = load_taxonomy()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rng = random.Random(stories)
    with store.session() as session:
        for i in range(stories):
            raw = release(i, rng)
            normalized = normalize_release(raw, settings.sources[raw.source], {}, now.date())
            store.upsert(session, normalized, classify(normalized, taxonomy), now)
        session.commit()
    file_stories(store, now)


def child(database: Path, out: Path) -> None:
    """Runs in its own process: warm-up, our path, then WeasyPrint alone on the same HTML."""
    from monitor.operations.jobs import write_digest
    from monitor.reporting.render import render_pdf

    settings = load_settings(
        {
            "MONITOR_DATABASE_URL": f"sqlite:///{database}",
            "MONITOR_HOME": str(database.parent),
            "MONITOR_REPORTS_DIR": str(out.parent),
        }
    )
    render_pdf("<p>warm-up: imports and fonts</p>")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    path, total = write_digest(settings, START, END, now, out, keep_html=True)
    ours = time.perf_counter() - started
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    started = time.perf_counter()
    render_pdf(html)
    alone = time.perf_counter() - started
    from pypdf import PdfReader

    pages = len(PdfReader(str(path)).pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"stories": total, "pages": pages, "ours_s": ours, "weasyprint_s": alone, "peak_rss_mb": peak}))


def measure(size: int, workdir: Path) -> dict[str, float]:
    database = workdir / f"bench-{size}.sqlite"
    prepare(database, size)
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(database), str(workdir / f"digest-{size}.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300])
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            r = measure(size, Path(tmp))
            figures[size] = r
            print(
                f"{size:4d} stories asked, {r['stories']:4d} in the digest, {r['pages']:3d} pages: "
                f"our path {r['ours_s']:6.2f} s, WeasyPrint alone {r['weasyprint_s']:6.2f} s, "
                f"ratio {r['ours_s'] / r['weasyprint_s']:.2f}, peak RSS {r['peak_rss_mb']:.0f} MB"
            )
    largest = figures[max(figures)]
    summary = {
        "ratio_vs_weasyprint": round(largest["ours_s"] / largest["weasyprint_s"], 3),
        **{f"s_{size}": round(r["ours_s"], 2) for size, r in figures.items()},
        f"peak_rss_mb_{max(figures)}": round(largest["peak_rss_mb"], 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
