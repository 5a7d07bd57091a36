"""A time limit on reading one page in the crawl process. Extraction is linear in its input, but
trafilatura and htmldate on a large page can still take seconds; past the source's
document_seconds the page is given up, recorded, and its listing entry stands in. An interval
timer interrupts the Python code that reads it; it runs only around that code, never across a
yield to Scrapy, and only in the main thread (where signals are delivered). lxml drops an
exception raised in its callbacks (an element class lookup), so an expired limit is told again
every AGAIN_SECONDS until it ends the reading."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

AGAIN_SECONDS = 0.05


class DocumentTimeout(BaseException):
    """Reading one document took longer than its limit. A BaseException, as KeyboardInterrupt is:
    the libraries it interrupts (trafilatura, htmldate) catch Exception and would read on."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        signal.setitimer(signal.ITIMER_REAL, AGAIN_SECONDS)
        raise DocumentTimeout(f"reading it took more than {seconds:g} s (limit document_seconds)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
