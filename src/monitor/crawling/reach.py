"""Where a crawl, or a source check, may go: http(s) only, on the source's hosts (and their
subdomains), on the port it came from; moving between http's and https's default ports is an
upgrade, not a move (a service on another port of the same host is another site)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import SplitResult, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def port_of(url: SplitResult) -> int | None:
    """The URL's port, its scheme's default when it names none; None for a port out of range or
    a scheme that is not http(s)."""
    try:
        return url.port or DEFAULT_PORTS.get(url.scheme)
    except ValueError:
        return None


def same_port(origin: SplitResult, target: SplitResult) -> bool:
    before, after = port_of(origin), port_of(target)
    if after is None or target.scheme not in DEFAULT_PORTS:
        return False
    return before == after or {before, after} <= set(DEFAULT_PORTS.values())


def on_ports(url: str, origins: Iterable[str]) -> bool:
    """Whether a link to `url` may be followed from `origins` (the page it is on, the source's
    start URLs): on the port of one of them."""
    target = urlsplit(url)
    return any(same_port(urlsplit(origin), target) for origin in origins)


def on_hosts(host: str, allowed: Sequence[str]) -> bool:
    """Whether `host` is one of `allowed` or below one of them (any host when none is given)."""
    return not allowed or host in allowed or any(host.endswith(f".{name}") for name in allowed)
