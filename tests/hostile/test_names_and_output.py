"""Names that become file names, and scraped text on the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli.tables import table, visible
from monitor.settings.config import ConfigError, load_settings
from monitor.settings.names import file_in
from tests.integration.crawling import monitor_cli

ESCAPES = "\x1b]0;owned\x07\x1b[2J\r\n\u202e"


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('[digests."../../x"]\nrecipients = ["a@example.org"]\n', "digest name '../../x'"),
        ('[digests."a/b"]\nrecipients = ["a@example.org"]\n', "digest name 'a/b'"),
        ('[sources."evil\\r\\nkey"]\nstart_urls = ["https://x.org/"]\n', "source key 'evil\\r\\nkey'"),
    ],
)
def test_names_that_would_leave_their_folder_are_refused_when_the_config_is_read(
    tmp_path: Path, monitor_home: Path, toml: str, named: str
) -> None:
    config = tmp_path / "user.toml"
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match="not a plain name") as refused:
        load_settings(config_path=config)
    assert named in str(refused.value)


def test_a_file_name_that_leaves_its_folder_is_refused(tmp_path: Path) -> None:
    assert file_in(tmp_path, "weekly-2026-03-01.pdf") == (tmp_path / "weekly-2026-03-01.pdf").resolve()
    for name in ("../x.pdf", "a/../../x.pdf", "/etc/passwd"):
        with pytest.raises(ValueError, match="outside"):
            file_in(tmp_path, name)


def test_control_characters_are_shown_as_escapes_in_tables() -> None:
    assert visible(ESCAPES) == "\\x1b]0;owned\\x07\\x1b[2J\\x0d\\x0a\\u202e"
    rendered = table(["key", "title"], [["evil\r\nkey", ESCAPES]], max_width=200)
    assert "\x1b" not in rendered and "\r" not in rendered and len(rendered.splitlines()) == 3


def test_monitor_releases_prints_a_hostile_title_inert(tmp_path: Path) -> None:
    item = {
        "url": "https://example.org/a/1",
        "source": "example.org",
        "title": f"Court reform{ESCAPES}",
        "text": "Judges and prosecutors discussed the court reform in Almaty. " * 5,
        "published": "2025-02-01",
    }
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    assert monitor_cli("ingest", str(path), home=home).returncode == 0
    listed = monitor_cli("releases", home=home)
    explained = monitor_cli("releases", "--explain", "1", home=home)
    for out in (listed.stdout, explained.stdout):
        assert "Court reform\\x1b]0;owned" in out
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_monitor_subscribers_prints_stored_names_and_searches_inert(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = monitor_cli("subscribers", "add", "reader@example.org", "--name", f"reader{ESCAPES}",
                        "--search", "court\x1b[8m hidden", home=home)  # fmt: skip
    assert added.returncode == 0, added.stderr
    runs = [added] + [
        monitor_cli("subscribers", action, "1", home=home)
        for action in ("show", "unsubscribe", "resubscribe", "remove")
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "reader\\x1b]0;owned\\x07\\x1b[2J\\x0d\\x0a\\u202e" in run.stdout
        assert not {"\x1b", "\x07", "\r", "\u202e"} & set(run.stdout)
    assert "searches court\\x1b[8m hidden" in runs[0].stdout and "searches court\\x1b[8m hidden" in runs[1].stdout
