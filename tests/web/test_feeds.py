"""The feeds over HTTP: a feed reader's token in the URL (and nothing else) opens them, the /feeds
page gives each user theirs (their subscriptions' saved searches among them), and a search's
feed holds what the story list finds. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import urlencode, urlsplit

import feedparser
import pytest
from itsdangerous import URLSafeSerializer
from starlette.testclient import TestClient

from monitor.reporting.saved_searches import feed_name
from monitor.settings.config import Settings
from monitor.storage import subscribers
from monitor.storage.store import Store
from monitor.web import accounts
from tests.sample_releases import NOW, RELEASES, store_releases
from tests.web.conftest import PASSWORD, add_user, csrf_of, sign_in

SECRET = "test secret, not for production"  # the app fixture's
FEED_LINK = re.compile(r'href="(http://127\.0\.0\.1:8000/feeds/[^"]+)"')


@pytest.fixture
def stored(settings: Settings) -> Store:
    return store_releases(settings, RELEASES, NOW)


def feed_urls(client: TestClient, query: str = "") -> dict[str, str]:
    """The /feeds page's feed addresses, as paths with their query, by feed path."""
    page = client.get("/feeds", params={"q": query} if query else None)
    assert page.status_code == 200, page.text
    urls = {}
    for href in FEED_LINK.findall(page.text):
        parts = urlsplit(unescape(href))
        urls[parts.path.removeprefix("/feeds/").removesuffix(".atom")] = f"{parts.path}?{parts.query}"
    return urls


def atom(response) -> feedparser.FeedParserDict:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    document = feedparser.parse(response.content)
    assert not document.bozo, document.get("bozo_exception")
    return document


def test_a_feed_opens_to_its_token_only(stored, as_role, client: TestClient, settings: Settings) -> None:
    urls = feed_urls(as_role("viewer"))
    assert {"topics/judicial", "topics/judicial/legal_aid", "countries/kazakhstan", "digests/weekly"} <= set(urls)
    judicial = urls["topics/judicial"]
    token = judicial.split("token=", 1)[1]
    assert all(url.endswith(f"token={token}") for url in urls.values())  # one token per user

    anonymous = client.get("/feeds/topics/judicial.atom")
    assert anonymous.status_code == 401 and "<feed" not in anonymous.text and "Judicial" not in anonymous.text
    document = atom(client.get(judicial))  # a reader without a session
    assert document.feed.title == "Topic: Judicial and justice reform" and len(document.entries) >= 2
    assert document.feed.links[0].rel == "self" and document.feed.links[0].href.endswith(judicial)

    api_token = accounts.issue_token(stored, "viewer0@example.org", datetime.now(UTC))
    other_salt = URLSafeSerializer(SECRET, salt="unsubscribe").dumps([1, "x"])
    other_key = URLSafeSerializer("another key", salt="feed").dumps([1, "x"])
    for bad in ("", "nonsense", token[:-2] + "xx", api_token, other_salt, other_key):
        refused = client.get("/feeds/topics/judicial.atom", params={"token": bad})
        assert refused.status_code == 403, bad
        assert "Judicial" not in refused.text and "story" not in refused.text
    # The token opens feeds, nothing else.
    assert client.get("/stories", params={"token": token}, follow_redirects=False).status_code == 303
    assert client.get("/api/stories", params={"token": token}).status_code == 401


def test_a_token_dies_with_its_account_or_its_password(stored, client: TestClient, app, settings: Settings) -> None:
    add_user(settings, "reader@example.org", "viewer")
    with TestClient(app) as browser:
        url = feed_urls(sign_in(browser, "reader@example.org"))["countries/kazakhstan"]
    assert client.get(url).status_code == 200
    accounts.add_user(stored, "reader@example.org", "viewer", "a brand new password", datetime.now(UTC))
    assert client.get(url).status_code == 403  # a new password: the old feed URLs stop working
    with TestClient(app) as browser:
        renewed = feed_urls(sign_in(browser, "reader@example.org", "a brand new password"))["countries/kazakhstan"]
    assert renewed != url and client.get(renewed).status_code == 200
    (user,) = [u for u in accounts.users(stored) if u.email == "reader@example.org"]
    accounts.remove_user(stored, user.id)
    assert client.get(renewed).status_code == 403
    add_user(settings, "reader@example.org", "viewer")  # the same address again is a new account
    assert client.get(renewed).status_code == 403


@pytest.mark.parametrize("keyed", [True, False], ids=["account", "account made before keys"])
def test_a_password_rehashed_at_sign_in_keeps_sessions_and_feed_tokens(
    stored, client: TestClient, app, settings: Settings, keyed: bool, monkeypatch
) -> None:
    from argon2 import PasswordHasher
    from sqlalchemy import update

    from monitor.storage.models import UserRow

    add_user(settings, "reader@example.org", "viewer")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # parameters of an older release
    with stored.session() as session, session.begin():
        session.execute(
            update(UserRow)
            .where(UserRow.email == "reader@example.org")
            .values(password_hash=weak.hash(PASSWORD), **({} if keyed else {"account_key": ""}))
        )
    with TestClient(app) as browser:
        with monkeypatch.context() as older_release:  # signed in while those were the parameters
            older_release.setattr(accounts, "_hasher", weak)
            url = feed_urls(sign_in(browser, "reader@example.org"))["countries/kazakhstan"]
        with TestClient(app) as laptop:  # a sign-in after the upgrade rehashes with today's parameters
            sign_in(laptop, "reader@example.org")
        (user,) = [u for u in accounts.users(stored) if u.email == "reader@example.org"]
        assert user.password_hash.startswith("$argon2") and "m=8192" not in user.password_hash
        assert browser.get("/api/stories").status_code == 200  # the first browser is still signed in
    assert client.get(url).status_code == 200  # and the feed URL a reader holds still works


