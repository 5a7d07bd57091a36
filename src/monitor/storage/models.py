"""The database schema (SQLAlchemy 2). Changes go through an Alembic migration in migrations/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class SourceRow(Base):
    __tablename__ = "sources"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    health: Mapped[str] = mapped_column(String(16), default="unknown")  # ok, failing, unknown
    health_reason: Mapped[str] = mapped_column(Text, default="")
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReleaseRow(Base):
    __tablename__ = "releases"
    # the story pass looks up other languages' releases of given days: answered from these alone
    __table_args__ = (
        Index("ix_releases_published_lang", "published", "lang"),
        Index("ix_releases_event_date_lang", "event_date", "lang"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(500), unique=True)
    source_key: Mapped[str] = mapped_column(String(64), index=True)
    native_id: Mapped[str | None] = mapped_column(String(500), index=True)  # a slug can be long
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text)  # as long as a crawl follows; no lookups by it
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8), index=True)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    published_provenance: Mapped[str | None] = mapped_column(String(16))
    published_raw: Mapped[str | None] = mapped_column(String(200))
    event_date: Mapped[date | None] = mapped_column(Date, index=True)
    event_provenance: Mapped[str | None] = mapped_column(String(16))
    dateline_place: Mapped[str | None] = mapped_column(String(100))
    facets: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    captions: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    listing_only: Mapped[bool] = mapped_column(Boolean, default=False)
    syndication: Mapped[bool] = mapped_column(Boolean, default=False)  # from an aggregator: never canonical
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    duplicate_of: Mapped[ReleaseRow | None] = relationship(remote_side=[id])
    revisions: Mapped[list[RevisionRow]] = relationship(
        back_populates="release", order_by="RevisionRow.number", cascade="all, delete-orphan"
    )
    tags: Mapped[list[TagRow]] = relationship(back_populates="release", cascade="all, delete-orphan")


class SeenEntryRow(Base):
    """What each source's listing or feed last showed of a release: an entry that looks the same
    is not fetched again by an incremental crawl."""

    __tablename__ = "seen_entries"

    source_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    identity: Mapped[str] = mapped_column(String(500), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RevisionRow(Base):
    """Every distinct full text a release has had; more than one means it was edited."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("release_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))

    release: Mapped[ReleaseRow] = relationship(back_populates="revisions")


class TagRow(Base):
    __tablename__ = "tags"
    __table_args__ = (
        UniqueConstraint("release_id", "kind", "value"),
        Index("ix_tags_kind_value", "kind", "value"),
        Index("ix_tags_kind_value_release", "kind", "value", "release_id"),  # the web view's filters
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # topic, country, organisation
    value: Mapped[str] = mapped_column(String(100))
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)  # why the tag was given

    release: Mapped[ReleaseRow] = relationship(back_populates="tags")


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="running")  # running, ok, partial, failed
    mode: Mapped[str] = mapped_column(String(16), default="incremental")  # incremental, full, since
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # releases delivered
    field_gaps: Mapped[str] = mapped_column(
        Text, default="{}", server_default="{}"
    )  # JSON: field -> releases lacking it
    message: Mapped[str] = mapped_column(Text, default="")

    problems: Mapped[list[CrawlProblemRow]] = relationship(back_populates="run", cascade="all, delete-orphan")


class CrawlProblemRow(Base):
    __tablename__ = "crawl_problems"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    source_key: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    run: Mapped[CrawlRunRow] = relationship(back_populates="problems")


class StoryRow(Base):
    """One event, however many releases tell it: the original, copies, rewrites, translations."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # issues select by it
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    canonical: Mapped[ReleaseRow] = relationship(foreign_keys=[canonical_release_id])
    members: Mapped[list[StoryMemberRow]] = relationship(back_populates="story", order_by="StoryMemberRow.release_id")


class StoryMemberRow(Base):
    __tablename__ = "story_members"

    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))  # original, duplicate, copy, rewrite, translation, listing entry
    related_to_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    story: Mapped[StoryRow] = relationship(back_populates="members")
    release: Mapped[ReleaseRow] = relationship(foreign_keys=[release_id])


class FingerprintRow(Base):
    """What the clustering compares, kept so that a restart never re-reads every stored text."""

    __tablename__ = "release_fingerprints"

    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True)
    text_sig: Mapped[bytes | None] = mapped_column(LargeBinary)
    lead_sig: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_sig: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Words separated by spaces (none holds one): split faster than JSON is decoded, and every
    # candidate of every release filed is read.
    names: Mapped[str] = mapped_column(Text, default="")
    numbers: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text, default="")


class DigestRunRow(Base):
    """One issue of a digest definition: the period it covers and the stories it carried."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("name", "period_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    stories: Mapped[int] = mapped_column(Integer, default=0)
    pdf_path: Mapped[str] = mapped_column(Text, default="")

    items: Mapped[list[DigestItemRow]] = relationship(order_by="DigestItemRow.story_id")
    deliveries: Mapped[list[DeliveryRow]] = relationship(back_populates="run", order_by="DeliveryRow.recipient")


