"""Releases in English, Russian and Kazakh, one with hostile markup, for digest and mail tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from monitor.records import RawRelease
from monitor.settings.config import Settings
from monitor.storage.filing import file_stories
from monitor.storage.store import Store
from monitor.understanding.classify import classify, load_taxonomy
from monitor.understanding.normalize import normalize_release

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
RELEASES = [
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/news/programme-office-astana/661564",
        native_id="661564",
        title="OSCE supports training for Kazakhstan police on domestic violence",
        text="Forty police officers in Astana were trained on the investigation of domestic violence and gender-based violence.",
        dates=[("meta", "2025-12-23")],
    ),
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/ru/node/663410",
        native_id="663410",
        title="ОБСЕ поддержала обсуждение реформы пробации в Казахстане",
        text="12 февраля 2026 года в Астане судьи и прокуроры обсудили реформу пробации и пенитенциарной системы.",
        dates=[("meta", "2026-02-16")],
    ),
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/kk/node/664002",
        native_id="664002",
        title="ЕҚЫҰ әйел судьяларға арналған тәлімгерлік бағдарламасын қолдады",
        text="Бағдарлама сот жүйесіндегі гендерлік теңдікті нығайтуға бағытталған. Әйел судьялар қатысты.",
        dates=[("meta", "2026-03-10")],
    ),
    RawRelease(
        source="osce_odihr",
        url="https://odihr.osce.org/odihr/666666",
        native_id="666666",
        title='Court <img src="file:///etc/passwd"> watch & "legal aid" <script>alert(1)</script>',
        text='Judges discussed legal aid. <img src="http://127.0.0.1:1/tracker.png"> The supreme court agreed.',
        dates=[("meta", "2026-03-20")],
    ),
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/news/x/665100",
        native_id="665100",
        title="Workshop on energy efficiency",
        text="Engineers discussed energy audits of schools in Almaty.",
        dates=[("meta", "2026-03-21")],
    ),
]


def store_releases(settings: Settings, raws: Sequence[RawRelease], now: datetime) -> Store:
    """Store releases as a crawl at `now` would, and file them into stories."""
    store = Store.open(settings.database_url)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    with store.session() as session:
        for raw in raws:
            release = normalize_release(raw, settings.sources[raw.source], {}, now.date())
            store.upsert(session, release, classify(release, taxonomy), now)
        session.commit()
    file_stories(store, now)
    return store
