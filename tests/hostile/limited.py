"""Run one hostile case in a forked child under an address-space limit (a budget on top of what
the test process had mapped), with a generous timeout: a case that needs more memory fails
there (MemoryError), not on the machine."""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Outcome:
    value: Any
    seconds: float
    peak_mb: float


def _address_space() -> int:
    """This process's virtual size in bytes (a forked child starts with its parent's)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmSize:"))) << 10


def _child(send: Any, fn: Callable[[], Any], megabytes: int) -> None:
    # The budget is on top of what the test process had mapped already (libraries, threads).
    limit = _address_space() + (megabytes << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.monotonic()
    try:
        value = fn()
    except BaseException as exc:
        value = exc
    send.send((value, time.monotonic() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def bounded(fn: Callable[[], Any], megabytes: int = 1024, timeout: float = 120.0) -> Outcome:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, fn, megabytes), daemon=True)
    child.start()
    send.close()
    if not receive.poll(timeout):
        child.kill()
        raise AssertionError(f"still running after {timeout:.0f} s")
    value, seconds, peak = receive.recv()
    child.join()
    if isinstance(value, BaseException):
        raise value
    return Outcome(value, seconds, peak)
