"""Every page and API route over HTTP: who may see and do what, CSRF on every form, sign-in limits,
security headers, and scraped text that stays inert wherever it is shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from starlette.routing import Route
from starlette.testclient import TestClient

from monitor.settings.config import Settings, load_settings
from monitor.storage.engine import SCHEMA_REVISION
from monitor.storage.leases import Lease
from monitor.storage.models import CrawlProblemRow, ReleaseRow
from monitor.storage.store import Store
from monitor.web import accounts
from monitor.web.app import create_app
from tests.sample_releases import RELEASES, store_releases
from tests.web.conftest import PASSWORD, add_user, csrf_of, sign_in

HOSTILE = RELEASES[3]  # its title holds <script>alert(1)</script> and an <img src=file:...>


@pytest.fixture
def digest_settings(monitor_home: Path) -> Settings:
    config = monitor_home.parent / "digests.toml"
    config.write_text("[digests.weekly]\nrecipients = ['analyst@example.org']\n", encoding="utf-8")
    return load_settings(config_path=config)


@pytest.fixture
def settings(digest_settings: Settings) -> Settings:  # every test here has a weekly digest configured
    return digest_settings


@pytest.fixture
def stored(settings: Settings) -> Store:
    """The sample releases, stored an hour before the weekly digest's last period ended (so the
    latest issue carries them), one story's link made a javascript: URL and a crawl problem with one."""
    when = settings.digest("weekly").last_boundary(datetime.now(UTC)) - timedelta(hours=1)
    store = store_releases(settings, RELEASES, when)
    with store.session() as session, session.begin():
        session.execute(
            update(ReleaseRow)
            .where(ReleaseRow.native_id == HOSTILE.native_id)
            .values(canonical_url="javascript:alert(2)", summary='<a href="javascript:alert(3)">x</a>')
        )
    run_id = store.start_run("osce_odihr", "incremental", when)
    with store.session() as session, session.begin():
        session.add(
            CrawlProblemRow(run_id=run_id, source_key="osce_odihr", url="javascript:alert(4)", kind="http",
                            message="<script>alert(5)</script>", at=when)
        )  # fmt: skip
    store.finish_run(run_id, "partial", "<b>bold</b> claim", when)
    return store


def story_ids(client: TestClient) -> list[int]:
    return [story["id"] for story in client.get("/api/stories", params={"size": 100}).json()["stories"]]


