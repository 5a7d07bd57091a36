"""The store on a real SQLite file: one row per release, revisions for edits, problems kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import inspect

from monitor.records import CrawlProblem, RawRelease, SkippedPage
from monitor.storage.filing import file_stories
from monitor.storage.store import Outcome, Store
from monitor.understanding.classify import classify, load_taxonomy
from monitor.understanding.normalize import normalize_release

NOW = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
TEXT = (
    "ASTANA, 19 December 2024 – Women judges from Kazakhstan took part in a conference on access to justice.\n\n"
    "The event was supported by the OSCE Programme Office in Astana."
)


@pytest.fixture
def store(settings) -> Store:
    return Store.open(settings.database_url)


def save(store: Store, settings, raw: RawRelease, now: datetime = NOW, fingerprint: str = "") -> Outcome:
    taxonomy = load_taxonomy()
    release = normalize_release(raw, settings.sources[raw.source], settings.host_aliases, now.date())
    with store.session() as session:
        outcome = store.upsert(session, release, classify(release, taxonomy), now, fingerprint)
        session.commit()
    return outcome


def article(**changes: object) -> RawRelease:
    fields = dict(
        source="osce_newsroom",
        url="https://www.osce.org/programme-office-in-astana/582310",
        native_id="582310",
        title="Women judges meet in Astana",
        text=TEXT,
        dates=[("listing", "19 December 2024")],
    )
    fields.update(changes)
    return RawRelease(**fields)  # type: ignore[arg-type]


def test_schema_is_created_by_migrations_and_reopening_is_harmless(settings) -> None:
    Store.open(settings.database_url)
    store = Store.open(settings.database_url)
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "sources",
        "releases",
        "revisions",
        "tags",
        "crawl_runs",
        "crawl_problems",
        "seen_entries",
        "alembic_version",
    } <= tables


def test_new_then_unchanged_then_edited_becomes_a_revision(store: Store, settings) -> None:
    assert save(store, settings, article()) is Outcome.NEW
    assert save(store, settings, article(), NOW + timedelta(days=1)) is Outcome.UNCHANGED
    edited = article(text=TEXT + "\n\nA third paragraph was added after publication.")
    assert save(store, settings, edited, NOW + timedelta(days=2)) is Outcome.UPDATED
    (row,) = store.releases(include_duplicates=True)
    assert [r.number for r in row.revisions] == [1, 2]
    assert row.text.endswith("after publication.")
    assert row.first_seen_at.date() == NOW.date()
    assert store.counts() == {"releases": 1, "revisions": 2, "fingerprints": 1}


def test_the_lsh_index_follows_an_edited_text(store: Store, settings) -> None:
    """Each story pass builds the index from the stored signatures: an edit's old wording is gone."""
    from monitor.storage.fingerprints import load_index
    from monitor.understanding.candidates import bucket_rows
    from monitor.understanding.similarity import WORDING_SIGNATURES, Fingerprints

    def holders(title: str, text: str) -> set[int]:
        with store.engine.connect() as conn:
            _, buckets = bucket_rows({0: Fingerprints.of(title, text)}, WORDING_SIGNATURES)
            return set(load_index(conn).holders(buckets)[1].tolist())

    save(store, settings, article())
    file_stories(store, NOW)
    (old,) = store.releases()
    assert holders(old.title, old.text) == {old.id}
    assert (
        save(store, settings, article(text="An entirely different text. " * 30), NOW + timedelta(days=1))
        is Outcome.UPDATED
    )
    (new,) = store.releases()
    assert holders(old.title, old.text) == set()
    assert holders(new.title, new.text) == {old.id}


def test_listing_entry_and_its_page_are_one_release(store: Store, settings) -> None:
    listing = article(text="", teaser="Women judges from Kazakhstan took part in a conference.")
    assert save(store, settings, listing) is Outcome.NEW
    assert store.releases()[0].listing_only
    assert save(store, settings, article(dates=[("byline", "19 December 2024")])) is Outcome.UPDATED
    (row,) = store.releases()
    assert not row.listing_only
    assert (row.published, row.published_provenance) == (date(2024, 12, 19), "listing")
    assert (row.event_date, row.event_provenance, row.dateline_place) == (date(2024, 12, 19), "dateline", "Astana")


def test_mirror_host_and_feed_copy_of_a_node_are_the_same_release(store: Store, settings) -> None:
    save(store, settings, article())
    mirror = article(url="https://d6.web.osce.org/programme-office-in-astana/582310")
    feed = article(source="osce_feed", dates=[("feed", "Thu, 19 Dec 2024 09:00:00 +0000")])
    assert save(store, settings, mirror) is Outcome.UNCHANGED
    assert save(store, settings, feed) is Outcome.UNCHANGED
    assert len(store.releases(include_duplicates=True)) == 1


