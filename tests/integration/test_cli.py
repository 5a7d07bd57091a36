"""The `monitor` command as users and cron run it: a child process, exit codes, output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.integration.crawling import cli_env, monitor_cli, write_config

# The seeds the first users showed us: an OSCE article (000), the listing that repeats it (001)
# and an article ending in "Source : OSCE" (004).
SEED_TITLES = [
    "Kazakhstan’s Women Judges Contribute to the 10th Annual Conference of the Kyrgyz Association of Women Judges",
    "OSCE Supports Study Visit on Conventions Providing International Access to Justice",
    "Draft of Kazakhstan’s Court Administration Strategy Presented at Roundtable Discussion",
    "Support in developing a strategy of court administration in Kazakhstan",
    "Elevating Qualification for Judicial System: Intensive Training for Legal Professionals in Kazakhstan",
    "Empowering Women Judges in Kazakhstan through International Exchange",
    "OSCE Programme Office in Nur-Sultan and the Supreme Court of Kazakhstan signed a Memorandum of Understanding "
    "for the Project on Improving the Effectiveness of the Justice System",
    "Regional Conference Promotes Women’s Participation in Law Enforcement in Central Asia",
    "Ninth Expert Forum on Criminal Justice for Central Asia Concludes in Astana",  # seed 002, from its PDF
    "International Round Table Discusses Achievements in Improving the Effectiveness of Kazakhstan’s Justice System",
]


def test_help_names_every_command(tmp_path: Path) -> None:
    result = monitor_cli("--help", home=tmp_path)
    assert result.returncode == 0
    for command in ("crawl", "digest", "releases", "sources", "demo"):
        assert command in result.stdout
    assert "Exit codes" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["digest", "--since", "yesterday"], "not a date"),
        (["crawl", "no_such_source"], "unknown source 'no_such_source'"),
        (["--config", "/nonexistent.toml", "sources"], "config file not found"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(tmp_path: Path, args: list[str], message: str) -> None:
    result = monitor_cli(*args, home=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (b"hosts = 3\n", "hosts must be a table ([hosts]), not 3"),
        (
            '[crawl]\ncontact = "café@example.org"\n'.encode("latin-1"),
            "not UTF-8 text (byte 0xe9 on line 2); save the file as UTF-8",
        ),
        (
            b'database_url = "postgres://u:pw@db/m"\n',
            "database_url: postgres://u:***@db/m names no known database; write postgresql+psycopg://u:***@db/m",
        ),
    ],
)
def test_a_broken_config_is_one_line_naming_the_file_and_exit_2(tmp_path: Path, config: bytes, message: str) -> None:
    path = tmp_path / "monitor.toml"
    path.write_bytes(config)
    result = monitor_cli("--config", str(path), "sources", home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stderr == f"monitor: {path}: {message}\n"  # one line, no traceback


def test_sources_lists_every_source_with_health(tmp_path: Path) -> None:
    result = monitor_cli("sources", home=tmp_path)
    assert result.returncode == 0
    header, _rule, *rows = result.stdout.splitlines()
    assert header.split()[:5] == ["source", "enabled", "kind", "organisation", "health"]
    assert {row.split()[0] for row in rows} == {
        *("osce_newsroom", "osce_astana", "osce_bishkek", "osce_odihr", "osce_feed"),
        *("osce_dushanbe", "osce_ashgabat", "osce_uzbekistan"),
        *("eeas_kazakhstan", "lprc", "unodc_roca", "undp_kazakhstan", "unwomen_eca"),
        *("pubt_osce", "europavarietas", "newscentralasia", "content_farm"),
    }
    assert all(" never " in row for row in rows)


@pytest.mark.slow
def test_crawl_releases_and_digest_from_the_command_line(tmp_path: Path, demo_mirror) -> None:
    home = tmp_path / "home"
    config = write_config(tmp_path / "mirror.toml", demo_mirror)
    crawl = monitor_cli("crawl", "osce_newsroom", "osce_feed", home=home, config=config)
    assert crawl.returncode == 0, crawl.stderr
    assert re.search(r"osce_newsroom\s+ok\s+15\s+11\s+0\s+0\s+0", crawl.stdout), crawl.stdout

    listed = monitor_cli("releases", "--json", home=home, config=config)
    releases = json.loads(listed.stdout)
    assert len(releases) == 15  # 11 on the old newsroom listings, 4 in the feed
    seed = next(r for r in releases if r["identity"] == "osce:582310")
    assert seed["canonical_url"] == "https://www.osce.org/programme-office-in-astana/582310"  # not the mirror's address
    assert (seed["published"], seed["published_provenance"]) == ("2024-12-19", "listing")
    assert (seed["event_date"], seed["event_provenance"]) == ("2024-12-06", "body")
    assert seed["captions"] == [
        "Participants of the 10th Annual Conference of the Kyrgyz Association of Women Judges, Aral village, 7 December 2024."
    ]
    seed_004 = next(r for r in releases if r["identity"] == "osce:552034")
    assert "Source : OSCE" not in seed_004["text"]

    explain = monitor_cli("releases", "--explain", str(seed["id"]), home=home, config=config)
    assert "gender_equality" in explain.stdout and "facet: gender equality" in explain.stdout

    table = monitor_cli("releases", "--topic", "gender_equality", home=home, config=config)
    assert "Kazakhstan’s Women Judges" in table.stdout and "Court Administration" not in table.stdout

    output = tmp_path / "out" / "digest.pdf"
    digest = monitor_cli(
        "digest", "--since", "2021-01-01", "--until", "2026-12-31", "--output", str(output), home=home, config=config
    )
    assert digest.returncode == 0, digest.stderr
    assert digest.stdout.strip().endswith(str(output))
    assert output.read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
def test_demo_digest_holds_each_seed_release_exactly_once(tmp_path: Path) -> None:
    result = monitor_cli("demo", "--workdir", str(tmp_path / "demo"), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    pdf = Path(result.stdout.strip().splitlines()[-1])
    assert pdf.exists()
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for title in SEED_TITLES:
        assert text.count(title) == 1, title
    # seed 002's story is headed by LPRC's PDF, the EU Delegation's page of the same day carried it;
    # seed 003 (an aggregator's rewrite) is joined to its original's story
    assert "EU supports the Ninth Expert Forum" not in text
    assert "EU Delegation to Kazakhstan and EEAS press material (rewrite)" in text
    assert "Content farm republishing OSCE releases (3.72.39.107) (rewrite)" in text
    # It ends with the one command that opens its stories in the web view, and an account for it.
    check_demo_web_command(result.stderr)


def check_demo_web_command(stderr: str) -> None:
    import re
    import shlex
    import socket

    import httpx2

    from tests.waiting import wait_for

    command = re.search(r"^    (env MONITOR_HOME=.* web)$", stderr, re.MULTILINE)
    password = re.search(r"sign in as demo@localhost with the password (\S+)", stderr)
    assert command and password, stderr
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([*shlex.split(command.group(1)), "--port", str(port)], stderr=subprocess.DEVNULL)
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, follow_redirects=True) as client:

            def up() -> bool:
                try:
                    return client.get("/healthz").status_code == 200
                except httpx2.TransportError:
                    return False

            wait_for(up, timeout=60, every=0.2)
            login = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', login)
            assert token
            signed_in = client.post(
                "/login",
                data={"email": "demo@localhost", "password": password.group(1), "csrf_token": token.group(1)},
            )
            assert signed_in.status_code == 200 and str(signed_in.url).endswith("/stories")
            assert SEED_TITLES[0] in signed_in.text or SEED_TITLES[0] in client.get("/stories?page=2").text
    finally:
        server.terminate()
        server.wait(30)


def test_sources_check_prints_the_fields_found_and_fails_on_a_broken_source(tmp_path: Path, demo_mirror) -> None:
    config = write_config(tmp_path / "mirror.toml", demo_mirror)
    good = monitor_cli("sources", "check", "eeas_kazakhstan", home=tmp_path / "home", config=config)
    assert good.returncode == 0, good.stderr
    assert "listing entries  2" in good.stdout
    assert "Kazakhstan: Annual Human Rights Dialogue with the European Union held in Brussels" in good.stdout
    assert re.search(r"published +2025-06-12 from", good.stdout)
    # each link of the start page with the rule that took or skipped it; each field with its provenance
    assert re.search(r"/eeas/kazakhstan-annual-human-rights-dialogue-brussels_en +release URL shape \(id ", good.stdout)
    assert re.search(r"127\.0\.0\.1:\d+/ +skipped: not a release URL shape", good.stdout)
    assert re.search(r"title from +selector", good.stdout) and re.search(r"date found +byline: ", good.stdout)

    # a sitemap's links, each with its rule; a page of an ambiguous shape read and skipped, with why
    unodc = monitor_cli("sources", "check", "unodc_roca", home=tmp_path / "home", config=config)
    assert unodc.returncode == 0, unodc.stderr
    assert re.search(r"/roca/en/Press-Releases/\S+ +release URL shape \(id ", unodc.stdout)
    assert re.search(r"/centralasia/en/about-us.html +ambiguous URL shape: skipped, no publication date", unodc.stdout)

    # the same source, pointed at a page with no release links: a clear problem and exit 1
    with config.open("a", encoding="utf-8") as extra:
        extra.write(
            f'\n[sources.broken]\nkind = "listing"\norganisation = "EU"\nstart_urls = ["{demo_mirror.url("www.eeas.europa.eu", "/robots.txt")}"]\nallowed_hosts = ["127.0.0.1"]\n'
        )
    broken = monitor_cli("sources", "check", "broken", home=tmp_path / "home", config=config)
    assert broken.returncode == 1
    assert "problem: no release found on" in broken.stderr


def test_subscribers_are_managed_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = monitor_cli("subscribers", "add", "adviser@example.org", "--topic", "gender_equality", "--country",
                        "Kyrgyzstan", "--search", "прокуратура", "--period", "daily", home=home)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "daily: topics gender_equality; countries kyrgyzstan; searches прокуратура" in added.stdout
    again = monitor_cli("subscribers", "add", "adviser@example.org", home=home)
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = monitor_cli("subscribers", "add", "x@example.org", "--name", "x", "--topic", "astrology", home=home)
    assert bad.returncode == 2 and "unknown topic(s) astrology" in bad.stderr
    listed = monitor_cli("subscribers", "list", home=home)
    assert "adviser@example.org" in listed.stdout and "active" in listed.stdout
    shown = monitor_cli("subscribers", "show", "adviser@example.org", home=home)
    assert "issues of f-" in shown.stdout and "Asia/Almaty" in shown.stdout
    assert monitor_cli("subscribers", "unsubscribe", "1", home=home).returncode == 0
    assert "active" not in monitor_cli("subscribers", "list", home=home).stdout
    assert "unsubscribed" in monitor_cli("subscribers", "list", "--all", home=home).stdout
    assert monitor_cli("subscribers", "remove", "adviser@example.org", home=home).returncode == 0
    missing = monitor_cli("subscribers", "show", "adviser@example.org", home=home)
    assert missing.returncode == 1 and "no subscriber" in missing.stderr


def test_a_source_or_digest_named_twice_runs_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = tmp_path / "refused.toml"  # nothing listens on port 9: each crawl fails at once
    config.write_text(
        '[crawl]\ndownload_delay = 0.0\n[sources.lprc]\nstart_urls = ["http://127.0.0.1:9/news"]\n'
        'allowed_hosts = ["127.0.0.1"]\n',
        encoding="utf-8",
    )
    crawl = monitor_cli("crawl", "lprc", "lprc", home=home, config=config)
    assert crawl.returncode == 1  # the source failed, once
    assert [line.split()[0] for line in crawl.stdout.splitlines()[2:] if not line.startswith(" ")] == ["lprc"]
    assert "failed: lprc (logs in" in crawl.stderr

    digest = monitor_cli("digest", "weekly", "weekly", home=home, config=config)
    assert digest.returncode == 0, digest.stderr
    header, _rule, *rows = digest.stdout.splitlines()
    assert header.startswith("digest") and [row.split()[0] for row in rows] == ["weekly"]
    assert " now " in rows[0]  # issued by this run, not reported again as issued earlier


@pytest.mark.parametrize(
    ("args", "named", "why"),
    [
        (["digest", "--since", "2026-01-01", "--output", "{tmp}/a-folder"], "{tmp}/a-folder", "Is a directory"),
        (
            ["digest", "--since", "2026-01-01", "--output", "{tmp}/a-file/x.pdf"],
            "{tmp}/a-file/x.pdf",
            "Not a directory",
        ),
        (["feeds", "write", "{tmp}/a-file"], "{tmp}/a-file", "Not a directory"),
        (["digest", "--dry-run", "--outbox", "{tmp}/a-file/outbox"], "{tmp}/a-file/outbox", "Not a directory"),
    ],
)
def test_an_output_path_that_cannot_be_written_is_one_error_naming_it(
    tmp_path: Path, args: list[str], named: str, why: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("in the way\n", encoding="utf-8")
    result = monitor_cli(*(arg.format(tmp=tmp_path) for arg in args), home=tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"monitor: {named.format(tmp=tmp_path)}: {why}"
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.part"))  # nothing half-written left behind
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "in the way\n"


def test_releases_json_gives_first_seen_at_in_utc_with_its_offset(tmp_path: Path) -> None:
    item = {
        "url": "https://example.org/news/1",
        "source": "example.org",
        "title": "Court reform conference in Almaty",
        "text": "Judges and prosecutors discussed the court reform in Almaty. " * 5,
        "published": "2025-02-01",
    }
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    before = datetime.now(UTC).replace(microsecond=0)
    assert monitor_cli("ingest", str(path), home=home).returncode == 0
    after = datetime.now(UTC)
    (release,) = json.loads(monitor_cli("releases", "--json", home=home).stdout)
    seen = datetime.fromisoformat(release["first_seen_at"])
    assert seen.utcoffset() == timedelta(0)  # ISO 8601 with "+00:00", on SQLite as on PostgreSQL
    assert before <= seen <= after


@pytest.mark.parametrize("args", [["sources"], ["releases", "--json"]])
def test_output_into_a_pipe_closed_early_ends_quietly(tmp_path: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line, as `| head -0` would
    try:
        result = subprocess.run(
            [sys.executable, "-m", "monitor", *args],
            env=cli_env(tmp_path / "home"), stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
            check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr
    assert "Exception ignored" not in result.stderr
    assert result.returncode == 141  # 128 + SIGPIPE, as the shell reports a reader gone
