"""Digest headlines and alerts in chat channels: Apprise's json://, form:// and mmost:// against a
real webhook receiver on 127.0.0.1, recorded in the delivery ledger like e-mail."""

from __future__ import annotations

import logging
import os
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from monitor.operations.jobs import digest_job
from monitor.records import RawRelease
from monitor.reporting import channels, ledger
from monitor.reporting.charts import timeline
from monitor.reporting.content import CountryGroup, Digest, DigestItem, DigestSection
from monitor.reporting.editions import Edition
from monitor.reporting.headlines import headlines
from monitor.settings.config import Settings, load_settings
from monitor.storage.engine import as_utc
from monitor.storage.models import DeliveryRow, DigestRunRow
from monitor.storage.store import Store
from tests.integration.crawling import cli_env
from tests.sample_releases import NOW, RELEASES, store_releases
from tests.smtp_server import SmtpServer, free_port
from tests.webhook_server import Post, WebhookReceiver

ISSUED = NOW + timedelta(days=7)  # the week after the releases were stored has ended
SUBJECT = "Justice and gender equality in Central Asia: 30 Mar – 5 Apr 2026"
HOSTILE = RawRelease(
    source="osce_odihr",
    url="https://odihr.osce.org/odihr/677777",
    native_id="677777",
    title="Judges @channel @here <!everyone> discuss <https://evil.example|legal aid> [reform](https://evil.example)\x07\u202e",
    text="In Bishkek, judges of the Supreme Court of Kyrgyzstan met defence lawyers to plan the reform of court procedure.",
    dates=[("meta", "2026-03-25")],
)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


def channel_settings(
    home: Path, environ: dict[str, str], recipients: list[str], admin: list[str] | None = None
) -> Settings:
    config = home.parent / "channels.toml"
    admin_line = f"admin = {admin!r}\n" if admin else ""
    config.write_text(
        f"[mail]\nsender = 'Press monitor <monitor@digest.example>'\n{admin_line}"
        f"[digests.weekly]\nperiod = 'weekly'\nrecipients = {recipients!r}\nempty = 'note'\n",
        encoding="utf-8",
    )
    return load_settings({**os.environ, **environ}, config_path=config)


def deliveries(settings: Settings) -> dict[str, DeliveryRow]:
    return {d.recipient: d for d in ledger.deliveries(Store.open(settings.database_url))}


def sending_in_a_child(home: Path, environ: dict[str, str]) -> subprocess.Popen[bytes]:
    """`digest_job(send=True)` in a process of its own, which a test may kill midway."""
    code = (
        "import sys; from datetime import datetime; from monitor.settings.config import load_settings; "
        "from monitor.operations.jobs import digest_job; "
        f"digest_job(load_settings(config_path=sys.argv[1]), ['weekly'], datetime.fromisoformat('{ISSUED.isoformat()}'), send=True)"
    )
    config = str(home.parent / "channels.toml")
    return subprocess.Popen([sys.executable, "-c", code, config], env={**os.environ, **environ})


SYLLABLES = "ka ra mo ti lu se na vo ri pe zu ba do ge hi ja ko le mi nu po ru sa te vi ya zo chi sha ne".split()


def distinct_releases(count: int) -> list[RawRelease]:
    """Releases on judicial reform in Kazakhstan that share no wording (invented words), so that
    each is a story of its own: an issue long enough to be sent in several parts."""
    rng = random.Random(count)
    releases = []
    for n in range(count):
        words = ["".join(rng.choices(SYLLABLES, k=3)) for _ in range(40)]
        court = "".join(rng.choices(SYLLABLES, k=3)).capitalize()
        filler = " ".join(" ".join(rng.sample(words, 12)).capitalize() + "." for _ in range(4))
        releases.append(
            RawRelease(
                source="osce_astana",
                url=f"https://astana.osce.org/news/court/{680000 + n}",
                native_id=str(680000 + n),
                title=f"Judges of the {court} court in Kazakhstan discussed judicial reform",
                text=f"Judges of the {court} city court in Astana discussed judicial reform. {filler}",
                dates=[("meta", (date(2026, 3, 1) + timedelta(days=n % 28)).isoformat())],
            )
        )
    return releases


