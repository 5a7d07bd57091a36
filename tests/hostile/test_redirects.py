"""Where a crawl follows a redirect: the source's hosts, on the port it came from."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy.http import Request, Response

from scrapers.middlewares import OffsiteRedirectMiddleware


def followed(origin: str, location: str, allowed: list[str]) -> bool:
    crawler = SimpleNamespace(spider=SimpleNamespace(allowed_domains=allowed))
    middleware = OffsiteRedirectMiddleware(crawler)  # type: ignore[arg-type]
    request = Request(origin)
    middleware.process_response(request, Response(origin, status=302, headers={"Location": location}))
    return not request.meta.get("dont_redirect", False)


@pytest.mark.parametrize(
    ("origin", "location", "expected"),
    [
        ("https://www.osce.org/news", "/news?page=2", True),
        ("http://www.osce.org/news", "https://www.osce.org/news", True),  # an upgrade to https
        ("https://www.osce.org/news", "https://astana.osce.org/news", True),  # a subdomain of an allowed host
        ("https://www.osce.org/news", "https://elsewhere.example/page", False),
        ("http://127.0.0.1:8001/news", "http://127.0.0.1:8002/admin", False),  # another port, same host
        ("http://127.0.0.1:8001/news", "http://127.0.0.1/admin", False),
        ("https://www.osce.org/news", "https://www.osce.org:8443/x", False),
        ("https://www.osce.org/news", "ftp://www.osce.org/x", False),
        ("https://www.osce.org/news", "https://www.osce.org:99999/x", False),
    ],
)
def test_redirects_stay_on_the_sources_hosts_and_port(origin: str, location: str, expected: bool) -> None:
    assert followed(origin, location, ["osce.org", "127.0.0.1"]) is expected
