"""Who each queue worker is (host:pid, its queues and slots), beside the queue's own record of
its id and heartbeat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete

from monitor.storage.models import QueueWorkerRow
from monitor.storage.store import Store


def announce(store: Store, worker_id: int, name: str, queues: Sequence[str], concurrency: int, now: datetime) -> None:
    with store.session() as session, session.begin():
        session.merge(
            QueueWorkerRow(
                worker_id=worker_id, name=name, queues=",".join(queues), concurrency=concurrency, started_at=now
            )
        )


def retire(store: Store, worker_id: int) -> None:
    with store.session() as session, session.begin():
        session.execute(delete(QueueWorkerRow).where(QueueWorkerRow.worker_id == worker_id))