def part_numbers(posts: list[Post]) -> list[str]:
    """Each post's part number, from its title (Mattermost: the first line of its text)."""
    found = [re.search(r"\((\d+/\d+)\)$", (post.title or post.message).splitlines()[0]) for post in posts]
    return [match.group(1) if match else "" for match in found]


def test_an_issue_arrives_once_in_each_channel_with_scraped_text_neutralised(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    environ = {
        "MONITOR_CHANNEL_TEAM": receiver.url("team"),
        # services whose markup is HTML and Markdown, and a form post
        "MONITOR_CHANNEL_HTML": receiver.url("html", format="html"),
        "MONITOR_CHANNEL_MD": receiver.url("md", format="markdown"),
        "MONITOR_CHANNEL_FORM": receiver.url("form", scheme="form"),
    }
    names = ["channel:team", "channel:html", "channel:md", "channel:form"]
    settings = channel_settings(monitor_home, environ, names)
    store_releases(settings, [*RELEASES, HOSTILE], NOW)

    result = digest_job(settings, ["weekly"], ISSUED, send=True)

    assert {d.recipient: d.status for d in result.deliveries} == dict.fromkeys(names, "sent")
    (post,) = receiver.to("/team")
    assert post.title == SUBJECT
    text = post.message
    assert "5 new stories, 30 Mar – 5 Apr 2026." in text
    assert "ОБСЕ поддержала обсуждение реформы пробации в Казахстане" in text
    assert "https://astana.osce.org/ru/node/663410" in text
    assert "  Kyrgyzstan · OSCE Office for Democratic Institutions and Human Rights · 25 Mar 2026\n" in text
    # scraped markup, mentions and links of its own arrive as inert text
    for hostile in ("<script>", "<img", "@channel", "@here", "<!everyone>", "<https://evil", "](https://evil", "\x07"):
        assert hostile not in text
    assert "‹script›alert(1)‹/script›" in text and "＠channel" in text and "[reform] (https://evil.example)" in text
    assert 'watch & "legal aid"' in text  # plain text stays plain for a plain-text service
    assert "\u202e" not in text
    # Apprise escapes the same text for each service's markup
    (html,) = receiver.to("/html")
    assert "watch&nbsp;&amp;&nbsp;&quot;legal&nbsp;aid&quot;" in html.message and "<script" not in html.message
    (markdown,) = receiver.to("/md")
    assert "\\[reform\\] \\(https://evil\\.example\\)" in markdown.message
    (form,) = receiver.to("/form")
    assert form.content_type.startswith("application/x-www-form-urlencoded")
    assert form.message == text

    # the next runs, the same week and a day later, post nothing again
    assert digest_job(settings, ["weekly"], ISSUED + timedelta(hours=1), send=True).deliveries == []
    assert digest_job(settings, ["weekly"], ISSUED + timedelta(days=1), send=True).deliveries == []
    assert len(receiver.posts) == 4
    assert {d.attempts for d in deliveries(settings).values()} == {1}


def test_a_channel_delivery_survives_its_receiver_being_down(
    monitor_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver = WebhookReceiver(free_port())  # not started: nothing listens on its port
    url = receiver.url("hooks/T0KEN-s3cr3t")  # webhook URLs carry their secret in the path
    settings = channel_settings(monitor_home, {"MONITOR_CHANNEL_TEAM": url}, ["channel:team"])
    store_releases(settings, RELEASES, NOW)

    (down,) = digest_job(settings, ["weekly"], ISSUED, send=True).deliveries
    assert down.status == "failed" and "Connection refused" in down.detail
    assert "T0KEN-s3cr3t" not in down.detail and "T0KEN-s3cr3t" not in caplog.text  # nor in the log
    row = deliveries(settings)["channel:team"]
    assert as_utc(row.next_attempt_at) == ISSUED + ledger.RETRY_BASE and row.attempts == 1

    receiver.start()
    try:
        too_soon = digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=5), send=True)
        assert too_soon.deliveries == [] and receiver.posts == []  # backoff not over yet
        (retry,) = digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=20), send=True).deliveries
        assert retry.status == "sent"
        assert digest_job(settings, ["weekly"], ISSUED + timedelta(hours=2), send=True).deliveries == []
        (post,) = receiver.posts
        assert post.title == SUBJECT
    finally:
        receiver.stop()
    row = deliveries(settings)["channel:team"]
    assert row.status == "sent" and row.attempts == 2 and row.error == ""


