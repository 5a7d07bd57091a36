import pytest

from monitor.understanding.normalize.lang import detect_language, language_code
from monitor.understanding.normalize.urls import canonical_url, language_prefix, page_canonical, without_campaign

ALIASES = {"d6.web.osce.org": "www.osce.org", "osce.eu.org": "www.osce.org", "127.0.0.1:8123": "astana.osce.org"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://www.osce.org/programme-office-in-astana/581065/",
            "http://www.osce.org/programme-office-in-astana/581065",  # the address readers follow
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


@pytest.mark.parametrize(
    ("page", "claimed", "expected"),
    [
        ("https://kg.example.org/news/1", "https://kg.example.org/news/court-1", "https://kg.example.org/news/court-1"),
        ("https://kg.example.org/news/1", "https://www.kg.example.org/n/1", "https://www.kg.example.org/n/1"),
        # a page cannot take over another site's release
        ("https://spam.example.net/p/1", "https://pr.example.org/news/court-reform", "https://spam.example.net/p/1"),
        # a CMS naming its home page on every page
        ("https://pr.example.org/news/2", "https://pr.example.org/", "https://pr.example.org/news/2"),
        ("https://lprc.kz/ru/news/2", "https://lprc.kz/ru/", "https://lprc.kz/ru/news/2"),
        ("https://lprc.kz/ru/news/2", "https://lprc.kz/?lang=ru", "https://lprc.kz/ru/news/2"),
        ("https://lprc.kz/ru/news/2", "https://lprc.kz/index.php", "https://lprc.kz/ru/news/2"),
        ("https://lprc.kz/ru/news/2", "https://lprc.kz/?p=123", "https://lprc.kz/?p=123"),  # WordPress's own address
        # claims that are no http(s) URL, or no URL at all
        ("https://pr.example.org/news/3", "https://pr.example.org:99999/news/3", "https://pr.example.org/news/3"),
        ("https://pr.example.org/news/4", "https://[pr.example.org/news/4", "https://pr.example.org/news/4"),
        ("https://pr.example.org/news/5", "javascript:alert(1)", "https://pr.example.org/news/5"),
        ("https://pr.example.org/news/6", "https://pr.example.org/" + "x" * 3000, "https://pr.example.org/news/6"),
        # a mirror's page and the original's canonical are one site
        ("http://127.0.0.1:8123/news/7", "https://astana.osce.org/news/seven", "https://astana.osce.org/news/seven"),
        ("http://sud.example.kg:8080/news/8", None, "http://sud.example.kg:8080/news/8"),
    ],
)
def test_a_page_speaks_only_for_its_own_site(page: str, claimed: str | None, expected: str) -> None:
    assert page_canonical(page, claimed, ALIASES) == expected


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
    assert identity_key(source, None, "http://www.example.org/news/1", None) == "https://example.org/news/1"


def test_a_long_identity_is_one_bounded_key_per_page(settings) -> None:
    """A percent-encoded slug of a long Cyrillic title is longer than the identity column holds
    on PostgreSQL: the key keeps its head and a digest of the whole."""
    from monitor.understanding.normalize.release import IDENTITY_CHARS, bounded, identity_key

    source = settings.sources["osce_feed"]
    slug = "%D0%92%D0%B5%D1%80%D1%85%D0%BE%D0%B2%D0%BD%D1%8B%D0%B9-%D1%81%D1%83%D0%B4-" * 12
    one, other = (identity_key(source, None, f"https://lprc.kz/ru/news/{slug}{end}", None) for end in "ab")
    assert len(one) == len(other) == IDENTITY_CHARS and one != other
    assert one.startswith("https://lprc.kz/ru/news/%D0%92")
    assert one == identity_key(source, None, f"https://www.lprc.kz/ru/news/{slug}a", None)
    # a listing entry's identity (from the raw id) is the stored release's (from the bounded id)
    assert identity_key(source, slug, "", None) == identity_key(source, bounded(slug, IDENTITY_CHARS), "", None)


@pytest.mark.parametrize(
    ("claimed", "expected"),
    [("en_US", "en"), ("ru-RU", "ru"), ("kk-Latn", "kk"), ("English", "en"), ("eng", "en"), ("KZ", "kk"),
     ("fr-FR", "fr"), ("x" * 30, None), ("", None), (None, None), ("e1", None)],
)  # fmt: skip
def test_a_language_claim_is_read_as_its_primary_code(claimed: str | None, expected: str | None) -> None:
    assert language_code(claimed) == expected


RUSSIAN = "Программный офис ОБСЕ в Бишкеке провёл семинар по судебной реформе для судей из регионов. " * 3
ENGLISH = "The OSCE Programme Office in Bishkek held a seminar on judicial reform for judges from the regions. " * 3


def test_kyrgyz_and_tajik_claims_stand_for_cyrillic_text() -> None:
    kyrgyz = "Кыргыз Республикасынын Жогорку соту менен ЕККУнун программалык кеңсеси семинар өткөрдү. " * 3
    assert (detect_language(kyrgyz, "ky"), detect_language(RUSSIAN, "tg-TJ"), detect_language(kyrgyz)) == (
        "ky",
        "tg",
        "kk",  # unclaimed, Kyrgyz reads as Kazakh: the letters are shared
    )


@pytest.mark.parametrize("claimed", ["en_US", "ru-RU", "English", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])
def test_the_text_corrects_a_claim_however_it_is_written(claimed: str) -> None:
    assert (detect_language(ENGLISH, claimed), detect_language(RUSSIAN, claimed)) == ("en", "ru")
    assert detect_language("Short.", claimed) in ("en", "ru", "und")


@pytest.mark.parametrize(
    ("link", "fetched"),
    [
        ("https://lprc.kz/en/news/jury-trial/?utm_source=telegram&utm_medium=channel", "https://lprc.kz/en/news/jury-trial/"),
        ("https://www.osce.org/odihr/567402#main-content", "https://www.osce.org/odihr/567402"),
        ("http://3.72.39.107/?p=412&utm_campaign=x&fbclid=abc", "http://3.72.39.107/?p=412"),
        ("https://www.osce.org/press-releases?filters=%20im_taxonomy_vid_1%3A%2836%29&page=1",
         "https://www.osce.org/press-releases?filters=%20im_taxonomy_vid_1%3A%2836%29&page=1"),  # as written
    ],
)
def test_a_link_is_fetched_without_its_campaign_parameters_and_fragment(link: str, fetched: str) -> None:
    assert without_campaign(link) == fetched
