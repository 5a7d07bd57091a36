"""Chat channels through Apprise: a ChatMessage split as the channel requires, then sent part by
part to the channel's URL (`settings.channels[name]`, from MONITOR_CHANNEL_NAME).

Outcomes follow the mailer's SendResult:
- sent: every part was accepted (a 2xx, as each Apprise plugin checks it);
- failed, retried by the ledger: the URL is missing or unusable, the connection was refused or
  could not be made, the service answered 5xx, 408, 425 or 429;
- rejected, not retried: the service answered another 4xx (a revoked token, a deleted webhook,
  a payload it refuses), which only a person can fix;
- unconfirmed, never sent again by itself: the request went out and no answer came back (read
  timeout, connection dropped). Sending again could repeat what the channel already shows.
A message split in parts is sent part by part, and each part the channel takes is reported at
once (the ledger keeps the count and a digest of those parts). When a later part fails, the
outcome is that part's, and the next attempt resumes at it: the parts already taken are not
posted again, as long as the message still splits into the same first parts (else it goes whole).
Apprise says only success or failure; the reason comes from what it logs, so the `apprise`
logger is captured for each part (and kept out of the process's own log, as its debug lines
carry the channel's secret URL)."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from apprise import Apprise, AppriseAsset, NotifyFormat, OverflowMode
from apprise.conversion import convert_between
from apprise.plugins import NotifyBase
from apprise.result import AppriseResultStatus

from monitor.reporting.chat import ChatMessage, untrusted
from monitor.reporting.mailer import SendResult
from monitor.settings.addresses import channel_env
from monitor.settings.config import Settings

CONNECT_TIMEOUT_S = 10.0  # the most a URL's `cto` may ask for
READ_TIMEOUT_S = 30.0  # the most a URL's `rto` may ask for
MARGIN = 0.95  # of a service's limit: sizes are summed block by block, which escaping the whole may exceed
TITLE_MERGE = 16  # a service without titles prefixes the body with the title ("<b>…</b><br />\r\n")
COUNTER = " (99/99)"  # room kept in each title for the part number

# The request went out and its answer did not come back: the service may have posted it.
_UNANSWERED = re.compile(r"Read timed out|RemoteDisconnected|Connection aborted|Connection reset", re.IGNORECASE)
_HTTP_STATUS = re.compile(r"error=(\d{3})\b")
_SOCKET_CAUSE = re.compile(
    r"\[Errno -?\d+\] [^'\"()]+|Read timed out|connect timeout=[\d.]+|Remote end closed connection[^'\"()]*"
)
_RETRYABLE_4XX = (408, 425, 429)
_capture_lock = threading.Lock()


class ChannelError(RuntimeError):
    """The channel cannot be used as configured; the message names the environment variable."""


@dataclass(frozen=True)
class Part:
    title: str
    body: str


@dataclass(frozen=True)
class Progress:
    """The parts of a message the channel has taken: the first `sent`, whose digest is `digest`."""

    sent: int = 0
    digest: str = ""


def parts_digest(parts: Sequence[Part]) -> str:
    """What the parts say, titles (and so their numbering) included, as SHA-256 hex."""
    text = "\x1e".join(f"{part.title}\x1f{part.body}" for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def resume_at(parts: Sequence[Part], taken: Progress) -> int:
    """How many of `parts` to skip: those the channel took in an earlier attempt, if they are
    still the message's first parts (a changed URL or text may split it otherwise: then none)."""
    if 0 < taken.sent <= len(parts) and parts_digest(parts[: taken.sent]) == taken.digest:
        return taken.sent
    return 0


def _ignore(progress: Progress) -> None:
    pass


def _asset() -> AppriseAsset:
    """Nothing fetched from elsewhere or read from disk: no icons (by URL or file), no templates
    filled from the environment, no persistent store, no redirects; one request at a time in
    this thread, so that the capture of its log is the capture of this send."""
    return AppriseAsset(
        image_url_mask="",
        image_url_logo="",
        image_path_mask=False,
        storage_mode="memory",
        allow_templates=False,
        async_mode=False,
        http_redirects=False,
    )


