"""Alerts: the admin hears once when a source, a job or a delivery starts failing, and once when it
recovers, through a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.operations.alerts import open_incidents
from monitor.operations.jobs import crawl_job, digest_job
from monitor.settings.config import load_settings
from monitor.storage.store import Store
from tests.integration.crawling import cli_env, write_config
from tests.sample_releases import NOW, RELEASES, store_releases
from tests.smtp_server import SmtpServer

ADMIN = "admin@example.org"


def settings_for(tmp_path: Path, mirror, smtp: SmtpServer, bishkek_target: str, extra: str = ""):
    config = write_config(tmp_path / "alerts.toml", mirror)
    text = config.read_text().replace(
        mirror.url("bishkek.osce.org", "/news"), mirror.url("bishkek.osce.org", bishkek_target)
    )
    config.write_text(text + f"\n[mail]\nadmin = '{ADMIN}'\n" + extra, encoding="utf-8")
    return load_settings({**cli_env(tmp_path / "home"), **smtp.environ()}, config_path=config)


def subjects(smtp: SmtpServer) -> list[str]:
    return [str(message["Subject"]) for message in smtp.recorder.to(ADMIN)]


def test_a_failing_source_alerts_once_and_once_more_when_it_recovers(
    tmp_path: Path, demo_mirror, smtp_server: SmtpServer
) -> None:
    broken = settings_for(tmp_path, demo_mirror, smtp_server, "/gone")
    sources = [broken.source("osce_bishkek")]
    crawl_job(broken, sources, datetime.now(UTC))
    crawl_job(broken, sources, datetime.now(UTC))  # still failing: no second alert
    assert sorted(subjects(smtp_server)) == [
        "[monitor] FAILING: job:crawl:manual",
        "[monitor] FAILING: source:osce_bishkek",
    ]
    bodies = " ".join(message.get_content() for message in smtp_server.recorder.to(ADMIN))
    assert "source osce_bishkek is failing" in bodies and "job crawl:manual failed" in bodies

    fixed = settings_for(tmp_path, demo_mirror, smtp_server, "/news")
    crawl_job(fixed, sources, datetime.now(UTC))
    crawl_job(fixed, sources, datetime.now(UTC))
    assert sorted(subjects(smtp_server)[2:]) == [
        "[monitor] RECOVERED: job:crawl:manual",
        "[monitor] RECOVERED: source:osce_bishkek",
    ]
    assert open_incidents(Store.open(fixed.database_url)) == []


def test_a_refused_delivery_alerts_the_admin(tmp_path: Path, demo_mirror, smtp_server: SmtpServer) -> None:
    digests = "[digests.weekly]\nrecipients = ['analyst@example.org', 'gone@example.org']\n"
    settings = settings_for(tmp_path, demo_mirror, smtp_server, "/news", digests)
    smtp_server.recorder.refuse["gone@example.org"] = "550 5.1.1 mailbox unavailable"
    store_releases(settings, RELEASES, NOW)
    digest_job(settings, ["weekly"], NOW + timedelta(days=7), send=True)
    assert sorted(subjects(smtp_server)) == [
        "[monitor] FAILING: delivery:gone@example.org",
        "[monitor] FAILING: job:digest:weekly",
    ]
    assert any("gone@example.org rejected" in m.get_content() for m in smtp_server.recorder.to(ADMIN))
