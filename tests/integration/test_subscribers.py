"""Subscribers: each their own issue of the stories matching their filters and saved searches,
one PDF per distinct filter set, one message each, and an unsubscribe that stops the next issue."""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.operations.jobs import digest_job
from monitor.reporting import ledger
from monitor.reporting.editions import Edition
from monitor.settings.config import Settings, load_settings
from monitor.settings.subscribers import SubscriberSpec
from monitor.storage import subscribers
from monitor.storage.store import Store
from monitor.web.app import create_app
from tests.sample_releases import NOW, RELEASES, store_releases
from tests.smtp_server import SmtpServer

ISSUED = NOW + timedelta(days=7)  # the week of the stored releases has ended
GENDER = {"topics": ("gender_equality",)}


def configured(home: Path, environ: dict[str, str] | None = None, extra: str = "") -> Settings:
    config = home.parent / "subscribers.toml"
    config.write_text(f"[mail]\nsender = 'Press monitor <monitor@digest.example>'\n{extra}", encoding="utf-8")
    return load_settings({**os.environ, **(environ or {})}, config_path=config)


def subscribe(settings: Settings, name: str, address: str, **filters: tuple[str, ...]) -> int:
    empty = "skip" if filters.pop("skip", ()) else "note"
    spec = SubscriberSpec(name, address, filters={k: tuple(v) for k, v in filters.items()}, empty=empty)
    return subscribers.add(Store.open(settings.database_url), spec, "cli", NOW).id


def recipients(settings: Settings, edition: Edition) -> list[str]:
    return sorted(
        d.recipient for d in ledger.deliveries(Store.open(settings.database_url)) if d.run_id == edition.run.id
    )


def issued(settings: Settings, editions: list[tuple[Edition, bool]]) -> dict[str, list[str]]:
    """Each issue's recipients (joined) -> the titles it carries."""
    found = {}
    for edition, _ in editions:
        items = [item.title for section in edition.digest.sections for item in section.items]
        found[",".join(recipients(settings, edition)) or edition.definition.name] = sorted(items)
    return found


def test_filters_and_saved_searches_in_three_languages_select_each_subscribers_stories(monitor_home: Path) -> None:
    settings = configured(monitor_home)
    store_releases(settings, RELEASES, NOW)
    subscribe(settings, "gender", "gender@example.org", **GENDER)
    subscribe(settings, "probation-ru", "ru@example.org", searches=("пробация",))  # finds "пробации"
    subscribe(settings, "kazakh", "kk@example.org", languages=("kk",))
    subscribe(settings, "odihr", "odihr@example.org", sources=("osce_odihr",), topics=("judicial/legal_aid",))
    subscribe(settings, "kyrgyz", "kg@example.org", countries=("kyrgyzstan",), skip=("yes",))
    subscribe(settings, "kk-search", "search-kk@example.org", searches=("судьялар",))  # Kazakh plural form

    result = digest_job(settings, [], ISSUED, subscribers=True)
    got = issued(settings, result.editions)
    assert got["gender@example.org"] == [
        "OSCE supports training for Kazakhstan police on domestic violence",
        "ЕҚЫҰ әйел судьяларға арналған тәлімгерлік бағдарламасын қолдады",
    ]
    assert got["ru@example.org"] == ["ОБСЕ поддержала обсуждение реформы пробации в Казахстане"]
    assert (
        got["kk@example.org"]
        == got["search-kk@example.org"]
        == ["ЕҚЫҰ әйел судьяларға арналған тәлімгерлік бағдарламасын қолдады"]
    )
    assert got["odihr@example.org"] == [
        'Court <img src="file:///etc/passwd"> watch & "legal aid" <script>alert(1)</script>'
    ]
    # nothing for Kyrgyzstan, and that subscriber chose to get nothing then; no one gets the energy workshop
    empty = [e for e, _ in result.editions if not e.digest.total]
    assert len(empty) == 1 and recipients(settings, empty[0]) == [] and empty[0].pdf is None
    assert not any("energy" in title for titles in got.values() for title in titles)
    assert not result.problems


