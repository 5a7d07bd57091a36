"""A real webhook receiver for chat-channel tests: an HTTP server on 127.0.0.1 that records each
POST (what Apprise's json://, form:// and mmost:// send) and answers with a status chosen per path."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.smtp_server import free_port


@dataclass(frozen=True)
class Post:
    path: str
    content_type: str
    fields: dict[str, Any]  # the JSON object or the form's fields

    @property
    def title(self) -> str:
        return str(self.fields.get("title", ""))

    @property
    def message(self) -> str:
        """The body: json:// and form:// send it as `message`, Mattermost (title within) as `text`."""
        return str(self.fields.get("message", self.fields.get("text", "")))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default backlog of 5 drops connections under load

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up waiting (a read timeout under test) is not an error here


class WebhookReceiver:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.posts: list[Post] = []
        self.accepted: list[Post] = []  # the posts answered 2xx: what the channel shows
        self.status: dict[str, int] = {}  # path -> HTTP status to answer (default 200)
        self.delay: dict[str, float] = {}  # path -> seconds to wait before answering
        self.fail_after: dict[str, int] = {}  # path -> posts answered 200 before it answers 503
        self.on_post: Callable[[], None] | None = None  # runs after a post is kept, before the answer
        self._server: _Server | None = None

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                kind = self.headers.get("Content-Type", "")
                fields = json.loads(body) if "json" in kind else dict(parse_qsl(body))
                path = urlsplit(self.path).path
                post = Post(path, kind, fields)
                receiver.posts.append(post)  # it has arrived, whatever the answer
                if receiver.on_post is not None:
                    receiver.on_post()
                # a slow receiver on purpose: the sender's read timeout is under test
                time.sleep(receiver.delay.get(path, 0.0))
                status = receiver.status.get(path, 200)
                if len(receiver.to(path)) > receiver.fail_after.get(path, len(receiver.posts)):
                    status = 503
                if 200 <= status < 300:
                    receiver.accepted.append(post)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = _Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def url(self, path: str, scheme: str = "json", **params: str) -> str:
        """The Apprise URL of a path on this receiver."""
        query = f"?{urlencode(params)}" if params else ""
        return f"{scheme}://127.0.0.1:{self.port}/{path.lstrip('/')}{query}"

    def to(self, path: str) -> list[Post]:
        return [post for post in self.posts if post.path == path]
