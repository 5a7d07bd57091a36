"""The time limit on reading one document, in the process that reads it."""

from __future__ import annotations

import contextlib
import time

import pytest

from monitor.crawling.extract.deadline import DocumentTimeout, time_limit


def swallowing_reader() -> None:
    """Five seconds of work in two parts, the first inside a callback that drops what it raises,
    as lxml does with an exception raised in an element class lookup."""
    with contextlib.suppress(DocumentTimeout):
        time.sleep(2.5)
    time.sleep(2.5)


def test_a_time_limit_a_library_swallows_is_told_again_until_the_reading_ends() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimeout, match="limit document_seconds"), time_limit(0.05):
        swallowing_reader()
    assert time.monotonic() - started < 2  # the second part was cut short too


def test_a_reading_within_its_limit_is_left_alone() -> None:
    with time_limit(0.2):
        time.sleep(0.01)
    time.sleep(0.3)  # the timer is gone with the reading: nothing fires afterwards
