"""Feed tokens: what a feed reader, which cannot sign in, puts in a private feed's URL.

A token is the user's id and a stamp of the account, signed with the site's key under its own
salt, so that it opens feeds and nothing else (it is neither a session nor an API token). It
stops working when the account is removed, or made again, or its password changes: changing the
password is how a user revokes a feed URL that leaked."""

from __future__ import annotations

import hmac

from itsdangerous import BadSignature, URLSafeSerializer

from monitor.storage.models import UserRow
from monitor.storage.store import Store
from monitor.web import accounts

SALT = "feed"


def feed_token(secret: str, user: UserRow) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps([user.id, accounts.stamp(user)])


def token_user(store: Store, secret: str, token: str) -> UserRow | None:
    """The user whose token this is, while it is valid; None for anything else (blocking: reads
    the database)."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], int) and isinstance(data[1], str)):
        return None
    user = accounts.user(store, data[0])
    if user is None or not hmac.compare_digest(accounts.stamp(user), data[1]):
        return None
    return user if user.role in accounts.ROLES else None
