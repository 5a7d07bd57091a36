"""Full-text search through the web view and its API: word forms in English, Russian and Kazakh,
an index kept current when a release is revised. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from monitor.records import RawRelease
from monitor.settings.config import Settings
from monitor.storage import search
from monitor.storage.store import Store
from tests.sample_releases import NOW, store_releases

RELEASES = [
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/ru/node/700001",
        native_id="700001",
        lang="ru",
        title="Семинар для сотрудников прокуратуры Казахстана",
        text="Сотрудники прокуратуры и судьи обсудили защиту прав женщин в уголовном процессе.",
        dates=[("meta", "2026-02-10")],
    ),
    RawRelease(
        source="osce_bishkek",
        url="https://bishkek.osce.org/news/700002",
        native_id="700002",
        lang="en",
        title="Probation officers in Kyrgyzstan trained on courts' new rules",
        text="Judges and probation officers discussed how the courts apply alternatives to detention.",
        dates=[("meta", "2026-02-11")],
    ),
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/kk/node/700003",
        native_id="700003",
        lang="kk",
        title="Соттардың тәуелсіздігі туралы дөңгелек үстел",
        text="Астанада соттың тәуелсіздігі және әйелдердің құқықтары талқыланды.",
        dates=[("meta", "2026-02-12")],
    ),
]


def titles(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get("/api/stories", params={"q": query})
    assert response.status_code == 200, response.text
    return [story["title"] for story in response.json()["stories"]]


@pytest.fixture
def stored(settings: Settings) -> Store:
    return store_releases(settings, RELEASES, NOW)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("прокуратура", RELEASES[0].title),  # the text says прокуратуры
        ("прокуратурой", RELEASES[0].title),
        ("ПРАВА женщины", RELEASES[0].title),  # прав, женщин: every word, in any form
        ("court", RELEASES[1].title),  # courts, courts'
        ("judge probation", RELEASES[1].title),
        ("сот", RELEASES[2].title),  # соттың, соттардың
        ("тәуелсіздігі", RELEASES[2].title),
        ("әйелдер", RELEASES[2].title),  # әйелдердің
        ("energy", None),  # in no text
    ],
)
def test_search_finds_word_forms_in_three_languages(stored, as_role, query: str, expected: str | None) -> None:
    client = as_role("viewer")
    found = titles(client, query)
    assert found == ([expected] if expected else [])


def test_search_pages_and_html_agree(stored, as_role) -> None:
    client = as_role("viewer")
    page = client.get("/stories", params={"q": "прокуратура"})
    assert page.status_code == 200
    assert RELEASES[0].title in page.text
    assert RELEASES[1].title not in page.text
    assert "1 story matching" in page.text
    assert titles(client, "!!! ???") == []  # no word: nothing, and no query error


def test_a_revised_release_is_found_by_its_new_text_only(settings: Settings, stored, as_role) -> None:
    client = as_role("viewer")
    assert titles(client, "detention") == [RELEASES[1].title]
    revised = RawRelease(**{**RELEASES[1].__dict__, "text": "Judges discussed electronic monitoring of parolees."})
    store_releases(settings, [revised], NOW + timedelta(days=1))
    assert titles(client, "detention") == []
    assert titles(client, "parolee") == [RELEASES[1].title]
    assert titles(client, "probation") == [RELEASES[1].title]  # still in its title


def test_the_index_can_be_rebuilt_and_measured(stored) -> None:
    with stored.engine.begin() as conn:
        assert search.rebuild(conn) == 3
        assert search.size_bytes(conn) > 0
        match = search.match_sql(conn, "прокуратура")
        assert match is not None
        assert len(conn.execute(text(match[0]), match[1]).fetchall()) == 1
