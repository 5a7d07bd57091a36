from datetime import date

import pytest

from monitor.understanding.normalize.dates import (
    closing_date,
    parse_date,
    parse_dateline,
    pick_published,
    shown_day,
    slashed_order,
    url_date,
)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("19 December 2024", "DMY", date(2024, 12, 19)),  # OSCE listing, no leading zero
        ("掲載日：2024年1月19日", "DMY", date(2024, 1, 19)),  # a Japanese university
        ("2023년 3월 12일 14:05", "DMY", date(2023, 3, 12)),  # Korean
        ("2021. március 12.", "DMY", date(2021, 3, 12)),  # Hungarian, year first with the month's name
        ("Mon May 16 15:18:31 UTC 2016", "DMY", date(2016, 5, 16)),  # a mail archive's (C's) clock
        ("Tue Aug 25 2020 00:23:33 GMT+0000", "DMY", date(2020, 8, 25)),  # JavaScript's, the year first
        ("١٢/٠٣/٢٠٢٣", "DMY", date(2023, 3, 12)),  # Arabic-Indic digits
        ("۲۷ اسفند ۱۴۰۱ - 2023/03/18", "DMY", date(2023, 3, 18)),  # the solar year is no Gregorian one
        ("Publishing date: 1 September 2025", "DMY", date(2025, 9, 1)),
        ("April 30, 2025", "DMY", date(2025, 4, 30)),  # UNDP
        ("Mar 7, 2016", "DMY", date(2016, 3, 7)),
        ("20 Apr 2018", "DMY", date(2018, 4, 20)),
        ("10/01/2025", "MDY", date(2025, 10, 1)),  # pubt.io is month first
        ("10/01/2025", "DMY", date(2025, 1, 10)),
        ("21/10/2025", "MDY", date(2025, 10, 21)),  # only one reading is a date
        ("10.03.2023", "DMY", date(2023, 3, 10)),  # EEAS
        ("Daily News 12 / 11 / 2025", "DMY", date(2025, 11, 12)),  # the European Commission's press corner
        ("05.08.2025", "MDY", date(2025, 8, 5)),  # dots are day first, on LPRC's Russian pages too
        ("2024-12-19T10:00:00+01:00", "DMY", date(2024, 12, 19)),
        ("Fri, 08 Apr 2016 13:53:41 +0000", "DMY", date(2016, 4, 8)),  # feed pubDate
        ("19 декабря 2024 г.", "DMY", date(2024, 12, 19)),
        ("19 маусым 2015 ж.", "DMY", date(2015, 6, 19)),
        ("2024 жылғы 19 желтоқсан", "DMY", date(2024, 12, 19)),
        ("2024 жылдың 5 желтоқсанында", "DMY", date(2024, 12, 5)),  # "on the 5th of December of 2024"
        ("2024 жылы 5 желтоқсанда", "DMY", date(2024, 12, 5)),
        ("On 6-7 December 2024, the conference", "DMY", date(2024, 12, 6)),
        ("2024-yil 12-mart", "DMY", date(2024, 3, 12)),  # Uzbek
        ("12-mart, 2024-yil", "DMY", date(2024, 3, 12)),
        ("Toshkent, 5 sentyabr 2023", "DMY", date(2023, 9, 5)),
        ("2024 йил 12 март", "DMY", date(2024, 3, 12)),  # Uzbek, in Cyrillic
        ("12 марти соли 2024", "DMY", date(2024, 3, 12)),  # Tajik
        ("5 сентябр 2023", "DMY", date(2023, 9, 5)),
        ("2023-жылдын 5-декабры", "DMY", date(2023, 12, 5)),  # Kyrgyz
        ("Publikováno: 3. 10. 2025", "DMY", date(2025, 10, 3)),  # Czech: a space after each dot
        ("Mon, 05/02/2022 - 23:18", "DMY", date(2022, 5, 2)),  # the weekday settles the order: May 2nd
        ("Sat, 05/02/2022", "MDY", date(2022, 2, 5)),  # February 5th
        ("Tue, 03/12/2024 - 09:15", "DMY", date(2024, 3, 12)),  # both Tuesdays: Drupal's stamp is month first
        ("08/12/2020 10:20 AM EDT", "DMY", date(2020, 8, 12)),  # a North American zone: month first
        ("Posted 08/12/2020 at 9:15 p.m. CST", "DMY", date(2020, 8, 12)),
        ("08/12/2020 10:20 BST", "DMY", date(2020, 12, 8)),
        # the Solar Hijri calendar, in Persian or Latin digits, with Persian or Dari month names
        ("۱۴۰۲/۱۲/۲۴ ساعت: ۱۱:۲۰", "DMY", date(2024, 3, 14)),
        ("سه‌شنبه ۲۴ اسفند ۱۴۰۲", "DMY", date(2024, 3, 14)),
        ("۱۵ آبان ماه ۱۴۰۲", "DMY", date(2023, 11, 6)),
        ("15 عقرب 1402", "DMY", date(2023, 11, 6)),
        ("1445/05/12 هـ", "DMY", None),  # the lunar Hijri calendar: not this one
        ("1402/13/01", "DMY", None),
        # the European languages of partners and neighbours, as their pages print a date
        ("Veröffentlicht am 6. Februar 2024", "DMY", date(2024, 2, 6)),
        ("Publié le 1er mars 2024", "DMY", date(2024, 3, 1)),
        ("12 de marzo de 2024", "DMY", date(2024, 3, 12)),
        ("14 października 2025, 09:30", "DMY", date(2025, 10, 14)),  # Polish: the month in the genitive
        ("8. srpna 2024", "DMY", date(2024, 8, 8)),  # Czech
        ("12 Kasım 2025 Çarşamba", "DMY", date(2025, 11, 12)),  # Turkish
        ("28 ottobre 2025", "DMY", date(2025, 10, 28)),
        # Arabic as the Gulf and Egypt, the Levant, the Maghreb name the months; Hebrew
        ("١٥ مايو ٢٠٢٤", "DMY", date(2024, 5, 15)),
        ("الموصل، 15 أيار/مايو 2024 –", "DMY", date(2024, 5, 15)),  # both names, the Levant's and Egypt's
        ("13 يونيو، 2024", "DMY", date(2024, 6, 13)),  # the Arabic comma
        ("3 كانون الثاني 2024", "DMY", date(2024, 1, 3)),
        ("12 أفريل 2025", "DMY", date(2025, 4, 12)),
        ("7 يوليوز 2024", "DMY", date(2024, 7, 7)),
        ("ירושלים, 22 בינואר 2025", "DMY", date(2025, 1, 22)),
        # Indonesian, Malay, Filipino
        ("Selasa, 22 Agustus 2023 | 15:42 WIB", "DMY", date(2023, 8, 22)),
        ("5 Mac 2024", "DMY", date(2024, 3, 5)),
        ("Martes, Setyembre 26, 2023", "DMY", date(2023, 9, 26)),
        ("Macintosh 5 2024", "DMY", None),
        # Hindi, Nepali, Bengali and Urdu month names, Devanagari and Bengali digits
        ("05 सितंबर 2024", "DMY", date(2024, 9, 5)),
        ("फेब्रुअरी ६, २०२५", "DMY", date(2025, 2, 6)),
        ("২৩ এপ্রিল ২০২৪", "DMY", date(2024, 4, 23)),
        ("۱۲ نومبر ۲۰۲۴", "DMY", date(2024, 11, 12)),
        ("२०८१ माघ ८ गते", "DMY", None),  # Bikram Sambat: not read
        # Thai: the Buddhist era's years, Thai digits
        ("7 พ.ค. 2567", "DMY", date(2024, 5, 7)),
        ("21 ธันวาคม พ.ศ. 2566", "DMY", date(2023, 12, 21)),
        ("19/12/2566", "DMY", date(2023, 12, 19)),
        ("๗ พ.ค. ๒๕๖๗", "DMY", date(2024, 5, 7)),
        ("መስከረም 27 ቀን 2013 ዓ.ም", "DMY", None),  # the Ethiopian calendar: not read
        # East Asian eras and full-width digits: Japan's Reiwa and Heisei, the Republic of China's years
        ("令和６年５月29日（水）", "DMY", date(2024, 5, 29)),
        ("令和元年5月1日", "DMY", date(2019, 5, 1)),
        ("平成31年4月30日", "DMY", date(2019, 4, 30)),
        ("2024年５月２９日", "DMY", date(2024, 5, 29)),
        ("民國113年1月16日", "DMY", date(2024, 1, 16)),
        ("發稿日期：113年1月16日", "DMY", date(2024, 1, 16)),
        ("113-01-16", "DMY", date(2024, 1, 16)),
        ("24年3月5日", "DMY", None),  # a two-digit year names no era
        ("編號：113-007", "DMY", None),
        ("113.12.5.1", "DMY", None),
        ("no date here", "DMY", None),
        ("31/02/2024", "DMY", None),
        # Patterns are tried near each year only: the first year that carries a date gives it.
        (f"The 2030 strategy {'was discussed at length. ' * 8}On 3 March 2025 it passed", "DMY", date(2025, 3, 3)),
        ("Since 2019 the office has trained 2000 judges; the next course opens 12.05.2025.", "DMY", date(2025, 5, 12)),
        ("Some 1995 participants came", "DMY", None),
    ],
)
def test_parse_date(text: str, order: str, expected: date | None) -> None:
    assert parse_date(text, order) == expected


