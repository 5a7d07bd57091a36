import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.settings.config import ConfigError, load_settings


def test_shipped_sources_cover_both_osce_generations_and_the_feed(settings) -> None:
    kinds = {key: source.kind for key, source in settings.sources.items()}
    assert kinds["osce_newsroom"] == "legacy_listing"
    assert kinds["osce_astana"] == "listing"
    assert kinds["osce_feed"] == "feed"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.host_aliases["d6.web.osce.org"] == "www.osce.org"


def test_the_eu_delegations_listings_are_not_taken_for_releases(settings) -> None:
    eeas = settings.source("eeas_kazakhstan")
    base = "https://www.eeas.europa.eu"
    assert eeas.native_id(f"{base}/delegations/kazakhstan/eu-ambassador-visits-penal-institution_ru") is not None
    assert eeas.native_id(f"{base}/delegations/kazakhstan/news_en?s=222&page=2") is None
    assert eeas.native_id(f"{base}/eeas/press-material_en?fulltext=Kazakhstan") is None


@pytest.mark.parametrize(
    ("key", "url", "native"),
    [
        ("osce_odihr", "https://odihr.osce.org/odihr/elections/russia/562065", "562065"),
        ("undp_kazakhstan", "https://www.undp.org/kazakhstan/news/women-judges-network", "women-judges-network"),
        ("undp_kazakhstan", "https://www.undp.org/kazakhstan/blog/legal-aid-in-villages", "legal-aid-in-villages"),
        (
            "unodc_roca",
            "https://www.unodc.org/centralasia/en/news/prison-officers-trained.html",
            "prison-officers-trained",
        ),
        ("unodc_roca", "https://www.unodc.org/centralasia/en/contacts.html", None),
        ("unodc_roca", "https://www.unodc.org/centralasia/en/news/index.html?item=bangkok-rules", None),
        ("undp_kazakhstan", "https://www.undp.org/kazakhstan/news", None),
        ("eeas_kazakhstan", "https://www.eeas.europa.eu/eeas/grants_en?f%5B0%5D=grant_site%3AKazakhstan", None),
        ("unwomen_eca", "https://eca.unwomen.org/en/news/stories/2021/03/women-judges", "2021/03/women-judges"),
        ("unwomen_eca", "https://eca.unwomen.org/en/news/stories/2021/03/women-judges/", "2021/03/women-judges"),
        ("lprc", "https://lprc.kz/en/project/equal-access-to-justice/", None),  # a candidate, not a release
    ],
)
def test_release_urls_of_the_shapes_the_sites_use(settings, key: str, url: str, native: str | None) -> None:
    assert settings.source(key).native_id(url) == native


def test_a_listing_source_reaches_the_listing_of_each_language_it_declares(settings) -> None:
    for source in settings.sources.values():
        if source.kind in ("listing", "legacy_listing") and len(source.languages) > 1:
            paths = [urlsplit(url).path for url in source.start_urls]
            for lang in source.languages[1:]:
                # a language prefix (/ru/news) or suffix (press-material_ru)
                assert any(path.startswith(f"/{lang}/") or path.endswith(f"_{lang}") for path in paths), (
                    source.key,
                    lang,
                )


def test_central_asian_sources_read_timestamps_in_their_own_time_zone(settings) -> None:
    assert settings.source("osce_astana").timezone == "Asia/Almaty"
    assert settings.source("osce_bishkek").zone is not None


