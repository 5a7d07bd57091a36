"""Atom feeds on a real store (SQLite, or PostgreSQL with --backend postgresql), read back with
feedparser as a feed reader would: valid, stable ids, `updated` moving when a release joins a
story or a text is revised, scraped text inert, and `monitor feeds write` writing them all,
subscribers' saved searches included."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from sqlalchemy import update

from monitor.cli.main import main
from monitor.reporting import feed_sets
from monitor.reporting.feed_files import write_feeds
from monitor.reporting.feeds import clean, web_link
from monitor.reporting.saved_searches import feed_name
from monitor.settings.config import Settings, load_settings
from monitor.settings.names import check_name
from monitor.settings.subscribers import SubscriberSpec
from monitor.storage import subscribers
from monitor.storage.models import ReleaseRow
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy
from tests.sample_releases import NOW, RELEASES, store_releases

ATOM = "{http://www.w3.org/2005/Atom}"
POLICE, PROBATION, HOSTILE = RELEASES[0], RELEASES[1], RELEASES[3]


def read(store: Store, settings: Settings, kind: str, name: str) -> feedparser.FeedParserDict:
    """A feed of the catalogue, made and parsed; it must be well-formed Atom."""
    taxonomy = load_taxonomy(settings.taxonomy_path)
    feed = feed_sets.find(settings, taxonomy, kind, name)
    assert feed is not None, f"no feed {kind}/{name}"
    body, count = feed_sets.render(store, settings, taxonomy, feed, f"https://feeds.example.org/{feed.path}.atom")
    return parsed(body, count)


def parsed(body: bytes, count: int | None = None) -> feedparser.FeedParserDict:
    document = feedparser.parse(body)
    assert not document.bozo, document.get("bozo_exception")
    assert document.version == "atom10"
    if count is not None:
        assert len(document.entries) == count
    return document


def entry_of(document: feedparser.FeedParserDict, title: str) -> feedparser.FeedParserDict:
    (found,) = [entry for entry in document.entries if entry.title == title]
    return found


@pytest.fixture
def stored(settings: Settings) -> Store:
    return store_releases(settings, RELEASES, NOW)


def test_every_feed_is_valid_atom_with_an_entry_per_story(stored: Store, settings: Settings) -> None:
    taxonomy = load_taxonomy()
    feeds = feed_sets.catalogue(settings, taxonomy, [("probation", "пробация")])
    assert {feed.kind for feed in feeds} == {"topics", "countries", "digests", "searches"}
    sizes = {}
    for feed in feeds:
        body, count = feed_sets.render(stored, settings, taxonomy, feed, "https://feeds.example.org/x.atom")
        document = parsed(body, count)
        sizes[feed.path] = count
        ids = [entry.id for entry in document.entries]
        assert len(set(ids)) == len(ids)  # one entry per story
        assert all(i.startswith("tag:127.0.0.1,2026:story/") for i in ids)
        assert document.feed.id == f"tag:127.0.0.1,2026:feed/{feed.path}"
        assert document.feed.author == "Press-release monitor"
        for entry in document.entries:
            assert entry.link.startswith("https://")  # the publisher's page
            pages = [link.href for link in entry.links if link.rel == "related"]
            assert pages == [f"http://127.0.0.1:8000/stories/{entry.id.rsplit('/', 1)[1]}"]
        if document.entries:  # newest first, and the feed as new as its newest entry
            days = [entry.published for entry in document.entries]
            assert days == sorted(days, reverse=True)
            assert document.feed.updated == max(entry.updated for entry in document.entries)
    assert sizes["topics/judicial"] >= 2 and sizes["countries/kazakhstan"] >= 2
    assert sizes["searches/probation"] == 1  # пробации, in Russian
    assert sizes["countries/mongolia"] == 0  # an empty feed is still a feed


def test_ids_are_stable_and_updated_moves_when_a_release_joins(stored: Store, settings: Settings) -> None:
    before = read(stored, settings, "countries", "kazakhstan")
    again = read(stored, settings, "countries", "kazakhstan")
    assert [e.id for e in again.entries] == [e.id for e in before.entries]
    police = entry_of(before, POLICE.title)
    assert police.updated == NOW.isoformat()

    # The same text republished by an aggregator a day later: a new member of the same story.
    later = NOW + timedelta(days=1)
    copy = replace(POLICE, source="pubt_osce", url="https://www.pubt.io/view/" + "a" * 40, native_id=None)
    store_releases(settings, [copy], later)
    after = read(stored, settings, "countries", "kazakhstan")
    assert [e.id for e in after.entries] == [e.id for e in before.entries]  # joined, not a new entry
    joined = entry_of(after, POLICE.title)
    assert joined.id == police.id and joined.updated == later.isoformat()
    assert after.feed.updated == later.isoformat()
    others = {e.id: e.updated for e in after.entries if e.id != police.id}
    assert others == {e.id: e.updated for e in before.entries if e.id != police.id}


def test_updated_moves_when_a_text_is_revised(stored: Store, settings: Settings) -> None:
    before = entry_of(read(stored, settings, "topics", "judicial/probation_penitentiary"), PROBATION.title)
    later = NOW + timedelta(days=2)
    revised = replace(PROBATION, text=PROBATION.text + " Участники договорились о следующей встрече.")
    store_releases(settings, [revised], later)
    after = entry_of(read(stored, settings, "topics", "judicial/probation_penitentiary"), PROBATION.title)
    assert after.id == before.id
    assert before.updated == NOW.isoformat() and after.updated == later.isoformat()
    assert after.content[0].value.endswith("о следующей встрече.")


def test_scraped_text_stays_text_and_only_web_links_are_kept(stored: Store, settings: Settings) -> None:
    with stored.session() as session, session.begin():
        session.execute(
            update(ReleaseRow)
            .where(ReleaseRow.native_id == HOSTILE.native_id)
            .values(
                canonical_url="javascript:alert(2)",
                url="data:text/html,<script>alert(3)</script>",
                text="Judges & prosecutors\x0b met\x1b[31m. <script>alert(4)</script> ]]> &amp;",
                summary='<a href="javascript:alert(5)">legal aid</a>',
            )
        )
    taxonomy = load_taxonomy()
    feed = feed_sets.find(settings, taxonomy, "topics", "judicial")
    assert feed is not None
    body, _ = feed_sets.render(stored, settings, taxonomy, feed, "https://feeds.example.org/judicial.atom")
    entry = entry_of(parsed(body), HOSTILE.title)  # the title with <script> and & comes back as it was written
    assert entry.title_detail.type == "text/plain" and entry.content[0].type == "text/plain"
    assert entry.content[0].value == "Judges & prosecutors met[31m. <script>alert(4)</script> ]]> &amp;"
    assert entry.summary == '<a href="javascript:alert(5)">legal aid</a>'
    story_page = f"http://127.0.0.1:8000/stories/{entry.id.rsplit('/', 1)[1]}"
    assert [(link.rel, link.href) for link in entry.links] == [("alternate", story_page)]
    assert b"javascript:" not in body.replace(b"javascript:alert(5)", b"") and b"data:text" not in body
    tree = etree.fromstring(body)
    assert not tree.findall(".//script") and not tree.findall(f".//{ATOM}script")  # no element from scraped text
    assert tree.find(f"{ATOM}entry/{ATOM}title").text == HOSTILE.title


def test_links_and_text_are_checked_before_they_are_written() -> None:
    assert web_link("https://www.osce.org/a?b=1") == "https://www.osce.org/a?b=1"
    assert web_link("HTTP://WWW.OSCE.ORG/") == "HTTP://WWW.OSCE.ORG/"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "//osce.org/x", "https://", "http://a b/", None, ""):
        assert web_link(bad) is None, bad
    assert clean("a\x00b\x1fc\ud800d\ufffee\tf") == "abcde\tf"


def test_a_digest_definitions_feed_holds_what_its_filters_pass(monitor_home: Path, monkeypatch) -> None:
    config = monitor_home.parent / "digests.toml"
    config.write_text(
        "[digests.kz_justice]\ntopics = ['judicial']\ncountries = ['kazakhstan']\n"
        "[digests.probation]\nsearches = ['пробация', 'probation']\n"
        "[digests.wide]\n",
        encoding="utf-8",
    )
    settings = load_settings(config_path=config)
    store = store_releases(settings, RELEASES, NOW)
    kz = {e.title for e in read(store, settings, "digests", "kz_justice").entries}
    judicial = {e.title for e in read(store, settings, "topics", "judicial").entries}
    kazakhstan = {e.title for e in read(store, settings, "countries", "kazakhstan").entries}
    assert kz == judicial & kazakhstan and kz
    assert [e.title for e in read(store, settings, "digests", "probation").entries] == [PROBATION.title]
    wide = [e.title for e in read(store, settings, "digests", "wide").entries]
    assert "Workshop on energy efficiency" not in wide and len(wide) == 4  # every tracked topic, nothing else
    # Read a story at a time, the scan pages through the store and finds the same stories.
    monkeypatch.setattr(feed_sets, "SCAN_PAGE", 1)
    assert [e.title for e in read(store, settings, "digests", "wide").entries] == wide


def test_feeds_are_written_as_files_whole_and_only_when_changed(
    stored: Store, settings: Settings, tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "feeds"
    code = main(["feeds", "write", str(folder), "--base-url", "https://news.example.org/feeds/",
                 "--search", "probation=пробация"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    assert "topics/judicial.atom" in files and "topics/judicial/legal_aid.atom" in files
    assert {"countries/kazakhstan.atom", "digests/weekly.atom", "searches/probation.atom"} <= set(files)
    assert not [name for name in files if not name.endswith(".atom")]  # no .part left behind
    for name in files:
        assert name in out
        document = parsed((folder / name).read_bytes())
        assert document.feed.links[0].href == f"https://news.example.org/feeds/{name}"  # rel=self
        assert "token" not in (folder / name).read_text(encoding="utf-8")
    assert len(parsed((folder / "searches/probation.atom").read_bytes()).entries) == 1
    stamps = {name: (folder / name).stat().st_mtime_ns for name in files}

    assert main(["feeds", "write", str(folder), "--base-url", "https://news.example.org/feeds"]) == 0
    assert "written" not in capsys.readouterr().out  # every feed unchanged: no file rewritten
    assert {name: (folder / name).stat().st_mtime_ns for name in files} == stamps

    store_releases(settings, [replace(PROBATION, text=PROBATION.text + " Новый абзац.")], NOW + timedelta(days=1))
    written = write_feeds(stored, settings, load_taxonomy(), folder, "https://news.example.org/feeds")
    changed = {w.path for w in written if w.status == "written"}
    assert "topics/judicial/probation_penitentiary.atom" in changed and "countries/mongolia.atom" not in changed


def test_a_feed_that_cannot_be_made_fails_the_command_and_not_the_others(
    monitor_home: Path, tmp_path: Path, capsys
) -> None:
    config = monitor_home.parent / "digests.toml"
    config.write_text("[digests.broken]\ntopics = ['astrology']\n", encoding="utf-8")
    store_releases(load_settings(config_path=config), RELEASES, NOW)
    code = main(["--config", str(config), "feeds", "write", str(tmp_path / "feeds")])
    out = capsys.readouterr().out
    assert code == 1
    assert "failed: digest 'broken': unknown topic(s) astrology" in out
    assert (tmp_path / "feeds" / "topics" / "judicial.atom").exists()
    assert not (tmp_path / "feeds" / "digests" / "broken.atom").exists()
    with pytest.raises(SystemExit) as refused:  # argparse: a search name must be a plain file name
        main(["feeds", "write", str(tmp_path / "x"), "--search", "../up=court"])
    assert refused.value.code == 2 and not (tmp_path / "x").exists()


def test_a_saved_searchs_feed_name_is_file_safe_and_the_same_for_the_same_query() -> None:
    probation = feed_name("пробация")
    assert re.fullmatch(r"probatsiya-[0-9a-f]{8}", probation)
    assert feed_name("  Пробация ") == probation  # the search ignores case and spacing
    assert feed_name("legal aid") == feed_name("Legal   Aid") != feed_name("legal-aid")  # one slug, two queries
    assert feed_name("legal aid").startswith("legal-aid-") and feed_name("судьялар").startswith("sudyalar-")
    for query in ("../../etc/passwd", "<b>court</b> & co", "???", "a" * 300, "中文"):
        name = feed_name(query)
        assert check_name("search name", name) == name and len(name) <= 49, name
    assert feed_name("???").startswith("search-")


def test_every_saved_search_of_a_subscriber_still_subscribed_is_written(
    monitor_home: Path, tmp_path: Path, capsys
) -> None:
    config = monitor_home.parent / "subscribers.toml"
    config.write_text(
        "[subscribers.kz-judges]\naddress = 'judges@example.org'\nsearches = ['судьялар']\n", encoding="utf-8"
    )
    settings = load_settings(config_path=config)
    store = store_releases(settings, RELEASES, NOW)
    add = partial(subscribers.add, store, origin="cli", now=NOW)
    add(SubscriberSpec("ana", "ana@example.org", filters={"searches": ("пробация", "legal aid")}))
    add(SubscriberSpec("bo", "bo@example.org", filters={"topics": ("judicial",), "searches": ("Пробация",)}))
    gone = add(SubscriberSpec("cy", "cy@example.org", filters={"searches": ("energy",)}))
    subscribers.unsubscribe(store, gone.id, "cli", NOW)
    folder = tmp_path / "feeds"

    code = main(["--config", str(config), "feeds", "write", str(folder), "--search", "court=court"])

    out = capsys.readouterr().out
    assert code == 0
    searches = {path.name: parsed(path.read_bytes()) for path in (folder / "searches").iterdir()}
    probation, legal_aid, judges = (f"{feed_name(q)}.atom" for q in ("пробация", "legal aid", "судьялар"))
    # ana's and bo's "пробация" share one file; cy unsubscribed: no feed; --search still writes its own
    assert set(searches) == {probation, legal_aid, judges, "court.atom"}
    assert all(f"searches/{name}" in out for name in searches)
    assert [e.title for e in searches[probation].entries] == [PROBATION.title]
    assert searches[probation].feed.title in ("Search: пробация", "Search: Пробация")
    assert searches[probation].feed.links[0].href == f"http://127.0.0.1:8000/feeds/searches/{probation}"
    assert [e.title for e in searches[judges].entries] == [RELEASES[2].title]  # a config subscriber's
    (hostile,) = searches[legal_aid].entries  # scraped markup comes back as the text it was
    assert hostile.title == HOSTILE.title and hostile.title_detail.type == "text/plain"
    assert b"<script>" not in (folder / "searches" / legal_aid).read_bytes()

    subscribers.unsubscribe(store, subscribers.find(store, "ana").id, "cli", NOW)
    written = write_feeds(store, settings, load_taxonomy(), folder)
    saved = {w.path for w in written if w.path.startswith("searches/")}
    assert saved == {f"searches/{probation}", f"searches/{judges}"}