def test_translation_is_a_release_of_its_own(store: Store, settings) -> None:
    save(store, settings, article())
    russian = article(
        url="https://www.osce.org/ru/programme-office-in-astana/582310",
        title="Судьи-женщины",
        text="Судьи-женщины из Казахстана приняли участие в конференции по доступу к правосудию.",
    )
    assert save(store, settings, russian) is Outcome.NEW
    identities = sorted(r.identity for r in store.releases())
    assert identities == ["osce:582310", "osce:582310/ru"]


def test_exact_copy_under_another_url_is_marked_duplicate(store: Store, settings) -> None:
    save(store, settings, article())
    copy = article(url="https://www.osce.org/secretariat/600100", native_id="600100")
    save(store, settings, copy)
    assert len(store.releases()) == 1
    rows = store.releases(include_duplicates=True)
    assert [r.duplicate_of_id for r in rows if r.native_id == "600100"] == [rows[-1].id]


def test_tags_are_stored_with_their_evidence(store: Store, settings) -> None:
    save(store, settings, article())
    (row,) = store.releases()
    topics = {t.value: t.evidence for t in row.tags if t.kind == "topic"}
    assert "title: women judges" in topics["gender_equality"]  # "women" alone is context, marked as such
    assert "title: women (context)" in topics["gender_equality"]
    assert store.releases(topics=["judicial"]) and store.releases(topics=["no-such-topic"]) == []


def test_problems_are_kept_with_the_run_and_the_source_health(store: Store, settings) -> None:
    store.sync_sources([settings.sources["osce_newsroom"]])
    run_id = store.start_run("osce_newsroom", "incremental", NOW)
    with store.session() as session:
        store.add_problem(
            session, run_id, CrawlProblem("osce_newsroom", "https://www.osce.org/x/1", "http", "HTTP 500"), NOW
        )
        session.commit()
    store.finish_run(run_id, "failed", "no page could be fetched", NOW)
    run = store.run(run_id)
    assert run is not None and run.status == "failed"
    assert [(p.kind, p.url) for p in run.problems] == [("http", "https://www.osce.org/x/1")]
    health = store.source_rows()["osce_newsroom"]
    assert (health.health, health.health_reason) == ("failing", "no page could be fetched")
    store.finish_run(run_id, "ok", "", NOW)  # a closed run keeps its verdict
    assert store.run(run_id).status == "failed"


def test_a_skipped_page_is_recorded_with_its_url_and_its_entry_counts_as_seen(store: Store, settings) -> None:
    store.sync_sources([settings.sources["unodc_roca"]])
    run_id = store.start_run("unodc_roca", "incremental", NOW)
    url = "https://www.unodc.org/centralasia/en/about-us.html"
    with store.session() as session:
        store.skip_page(
            session, run_id, SkippedPage("unodc_roca", url, "no publication date", "unodc_roca:about-us", "f1"), NOW
        )
        session.commit()
    store.finish_run(run_id, "ok", "", NOW)
    assert [(p.kind, p.url, p.message) for p in store.run(run_id).problems] == [("skipped", url, "no publication date")]
    assert store.seen_entries("unodc_roca") == {"unodc_roca:about-us": "f1"}
    assert store.source_rows()["unodc_roca"].health == "ok"


def test_schema_revision_constant_is_the_newest_migration(settings) -> None:
    from alembic.script import ScriptDirectory

    from monitor.storage.engine import SCHEMA_REVISION, alembic_config, current_revision

    store = Store.open(settings.database_url)
    assert ScriptDirectory.from_config(alembic_config(store.engine)).get_current_head() == SCHEMA_REVISION
    assert current_revision(store.engine) == SCHEMA_REVISION


def test_migrations_upgrade_a_database_that_holds_releases(tmp_path) -> None:
    from alembic import command

    from monitor.storage.engine import alembic_config, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO releases (identity, source_key, url, canonical_url, title, text, summary, lang, facets, captions,"
            " content_hash, listing_only, first_seen_at, last_seen_at, updated_at) VALUES ('osce:1', 'osce_astana', 'u',"
            " 'u', 'Title', 'Text', 'Text', 'en', '{}', '[]', 'h', 0, '2025-01-01', '2025-01-01', '2025-01-01')"
        )
    upgrade(engine)
    store = Store(engine)
    assert [(r.identity, r.syndication) for r in store.releases(include_duplicates=True)] == [("osce:1", False)]
    assert file_stories(store, NOW) == 1  # releases stored before stories existed get one
