"""Settings: the packaged defaults, then a user TOML file, then MONITOR_* environment variables.

Built once by the CLI (or a crawl child) and passed down; nothing below reads the environment.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from monitor.settings import values
from monitor.settings.addresses import AddressError, channels_from_env, check_address
from monitor.settings.database_url import check_database_url
from monitor.settings.definitions import DefinitionError, DigestDefinition, definition_from_mapping
from monitor.settings.limits import Limits
from monitor.settings.sources import Source, SourceConfigError, source_from_mapping
from monitor.settings.subscribers import EVERY_SUBSCRIBER, SubscriberSpec, config_subscribers

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DIGEST_TITLE = "Justice and gender equality in Central Asia"
T = TypeVar("T")


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
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")  # some Windows editors start UTF-8 with a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {data[exc.start]:#04x} on line {line}); save the file as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def packaged_defaults() -> dict[str, Any]:
    text = (resources.files("monitor.settings") / "data" / "sources.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


TABLES = ("crawl", "sources", "hosts", "digests", "subscribers", "mail", "web", "schedule", "queue")
TOP_LEVEL_KEYS = ("home", "database_url", "reports_dir", "templates_dir", "taxonomy", *TABLES)


def load_settings(environ: Mapping[str, str] | None = None, config_path: Path | str | None = None) -> Settings:
    """The settings, or ConfigError naming the file (or environment variable) and the key at fault."""
    env = os.environ if environ is None else environ
    raw = packaged_defaults()
    path_text = config_path or env.get("MONITOR_CONFIG")
    path = Path(path_text).expanduser().resolve() if path_text else None
    if path is not None:
        raw = deep_merge(raw, read_toml(path))
    origin = str(path) if path else "the shipped settings"  # the file a bad value is in
    try:
        return settings_from(raw, env, path)
    except ConfigError:  # from the environment: it names its variable
        raise
    except KeyError as exc:
        raise ConfigError(f"{origin}: [crawl] is missing {exc.args[0]!r}") from None
    except (SourceConfigError, DefinitionError, TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: {exc}") from exc


def from_env(env: Mapping[str, str], name: str, read: Callable[[str], T]) -> T | None:
    """MONITOR_* variable `name` read by `read`, or None when unset; its ValueError names the variable."""
    if name not in env:
        return None
    try:
        return read(env[name])
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def settings_from(raw: dict[str, Any], env: Mapping[str, str], path: Path | None) -> Settings:
    values.check_keys("the top level", raw, TOP_LEVEL_KEYS)
    for name in TABLES:
        if not isinstance(raw.get(name, {}), dict):
            raise ValueError(f"{name} must be a table ([{name}]), not {raw[name]!r}")
    home = Path(env.get("MONITOR_HOME") or values.text("", "home", raw.get("home", "var"))).expanduser().resolve()
    database_url = env.get("MONITOR_DATABASE_URL")
    if database_url:
        try:
            check_database_url(database_url, "MONITOR_DATABASE_URL")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    elif "database_url" in raw:
        database_url = check_database_url(values.text("", "database_url", raw["database_url"]), "database_url")
    reports_dir = Path(env.get("MONITOR_REPORTS_DIR") or path_value(raw, "reports_dir", PROJECT_ROOT / "reports"))
    templates_dir = Path(env.get("MONITOR_TEMPLATES_DIR") or path_value(raw, "templates_dir", default_templates_dir()))

    crawl = raw.get("crawl", {})
    crawl_settings = read_crawl_settings(crawl, env)
    limits = Limits().merged(values.table("[crawl]", "limits", crawl.get("limits", {})), "[crawl.limits]")
    sources = {key: source_from_mapping(key, value, limits) for key, value in raw.get("sources", {}).items()}
    digests = {
        name: definition_from_mapping(name, values.table("[digests]", name, value), DEFAULT_DIGEST_TITLE)
        for name, value in raw.get("digests", {}).items()
    }
    if EVERY_SUBSCRIBER in digests:
        raise ValueError(f"[digests.{EVERY_SUBSCRIBER}]: that name is kept for subscribers' own digests")
    for name, value in raw.get("subscribers", {}).items():
        values.table("[subscribers]", name, value)
    subscribers = config_subscribers(raw.get("subscribers", {}), digests)

    taxonomy_text = env.get("MONITOR_TAXONOMY") or values.text("", "taxonomy", raw.get("taxonomy", ""))
    taxonomy_path = None
    if taxonomy_text:  # relative to the config file that names it
        taxonomy_path = (
            (path.parent if path and not env.get("MONITOR_TAXONOMY") else Path.cwd()) / taxonomy_text
        ).resolve()
    web = raw.get("web", {})
    values.check_keys("[web]", web, ("public_url",))
    public_url = env.get("MONITOR_PUBLIC_URL")
    if public_url:
        try:
            values.http_url("", "MONITOR_PUBLIC_URL", public_url)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    else:
        public_url = values.http_url("[web]", "public_url", web.get("public_url", Settings.public_url))
    return Settings(
        taxonomy_path=taxonomy_path,
        database_url=database_url or f"sqlite:///{home / 'monitor.sqlite'}",
        home=home,
        reports_dir=reports_dir.expanduser().resolve(),
        templates_dir=templates_dir.expanduser().resolve(),
        config_path=path,
        crawl=crawl_settings,
        sources=sources,
        host_aliases=host_aliases(raw.get("hosts", {})),
        digests=digests,
        mail=mail_settings(raw.get("mail", {}), env, home),
        schedule=schedule_settings(raw.get("schedule", {}), sources),
        queue=queue_settings(raw.get("queue", {})),
        channels=channels_from_env(env),
        public_url=public_url.rstrip("/"),
        web_secret=env.get("MONITOR_WEB_SECRET") or None,
        subscribers=subscribers,
    )


def path_value(raw: Mapping[str, Any], key: str, default: Path) -> Path:
    return Path(values.text("", key, raw[key])) if key in raw else default


def host_aliases(raw: Mapping[str, Any]) -> dict[str, str]:
    """Mirror host -> canonical host, both lower-case."""
    return {key.lower(): values.text("[hosts]", key, value).lower() for key, value in raw.items()}


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
    names = [f.name for f in dataclasses.fields(QueueSettings)]
    values.check_keys("[queue]", raw, names)
    settings = QueueSettings(
        dispatch=values.text("[queue]", "dispatch", raw.get("dispatch", defaults.dispatch)),
        concurrency=values.integer("[queue]", "concurrency", raw.get("concurrency", defaults.concurrency), 1),
        **{
            name: values.positive("[queue]", name, raw.get(name, getattr(defaults, name)))
            for name in ("heartbeat_s", "stalled_after_s", "poll_s", "digest_waits_s")
        },
    )
    if settings.dispatch not in DISPATCHES:
        raise ValueError(f"[queue] dispatch must be one of {', '.join(DISPATCHES)}, not {settings.dispatch!r}")
    if settings.concurrency < 1:
        raise ValueError("[queue] concurrency must be at least 1")
    if settings.stalled_after_s <= 2 * settings.heartbeat_s:
        raise ValueError("[queue] stalled_after_s must exceed two heartbeats (heartbeat_s)")
    return settings


SCHEDULE_NUMBERS = {
    "misfire_grace_hours": 24,
    "retry_deliveries_minutes": 15,
    "subscribers_minutes": 15,
    "lease_ttl_s": 120,
}


def schedule_settings(raw: Mapping[str, Any], sources: Mapping[str, Source]) -> ScheduleSettings:
    values.check_keys("[schedule]", raw, ("crawls", *SCHEDULE_NUMBERS))
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
        **{
            name: values.positive("[schedule]", name, raw.get(name, default))
            for name, default in SCHEDULE_NUMBERS.items()
        },
    )


DEFAULT_SENDER = "Press monitor <monitor@localhost>"
SMTP_SECURITY = {"none": 25, "starttls": 587, "ssl": 465}  # and each one's usual port


def smtp_settings(env: Mapping[str, str]) -> SmtpSettings | None:
    host = env.get("MONITOR_SMTP_HOST")
    if not host:
        return None
    security = env.get("MONITOR_SMTP_SECURITY", "starttls").lower()
    if security not in SMTP_SECURITY:
        raise ConfigError(f"MONITOR_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}")
    return SmtpSettings(
        host=host,
        port=from_env(env, "MONITOR_SMTP_PORT", port_number) or SMTP_SECURITY[security],
        security=security,
        user=env.get("MONITOR_SMTP_USER") or None,
        password=env.get("MONITOR_SMTP_PASSWORD") or None,
        timeout_s=from_env(env, "MONITOR_SMTP_TIMEOUT", seconds) or 30.0,
    )


def port_number(text: str) -> int:
    if not text.strip().isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"must be a port number from 1 to 65535, not {text!r}")
    return int(text)


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ValueError(f"must be a number of seconds above 0, not {text!r}")
    return value


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
    values.check_keys("[mail]", raw, ("sender", "admin", "outbox"))
    return MailSettings(
        sender=env.get("MONITOR_MAIL_FROM") or values.text("[mail]", "sender", raw.get("sender", DEFAULT_SENDER)),
        admin=admin_addresses(env.get("MONITOR_ADMIN_EMAIL", raw.get("admin"))),
        outbox=(home / values.text("[mail]", "outbox", raw.get("outbox", "outbox"))).resolve(),
        smtp=smtp_settings(env),
    )
