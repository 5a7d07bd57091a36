"""The web application: Starlette, server-rendered pages, signed session cookies, served by uvicorn."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from monitor.settings.config import Settings
from monitor.settings.secret import signing_secret
from monitor.storage.store import Store
from monitor.web import api, feeds, operate, pages, subscriptions
from monitor.web.context import Web, templates
from monitor.web.inputs import RequestLimits
from monitor.web.limits import LoginLimiter
from monitor.web.queries import ChoiceCache
from monitor.web.security import SecurityHeaders
from monitor.web.tasks import Tasks

SESSION_HOURS = 12


def create_app(settings: Settings, secret: str | None = None, https: bool = False) -> Starlette:
    """`https`: served over TLS (by a reverse proxy): cookies are Secure and browsers told to stay on HTTPS."""
    store = Store.open(settings.database_url)
    web = Web(
        settings=settings,
        store=store,
        env=templates(settings.templates_dir),
        tasks=Tasks(settings, store),
        limiter=LoginLimiter(),
        choices=ChoiceCache(store),
    )
    key = signing_secret(settings, secret)  # signs sessions and feed tokens alike
    static = Path(settings.templates_dir) / "web" / "static"
    app = Starlette(
        routes=[
            *pages.routes,
            *operate.routes,
            *api.routes,
            *subscriptions.routes,
            *feeds.routes,
            Mount("/static", StaticFiles(directory=static), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders, https=https),
            Middleware(RequestLimits),
            Middleware(
                SessionMiddleware,
                secret_key=key,
                session_cookie="monitor_session",
                max_age=SESSION_HOURS * 3600,
                same_site="lax",
                https_only=https,
            ),
        ],
    )
    app.state.web = web
    app.state.signing_key = key
    return app