@pytest.mark.parametrize(
    ("text", "place", "day"),
    [
        ("WARSAW, 24 June 2022 – The OSCE", "Warsaw", date(2022, 6, 24)),
        ("VIENNA/WARSAW, 18 July 2022 - Text", "Vienna/Warsaw", date(2022, 7, 18)),
        ("NUR-SULTAN, 14 July 2021 – Text", "Nur-Sultan", date(2021, 7, 14)),
        ("BELGRADE, 25 April 2015- Text", "Belgrade", date(2015, 4, 25)),
        ("TIRANA / BRUSSELS / GENEVA – 6 October 2020. Text", "Tirana / Brussels / Geneva", date(2020, 10, 6)),
        ("Bern, 12.11.2025 - Text", "Bern", date(2025, 11, 12)),  # the Swiss administration's lead line
        ("Ташкент (Узбекистан), 3 октября 2025 г. – Text", "Ташкент (Узбекистан)", date(2025, 10, 3)),  # UNODC's Russian pages
        ("12 November 2025 - Text", "", date(2025, 11, 12)),  # UNODC's regional office: the day alone
        ("Kassel, 6. Februar 2024 – Text", "Kassel", date(2024, 2, 6)),
        ("Madrid, 12 de marzo de 2024.– Text", "Madrid", date(2024, 3, 12)),
    ],
)
def test_dateline(text: str, place: str, day: date) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.date) == (place, day)
    assert text[dateline.end :].startswith("T")


