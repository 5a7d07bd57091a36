"""The full-text index of releases' titles and texts, as stems (understanding.stems).

SQLite: an FTS5 table without content (`release_search`, rowid = release id, detail=none: the
index answers which releases hold a stem, which is all a search needs, at a fraction of the
size). A contentless table forgets what it indexed, so removing a row means handing it the
stems it was given: those of the release's previous title and text, recomputed.
PostgreSQL: a tsvector per release ('simple' configuration over the same stems) with a GIN index.

Kept current by the writer as releases are stored and revised; migration 0009 fills it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, text

from monitor.understanding.stems import document_stems, query_terms

# (release id, title, text, lang)
Document = tuple[int, str, str, str]


def _stems(title: str, body: str, lang: str) -> str:
    return document_stems(f"{title}\n{body}", lang)


def add(conn: Connection, documents: Iterable[Document]) -> None:
    rows = [(release_id, _stems(title, body, lang)) for release_id, title, body, lang in documents]
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "INSERT INTO release_search (release_id, document) VALUES (%s, strip(to_tsvector('simple', %s))) "
            "ON CONFLICT (release_id) DO UPDATE SET document = excluded.document",
            rows,
        )
    else:
        conn.exec_driver_sql("INSERT INTO release_search (rowid, stems) VALUES (?, ?)", rows)


def replace(conn: Connection, old: Document, new: Document) -> None:
    """A release's text changed: index the new one in place of the old."""
    if conn.dialect.name != "postgresql":
        release_id, title, body, lang = old
        conn.exec_driver_sql(
            "INSERT INTO release_search (release_search, rowid, stems) VALUES ('delete', ?, ?)",
            (release_id, _stems(title, body, lang)),
        )
    add(conn, [new])


def match_sql(conn: Connection, query: str) -> tuple[str, dict[str, str]] | None:
    """A subquery selecting the ids of releases holding every query word (in any of its forms),
    with its bound parameters; None when the query has no word."""
    terms = query_terms(query)
    if not terms:
        return None
    if conn.dialect.name == "postgresql":
        expression = " & ".join("(" + " | ".join(forms) + ")" for forms in terms)
        return (
            "SELECT release_id FROM release_search WHERE document @@ to_tsquery('simple', :fts_query)",
            {"fts_query": expression},
        )
    # Each stem quoted: an FTS5 string, never operators or column names from the user's text.
    expression = " AND ".join("(" + " OR ".join(f'"{form}"' for form in forms) + ")" for forms in terms)
    return "SELECT rowid FROM release_search WHERE release_search MATCH :fts_query", {"fts_query": expression}


def rebuild(conn: Connection, batch: int = 2000) -> int:
    """Index every release again (the migration's back-fill); returns how many."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DELETE FROM release_search")
    else:
        conn.exec_driver_sql("INSERT INTO release_search (release_search) VALUES ('delete-all')")
    last, total = 0, 0
    while True:
        rows: Sequence[Document] = [
            tuple(row)  # type: ignore[misc]
            for row in conn.execute(
                text("SELECT id, title, text, lang FROM releases WHERE id > :last ORDER BY id LIMIT :n"),
                {"last": last, "n": batch},
            )
        ]
        if not rows:
            return total
        add(conn, rows)
        last, total = rows[-1][0], total + len(rows)


def size_bytes(conn: Connection) -> int:
    """The index's size on disk."""
    if conn.dialect.name == "postgresql":
        return int(conn.exec_driver_sql("SELECT pg_total_relation_size('release_search')").scalar() or 0)
    # FTS5 keeps its index in shadow tables; dbstat counts their pages.
    return int(
        conn.exec_driver_sql("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE 'release_search%'").scalar()
        or 0
    )


def matching_ids(conn: Connection, queries: Iterable[str]) -> set[int]:
    """The ids of releases matching any of the queries (saved searches)."""
    found: set[int] = set()
    for query in queries:
        if (match := match_sql(conn, query)) is not None:
            sql, params = match
            found.update(conn.execute(text(sql), params).scalars())
    return found
