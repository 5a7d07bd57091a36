"""Incidents when jobs end together: each job derives the incidents and tells the admin, in its
own process, on SQLite and on PostgreSQL (--backend postgresql)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from monitor.operations.alerts import notify, open_incidents, raise_alerts
from monitor.settings.config import Settings, load_settings
from monitor.storage.models import IncidentRow, SourceRow
from monitor.storage.store import Store
from tests.webhook_server import WebhookReceiver

JOBS = 4  # a cron crawl, the scheduler's digest, a retry of deliveries and a worker ending at once


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    server.delay["/ops"] = 0.5  # a chat service's usual latency: the others end while one posts
    yield server
    server.stop()


def job_ends(environ: dict[str, str], barrier: Barrier, told: Queue) -> None:
    settings = load_settings(environ)
    store = Store.open(settings.database_url)
    barrier.wait()
    told.put(raise_alerts(settings, store, datetime.now(UTC)))


def jobs_end_together(environ: dict[str, str]) -> int:
    """Run raise_alerts in JOBS processes released at the same moment; how many incidents they told."""
    context = multiprocessing.get_context("spawn")
    barrier, told = context.Barrier(JOBS), context.Queue()
    processes = [context.Process(target=job_ends, args=(environ, barrier, told)) for _ in range(JOBS)]
    for process in processes:
        process.start()
    counts = [told.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return sum(counts)


def alert_environ(tmp_path: Path, receiver: WebhookReceiver, database_url: str | None) -> dict[str, str]:
    environ = {
        "MONITOR_HOME": str(tmp_path / "home"),
        "MONITOR_ADMIN_EMAIL": "channel:ops",
        "MONITOR_CHANNEL_OPS": receiver.url("/ops"),
    }
    return environ | ({"MONITOR_DATABASE_URL": database_url} if database_url else {})


def set_health(store: Store, health: str) -> None:
    with store.session() as session, session.begin():
        row = session.get(SourceRow, "lprc") or SourceRow(key="lprc", name="LPRC", organisation="LPRC", kind="listing")
        row.health, row.health_reason = health, "HTTP 503 on the start page" if health == "failing" else ""
        session.add(row)


def test_jobs_ending_together_open_one_incident_and_tell_it_once(
    tmp_path: Path, receiver: WebhookReceiver, database_url: str | None
) -> None:
    environ = alert_environ(tmp_path, receiver, database_url)
    store = Store.open(load_settings(environ).database_url)
    set_health(store, "failing")

    assert jobs_end_together(environ) == 1
    with store.session() as session:
        assert [row.key for row in session.scalars(select(IncidentRow))] == ["source:lprc"]
    assert [post.title for post in receiver.to("/ops")] == ["[monitor] FAILING: source:lprc"]

    set_health(store, "ok")
    assert jobs_end_together(environ) == 1
    assert [post.title for post in receiver.to("/ops")][1:] == ["[monitor] RECOVERED: source:lprc"]
    assert open_incidents(store) == []


def failing_while_the_channel_is_down(
    tmp_path: Path, receiver: WebhookReceiver, database_url: str | None
) -> tuple[Settings, Store]:
    settings = load_settings(alert_environ(tmp_path, receiver, database_url))
    store = Store.open(settings.database_url)
    set_health(store, "failing")
    receiver.status["/ops"] = 503
    return settings, store


def test_a_notice_no_one_received_is_sent_by_the_next_run(
    tmp_path: Path, receiver: WebhookReceiver, database_url: str | None
) -> None:
    settings, store = failing_while_the_channel_is_down(tmp_path, receiver, database_url)
    assert raise_alerts(settings, store, datetime.now(UTC)) == 0
    (incident,) = open_incidents(store)
    assert incident.sending is None and not incident.opened_notified  # the claim was given back
    receiver.status["/ops"] = 200
    assert notify(settings, store, datetime.now(UTC)) == 1
    assert [p.title for p in receiver.accepted] == ["[monitor] FAILING: source:lprc"]


def test_a_claim_left_by_a_notifier_that_died_expires(
    tmp_path: Path, receiver: WebhookReceiver, database_url: str | None
) -> None:
    settings, store = failing_while_the_channel_is_down(tmp_path, receiver, database_url)
    raise_alerts(settings, store, datetime.now(UTC))
    receiver.status["/ops"] = 200
    now = datetime.now(UTC)
    for claimed, told in ((now - timedelta(minutes=1), 0), (now - timedelta(minutes=20), 1)):
        with store.session() as session, session.begin():
            session.execute(update(IncidentRow).values(sending="a process that died", sending_since=claimed))
        assert notify(settings, store, now) == told  # sending still, then given up for dead
    assert [p.title for p in receiver.accepted] == ["[monitor] FAILING: source:lprc"]


def test_the_upgrade_keeps_one_of_the_open_incidents_a_race_opened(tmp_path: Path, database_url: str | None) -> None:
    from alembic import command

    from monitor.storage.engine import alembic_config, make_engine, upgrade

    engine = make_engine(database_url or f"sqlite:///{tmp_path / 'old.sqlite'}")
    config = alembic_config(engine)
    opened = datetime(2026, 3, 2, 6, tzinfo=UTC)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0014")
        for key, told in (("source:lprc", True), ("source:lprc", True), ("job:crawl:all", False)):
            connection.exec_driver_sql(
                "INSERT INTO incidents (key, summary, opened_at, opened_notified, closed_notified)"
                f" VALUES ('{key}', 'failing', '{opened:%Y-%m-%d %H:%M:%S}', {told}, false)"
            )
    upgrade(engine)
    store = Store(engine)
    assert [(row.id, row.key) for row in open_incidents(store)] == [(1, "source:lprc"), (3, "job:crawl:all")]
    with store.session() as session:
        duplicate = session.get(IncidentRow, 2)
        assert duplicate is not None and duplicate.closed_notified  # closed with nothing more to tell
    with pytest.raises(IntegrityError), engine.begin() as connection:  # the database refuses a second
        connection.execute(
            insert(IncidentRow).values(
                key="source:lprc", summary="again", opened_at=opened, opened_notified=False, closed_notified=False
            )
        )