def test_a_crash_after_the_channel_took_the_message_never_posts_it_twice(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    settings = channel_settings(monitor_home, {"MONITOR_CHANNEL_TEAM": receiver.url("team")}, ["channel:team"])
    store_releases(settings, RELEASES, NOW)
    digest_job(settings, ["weekly"], ISSUED)  # issued and queued, not sent
    child = sending_in_a_child(monitor_home, {"MONITOR_CHANNEL_TEAM": receiver.url("team")})

    def crash() -> None:  # the channel has the message; the sender dies before it reads the answer
        child.kill()
        child.wait()

    receiver.on_post = crash
    child.wait(timeout=60)
    assert child.returncode == -9
    receiver.on_post = None
    assert deliveries(settings)["channel:team"].status == "sending"

    assert digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=20), send=True).deliveries == []
    row = deliveries(settings)["channel:team"]
    assert row.status == "unconfirmed" and len(receiver.posts) == 1
    # it goes again only when someone asks
    ledger.requeue(Store.open(settings.database_url), row.id)
    (again,) = digest_job(settings, ["weekly"], ISSUED + timedelta(days=1), send=True).deliveries
    assert again.status == "sent" and len(receiver.posts) == 2


def test_a_channel_without_its_variable_fails_naming_it_and_is_retried(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    settings = channel_settings(monitor_home, {}, ["channel:ops-kz"])  # no SMTP server either
    store_releases(settings, RELEASES, NOW)

    (missing,) = digest_job(settings, ["weekly"], ISSUED, send=True).deliveries
    assert missing.status == "failed" and "MONITOR_CHANNEL_OPS_KZ is not set" in missing.detail
    assert as_utc(deliveries(settings)["channel:ops-kz"].next_attempt_at) == ISSUED + ledger.RETRY_BASE

    configured = channel_settings(monitor_home, {"MONITOR_CHANNEL_OPS_KZ": receiver.url("ops")}, ["channel:ops-kz"])
    (later,) = digest_job(configured, ["weekly"], ISSUED + timedelta(minutes=20), send=True).deliveries
    assert later.status == "sent" and len(receiver.to("/ops")) == 1


def test_a_4xx_is_rejected_a_5xx_retried_and_a_lost_answer_unconfirmed(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    receiver.status = {"/gone": 404, "/busy": 503}
    receiver.delay = {"/slow": 3.0}
    environ = {
        "MONITOR_CHANNEL_GONE": receiver.url("gone"),
        "MONITOR_CHANNEL_BUSY": receiver.url("busy"),
        "MONITOR_CHANNEL_SLOW": receiver.url("slow", rto="1"),
    }
    settings = channel_settings(monitor_home, environ, ["channel:gone", "channel:busy", "channel:slow"])
    store_releases(settings, RELEASES, NOW)

    result = digest_job(settings, ["weekly"], ISSUED, send=True)

    assert {d.recipient: d.status for d in result.deliveries} == {
        "channel:gone": "rejected",
        "channel:busy": "failed",
        "channel:slow": "unconfirmed",
    }
    rows = deliveries(settings)
    assert "error=404" in rows["channel:gone"].error and rows["channel:gone"].next_attempt_at is None
    assert "error=503" in rows["channel:busy"].error and rows["channel:busy"].next_attempt_at is not None
    assert "Read timed out" in rows["channel:slow"].error and rows["channel:slow"].next_attempt_at is None
    # each receiver got the message once; only the 503 is tried again, after its backoff
    receiver.status, receiver.delay = {}, {}
    (retry,) = digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=20), send=True).deliveries
    assert (retry.recipient, retry.status) == ("channel:busy", "sent")
    assert Counter(post.path for post in receiver.posts) == {"/gone": 1, "/busy": 2, "/slow": 1}