def test_user_file_overrides_start_urls_and_hosts_only_where_it_says(tmp_path: Path, monitor_home: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text(
        "[crawl]\ndownload_delay = 0.5\n"
        '[sources.osce_astana]\nstart_urls = ["http://127.0.0.1:9/news"]\nallowed_hosts = ["127.0.0.1"]\n'
        "[sources.osce_bishkek]\nenabled = false\n"
    )
    settings = load_settings(config_path=user)
    astana = settings.sources["osce_astana"]
    assert astana.start_urls == ("http://127.0.0.1:9/news",)
    assert astana.allowed_hosts == ("127.0.0.1",)
    assert astana.organisation == "OSCE"  # untouched keys keep their defaults
    assert settings.crawl.download_delay == 0.5
    assert settings.crawl.jobs == 2
    assert "osce_bishkek" not in [s.key for s in settings.enabled_sources()]


def test_environment_chooses_the_database_and_the_config(tmp_path: Path, monitor_home: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text("[sources.osce_feed]\nenabled = false\n")
    settings = load_settings({"MONITOR_DATABASE_URL": "postgresql://u@h/db", "MONITOR_CONFIG": str(user)})
    assert settings.database_url == "postgresql://u@h/db"
    assert not settings.sources["osce_feed"].enabled


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('[sources.osce_astana]\nkind = "carrier-pigeon"\n', "source 'osce_astana': kind 'carrier-pigeon'"),
        ('[sources.new_one]\nkind = "feed"\n', "source 'new_one': missing field"),
        ('[sources.osce_astana]\narticle_url_pattern = "(unclosed"\n', "not a valid regex"),
        ('[sources.osce_astana]\ntimezone = "Asia/Atlantis"\n', "timezone 'Asia/Atlantis' is not a known time zone"),
        ("this is = not toml [", "not valid TOML"),
    ],
)
def test_bad_config_names_the_source_and_field(tmp_path: Path, monitor_home: Path, snippet: str, message: str) -> None:
    user = tmp_path / "bad.toml"
    user.write_text(snippet)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_settings(config_path=user)


def test_unknown_source_lists_the_known_ones(settings) -> None:
    with pytest.raises(ConfigError, match=r"known sources: .*osce_astana"):
        settings.source("nope")


def test_jobs_go_to_the_queue_on_postgresql_only_unless_the_config_says(tmp_path: Path, monitor_home: Path) -> None:
    from monitor.operations.queue import QueueUnavailable, conninfo

    postgres = {"MONITOR_DATABASE_URL": "postgresql+psycopg://u:secret@h:5433/db"}
    assert not load_settings({}).uses_queue  # SQLite: local child processes, as before
    assert load_settings(postgres).uses_queue
    local = tmp_path / "local.toml"
    local.write_text("[queue]\ndispatch = 'local'\nconcurrency = 4\n")
    settings = load_settings({**postgres, "MONITOR_CONFIG": str(local)})
    assert not settings.uses_queue and settings.queue.concurrency == 4
    assert conninfo(postgres["MONITOR_DATABASE_URL"]) == "postgresql://u:secret@h:5433/db"  # libpq's form
    with pytest.raises(QueueUnavailable, match="need PostgreSQL"):
        conninfo(load_settings({}).database_url)
    for bad, message in [("dispatch = 'celery'", "dispatch must be one of"),
                         ("heartbeat_s = 30\nstalled_after_s = 40", "must exceed two heartbeats")]:  # fmt: skip
        local.write_text(f"[queue]\n{bad}\n")
        with pytest.raises(ConfigError, match=message):
            load_settings({"MONITOR_CONFIG": str(local)})


