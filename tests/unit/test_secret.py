"""The web signing key kept in the monitor's home, as processes starting together make it."""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from monitor.settings.config import ConfigError, load_settings
from monitor.settings.secret import MIN_KEY_CHARS, signing_secret

PROCESSES = 4
ROUNDS = 15  # each round a fresh home that every process reaches at the same moment


def start_on_fresh_homes(homes: list[str], barrier: Barrier, results: Queue) -> None:
    """A web server, a mailer or a scheduler starting on each home at once."""
    for home in homes:
        settings = load_settings({"MONITOR_HOME": home})
        barrier.wait()
        try:
            results.put((home, signing_secret(settings)))
        except ConfigError as exc:
            results.put((home, f"error: {exc}"))


def test_processes_starting_together_on_a_new_home_share_one_key(tmp_path: Path) -> None:
    homes = [str(tmp_path / f"home{n}") for n in range(ROUNDS)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [context.Process(target=start_on_fresh_homes, args=(homes, barrier, results)) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    keys: dict[str, set[str]] = {home: set() for home in homes}
    for _ in range(PROCESSES * ROUNDS):
        home, key = results.get(timeout=120)
        keys[home].add(key)
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    for home, seen in keys.items():
        assert len(seen) == 1, f"{home}: the processes signed with different keys {seen}"
        (key,) = seen
        assert len(key) >= MIN_KEY_CHARS, f"{home}: key {key!r}"
        assert (Path(home) / "web-secret").read_text(encoding="utf-8") == key
        assert (Path(home) / "web-secret").stat().st_mode & 0o077 == 0
        assert [p.name for p in Path(home).iterdir()] == ["web-secret"]  # no temporary file left behind


@pytest.mark.parametrize("content", ["", "\n", "short"])
def test_an_empty_or_cut_off_key_file_is_refused_not_used(tmp_path: Path, content: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "web-secret").write_text(content, encoding="utf-8")
    settings = load_settings({"MONITOR_HOME": str(home)})
    with pytest.raises(ConfigError, match=r"web-secret: the web signing key is (empty|only 5 characters)"):
        signing_secret(settings)
    assert signing_secret(settings, "given key") == "given key"  # MONITOR_WEB_SECRET still works


def test_a_home_where_no_key_can_be_made_says_what_to_set(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    settings = load_settings({"MONITOR_HOME": str(tmp_path / "a-file" / "home")})  # no folder can be made
    with pytest.raises(ConfigError, match=r"cannot make the web signing key .*MONITOR_WEB_SECRET"):
        signing_secret(settings)