def test_body_sentence_is_not_a_dateline() -> None:
    assert parse_dateline("On 4 October 2024, in a significant step toward reforming") is None
    assert parse_dateline("The court, 12 May 2025 - a ruling") is None  # a place's name only, capitalised
    assert parse_dateline("12 November 2025 the office opened") is None  # a day in a sentence


def test_a_dateline_outweighs_htmldates_guess(settings) -> None:
    # htmldate read the footer's "Letzte Änderung 13.11.2025"; the release opens "Bern, 12.11.2025 - "
    from monitor.records import RawRelease
    from monitor.understanding.normalize import normalize_release

    source = settings.sources["unodc_roca"]
    text = "Bern, 12.11.2025 - Der Bundesrat hat an seiner Sitzung die Botschaft verabschiedet."
    raw = RawRelease(source=source.key, url="https://www.admin.ch/gov/de/start/dokumentation/medienmitteilungen.msg-id-108311.html",
                     title="Lohngleichheit", text=text, dates=[("htmldate", "2025-11-13")])  # fmt: skip
    release = normalize_release(raw, source, {}, date(2026, 12, 3))
    assert release.published is not None
    assert (release.published.value, release.published.provenance) == (date(2025, 11, 12), "dateline")


def test_a_dateline_after_a_lead_set_apart_above_the_body_dates_the_release(settings) -> None:
    from monitor.records import RawRelease
    from monitor.understanding.normalize import normalize_release

    source = settings.sources["unodc_roca"]
    lead = "Forschende haben eine Batterie entwickelt, die auch nach 5.000 Ladezyklen ihre Kapazität hält."
    text = f"{lead}\n\nKassel, 6. Februar 2024 – Stationäre Batteriespeicher gelten als Schlüssel für die Energiewende."
    raw = RawRelease(source=source.key, url="https://www.zaen.example.de/presse/salzwasser-batterie", title="Salzwasser-Batterie",
                     text=text, dates=[("htmldate", "2024-02-05")])  # fmt: skip
    release = normalize_release(raw, source, {}, date(2026, 12, 3))
    assert release.published is not None
    assert (release.published.value, release.published.provenance) == (date(2024, 2, 6), "dateline")
    assert (release.dateline_place, release.summary.split(" Kassel")[0]) == ("Kassel", lead)


