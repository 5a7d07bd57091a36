"""Real crawls: `scrapy crawl` child processes against mirrors served on 127.0.0.1."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.crawling.runner import run_crawls
from monitor.demo.mirror import Mirror, serve
from monitor.demo.partners import build_demo_site
from monitor.demo.run import DEMO_SOURCES, DEMO_STARTS
from monitor.demo.site import SiteWriter
from monitor.settings.config import load_settings
from monitor.storage.store import Store
from tests.conftest import FIXTURES
from tests.integration.crawling import cli_env, monitor_cli, undp_config, undp_listing, write_config
from tests.waiting import wait_for

pytestmark = pytest.mark.slow


def crawl_demo(mirror: Mirror, tmp_path: Path, mode: str = "incremental", sources: tuple[str, ...] = DEMO_SOURCES):
    config = write_config(tmp_path / "demo.toml", mirror)
    settings = load_settings(cli_env(tmp_path / "home"), config_path=config)
    store = Store.open(settings.database_url)
    return run_crawls(settings, [settings.source(k) for k in sources], store, mode=mode), store


def test_second_crawl_of_an_unchanged_mirror_is_incremental(demo_mirror: Mirror, tmp_path: Path) -> None:
    first, store = crawl_demo(demo_mirror, tmp_path)
    assert {r.source: r.status for r in first} == dict.fromkeys(DEMO_SOURCES, "ok")
    assert sum(r.new for r in first) == 35  # every release of the mirror, each once
    assert store.counts()["releases"] == 35
    # every strategy: listings, a sitemap, feeds, a PDF behind a post, an aggregator's inline teasers
    first_hits = demo_mirror.hits()
    assert "/roca/sitemap.xml" in first_hits["www.unodc.org"]
    # a page in a release's URL shape that does not read as one: recorded as skipped, not a failure
    unodc_run = store.run(next(r.run_id for r in first if r.source == "unodc_roca"))
    assert [(p.kind, p.url.rsplit("/", 1)[1]) for p in unodc_run.problems] == [("skipped", "about-us.html")]
    assert "/wp-content/uploads/2024/11/press-release-forum-en.pdf" in first_hits["lprc.kz"]
    assert first_hits["europavarietas.org"] == ["/robots.txt", "/evnc/en/aggregator/sources/3"]
    # its teasers are its releases: seen, so the next crawl stops at the first page of known ones
    seen = store.seen_entries("europavarietas")
    assert len(seen) == sum(r.source_key == "europavarietas" for r in store.releases()) > 0
    lprc = next(r for r in store.releases() if r.source_key == "lprc" and r.lang == "en")
    assert lprc.title == "Ninth Expert Forum on Criminal Justice for Central Asia Concludes in Astana"
    assert (lprc.published.isoformat(), lprc.published_provenance) == ("2024-11-21", "pdf")
    assert "info@lprc.kz" not in lprc.text and "economic and political union" not in lprc.text
    demo_mirror.reset_hits()

    second, _ = crawl_demo(demo_mirror, tmp_path)
    assert sum(r.new + r.updated for r in second) == 0
    hits = demo_mirror.hits()
    assert sorted(hits["astana.osce.org"]) == [
        "/kk/news",
        "/news",
        "/robots.txt",
        "/ru/news",
    ]  # each language's listing
    assert hits["www.unodc.org"] == ["/robots.txt", "/roca/sitemap.xml"]  # the skipped page is not read again
    assert hits["feeds.osce.org"] == ["/robots.txt", "/OSCELatestNews"]
    # two start URLs (Astana rule of law, ODIHR) on the old newsroom: one page each
    assert len(hits["www.osce.org"]) == 3
    # no article fetched again anywhere: each host saw robots.txt and its start pages only
    starts = {target for pages in DEMO_STARTS.values() for _, target in pages} | {"/robots.txt"}
    assert [h for targets in hits.values() for h in targets if h not in starts] == []
    assert store.counts()["releases"] == 35


def test_an_edited_article_becomes_a_revision(tmp_path: Path) -> None:
    site = build_demo_site(tmp_path / "site")
    routes = json.loads((site / "astana.osce.org" / "routes.json").read_text())

    def edit(old: str, new: str) -> None:
        for target in ("/news", "/news?page=0", "/news/programme-office-astana/662120"):
            page = site / "astana.osce.org" / routes[target]["file"]
            page.write_text(page.read_text().replace(old, new))

    def crawl(mirror: Mirror, mode: str = "incremental") -> tuple[tuple[int, int], Store]:
        (run,), store = crawl_demo(mirror, tmp_path, mode, sources=("osce_astana",))
        return (run.new, run.updated), store

    with serve(site) as mirror:
        crawl(mirror)
        edit(
            "Judges, members of the Supreme Judicial Council",
            "Judges, prosecutors, members of the Supreme Judicial Council",
        )
        assert crawl(mirror)[0] == (0, 1)  # the listing's teaser shows the edit
        edit("1,200 judges", "1,250 judges")  # deeper in the text: the listing looks the same
        assert crawl(mirror)[0] == (0, 0)
        counts, store = crawl(mirror, mode="full")
        assert counts == (0, 1)

    (row,) = [r for r in store.releases() if r.native_id == "662120"]
    assert [rev.number for rev in row.revisions] == [1, 2, 3]
    assert "1,250 judges" in row.text and "1,200 judges" in row.revisions[1].text
    assert store.counts()["releases"] == 5


def faulty_site(root: Path) -> Path:
    """An old-style listing whose articles each go wrong in their own way, plus one good one."""
    writer = SiteWriter()
    pages = FIXTURES / "pages"
    cases = [
        ("600001", "Mediators trained in Osh", "", pages / "no_date.html", "text/html; charset=utf-8", 200),
        (
            "600002",
            "Судьи Казахстана обсудили доступ к правосудию",
            "5 March 2025",
            pages / "cp1251.html",
            "text/html",
            200,
        ),
        ("600003", "Court reform round table in Dushanbe", "3 March 2025", pages / "malformed.html", "text/html", 200),
        ("600004", "A release that was taken down", "2 March 2025", None, "", 404),
        ("600005", "A release behind a failing server", "1 March 2025", None, "", 500),
        (
            "600006",
            "A release moved to a JavaScript app",
            "28 February 2025",
            pages / "app_shell.html",
            "text/html",
            200,
        ),
    ]
    entries = []
    for node, title, day, page, content_type, status in cases:
        path = f"/programme-office-in-astana/{node}"
        entries.append(
            {
                "path": path,
                "title": title,
                "published_text": day,
                "teaser": f"Teaser of {title}, long enough to count as prose.",
            }
        )
        if page is not None:
            writer.add("www.osce.org", path, page.read_bytes(), content_type, status)
        elif status != 404:
            writer.add("www.osce.org", path, b"<html><body>Internal error</body></html>", "text/html", status)
    entries.append(
        {
            "path": "/private/600008",
            "title": "A page robots.txt forbids",
            "published_text": "1 March 2025",
            "teaser": "x" * 50,
        }
    )
    listing = writer.render("legacy_listing.html", entries=entries, page=0, prev_url=None, next_url=None)
    writer.add("www.osce.org", "/press-releases", listing)
    writer.add("www.osce.org", "/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    return writer.write(root)


def test_bad_pages_are_recorded_and_the_crawl_goes_on(tmp_path: Path, monitor_home: Path) -> None:
    site = faulty_site(tmp_path / "faulty")
    with serve(site) as mirror:
        config = tmp_path / "faulty.toml"
        config.write_text(
            "[crawl]\ndownload_delay = 0.0\nautothrottle = false\n"
            f'[sources.osce_newsroom]\nstart_urls = ["{mirror.url("www.osce.org", "/press-releases")}"]\n'
            'allowed_hosts = ["127.0.0.1"]\n'
            # a source whose server is gone: it fails, the other source is crawled all the same
            '[sources.osce_astana]\nstart_urls = ["http://127.0.0.1:9/news"]\nallowed_hosts = ["127.0.0.1"]\n'
        )
        home = tmp_path / "home"
        result = monitor_cli("crawl", "osce_newsroom", "osce_astana", home=home, config=config)

    assert result.returncode == 1, result.stderr
    assert "failed: osce_astana" in result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("osce_")}
    assert lines["osce_newsroom"].split()[1] == "partial"
    assert lines["osce_astana"].split()[1] == "failed"

    settings = load_settings(cli_env(home), config_path=config)
    store = Store.open(settings.database_url)
    runs = store.last_runs()
    problems = {(p.kind, p.url.rsplit("/", 1)[-1]) for p in store.run(runs["osce_newsroom"].id).problems}
    assert ("missing-date", "600001") in problems
    assert ("http", "600004") in problems and ("http", "600005") in problems
    assert ("layout", "600006") in problems
    assert ("robots", "600008") in problems
    assert runs["osce_newsroom"].errors == 4  # robots refusals are not errors
    assert "network" in {p.kind for p in store.run(runs["osce_astana"].id).problems}

    rows = {r.native_id: r for r in store.releases()}
    assert rows["600001"].published is None and not rows["600001"].listing_only  # stored without a date
    assert rows["600002"].title == "Судьи Казахстана обсудили доступ к правосудию" and rows["600002"].lang == "ru"
    assert rows["600003"].published is not None
    for node in ("600004", "600005", "600006"):  # kept from the listing, to be fetched again next time
        assert rows[node].listing_only and rows[node].summary.startswith("Teaser of")
    assert rows["600008"].listing_only  # the listing may be read; the page itself was not fetched
    health = store.source_rows()
    assert health["osce_newsroom"].health == "ok" and health["osce_astana"].health == "failing"


def test_a_crawl_over_its_time_limit_is_killed_and_recorded_as_failed(tmp_path: Path, demo_mirror: Mirror) -> None:
    config = write_config(tmp_path / "demo.toml", demo_mirror)
    config.write_text(config.read_text().replace("[crawl]", "[crawl]\ntimeout_s = 0.5"))
    settings = load_settings(cli_env(tmp_path / "home"), config_path=config)
    store = Store.open(settings.database_url)
    (result,) = run_crawls(settings, [settings.source("osce_newsroom")], store)
    assert result.status == "failed" and "killed after" in result.message
    assert store.source_rows()["osce_newsroom"].health == "failing"


def test_politeness_and_faults_of_partner_sites(tmp_path: Path, monitor_home: Path) -> None:
    """A 429 with Retry-After is waited out and retried; a 403 is recorded as blocked; a redirect
    to another host is recorded, not followed; the listing of a crawl that lost articles is read
    again by the next one (no 304), which tries those articles again and not the one stored."""
    writer = SiteWriter()
    writer.add("www.undp.org", "/kazakhstan/news", undp_listing("patient", "blocked", "moved"),
               headers={"ETag": '"listing-v1"'})  # fmt: skip
    article = (FIXTURES / "pages" / "no_date.html").read_text()
    writer.add("www.undp.org", "/kazakhstan/press-releases/patient", article)
    writer.routes["www.undp.org"]["/kazakhstan/press-releases/patient"]["first_response"] = {
        "status": 429,
        "headers": {"Retry-After": "1"},
    }
    writer.add("www.undp.org", "/kazakhstan/press-releases/blocked", "<html>Access Denied</html>", status=403)
    writer.add("www.undp.org", "/kazakhstan/press-releases/moved", "", status=302,
               headers={"Location": "https://elsewhere.example/page"})  # fmt: skip
    site = writer.write(tmp_path / "site")
    with serve(site) as mirror:
        config = undp_config(tmp_path / "undp.toml", mirror)
        home = tmp_path / "home"
        first = monitor_cli("crawl", "undp_kazakhstan", home=home, config=config)
        hits = mirror.hits()["www.undp.org"]
        mirror.reset_hits()
        second = monitor_cli("crawl", "undp_kazakhstan", home=home, config=config)
        second_hits = mirror.hits()["www.undp.org"]

    assert "undp_kazakhstan  partial" in first.stdout, first.stdout + first.stderr
    assert hits.count("/kazakhstan/press-releases/patient") == 2  # refused once, fetched after the wait
    settings = load_settings(cli_env(home), config_path=config)
    store = Store.open(settings.database_url)
    second_run, first_run = store.runs_of("undp_kazakhstan")
    problems = {(p.kind, p.url.rsplit("/", 1)[-1]) for p in store.run(first_run.id).problems}
    assert ("blocked", "blocked") in problems
    assert any(kind == "redirect" for kind, _ in problems), problems
    # the patient article in full; the other two as their listing entries said, to be tried again
    assert sorted(r.listing_only for r in store.releases()) == [False, True, True]

    assert "undp_kazakhstan  partial" in second.stdout, second.stdout + second.stderr  # still refused
    assert sorted(second_hits) == [
        "/kazakhstan/news",
        "/kazakhstan/press-releases/blocked",
        "/kazakhstan/press-releases/moved",
        "/robots.txt",
    ]
    assert second_run.status == "partial"


def undp_releases(count: int) -> tuple[SiteWriter, str]:
    """A UNDP listing of `count` releases item-0, item-1..., each a page of its own; and the page."""
    slugs = [f"item-{n}" for n in range(count)]
    writer = SiteWriter()
    writer.add("www.undp.org", "/kazakhstan/news", undp_listing(*slugs))
    article = (FIXTURES / "pages" / "no_date.html").read_text()
    for slug in slugs:
        writer.add(
            "www.undp.org", f"/kazakhstan/press-releases/{slug}", article.replace("<body>", f"<body><p>{slug}</p>", 1)
        )
    return writer, article


def test_a_release_the_database_cannot_hold_as_read_is_stored_cleaned_and_the_others_with_it(
    tmp_path: Path, monitor_home: Path
) -> None:
    writer, article = undp_releases(30)
    # its only text a JSON-LD articleBody with a lone surrogate (a bad \u escape): SQLite refused the batch
    body = "Judicial reform \\ud83d in the courts of Kazakhstan was discussed by judges and lawyers. " * 3
    poison = f'<script type="application/ld+json">{{"@type": "NewsArticle", "articleBody": "{body}"}}</script>'
    bare = re.sub(r"<p[ >].*?</p>", "", article, flags=re.S).replace("<head>", f"<head>{poison}", 1)
    writer.add("www.undp.org", "/kazakhstan/press-releases/item-7", bare)
    with serve(writer.write(tmp_path / "site")) as mirror:
        crawl = monitor_cli(
            "crawl", "undp_kazakhstan", home=tmp_path / "home", config=undp_config(tmp_path / "u.toml", mirror)
        )
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    store = Store.open(load_settings(cli_env(tmp_path / "home")).database_url)
    assert any(release.text.startswith("Judicial reform \ufffd in the courts") for release in store.releases())
    assert store.counts()["releases"] == 30


@pytest.mark.sqlite_only  # the refusing rule is a SQLite trigger
def test_a_release_the_database_refuses_is_a_problem_with_its_url_and_its_batch_is_stored(
    tmp_path: Path, monitor_home: Path
) -> None:
    writer, _ = undp_releases(12)
    home = tmp_path / "home"
    store = Store.open(load_settings(cli_env(home)).database_url)
    with store.engine.begin() as connection:  # a rule of the database the crawl does not know of
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON releases WHEN NEW.url LIKE '%item-3' "
            "BEGIN SELECT RAISE(ABORT, 'refused by a rule'); END"
        )
    with serve(writer.write(tmp_path / "site")) as mirror:
        monitor_cli("crawl", "undp_kazakhstan", home=home, config=undp_config(tmp_path / "u.toml", mirror))
    assert store.counts()["releases"] == 11
    (run,) = store.runs_of("undp_kazakhstan")
    problems = [(p.kind, p.url.rsplit("/", 1)[-1]) for p in store.run(run.id).problems]
    assert problems == [("store", "item-3")] and run.status == "partial"


def test_a_clean_crawls_listing_is_asked_for_conditionally_and_a_304_fetches_nothing_more(
    tmp_path: Path, monitor_home: Path
) -> None:
    writer = SiteWriter()
    writer.add("www.undp.org", "/kazakhstan/news", undp_listing("patient"), headers={"ETag": '"listing-v1"'})
    writer.add("www.undp.org", "/kazakhstan/press-releases/patient", (FIXTURES / "pages" / "no_date.html").read_text())
    with serve(writer.write(tmp_path / "site")) as mirror:
        config = undp_config(tmp_path / "undp.toml", mirror)
        home = tmp_path / "home"
        for _ in range(2):
            mirror.reset_hits()
            crawl = monitor_cli("crawl", "undp_kazakhstan", home=home, config=config)
            assert crawl.returncode == 0, crawl.stdout + crawl.stderr
        assert mirror.hits()["www.undp.org"] == ["/robots.txt", "/kazakhstan/news"]  # answered 304


def test_a_crawl_run_by_hand_with_scrapy_records_its_run_and_stays_incremental(
    demo_mirror: Mirror, tmp_path: Path
) -> None:
    """`scrapy crawl` without `monitor crawl` around it: its store worker starts and closes the
    run itself, and the spider reads what it has seen from the database."""
    config = write_config(tmp_path / "demo.toml", demo_mirror)
    env = cli_env(tmp_path / "home", config) | {"SCRAPY_SETTINGS_MODULE": "scrapers.settings"}
    command = [sys.executable, "-m", "scrapy", "crawl", "osce", "-a", "source=osce_astana", "-s", "LOG_LEVEL=INFO"]
    database_url = load_settings(env, config_path=config).database_url
    for mode in ("full", "incremental"):  # the first on a database that does not exist yet
        demo_mirror.reset_hits()
        child = subprocess.run([*command, "-a", f"mode={mode}"], env=env, capture_output=True, text=True, timeout=120)
        assert child.returncode == 0, child.stderr[-2000:]
        # no server that runs code sent to it (Scrapy's remote control) in a crawl of untrusted pages
        assert "Enabled extensions" in child.stderr and "RemoteControl" not in child.stderr
        store = Store.open(database_url)
        assert store.last_runs()["osce_astana"].mode == mode
    second = demo_mirror.hits()["astana.osce.org"]  # the second crawl: nothing new, the listings only
    assert sorted(second) == ["/kk/news", "/news", "/robots.txt", "/ru/news"]
    runs = store.last_runs()
    assert runs["osce_astana"].status == "ok" and runs["osce_astana"].finished_at is not None
    assert store.counts()["releases"] > 0


def test_a_slow_crawls_releases_are_stored_as_it_goes_not_only_at_its_end(demo_mirror: Mirror, tmp_path: Path) -> None:
    """Releases reach the store worker in bundles; on a polite crawl a bundle is handed over
    every BUNDLE_SECONDS, so that what was fetched is stored (and shown) before the crawl ends."""
    config = write_config(tmp_path / "demo.toml", demo_mirror)
    env = cli_env(tmp_path / "home", config) | {"SCRAPY_SETTINGS_MODULE": "scrapers.settings"}
    store = Store.open(load_settings(env, config_path=config).database_url)
    command = [sys.executable, "-m", "scrapy", "crawl", "osce", "-a", "source=osce_astana", "-a", "mode=full",
               "-s", "DOWNLOAD_DELAY=0.7", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", "-s", "AUTOTHROTTLE_ENABLED=False"]  # fmt: skip
    log = tmp_path / "crawl.stderr"

    def first_stored() -> tuple[int, bool] | None:
        """The first releases stored, and whether the crawl was still running after they were."""
        stored = store.counts()["releases"]
        running = child.poll() is None  # asked after the count: a count seen while it ran
        return (stored, running) if stored or not running else None

    with log.open("w") as stderr:
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            stored_while_crawling, running = wait_for(first_stored, timeout=120, every=0.2)
        finally:
            child.wait(timeout=120)
    assert child.returncode == 0, log.read_text()[-2000:]
    assert running
    assert 0 < stored_while_crawling < store.counts()["releases"]