def test_email_and_channel_deliveries_of_one_issue_go_out_side_by_side(
    monitor_home: Path, receiver: WebhookReceiver, smtp_server: SmtpServer
) -> None:
    environ = {**smtp_server.environ(), "MONITOR_CHANNEL_TEAM": receiver.url("team")}
    settings = channel_settings(monitor_home, environ, ["analyst@example.org", "channel:team"])
    store_releases(settings, RELEASES, NOW)

    result = digest_job(settings, ["weekly"], ISSUED, send=True)

    assert {d.recipient: d.status for d in result.deliveries} == {"analyst@example.org": "sent", "channel:team": "sent"}
    (message,) = smtp_server.recorder.to("analyst@example.org")
    assert message["Subject"] == SUBJECT
    (post,) = receiver.to("/team")
    assert post.title == SUBJECT
    assert digest_job(settings, ["weekly"], ISSUED + timedelta(hours=1), send=True).deliveries == []
    assert len(smtp_server.recorder.messages) == 1 and len(receiver.posts) == 1


def test_an_smtp_server_down_does_not_hold_up_a_channel_nor_a_channel_down_the_email(
    monitor_home: Path, receiver: WebhookReceiver, smtp_server: SmtpServer
) -> None:
    down_smtp = SmtpServer(free_port())  # not started
    environ = {
        **down_smtp.environ(),
        "MONITOR_CHANNEL_TEAM": receiver.url("team"),
        "MONITOR_CHANNEL_DOWN": f"json://127.0.0.1:{free_port()}/down",
    }
    settings = channel_settings(monitor_home, environ, ["analyst@example.org", "channel:team", "channel:down"])
    store_releases(settings, RELEASES, NOW)

    result = digest_job(settings, ["weekly"], ISSUED, send=True)

    assert {d.recipient: d.status for d in result.deliveries} == {
        "analyst@example.org": "failed",
        "channel:team": "sent",
        "channel:down": "failed",
    }
    assert len(receiver.to("/team")) == 1

    # with the SMTP server up, the e-mail goes on its retry; the channel down does not stop it
    up = channel_settings(
        monitor_home, {**environ, **smtp_server.environ()}, ["analyst@example.org", "channel:team", "channel:down"]
    )
    retry = digest_job(up, ["weekly"], ISSUED + timedelta(minutes=20), send=True)
    assert {d.recipient: d.status for d in retry.deliveries} == {
        "analyst@example.org": "sent",
        "channel:down": "failed",
    }
    assert len(smtp_server.recorder.messages) == 1 and len(receiver.to("/team")) == 1


def test_channel_deliveries_need_no_smtp_server(monitor_home: Path, receiver: WebhookReceiver) -> None:
    settings = channel_settings(monitor_home, {"MONITOR_CHANNEL_TEAM": receiver.url("team")}, ["channel:team"])
    store_releases(settings, RELEASES, NOW)
    assert settings.mail.smtp is None
    (sent,) = digest_job(settings, ["weekly"], ISSUED, send=True).deliveries
    assert sent.status == "sent" and len(receiver.posts) == 1


