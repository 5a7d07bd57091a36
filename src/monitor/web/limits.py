"""Login attempts, limited per address and e-mail and per address alone, in this process's memory
(a restart forgets them; an attacker cannot make one)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginLimiter:
    def __init__(self, per_account: int = 5, per_address: int = 30, window_s: float = 600.0) -> None:
        self.per_account, self.per_address, self.window_s = per_account, per_address, window_s
        self._failures: defaultdict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def retry_after(self, address: str, email: str) -> float:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = [
                times[0] + self.window_s - now
                for key, limit in (((address, email.lower()), self.per_account), ((address, ""), self.per_address))
                if len(times := self._recent(key, now)) >= limit
            ]
        return max(waits, default=0.0)

    def failed(self, address: str, email: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures[(address, email.lower())].append(now)
            self._failures[(address, "")].append(now)

    def succeeded(self, address: str, email: str) -> None:
        with self._lock:
            self._failures.pop((address, email.lower()), None)
