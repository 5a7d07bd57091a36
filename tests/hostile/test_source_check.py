"""`monitor sources check` is as safe as a crawl: http(s) on the source's hosts and port only,
redirects followed only there, robots.txt read with the monitor's own user agent, sizes capped.
Two real HTTP servers on 127.0.0.1 record what was asked of them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor.crawling.check import check_source
from monitor.settings.config import Settings, load_settings


class Recorder(ThreadingHTTPServer):
    request_queue_size = 64

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]]) -> None:
        self.routes, self.asked = routes, []
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_GET(self) -> None:
        self.server.asked.append((self.path, self.headers.get("User-Agent", "")))
        status, headers, body = self.server.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[tuple[Recorder, Recorder]]:
    a, b = Recorder({}), Recorder({"/steal": (200, {}, b"<html>internal</html>")})
    yield a, b
    for server in (a, b):
        server.shutdown()
        server.server_close()


def settings_for(tmp_path: Path, start: str, extra: str = "") -> Settings:
    config = tmp_path / "probe.toml"
    config.write_text(
        f'[sources.probe]\norganisation = "Probe"\nkind = "listing"\nstart_urls = ["{start}"]\n'
        f'allowed_hosts = ["127.0.0.1"]\narticle_url_pattern = "/news/(\\\\d+)$"\n{extra}',
        encoding="utf-8",
    )
    return load_settings(config_path=config)


def check(settings: Settings) -> list[str]:
    return check_source(settings.source("probe"), settings).problems


def test_a_redirect_to_another_port_of_the_same_host_is_not_followed(servers, tmp_path, monitor_home) -> None:
    a, b = servers
    a.routes["/news"] = (302, {"Location": f"{b.base}/steal"}, b"")
    (problem,) = check(settings_for(tmp_path, f"{a.base}/news"))
    assert "is not the port the source starts on" in problem
    assert b.asked == []


def test_a_redirect_to_another_host_or_scheme_is_not_followed(servers, tmp_path, monitor_home) -> None:
    a, _ = servers
    a.routes["/news"] = (301, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    a.routes["/feed"] = (301, {"Location": "ftp://127.0.0.1/x"}, b"")
    assert "not among the source's allowed hosts" in check(settings_for(tmp_path, f"{a.base}/news"))[0]
    assert "not an http(s) URL" in check(settings_for(tmp_path, f"{a.base}/feed"))[0]


def test_robots_txt_is_read_with_the_monitors_own_user_agent_and_obeyed(servers, tmp_path, monitor_home) -> None:
    a, _ = servers
    settings = settings_for(tmp_path, f"{a.base}/news")
    a.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: press-monitor\nDisallow: /news\n")
    (problem,) = check(settings)
    assert "robots.txt disallows" in problem
    assert a.asked == [("/robots.txt", f"{settings.crawl.user_agent} contact: {settings.crawl.contact}")]


def test_a_page_over_the_size_limit_is_refused_and_a_link_off_the_source_not_fetched(
    servers, tmp_path, monitor_home
) -> None:
    a, b = servers
    a.routes["/big"] = (200, {}, b"<html>" + b"x" * 300_000 + b"</html>")
    settings = settings_for(tmp_path, f"{a.base}/big", "limits = { page_bytes = 100_000 }\n")
    assert "larger than 100,000 bytes (limit page_bytes)" in check(settings)[0]
    a.routes["/list"] = (200, {}, f'<html><body><a href="{b.base}/news/7">Off the source</a></body></html>'.encode())
    problems = check(settings_for(tmp_path, f"{a.base}/list"))
    assert problems and b.asked == []  # the article link is on another port: never fetched


class Trickle(BaseHTTPRequestHandler):
    """A page sent a byte at a time: each read is well within the request timeout."""

    def do_GET(self) -> None:
        self.send_response(404 if self.path == "/robots.txt" else 200)
        self.end_headers()
        try:
            for _ in range(40 if self.path != "/robots.txt" else 0):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)  # the slow server itself, not a wait on anything
        except OSError:  # the check gave up and closed the connection
            pass

    def log_message(self, *args: object) -> None:
        pass


def test_a_page_trickled_a_byte_at_a_time_is_given_up_at_the_checks_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import monitor.crawling.check as check

    monkeypatch.setattr(check, "CHECK_SECONDS", 1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = tmp_path / "check.toml"
        config.write_text(f'[sources.undp_kazakhstan]\nstart_urls = ["http://127.0.0.1:{server.server_address[1]}/news"]\n'
                          'allowed_hosts = ["127.0.0.1"]\n')  # fmt: skip
        settings = load_settings({"MONITOR_HOME": str(tmp_path / "home")}, config_path=config)
        started = time.monotonic()
        report = check_source(settings.source("undp_kazakhstan"), settings)
        assert time.monotonic() - started < 3  # 4 s of trickle otherwise
        assert any("took more than 1 s" in problem for problem in report.problems), report.problems
    finally:
        server.shutdown()
        server.server_close()


def test_a_candidate_page_is_read_within_the_sources_limits(tmp_path: Path, monitor_home) -> None:
    """`sources check` reads pages of an ambiguous shape as a crawl does: past document_seconds, not read."""
    from monitor.crawling.check import CheckReport, read_candidates
    from tests.hostile import documents

    config = tmp_path / "limits.toml"
    config.write_text("[sources.unodc_roca]\nlimits = { document_seconds = 1 }\n", encoding="utf-8")
    source = load_settings(config_path=config).sources["unodc_roca"]
    url = "https://www.unodc.org/centralasia/en/about-us.html"
    report = CheckReport(source.key)
    report.links = [(url, "ambiguous URL shape")]
    page = documents.nested_meta_page(depth=150, megabytes=1)  # seconds of reading
    started = time.monotonic()
    read_candidates(source, report, lambda _url, pdf=False: (page, "text/html"))  # type: ignore[arg-type]
    ((link, rule),) = report.links
    assert link == url and rule.startswith("ambiguous URL shape: skipped, not read: ") and "document_seconds" in rule
    assert time.monotonic() - started < 10
