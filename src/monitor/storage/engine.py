"""Engine creation and schema migrations (Alembic, run programmatically on open)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, any_, bindparam, create_engine, event, func, inspect, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration in migrations/versions (a test keeps the two in step). Comparing with it
# first spares every crawl process the import of Alembic when the schema is already current.
SCHEMA_REVISION = "0016"


class DatabaseError(RuntimeError):
    """The database cannot be opened or migrated; the message names the URL (without password)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")  # crawl children write while the CLI reads
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    # a file's folder is made; a URI ("file:…?mode=ro&uri=true") names a file that must exist
    is_uri = url.query.get("uri") == "true"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" and not is_uri:
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration; cheap when it already is."""
    try:
        if current_revision(engine) == SCHEMA_REVISION:
            return
        from alembic import command

        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as exc:
        safe = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(f"cannot open or migrate the database {safe}: {exc}") from exc


def among(conn: Connection, column: Any, values: Iterable[int]) -> Any:
    """`column IN (values)` for thousands of integers as one bound array (a JSON array on SQLite):
    compiling a parameter per value would cost more than the lookups."""
    values = list(values)
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=postgresql.ARRAY(column.type)))
    return column.in_(select(func.json_each(json.dumps(values)).table_valued("value").c.value))


def select_among(conn: Connection, sql: str, values: Iterable[int], tail: str = "") -> list[Any]:
    """`sql WHERE column` + IN (values) + `tail`, read through the driver as plain tuples: for the
    hot lookups that return tens of thousands of integer rows, SQLAlchemy's rows cost more than
    the query. `sql` ends with the column to match, e.g. "SELECT a, b FROM t WHERE a"."""
    if conn.dialect.name == "postgresql":
        return conn.exec_driver_sql(f"{sql} = ANY(%s) {tail}", (list(values),)).fetchall()
    return conn.exec_driver_sql(
        f"{sql} IN (SELECT value FROM json_each(?)) {tail}", (json.dumps(list(values)),)
    ).fetchall()


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Many plain rows through the driver's executemany: no per-row parameter processing."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(mark for _ in columns)})"
    conn.exec_driver_sql(sql, rows)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
