"""Hostile import lines, generated here: each bad line is reported with its number and skipped,
and every other line of the same batch is stored (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from monitor.crawling.ingest import BATCH, checked_url, import_jsonl
from monitor.settings.config import Settings, load_settings
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy
from tests.hostile import documents
from tests.integration.crawling import monitor_cli

TEXT = "The OSCE Programme Office trained judges of the Supreme Court on access to justice. " * 5


def good(number: int) -> dict[str, object]:
    return {
        "url": f"https://www.osce.org/programme-office-in-astana/{700000 + number}",
        "source": "osce_newsroom",
        "title": f"Judges trained on access to justice, session {number}",
        "published": "2025-03-14",
        "text": f"Session {number}. {TEXT}",
    }


def nested_json(depth: int) -> bytes:
    return b'{"url": ' + b"[" * depth + b"]" * depth + b"}"


HOSTILE: dict[str, bytes] = {
    "port out of range": json.dumps({**good(1), "url": "https://www.osce.org:99999/x/1"}).encode(),
    "lang as a number": json.dumps({**good(2), "lang": 7}).encode(),
    "lang as a list": json.dumps({**good(3), "lang": ["en", "ru"]}).encode(),
    "title as an object": json.dumps({**good(4), "title": {"a": 1}}).encode(),
    "JSON nested 100,000 deep": nested_json(100_000),
    "source with a line break": json.dumps({**good(5), "source": "evil\r\nsource"}).encode(),
    "text as a list": json.dumps({**good(6), "text": ["Judges", "trained"]}).encode(),
    "html as an object": json.dumps({**good(7), "text": None, "html": {"p": "Judges"}}).encode(),
    "url of 100,000 characters": json.dumps({**good(8), "url": "https://www.osce.org/" + "a" * 100_000}).encode(),
    "url with a password": json.dumps({**good(9), "url": "https://editor:s3cret@www.osce.org/odihr/9"}).encode(),
    "published as true": json.dumps({**good(10), "published": True}).encode(),
    "host with a space": json.dumps({**good(11), "url": "https://www.os ce.org/odihr/11"}).encode(),
    "host with a direction mark": json.dumps({**good(12), "url": "https://www.osce.org\u202e/odihr/12"}).encode(),
    "host with an Arabic letter mark": json.dumps({**good(15), "url": "https://www.osce.org\u061c/odihr/15"}).encode(),
    "host with a soft hyphen": json.dumps({**good(16), "url": "https://www.os\u00adce.org/odihr/16"}).encode(),
    "host with a Hangul filler": json.dumps({**good(17), "url": "https://www.os\u3164ce.org/odihr/17"}).encode(),
    "published as a number": json.dumps({**good(14), "published": 1741737600}).encode(),
    "not UTF-8": b'{"url": "https://x.org/1", "title": "\xff\xfe", "text": "a"}',
}


def run_import(settings: Settings, lines: list[bytes]) -> tuple[Store, object]:
    store = Store.open(settings.database_url)
    return store, import_jsonl(lines, settings, store, load_taxonomy())


def test_each_hostile_line_is_skipped_with_its_number_and_its_batch_is_stored(settings: Settings) -> None:
    lines = [json.dumps(good(100 + n)).encode() for n in range(BATCH + 150)]
    bad_at = {}
    for offset, (what, line) in enumerate(HOSTILE.items()):
        position = 20 + offset * 20  # spread through the first batch and into the second
        lines.insert(position, line)
        bad_at[position + 1] = what
    store, report = run_import(settings, lines)
    skipped = dict(report.skipped)
    assert sorted(skipped) == sorted(bad_at), report.skipped
    assert store.counts()["releases"] == BATCH + 150
    assert "port" in skipped[min(bad_at)]
    wrong_types = [why for line, why in skipped.items() if bad_at[line] in ("text as a list", "html as an object")]
    assert wrong_types == ["text is a list, not text", "html is a dict, not text"]
    assert [why for line, why in skipped.items() if bad_at[line] in ("url with a password", "published as true")] == [
        "url carries a user name or password",
        "published is a bool, not a date",
    ]


@pytest.mark.parametrize("filler", ["\u3164", "\uffa0", "\u115f", "\u1160"])
def test_a_host_with_an_invisible_letter_is_refused(filler: str) -> None:
    # Unicode counts the Hangul fillers as letters, yet they show nothing: www.os<filler>ce.org reads as www.osce.org
    with pytest.raises(ValueError, match="a host no site can have"):
        checked_url({"url": f"https://www.os{filler}ce.org/odihr/1"})


@pytest.mark.parametrize("host", ["www.osce.org", "пример.рф", "münchen.de", "3.72.39.107"])
def test_a_host_of_letters_of_any_script_digits_dots_and_hyphens_is_accepted(host: str) -> None:
    assert checked_url({"url": f"https://{host}/news/1"}) == f"https://{host}/news/1"


def test_text_is_cleaned_of_what_databases_refuse_and_the_change_is_reported(settings: Settings) -> None:
    lines = [
        json.dumps({**good(1), "title": "Judges trained\x00 on legal aid"}).encode(),
        json.dumps({**good(2), "title": "Lone \ud800 surrogate in a title about courts"}).encode(),
        # a mis-decoded page: 89 replacement characters among 10,000 good ones are no reason to refuse it
        json.dumps({**good(3), "text": (TEXT * 30)[:10_000] + "\ufffd" * 89}).encode(),
        json.dumps({**good(4), "text": "\x01\x02\x03" * 300}).encode(),  # binary, not text
    ]
    store, report = run_import(settings, lines)
    assert [number for number, _ in report.skipped] == [4]
    assert ("binary" in report.skipped[0][1]) and store.counts()["releases"] == 3
    cleaned = dict(report.cleaned)
    assert "NUL" in cleaned[1] and "surrogate" in cleaned[2]
    titles = {r.title for r in store.releases()}
    assert "Judges trained on legal aid" in titles and "Lone \ufffd surrogate in a title about courts" in titles


def test_lone_surrogates_in_any_field_are_replaced_and_the_import_goes_on(settings: Settings) -> None:
    store = Store.open(settings.database_url)
    lines = [json.dumps(good(n)).encode() for n in range(6)]
    lines[2] = json.dumps({**good(2), "lang": "en\ud800"}).encode()  # the escape survives json.dumps
    lines[4] = json.dumps({**good(4), "url": good(4)["url"] + "\udc80"}).encode()
    report = import_jsonl(lines, settings, store, load_taxonomy())
    assert report.skipped == [] and store.counts()["releases"] == 6


@pytest.mark.sqlite_only
def test_a_line_the_database_refuses_is_skipped_and_its_neighbours_stored(settings: Settings) -> None:
    store = Store.open(settings.database_url)
    with store.engine.begin() as conn:  # a database rule this import does not know of
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON releases WHEN NEW.title LIKE '%refused%' "
            "BEGIN SELECT RAISE(ABORT, 'title refused by a rule'); END"
        )
    lines = [json.dumps(good(n)).encode() for n in range(10)]
    lines[6] = json.dumps({**good(6), "title": "This one is refused by the database"}).encode()
    report = import_jsonl(lines, settings, store, load_taxonomy())
    assert [(n, "refused" in why) for n, why in report.skipped] == [(7, True)]
    assert store.counts()["releases"] == 9


def test_the_command_reports_bad_lines_and_cleaning_without_control_characters(settings: Settings, tmp_path) -> None:
    path = tmp_path / "items.jsonl"
    lines = [json.dumps(good(1)), json.dumps({**good(2), "url": "https://x.org:99999/\x1b[2J"}), json.dumps(good(3))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = monitor_cli("ingest", str(path), home=settings.home)
    assert result.returncode == 1
    assert "items.jsonl:2: skipped" in result.stderr and "\x1b" not in result.stderr
    assert "3 line(s): 2 new" in result.stdout


def test_an_html_import_keeps_what_the_page_states_as_a_crawl_would(settings: Settings) -> None:
    html = (
        '<html lang="ru"><head><link rel="canonical" href="https://www.aggregator.example.org/ru/item/700001">'
        '<meta property="article:published_time" content="2025-03-14T09:00:00+05:00"></head><body><article>'
        "<h1>Мониторинг судебных процессов</h1><figure><img src='x.jpg'><figcaption>Участники семинара</figcaption></figure>"
        + "<p>БДИПЧ провело семинар по мониторингу судебных процессов для юристов и судей.</p>" * 4
        + "<p>What we do: Rule of law</p></article></body></html>"
    )
    line = json.dumps(
        {"url": "https://aggregator.example.org/item/1", "source": "aggregator.example.org", "html": html}
    )
    store, report = run_import(settings, [line.encode()])
    assert report.skipped == []
    (release,) = store.releases(include_duplicates=True)
    assert (release.published.isoformat(), release.published_provenance) == ("2025-03-14", "meta")
    assert release.canonical_url == "https://www.aggregator.example.org/ru/item/700001" and release.lang == "ru"
    assert release.captions == ["Участники семинара"] and release.facets == {"what we do": ["Rule of law"]}


def test_an_html_import_reads_slashed_dates_in_the_order_the_page_shows(settings: Settings) -> None:
    html = (
        "<html><body><main><h1>Hydrant flushing this week</h1><p class='posted'>Posted 10/04/2021 9:15 AM</p>"
        + "<p>Crews will flush hydrants in the north district; water may look cloudy for a few hours.</p>" * 4
        + "</main><aside><a href='/n/2'>Leaf pickup</a> 09/17/2021</aside></body></html>"
    )
    line = json.dumps({"url": "https://city.example.gov/news/hydrants", "source": "city.example.gov", "html": html})
    store, report = run_import(settings, [line.encode()])
    assert report.skipped == []
    (release,) = store.releases(include_duplicates=True)
    assert release.published.isoformat() == "2021-10-04"


def test_a_page_naming_another_sites_release_as_canonical_does_not_overwrite_it(settings: Settings) -> None:
    original = {
        "url": "https://pr.example.org/news/court-reform", "source": "origsite", "published": "12 March 2025",
        "title": "Court reform seminar held in Astana",
        "text": "ASTANA, 12 March 2025 – The Programme Office held a seminar on judicial reform for forty judges.",
    }  # fmt: skip
    spam = (
        '<html><head><link rel="canonical" href="https://pr.example.org/news/court-reform"></head><body><article>'
        "<h1>Buy cheap pills now</h1>" + "<p>Cheap pills, fast shipping, no prescription needed at all.</p>" * 3
        + "</article></body></html>"
    )
    # and a page of the same site naming the home page as its canonical: two articles, not one
    home = original["url"].replace("court-reform", "probation-service")
    other = {"url": home, "source": "origsite", "title": "Probation service opens", "published": "13 March 2025",
             "html": '<html><head><link rel="canonical" href="https://pr.example.org/"></head><body><article>'
             "<h1>Probation service opens</h1>" + "<p>The first probation office opened in Shymkent today.</p>" * 3 +
             "</article></body></html>"}  # fmt: skip
    lines = [original, {"url": "https://spam.example.net/p/1", "source": "spamfarm", "html": spam}, other]
    store, report = run_import(settings, [json.dumps(line).encode() for line in lines])
    assert report.skipped == [] and report.counts["new"] == 3
    stored = {r.canonical_url: r.title for r in store.releases(include_duplicates=True)}
    assert stored == {
        "https://pr.example.org/news/court-reform": "Court reform seminar held in Astana",
        "https://spam.example.net/p/1": "Buy cheap pills now",
        "https://pr.example.org/news/probation-service": "Probation service opens",
    }


def test_a_published_value_without_a_year_is_reported_and_the_release_kept_undated(settings: Settings) -> None:
    lines = [json.dumps({**good(n), "published": value}).encode() for n, value in enumerate(["14 наурыз", "soon"])]
    store, report = run_import(settings, lines)
    assert report.skipped == [] and report.counts["new"] == 2
    assert [(n, "no date with a year" in why) for n, why in report.cleaned] == [(1, True), (2, True)]
    assert [r.published for r in store.releases(include_duplicates=True)] == [None, None]


def test_a_url_of_a_long_cyrillic_slug_is_stored_whole(settings: Settings) -> None:
    """Percent-encoded, a Russian title of 150 characters is a slug of over 1,500: PostgreSQL
    refused it (identity and canonical URL columns were shorter than the URLs a crawl follows)."""
    slug = "".join(f"%{b:02X}" for b in ("Верховный суд провёл семинар " * 10).encode()).replace("%20", "-")
    url = f"https://lprc.kz/ru/news/{slug}"
    assert 1500 < len(url) < 2083
    store, report = run_import(settings, [json.dumps({**good(1), "url": url, "source": "lprc.kz"}).encode()])
    assert report.skipped == []
    (release,) = store.releases(include_duplicates=True)
    assert release.canonical_url == url and len(release.identity) <= 500
    assert run_import(settings, [json.dumps({**good(1), "url": url, "source": "lprc.kz"}).encode()])[1].counts == {
        "unchanged": 1
    }


def test_an_html_field_that_takes_too_long_to_read_is_skipped_and_its_neighbours_stored(monitor_home) -> None:
    config = monitor_home.parent / "limits.toml"
    config.write_text("[sources.osce_newsroom]\nlimits = { document_seconds = 1 }\n", encoding="utf-8")
    settings = load_settings(config_path=config)
    # a megabyte of text in nested date widgets: seconds of reading, past the limit
    html = documents.nested_meta_page(depth=150, megabytes=1).decode()
    lines = [json.dumps(good(1)).encode(), json.dumps({**good(2), "text": None, "html": html}).encode()]
    lines.append(json.dumps(good(3)).encode())
    store, report = run_import(settings, lines)
    assert [(n, "document_seconds" in why) for n, why in report.skipped] == [(2, True)], report.skipped
    assert store.counts()["releases"] == 2


def test_an_html_field_is_read_within_the_sources_limits_and_what_they_cut_is_reported(monitor_home) -> None:
    config = monitor_home.parent / "limits.toml"
    config.write_text("[sources.osce_newsroom]\nlimits = { depth = 60, text_chars = 2000 }\n", encoding="utf-8")
    settings = load_settings(config_path=config)
    paragraph = "<p>The Programme Office trained judges of the Supreme Court on access to justice.</p>"
    deep = "<div>" * 80 + paragraph * 3 + "</div>" * 80
    rest = "".join(f"<p>Session {n} of the training covered appeals, legal aid and the rights of victims.</p>" for n in range(40))
    page = f"<html><body><article><h1>Judges trained</h1>{paragraph * 3}{deep}{rest}</article></body></html>"
    # an empty text beside the page is no text: the page is read
    store, report = run_import(settings, [json.dumps({**good(1), "text": "", "html": page}).encode()])
    assert report.skipped == []
    cut = [change for _, change in report.cleaned]
    assert any("deeper than 60 levels" in c for c in cut) and any("text_chars" in c for c in cut), cut
    (release,) = store.releases(include_duplicates=True)
    assert 1000 < len(release.text) <= 2000


def test_a_lone_surrogate_in_an_html_field_does_not_end_the_page_there(settings: Settings) -> None:
    paragraph = "<p>The Programme Office trained judges of the Supreme Court on access to justice.</p>"
    page = f"<html><body><article><h1>Judges trained</h1>{paragraph}<p>Bad \ud800 byte.</p>{paragraph}"
    page += "<p>The last paragraph says the training goes on next year.</p></article></body></html>"
    store, report = run_import(settings, [json.dumps({**good(1), "text": None, "html": page}).encode()])
    assert report.skipped == [] and any("surrogate" in change for _, change in report.cleaned)
    (release,) = store.releases(include_duplicates=True)
    assert release.text.endswith("the training goes on next year.")


def test_a_line_of_hundreds_of_megabytes_is_read_past_not_held(settings: Settings, tmp_path) -> None:
    import resource

    path = tmp_path / "items.jsonl"
    with path.open("wb") as handle:
        handle.write(json.dumps(good(1)).encode() + b"\n")
        handle.write(b'{"url": "https://www.osce.org/x", "text": "')
        for _ in range(300):  # a megabyte at a time: the test itself holds none of it
            handle.write(b"a" * 1_000_000)
        handle.write(b'"}\n')
        handle.write(json.dumps(good(3)).encode() + b"\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with path.open("rb") as handle:
        store, report = run_import(settings, handle)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [(n, "300.0 MB" in why) for n, why in report.skipped] == [(2, True)], report.skipped
    assert store.counts()["releases"] == 2
    assert grown_mb < 100, f"the process grew by {grown_mb:.0f} MB"


def test_an_unfilled_canonical_template_leaves_the_page_its_own_address(settings: Settings) -> None:
    page = (
        '<html><head><link rel="canonical" href="http://[SITE_URL]/news/1"></head><body><article>'
        "<h1>Judges trained</h1>" + "<p>The Programme Office trained judges on access to justice.</p>" * 3
        + "</article></body></html>"
    )  # fmt: skip
    store, report = run_import(settings, [json.dumps({**good(1), "text": None, "html": page}).encode()])
    assert report.skipped == []
    assert [r.canonical_url for r in store.releases(include_duplicates=True)] == [good(1)["url"]]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_a_line_of_exactly_the_size_limit_is_read_whatever_its_ending(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, ending: bytes
) -> None:
    import io

    import monitor.crawling.ingest as ingest

    line = json.dumps(good(1)).encode()
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", len(line))
    over = json.dumps({**good(2), "title": good(2)["title"] + "!"}).encode()  # one byte past the limit
    report = run_import(settings, io.BytesIO(over + b"\n" + line + ending))[1]  # the last line may lack its end
    assert [(n, "MB" in why) for n, why in report.skipped] == [(1, True)] and report.counts["new"] == 1
