"""Chat text: untrusted text neutralised, links only http(s), and messages split under each
service's limit as Apprise's own plugins state it (no request is made)."""

from __future__ import annotations

import pytest
from apprise import NotifyFormat
from apprise.conversion import convert_between

from monitor.reporting import channels
from monitor.reporting.chat import ChatMessage, safe_link, untrusted
from monitor.settings.config import load_settings


@pytest.mark.parametrize(
    ("scraped", "shown"),
    [
        ("Meeting @channel @here @everyone @room", "Meeting ＠channel ＠here ＠everyone ＠room"),
        ("<!channel> <!here|here> <@U024BE7LH>", "‹!channel› ‹!here|here› ‹＠U024BE7LH›"),
        ("<https://evil.example|Official statement>", "‹https://evil.example|Official statement›"),
        ("[Official statement](https://evil.example)", "[Official statement] (https://evil.example)"),
        ("<script>alert(1)</script> & more", "‹script›alert(1)‹/script› & more"),
        ("line one\nline two\r\n\tthree", "line one line two three"),
        ("bell\x07 null\x00 rtl\u202eltr zero\u200bwidth", "bell null rtlltr zerowidth"),
        ("write to press@osce.org", "write to press@osce.org"),  # an address mentions no one
    ],
)
def test_untrusted_text_mentions_no_one_and_draws_nothing(scraped: str, shown: str) -> None:
    assert untrusted(scraped) == shown


def test_an_overlong_title_is_cut_with_an_ellipsis() -> None:
    title = untrusted("word " * 200)
    assert len(title) == 300 and title.endswith("…")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://x.org/a", "https://"]
)
def test_only_http_links_are_kept(url: str) -> None:
    assert safe_link(url) is None


def test_a_link_cannot_end_early_in_any_markup() -> None:
    assert safe_link(' https://osce.org/a b|c<d>"e ') == "https://osce.org/a%20b%7Cc%3Cd%3E%22e"
    assert safe_link("http://osce.org/news?id=1&lang=ru#top") == "http://osce.org/news?id=1&lang=ru#top"


SERVICES = {
    "telegram": "tgram://123456789:abcdefghijklmnop/12315544/",  # 4096, HTML, no title
    "discord": "discord://123456/abcdefghijklmnop",  # 2000
    "teams": "workflows://example.logic.azure.com:443/workflowid/signature",  # 1000, Markdown
    "slack": "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general",  # 35000
}


def _story(n: int) -> str:
    return f'• Story {n} & "friends" <b> * _ # [x] — court reform\n  Kazakhstan · OSCE · 1 Apr 2026\n  https://osce.org/{n}?a=1&b=2'


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_long_message_is_split_under_the_service_limit_in_order(service: str) -> None:
    settings = load_settings({f"MONITOR_CHANNEL_{service.upper()}": SERVICES[service]})
    _, plugin = channels.service(settings, service)
    blocks = ("300 new stories.", *(_story(n) for n in range(300)), "x" * 5000)  # the last: one line too long
    parts = channels.split(plugin, ChatMessage("Weekly digest & more: 30 Mar – 5 Apr 2026", blocks))

    assert len(parts) > 1
    target = plugin.resolve_format(NotifyFormat.TEXT)
    for number, part in enumerate(parts, 1):
        assert part.title.endswith(f" ({number}/{len(parts)})")
        body = plugin.dialect_convert(convert_between(NotifyFormat.TEXT, target, part.body), target)
        title = len(convert_between(NotifyFormat.TEXT, target, part.title)) + 16 if plugin.title_maxlen <= 0 else 0
        assert len(body) + title <= plugin.body_maxlen
        assert plugin.title_maxlen <= 0 or len(part.title) <= plugin.title_maxlen
    text = "\n\n".join(part.body for part in parts)
    assert [line for line in text.splitlines() if line.startswith("• ")] == [
        _story(n).split("\n")[0] for n in range(300)
    ]
    assert text.count("x") - "".join(blocks[:-1]).count("x") == 5000  # cut, nothing lost


def test_one_short_message_is_one_part_with_the_plain_title() -> None:
    settings = load_settings({"MONITOR_CHANNEL_TEAM": "json://127.0.0.1:9/hook"})
    _, plugin = channels.service(settings, "team")
    (part,) = channels.split(plugin, ChatMessage("Weekly", ("one", "two")))
    assert (part.title, part.body) == ("Weekly", "one\n\ntwo")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (None, "MONITOR_CHANNEL_TEAM is not set"),
        ("not a url", "MONITOR_CHANNEL_TEAM does not hold one Apprise URL"),
        ("json://127.0.0.1:9/a json://127.0.0.1:9/b", "MONITOR_CHANNEL_TEAM does not hold one Apprise URL"),
    ],
)
def test_an_unusable_channel_is_a_failure_naming_its_variable(value: str | None, said: str) -> None:
    settings = load_settings({"MONITOR_CHANNEL_TEAM": value} if value else {})
    called = []
    result = channels.send(settings, "team", ChatMessage("Weekly", ("one",)), lambda: called.append(1))
    assert result.status == "failed" and said in result.detail
    assert called == []  # nothing went out, so the delivery was never `sending`
    assert value is None or value not in result.detail
