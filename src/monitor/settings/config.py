"""Settings: the packaged defaults, then a user TOML file, then MONITOR_* environment variables.

Built once by the CLI (or a crawl child) and passed down; nothing below reads the environment.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.settings import values
from monitor.settings.addresses import AddressError, channels_from_env, check_address
from monitor.settings.definitions import DefinitionError, DigestDefinition, definition_from_mapping
from monitor.settings.limits import Limits
from monitor.settings.sources import Source, SourceConfigError, source_from_mapping
from monitor.settings.subscribers import EVERY_SUBSCRIBER, SubscriberSpec, config_subscribers

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DIGEST_TITLE = "Justice and gender equality in Central Asia"


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which file and key."""


@dataclass(frozen=True)
class CrawlSettings:
    user_agent: str
    contact: str
    download_delay: float
    concurrent_per_domain: int
    autothrottle: bool
    timeout_s: float
    jobs: int


@dataclass(frozen=True)
class SmtpSettings:
    """Where mail goes; only from the environment, so no secret is ever in a file."""

    host: str
    port: int
    security: str  # none, starttls, ssl
    user: str | None
    password: str | None
    timeout_s: float = 30.0


@dataclass(frozen=True)
class MailSettings:
    sender: str
    admin: tuple[str, ...]  # receive alerts: e-mail addresses and channel:NAME
    outbox: Path  # dry runs write .eml files here
    smtp: SmtpSettings | None  # None: MONITOR_SMTP_HOST is not set


@dataclass(frozen=True)
class CrawlGroup:
    name: str
    sources: tuple[str, ...]  # empty: every enabled source
    every_hours: float


@dataclass(frozen=True)
class ScheduleSettings:
    crawl_groups: tuple[CrawlGroup, ...]
    misfire_grace_hours: float  # a run missed by less than this still runs (once) when it can
    retry_deliveries_minutes: float
    subscribers_minutes: float  # how often subscribers' own digests are issued when their period ends
    lease_ttl_s: float  # a lease its holder stops renewing is free after this


@dataclass(frozen=True)
class QueueSettings:
    """The job queue of workers (PostgreSQL only)."""

    dispatch: str = "auto"  # auto: queue on PostgreSQL, local child processes on SQLite; local; queue
    concurrency: int = 2  # jobs one `monitor worker` runs at once
    heartbeat_s: float = 10.0  # a worker tells the database it is alive this often
    stalled_after_s: float = 60.0  # a worker silent this long is dead: its running jobs run again elsewhere
    poll_s: float = 5.0  # workers also look for jobs this often, in case a notification was lost
    digest_waits_s: float = 1800.0  # a digest waits at most this long for crawls queued before it


DISPATCHES = ("auto", "local", "queue")


@dataclass(frozen=True)
class Settings:
    database_url: str
    home: Path
    reports_dir: Path
    templates_dir: Path
    config_path: Path | None
    crawl: CrawlSettings
    sources: dict[str, Source]
    host_aliases: dict[str, str]  # mirror host -> canonical host (e.g. d6.web.osce.org -> www.osce.org)
    digests: dict[str, DigestDefinition]
    mail: MailSettings
    schedule: ScheduleSettings
    taxonomy_path: Path | None = None  # a user's taxonomy merged over the shipped one
    queue: QueueSettings = QueueSettings()
    channels: Mapping[str, str] = field(default_factory=dict)  # channel name -> Apprise URL (environment only)
    public_url: str = "http://127.0.0.1:8000"  # where readers reach the web view (unsubscribe links, feeds)
    web_secret: str | None = None  # MONITOR_WEB_SECRET; else one kept in the home (settings.secret)
    subscribers: Mapping[str, SubscriberSpec] = field(default_factory=dict)  # the config's, and digest recipients

    @property
    def on_postgresql(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def uses_queue(self) -> bool:
        """Whether the scheduler and `crawl --queue` hand jobs to workers instead of running them."""
        return self.queue.dispatch == "queue" or (self.queue.dispatch == "auto" and self.on_postgresql)

    @property
    def safe_database_url(self) -> str:
        """The database URL without its password, for messages and status."""
        from sqlalchemy.engine import make_url

        return make_url(self.database_url).render_as_string(hide_password=True)

    def enabled_sources(self) -> list[Source]:
        return [s for s in self.sources.values() if s.enabled]

    def digest(self, name: str) -> DigestDefinition:
        try:
            return self.digests[name]
        except KeyError:
            known = ", ".join(sorted(self.digests)) or "none configured"
            raise ConfigError(f"unknown digest {name!r}; known digests: {known}") from None

    def group_sources(self, group: CrawlGroup) -> list[Source]:
        return [self.source(key) for key in group.sources] if group.sources else self.enabled_sources()

    def source(self, key: str) -> Source:
        try:
            return self.sources[key]
        except KeyError:
            known = ", ".join(sorted(self.sources))
            raise ConfigError(f"unknown source {key!r}; known sources: {known}") from None


def default_templates_dir() -> Path:
    checkout = PROJECT_ROOT / "templates"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("monitor") / "templates"))


def deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value in the override replaces the base value."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def packaged_defaults() -> dict[str, Any]:
    text = (resources.files("monitor.settings") / "data" / "sources.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_settings(environ: Mapping[str, str] | None = None, config_path: Path | str | None = None) -> Settings:
    env = os.environ if environ is None else environ
    raw = packaged_defaults()
    path_text = config_path or env.get("MONITOR_CONFIG")
    path = Path(path_text).expanduser().resolve() if path_text else None
    if path is not None:
        raw = deep_merge(raw, read_toml(path))

    home = Path(env.get("MONITOR_HOME", raw.get("home", "var"))).expanduser().resolve()
    database_url = env.get("MONITOR_DATABASE_URL") or raw.get("database_url") or f"sqlite:///{home / 'monitor.sqlite'}"
    reports_dir = Path(env.get("MONITOR_REPORTS_DIR", raw.get("reports_dir", PROJECT_ROOT / "reports")))
    templates_dir = Path(env.get("MONITOR_TEMPLATES_DIR", raw.get("templates_dir", default_templates_dir())))

    origin = str(path) if path else "the shipped settings"  # the file a bad value is in
    crawl = raw.get("crawl", {})
    try:
        crawl_settings = read_crawl_settings(crawl, env)
        limits = Limits().merged(crawl.get("limits", {}), "[crawl.limits]")
        sources = {key: source_from_mapping(key, value, limits) for key, value in raw.get("sources", {}).items()}
        digests = {
            name: definition_from_mapping(name, value, DEFAULT_DIGEST_TITLE)
            for name, value in raw.get("digests", {}).items()
        }
        if EVERY_SUBSCRIBER in digests:
            raise ValueError(f"[digests.{EVERY_SUBSCRIBER}]: that name is kept for subscribers' own digests")
        subscribers = config_subscribers(raw.get("subscribers", {}), digests)
        mail = mail_settings(raw.get("mail", {}), env, home)
        schedule = schedule_settings(raw.get("schedule", {}), sources)
        queue = queue_settings(raw.get("queue", {}))
    except KeyError as exc:
        raise ConfigError(f"{origin}: [crawl] is missing {exc.args[0]!r}") from None
    except (SourceConfigError, DefinitionError, TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: {exc}") from exc

    taxonomy_text = env.get("MONITOR_TAXONOMY") or raw.get("taxonomy")
    taxonomy_path = None
    if taxonomy_text:  # relative to the config file that names it
        taxonomy_path = (
            (path.parent if path and not env.get("MONITOR_TAXONOMY") else Path.cwd()) / taxonomy_text
        ).resolve()
    return Settings(
        taxonomy_path=taxonomy_path,
        database_url=database_url,
        home=home,
        reports_dir=reports_dir.expanduser().resolve(),
        templates_dir=templates_dir.expanduser().resolve(),
        config_path=path,
        crawl=crawl_settings,
        sources=sources,
        host_aliases={str(k).lower(): str(v).lower() for k, v in raw.get("hosts", {}).items()},
        digests=digests,
        mail=mail,
        schedule=schedule,
        queue=queue,
        channels=channels_from_env(env),
        public_url=str(
            env.get("MONITOR_PUBLIC_URL") or raw.get("web", {}).get("public_url", Settings.public_url)
        ).rstrip("/"),
        web_secret=env.get("MONITOR_WEB_SECRET") or None,
        subscribers=subscribers,
    )


CRAWL_KEYS = (*(f.name for f in dataclasses.fields(CrawlSettings)), "limits")


def read_crawl_settings(crawl: Mapping[str, Any], env: Mapping[str, str]) -> CrawlSettings:
    values.check_keys("[crawl]", crawl, CRAWL_KEYS)
    return CrawlSettings(
        user_agent=values.text("[crawl]", "user_agent", crawl["user_agent"]),
        contact=values.text("[crawl]", "contact", env.get("MONITOR_CONTACT", crawl["contact"])),
        download_delay=values.number("[crawl]", "download_delay", crawl["download_delay"]),
        concurrent_per_domain=values.integer("[crawl]", "concurrent_per_domain", crawl["concurrent_per_domain"], 1),
        autothrottle=values.boolean("[crawl]", "autothrottle", crawl["autothrottle"]),
        timeout_s=values.positive("[crawl]", "timeout_s", crawl["timeout_s"]),
        jobs=values.integer("[crawl]", "jobs", crawl["jobs"], minimum=1),
    )


def queue_settings(raw: Mapping[str, Any]) -> QueueSettings:
    defaults = QueueSettings()
    settings = QueueSettings(
        dispatch=str(raw.get("dispatch", defaults.dispatch)),
        concurrency=int(raw.get("concurrency", defaults.concurrency)),
        heartbeat_s=float(raw.get("heartbeat_s", defaults.heartbeat_s)),
        stalled_after_s=float(raw.get("stalled_after_s", defaults.stalled_after_s)),
        poll_s=float(raw.get("poll_s", defaults.poll_s)),
        digest_waits_s=float(raw.get("digest_waits_s", defaults.digest_waits_s)),
    )
    if settings.dispatch not in DISPATCHES:
        raise ValueError(f"[queue] dispatch must be one of {', '.join(DISPATCHES)}, not {settings.dispatch!r}")
    if settings.concurrency < 1:
        raise ValueError("[queue] concurrency must be at least 1")
    if settings.stalled_after_s <= 2 * settings.heartbeat_s:
        raise ValueError("[queue] stalled_after_s must exceed two heartbeats (heartbeat_s)")
    return settings


def schedule_settings(raw: Mapping[str, Any], sources: Mapping[str, Source]) -> ScheduleSettings:
    groups = []
    for name, group in values.table("[schedule]", "crawls", raw.get("crawls", {"all": {}})).items():
        where = f"[schedule.crawls.{name}]"
        values.check_keys(where, values.table("[schedule.crawls]", name, group), ("enabled", "sources", "every_hours"))
        if not values.boolean(where, "enabled", group.get("enabled", True)):  # a user file can switch off a group
            continue
        keys = values.strings(where, "sources", group.get("sources", []))
        unknown = [key for key in keys if key not in sources]
        if unknown:
            raise ValueError(f"[schedule.crawls.{name}] names unknown source(s): {', '.join(unknown)}")
        every = values.positive(where, "every_hours", group.get("every_hours", 6))
        groups.append(CrawlGroup(str(name), keys, every))
    return ScheduleSettings(
        crawl_groups=tuple(groups),
        misfire_grace_hours=float(raw.get("misfire_grace_hours", 24)),
        retry_deliveries_minutes=float(raw.get("retry_deliveries_minutes", 15)),
        subscribers_minutes=float(raw.get("subscribers_minutes", 15)),
        lease_ttl_s=float(raw.get("lease_ttl_s", 120)),
    )


SMTP_SECURITY = {"none": 25, "starttls": 587, "ssl": 465}  # and each one's usual port


def smtp_settings(env: Mapping[str, str]) -> SmtpSettings | None:
    host = env.get("MONITOR_SMTP_HOST")
    if not host:
        return None
    security = env.get("MONITOR_SMTP_SECURITY", "starttls").lower()
    if security not in SMTP_SECURITY:
        raise ValueError(f"MONITOR_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}")
    return SmtpSettings(
        host=host,
        port=int(env.get("MONITOR_SMTP_PORT", SMTP_SECURITY[security])),
        security=security,
        user=env.get("MONITOR_SMTP_USER") or None,
        password=env.get("MONITOR_SMTP_PASSWORD") or None,
        timeout_s=float(env.get("MONITOR_SMTP_TIMEOUT", 30)),
    )


def admin_addresses(value: object) -> tuple[str, ...]:
    """`admin` as one address, a comma-separated string (the environment's form) or a list."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError("[mail] admin must be an address or a list of them (e-mail or channel:NAME)")
    try:
        return tuple(dict.fromkeys(check_address(item) for item in items if item.strip()))
    except AddressError as exc:
        raise ValueError(f"[mail] admin (or MONITOR_ADMIN_EMAIL): {exc}") from None


def mail_settings(raw: Mapping[str, Any], env: Mapping[str, str], home: Path) -> MailSettings:
    if "password" in raw or "user" in raw:
        raise ValueError("[mail] must not hold SMTP credentials: set MONITOR_SMTP_USER and MONITOR_SMTP_PASSWORD")
    return MailSettings(
        sender=env.get("MONITOR_MAIL_FROM", str(raw.get("sender", "Press monitor <monitor@localhost>"))),
        admin=admin_addresses(env.get("MONITOR_ADMIN_EMAIL", raw.get("admin"))),
        outbox=(home / str(raw.get("outbox", "outbox"))).resolve(),
        smtp=smtp_settings(env),
    )