def test_pick_published_follows_priority_and_refuses_future_dates() -> None:
    candidates = [("listing", "19 December 2024"), ("meta", "2024-12-18"), ("label", "1 January 2099")]
    picked = pick_published(candidates, ["label", "meta", "listing"], "DMY", today=date(2025, 1, 1))
    assert picked is not None
    assert (picked.value, picked.provenance) == (date(2024, 12, 18), "meta")
    assert pick_published([("meta", "garbage")], ["meta"], "DMY", date(2025, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"), [("2020/07/13", date(2020, 7, 13)), ("Posted 2024.12.19", date(2024, 12, 19))]
)
def test_year_first_numeric_dates_are_read_year_month_day(text: str, expected: date) -> None:
    assert parse_date(text, "MDY") == expected == parse_date(text, "DMY")


def test_a_date_widget_in_the_header_yields_to_htmldate_reading_the_url(settings) -> None:
    from monitor.crawling.extract.article import extract_article
    from monitor.crawling.extract.html import parse_html
    from monitor.records import RawRelease
    from monitor.understanding.normalize import normalize_release

    url = "https://news.example.org/2020/07/13/judges-trained.html"
    html = (
        '<html><body><header><div class="date-today">3 December 2026</div></header><article><h1>Judges trained</h1>'
        + "<p>Judges of the regional court took part in a training on the rule of law and fair trial.</p>" * 4
        + "</article></body></html>"
    )
    fields = extract_article(parse_html(html), url, html=html)
    raw = RawRelease(source="osce_newsroom", url=url, title=fields.title, text=fields.text, dates=fields.dates)
    release = normalize_release(raw, settings.sources["unodc_roca"], {}, date(2026, 12, 3))
    assert release.published is not None
    assert (release.published.value, release.published.provenance) == (date(2020, 7, 13), "htmldate")


def test_htmldate_reading_the_bylines_stamp_day_first_does_not_outvote_it(settings) -> None:
    from monitor.crawling.extract.article import extract_article
    from monitor.crawling.extract.html import parse_html
    from monitor.records import RawRelease
    from monitor.understanding.normalize import normalize_release

    url = "https://geo.example.edu/news/seismometer-network"
    html = (
        "<html><body><article><h1>Seismometer network</h1>"
        '<div class="node__meta">By Jane Doe, <span class="field--name-created">Tue, 03/12/2024 - 09:15</span></div>'
        + "<p>Students installed twelve seismometers in schools across the valley this winter.</p>" * 4
        + "</article></body></html>"
    )
    fields = extract_article(parse_html(html), url, html=html)
    source = settings.sources["unodc_roca"]
    raw = RawRelease(source=source.key, url=url, title=fields.title, text=fields.text, dates=fields.dates)
    release = normalize_release(raw, source, {}, date(2026, 12, 3))
    assert release.published is not None and release.published.value == date(2024, 3, 12)


@pytest.mark.parametrize(
    ("texts", "order"),
    [
        (["10/04/2021 3:15 PM", "09/17/2021", "08/30/21"], "MDY"),  # a post's stamp and its neighbours'
        (["10/04/2021", "17/09/2021"], "DMY"),
        (["10/04/2021", "11/05/2021"], None),  # nothing tells
        (["09/17/2021", "17/09/2021"], None),  # the page contradicts itself: the source's order stands
        (["Page 1/2", "2024/03/15", "1/15 of the budget"], None),  # not dates
    ],
)
def test_the_order_a_pages_slashed_dates_show(texts: list[str], order: str | None) -> None:
    assert slashed_order(texts) == order


def test_a_page_whose_slashed_dates_show_month_first_is_read_so_on_a_day_first_source(settings) -> None:
    from monitor.crawling.extract.article import extract_article
    from monitor.crawling.extract.html import parse_html
    from monitor.records import RawRelease
    from monitor.understanding.normalize import normalize_release

    url = "https://www.cedar.example.gov/Home/Components/News/News/4021/17"
    html = (
        '<html><body><div class="news"><h1>Burn ban lifted</h1><div class="date">Post Date:10/04/2021 3:15 PM</div>'
        + "<p>The fire department lifted the county-wide burn ban after a week of steady rain.</p>" * 4
        + '</div><aside><h2>More news</h2><ul><li><a href="/n/1">Hydrant tests</a> 09/17/2021</li></ul></aside>'
        "</body></html>"
    )
    fields = extract_article(parse_html(html), url, html=html)
    assert fields.date_order == "MDY"
    source = settings.sources["unodc_roca"]  # a day-first source
    raw = RawRelease(source.key, url, fields.title, fields.text, fields.dates, date_order=fields.date_order)
    release = normalize_release(raw, source, {}, date(2026, 12, 3))
    assert release.published is not None and release.published.value == date(2021, 10, 4)


def test_a_copyright_year_is_a_year_weaker_than_a_byline(settings) -> None:
    from monitor.crawling.extract.article import extract_article
    from monitor.crawling.extract.html import parse_html
    from monitor.records import RawRelease
    from monitor.understanding.normalize import normalize_release

    url = "https://www.example.com/recipes/cake"
    html = (
        "<html><body><article><h1>Upside-down cake</h1>"
        + "<p>Bake the cake for forty minutes and let it cool before you turn it out on a plate.</p>" * 5
        + "</article><footer>© 2004 General Mills</footer></body></html>"
    )
    assert extract_article(parse_html(html), url, html=html).dates == [("year", "2004-01-01")]  # htmldate's guess
    source = settings.sources["unodc_roca"]
    dates = [("year", "2004-01-01"), ("byline", "Updated June 13, 2019")]
    raw = RawRelease(source=source.key, url=url, title="Upside-down cake", text="Bake the cake.", dates=dates)
    release = normalize_release(raw, source, {}, date(2026, 12, 3))
    assert release.published is not None
    assert (release.published.value, release.published.provenance) == (date(2019, 6, 13), "byline")
    alone = normalize_release(
        RawRelease(source=source.key, url=url, title="Cake", text="Bake.", dates=dates[:1]),
        source,
        {},
        date(2026, 12, 3),
    )
    assert alone.published is not None and alone.published.provenance == "year"  # better than none, and says so


def test_a_timestamp_is_the_day_it_was_where_the_source_publishes() -> None:
    from zoneinfo import ZoneInfo

    astana = ZoneInfo("Asia/Almaty")
    assert parse_date("2024-12-05T21:30:00Z", "DMY", astana) == date(2024, 12, 6)  # 02:30 the next day in Astana
    assert parse_date("2024-12-05T21:30:00+0000", "DMY", astana) == date(2024, 12, 6)
    assert parse_date("2024-12-05T10:00:00+05:00", "DMY", astana) == date(2024, 12, 5)
    assert parse_date("2024-12-05T21:30:00Z") == date(2024, 12, 5)  # no zone: the stamp's own day
    # a feed's RFC-822 date too
    assert parse_date("Thu, 05 Dec 2024 21:30:00 GMT", "DMY", astana) == date(2024, 12, 6)
    assert parse_date("Thu, 05 Dec 2024 21:30:00 GMT") == date(2024, 12, 5)


def test_a_release_dated_today_east_of_greenwich_is_not_in_the_future() -> None:
    from zoneinfo import ZoneInfo

    # published at 01:30 in Astana on 5 March, crawled at 21:00 UTC on 4 March
    candidates = [("meta", "2025-03-04T20:30:00Z"), ("label", "5 March 2025")]
    picked = pick_published(candidates, ["meta", "label"], "DMY", date(2025, 3, 4), ZoneInfo("Asia/Almaty"))
    assert picked is not None and picked.value == date(2025, 3, 5)
    assert pick_published([("label", "7 March 2025")], ["label"], "DMY", date(2025, 3, 4)) is None


def test_a_day_stated_by_more_layers_wins_over_the_first_in_priority() -> None:
    candidates = [("meta", "2020-04-30"), ("time", "29.04.2020, 12:01 Uhr")]
    picked = pick_published(candidates, ["meta", "time"], "DMY", date(2025, 1, 1), support=[("byline", "29.04.2020")])
    assert picked is not None and picked.value == date(2020, 4, 29)
    alone = pick_published(candidates, ["meta", "time"], "DMY", date(2025, 1, 1))
    assert alone is not None and (alone.value, alone.provenance) == (date(2020, 4, 30), "meta")  # a tie: priority
    chosen = pick_published([*candidates, ("selector", "1 May 2020")], ["meta"], "DMY", date(2025, 1, 1))
    assert chosen is not None and chosen.provenance == "selector"  # a source's own rule is not outvoted


def test_a_utc_timestamp_without_a_zone_stands_for_the_local_day_the_page_shows() -> None:
    stamp = [("meta", "2023-11-09T01:09:55Z")]
    shown = [("time", "2023-11-08 18:09:55")]
    picked = pick_published(stamp + shown, ["meta", "time"], "DMY", date(2025, 1, 1), support=[("url", "2023-11-08")])
    assert picked is not None and picked.value == date(2023, 11, 8)
    only = pick_published(stamp, ["meta"], "DMY", date(2025, 1, 1))
    assert only is not None and only.value == date(2023, 11, 9)  # nothing says otherwise: its own day
    evening = pick_published(
        [("meta", "2020-12-05T23:15:00Z")], ["meta"], "DMY", date(2025, 1, 1), support=[("byline", "6 December 2020")]
    )
    assert evening is not None and evening.value == date(2020, 12, 6)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.denverpost.com/2023/11/08/colorado-playoffs/", "2023-11-08"),
        ("https://www.befifty.de/home/2017/7/12/unter-uns-montauk", "2017-07-12"),
        ("https://example.org/news/2020-01-06-floods", "2020-01-06"),
        ("https://www.osce.org/programme-office-in-astana/582310", None),
        ("https://example.org/2024/13/45/x", None),
    ],
)
def test_the_day_a_url_is_filed_under(url: str, expected: str | None) -> None:
    assert url_date(url) == expected


