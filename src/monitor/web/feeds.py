"""The Atom feeds over HTTP: /feeds lists them with the signed-in user's feed URLs; each feed
answers to its feed token in the URL (feed readers cannot sign in) or to a signed-in session.
A saved search's feed answers only to whom /feeds lists it: the owner of a subscription that
saved it, or an admin."""

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
from monitor.reporting.saved_searches import saved_search_feed, saved_search_feeds
from monitor.reporting.selection import DigestError
from monitor.storage.models import UserRow
from monitor.understanding.classify import Taxonomy, load_taxonomy
from monitor.web.auth import page, resolve_user
from monitor.web.context import web_of
from monitor.web.feed_tokens import feed_token, token_user

MAX_QUERY = 200  # as the story list's search
NONE_CONFIGURED = "None configured."
NO_SAVED_SEARCH = "None yet: each search saved in a subscription (see Subscriptions) gets a feed here."
CACHE = "private, max-age=300"  # a reader polling every minute costs one query every five
Finder = Callable[[Request, UserRow], feed_sets.Feed | Response | None]  # the feed a reader asks for, or a refusal


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


def _reader(request: Request) -> UserRow | Response:
    """Whose feed this is, or why it is refused (blocking): it opens to its token, else to a session."""
    token = request.query_params.get("token")
    if token is None:
        if (user := resolve_user(request)) is None:
            return PlainTextResponse("this feed needs its token: copy its address from /feeds", 401)
        return user
    if (user := token_user(web_of(request).store, signing_key(request), token)) is None:
        # a bad signature, a removed account and a changed password look alike
        return PlainTextResponse("this feed token is not valid: copy the feed's address again from /feeds", 403)
    return user


def _serve(request: Request, find: Finder) -> Response:
    reader = _reader(request)
    if isinstance(reader, Response):
        return reader
    found = find(request, reader)
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


def _named(kind: str, *params: str) -> Finder:
    def find(request: Request, reader: UserRow) -> feed_sets.Feed | None:
        name = "/".join(request.path_params[param] for param in params)
        return feed_sets.find(web_of(request).settings, taxonomy(request), kind, name)

    return find


def _search(request: Request, reader: UserRow) -> feed_sets.Feed | Response:
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    if not query:
        return PlainTextResponse("a search feed needs a query: /feeds/search.atom?q=WORDS", 400)
    return feed_sets.search_feed(query)


def _owner(user: UserRow) -> int | None:
    """Whose subscriptions' saved searches the user has feeds of: their own; an admin's, everyone's."""
    return None if user.role == "admin" else user.id


def _saved(request: Request, reader: UserRow) -> feed_sets.Feed | None:
    # Another user's saved search is "no such feed", as if it did not exist.
    return saved_search_feed(web_of(request).store, request.path_params["name"], _owner(reader))


@page("viewer")
def feeds_page(request: Request) -> Response:
    web, user = web_of(request), request.scope["user"]
    token = feed_token(signing_key(request), user)
    known = taxonomy(request)
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    saved = "Saved searches of every subscription" if user.role == "admin" else "Your subscriptions' saved searches"
    groups = [
        ("Topics", feed_sets.topic_feeds(known), NONE_CONFIGURED),
        ("Countries", feed_sets.country_feeds(known), NONE_CONFIGURED),
        ("Digests", feed_sets.digest_feeds(web.settings), NONE_CONFIGURED),
        (saved, saved_search_feeds(web.store, _owner(user)), NO_SAVED_SEARCH),
    ]
    search = feed_sets.search_feed(query) if query else None
    return web.page(
        request,
        "feeds.html",
        groups=[
            (title, [(feed, feed_url(request, feed, token)) for feed in feeds], empty) for title, feeds, empty in groups
        ],
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
    Route("/feeds/searches/{name}.atom", _route(_saved)),
]