def test_alerts_go_to_one_address_or_a_list_of_mail_and_channels(tmp_path: Path, monitor_home: Path) -> None:
    config = tmp_path / "admin.toml"
    config.write_text("[mail]\nadmin = 'Admin@example.org'\n", encoding="utf-8")
    assert load_settings({}, config_path=config).mail.admin == ("Admin@example.org",)
    config.write_text("[mail]\nadmin = ['admin@example.org', 'channel:Ops-KZ']\n", encoding="utf-8")
    assert load_settings({}, config_path=config).mail.admin == ("admin@example.org", "channel:ops-kz")
    environ = {"MONITOR_ADMIN_EMAIL": "a@example.org, channel:ops"}
    assert load_settings(environ, config_path=config).mail.admin == ("a@example.org", "channel:ops")
    assert load_settings({}).mail.admin == ()
    with pytest.raises(ConfigError, match=r"\[mail\] admin .*'channel:no way'"):
        load_settings({"MONITOR_ADMIN_EMAIL": "a@example.org,channel:no way"})


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        # bool("false") is True: the source was crawled while the file said it was off
        ('[sources.osce_bishkek]\nenabled = "false"\n', "source 'osce_bishkek': enabled must be true or false"),
        ('[sources.lprc]\nsyndication = "no"\n', "source 'lprc': syndication must be true or false"),
        # tuple("https://…") is a tuple of characters: the crawl started at "h"
        (
            '[sources.lprc]\nstart_urls = "https://lprc.kz/news"\n',
            r"source 'lprc': start_urls must be a list of strings \(write \['https://lprc.kz/news'\]\)",
        ),
        ('[sources.lprc]\nallowed_hosts = "lprc.kz"\n', "source 'lprc': allowed_hosts must be a list of strings"),
        ('[sources.lprc]\nlanguages = "ru"\n', "source 'lprc': languages must be a list of strings"),
        (
            "[sources.osce_bishkek]\nenable = false\n",
            "source 'osce_bishkek': unknown key 'enable'; did you mean 'enabled'",
        ),
        (
            '[sources.lprc]\nstart_url = ["https://lprc.kz/"]\n',
            "source 'lprc': unknown key 'start_url'; did you mean 'start_urls'",
        ),
        ('[sources.lprc]\ncolour = "blue"\n', "source 'lprc': unknown key 'colour'; known keys: allowed_hosts, "),
        (
            '[sources.lprc]\ndownload_delay = "slow"\n',
            "source 'lprc': download_delay must be a number of at least 0, not 'slow'",
        ),
        (
            "[sources.lprc]\ndownload_delay = -1\n",
            "source 'lprc': download_delay must be a number of at least 0, not -1",
        ),
        ('[sources.lprc]\nmax_pages = "lots"\n', "source 'lprc': max_pages must be a whole number of at least 1"),
        ("[sources.lprc]\nmax_pages = 2.5\n", "source 'lprc': max_pages must be a whole number"),
        (
            '[sources.lprc]\nfields = {published = "meta"}\n',
            "source 'lprc': fields.published must be a list of strings",
        ),
        ('[sources.lprc]\nselectors = ["h1"]\n', "source 'lprc': selectors must be a table"),
        ("[sources]\nlprc = 3\n", r"source 'lprc' must be a table \(\[sources.lprc\]\)"),
        ('[crawl]\ndownload_delay = "fast"\n', r"\[crawl\]: download_delay must be a number of at least 0, not 'fast'"),
        ("[crawl]\nautothrottle = 1\n", r"\[crawl\]: autothrottle must be true or false"),
        ("[crawl]\njobs = 0\n", r"\[crawl\]: jobs must be a whole number of at least 1"),
        ("[crawl]\ndownload_dealy = 1\n", r"\[crawl\]: unknown key 'download_dealy'; did you mean 'download_delay'"),
        ('[schedule.crawls.all]\nenabled = "false"\n', r"\[schedule.crawls.all\]: enabled must be true or false"),
        ('[schedule.crawls.all]\nsources = "lprc"\n', r"\[schedule.crawls.all\]: sources must be a list of strings"),
        ("[schedule.crawls.all]\nevery_hour = 2\n", r"\[schedule.crawls.all\]: unknown key 'every_hour'; did you mean"),
    ],
)
def test_a_value_of_the_wrong_type_or_an_unknown_key_is_refused_naming_file_and_key(
    tmp_path: Path, monitor_home: Path, snippet: str, message: str
) -> None:
    user = tmp_path / "user.toml"
    user.write_text(snippet, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{user}: {message}"):
        load_settings(config_path=user)


def test_values_of_the_right_type_are_taken_as_written(tmp_path: Path, monitor_home: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text(
        "[crawl]\ndownload_delay = 0\ntimeout_s = 60\n"
        "[sources.lprc]\nenabled = false\ndownload_delay = 2\nmax_pages = 3\n"
        '[sources.osce_bishkek]\nsyndication = true\nfields = {published = ["meta"]}\n'
        "[schedule.crawls.all]\nenabled = false\n"
        '[schedule.crawls.partners]\nsources = ["lprc"]\nevery_hours = 12\n',
        encoding="utf-8",
    )
    settings = load_settings(config_path=user)
    lprc = settings.source("lprc")
    assert (lprc.enabled, lprc.download_delay, lprc.max_pages) == (False, 2.0, 3)
    assert settings.source("osce_bishkek").syndication
    assert settings.source("osce_bishkek").fields == {"published": ("meta",)}
    assert settings.crawl.download_delay == 0.0 and settings.crawl.timeout_s == 60.0
    assert [(g.name, g.sources, g.every_hours) for g in settings.schedule.crawl_groups] == [
        ("partners", ("lprc",), 12.0)
    ]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        # each of these raised AttributeError or TypeError from deep inside the loader
        ("sources = 3\n", r"sources must be a table \(\[sources\]\), not 3"),
        ("hosts = 3\n", r"hosts must be a table \(\[hosts\]\), not 3"),
        ('crawl = "fast"\n', r"crawl must be a table \(\[crawl\]\), not 'fast'"),
        ("[schedule.crawls]\nall = 5\n", r"\[schedule.crawls\]: all must be a table, not 5"),
        ("[schedule]\ncrawls = 5\n", r"\[schedule\]: crawls must be a table, not 5"),
        ("[crawl]\nlimits = 3\n", r"\[crawl\]: limits must be a table, not 3"),
        ('[digests]\nweekly = "monday"\n', r"\[digests\]: weekly must be a table, not 'monday'"),
        ("[digests.weekly]\nrecipients = 3\n", "digest 'weekly': recipients must be a list of strings, not 3"),
        ('[subscribers]\nbob = "bob@example.org"\n', r"\[subscribers\]: bob must be a table"),
        ('[hosts]\n"a.example.org" = 3\n', r"\[hosts\]: a.example.org must be a string, not 3"),
        # bare int() and float() errors that named neither the file nor the key
        ('[queue]\nconcurrency = "two"\n', r"\[queue\]: concurrency must be a whole number of at least 1, not 'two'"),
        ('[queue]\npoll_s = "often"\n', r"\[queue\]: poll_s must be a number above 0, not 'often'"),
        ('[schedule]\nlease_ttl_s = "2m"\n', r"\[schedule\]: lease_ttl_s must be a number above 0, not '2m'"),
        ("[schedule]\nmisfire_grace_hours = -1\n", r"\[schedule\]: misfire_grace_hours must be a number above 0"),
        ('[mail]\noutbox = ["a"]\n', r"\[mail\]: outbox must be a string"),
        ("home = 3\n", "home must be a string, not 3"),
        ('databse_url = "sqlite:///x"\n', "the top level: unknown key 'databse_url'; did you mean 'database_url'"),
        ('[web]\ndatabase_url = "sqlite:///x"\n', r"\[web\]: unknown key 'database_url'"),
        # a scheme SQLAlchemy has no plugin for failed with a traceback once the store opened
        (
            'database_url = "postgres://monitor:hunter2@db/monitor"\n',
            r"database_url: postgres://monitor:\*\*\*@db/monitor names no known database; "
            r"write postgresql\+psycopg://monitor:\*\*\*@db/monitor",
        ),
        ('database_url = "mysql+nodriver://db/monitor"\n', "database_url: mysql.nodriver://db/monitor names no known"),
        ('database_url = "db.example.org"\n', "database_url is not a database URL"),
    ],
)
def test_a_section_or_value_of_the_wrong_kind_is_one_clear_error(
    tmp_path: Path, monitor_home: Path, snippet: str, message: str
) -> None:
    user = tmp_path / "user.toml"
    user.write_text(snippet, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{user}: {message}") as refused:
        load_settings({}, config_path=user)  # nothing from the environment: `home` is read from the file
    assert "hunter2" not in str(refused.value)


def test_a_file_that_is_not_utf8_text_is_named_with_its_line(tmp_path: Path, monitor_home: Path) -> None:
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('[crawl]\ncontact = "café@example.org"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=f"^{latin1}: not UTF-8 text \\(byte 0xe9 on line 2\\)"):
        load_settings(config_path=latin1)
    with pytest.raises(ConfigError, match=f"^{tmp_path}: is a folder, not a TOML file"):
        load_settings(config_path=tmp_path)


def test_a_utf8_file_starting_with_a_byte_order_mark_is_read(tmp_path: Path, monitor_home: Path) -> None:
    marked = tmp_path / "notepad.toml"
    marked.write_bytes(b"\xef\xbb\xbf[crawl]\ndownload_delay = 1.5\n")
    assert load_settings(config_path=marked).crawl.download_delay == 1.5


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MONITOR_SMTP_HOST": "mail", "MONITOR_SMTP_PORT": "abc"}, "MONITOR_SMTP_PORT: must be a port number"),
        ({"MONITOR_SMTP_HOST": "mail", "MONITOR_SMTP_PORT": "70000"}, "MONITOR_SMTP_PORT: must be a port number"),
        (
            {"MONITOR_SMTP_HOST": "mail", "MONITOR_SMTP_TIMEOUT": "1m"},
            "MONITOR_SMTP_TIMEOUT: must be a number of seconds",
        ),
        (
            {"MONITOR_DATABASE_URL": "postgres://u:hunter2@db/m"},
            r"MONITOR_DATABASE_URL: postgres://u:\*\*\*@db/m names no known database; write postgresql\+psycopg://",
        ),
    ],
)
def test_a_bad_environment_variable_is_named_not_the_file(
    tmp_path: Path, monitor_home: Path, environ: dict[str, str], message: str
) -> None:
    user = tmp_path / "user.toml"
    user.write_text("[crawl]\njobs = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{message}") as refused:
        load_settings(environ, config_path=user)
    assert "hunter2" not in str(refused.value)
    assert load_settings({"MONITOR_SMTP_HOST": "mail", "MONITOR_SMTP_PORT": "2525"}).mail.smtp.port == 2525


