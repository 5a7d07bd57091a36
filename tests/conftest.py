"""Shared fixtures: the bundled demo mirror, settings in a temporary home, saved-page responses."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from scrapy import Spider
from scrapy.crawler import AsyncCrawlerRunner, CrawlerRunner
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_reactor_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from monitor.demo.mirror import Mirror, route_key
from monitor.demo.partners import build_demo_site
from monitor.settings.config import Settings, load_settings
from tests.smtp_server import SmtpServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_site(tmp_path_factory.mktemp("demo") / "site")


class SavedSite:
    """Pages of a mirror directory as a server would send them: bytes and Content-Type."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def page(self, host: str, target: str) -> tuple[bytes, str]:
        routes = {route_key(k): v for k, v in json.loads((self.root / host / "routes.json").read_text()).items()}
        route = routes[route_key(target)]
        return (self.root / host / route["file"]).read_bytes(), route["type"]

    def response(self, host: str, target: str, **request_kwargs: object) -> TextResponse:
        body, content_type = self.page(host, target)
        return make_response(f"https://{host}{target}", body, content_type, **request_kwargs)


def make_response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", **request_kwargs: object):
    """A response carrying the real URL and its Request, so urljoin, follow and cb_kwargs behave as live."""
    cls = (
        XmlResponse
        if "xml" in content_type
        else HtmlResponse
        if "html" in content_type
        else Response
        if "pdf" in content_type
        else TextResponse
    )
    request = Request(url, **request_kwargs)  # type: ignore[arg-type]
    return cls(url=url, body=body, headers={"Content-Type": content_type}, request=request)


SpiderT = TypeVar("SpiderT", bound=Spider)


def spider_for(spider_class: type[SpiderT], **kwargs: str) -> SpiderT:
    """A spider made in the order `scrapy crawl` makes it, with no pipelines: its from_crawler
    sees the crawler's settings still open, then they are applied and frozen. (Scrapy's
    get_crawler applies them first, so what a spider sets there would never be tried.)"""
    settings = {"REMOTE_CONTROL_ENABLED": False, "TELNETCONSOLE_ENABLED": False, **get_reactor_settings()}
    runner = (CrawlerRunner if is_reactor_installed() else AsyncCrawlerRunner)({**settings, "ITEM_PIPELINES": {}})
    crawler = runner.create_crawler(spider_class)
    crawler.spider = spider_class.from_crawler(crawler, **kwargs)
    crawler._apply_settings()
    return crawler.spider  # type: ignore[return-value]


@pytest.fixture(scope="session")
def saved(demo_site: Path) -> SavedSite:
    return SavedSite(demo_site)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="database the tests run against; postgresql needs MONITOR_TEST_POSTGRES_URL (scripts/postgres.sh)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--backend") == "postgresql":
        skip = pytest.mark.skip(reason="a fault of SQLite database files")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """On PostgreSQL, a fresh database for each test, named in MONITOR_DATABASE_URL; on SQLite
    (the default) None: each test's home holds its own file."""
    monkeypatch.delenv("MONITOR_DATABASE_URL", raising=False)
    if request.config.getoption("--backend") != "postgresql":
        yield None
        return
    admin_url = os.environ.get("MONITOR_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.fail("--backend postgresql needs MONITOR_TEST_POSTGRES_URL (start one with scripts/postgres.sh)")
    name = f"monitor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("MONITOR_DATABASE_URL", url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def monitor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh home (logs, and the SQLite database unless the suite runs on PostgreSQL) for this
    test; nothing from the caller's environment."""
    for name in ("MONITOR_CONFIG", "MONITOR_REPORTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MONITOR_REPORTS_DIR", str(tmp_path / "reports"))
    return tmp_path / "home"


@pytest.fixture
def settings(monitor_home: Path) -> Settings:
    return load_settings()


@pytest.fixture
def demo_mirror(demo_site: Path) -> Iterator[Mirror]:
    mirror = Mirror(demo_site).start()
    yield mirror
    mirror.stop()


@pytest.fixture
def fixture_page() -> object:
    def read(name: str) -> bytes:
        return (FIXTURES / "pages" / name).read_bytes()

    return read


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()
