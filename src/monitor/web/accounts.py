"""User accounts and API tokens: argon2id password hashes, tokens kept only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from monitor.storage.engine import as_utc
from monitor.storage.models import ApiTokenRow, UserRow
from monitor.storage.store import Store

ROLES = ("viewer", "operator", "admin")  # each may do what the ones before it may
MIN_PASSWORD = 10
TOKEN_USE_GRAIN = timedelta(minutes=10)  # how finely a token's last use is recorded
_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so that a login takes as long whether or not the account exists.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """An account cannot be made or changed as asked; the message says why."""


def may(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise AccountError(f"not an e-mail address: {email!r}")
    return email


def add_user(store: Store, email: str, role: str, password: str, now: datetime) -> UserRow:
    """A new account, or a new password and role for an existing one."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    email = normal_email(email)
    with store.session() as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.email == email))
        if row is None:
            row = UserRow(email=email, created_at=now)
            session.add(row)
        row.role, row.password_hash, row.account_key = role, _hasher.hash(password), secrets.token_hex(16)
        session.flush()
        return row


def set_role(store: Store, user_id: int, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    with store.session() as session, session.begin():
        session.execute(update(UserRow).where(UserRow.id == user_id).values(role=role))


def remove_user(store: Store, user_id: int) -> None:
    with store.session() as session, session.begin():
        session.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == user_id))
        session.execute(delete(UserRow).where(UserRow.id == user_id))


def users(store: Store) -> list[UserRow]:
    with store.session() as session:
        return list(session.scalars(select(UserRow).order_by(UserRow.email)))


def user(store: Store, user_id: int) -> UserRow | None:
    with store.session() as session:
        return session.get(UserRow, user_id)


def authenticate(store: Store, email: str, password: str, now: datetime) -> UserRow | None:
    try:
        email = normal_email(email)
    except AccountError:
        return None
    with store.session() as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.email == email))
        try:
            _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if _hasher.check_needs_rehash(row.password_hash):  # the same password: its sessions go on
            row.account_key = row.account_key or row.password_hash
            row.password_hash = _hasher.hash(password)
        row.last_login_at = now
        return row


def stamp(user: UserRow) -> str:
    """What tells this account from any other that has had its id or e-mail: its random key, new
    with each password (an account made before keys: its password hash, which holds a random
    salt). Sessions and feed tokens carry it, and end when it changes."""
    key = user.account_key or user.password_hash
    return hashlib.sha256(f"{user.id}\n{user.email}\n{key}".encode()).hexdigest()[:20]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(store: Store, email: str, now: datetime) -> str:
    """A new API token for the user; shown once, only its hash is stored."""
    email = normal_email(email)
    token = "pm_" + secrets.token_urlsafe(32)
    with store.session() as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.email == email))
        if row is None:
            raise AccountError(f"no user {email}; add one with `monitor users add {email} --role viewer`")
        session.add(ApiTokenRow(user_id=row.id, token_hash=_token_hash(token), created_at=now))
    return token


def user_for_token(store: Store, token: str, now: datetime) -> UserRow | None:
    with store.session() as session, session.begin():
        found = session.execute(
            select(UserRow, ApiTokenRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == _token_hash(token))
        ).first()
        if found is None:
            return None
        last = found[1].last_used_at
        if last is None or now - as_utc(last) > TOKEN_USE_GRAIN:  # not a write per request
            found[1].last_used_at = now
        return found[0]