def test_dry_run_writes_the_channel_parts_as_text_beside_the_eml(monitor_home: Path) -> None:
    environ = {"MONITOR_CHANNEL_TEAM": f"json://127.0.0.1:{free_port()}/team"}
    settings = channel_settings(monitor_home, environ, ["analyst@example.org", "channel:team"])
    store_releases(settings, RELEASES, NOW)

    result = digest_job(settings, ["weekly"], ISSUED, dry_run=True)

    assert sorted(p.name for p in result.outbox) == [
        "weekly-1-analyst@example.org.eml",
        "weekly-1-channel_team.txt",
    ]
    text = next(p for p in result.outbox if p.suffix == ".txt").read_text(encoding="utf-8")
    assert text.startswith("--- part 1 of 1 ---\n" + SUBJECT)
    assert "ОБСЕ поддержала обсуждение реформы пробации в Казахстане" in text
    assert {d.status for d in deliveries(settings).values()} == {"pending"}  # the queue is untouched


def test_an_empty_issue_posts_a_short_note(monitor_home: Path, receiver: WebhookReceiver) -> None:
    settings = channel_settings(monitor_home, {"MONITOR_CHANNEL_TEAM": receiver.url("team")}, ["channel:team"])
    (sent,) = digest_job(settings, ["weekly"], ISSUED, send=True).deliveries
    assert sent.status == "sent"
    (post,) = receiver.posts
    assert post.title == f"{SUBJECT} (no new activity)"
    assert post.message == "No new stories on the tracked topics for 30 Mar – 5 Apr 2026."


def _long_edition(settings: Settings, stories: int) -> Edition:
    since, until = date(2026, 3, 30), date(2026, 4, 5)
    items = [
        DigestItem(
            id=n,
            title=f"Story {n:04d}: court reform & legal aid in the regions <{n}>",
            published=until,
            published_provenance="meta",
            first_seen=until,
            event_date=None,
            place=None,
            source="OSCE Programme Office in Astana",
            organisation="OSCE",
            summary="",
            url=f"https://astana.osce.org/news/{n}",
            lang="en",
            topics=("Judicial reform",),
            countries=("Kazakhstan",),
            organisations=(),
        )
        for n in range(stories)
    ]
    section = DigestSection("judicial", "Judicial reform", [CountryGroup("Kazakhstan", items)])
    digest = Digest("Weekly", since, until, ISSUED, [section], [], Counter(), timeline([], since, until))
    run = DigestRunRow(id=1, name="weekly", period_start=NOW, period_end=ISSUED, created_at=ISSUED, stories=stories)
    return Edition(settings.digest("weekly"), run, digest, None)