def test_a_feed_date_out_of_range_in_the_sources_zone_is_no_date_not_an_error() -> None:
    from zoneinfo import ZoneInfo

    # year 9999 moved from UTC-12 to Almaty overflows: it killed the store worker and its source
    assert parse_date("Fri, 31 Dec 9999 23:59:59 -1200", "DMY", ZoneInfo("Asia/Almaty")) is None


@pytest.mark.parametrize(
    ("stamp", "shown", "expected"),
    [
        ("2025-11-01T23:30:00.000Z", "2 novembre 2025, 00:30", date(2025, 11, 2)),  # Rome, an hour ahead
        ("2024-06-03T18:40:00Z", "4-июнь 2024, 00:40", date(2024, 6, 4)),  # Bishkek, six hours ahead
        ("2025-11-02T02:30:00Z", "1 nov. 2025, 9:30 pm", date(2025, 11, 1)),  # New York, five hours behind
        ("2025-11-01T23:30:00Z", "2 novembre 2025, 08:15", None),  # another moment: the minutes differ
        ("2025-11-01T23:30:00+05:00", "2 novembre 2025, 00:30", None),  # not UTC: its own day already
        ("2025-11-01T23:30:00Z", "2 novembre 2025", None),  # no clock shown
    ],
)
def test_the_clock_time_shown_beside_a_utc_stamp_tells_its_local_day(stamp: str, shown: str, expected) -> None:
    assert shown_day(stamp, shown) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bis bald!\n\nFrohe Ostern! Eure Vorstandschaft, 29. März 2023", date(2023, 3, 29)),
        ("Der Gemeinderat tagt erneut im Mai.\n\nHohenbrunn, den 3.4.2019", date(2019, 4, 3)),
        ("Алматы, 12 марта 2021 г.", date(2021, 3, 12)),
        ("The hearing closed on 3 May 2021.", None),  # a sentence that ends with a date signs nothing
        ("Posted in News, 2020", None),  # no day
        ("A long closing paragraph on the council's decision and what it means for the town, 12 March 2021", None),
    ],
)
def test_the_date_a_text_is_signed_off_with_at_its_end(text: str, expected: date | None) -> None:
    assert closing_date(text) == expected


