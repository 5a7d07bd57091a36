"""Requests past what the web view reads (ids no row can have, NUL characters, bodies of
megabytes) are refused with a 4xx on either database, never answered by a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2

from monitor.web.inputs import MAX_BODY
from tests.web.conftest import PASSWORD, Served, add_user, csrf_of
from tests.web.test_pages import digest_settings, issue_digest, settings, stored  # noqa: F401 (fixtures)

TOO_BIG = "9" * 25  # past SQLite's 64-bit integers and PostgreSQL's 32-bit keys alike
PAST_INT32 = str(2**31)


def test_ids_no_row_can_have_are_not_found(stored, as_role, app) -> None:  # noqa: F811
    operator = as_role("operator")
    run_id = issue_digest(operator, app)
    for number in (TOO_BIG, PAST_INT32, "0"):
        for path in (f"/stories/{number}", f"/api/stories/{number}", f"/digests/{number}",
                     f"/digests/{number}/email", f"/digests/{number}/pdf"):  # fmt: skip
            assert operator.get(path).status_code == 404, path
    assert operator.get(f"/digests/{run_id}").status_code == 200

    admin = as_role("admin")
    token = csrf_of(admin.get("/users").text)
    for number in (TOO_BIG, PAST_INT32, "-1", "x"):
        for change in ({"do": "role", "role": "viewer"}, {"do": "remove"}):
            response = admin.post("/users", data={**change, "user_id": number, "csrf_token": token})
            assert response.status_code == 400, (number, change)
        response = admin.post("/subscriptions", data={"do": "remove", "id": number, "csrf_token": token})
        assert response.status_code == 400, number


def test_nul_characters_are_refused(stored, as_role, client) -> None:  # noqa: F811
    viewer = as_role("viewer")
    for query in ("topic=a%00b", "source=%00", "lang=%00", "q=court%00", "country=%00&page=2"):
        assert viewer.get(f"/stories?{query}").status_code == 400, query
        api = viewer.get(f"/api/stories?{query}")
        assert api.status_code == 400 and "NUL" in api.json()["error"], query
    token = csrf_of(viewer.get("/subscriptions").text)
    named = viewer.post("/subscriptions", data={"do": "add", "name": "mine\x00", "csrf_token": token})
    assert named.status_code == 400
    assert "mine" not in viewer.get("/subscriptions").text
    admin = as_role("admin")
    token = csrf_of(admin.get("/users").text)
    added = admin.post("/users", data={"do": "add", "email": "n\x00@example.org", "role": "viewer",
                                       "password": "long enough pw", "csrf_token": token})  # fmt: skip
    assert added.status_code == 400
    token = csrf_of(client.get("/login").text)  # nobody signed in
    login = client.post("/login", data={"email": "n\x00@example.org", "password": PASSWORD, "csrf_token": token})
    assert login.status_code == 400


def test_bodies_past_the_limit_are_refused_before_they_are_read(settings, served: Served) -> None:  # noqa: F811
    add_user(settings, "v@example.org", "viewer")
    with httpx2.Client(base_url=served.url) as http:
        token = csrf_of(http.get("/login").text)
        fields = {f"f{number}": "x" * 1000 for number in range(MAX_BODY // 1000 + 1)}  # many fields, each small
        big = http.post("/login", data={**fields, "email": "v@example.org", "password": PASSWORD, "csrf_token": token})
        assert big.status_code == 413

        def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it arrives
            yield f"csrf_token={token}&email=v%40example.org&password=x&pad=".encode()
            for _ in range(MAX_BODY // 4096 + 2):
                yield b"x" * 4096

        streamed = http.post("/login", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert streamed.status_code == 413
        assert http.post("/api/crawls", content=b"x" * (MAX_BODY + 1)).status_code == 413
        signed_in = http.post("/login", data={"email": "v@example.org", "password": PASSWORD, "csrf_token": token})
        assert signed_in.status_code == 303  # a form of ordinary size signs in as ever
