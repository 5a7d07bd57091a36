"""The Atom feeds over HTTP: /feeds lists them with the signed-in user's feed URLs; each feed
answers to its feed token in the URL (feed readers cannot sign in) or to a signed-in session."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from monitor.reporting import feed_sets
from monitor.reporting.feeds import ATOM_TYPE
from monitor.reporting.selection import DigestError
from monitor.understanding.classify import Taxonomy, load_taxonomy
from monitor.web.auth import page, resolve_user
from monitor.web.context import web_of
from monitor.web.feed_tokens import feed_token, token_user

MAX_QUERY = 200  # as the story list's search
CACHE = "private, max-age=300"  # a reader polling every minute costs one query every five
Finder = Callable[[Request], feed_sets.Feed | Response | None]  # the feed a request names, or a refusal


def signing_key(request: Request) -> str:
    return request.app.state.signing_key  # type: ignore[no-any-return]


def taxonomy(request: Request) -> Taxonomy:
    """Read once per application: the taxonomy changes only with a restart, as the settings do."""
    state = request.app.state
    if getattr(state, "taxonomy", None) is None:
        state.taxonomy = load_taxonomy(web_of(request).settings.taxonomy_path)
    return state.taxonomy  # type: ignore[no-any-return]


def feed_url(request: Request, feed: feed_sets.Feed, token: str | None) -> str:
    """The feed's address for readers (on the public URL), with the token when given."""
    base = web_of(request).settings.public_url.rstrip("/") + "/feeds/"
    if feed.kind == "search":
        return base + "search.atom?" + urlencode({"q": feed.query, **({"token": token} if token else {})})
    return base + quote(feed.path) + ".atom" + ("?" + urlencode({"token": token}) if token else "")


def _refused(request: Request) -> Response | None:
    """Why the feed is refused, if it is (blocking): it opens to its token, else to a session."""
    token = request.query_params.get("token")
    if token is None:
        if resolve_user(request) is None:
            return PlainTextResponse("this feed needs its token: copy its address from /feeds", 401)
        return None
    if token_user(web_of(request).store, signing_key(request), token) is None:
        # a bad signature, a removed account and a changed password look alike
        return PlainTextResponse("this feed token is not valid: copy the feed's address again from /feeds", 403)
    return None


def _serve(request: Request, find: Finder) -> Response:
    if (refused := _refused(request)) is not None:
        return refused
    found = find(request)
    if isinstance(found, Response):
        return found
    if found is None:
        return PlainTextResponse("no such feed: see /feeds", 404)
    web = web_of(request)
    token = request.query_params.get("token")
    try:
        body, _ = feed_sets.render(web.store, web.settings, taxonomy(request), found, feed_url(request, found, token))
    except DigestError as exc:
        return PlainTextResponse(f"this digest's feed cannot be made: {exc}", 500)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE, "Vary": "Cookie"}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ATOM_TYPE, headers=headers)


def _route(find: Finder) -> Callable[[Request], object]:
    async def endpoint(request: Request) -> Response:
        return await run_in_threadpool(_serve, request, find)  # type: ignore[no-any-return]

    return endpoint


def _named(kind: str, *params: str) -> Callable[[Request], feed_sets.Feed | None]:
    def find(request: Request) -> feed_sets.Feed | None:
        name = "/".join(request.path_params[param] for param in params)
        return feed_sets.find(web_of(request).settings, taxonomy(request), kind, name)

    return find


def _search(request: Request) -> feed_sets.Feed | Response:
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    if not query:
        return PlainTextResponse("a search feed needs a query: /feeds/search.atom?q=WORDS", 400)
    return feed_sets.search_feed(query)


@page("viewer")
def feeds_page(request: Request) -> Response:
    web, user = web_of(request), request.scope["user"]
    token = feed_token(signing_key(request), user)
    known = taxonomy(request)
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    groups = [
        ("Topics", feed_sets.topic_feeds(known)),
        ("Countries", feed_sets.country_feeds(known)),
        ("Digests", feed_sets.digest_feeds(web.settings)),
    ]
    search = feed_sets.search_feed(query) if query else None
    return web.page(
        request,
        "feeds.html",
        groups=[(title, [(feed, feed_url(request, feed, token)) for feed in feeds]) for title, feeds in groups],
        query=query,
        search=(search, feed_url(request, search, token)) if search else None,
    )


routes = [
    Route("/feeds", feeds_page),
    Route("/feeds/topics/{topic}.atom", _route(_named("topics", "topic"))),
    Route("/feeds/topics/{topic}/{subtopic}.atom", _route(_named("topics", "topic", "subtopic"))),
    Route("/feeds/countries/{country}.atom", _route(_named("countries", "country"))),
    Route("/feeds/digests/{digest}.atom", _route(_named("digests", "digest"))),
    Route("/feeds/search.atom", _route(_search)),
]
