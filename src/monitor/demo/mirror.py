"""A local mirror of several sites, one loopback port per host, for the demo, tests and benchmarks.

A site directory holds one folder per host (`www.osce.org/`, `astana.osce.org/`...), each with a
`routes.json` mapping request targets to files, statuses and headers. Absolute links to any
mirrored host are rewritten to the mirror's own address as a page is served.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit


def route_key(target: str) -> str:
    """The same key whatever the order or spelling of the query parameters."""
    parts = urlsplit(target)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return (parts.path or "/") + (f"?{query}" if query else "")


@dataclass
class HostSite:
    host: str
    root: Path
    routes: dict[str, dict[str, Any]]
    hits: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> HostSite:
        raw = json.loads((root / "routes.json").read_text(encoding="utf-8"))
        return cls(host=root.name, root=root, routes={route_key(k): v for k, v in raw.items()})


class _QuietServer(ThreadingHTTPServer):
    request_queue_size = 1024  # the stdlib's 5 drops connections under a crawler's concurrency
    daemon_threads = True


class Mirror:
    def __init__(self, site_dir: Path, delay: float = 0.0) -> None:
        self.delay = delay  # seconds before each answer: a slow site, for tests that interrupt a crawl
        self.site_dir = site_dir
        self.sites = {p.name: HostSite.load(p) for p in sorted(site_dir.iterdir()) if (p / "routes.json").exists()}
        self.servers: dict[str, _QuietServer] = {}
        self._threads: list[threading.Thread] = []

    def base_url(self, host: str) -> str:
        server = self.servers[host]
        return f"http://127.0.0.1:{server.server_address[1]}"

    def url(self, host: str, target: str = "/") -> str:
        return self.base_url(host) + target

    def host_aliases(self) -> dict[str, str]:
        """Mirror address -> real host: canonical URLs then name the original site."""
        return {f"127.0.0.1:{server.server_address[1]}": host for host, server in self.servers.items()}

    def _rewrite(self, body: bytes) -> bytes:
        for host in self.servers:
            local = self.base_url(host).encode()
            body = body.replace(f"https://{host}".encode(), local).replace(f"http://{host}".encode(), local)
        return body

    def _handler(self, site: HostSite) -> type[BaseHTTPRequestHandler]:
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                if mirror.delay:  # a slow site on purpose: tests interrupt a crawl while it is under way
                    time.sleep(mirror.delay)
                route = site.routes.get(route_key(self.path))
                if route is None:
                    self._send(404, b"<html><body><h1>Page not found</h1></body></html>", {})
                    return
                if (first := route.pop("first_response", None)) is not None:  # e.g. a 429 once, then the page
                    self._send(int(first["status"]), b"", dict(first.get("headers", {})))
                    return
                headers = dict(route.get("headers", {}))
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", headers)
                    return
                body = (site.root / route["file"]).read_bytes() if route.get("file") else b""
                if route.get("rewrite", True):
                    body = mirror._rewrite(body)
                headers.setdefault("Content-Type", route.get("type", "text/html; charset=utf-8"))
                self._send(int(route.get("status", 200)), body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the crawler logs what it fetched

        return Handler

    def start(self) -> Mirror:
        for host, site in self.sites.items():
            server = _QuietServer(("127.0.0.1", 0), self._handler(site))
            self.servers[host] = server
        for server in self.servers.values():
            # a short poll: stopping waits for it, once per host
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def hits(self) -> dict[str, list[str]]:
        return {host: list(site.hits) for host, site in self.sites.items()}

    def reset_hits(self) -> None:
        for site in self.sites.values():
            site.hits.clear()


@contextmanager
def serve(site_dir: Path) -> Iterator[Mirror]:
    mirror = Mirror(site_dir).start()
    try:
        yield mirror
    finally:
        mirror.stop()
