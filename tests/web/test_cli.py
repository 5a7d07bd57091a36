"""`monitor users` and `monitor web` as a user runs them: real processes, a real server on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx2

from tests.integration.crawling import cli_env, monitor_cli
from tests.waiting import wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_users_and_a_served_web_view(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = subprocess.run(
        [sys.executable, "-m", "monitor", "users", "add", "Ops@Example.org", "--role", "operator"],
        input="a long enough password\n", env=cli_env(home), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "ops@example.org can sign in to the web view as operator" in added.stdout
    short = subprocess.run(
        [sys.executable, "-m", "monitor", "users", "add", "x@example.org"],
        input="short\n", env=cli_env(home), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    token = monitor_cli("users", "token", "ops@example.org", home=home)
    assert token.returncode == 0 and token.stdout.startswith("pm_")
    assert monitor_cli("users", "token", "nobody@example.org", home=home).returncode == 2
    listed = monitor_cli("users", "list", home=home)
    assert "ops@example.org" in listed.stdout and "operator" in listed.stdout

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "monitor", "web", "--port", str(port)],
        env=cli_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx2.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx2.TransportError:
                return False

        wait_for(up, timeout=60, every=0.2)
        bearer = {"Authorization": f"Bearer {token.stdout.strip()}"}
        sources = httpx2.get(f"{base}/api/sources", headers=bearer, timeout=10)
        assert sources.status_code == 200
        assert {"osce_astana", "lprc"} <= {s["key"] for s in sources.json()}
        assert httpx2.get(f"{base}/api/sources", timeout=10).status_code == 401
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in stderr  # it says where it listens (loopback by default)
    assert (home / "web-secret").stat().st_mode & 0o077 == 0  # the session key is its owner's only


def test_releases_and_stories_say_which_database_they_read(tmp_path: Path) -> None:
    for command in ("releases", "stories"):
        result = monitor_cli(command, home=tmp_path / "home")
        assert result.returncode == 0, result.stderr
        assert f"monitor: reading sqlite:///{tmp_path / 'home' / 'monitor.sqlite'}" in result.stderr
