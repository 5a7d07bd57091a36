"""The time limit on reading one document, in the process that reads it."""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from pathlib import Path
from types import FrameType

import pytest

from monitor.crawling.extract import deadline
from monitor.crawling.extract.deadline import DocumentTimeout, time_limit


def reading(seconds: float) -> None:
    """Python work, as reading a page is, for `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def swallowing_reader() -> None:
    """Five seconds of work in two parts, the first inside a callback that drops what it raises,
    as lxml does with an exception raised in an element class lookup."""
    with contextlib.suppress(DocumentTimeout):
        reading(2.5)
    reading(2.5)


def no_timer_left(handler: object) -> bool:
    """The timer stopped and the alarm's handler given back: nothing can fire after the reading."""
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) is handler


def test_a_time_limit_a_library_swallows_is_told_again_until_the_reading_ends() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimeout, match="limit document_seconds"), time_limit(0.05):
        swallowing_reader()
    assert time.monotonic() - started < 2  # the second part was cut short too


def test_a_reading_within_its_limit_is_left_alone() -> None:
    handler = signal.getsignal(signal.SIGALRM)
    with time_limit(0.2):
        reading(0.01)
    assert no_timer_left(handler)


def test_an_alarm_as_the_limit_is_taken_down_leaves_no_timer_behind() -> None:
    """The alarm is raised just as the timer is about to be stopped, the one moment where raising
    would skip stopping it."""
    source = Path(deadline.__file__).read_text().splitlines()
    disarm = next(n for n, line in enumerate(source, 1) if "setitimer(signal.ITIMER_REAL, 0)" in line)

    def alarm_at_disarm(frame: FrameType, event: str, arg: object) -> object:
        if event == "line" and frame.f_code.co_filename == deadline.__file__ and frame.f_lineno == disarm:
            sys.settrace(None)
            frame.f_trace = None
            signal.raise_signal(signal.SIGALRM)
        return alarm_at_disarm

    handler = signal.getsignal(signal.SIGALRM)
    with contextlib.suppress(DocumentTimeout):  # raised at the end of the reading, or not at all
        sys.settrace(alarm_at_disarm)
        try:
            with time_limit(5):
                pass
        finally:
            sys.settrace(None)
    assert no_timer_left(handler)