def test_a_long_issue_is_split_into_messages_under_the_limit_and_none_is_lost(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    settings = channel_settings(monitor_home, {"MONITOR_CHANNEL_TEAM": receiver.url("team")}, ["channel:team"])
    message = headlines(_long_edition(settings, 600))

    result = channels.send(settings, "team", message, lambda: None)

    assert result.status == "sent"
    posts = receiver.to("/team")
    _, plugin = channels.service(settings, "team")
    assert len(posts) >= 3 and result.detail.endswith(f"{len(posts)} message(s)")
    assert [post.title for post in posts] == [f"{SUBJECT} ({n}/{len(posts)})" for n in range(1, len(posts) + 1)]
    assert all(len(post.message) <= plugin.body_maxlen for post in posts)
    text = "\n".join(post.message for post in posts)
    found = [line for line in text.splitlines() if line.startswith("• Story ")]
    assert found == [f"• Story {n:04d}: court reform & legal aid in the regions ‹{n}›" for n in range(600)]
    assert all(post.message.split("\n")[-1].startswith("  https://") for post in posts)  # no story cut in two


def test_a_split_message_broken_off_midway_resumes_at_the_first_part_not_taken(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    settings = channel_settings(monitor_home, {"MONITOR_CHANNEL_TEAM": receiver.url("team")}, ["channel:team"])
    message = headlines(_long_edition(settings, 600))
    receiver.fail_after["/team"] = 1  # the first part is taken, then the service fails
    taken: list[channels.Progress] = []

    result = channels.send(settings, "team", message, lambda: None, on_taken=taken.append)

    assert result.status == "failed"  # tried again later, from part 2
    assert "part 1 of 4 posted, part 2 failed" in result.detail and "error=503" in result.detail
    assert len(receiver.posts) == 2 and [p.sent for p in taken] == [1]  # nothing after the part that failed
    preview = channels.preview(settings, "team", message, taken[-1])  # what a dry run shows now
    assert "--- part 1 of 4 (posted already: not sent again) ---" in preview and "--- part 2 of 4 ---" in preview

    receiver.fail_after = {}
    resumed = channels.send(settings, "team", message, lambda: None, taken[-1], taken.append)
    assert resumed.status == "sent" and resumed.detail.endswith("4 message(s), resumed at part 2")
    assert part_numbers(receiver.accepted) == ["1/4", "2/4", "3/4", "4/4"]
    assert [p.sent for p in taken] == [1, 2, 3, 4]

    # every part taken, only the outcome lost: nothing is posted again
    done = channels.send(settings, "team", message, lambda: None, taken[-1])
    assert done.status == "sent" and len(receiver.posts) == 5
    # parts taken that no longer begin the message (another text, so another split) skip nothing
    shorter = channels.send(settings, "team", headlines(_long_edition(settings, 300)), lambda: None, taken[1])
    assert shorter.status == "sent" and "sent whole again" in shorter.detail
    assert part_numbers(receiver.posts[5:]) == ["1/2", "2/2"]


def test_a_delivery_in_parts_retried_after_a_failure_posts_each_part_once(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    environ = {"MONITOR_CHANNEL_TEAM": receiver.url("team", scheme="mmost")}  # 4,000 characters a message
    settings = channel_settings(monitor_home, environ, ["channel:team"])
    store_releases(settings, distinct_releases(60), NOW)
    receiver.fail_after["/hooks/team"] = 1  # it takes part 1 and fails part 2

    (broken,) = digest_job(settings, ["weekly"], ISSUED, send=True).deliveries

    found = re.search(r"part 1 of (\d+) posted, part 2 failed: .*error=503", broken.detail)
    assert broken.status == "failed" and found, broken.detail
    parts = int(found.group(1))
    assert parts >= 3 and len(receiver.posts) == 2 and part_numbers(receiver.accepted) == [f"1/{parts}"]
    row = deliveries(settings)["channel:team"]
    assert row.parts_sent == 1 and as_utc(row.next_attempt_at) == ISSUED + ledger.RETRY_BASE

    receiver.fail_after = {}  # the service is up again
    (retry,) = digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=20), send=True).deliveries
    assert retry.status == "sent" and retry.detail.endswith(f"{parts} message(s), resumed at part 2")
    assert digest_job(settings, ["weekly"], ISSUED + timedelta(hours=2), send=True).deliveries == []

    assert part_numbers(receiver.accepted) == [f"{n}/{parts}" for n in range(1, parts + 1)]
    stories = [line for post in receiver.accepted for line in post.message.splitlines() if line.startswith("• ")]
    (run,) = ledger.runs(Store.open(settings.database_url))
    assert len(stories) == len(set(stories)) == run.stories  # every story once
    row = deliveries(settings)["channel:team"]
    assert (row.status, row.parts_sent, row.attempts) == ("sent", parts, 2)


def test_a_crash_midway_through_the_parts_repeats_at_most_the_part_in_flight(
    monitor_home: Path, receiver: WebhookReceiver
) -> None:
    environ = {"MONITOR_CHANNEL_TEAM": receiver.url("team", scheme="mmost")}
    settings = channel_settings(monitor_home, environ, ["channel:team"])
    store_releases(settings, distinct_releases(60), NOW)
    digest_job(settings, ["weekly"], ISSUED)  # issued and queued, not sent
    child = sending_in_a_child(monitor_home, environ)

    def crash() -> None:  # part 2 has arrived; the sender dies before it reads the answer
        if len(receiver.posts) == 2:
            child.kill()
            child.wait()

    receiver.on_post = crash
    child.wait(timeout=60)
    assert child.returncode == -9
    receiver.on_post = None
    row = deliveries(settings)["channel:team"]
    assert (row.status, row.parts_sent) == ("sending", 1)

    assert digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=20), send=True).deliveries == []
    row = deliveries(settings)["channel:team"]
    assert row.status == "unconfirmed" and len(receiver.posts) == 2
    ledger.requeue(Store.open(settings.database_url), row.id)  # someone looked, and asks for the rest
    (again,) = digest_job(settings, ["weekly"], ISSUED + timedelta(days=1), send=True).deliveries
    assert again.status == "sent" and "resumed at part 2" in again.detail
    numbers = part_numbers(receiver.posts)
    parts = int(numbers[0].split("/")[1])
    assert numbers == [f"1/{parts}", f"2/{parts}", *(f"{n}/{parts}" for n in range(2, parts + 1))]


