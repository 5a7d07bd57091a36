"""The database URL, checked when the settings are read: an unknown scheme otherwise surfaced
as SQLAlchemy's plugin error, with a traceback, from whichever command first opened the store."""

from __future__ import annotations

EXAMPLES = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/NAME"


def check_database_url(url: str, where: str) -> str:
    """`url` if SQLAlchemy knows its dialect; ValueError naming `where` (never the password) otherwise."""
    if url.startswith("sqlite:///") or url == "sqlite://":
        # Any path reads as a SQLite URL. Not importing SQLAlchemy for the default keeps it out of
        # the crawl process, which never opens the database (its store worker does, beside it):
        # the import costs a third of a second before the first request.
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"{where} is not a database URL; write {EXAMPLES}") from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.drivername in ("postgres", "postgres+psycopg"):  # Heroku's and libpq's spelling
        fixed = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=True)
        raise ValueError(f"{where}: {shown} names no known database; write {fixed}")
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        raise ValueError(f"{where}: {shown} names no known database; write {EXAMPLES}") from None
    return url
