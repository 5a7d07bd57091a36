"""What held against hostile input, kept holding: no release text in a mail header, escaped
e-mail HTML with http(s) links only, a PDF renderer that fetches nothing, feeds that expand no
entity and include nothing, and no password in any output."""

from __future__ import annotations

import email
import subprocess
import sys
from email.policy import default
from pathlib import Path

import pytest

from monitor.crawling.extract.feed import FeedError, parse_feed
from monitor.demo.mirror import serve
from monitor.operations.jobs import digest_job
from monitor.reporting.mailer import compose
from monitor.reporting.render import refusing_fetcher, render_pdf
from tests.integration.crawling import cli_env
from tests.integration.test_delivery import ISSUED, mail_settings
from tests.integration.test_digest_pdf import tracker_site
from tests.sample_releases import NOW, RELEASES, store_releases

SECRET = "s3cret-Pa55word-never-shown"


def test_the_digest_email_keeps_release_text_out_of_headers_and_escapes_it(monitor_home: Path) -> None:
    settings = mail_settings(monitor_home, {})
    store_releases(settings, RELEASES, NOW)
    (path, *_) = digest_job(settings, ["weekly"], ISSUED, dry_run=True).outbox
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    headers = "\n".join(f"{k}: {v}" for k, v in message.items())
    assert "legal aid" not in headers and "script" not in headers and "passwd" not in headers
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'src="file:' not in html and "javascript:" not in html


def test_a_line_break_in_a_mail_header_is_refused() -> None:
    with pytest.raises(ValueError, match=r"[Hh]eader"):
        compose(sender="m@example.org", recipient="a@example.org\r\nBcc: everyone@example.org",
                subject="Weekly digest", message_id="<1@example.org>", date=NOW, text="x", html=None,
                attachment=None).as_bytes()  # fmt: skip


def test_a_line_break_in_a_subject_stays_in_the_subject() -> None:
    # the subject is made of a digest's title and a subscriber's saved searches: kept, on one line
    message = compose(sender="m@example.org", recipient="a@example.org",
                      subject="Weekly digest\r\nBcc: everyone@example.org\x1b[2J", message_id="<1@example.org>",
                      date=NOW, text="x", html=None, attachment=None)  # fmt: skip
    sent = email.message_from_bytes(message.as_bytes(), policy=default)
    assert sent["Subject"] == "Weekly digest Bcc: everyone@example.org [2J" and sent["Bcc"] is None


def test_the_pdf_renderer_fetches_no_data_uri_import_font_or_svg_image(tmp_path: Path) -> None:
    with serve(tracker_site(tmp_path)) as mirror:
        remote = mirror.url("tracker", "/pixel.png")
        html = (
            f"<html><head><style>@import url({remote}.import.css); "
            f"@font-face {{ font-family: X; src: url({remote}.woff) }} body {{ font-family: X }}</style></head><body>"
            f'<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22><image href=%22{remote}.svg%22/></svg>">'
            f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{remote}.inline" width="10" height="10"/></svg>'
            f'<object data="{remote}.object"></object><p>text</p></body></html>'
        )
        fetcher = refusing_fetcher()
        pdf = render_pdf(html, fetcher)
        assert mirror.hits()["tracker"] == []
    assert pdf.startswith(b"%PDF-")
    assert any(url.startswith("data:") for url in fetcher.refused)
    assert f"{remote}.import.css" in fetcher.refused


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><item><title>&lol4;</title><link>https://x.org/1</link></item></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>a &x; b</title><link>https://x.org/1</link></item></channel></rss>"""
XINCLUDE = b"""<?xml version="1.0"?><rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><channel>
<item><title>t</title><link>https://x.org/1</link><description><xi:include href="file:///etc/passwd" parse="text"/></description></item>
</channel></rss>"""


@pytest.mark.parametrize(
    "body", [BILLION_LAUGHS, EXTERNAL, XINCLUDE], ids=["entity expansion", "external entity", "xinclude"]
)
def test_feeds_expand_no_entity_and_include_nothing(body: bytes) -> None:
    try:
        items = parse_feed(body)
    except FeedError:
        return
    text = " ".join(f"{item.title} {item.text}" for item in items)
    assert "lollol" not in text and "root:" not in text and len(text) < 1000


def test_no_password_appears_in_any_output_or_file(monitor_home: Path, tmp_path: Path) -> None:
    settings = mail_settings(monitor_home, {})
    store_releases(settings, RELEASES, NOW)
    env = {**cli_env(monitor_home), "MONITOR_CONFIG": str(monitor_home.parent / "mail.toml"),
           "MONITOR_SMTP_HOST": "127.0.0.1", "MONITOR_SMTP_PORT": "1", "MONITOR_SMTP_USER": "monitor",
           "MONITOR_SMTP_PASSWORD": SECRET, "MONITOR_DATABASE_URL": settings.database_url}  # fmt: skip
    outputs = []
    for args in (
        ["digest", "--dry-run"],
        ["digest", "--send"],
        ["status"],
        ["deliveries"],
        ["sources"],
        ["-v", "status"],
    ):
        run = subprocess.run(
            [sys.executable, "-m", "monitor", *args], env=env, capture_output=True, text=True, timeout=120
        )
        outputs.append(run.stdout + run.stderr)
    files = [
        p.read_bytes().decode("utf-8", "replace")
        for p in monitor_home.rglob("*")
        if p.is_file() and p.suffix != ".sqlite"
    ]
    assert any("failed" in out or "refused" in out.lower() for out in outputs)  # the send did fail, and said so
    assert not any(SECRET in text for text in outputs + files)
