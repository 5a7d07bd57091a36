"""The key that signs session cookies, unsubscribe links and private feed URLs."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from monitor.settings.config import ConfigError, Settings

MIN_KEY_CHARS = 32  # a made key has 64; anything shorter in the file was cut off or put there by hand


def signing_secret(settings: Settings, given: str | None = None) -> str:
    """Given, or MONITOR_WEB_SECRET, or one made once and kept in the monitor's home readable by its
    owner only, so that every process on the home (web servers, the mailer) signs alike."""
    if given or settings.web_secret:
        return given or settings.web_secret or ""
    path = settings.home / "web-secret"
    if not path.exists():
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    """Write a new key beside `path` and link it into place: the link appears whole or not at
    all, so processes starting together never read a half-written file, and the first link wins
    for all of them."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".web-secret-", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(secrets.token_urlsafe(48))
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):  # another process linked its key first
                os.link(temporary, path)
        finally:
            Path(temporary).unlink()
    except OSError as exc:  # a read-only home, or a file system without hard links
        raise ConfigError(
            f"{path}: cannot make the web signing key ({exc.strerror}); "
            "set MONITOR_WEB_SECRET to a random string of at least 32 characters"
        ) from None


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: the web signing key cannot be read: {exc}") from None
    if len(key) < MIN_KEY_CHARS:
        # an empty key would sign cookies and unsubscribe links anyone can forge
        raise ConfigError(
            f"{path}: the web signing key is {'empty' if not key else f'only {len(key)} characters'} "
            f"(at least {MIN_KEY_CHARS} needed); delete the file to have a new one made, "
            "or set MONITOR_WEB_SECRET"
        )
    return key
