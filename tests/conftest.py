"""Shared fixtures: the bundled demo mirror, settings in a temporary home, saved-page responses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse

from monitor.config import Settings, load_settings
from monitor.demo.site import build_demo_site
from monitor.mirror import Mirror, route_key
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


@pytest.fixture(scope="session")
def saved(demo_site: Path) -> SavedSite:
    return SavedSite(demo_site)


@pytest.fixture
def monitor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh home (SQLite database, logs) for this test; nothing from the caller's environment."""
    for name in ("MONITOR_CONFIG", "MONITOR_DATABASE_URL", "MONITOR_REPORTS_DIR"):
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