def test_a_day_the_page_says_it_was_changed_loses_to_an_earlier_one() -> None:
    # the metadata's date is the change the byline shows ("| Aktualisiert: 21.05.2024 - 08:32 Uhr")
    candidates = [("meta", "2024-05-21T08:32:00+02:00"), ("byline", "20.05.2024 - 17:05 Uhr"), ("updated", "21.05.2024")]
    priority = ["meta", "label", "byline", "updated", "year"]
    changed = [("updated", "21.05.2024")]
    assert pick_published(candidates[:1], priority, "DMY", date(2025, 1, 1), support=candidates[1:2], changed_on=changed) is None
    picked = pick_published(candidates, priority, "DMY", date(2025, 1, 1), changed_on=changed)
    assert (picked.value, picked.provenance) == (date(2024, 5, 20), "byline")
    # a year alone (htmldate's copyright line) is no earlier day
    alone = [("updated", "Updated June 13, 2019"), ("year", "2004-01-01")]
    picked = pick_published(alone, priority, "MDY", date(2025, 1, 1), changed_on=alone[:1])
    assert picked.value == date(2019, 6, 13)
    # nor is htmldate's guess: a page last updated the day its dateline gives keeps that day
    guessed = [("dateline", "June 5, 2024"), ("htmldate", "2024-05-14"), ("updated", "Page last updated 6/5/2024")]
    picked = pick_published(guessed, priority, "MDY", date(2025, 1, 1), changed_on=guessed[2:])
    assert picked.value == date(2024, 6, 5)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15 იანვარი, 2025 14:27", date(2025, 1, 15)),  # Georgian
        ("5 березня 2024", date(2024, 3, 5)),  # Ukrainian
        ("12 avqust 2023", date(2023, 8, 12)),  # Azerbaijani
        ("2024 оны 5 сарын 21, 10:15", date(2024, 5, 21)),  # Mongolian
        ("2024 оны 5-р сарын 22, Лхагва", date(2024, 5, 22)),
    ],
)
def test_dates_in_the_neighbours_languages_are_read(text: str, day: date) -> None:
    assert parse_date(text) == day


