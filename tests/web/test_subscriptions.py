"""The Subscriptions page: each user subscribes their own address; admins anyone's and channels."""

from __future__ import annotations

from monitor.settings.config import Settings
from monitor.storage import subscribers
from monitor.storage.store import Store
from tests.web.conftest import csrf_of


def post(client, **form: object):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/subscriptions").text)
    return client.post("/subscriptions", data={"csrf_token": token, **form}, follow_redirects=False)


def test_a_viewer_subscribes_their_own_address_with_filters_and_searches(as_role, settings: Settings) -> None:
    viewer = as_role("viewer")
    page = viewer.get("/subscriptions")
    assert page.status_code == 200 and "No subscription yet" in page.text
    added = post(
        viewer, do="add", period="daily", topics=["gender_equality", "judicial/legal_aid"], countries="kyrgyzstan",
        languages="ru", searches="прокуратура\n  \nlegal aid", skip_empty="1",
    )  # fmt: skip
    assert added.status_code == 303, added.text
    (row,) = subscribers.listed(Store.open(settings.database_url))
    assert row.address == "viewer0@example.org" and row.origin == "web" and row.period == "daily"
    assert row.filters == {
        "topics": ["gender_equality", "judicial/legal_aid"], "countries": ["kyrgyzstan"], "languages": ["ru"],
        "searches": ["legal aid", "прокуратура"],
    }  # fmt: skip
    assert row.empty == "skip"
    assert "прокуратура" in viewer.get("/subscriptions").text

    refused = post(viewer, do="add", address="someone.else@example.org")
    assert refused.status_code == 400 and "your own address" in refused.text
    unknown = post(viewer, do="add", topics="astrology")
    assert unknown.status_code == 400 and "unknown topic" in unknown.text

    other = as_role("viewer")
    assert "viewer0@example.org" not in other.get("/subscriptions").text  # not theirs to see
    assert post(other, do="remove", id=row.id).status_code == 403
    assert post(viewer, do="unsubscribe", id=row.id).status_code == 303
    row = subscribers.find(Store.open(settings.database_url), row.id)
    assert row.unsubscribed_at is not None and row.unsubscribed_via == "web"
    assert post(viewer, do="remove", id=row.id).status_code == 303
    assert subscribers.listed(Store.open(settings.database_url)) == []


def test_an_admin_sees_everyones_and_subscribes_a_channel(as_role, settings: Settings) -> None:
    post(as_role("viewer"), do="add")
    admin = as_role("admin")
    assert post(admin, do="add", address="channel:rule-of-law", name="team", topics="judicial").status_code == 303
    page = admin.get("/subscriptions").text
    assert "viewer0@example.org" in page and "channel:rule-of-law" in page
    bad = post(admin, do="add", address="channel:not a name")
    assert bad.status_code == 400 and "not a channel name" in bad.text


def test_subscription_values_are_escaped(as_role) -> None:
    admin = as_role("admin")
    post(admin, do="add", name="<script>alert(1)</script>", searches="<b>court</b> & co")
    page = admin.get("/subscriptions").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>court</b>" not in page and "&lt;b&gt;court&lt;/b&gt; &amp; co" in page


def test_a_subscribers_own_issue_is_theirs_and_the_admins_to_see_not_other_viewers(as_role, settings: Settings) -> None:
    import re
    from datetime import UTC, datetime, timedelta

    from monitor.operations.jobs import digest_job
    from tests.sample_releases import RELEASES, store_releases

    store_releases(settings, RELEASES, datetime.now(UTC) - timedelta(days=2))
    alice, bob, admin = as_role("viewer"), as_role("viewer"), as_role("admin")
    assert post(alice, do="add", period="daily", searches="secret-project court\ncourt").status_code == 303
    digest_job(settings, [], datetime.now(UTC), dry_run=True, subscribers=True)  # her issue, made

    mine = alice.get("/digests").text
    (run_id,) = re.findall(r'href="/digests/(\d+)"', mine)
    assert "secret-project" in mine and alice.get(f"/digests/{run_id}").status_code == 200
    assert "secret-project" in admin.get("/digests").text and admin.get(f"/digests/{run_id}").status_code == 200
    assert "secret-project" not in bob.get("/digests").text  # another viewer: not listed, and not there at all
    for path in (f"/digests/{run_id}", f"/digests/{run_id}/email", f"/digests/{run_id}/pdf"):
        page = bob.get(path)
        assert page.status_code == 404 and "viewer0@example.org" not in page.text, path

    # nor on the status page, where her delivery waits, with an SMTP error that names her
    from sqlalchemy import update

    from monitor.storage.models import DeliveryRow

    with Store.open(settings.database_url).session() as session, session.begin():
        session.execute(update(DeliveryRow).values(error="RCPT TO: 452 mailbox of Viewer0@example.org is full"))
    assert "viewer0@example.org" not in bob.get("/status").text.lower()
    assert "mailbox of (a reader&#39;s address) is full" in bob.get("/status").text
    assert "Viewer0@example.org is full" in admin.get("/status").text
    assert "Viewer0@example.org is full" in alice.get("/status").text


def test_readers_of_one_filter_set_see_their_own_delivery_of_its_issue_not_each_others(
    as_role, settings: Settings
) -> None:
    import re
    from datetime import UTC, datetime, timedelta

    from monitor.operations.jobs import digest_job
    from tests.sample_releases import RELEASES, store_releases

    store_releases(settings, RELEASES, datetime.now(UTC) - timedelta(days=2))
    alice, carol, admin = as_role("viewer"), as_role("viewer"), as_role("admin")
    for reader in (alice, carol):  # the same filters, period and zone: one filter set, one issue
        assert post(reader, do="add", period="daily", searches="court").status_code == 303
    digest_job(settings, [], datetime.now(UTC), dry_run=True, subscribers=True)

    (run_id,) = re.findall(r'href="/digests/(\d+)"', alice.get("/digests").text)
    hers, theirs, all_of_them = (c.get(f"/digests/{run_id}").text for c in (alice, carol, admin))
    assert "viewer0@example.org" in hers and "viewer1@example.org" not in hers
    assert "viewer1@example.org" in theirs and "viewer0@example.org" not in theirs
    assert "viewer0@example.org" in all_of_them and "viewer1@example.org" in all_of_them
