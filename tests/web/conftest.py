"""The web view under test: the real application over HTTP (Starlette's test client, or uvicorn on
127.0.0.1), on the test's own store (SQLite, or PostgreSQL with --backend postgresql)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import uvicorn
from starlette.testclient import TestClient

from monitor.settings.config import Settings
from monitor.storage.store import Store
from monitor.web import accounts
from monitor.web.app import create_app
from tests.waiting import wait_for

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_user(settings: Settings, email: str, role: str) -> None:
    accounts.add_user(Store.open(settings.database_url), email, role, PASSWORD, datetime.now(UTC))


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(settings, secret="test secret, not for production")


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client
    app.state.web.tasks.join(120)


@pytest.fixture
def as_role(app, settings: Settings):  # type: ignore[no-untyped-def]
    """A signed-in client of a new user with the role asked for."""
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        email = f"{role}{len(clients)}@example.org"
        add_user(settings, email, role)
        test_client = TestClient(app)
        clients.append(test_client)
        return sign_in(test_client, email)

    yield make
    for test_client in clients:
        test_client.close()
    app.state.web.tasks.join(120)


@dataclass
class Served:
    url: str
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture
def served(app) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    """The application served by uvicorn on a free loopback port, in a thread of this process."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_for(lambda: server.started, timeout=30)
    yield Served(f"http://127.0.0.1:{port}", server, thread)
    server.should_exit = True
    thread.join(30)
    sock.close()
    app.state.web.tasks.join(120)
