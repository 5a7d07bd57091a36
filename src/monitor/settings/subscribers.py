"""Subscribers as the config writes them (`[subscribers.NAME]`), and the shared digest definition
of a subscriber's filters: subscribers with the same filters, period and timezone share one, so
one PDF is rendered for all of them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.settings.addresses import AddressError, check_address
from monitor.settings.definitions import (
    FILTERS,
    LOWER_CASE,
    NAMED_PERIODS,
    DefinitionError,
    DigestDefinition,
    check_schedule,
)

FILTER_SET_PREFIX = "f-"
EVERY_SUBSCRIBER = "subscribers"  # the digest job of every subscriber's own digest (not a definition's name)
DEFAULT_TIMEZONE = "Asia/Almaty"


@dataclass(frozen=True)
class SubscriberSpec:
    name: str
    address: str  # e-mail or channel:NAME
    period: str = "weekly"  # daily, weekly, monthly or a five-field cron expression
    timezone: str = DEFAULT_TIMEZONE
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # FILTERS keys; absent: any
    follows: str = ""  # a digest definition whose issues they get instead of their own filters
    empty: str = "note"  # an empty period: "note" sends a short note, "skip" nothing

    def describe(self) -> str:
        if self.follows:
            return f"follows digest {self.follows}"
        parts = [f"{key} {', '.join(values)}" for key, values in self.filters.items() if values]
        return f"{self.period}: " + ("; ".join(parts) or "everything tracked")


def normalised_filters(name: str, data: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    filters = {}
    for key in FILTERS:
        value = data.get(key, [])
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise DefinitionError(f"subscriber {name!r}: {key} must be a list of strings, not {value!r}")
        values = [v.strip().lower() if key in LOWER_CASE else v.strip() for v in value]
        if kept := tuple(sorted(dict.fromkeys(v for v in values if v))):
            filters[key] = kept
    return filters


def subscriber_spec(name: str, data: Mapping[str, Any], digests: Mapping[str, DigestDefinition]) -> SubscriberSpec:
    """A subscriber from the config or the command line; DefinitionError names what is wrong."""
    unknown = set(data) - {"address", "period", "timezone", "follows", "empty", *FILTERS}
    if unknown:
        raise DefinitionError(f"subscriber {name!r}: unknown key(s) {', '.join(sorted(unknown))}")
    if not name.strip() or len(name) > 200:
        raise DefinitionError("a subscriber's name must be 1 to 200 characters")
    try:
        address = check_address(str(data.get("address", "")))
    except AddressError as exc:
        raise DefinitionError(f"subscriber {name!r}: {exc}") from None
    spec = SubscriberSpec(
        name=name,
        address=address,
        period=str(data.get("period", "weekly")),
        timezone=str(data.get("timezone", DEFAULT_TIMEZONE)),
        filters=normalised_filters(name, data),
        follows=str(data.get("follows", "")),
        empty=str(data.get("empty", "note")),
    )
    if spec.follows and spec.follows not in digests:
        known = ", ".join(sorted(digests)) or "none configured"
        raise DefinitionError(f"subscriber {name!r}: follows unknown digest {spec.follows!r}; known: {known}")
    if spec.follows and spec.filters:
        raise DefinitionError(f"subscriber {name!r}: follows a digest, so it cannot also have filters")
    check_schedule(f"subscriber {name!r}", spec.period, spec.timezone, spec.empty)
    return spec


def config_subscribers(raw: Mapping[str, Any], digests: Mapping[str, DigestDefinition]) -> dict[str, SubscriberSpec]:
    """`[subscribers.NAME]` tables, and each `[digests.NAME] recipients` entry as a subscriber
    following that digest (named "NAME/address"), so that every reader can unsubscribe alike."""
    specs = {name: subscriber_spec(name, data, digests) for name, data in raw.items()}
    for definition in digests.values():
        for address in definition.recipients:
            name = f"{definition.name}/{address}"
            specs[name] = SubscriberSpec(name, address, follows=definition.name, empty=definition.empty)
    return specs


def _title(spec: SubscriberSpec) -> str:
    def words(values: tuple[str, ...]) -> str:
        return ", ".join(v.rsplit("/", 1)[-1].replace("_", " ").capitalize() for v in values)

    f = spec.filters
    parts = [words(f.get("topics", ())), words(f.get("countries", ())), ", ".join(f.get("organisations", ()))]
    parts += [", ".join(f.get("sources", ())), "/".join(f.get("languages", ()))]
    parts += [", ".join(f"“{q}”" for q in f.get("searches", ()))]
    label = spec.period.capitalize() if spec.period in NAMED_PERIODS else "Your"
    return f"{label} digest: " + (" · ".join(p for p in parts if p) or "justice and gender equality")


def filter_set(spec: SubscriberSpec) -> DigestDefinition:
    """The digest definition shared by every subscriber with these filters, period and timezone;
    its name is a digest of them, so the same filters always give the same issues."""
    key = json.dumps([spec.period, spec.timezone, sorted(spec.filters.items())], ensure_ascii=False)
    return DigestDefinition(
        name=FILTER_SET_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:16],
        title=_title(spec),
        period=spec.period,
        timezone=spec.timezone,
        recipients=(),
        empty="note",  # each subscriber's own choice decides whether an empty issue is sent
        **{k: spec.filters.get(k, ()) for k in FILTERS},
    )


def filter_set_spec(definition: DigestDefinition) -> dict[str, Any]:
    """What the store keeps of a filter set, to rebuild its past issues."""
    return {
        "title": definition.title,
        "period": definition.period,
        "timezone": definition.timezone,
        **{k: list(getattr(definition, k)) for k in FILTERS},
    }


def filter_set_from_spec(name: str, data: Mapping[str, Any]) -> DigestDefinition:
    return DigestDefinition(
        name=name,
        title=str(data["title"]),
        period=str(data["period"]),
        timezone=str(data["timezone"]),
        recipients=(),
        empty="note",
        **{k: tuple(data.get(k, ())) for k in FILTERS},
    )


def digest_names(name: str) -> tuple[list[str], bool]:
    """A digest job's name as (definition names, every subscriber's own too)."""
    return ([], True) if name == EVERY_SUBSCRIBER else ([name], False)
