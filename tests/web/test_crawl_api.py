"""POST /api/crawls starts the same crawl job as `monitor crawl`: a `scrapy crawl` child against a
mirror on 127.0.0.1, recorded as a crawl run that the API then reports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.demo.mirror import Mirror
from monitor.settings.config import Settings, load_settings
from monitor.storage import job_runs
from monitor.storage.store import Store
from monitor.web.accounts import issue_token
from tests.integration.crawling import undp_config
from tests.waiting import wait_for
from tests.web.conftest import add_user

pytestmark = pytest.mark.slow


@pytest.fixture
def settings(monitor_home: Path, demo_mirror: Mirror) -> Settings:
    return load_settings(config_path=undp_config(monitor_home.parent / "undp.toml", demo_mirror))


def test_an_api_crawl_starts_a_recorded_job_and_a_second_one_gets_409(settings: Settings, client: TestClient) -> None:
    add_user(settings, "ops@example.org", "operator")
    store = Store.open(settings.database_url)
    bearer = {"Authorization": f"Bearer {issue_token(store, 'ops@example.org', datetime.now(UTC))}"}
    started = client.post("/api/crawls", data={"source": "undp_kazakhstan"}, headers=bearer)
    assert started.status_code == 202, started.text
    body = started.json()
    run_id = body["run_id"]
    assert body["runs"] == {"undp_kazakhstan": run_id}
    again = client.post("/api/crawls", data={"source": "undp_kazakhstan"}, headers=bearer)
    if again.status_code == 409:  # still running (the usual case): the holder is named
        assert again.json()["lease"] == "crawl:undp_kazakhstan" and again.json()["holder"]
    else:  # it finished first: then a second crawl simply starts
        assert again.status_code == 202
    client.app.state.web.tasks.join(120)

    def last_run() -> dict | None:
        source = next(s for s in client.get("/api/sources", headers=bearer).json() if s["key"] == "undp_kazakhstan")
        return source if source["last_run"] and source["last_run"]["status"] != "running" else None

    source = wait_for(last_run, timeout=120)
    assert source["last_run"]["status"] == "ok" and source["health"] == "ok" and source["crawling"] is None
    first = store.run(run_id)
    stored = [r for r in store.releases(include_duplicates=True) if r.source_key == "undp_kazakhstan"]
    assert first.status == "ok" and first.new == len(stored) > 0  # every release of the mirror's listing
    assert job_runs.latest(store)["crawl:web"].trigger == "web"
