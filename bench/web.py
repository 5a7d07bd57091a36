"""Web view benchmark: fills a SQLite store with 100,000 releases (the dedup bench's generator,
a fifth of them turned Russian: Cyrillic words and Russian topic words in several forms) through
`monitor ingest`'s path, starts `monitor web` (uvicorn, a child process) on it, and measures over
HTTP, in the same run, p50 and p95 latency of the story list, a story page, a filtered list and
full-text searches in English and Russian; then the size of the search index. Last line: JSON.

    .venv/bin/python bench/web.py [--releases 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
from dedup import synthetic

from monitor.crawling.ingest import import_jsonl
from monitor.settings.config import load_settings
from monitor.storage import search
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy
from monitor.web import accounts

CYRILLIC = str.maketrans("abdefgiklmnoprstuvyz", "абдефгиклмнопрстувыз")
# English topic words of the generator and Russian forms that stand in for them, several each,
# so that a search must find word forms, as analysts' searches do.
RUSSIAN = {
    "court": ["суд", "суда", "судом", "судов"],
    "judges": ["судьи", "судей", "судьям"],
    "justice": ["правосудие", "правосудия"],
    "prosecutor": ["прокуратура", "прокуратуры", "прокурором"],
    "legal": ["правовой", "правовая"],
    "aid": ["помощь", "помощи"],
    "women": ["женщины", "женщин", "женщинам"],
    "gender": ["гендерного", "гендерное"],
    "violence": ["насилие", "насилия"],
    "police": ["полиция", "полиции"],
    "training": ["обучение", "обучения"],
    "reform": ["реформа", "реформы", "реформе"],
}
EN_QUERIES = ["court", "judges", "prosecutors", "legal aid", "women police", "violence reform", "training", "justice"]
RU_QUERIES = ["суд", "прокуратура", "судьи", "правосудия", "женщин", "насилие полиции", "реформу", "правовую помощь"]


def russian(text: str, rng: random.Random) -> str:
    words = []
    for word in text.split():
        bare = word.rstrip(".").lower()
        tail = "." if word.endswith(".") else ""
        words.append((rng.choice(RUSSIAN[bare]) if bare in RUSSIAN else word.lower().translate(CYRILLIC)) + tail)
    return " ".join(words)


def items(count: int, seed: int) -> Iterator[dict]:
    """The dedup bench's releases; every fifth original (and its copies and rewrites) in Russian."""
    rng = random.Random(seed + 1)
    originals: list[str] = []
    for item, kind, source_index in synthetic(count, seed):
        key = item["url"] if kind == "original" else originals[source_index]  # type: ignore[index]
        if kind == "original":
            originals.append(item["url"])
        out = {k: v for k, v in item.items() if k not in ("names", "figures")}
        if hash(key) % 5 == 0:
            out |= {"title": russian(out["title"], rng), "text": russian(out["text"], rng), "lang": "ru"}
        else:
            out["lang"] = "en"
        yield out


def fill(count: int, work: Path) -> tuple[dict[str, str], float]:
    env = {"MONITOR_HOME": str(work / "home")}
    settings = load_settings(env)
    store = Store.open(settings.database_url)
    path = work / "items.jsonl"
    with path.open("wb") as out:
        for item in items(count, 2):
            out.write(json.dumps(item, ensure_ascii=False).encode() + b"\n")
    started = time.perf_counter()
    with path.open("rb") as lines:
        report = import_jsonl(lines, settings, store, load_taxonomy())
    seconds = time.perf_counter() - started
    print(f"stored {report.lines} releases in {seconds:.0f} s ({report.lines / seconds:.0f}/s, search index included)")
    return env, seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Client:
    """One keep-alive HTTP connection, as a browser holds one."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> tuple[int, float, bytes]:
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        return response.status, (time.perf_counter() - started) * 1000, body


def measure(client: Client, name: str, paths: Callable[[random.Random], str], requests: int) -> dict[str, float]:
    rng = random.Random(name)
    for _ in range(10):  # warm: the server's first requests import and cache
        client.get(paths(rng))
    times = []
    for _ in range(requests):
        path = paths(rng)
        status, ms, _ = client.get(path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        times.append(ms)
    times.sort()
    p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    print(f"{name:12} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({requests} requests)")
    return {"p50": p50, "p95": p95}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--home", type=Path, help="measure a store filled by an earlier run (kept in this home)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        env = {"MONITOR_HOME": str(args.home.resolve())} if args.home else fill(args.releases, Path(tmp))[0]
        settings = load_settings(env)
        store = Store.open(settings.database_url)
        store.engine.dispose()
        accounts.add_user(store, "bench@localhost", "viewer", "bench password", datetime.now(UTC))
        token = accounts.issue_token(store, "bench@localhost", datetime.now(UTC))
        with store.engine.connect() as conn:
            index_mb = search.size_bytes(conn) / 2**20
            stories = [row[0] for row in conn.exec_driver_sql("SELECT id FROM stories")]
            total_mb = sum(p.stat().st_size for p in Path(settings.home).glob("monitor.sqlite*")) / 2**20
        print(f"{len(stories)} stories; search index {index_mb:.1f} MB of a {total_mb:.0f} MB database")
        port = free_port()
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")} | env
        server = subprocess.Popen(
            [sys.executable, "-m", "monitor", "web", "--port", str(port)], env=child_env, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client = Client(port, token)
                    if client.get("/healthz")[0] == 200:
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)  # the server gives no signal when it listens: try again shortly
            pages = max(1, len(stories) // 20)
            results = {
                "list": measure(
                    client, "list", lambda r: f"/stories?page={r.randint(1, min(pages, 50))}", args.requests
                ),
                "story": measure(client, "story", lambda r: f"/stories/{r.choice(stories)}", args.requests),
                "filter": measure(
                    client,
                    "filter",
                    lambda r: (
                        "/stories?"
                        + r.choice(["topic=judicial", "topic=gender_equality", "lang=ru", "source=rewrites.example"])
                        + f"&since=202{r.randint(3, 5)}-0{r.randint(1, 9)}-01"
                    ),
                    args.requests,
                ),
                "search_en": measure(
                    client, "search en", lambda r: "/stories?q=" + r.choice(EN_QUERIES).replace(" ", "+"), args.requests
                ),
                "search_ru": measure(
                    client,
                    "search ru",
                    lambda r: "/stories?q=" + "+".join(map(quote, r.choice(RU_QUERIES).split())),
                    args.requests,
                ),
            }
        finally:
            server.terminate()
            server.wait(30)
    print(f"targets on SQLite: p95 <= 100 ms for pages, <= 200 ms for searches; search index {index_mb:.1f} MB")
    print(
        json.dumps(
            {
                "p95_list_ms": round(results["list"]["p95"], 1),
                "p95_story_ms": round(results["story"]["p95"], 1),
                "p95_filter_ms": round(results["filter"]["p95"], 1),
                "p95_search_en_ms": round(results["search_en"]["p95"], 1),
                "p95_search_ru_ms": round(results["search_ru"]["p95"], 1),
                "index_mb": round(index_mb, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