def issue_digest(client: TestClient, app) -> int:  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/digests").text)
    response = client.post("/digests/issue", data={"name": "weekly", "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    app.state.web.tasks.join(120)
    issue = re.search(r'href="/digests/(\d+)"', client.get("/digests").text)
    assert issue, "no issue listed after issuing"
    return int(issue.group(1))


def test_every_page_and_api_route_answers_a_viewer(stored, as_role, app) -> None:
    operator = as_role("operator")
    run_id = issue_digest(operator, app)
    viewer = as_role("viewer")
    story = story_ids(viewer)[0]
    for path in (
        "/stories", f"/stories/{story}", "/stories?topic=judicial&country=kazakhstan&lang=ru&since=2020-01-01",
        "/sources", "/sources/osce_odihr", "/digests", f"/digests/{run_id}", f"/digests/{run_id}/email",
        "/status", "/api/stories", f"/api/stories/{story}", "/api/sources", "/healthz",
    ):  # fmt: skip
        response = viewer.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    pdf = viewer.get(f"/digests/{run_id}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]
    assert viewer.get("/stories/999999").status_code == 404
    assert viewer.get("/api/stories/999999").status_code == 404
    assert viewer.get("/stories?since=last+week").status_code == 400
    assert viewer.get("/users").status_code == 403  # admins only
    assert as_role("admin").get("/users").status_code == 200


def test_nobody_signed_in_is_sent_to_sign_in_and_the_api_says_401(stored, client: TestClient) -> None:
    response = client.get("/stories?q=court", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fstories%3Fq%3Dcourt"
    for path in ("/api/stories", "/api/sources"):
        assert client.get(path).status_code == 401
    assert client.post("/api/crawls").status_code == 401
    assert client.get("/api/stories", headers={"Authorization": "Bearer pm_not_a_token"}).status_code == 401
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok", "schema": SCHEMA_REVISION}


def test_api_stories_have_the_fields_of_monitor_stories_json(settings: Settings, stored, as_role) -> None:
    from monitor.reporting.export import story_json

    viewer = as_role("viewer")
    listed = viewer.get("/api/stories").json()
    expected = [story_json(s) for s in stored.stories()]
    assert listed["total"] == len(expected)
    assert listed["stories"] == expected[: len(listed["stories"])]
    filtered = viewer.get("/api/stories", params={"lang": "kk"}).json()["stories"]
    assert [s["title"] for s in filtered] == [RELEASES[2].title]
    one = viewer.get(f"/api/stories/{filtered[0]['id']}").json()
    assert one["releases"][0]["lang"] == "kk" and one["members"][0]["relation"] == "original"
    paged = viewer.get("/api/stories", params={"size": 2, "page": 2}).json()
    assert paged["pages"] == -(-len(expected) // 2)
    assert [s["id"] for s in paged["stories"]] == [s["id"] for s in expected[2:4]]


def test_a_viewer_cannot_trigger_and_a_post_without_the_csrf_token_is_refused(stored, as_role, app) -> None:
    viewer = as_role("viewer")
    token = csrf_of(viewer.get("/sources").text)  # the sign-out form's token
    assert viewer.post("/sources/crawl", data={"source": "osce_astana", "csrf_token": token}).status_code == 403
    assert viewer.post("/digests/issue", data={"name": "weekly", "csrf_token": token}).status_code == 403
    operator = as_role("operator")
    admin = as_role("admin")
    # Every POST route of the application refuses a form without the session's token, for any role;
    # only the one-click unsubscribe is proved by its signed link instead (tests/web/test_subscriptions.py).
    posts = [
        r.path
        for r in app.routes
        if isinstance(r, Route) and "POST" in (r.methods or ()) and not r.path.startswith("/unsubscribe/")
    ]
    assert {"/login", "/logout", "/sources/crawl", "/digests/issue", "/users", "/api/crawls"} <= set(posts)
    for path in posts:
        for client in (viewer, operator, admin):
            response = client.post(path, data={"source": "osce_astana", "name": "weekly", "do": "add"},
                                   follow_redirects=False)  # fmt: skip
            assert response.status_code in (401, 403), (path, response.status_code)
            response = client.post(path, data={"csrf_token": "forged"}, follow_redirects=False)
            assert response.status_code in (401, 403), (path, response.status_code)
    assert not app.state.web.tasks.recent  # nothing was started


def test_an_operator_crawl_of_a_busy_source_says_who_holds_it(stored, as_role, settings: Settings) -> None:
    operator = as_role("operator")
    with Lease(Store.open(settings.database_url), ["crawl:osce_astana"]) as lease:
        token = csrf_of(operator.get("/sources").text)
        page = operator.post("/sources/crawl", data={"source": "osce_astana", "csrf_token": token})
        assert page.status_code == 409
        assert lease.holder in page.text
        assert f"crawling ({lease.holder})" in operator.get("/sources").text
        api = operator.post("/api/crawls", data={"source": "osce_astana"}, headers={"X-CSRF-Token": token})
        assert api.status_code == 409
        assert api.json()["holder"] == lease.holder and api.json()["lease"] == "crawl:osce_astana"


def test_api_tokens_authenticate_and_keep_roles(stored, settings: Settings, client: TestClient) -> None:
    from monitor.web.accounts import issue_token

    add_user(settings, "tool@example.org", "viewer")
    token = issue_token(Store.open(settings.database_url), "tool@example.org", datetime.now(UTC))
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/sources", headers=bearer).status_code == 200
    refused = client.post("/api/crawls", data={"source": "osce_astana"}, headers=bearer)
    assert refused.status_code == 403 and "operator" in refused.json()["error"]
    with Store.open(settings.database_url).engine.connect() as conn:  # only a hash is kept
        stored_tokens = [row[0] for row in conn.exec_driver_sql("SELECT token_hash FROM api_tokens")]
    assert token not in stored_tokens and len(stored_tokens[0]) == 64


def test_an_api_call_in_json_is_read_as_its_fields_and_a_bad_body_is_refused(
    stored, settings: Settings, client: TestClient
) -> None:
    from monitor.web.accounts import issue_token

    add_user(settings, "ops@example.org", "operator")
    token = issue_token(Store.open(settings.database_url), "ops@example.org", datetime.now(UTC))
    bearer = {"Authorization": f"Bearer {token}"}
    # a source it does not know: refused by name, not taken as a call for every source
    unknown = client.post("/api/crawls", json={"source": "no_such_source"}, headers=bearer)
    assert unknown.status_code == 400 and "no_such_source" in unknown.json()["error"]
    for empty in ({"json": {"source": ""}}, {"data": {"source": " "}}, {"json": {"sourse": "osce_astana"}}):
        refused = client.post("/api/crawls", headers=bearer, **empty)
        assert refused.status_code == 400 and "source" in refused.json()["error"], empty
    for body in (b"{not json", b'["osce_astana"]', b'{"source": 7}', b"\xff\xfe"):
        refused = client.post("/api/crawls", content=body, headers={**bearer, "Content-Type": "application/json"})
        assert refused.status_code == 400 and "JSON" in refused.json()["error"], body
    assert not client.app.state.web.tasks.recent  # nothing was started


def test_scraped_text_and_links_are_inert_everywhere(stored, as_role, app) -> None:
    operator = as_role("operator")
    run_id = issue_digest(operator, app)
    hostile = next(s for s in operator.get("/api/stories").json()["stories"] if "alert(1)" in s["title"])
    pages = ["/stories", f"/stories/{hostile['id']}", "/stories?q=court", "/sources", "/sources/osce_odihr",
             "/digests", f"/digests/{run_id}", f"/digests/{run_id}/email", "/status"]  # fmt: skip
    for path in pages:
        response = operator.get(path)
        assert response.status_code == 200, path
        html = response.text
        assert "<script" not in html.lower(), path
        assert "<img" not in html.lower(), path
        assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE), path
        for link in re.findall(r'href="([^"]+)"', html):
            assert link.startswith(("/", "http://", "https://", "#")), (path, link)
    story_page = operator.get(f"/stories/{hostile['id']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in story_page  # shown, as text
    assert "javascript:alert(2)" in story_page  # as text, not as a link
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in operator.get("/sources/osce_odihr").text
    assert "&lt;b&gt;bold&lt;/b&gt;" in operator.get("/sources/osce_odihr").text


def test_headers_cookies_and_the_email_preview_policy(stored, client: TestClient, settings: Settings) -> None:
    add_user(settings, "v@example.org", "viewer")
    login = client.get("/login")
    csp = login.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert login.headers["x-content-type-options"] == "nosniff"
    response = client.post(
        "/login", data={"email": "v@example.org", "password": PASSWORD, "csrf_token": csrf_of(login.text)},
        follow_redirects=False,
    )  # fmt: skip
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "monitor_session=" in cookie
    assert "secure" not in cookie  # plain HTTP on loopback; --https adds it
    secure_app = create_app(settings, secret="x" * 32, https=True)
    with TestClient(secure_app, base_url="https://testserver") as secure:
        secure_login = secure.get("/login")
        assert "secure" in secure_login.headers["set-cookie"].lower()
        assert "strict-transport-security" in secure_login.headers
    for name in ("/static/web.css",):
        assert client.get(name).status_code == 200


def test_sign_in_attempts_are_limited(settings: Settings, client: TestClient) -> None:
    add_user(settings, "target@example.org", "viewer")
    statuses = []
    for _ in range(7):
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login", data={"email": "target@example.org", "password": "wrong guess!", "csrf_token": token}
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [400] * 5 and statuses[5:] == [429, 429]
    token = csrf_of(client.get("/login").text)
    blocked = client.post("/login", data={"email": "target@example.org", "password": PASSWORD, "csrf_token": token})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0  # even the right password waits
    # Another account from the same address is not held back by the first one's failures.
    add_user(settings, "other@example.org", "viewer")
    sign_in(client, "other@example.org")


def test_the_account_limit_counts_an_e_mail_however_it_is_written(settings: Settings, client: TestClient) -> None:
    add_user(settings, "target@example.org", "viewer")
    variants = ("target@example.org", " target@example.org", "TARGET@example.org ", "\ttarget@example.org",
                "target@EXAMPLE.org  ")  # fmt: skip
    for email in variants:
        token = csrf_of(client.get("/login").text)
        wrong = client.post("/login", data={"email": email, "password": "wrong guess!", "csrf_token": token})
        assert wrong.status_code == 400
    token = csrf_of(client.get("/login").text)
    sixth = client.post("/login", data={"email": "  Target@Example.org", "password": "wrong", "csrf_token": token})
    assert sixth.status_code == 429  # one account: its five tries are spent


def test_asking_about_unknown_e_mails_costs_the_limiter_no_memory() -> None:
    from monitor.web.limits import LoginLimiter

    limiter = LoginLimiter(per_account=5, per_address=2)
    limiter.failed("192.0.2.1", "a@example.org")
    limiter.failed("192.0.2.1", "b@example.org")
    for number in range(1000):  # the address is held back; each refused attempt names a new e-mail
        assert limiter.retry_after("192.0.2.1", f"guess{number}@example.org") > 0
    assert len(limiter) == 3  # a@, b@ and the address: what failed, nothing that was only asked about
    limiter = LoginLimiter(window_s=0.0)  # every failure expired at once
    limiter.failed("192.0.2.1", "a@example.org")
    assert limiter.retry_after("192.0.2.1", "a@example.org") == 0
    assert len(limiter) == 0  # expired failures are forgotten too


def test_sign_in_refuses_wrong_passwords_and_foreign_redirects(settings: Settings, client: TestClient) -> None:
    add_user(settings, "v@example.org", "viewer")
    token = csrf_of(client.get("/login").text)
    wrong = client.post("/login", data={"email": "v@example.org", "password": "nope nope nope", "csrf_token": token})
    assert wrong.status_code == 400 and "Wrong e-mail or password" in wrong.text
    unknown = client.post("/login", data={"email": "who@example.org", "password": PASSWORD, "csrf_token": token})
    assert unknown.status_code == 400 and "Wrong e-mail or password" in unknown.text
    ok = client.post(
        "/login", data={"email": "v@example.org", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert ok.headers["location"] == "/stories"
    token = csrf_of(client.get("/stories").text)
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and client.get("/api/stories").status_code == 401


def test_admins_manage_users(stored, as_role, settings: Settings) -> None:
    admin = as_role("admin")
    token = csrf_of(admin.get("/users").text)
    added = admin.post("/users", data={"do": "add", "email": "New@Example.org", "role": "operator",
                                       "password": "long enough pw", "csrf_token": token})  # fmt: skip
    assert added.status_code == 200 and "new@example.org" in added.text
    short = admin.post("/users", data={"do": "add", "email": "x@example.org", "role": "viewer", "password": "short",
                                       "csrf_token": token})  # fmt: skip
    assert short.status_code == 400 and "at least 10" in short.text
    own = admin.post("/users", data={"do": "add", "email": " Admin0@Example.org", "role": "viewer",
                                     "password": "long enough pw", "csrf_token": token})  # fmt: skip
    assert own.status_code == 400 and admin.get("/users").status_code == 200  # still an admin, still signed in
    newcomer = sign_in(TestClient(admin.app), "new@example.org", "long enough pw")
    assert newcomer.get("/sources").status_code == 200
    user_id = re.search(r'name="user_id" value="(\d+)"', admin.get("/users").text)
    assert user_id
    removed = admin.post("/users", data={"do": "remove", "user_id": user_id.group(1), "csrf_token": token})
    assert removed.status_code == 200
    assert newcomer.get("/api/stories").status_code == 401  # a removed account's session ends


def test_a_removed_accounts_session_does_not_open_the_next_account(as_role, app, settings: Settings) -> None:
    admin = as_role("admin")
    leaver = as_role("viewer")  # the newest account: on SQLite its id goes to the next one made
    kept = leaver.cookies["monitor_session"]  # what the leaver's browser (or a thief) still holds
    token = csrf_of(admin.get("/users").text)
    leaver_id = re.findall(r'name="user_id" value="(\d+)"', admin.get("/users").text)[-1]
    assert admin.post("/users", data={"do": "remove", "user_id": leaver_id, "csrf_token": token}).status_code == 200
    added = admin.post("/users", data={"do": "add", "email": "new-admin@example.org", "role": "admin",
                                       "password": "long enough pw", "csrf_token": token})  # fmt: skip
    assert added.status_code == 200
    with TestClient(app, cookies={"monitor_session": kept}) as replayed:
        assert replayed.get("/users", follow_redirects=False).status_code == 303  # sent to sign in
        assert replayed.get("/api/stories").status_code == 401


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(as_role, settings: Settings) -> None:
    viewer = as_role("viewer")
    assert viewer.get("/api/stories").status_code == 200
    accounts.add_user(Store.open(settings.database_url), "viewer0@example.org", "viewer", "a new passphrase",
                      datetime.now(UTC))  # fmt: skip
    assert viewer.get("/api/stories").status_code == 401
    assert sign_in(viewer, "viewer0@example.org", "a new passphrase").get("/api/stories").status_code == 200


def test_a_period_count_stops_past_the_cap_and_paging_goes_on(stored, as_role, monkeypatch) -> None:
    from monitor.storage import story_list

    viewer = as_role("viewer")
    everything = viewer.get("/api/stories", params={"size": 100}).json()
    assert everything["total"] >= 4 and not everything["total_is_lower_bound"]
    monkeypatch.setattr(story_list, "COUNT_CAP", 2)
    capped = viewer.get("/api/stories", params={"since": "2000-01-01", "size": 2}).json()
    assert capped["total"] == 3 and capped["total_is_lower_bound"]
    page = viewer.get("/stories", params={"since": "2000-01-01", "size": 2})
    assert "More than 2 stories" in page.text and 'rel="next"' in page.text
    ids = [
        s["id"]
        for number in range(1, 4)
        for s in viewer.get("/api/stories", params={"since": "2000-01-01", "size": 2, "page": number}).json()["stories"]
    ]
    assert ids == [s["id"] for s in everything["stories"]][: len(ids)] and len(ids) == min(6, everything["total"])
