"""Subscribers and the filter sets they share, in the database. The config's subscribers are kept
in step with the file (added, changed, removed); an unsubscribe is kept whatever the file says."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.settings.definitions import DigestDefinition
from monitor.settings.subscribers import SubscriberSpec, filter_set_from_spec, filter_set_spec
from monitor.storage.models import DeliveryRow, FilterSetRow, SubscriberRow
from monitor.storage.store import Store


class SubscriberError(ValueError):
    """A subscriber cannot be added or found; the message names it."""


def spec_of(row: SubscriberRow) -> SubscriberSpec:
    return SubscriberSpec(
        name=row.name,
        address=row.address,
        period=row.period,
        timezone=row.timezone,
        filters={key: tuple(values) for key, values in (row.filters or {}).items()},
        follows=row.follows,
        empty=row.empty,
    )


def _fill(row: SubscriberRow, spec: SubscriberSpec) -> None:
    row.address, row.period, row.timezone = spec.address, spec.period, spec.timezone
    row.filters = {key: list(values) for key, values in spec.filters.items()}
    row.follows, row.empty = spec.follows, spec.empty


def add(store: Store, spec: SubscriberSpec, origin: str, now: datetime, owner_id: int | None = None) -> SubscriberRow:
    row = SubscriberRow(name=spec.name, origin=origin, owner_id=owner_id, created_at=now, unsubscribed_via="")
    _fill(row, spec)
    try:
        with store.session() as session, session.begin():
            session.add(row)
    except IntegrityError:
        raise SubscriberError(f"a subscriber named {spec.name!r} exists already") from None
    return row


def find(store: Store, name_or_id: str | int) -> SubscriberRow:
    """By name, or by id when given a number."""
    with store.session() as session:
        query = select(SubscriberRow).where(SubscriberRow.name == str(name_or_id))
        row = session.scalar(query)
        if row is None and str(name_or_id).isdigit():
            row = session.get(SubscriberRow, int(name_or_id))
        if row is None:
            raise SubscriberError(f"no subscriber {name_or_id!r} (monitor subscribers list shows them)")
        return row


def listed(store: Store, owner_id: int | None = None, active_only: bool = False) -> list[SubscriberRow]:
    with store.session() as session:
        query = select(SubscriberRow).order_by(SubscriberRow.name)
        if owner_id is not None:
            query = query.where(SubscriberRow.owner_id == owner_id)
        if active_only:
            query = query.where(SubscriberRow.unsubscribed_at.is_(None))
        return list(session.scalars(query))


def remove(store: Store, subscriber_id: int) -> None:
    with store.session() as session, session.begin():
        row = session.get(SubscriberRow, subscriber_id)
        if row is not None:
            _withdraw(session, subscriber_id, "the subscriber was removed")
            session.delete(row)


def unsubscribe(store: Store, subscriber_id: int, via: str, now: datetime) -> SubscriberRow | None:
    """Stop the subscriber's next issues, and those not yet sent (waiting for a retry); recorded
    with when and how. Idempotent."""
    with store.session() as session, session.begin():
        row = session.get(SubscriberRow, subscriber_id)
        if row is not None and row.unsubscribed_at is None:
            row.unsubscribed_at, row.unsubscribed_via = now, via[:64]
            _withdraw(session, subscriber_id, f"unsubscribed ({via[:64]})")
        return row


def _withdraw(session: Session, subscriber_id: int, why: str) -> None:
    """The subscriber's deliveries not yet sent are not sent: "no further issue goes to" them."""
    session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.subscriber_id == subscriber_id, DeliveryRow.status.in_(("pending", "failed")))
        .values(status="withdrawn", next_attempt_at=None, error=why)
    )


def resubscribe(store: Store, subscriber_id: int) -> None:
    with store.session() as session, session.begin():
        row = session.get(SubscriberRow, subscriber_id)
        if row is not None:
            row.unsubscribed_at, row.unsubscribed_via = None, ""


def sync_config(store: Store, specs: Mapping[str, SubscriberSpec], now: datetime) -> None:
    """Make the config's subscribers in the database match the file: new ones added, changed ones
    updated, ones no longer in the file removed. A name taken by a subscriber added elsewhere is
    left alone (the file's entry is then not used)."""
    with store.session() as session, session.begin():
        rows = {
            row.name: row
            for row in session.scalars(
                select(SubscriberRow).where(or_(SubscriberRow.origin == "config", SubscriberRow.name.in_(list(specs))))
            )
        }
        for name, row in rows.items():
            if row.origin == "config" and name not in specs:
                _withdraw(session, row.id, "the subscriber was removed from the config")
                session.delete(row)
        for name, spec in specs.items():
            row = rows.get(name)
            if row is None:
                row = SubscriberRow(name=name, origin="config", created_at=now, unsubscribed_via="")
                session.add(row)
            elif row.origin != "config":
                continue
            if row.id is None or spec_of(row) != spec:
                _fill(row, spec)


def remember_filter_sets(store: Store, definitions: Iterable[DigestDefinition], now: datetime) -> None:
    """Keep each filter set's definition, so its issues can be rebuilt after its subscribers leave."""
    wanted = {d.name: d for d in definitions}
    with store.session() as session:
        known = set(session.scalars(select(FilterSetRow.name).where(FilterSetRow.name.in_(list(wanted)))))
    for name in wanted.keys() - known:
        try:
            with store.session() as session, session.begin():
                session.add(FilterSetRow(name=name, spec=filter_set_spec(wanted[name]), created_at=now))
        except IntegrityError:  # another process kept it a moment ago
            pass


def stored_filter_set(store: Store, name: str) -> DigestDefinition | None:
    with store.session() as session:
        row = session.get(FilterSetRow, name)
        return filter_set_from_spec(row.name, row.spec) if row is not None else None


def filter_set_titles(store: Store) -> dict[str, str]:
    """Each kept filter set's name -> its title, for lists of issues."""
    with store.session() as session:
        return {row.name: str(row.spec.get("title", row.name)) for row in session.scalars(select(FilterSetRow))}
