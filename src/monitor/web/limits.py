"""Login attempts, limited per address and e-mail and per address alone, in this process's memory
(a restart forgets them; an attacker cannot make one)."""

from __future__ import annotations

import threading
import time
from collections import deque

SWEEP_AT = 10_000  # keys remembered before the expired ones are first swept out


def _account(email: str) -> str:
    """The e-mail as sign-in reads it: " Ana@X.org " is one account, and so one count."""
    return email.strip().lower()


class LoginLimiter:
    def __init__(self, per_account: int = 5, per_address: int = 30, window_s: float = 600.0) -> None:
        self.per_account, self.per_address, self.window_s = per_account, per_address, window_s
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()
        self._sweep_at = SWEEP_AT

    def __len__(self) -> int:
        """How many (address, account) keys are remembered."""
        with self._lock:
            return len(self._failures)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:  # only failures are remembered: asking about any e-mail costs no memory
            self._failures.pop(key, None)
        return times

    def retry_after(self, address: str, email: str) -> float:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = [
                times[0] + self.window_s - now
                for key, limit in (((address, _account(email)), self.per_account), ((address, ""), self.per_address))
                if len(times := self._recent(key, now)) >= limit
            ]
        return max(waits, default=0.0)

    def failed(self, address: str, email: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) >= self._sweep_at:
                for key in list(self._failures):
                    self._recent(key, now)
                self._sweep_at = max(SWEEP_AT, 2 * len(self._failures))  # sweeps stay rare however many live
            self._failures.setdefault((address, _account(email)), deque()).append(now)
            self._failures.setdefault((address, ""), deque()).append(now)

    def succeeded(self, address: str, email: str) -> None:
        with self._lock:
            self._failures.pop((address, _account(email)), None)