def test_alerts_reach_a_channel_once_when_opened_and_once_when_recovered(
    monitor_home: Path, receiver: WebhookReceiver, smtp_server: SmtpServer
) -> None:
    receiver.status = {"/team": 404}  # the digest's channel refuses: a delivery incident
    environ = {
        **smtp_server.environ(),
        "MONITOR_CHANNEL_TEAM": receiver.url("team"),
        "MONITOR_CHANNEL_OPS": receiver.url("ops"),
    }
    settings = channel_settings(monitor_home, environ, ["channel:team"], admin=["admin@example.org", "channel:ops"])
    store_releases(settings, RELEASES, NOW)

    digest_job(settings, ["weekly"], ISSUED, send=True)
    opened = ["[monitor] FAILING: delivery:channel:team", "[monitor] FAILING: job:digest:weekly"]
    assert sorted(post.title for post in receiver.to("/ops")) == opened
    assert sorted(str(m["Subject"]) for m in smtp_server.recorder.to("admin@example.org")) == opened
    refused = next(post for post in receiver.to("/ops") if "delivery" in post.title)
    assert "channel:team" in refused.message and "error=404" in refused.message

    # a run with nothing to send ends well: the job recovers, the refused delivery is still open
    digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=1), send=True)
    assert [post.title for post in receiver.to("/ops")][2:] == ["[monitor] RECOVERED: job:digest:weekly"]

    # the channel is fixed and the delivery queued again by hand: it recovers, once
    receiver.status = {}
    store = Store.open(settings.database_url)
    (row,) = ledger.deliveries(store, ["rejected"])
    ledger.requeue(store, row.id)
    digest_job(settings, ["weekly"], ISSUED + timedelta(hours=1), send=True)
    digest_job(settings, ["weekly"], ISSUED + timedelta(hours=2), send=True)

    titles = [post.title for post in receiver.to("/ops")]
    assert titles[3:] == ["[monitor] RECOVERED: delivery:channel:team"]
    assert Counter(str(m["Subject"]) for m in smtp_server.recorder.to("admin@example.org")) == Counter(titles)


def test_a_verbose_run_never_logs_the_webhook_secret(tmp_path: Path, receiver: WebhookReceiver) -> None:
    home = tmp_path / "home"
    config = tmp_path / "channel.toml"
    config.write_text("[digests.weekly]\nperiod = 'weekly'\nrecipients = ['channel:team']\nempty = 'note'\n")
    environ = {**cli_env(home, config), "MONITOR_CHANNEL_TEAM": receiver.url("hooks/T0KEN-s3cr3t")}
    run = subprocess.run(
        [sys.executable, "-m", "monitor", "-v", "digest", "weekly", "--send"],
        env=environ, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert [post.path for post in receiver.posts] == ["/hooks/T0KEN-s3cr3t"]  # the request did go out
    assert "T0KEN-s3cr3t" not in run.stderr and "T0KEN-s3cr3t" not in run.stdout
    assert "channel:team (JSON): 1 message(s)" in run.stdout