@contextmanager
def _apprise_log() -> Iterator[list[logging.LogRecord]]:
    """Every record the `apprise` logger makes meanwhile, debug ones included, kept from the
    process's handlers."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    log = logging.getLogger("apprise")
    handler = Keep(logging.DEBUG)
    with _capture_lock:
        level, propagate = log.level, log.propagate
        log.setLevel(logging.DEBUG)
        log.propagate = False
        log.addHandler(handler)
        try:
            yield records
        finally:
            log.removeHandler(handler)
            log.setLevel(level)
            log.propagate = propagate


def service(settings: Settings, name: str) -> tuple[Apprise, NotifyBase]:
    """The channel's Apprise object holding exactly one service, with bounded timeouts."""
    variable = channel_env(name)
    url = settings.channels.get(name, "").strip()
    if not url:
        raise ChannelError(f"{variable} is not set: channel:{name} has no Apprise URL")
    apprise = Apprise(asset=_asset())
    with _apprise_log():  # its debug line names the whole URL, token and all
        added = apprise.add(url)
    if not added or len(apprise) != 1:
        raise ChannelError(f"{variable} does not hold one Apprise URL that Apprise can use")
    plugin = apprise[0]
    plugin.socket_connect_timeout = min(plugin.socket_connect_timeout or CONNECT_TIMEOUT_S, CONNECT_TIMEOUT_S)
    plugin.socket_read_timeout = min(plugin.socket_read_timeout or READ_TIMEOUT_S, READ_TIMEOUT_S)
    plugin.retry = 0  # the ledger retries, later and with backoff; an immediate retry could post twice
    plugin.optional = False  # `optional=yes` would report a failure as success
    # Parts are sized here. Apprise's own split would re-split some that fit (it measures some
    # services' markup before reducing it), and `overflow=truncate` would cut silently; a part
    # still too long is refused by the service, which is seen (rejected), not lost unseen.
    plugin.overflow_mode = OverflowMode.UPSTREAM
    return apprise, plugin


# --- splitting ------------------------------------------------------------------------------------
def _converted_length(plugin: NotifyBase) -> Callable[[str], int]:
    """The length of plain text once Apprise has escaped it for this service's markup."""
    target = plugin.resolve_format(NotifyFormat.TEXT)

    def length(text: str) -> int:
        return len(plugin.dialect_convert(convert_between(NotifyFormat.TEXT, target, text), target))

    return length


def _part_title(plugin: NotifyBase, title: str) -> str:
    room = plugin.title_maxlen - len(COUNTER) if plugin.title_maxlen > 0 else 200
    return untrusted(title, max(room, 20))


def _budget(plugin: NotifyBase, title: str, length: Callable[[str], int]) -> int:
    """Characters of converted body one part may hold, its title included where the service
    puts the title into the body."""
    budget = plugin.body_maxlen - plugin.overflow_buffer - 2
    if plugin.title_maxlen <= 0:
        budget -= length(title + COUNTER) + TITLE_MERGE
    elif plugin.overflow_amalgamate_title:
        budget -= min(len(title) + len(COUNTER) + plugin.overflow_max_display_count_width, plugin.title_maxlen)
    return max(int(budget * MARGIN), 40)


def _pieces(block: str, budget: int, length: Callable[[str], int]) -> Iterator[str]:
    """A block as it is when it fits, else line by line, a line too long for a part cut in pieces."""
    if length(block) <= budget:
        yield block
        return
    for line in block.splitlines():
        while line:
            size = len(line)
            if length(line) > budget:  # cut where the escaped text still fits (escaping only grows)
                size = max(1, int(len(line) * budget / length(line)))
                while size > 1 and length(line[:size]) > budget:
                    size = size * 9 // 10
            yield line[:size]
            line = line[size:]


def split(plugin: NotifyBase, message: ChatMessage) -> list[Part]:
    """The message in parts the service takes whole: blocks are packed in order, split only
    where one does not fit a part by itself; every part but a lone one is numbered."""
    length = _converted_length(plugin)
    title = _part_title(plugin, message.title)
    budget = _budget(plugin, title, length)
    max_lines = plugin.body_max_line_count - (1 if plugin.title_maxlen <= 0 else 0)
    bodies: list[str] = []
    current: list[str] = []
    used = lines = 0
    for block in message.blocks:
        for piece in _pieces(block, budget, length):
            size, count = length(piece) + 2, piece.count("\n") + 2  # a blank line between blocks
            if current and (used + size > budget or (max_lines > 0 and lines + count > max_lines)):
                bodies.append("\n\n".join(current))
                current, used, lines = [], 0, 0
            current.append(piece)
            used, lines = used + size, lines + count
    if current:
        bodies.append("\n\n".join(current))
    if len(bodies) == 1:
        return [Part(title, bodies[0])]
    return [Part(f"{title} ({n}/{len(bodies)})", body) for n, body in enumerate(bodies, 1)]