class DigestItemRow(Base):
    """A story carried by a digest definition: it is never carried by that definition again."""

    __tablename__ = "digest_items"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    story_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no foreign key: stories merge away
    run_id: Mapped[int] = mapped_column(ForeignKey("digest_runs.id", ondelete="CASCADE"), index=True)


class DeliveryRow(Base):
    """One digest issue to one recipient. `sending` is written just before the message data goes
    out; a row still `sending` at the next run was interrupted and becomes `unconfirmed`."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("run_id", "recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("digest_runs.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(
        String(16), index=True
    )  # pending sending sent failed rejected unconfirmed abandoned withdrawn (unsubscribed before it went)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(Text, default="")
    # A chat channel's message goes in parts: how many the channel has taken so far, and the
    # SHA-256 of those parts, so that a retry resumes after them only if they are still its first.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    parts_digest: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # the subscription it is for (its unsubscribe link); None once the subscriber is removed
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscribers.id", ondelete="SET NULL"), index=True, nullable=True
    )

    run: Mapped[DigestRunRow] = relationship(back_populates="deliveries")


class SubscriberRow(Base):
    """A reader's subscription: where issues go (an e-mail address or channel:NAME), how often, and
    which stories (filters and saved searches as a JSON object), or a digest definition followed.
    From the CLI, the web view, or the config (origin "config", kept in step with the file)."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(String(320), index=True)
    period: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64))
    filters: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    follows: Mapped[str] = mapped_column(String(64), default="")  # a digest definition's name, or ""
    empty: Mapped[str] = mapped_column(String(8), default="note")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    origin: Mapped[str] = mapped_column(String(16))  # cli, web, config
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unsubscribed_via: Mapped[str] = mapped_column(String(64), default="")  # link, web, cli


class FilterSetRow(Base):
    """The digest definition that subscribers with the same filters and period share (their
    issues are recorded under its name), kept so that its past issues can be rebuilt."""

    __tablename__ = "filter_sets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LeaseRow(Base):
    """A lock that holds across processes and machines sharing the database: whoever holds an
    unexpired lease runs the job; a holder that dies stops renewing it and it expires."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)  # crawl:<source>, digest
    holder: Mapped[str] = mapped_column(String(200))  # host:pid:token
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobRunRow(Base):
    """Each run of a job, scheduled or by hand: what `monitor status` shows as the last run."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(100), index=True)  # crawl:<group>, digest:<name>
    trigger: Mapped[str] = mapped_column(String(16))  # schedule, manual
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))  # running ok failed busy
    message: Mapped[str] = mapped_column(Text, default="")
    queue_job_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the queued job it ran for, if any


class QueueWorkerRow(Base):
    """Who a queue worker is (its host, process and slots): the queue itself knows only an id
    and a heartbeat. The row goes when the worker stops; one that died is shown by its heartbeat."""

    __tablename__ = "queue_workers"

    worker_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the queue's worker id
    name: Mapped[str] = mapped_column(String(200))  # host:pid
    queues: Mapped[str] = mapped_column(String(200))  # comma-separated; empty: every queue
    concurrency: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IncidentRow(Base):
    """Something the admin is told about once when it starts and once when it ends."""

    __tablename__ = "incidents"
    # one open incident per key, whichever of the jobs ending together opens it
    __table_args__ = (
        Index(
            "uq_incidents_open_key",
            "key",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)  # source:<key>, job:<job>, delivery:<recipient>
    summary: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    sending: Mapped[str | None] = mapped_column(String(64))  # the claim of the process telling the admin now
    sending_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserRow(Base):
    """A person who uses the web view: viewer (reads), operator (runs crawls and digests), admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # viewer, operator, admin
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id; never the password
    # random, new with each password: what sessions and feed tokens are bound to ("" before 0014)
    account_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """An API token of a user: only its SHA-256 is kept, so a copy of the database lets no one in."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