def test_two_subscribers_with_the_same_filters_share_one_pdf_and_get_one_message_each(
    monitor_home: Path, smtp_server: SmtpServer
) -> None:
    settings = configured(monitor_home, smtp_server.environ())
    store_releases(settings, RELEASES, NOW)
    for name in ("a", "b"):
        subscribe(settings, name, f"{name}@example.org", **GENDER)
    subscribe(settings, "c", "c@example.org", languages=("ru",))

    result = digest_job(settings, [], ISSUED, send=True, subscribers=True)
    assert len(result.editions) == 2  # two filter sets, two PDFs
    pdfs = {e.definition.name: e.pdf for e, _ in result.editions}
    assert len(set(pdfs.values())) == 2 and all(p and p.is_file() for p in pdfs.values())
    received = smtp_server.recorder
    assert sorted(r for rcpts, _ in received.messages for r in rcpts) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    (a,), (b,) = received.to("a@example.org"), received.to("b@example.org")
    assert next(a.iter_attachments()).get_content() == next(b.iter_attachments()).get_content()
    assert a["Subject"].startswith("Weekly digest: Gender equality")
    # each message has its own one-click unsubscribe link, in the headers and in the body
    assert a["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link_a, link_b = (m["List-Unsubscribe"].strip().strip("<>") for m in (a, b))
    assert link_a != link_b and link_a.startswith(f"{settings.public_url}/unsubscribe/")
    assert link_a in a.get_body(("plain",)).get_content()

    again = digest_job(settings, [], ISSUED + timedelta(hours=3), send=True, subscribers=True)
    assert again.deliveries == [] and len(received.messages) == 3  # nothing twice


def test_a_line_break_in_a_saved_search_stays_in_the_subject_and_adds_no_header(
    monitor_home: Path, smtp_server: SmtpServer
) -> None:
    settings = configured(monitor_home, smtp_server.environ())
    store_releases(settings, RELEASES, NOW)
    subscribe(settings, "odd", "odd@example.org", searches=("legal aid\r\nBcc: someone@elsewhere.example",))
    subscribe(settings, "gender", "gender@example.org", **GENDER)

    digest_job(settings, [], ISSUED, send=True, subscribers=True)

    (odd,) = smtp_server.recorder.to("odd@example.org")
    assert "Bcc" not in odd and "\n" not in odd["Subject"] and "“legal aid Bcc: someone" in odd["Subject"]
    assert [r for rcpts, _ in smtp_server.recorder.messages for r in rcpts] == ["gender@example.org", "odd@example.org"]


def test_a_new_story_lands_in_the_next_issue_of_each_matching_subscriber_and_no_other(monitor_home: Path) -> None:
    settings = configured(monitor_home)
    store_releases(settings, RELEASES, NOW)
    subscribe(settings, "gender", "gender@example.org", **GENDER)
    subscribe(settings, "kyrgyz", "kg@example.org", countries=("kyrgyzstan",))
    subscribe(settings, "russian", "ru@example.org", languages=("ru",))
    first = issued(settings, digest_job(settings, [], ISSUED, subscribers=True).editions)
    assert first["kg@example.org"] == [] and len(first["gender@example.org"]) == 2

    new = dataclasses.replace(
        RELEASES[0],
        url="https://bishkek.osce.org/news/x/700001",
        native_id="700001",
        title="Women's shelters in Bishkek get OSCE support against domestic violence",
        text="Shelters for survivors of domestic violence in Bishkek, Kyrgyzstan, received OSCE support for gender equality.",
        dates=[("meta", "2026-04-09")],
    )
    store_releases(settings, [new], NOW + timedelta(days=8))
    second = issued(settings, digest_job(settings, [], NOW + timedelta(days=14), subscribers=True).editions)
    assert second["gender@example.org"] == second["kg@example.org"] == [new.title]
    assert second["ru@example.org"] == []  # an empty week: the short note only


def test_an_unsubscribe_link_stops_the_next_issue_and_is_recorded(monitor_home: Path) -> None:
    settings = configured(monitor_home)
    store_releases(settings, RELEASES, NOW)
    stays, leaves = (subscribe(settings, n, f"{n}@example.org", **GENDER) for n in ("stays", "leaves"))
    digest_job(settings, [], ISSUED, dry_run=True, subscribers=True)
    store = Store.open(settings.database_url)
    (delivery,) = [d for d in ledger.deliveries(store) if d.subscriber_id == leaves]
    from monitor.reporting.unsubscribe import unsubscribe_url

    link = unsubscribe_url(settings, leaves).removeprefix(settings.public_url)
    with TestClient(create_app(settings)) as browser:
        page = browser.get(link)  # a link checker or a preview must not unsubscribe anyone
        assert page.status_code == 200 and "Unsubscribe?" in page.text
        assert subscribers.find(store, leaves).unsubscribed_at is None
        done = browser.post(link, content=b"List-Unsubscribe=One-Click",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert done.status_code == 200 and "Unsubscribed" in done.text
        assert browser.post(link[:-3] + "abc").status_code == 404  # a forged link
        assert browser.post("/unsubscribe/" + link.rsplit("/", 1)[1].replace(".", "x.", 1)).status_code == 404
    row = subscribers.find(store, leaves)
    assert row.unsubscribed_at is not None and row.unsubscribed_via == "link"
    withdrawn = next(d for d in ledger.deliveries(store) if d.id == delivery.id)
    assert (delivery.status, withdrawn.status) == ("pending", "withdrawn")  # made, not yet sent: not sent
    assert "unsubscribed (link)" in withdrawn.error and delivery.id not in {d.id for d in ledger.due(store, ISSUED)}

    later = digest_job(settings, [], NOW + timedelta(days=14), subscribers=True)
    assert {r for e, _ in later.editions for r in recipients(settings, e)} == {"stays@example.org"}
    assert stays != leaves


def test_a_removed_subscribers_delivery_waiting_for_a_retry_is_not_sent(monitor_home: Path) -> None:
    settings = configured(monitor_home)
    store = store_releases(settings, RELEASES, NOW)
    stays, leaves = (subscribe(settings, n, f"{n}@example.org", **GENDER) for n in ("stays", "leaves"))
    digest_job(settings, [], ISSUED, dry_run=True, subscribers=True)  # issued; nothing sent yet
    subscribers.remove(store, leaves)
    assert {d.recipient for d in ledger.due(store, ISSUED)} == {"stays@example.org"}
    (gone,) = [d for d in ledger.deliveries(store) if d.recipient == "leaves@example.org"]
    assert gone.status == "withdrawn" and gone.subscriber_id is None and stays


def test_the_configs_subscribers_and_digest_recipients_follow_the_file_and_keep_unsubscribes(
    monitor_home: Path,
) -> None:
    extra = (
        "[digests.weekly]\nrecipients = ['team@example.org']\n"
        "[subscribers.kz-gender]\naddress = 'kz@example.org'\ntopics = ['gender_equality']\ncountries = ['Kazakhstan']\n"
    )
    settings = configured(monitor_home, extra=extra)
    store_releases(settings, RELEASES, NOW)
    result = digest_job(settings, ["weekly"], ISSUED, subscribers=True)
    got = issued(settings, result.editions)
    assert got["kz@example.org"] == ["OSCE supports training for Kazakhstan police on domestic violence"]
    assert "team@example.org" in got
    store = Store.open(settings.database_url)
    team = subscribers.find(store, "weekly/team@example.org")
    assert team.origin == "config" and team.follows == "weekly"
    assert all(d.subscriber_id for d in ledger.deliveries(store))  # each can unsubscribe

    subscribers.unsubscribe(store, team.id, "link", NOW)
    settings = configured(monitor_home, extra=extra.replace("kz@example.org", "kz2@example.org"))
    later = digest_job(settings, ["weekly"], NOW + timedelta(days=14), subscribers=True)
    got = {r for e, _ in later.editions for r in recipients(settings, e)}
    assert got == {"kz2@example.org"}  # the file's change followed; the unsubscribe kept
    settings = configured(monitor_home)
    digest_job(settings, [], NOW + timedelta(days=21), subscribers=True)
    assert subscribers.listed(store) == []  # gone from the file, gone from the list


def test_a_subscriber_whose_filter_no_longer_exists_does_not_stop_the_others(monitor_home: Path) -> None:
    settings = configured(monitor_home)
    store_releases(settings, RELEASES, NOW)
    subscribe(settings, "old", "old@example.org", topics=("retired_topic",))  # the taxonomy dropped it
    subscribe(settings, "gender", "gender@example.org", **GENDER)
    result = digest_job(settings, [], ISSUED, subscribers=True)
    assert list(issued(settings, result.editions)) == ["gender@example.org"]
    assert len(result.problems) == 1 and "retired_topic" in result.problems[0]


@pytest.mark.parametrize("address", ["not an address", "channel:has space", "x@"])
def test_a_bad_address_is_refused_with_its_value(monitor_home: Path, address: str) -> None:
    from monitor.settings.definitions import DefinitionError
    from monitor.settings.subscribers import subscriber_spec

    with pytest.raises(DefinitionError, match=r"not an e-mail address|not a channel name"):
        subscriber_spec("x", {"address": address}, {})
