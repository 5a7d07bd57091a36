"""A time limit on reading one document in the crawl process. Extraction is linear in its input, but
trafilatura and htmldate on a large page can still take seconds; past the source's
document_seconds the page is given up, recorded, and its listing entry stands in. An interval
timer interrupts the Python code that reads it; it runs only around that code, never across a
yield to Scrapy, and only in the main thread (where signals are delivered). lxml drops an
exception raised in its callbacks (an element class lookup), so an expired limit is told again
every AGAIN_SECONDS until it ends the reading."""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any

AGAIN_SECONDS = 0.05


class DocumentTimeout(BaseException):
    """Reading one document took longer than its limit. A BaseException, as KeyboardInterrupt is:
    the libraries it interrupts (trafilatura, htmldate) catch Exception and would read on."""


class _Limit:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.previous: Any = None

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        self.previous = signal.signal(signal.SIGALRM, self._expire)
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds, AGAIN_SECONDS)

    def _expire(self, signum: int, frame: FrameType | None) -> None:
        # An alarm that comes as the limit is taken down interrupts nothing: raised there, it would
        # leave the timer running into code that has no limit.
        if self.armed and not (frame is not None and frame.f_code is _TAKE_DOWN):
            raise DocumentTimeout(f"reading it took more than {self.seconds:g} s (limit document_seconds)")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.armed:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


_TAKE_DOWN = _Limit.__exit__.__code__


def time_limit(seconds: float) -> _Limit:
    return _Limit(seconds)