def test_feeds_are_cached_by_readers_and_revalidated(stored, as_role, client: TestClient) -> None:
    url = feed_urls(as_role("viewer"))["topics/judicial"]
    first = client.get(url)
    assert first.headers["cache-control"] == "private, max-age=300" and first.headers["etag"]
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.head(url).status_code == 200


def test_a_signed_in_browser_reads_feeds_without_a_token(stored, as_role) -> None:
    viewer = as_role("viewer")
    assert len(atom(viewer.get("/feeds/countries/kazakhstan.atom")).entries) >= 2
    assert viewer.get("/feeds/topics/astrology.atom").status_code == 404
    assert viewer.get("/feeds/digests/nope.atom").status_code == 404
    assert viewer.get("/feeds/search.atom").status_code == 400


@pytest.mark.parametrize("query", ["судьи", "court", "прокуратура"])
def test_a_search_feed_holds_what_the_story_list_finds(stored, as_role, client: TestClient, query: str) -> None:
    viewer = as_role("viewer")
    urls = feed_urls(viewer, query)
    document = atom(client.get(urls["search"]))
    listed = viewer.get("/api/stories", params={"q": query, "size": 50}).json()["stories"]
    assert [entry.id.rsplit("/", 1)[1] for entry in document.entries] == [str(story["id"]) for story in listed]
    assert document.feed.title == f"Search: {query}"
    assert document.feed.id == "tag:127.0.0.1,2026:feed/search?" + urlencode({"q": query})  # no %25 in it


def test_the_feeds_page_escapes_what_it_is_given(stored, as_role) -> None:
    page = as_role("viewer").get("/feeds", params={"q": '<script>alert(1)</script>"'})
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'href="/stories?topic=judicial"' in page.text


def test_a_revised_release_moves_the_served_feed(stored, as_role, client: TestClient, settings: Settings) -> None:
    url = feed_urls(as_role("viewer"))["topics/judicial"]
    first = client.get(url)
    before = atom(first)
    later = NOW + timedelta(days=3)
    store_releases(settings, [replace(RELEASES[1], text=RELEASES[1].text + " Судьи согласились.")], later)
    second = client.get(url, headers={"If-None-Match": first.headers["etag"]})  # what a reader sends
    after = atom(second)
    assert second.headers["etag"] != first.headers["etag"]
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    assert [e.title for e in after.entries if e.updated == later.isoformat()] == [RELEASES[1].title]
    assert after.feed.updated == later.isoformat()


def subscribe(client: TestClient, searches: str) -> None:
    token = csrf_of(client.get("/subscriptions").text)
    added = client.post(
        "/subscriptions", data={"csrf_token": token, "do": "add", "searches": searches}, follow_redirects=False
    )
    assert added.status_code == 303, added.text


def test_each_user_has_the_feeds_of_their_own_subscriptions_saved_searches(
    stored, as_role, client: TestClient, settings: Settings
) -> None:
    ana, bo = as_role("viewer"), as_role("viewer")
    subscribe(ana, "пробация\nlegal aid")
    subscribe(bo, "судьялар")
    probation, legal_aid, judges = (f"searches/{feed_name(q)}" for q in ("пробация", "legal aid", "судьялар"))

    ana_urls, bo_urls = feed_urls(ana), feed_urls(bo)
    assert {probation, legal_aid} <= set(ana_urls) and judges not in ana_urls
    assert judges in bo_urls and probation not in bo_urls
    assert "Your subscriptions&#39; saved searches" in ana.get("/feeds").text
    document = atom(client.get(ana_urls[probation]))  # a feed reader: the token alone
    assert document.feed.title == "Search: пробация"
    assert [entry.title for entry in document.entries] == [RELEASES[1].title]
    assert document.feed.links[0].href == f"http://127.0.0.1:8000{ana_urls[probation]}"
    (hostile,) = atom(client.get(ana_urls[legal_aid])).entries
    assert hostile.title == RELEASES[3].title and hostile.title_detail.type == "text/plain"

    # another user's saved search is no feed of theirs, whatever they know of its name
    bo_token = bo_urls[judges].split("token=", 1)[1]
    assert client.get(f"/feeds/{probation}.atom", params={"token": bo_token}).status_code == 404
    assert bo.get(f"/feeds/{probation}.atom").status_code == 404
    assert client.get(f"/feeds/{probation}.atom").status_code == 401
    # an admin has everyone's
    assert {probation, legal_aid, judges} <= set(feed_urls(as_role("admin")))

    # unsubscribed: the feed is neither listed nor served
    store = Store.open(settings.database_url)
    (ana_row,) = [r for r in subscribers.listed(store) if "пробация" in r.filters.get("searches", [])]
    subscribers.unsubscribe(store, ana_row.id, "web", datetime.now(UTC))
    assert probation not in feed_urls(ana) and "None yet" in ana.get("/feeds").text
    assert client.get(ana_urls[probation]).status_code == 404


def test_a_saved_searchs_markup_is_shown_as_text(stored, as_role, client: TestClient) -> None:
    viewer = as_role("viewer")
    subscribe(viewer, '<script>alert(1)</script> "court"')
    page = viewer.get("/feeds").text
    assert "<script>alert(1)" not in page and "Search: &lt;script&gt;alert(1)&lt;/script&gt; &#34;court&#34;" in page
    (url,) = [url for path, url in feed_urls(viewer).items() if path.startswith("searches/")]
    document = atom(client.get(url))
    assert document.feed.title == 'Search: <script>alert(1)</script> "court"'
