"""Leases in the database: one holder at a time for each crawl and digest, across processes
and machines that share the database. A holder renews its lease while it works; one that dies
stops renewing, and its lease expires (at once, if it lived on this host and its pid is gone)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from monitor.storage.engine import as_utc
from monitor.storage.models import LeaseRow
from monitor.storage.store import Store

logger = logging.getLogger(__name__)
HOST = socket.gethostname()


class Busy(RuntimeError):
    """Another process holds the lease; the message says who and until when."""

    def __init__(self, name: str, holder: str, expires_at: datetime) -> None:
        super().__init__(
            f"{name} is running elsewhere ({holder}; its lease runs to {expires_at:%Y-%m-%d %H:%M:%S} UTC)"
        )
        self.name, self.holder = name, holder


def _now() -> datetime:
    return datetime.now(UTC)


def _holder_is_dead(holder: str) -> bool:
    """True only for a holder on this host whose process no longer exists."""
    host, _, rest = holder.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != HOST or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class Lease:
    """`with Lease(store, ["crawl:osce_astana"]):` runs the block holding every named lease."""

    store: Store
    names: Sequence[str]
    ttl: timedelta = timedelta(minutes=2)
    wait: float = 0.0  # seconds to wait for a busy lease before giving up
    holder: str = field(default_factory=lambda: f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def _try_acquire(self) -> None:
        now = _now()
        values = {"holder": self.holder, "acquired_at": now, "expires_at": now + self.ttl}
        with self.store.session() as session, session.begin():
            for name in sorted(self.names):  # one order everywhere: no two acquirers deadlock
                taken = session.execute(
                    update(LeaseRow)
                    .where(LeaseRow.name == name, (LeaseRow.expires_at < now) | (LeaseRow.holder == self.holder))
                    .values(**values)
                ).rowcount
                if taken:
                    continue
                row = session.execute(select(LeaseRow.holder, LeaseRow.expires_at).where(LeaseRow.name == name)).first()
                if row is None:
                    session.execute(insert(LeaseRow).values(name=name, **values))
                elif _holder_is_dead(row.holder):
                    session.execute(
                        update(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == row.holder).values(**values)
                    )
                else:
                    raise Busy(name, row.holder, as_utc(row.expires_at))

    def acquire(self) -> Lease:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                self._try_acquire()
                break
            except IntegrityError:  # another process inserted the same lease a moment ago
                busy = Busy(", ".join(self.names), "another process", _now() + self.ttl)
            except Busy as exc:
                busy = exc
            if time.monotonic() >= deadline:
                raise busy
            # The holder gives no signal when it lets go: look again every second until the deadline.
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        self._thread = threading.Thread(target=self._renew, name="lease-renewal", daemon=True)
        self._thread.start()
        return self

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl.total_seconds() / 4):
            try:
                with self.store.session() as session, session.begin():
                    kept = session.execute(
                        update(LeaseRow)
                        .where(LeaseRow.name.in_(self.names), LeaseRow.holder == self.holder)
                        .values(expires_at=_now() + self.ttl)
                    ).rowcount
                if kept < len(self.names):
                    logger.error("lease lost: %s (another process took it after it expired)", ", ".join(self.names))
            except OperationalError as exc:  # a busy or unreachable database: try again next beat
                logger.warning("cannot renew lease %s: %s", ", ".join(self.names), exc)

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self.store.session() as session, session.begin():
            session.execute(delete(LeaseRow).where(LeaseRow.name.in_(self.names), LeaseRow.holder == self.holder))

    def __enter__(self) -> Lease:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def held(store: Store) -> list[LeaseRow]:
    """Every lease not yet expired."""
    with store.session() as session:
        return list(session.scalars(select(LeaseRow).where(LeaseRow.expires_at >= _now()).order_by(LeaseRow.name)))
