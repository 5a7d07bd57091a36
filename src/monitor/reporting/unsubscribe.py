"""Unsubscribe links: a signed token naming the subscriber, so the link works without logging in
and cannot be forged for someone else. No expiry: a link in an old issue must still work."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from monitor.settings.config import Settings
from monitor.settings.secret import signing_secret

SALT = "unsubscribe"


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(signing_secret(settings), salt=SALT)


def unsubscribe_url(settings: Settings, subscriber_id: int) -> str:
    return f"{settings.public_url}/unsubscribe/{_serializer(settings).dumps(subscriber_id)}"


def subscriber_of(settings: Settings, token: str) -> int | None:
    """The subscriber id a token was made for; None for a token not made by us."""
    try:
        value = _serializer(settings).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
