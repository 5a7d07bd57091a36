"""What every request handler shares: settings, the store, templates, running jobs, limits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from monitor.reporting.selection import tag_values
from monitor.settings.config import Settings
from monitor.storage.store import Store
from monitor.web.limits import LoginLimiter
from monitor.web.queries import ChoiceCache
from monitor.web.security import safe_url
from monitor.web.tasks import Tasks


def _when(moment: Any) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else ""


def templates(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir / "web"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["when"] = _when
    env.filters["story_tags"] = lambda story, kind: tag_values([m.release for m in story.members], kind)
    env.filters["label"] = lambda value: str(value).replace("_", " ").replace("/", " › ")
    return env


@dataclass
class Web:
    settings: Settings
    store: Store
    env: Environment
    tasks: Tasks
    limiter: LoginLimiter
    choices: ChoiceCache

    def page(self, request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        body = self.env.get_template(name).render(
            request=request, user=current_user(request), csrf=csrf_token(request), **values
        )
        return HTMLResponse(body, status_code=status_code)


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use; every form carries it."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def current_user(request: Request) -> Any:
    """The user auth resolved for this request (None before, or when nobody signed in)."""
    return request.scope.get("user")


def web_of(request: Request) -> Web:
    return request.app.state.web  # type: ignore[no-any-return]
