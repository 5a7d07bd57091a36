"""Who gets which issue: each digest definition of the config, and each filter set that
subscribers share, with the subscribers (addresses) it goes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from monitor.reporting.selection import DigestError, topics_of
from monitor.settings.config import Settings
from monitor.settings.definitions import DigestDefinition
from monitor.settings.subscribers import FILTER_SET_PREFIX, SubscriberSpec, filter_set
from monitor.storage.store import Store
from monitor.storage.subscribers import listed, remember_filter_sets, spec_of, stored_filter_set, sync_config
from monitor.understanding.classify import Taxonomy


@dataclass(frozen=True)
class Recipient:
    address: str
    subscriber_id: int | None
    wants_empty: bool  # an issue without stories is sent to them as a short note


@dataclass
class Audience:
    definition: DigestDefinition
    recipients: list[Recipient] = field(default_factory=list)

    @property
    def is_filter_set(self) -> bool:
        return self.definition.name.startswith(FILTER_SET_PREFIX)


def audiences(settings: Settings, store: Store, now: datetime) -> dict[str, Audience]:
    """Every definition that has issues (the config's digests, and the filter sets of subscribers
    who are not unsubscribed), by name, each with its recipients."""
    sync_config(store, settings.subscribers, now)
    found = {name: Audience(definition) for name, definition in settings.digests.items()}
    for row in listed(store, active_only=True):
        spec = spec_of(row)
        if spec.follows:
            if spec.follows not in settings.digests:  # its digest left the config: nothing to follow
                continue
            definition = settings.digests[spec.follows]
        else:
            definition = filter_set(spec)
        audience = found.setdefault(definition.name, Audience(definition))
        audience.recipients.append(Recipient(row.address, row.id, row.empty == "note"))
    remember_filter_sets(store, [a.definition for a in found.values() if a.is_filter_set], now)
    return found


def definition_named(settings: Settings, store: Store, name: str) -> DigestDefinition:
    """A config digest, or a filter set (also one whose subscribers have all left)."""
    if name.startswith(FILTER_SET_PREFIX) and (definition := stored_filter_set(store, name)) is not None:
        return definition
    return settings.digest(name)


def check_filters(settings: Settings, taxonomy: Taxonomy, spec: SubscriberSpec) -> None:
    """DigestError naming each filter value the taxonomy or the sources do not know."""
    if spec.follows:
        return
    try:
        topics_of(taxonomy, filter_set(spec))
    except DigestError as exc:
        raise DigestError(str(exc).replace(f"digest {filter_set(spec).name!r}", f"subscriber {spec.name!r}")) from None
    known = {
        "countries": {c.name for c in taxonomy.countries},
        "organisations": {o.name.casefold() for o in taxonomy.organisations},
        "sources": set(settings.sources),
    }
    for key, names in known.items():
        given = spec.filters.get(key, ())
        unknown = [v for v in given if (v.casefold() if key == "organisations" else v) not in names]
        if unknown:
            raise DigestError(
                f"subscriber {spec.name!r}: unknown {key}: {', '.join(unknown)}; known: {', '.join(sorted(names))}"
            )