@pytest.mark.parametrize(
    "url",
    ["monitor.example.org", "monitor.example.org/press", "ftp://monitor.example.org", "https://", "http://h:99999"],
)
def test_a_public_url_without_http_scheme_and_host_is_refused(tmp_path: Path, monitor_home: Path, url: str) -> None:
    # links in mail and feeds are built on it: "monitor.example.org/unsubscribe/…" leads nowhere
    user = tmp_path / "user.toml"
    user.write_text(f'[web]\npublic_url = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{user}: \[web\]: public_url must be an http:// or https:// URL"):
        load_settings({}, config_path=user)
    with pytest.raises(ConfigError, match=r"^MONITOR_PUBLIC_URL must be an http:// or https:// URL with a host"):
        load_settings({"MONITOR_PUBLIC_URL": url})


def test_a_public_url_with_a_path_is_kept_without_its_last_slash(tmp_path: Path, monitor_home: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text('[web]\npublic_url = "https://news.example.org/monitor/"\n', encoding="utf-8")
    assert load_settings({}, config_path=user).public_url == "https://news.example.org/monitor"
    assert load_settings({"MONITOR_PUBLIC_URL": "http://10.0.0.5:8000/"}).public_url == "http://10.0.0.5:8000"
    assert load_settings({}).public_url == "http://127.0.0.1:8000"


def test_the_crawl_process_reads_its_settings_without_the_database_layer(tmp_path: Path) -> None:
    # A crawl process never opens the database (its store worker does, beside it); checking the
    # SQLite URL its parent hands it by importing SQLAlchemy cost each crawl a third of a second
    # before its first request.
    code = "import sys, scrapers.settings, scrapers.spiders.base; print([m for m in sys.modules if 'sqlalchemy' in m])"
    environ = {**os.environ, "MONITOR_HOME": str(tmp_path), "MONITOR_DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite"}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_feed_of_several_offices_dates_each_release_where_its_host_publishes(tmp_path) -> None:
    from monitor.records import RawRelease
    from monitor.understanding.normalize import normalize_release

    settings = load_settings({}, config_path=None)
    feed = settings.source("osce_feed")
    stamp = [("feed", "Tue, 04 Jun 2024 21:40:00 +0200")]  # 21:40 in Vienna, 01:40 the next day in Bishkek
    bishkek = RawRelease(source="osce_feed", url="https://bishkek.osce.org/news/x/578877", title="T", text="Text.", dates=stamp)
    vienna = RawRelease(source="osce_feed", url="https://www.osce.org/secretariat/578878", title="T", text="Text.", dates=stamp)
    assert normalize_release(bishkek, feed, {}, date(2026, 1, 1)).published.value == date(2024, 6, 5)
    assert normalize_release(vienna, feed, {}, date(2026, 1, 1)).published.value == date(2024, 6, 4)
    bad = tmp_path / "bad.toml"
    bad.write_text('[sources.x]\nkind = "feed"\norganisation = "X"\nstart_urls = ["https://x.example/feed"]\n'
                   'allowed_hosts = ["x.example"]\nhost_timezones = { "x.example" = "Asia/Nowhere" }\n')  # fmt: skip
    with pytest.raises(ConfigError, match=r"host_timezones\.x\.example 'Asia/Nowhere' is not a known time zone"):
        load_settings({}, config_path=bad)
