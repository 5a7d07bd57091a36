"""Waiting in tests on a condition, never on a fixed delay."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float = 60.0, every: float = 0.05) -> T:
    """The condition's first truthy value; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        # What tests wait on (rows in a database, a child process's state, a mailbox) gives no
        # signal to block on: look again shortly.
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {getattr(condition, '__name__', condition)}")