def test_a_month_first_date_with_de_before_the_year_and_a_dateline_with_a_particle_are_read() -> None:
    assert parse_date("Marzo 03 de 2025 - 07:12 a. m.") == date(2025, 3, 3)  # a Colombian paper's stamp
    dateline = parse_dateline("Ciudad de México, 14 de octubre de 2024. La Secretaría de Salud dio inicio")
    assert dateline is not None and dateline.date == date(2024, 10, 14)


def test_metadata_later_than_the_listing_on_a_page_showing_no_day_is_a_changes() -> None:
    from monitor.records import RawRelease
    from monitor.settings.sources import Source
    from monitor.understanding.normalize import normalize_release

    source = Source(key="s", name="s", organisation="s", family="generic", kind="listing",
                    start_urls=("https://astana.osce.org/kk/news",), allowed_hosts=())  # fmt: skip
    text = "Астанада судьялар мен адвокаттар заңгерлік көмек туралы пікір алмасты."

    def published(*dates: tuple[str, str]) -> date:
        raw = RawRelease(source="s", url="https://astana.osce.org/kk/node/562455", title="T", text=text, dates=list(dates))
        return normalize_release(raw, source, {}, date(2026, 1, 1)).published.value

    # a page is not listed before it is published: the later metadata is a change's or a migration's
    assert published(("meta", "2024-04-15"), ("listing", "11.04.2024")) == date(2024, 4, 11)
    # where the page shows its own day, the listing's may be the event's: the page's evidence stands
    assert published(("meta", "2024-04-15"), ("label", "Issued on: 15 April 2024"), ("listing", "11.04.2024")) == date(2024, 4, 15)