def preview(settings: Settings, name: str, message: ChatMessage, taken: Progress = Progress()) -> str:
    """What a send would post, part by part (a dry run's outbox file); parts the channel has
    taken already are marked as not sent again."""
    try:
        _, plugin = service(settings, name)
    except ChannelError as exc:
        return f"({exc}; shown whole)\n\n{message.title}\n\n{message.text}\n"
    parts = split(plugin, message)
    skip = resume_at(parts, taken)
    shown = [
        f"--- part {n} of {len(parts)}{' (posted already: not sent again)' if n <= skip else ''} ---\n"
        f"{part.title}\n\n{part.body}\n"
        for n, part in enumerate(parts, 1)
    ]
    return "\n".join(shown)


# --- sending --------------------------------------------------------------------------------------
def _secrets(url: str) -> list[str]:
    """Pieces of a channel URL that may be tokens: user, password, path, query values, and a
    host without a dot (Telegram's bot token sits there)."""
    parts = urlsplit(url)
    pieces = [parts.username or "", parts.password or "", *parts.path.split("/")]
    pieces += [value for _, value in parse_qsl(parts.query)]
    host = parts.netloc.rsplit("@", 1)[-1]
    if "." not in host and host != "localhost":
        pieces.append(host)
    return sorted({p for p in pieces if len(p) >= 4}, key=len, reverse=True)


def _outcome(records: list[logging.LogRecord], timed_out: bool, url: str) -> tuple[str, str]:
    """(status, detail) of a part Apprise did not deliver, from what it logged."""
    messages = [record.getMessage() for record in records]
    everything = "\n".join(messages)
    said = _SOCKET_CAUSE.findall(everything)  # the cause first: tables cut long details short
    said += [m.strip() for r, m in zip(records, messages, strict=True) if r.levelno >= logging.WARNING]
    detail = "; ".join(dict.fromkeys(said)) or "the service did not take the message"
    for secret in _secrets(url):
        detail = detail.replace(secret, "…")
    if timed_out or _UNANSWERED.search(everything):
        return "unconfirmed", f"{detail} (it may have been posted)"
    codes = [int(code) for code in _HTTP_STATUS.findall(everything)]
    if codes and 400 <= codes[-1] < 500 and codes[-1] not in _RETRYABLE_4XX:
        return "rejected", detail
    return "failed", detail


def send(
    settings: Settings,
    name: str,
    message: ChatMessage,
    before_send: Callable[[], None],
    taken: Progress = Progress(),
    on_taken: Callable[[Progress], None] = _ignore,
) -> SendResult:
    """Post the message to channel:NAME, from the first part not `taken` in an earlier attempt;
    `before_send()` runs just before the first request, `on_taken()` after each part the channel
    takes (to be kept before the next goes out)."""
    try:
        apprise, plugin = service(settings, name)
    except ChannelError as exc:
        return SendResult("failed", str(exc))
    parts = split(plugin, message)
    where = f"channel:{name} ({plugin.service_name})"
    skip = resume_at(parts, taken)
    if skip == len(parts):  # every part was taken; only the outcome was never recorded
        return SendResult("sent", f"{where}: {len(parts)} message(s), all posted before")
    before_send()
    for number, part in enumerate(parts[skip:], skip + 1):
        with _apprise_log() as records:
            result = apprise.notify(body=part.body, title=part.title, body_format=NotifyFormat.TEXT)
        if result:
            on_taken(Progress(number, parts_digest(parts[:number])))
            continue
        status, detail = _outcome(records, result.status == AppriseResultStatus.TIMEOUT, settings.channels[name])
        if number > 1:  # the parts before stay posted, and the next attempt starts at this one
            posted = "part 1" if number == 2 else f"parts 1–{number - 1}"
            return SendResult(status, f"{where}: {posted} of {len(parts)} posted, part {number} {status}: {detail}")
        return SendResult(status, f"{where}: {detail}")
    resumed = f", resumed at part {skip + 1}" if skip else ""
    again = " (split otherwise than the parts posted before: sent whole again)" if taken.sent and not skip else ""
    return SendResult("sent", f"{where}: {len(parts)} message(s){resumed}{again}")
