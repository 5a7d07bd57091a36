"""Digest definitions from the config, and the periods they cover.

A period ends at a boundary of the definition's calendar (weekly: Monday 00:00, monthly: the 1st,
or any cron expression) in its timezone; an issue covers everything since the previous issue."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from monitor.settings.addresses import AddressError, check_address
from monitor.settings.names import check_name

NAMED_PERIODS = {"daily": "0 0 * * *", "weekly": "0 0 * * mon", "monthly": "0 0 1 * *"}
EMPTY_CHOICES = ("note", "skip")
LONGEST_LOOKBACK = timedelta(days=800)
CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
FILTERS = ("topics", "countries", "organisations", "sources", "languages", "searches")
LOWER_CASE = ("countries", "languages")


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A trigger from a standard five-field cron expression. APScheduler 3 reads numeric days of
    the week as 0 = Monday; cron means 0 (and 7) = Sunday, so numbers become names first."""
    fields = expression.split()
    if len(fields) == 5:
        fields[4] = re.sub(r"\d+", lambda m: CRON_DAYS[int(m.group()) % 7], fields[4])
    return CronTrigger.from_crontab(" ".join(fields), timezone=ZoneInfo(timezone))


class DefinitionError(ValueError):
    """A digest definition cannot be used; the message names it and the key."""


@dataclass(frozen=True)
class DigestDefinition:
    name: str
    title: str
    period: str  # weekly, monthly, daily, or a five-field cron expression
    timezone: str
    topics: tuple[str, ...]  # topic keys or topic/subtopic; empty: every tracked topic
    countries: tuple[str, ...]  # empty: any country, or none
    recipients: tuple[str, ...]  # e-mail addresses and channel:NAME
    empty: str  # "note": send a short no-activity note; "skip": send nothing
    organisations: tuple[str, ...] = ()  # each filter: empty means any; a story matches one value of each
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    searches: tuple[str, ...] = ()  # full-text queries as in the web view; a story matches one of them

    @property
    def cron(self) -> str:
        return NAMED_PERIODS.get(self.period, self.period)

    def trigger(self) -> CronTrigger:
        return cron_trigger(self.cron, self.timezone)

    def last_boundary(self, now: datetime) -> datetime:
        """The latest period boundary at or before `now` (UTC)."""
        trigger = self.trigger()
        lookback = timedelta(days=1)
        while lookback <= LONGEST_LOOKBACK:
            boundary = trigger.get_next_fire_time(None, now - lookback)
            if boundary is not None and boundary <= now:
                # stepped in UTC: from a wall-clock time the clocks go back over (the second
                # 01:30 of a night), a second on in local time is the first 01:30 again
                while (following := trigger.get_next_fire_time(boundary, _second_after(boundary))) <= now:
                    if following <= boundary:  # no later boundary can be told apart: this one stands
                        break
                    boundary = following
                return boundary.astimezone(UTC)
            lookback *= 2
        raise DefinitionError(f"digest {self.name!r}: period {self.period!r} has no boundary in the last 800 days")


def _second_after(moment: datetime) -> datetime:
    return moment.astimezone(UTC) + timedelta(seconds=1)


def _strings(name: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise DefinitionError(f"digest {name!r}: {key} must be a list of strings, not {value!r}")
    values = (v.strip() for v in value)
    return tuple(v.lower() if key in LOWER_CASE else v for v in values if v)


def _address(name: str, value: str) -> str:
    try:
        return check_address(value)
    except AddressError as exc:
        raise DefinitionError(f"digest {name!r}: {exc}") from None


def definition_from_mapping(name: str, data: Mapping[str, Any], default_title: str) -> DigestDefinition:
    try:
        check_name("digest name", name)
    except ValueError as exc:
        raise DefinitionError(str(exc)) from None
    unknown = set(data) - {"title", "period", "timezone", "recipients", "empty", *FILTERS}
    if unknown:
        raise DefinitionError(f"digest {name!r}: unknown key(s) {', '.join(sorted(unknown))}")
    definition = DigestDefinition(
        name=name,
        title=str(data.get("title", default_title)),
        period=str(data.get("period", "weekly")),
        timezone=str(data.get("timezone", "Asia/Almaty")),
        recipients=tuple(
            dict.fromkeys(_address(name, r) for r in _strings(name, "recipients", data.get("recipients", [])))
        ),
        empty=str(data.get("empty", "note")),
        **{key: _strings(name, key, data.get(key, [])) for key in FILTERS},
    )
    check_schedule(f"digest {name!r}", definition.period, definition.timezone, definition.empty)
    return definition


def check_schedule(what: str, period: str, timezone: str, empty: str) -> None:
    """DefinitionError, naming `what`, unless the period, timezone and empty choice can be used."""
    if empty not in EMPTY_CHOICES:
        raise DefinitionError(f"{what}: empty must be one of {', '.join(EMPTY_CHOICES)}")
    try:
        cron_trigger(NAMED_PERIODS.get(period, period), timezone)
    except ZoneInfoNotFoundError:
        raise DefinitionError(f"{what}: unknown timezone {timezone!r}") from None
    except ValueError as exc:
        raise DefinitionError(f"{what}: period must be daily, weekly, monthly or a cron expression: {exc}") from None
