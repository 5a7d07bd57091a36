"""Digest issues and their e-mail, against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import text

from monitor.cli.main import main
from monitor.operations.jobs import digest_job
from monitor.reporting import ledger
from monitor.settings.config import ConfigError, Settings, load_settings
from monitor.storage.engine import as_utc
from monitor.storage.store import Store
from tests.sample_releases import NOW, RELEASES, store_releases
from tests.smtp_server import SmtpServer, free_port

ISSUED = NOW + timedelta(days=7)  # the week after the releases were stored has ended
RECIPIENTS = ["analyst@example.org", "director@example.org"]


def mail_settings(
    home: Path, environ: dict[str, str], recipients: list[str] = RECIPIENTS, empty: str = "note"
) -> Settings:
    config = home.parent / "mail.toml"
    config.write_text(
        "[mail]\nsender = 'Press monitor <monitor@digest.example>'\n"
        f"[digests.weekly]\nperiod = 'weekly'\nrecipients = {recipients!r}\nempty = '{empty}'\n",
        encoding="utf-8",
    )
    return load_settings({**os.environ, **environ}, config_path=config)


def pdf_titles(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def statuses(settings: Settings) -> dict[str, str]:
    return {d.recipient: d.status for d in ledger.deliveries(Store.open(settings.database_url))}


def test_send_delivers_one_message_per_recipient_with_the_pdf_and_then_nothing(
    monitor_home: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = mail_settings(monitor_home, smtp_server.environ())
    store_releases(settings, RELEASES, NOW)
    for key, value in smtp_server.environ().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr("monitor.cli.digest.datetime", type("Clock", (), {"now": staticmethod(lambda tz=None: ISSUED)}))

    assert main(["--config", str(monitor_home.parent / "mail.toml"), "digest", "--send"]) == 0
    out = capsys.readouterr().out
    assert "weekly" in out and "sent" in out

    received = smtp_server.recorder
    assert sorted(r for rcpts, _ in received.messages for r in rcpts) == RECIPIENTS
    (run,) = ledger.runs(Store.open(settings.database_url))
    pdf_on_disk = Path(run.pdf_path).read_bytes()
    for recipient in RECIPIENTS:
        (message,) = received.to(recipient)
        assert message["Subject"] == "Justice and gender equality in Central Asia: 30 Mar – 5 Apr 2026"
        assert message["From"] == "Press monitor <monitor@digest.example>"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "ОБСЕ поддержала обсуждение реформы пробации в Казахстане" in text
        # a scraped title with markup arrives as text in the HTML body, never as markup
        assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html and "<script>" not in html
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == Path(run.pdf_path).name
        data = attachment.get_content()
        assert data == pdf_on_disk
        assert "ЕҚЫҰ әйел судьяларға арналған тәлімгерлік бағдарламасын қолдады" in pdf_titles(data)
    deliveries = {d.recipient: d for d in ledger.deliveries(Store.open(settings.database_url))}
    assert {r: d.status for r, d in deliveries.items()} == dict.fromkeys(RECIPIENTS, "sent")
    assert {d.message_id for d in deliveries.values()} == {m["Message-ID"] for _, m in received.messages}

    # again, the same day and a day later: the same issue, nothing new to anyone
    assert main(["--config", str(monitor_home.parent / "mail.toml"), "digest", "--send"]) == 0
    assert "nothing to send" in capsys.readouterr().out
    later = digest_job(settings, ["weekly"], ISSUED + timedelta(days=1), send=True)
    assert later.deliveries == [] and not later.editions[0][1]
    assert len(received.messages) == 2


def test_a_550_for_one_recipient_leaves_the_others_delivered(monitor_home: Path, smtp_server: SmtpServer) -> None:
    recipients = ["analyst@example.org", "gone@example.org", "director@example.org"]
    settings = mail_settings(monitor_home, smtp_server.environ(), recipients)
    smtp_server.recorder.refuse["gone@example.org"] = "550 5.1.1 <gone@example.org>: mailbox unavailable"
    store_releases(settings, RELEASES, NOW)

    result = digest_job(settings, ["weekly"], ISSUED, send=True)

    assert [d.recipient for d in result.failed] == ["gone@example.org"]
    assert statuses(settings) == {
        "analyst@example.org": "sent",
        "gone@example.org": "rejected",
        "director@example.org": "sent",
    }
    (gone,) = ledger.deliveries(Store.open(settings.database_url), ["rejected"])
    assert "550" in gone.error and gone.next_attempt_at is None  # permanent: not retried by itself
    assert len(smtp_server.recorder.messages) == 2
    # a later run retries nothing for the refused address
    assert digest_job(settings, ["weekly"], ISSUED + timedelta(hours=1), send=True).deliveries == []


def test_a_message_the_server_refuses_after_its_data_is_not_recorded_as_sent(
    monitor_home: Path, smtp_server: SmtpServer
) -> None:
    recipients = ["big@example.org", "later@example.org", "analyst@example.org"]
    settings = mail_settings(monitor_home, smtp_server.environ(), recipients)
    smtp_server.recorder.refuse_data["big@example.org"] = "552 5.3.4 Message size exceeds fixed limit"
    smtp_server.recorder.refuse_data["later@example.org"] = "451 4.3.0 Temporary failure, try again"
    store_releases(settings, RELEASES, NOW)

    digest_job(settings, ["weekly"], ISSUED, send=True)

    assert statuses(settings) == {
        "big@example.org": "rejected",
        "later@example.org": "failed",
        "analyst@example.org": "sent",
    }
    (later,) = ledger.deliveries(Store.open(settings.database_url), ["failed"])
    assert "451" in later.error and later.next_attempt_at is not None  # tried again later
    del smtp_server.recorder.refuse_data["later@example.org"]
    retried = digest_job(settings, ["weekly"], ISSUED + timedelta(hours=2), send=True)
    assert [(d.recipient, d.status) for d in retried.deliveries] == [("later@example.org", "sent")]


def test_an_address_asked_twice_in_other_cases_gets_one_delivery(monitor_home: Path, smtp_server: SmtpServer) -> None:
    from monitor.settings.subscribers import subscriber_spec
    from monitor.storage import subscribers

    settings = mail_settings(monitor_home, smtp_server.environ())  # analyst@example.org among the recipients
    store = store_releases(settings, RELEASES, NOW)
    spec = subscriber_spec("own", {"address": "Analyst@Example.org", "follows": "weekly"}, settings.digests)
    subscribers.add(store, spec, "web", NOW)

    digest_job(settings, ["weekly"], ISSUED, send=True)

    sent = statuses(settings)
    assert sorted(address.lower() for address in sent) == ["analyst@example.org", "director@example.org"]
    assert set(sent.values()) == {"sent"} and len(smtp_server.recorder.messages) == 2


@pytest.mark.parametrize(
    "named", [True, False], ids=["withdrawn with its recipient", "made before recipients were named"]
)
def test_a_delivery_of_a_digest_removed_from_the_config_is_not_sent_and_the_others_go_out(
    monitor_home: Path, smtp_server: SmtpServer, named: bool
) -> None:
    config = monitor_home.parent / "renamed.toml"

    def configured(*names: str) -> Settings:
        text = "[mail]\nsender = 'Monitor <monitor@digest.example>'\n"
        for name in names:
            text += f"[digests.{name}]\nperiod = 'weekly'\nrecipients = ['{name}@example.org']\n"
        config.write_text(text, encoding="utf-8")
        return load_settings({**os.environ, **smtp_server.environ()}, config_path=config)

    settings = configured("old", "kept")
    store_releases(settings, RELEASES, NOW)
    smtp_server.recorder.refuse["old@example.org"] = "451 4.3.0 try again later"
    digest_job(settings, ["old", "kept"], ISSUED, send=True)
    smtp_server.recorder.refuse.clear()
    store = Store.open(settings.database_url)
    if not named:  # made before deliveries named their subscriber
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE deliveries SET subscriber_id = NULL"))

    settings = configured("renamed", "kept")  # "old" renamed while its delivery waits for a retry
    later = digest_job(settings, ["kept"], ISSUED + timedelta(days=7), send=True)

    (old,) = [d for d in ledger.deliveries(store) if d.recipient == "old@example.org"]
    if named:  # its recipient left the config with it
        assert [(d.digest, d.status) for d in later.deliveries] == [("kept", "sent")]
        assert old.status == "withdrawn" and "removed from the config" in old.error
    else:
        assert {(d.digest, d.status) for d in later.deliveries} == {("old", "rejected"), ("kept", "sent")}
        assert old.status == "rejected" and "unknown digest 'old'" in old.error
    assert not smtp_server.recorder.to("old@example.org")


ODD_ADDRESSES = ["ana@пример.рф", "head:deputy@example.org", "head(office)@example.org"]


@pytest.mark.parametrize("address", ODD_ADDRESSES)
def test_an_address_smtp_cannot_carry_as_written_is_refused_when_it_is_added(monitor_home: Path, address: str) -> None:
    # each looks like an address; as written, none reaches the mailbox it names (head:deputy@ is deputy@)
    with pytest.raises(ConfigError, match="as written"):
        mail_settings(monitor_home, {}, [*RECIPIENTS, address])


def test_an_address_stored_before_it_was_checked_is_rejected_and_the_others_sent(
    monitor_home: Path, smtp_server: SmtpServer
) -> None:
    kept = [f"reader{n}@example.org" for n in range(len(ODD_ADDRESSES))]
    settings = mail_settings(monitor_home, smtp_server.environ(), [*RECIPIENTS, *kept])
    store_releases(settings, RELEASES, NOW)
    digest_job(settings, ["weekly"], ISSUED)  # issued and queued, not sent
    store = Store.open(settings.database_url)
    with store.engine.begin() as db:  # as an older version let them in
        for stored, odd in zip(kept, ODD_ADDRESSES, strict=True):
            db.execute(
                text("UPDATE deliveries SET recipient = :odd WHERE recipient = :kept"), {"odd": odd, "kept": stored}
            )

    digest_job(settings, ["weekly"], ISSUED, send=True)

    assert statuses(settings) == {**dict.fromkeys(RECIPIENTS, "sent"), **dict.fromkeys(ODD_ADDRESSES, "rejected")}
    # nothing went to deputy@example.org or head@example.org in their stead
    assert sorted(r for rcpts, _ in smtp_server.recorder.messages for r in rcpts) == RECIPIENTS
    refused = ledger.deliveries(store, ["rejected"])
    assert all("as written" in d.error and d.next_attempt_at is None for d in refused)


def test_server_down_then_up_the_retry_delivers_once(monitor_home: Path) -> None:
    server = SmtpServer(free_port())  # not started: nothing listens on its port
    settings = mail_settings(monitor_home, server.environ())
    store_releases(settings, RELEASES, NOW)

    down = digest_job(settings, ["weekly"], ISSUED, send=True)
    assert {d.status for d in down.deliveries} == {"failed"}
    assert all(f"127.0.0.1:{server.port}" in d.detail for d in down.deliveries)
    store = Store.open(settings.database_url)
    assert {as_utc(d.next_attempt_at) for d in ledger.deliveries(store)} == {ISSUED + ledger.RETRY_BASE}

    server.start()
    try:
        too_soon = digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=5), send=True)
        assert too_soon.deliveries == [] and server.recorder.messages == []  # backoff not over yet
        retry = digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=20), send=True)
        assert [d.status for d in retry.deliveries] == ["sent", "sent"]
        assert digest_job(settings, ["weekly"], ISSUED + timedelta(hours=2), send=True).deliveries == []
        assert sorted(r for rcpts, _ in server.recorder.messages for r in rcpts) == RECIPIENTS
    finally:
        server.stop()
    assert {d.attempts for d in ledger.deliveries(store)} == {2}


def test_a_crash_after_the_server_took_the_message_never_sends_it_twice(
    monitor_home: Path, smtp_server: SmtpServer
) -> None:
    settings = mail_settings(monitor_home, smtp_server.environ())
    store_releases(settings, RELEASES, NOW)
    digest_job(settings, ["weekly"], ISSUED)  # issued and queued, not sent
    code = (
        "import sys; from datetime import datetime; from monitor.settings.config import load_settings; "
        "from monitor.operations.jobs import digest_job; "
        f"digest_job(load_settings(config_path=sys.argv[1]), ['weekly'], datetime.fromisoformat('{ISSUED.isoformat()}'), send=True)"
    )
    env = {**os.environ, **smtp_server.environ()}
    child = subprocess.Popen([sys.executable, "-c", code, str(monitor_home.parent / "mail.toml")], env=env)

    def crash() -> None:  # the server has the message; the sender dies before it reads the reply
        child.kill()
        child.wait()

    smtp_server.recorder.on_data = crash
    child.wait(timeout=60)
    assert child.returncode == -9
    smtp_server.recorder.on_data = None
    (first,) = smtp_server.recorder.messages
    assert statuses(settings) == {"analyst@example.org": "sending", "director@example.org": "pending"}

    after = digest_job(settings, ["weekly"], ISSUED + timedelta(minutes=1), send=True)

    assert [(d.recipient, d.status) for d in after.deliveries] == [("director@example.org", "sent")]
    assert len(smtp_server.recorder.to("analyst@example.org")) == 1
    assert len(smtp_server.recorder.to("director@example.org")) == 1
    (unsure,) = ledger.deliveries(Store.open(settings.database_url), ["unconfirmed"])
    assert unsure.recipient == "analyst@example.org" and unsure.message_id == first[1]["Message-ID"]
    # later runs leave it alone; it goes again only when someone asks, with the same Message-ID
    assert digest_job(settings, ["weekly"], ISSUED + timedelta(days=1), send=True).deliveries == []
    ledger.requeue(Store.open(settings.database_url), unsure.id)
    again = digest_job(settings, ["weekly"], ISSUED + timedelta(days=1), send=True)
    assert [d.status for d in again.deliveries] == ["sent"]
    assert smtp_server.recorder.to("analyst@example.org")[-1]["Message-ID"] == unsure.message_id


def test_dry_run_writes_eml_files_and_sends_nothing(monitor_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = mail_settings(monitor_home, {})
    store_releases(settings, RELEASES, NOW)
    result = digest_job(settings, ["weekly"], ISSUED, dry_run=True)
    assert sorted(p.name for p in result.outbox) == [
        "weekly-1-analyst@example.org.eml",
        "weekly-1-director@example.org.eml",
    ]
    assert all(p.parent == settings.mail.outbox for p in result.outbox)
    import email
    from email.policy import default

    message = email.message_from_bytes(result.outbox[0].read_bytes(), policy=default)
    capsys.readouterr()
    folder = monitor_home.parent / "elsewhere"
    assert (
        main(["--config", str(monitor_home.parent / "mail.toml"), "digest", "--dry-run", "--outbox", str(folder)]) == 0
    )
    assert "message(s) written to the outbox, nothing sent" in capsys.readouterr().out
    assert {p.name for p in result.outbox} <= {p.name for p in folder.glob("*.eml")}
    assert [part.get_content_type() for part in message.walk()][:4] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    assert statuses(settings) == dict.fromkeys(RECIPIENTS, "pending")  # the queue is untouched


def test_send_without_an_smtp_server_configured_is_a_clear_error(
    monitor_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = mail_settings(monitor_home, {})
    store_releases(settings, RELEASES, NOW)
    code = main(["--config", str(monitor_home.parent / "mail.toml"), "digest", "--send"])
    assert code == 1
    assert "MONITOR_SMTP_HOST is not set" in capsys.readouterr().err
