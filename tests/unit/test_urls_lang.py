import pytest

from monitor.understanding.normalize.lang import detect_language
from monitor.understanding.normalize.urls import canonical_url, language_prefix

ALIASES = {"d6.web.osce.org": "www.osce.org", "osce.eu.org": "www.osce.org", "127.0.0.1:8123": "astana.osce.org"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://www.osce.org/programme-office-in-astana/581065/",
            "https://www.osce.org/programme-office-in-astana/581065",
        ),
        ("https://d6.web.osce.org/odihr/599990#top", "https://www.osce.org/odihr/599990"),
        ("https://osce.eu.org/press-releases?utm_source=x&page=2", "https://www.osce.org/press-releases?page=2"),
        ("https://WWW.OSCE.ORG//ru/node/1?b=2&a=1", "https://www.osce.org/ru/node/1?a=1&b=2"),
        (
            "http://127.0.0.1:8123/news/programme-office-astana/661564",
            "https://astana.osce.org/news/programme-office-astana/661564",
        ),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url, ALIASES) == expected


def test_language_prefix() -> None:
    assert language_prefix("https://astana.osce.org/kk/node/660452") == "kk"
    assert language_prefix("https://www.osce.org/odihr/599990") is None


LATIN_KAZAKH = (
    "Qazaqstan Respublikasynyñ Joğarğy Soty men EQYU-nyñ Astanadağy bağdarlamalar ofisi sudialarğa arnalğan "
    "seminar ötkizdi. Qatysuşylar ädil sot töreligi standarttaryn talqylady."
)


@pytest.mark.parametrize(
    ("text", "claimed", "expected"),
    [
        ("The conference convened legal professionals and experts from Central Asia.", "ru", "en"),
        ("Участники обсудили альтернативы лишению свободы и ресоциализацию осуждённых.", None, "ru"),
        ("Бағдарлама сот жүйесіндегі гендерлік теңдікті нығайтуға бағытталған.", "ru", "kk"),
        ("Short", "ru", "ru"),
        # Kazakh in the Latin alphabet of 2021, where the page (or its /kk/ path) says Kazakh
        (LATIN_KAZAKH, "kk", "kk"),
        (LATIN_KAZAKH, None, "en"),  # unclaimed, Latin letters say no more than English
        (
            "Jürgen Müller and Ayşe Öztürk met judges of the Supreme Court of Kazakhstan in Astana on Monday "
            "to discuss the training of judges in fair trial standards.",
            "kk",
            "en",
        ),  # an English page on a /kk/ path
    ],
)
def test_language_is_read_from_the_text(text: str, claimed: str | None, expected: str) -> None:
    assert detect_language(text, claimed) == expected


def test_url_identity_ignores_www_but_keeps_the_language_version(settings) -> None:
    from monitor.understanding.normalize.release import identity_key

    source = settings.sources["osce_feed"]
    assert identity_key(source, None, "https://www.example.org/news/1", None) == "https://example.org/news/1"
    assert identity_key(source, "582310", "", "ru") == "osce:582310/ru"
    assert identity_key(source, "582310", "", "en") == "osce:582310"
