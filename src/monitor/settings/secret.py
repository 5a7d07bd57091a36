"""The key that signs session cookies, unsubscribe links and private feed URLs."""

from __future__ import annotations

import secrets

from monitor.settings.config import Settings


def signing_secret(settings: Settings, given: str | None = None) -> str:
    """Given, or MONITOR_WEB_SECRET, or one made once and kept in the monitor's home readable by its
    owner only, so that every process on the home (web servers, the mailer) signs alike."""
    if given or settings.web_secret:
        return given or settings.web_secret or ""
    path = settings.home / "web-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
