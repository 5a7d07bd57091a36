"""Where an issue goes: an e-mail address, or a chat channel named `channel:NAME` whose Apprise URL
(Slack, Teams, Telegram, Matrix, webhooks) is read from the environment variable
MONITOR_CHANNEL_NAME, because such URLs carry the channel's secret token."""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.utils import parseaddr

CHANNEL_PREFIX = "channel:"
CHANNEL_ENV_PREFIX = "MONITOR_CHANNEL_"
CHANNEL_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+|[^@\s<>,;]+@localhost")


class AddressError(ValueError):
    """Not an e-mail address nor a channel name; the message shows the value."""


def is_channel(address: str) -> bool:
    return address.startswith(CHANNEL_PREFIX)


def channel_name(address: str) -> str:
    return address.removeprefix(CHANNEL_PREFIX)


def check_address(address: str) -> str:
    """The address as stored (channel names lower-case); AddressError when it is neither kind."""
    address = address.strip()
    if is_channel(address):
        name = channel_name(address).lower()
        if not CHANNEL_NAME.fullmatch(name):
            raise AddressError(f"not a channel name (letters, digits and '-'): {address!r}")
        return CHANNEL_PREFIX + name
    if not EMAIL.fullmatch(address):
        raise AddressError(f"not an e-mail address or channel:NAME: {address!r}")
    if problem := address_problem(address):
        raise AddressError(problem)
    return address


def address_problem(address: str) -> str:
    """Why SMTP cannot carry this address as written, "" when it can: non-ASCII (this sender
    does not speak SMTPUTF8), control characters, or a quote, comment or group that mail
    programs read as another address ("x:y@example.org" is y@example.org)."""
    plain = parseaddr(address)[1]
    if plain == address and plain.isascii() and plain.isprintable() and " " not in plain:
        return ""
    why = "non-ASCII, and SMTPUTF8 is not used" if not address.isascii() else "mail programs read it otherwise"
    return f"not an address this sender can use as written ({why}): {address[:200]!r}"


def channel_env(name: str) -> str:
    """The environment variable holding a channel's URL: channel:ops-kz -> MONITOR_CHANNEL_OPS_KZ."""
    return CHANNEL_ENV_PREFIX + name.upper().replace("-", "_")


def channels_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """channel name -> Apprise URL, from every MONITOR_CHANNEL_* variable."""
    return {
        key.removeprefix(CHANNEL_ENV_PREFIX).lower().replace("_", "-"): value
        for key, value in env.items()
        if key.startswith(CHANNEL_ENV_PREFIX) and value.strip()
    }
