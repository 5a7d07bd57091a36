"""Dates as written on English, Russian, Kazakh, Kyrgyz, Uzbek and Tajik pages (and the other
languages the generic path meets), read with each source's day/month order."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import NamedTuple

from monitor.records import DatedValue

MONTHS: dict[str, int] = {}


def _name_months(months: Sequence[str], separator: str | None = None, table: dict[str, int] = MONTHS) -> None:
    """Each month's names, January's first; a name an earlier list gives keeps its month."""
    for number, names in enumerate(months, start=1):
        for name in names.split(separator):
            table.setdefault(name, number)


# English; Russian (Kyrgyz writes the same); Kazakh; Uzbek and Tajik in Cyrillic ("январ", Tajik
# "марти"); Uzbek in Latin letters ("mart", "sentyabr"). A name is matched at a word's start:
# "желтоқсанында" is December.
_name_months(
    [
        "january jan январь января январе январ январи қаңтар қаңтардағы yanvar",
        "february feb февраль февраля феврале феврал феврали ақпан ақпандағы fevral",
        "march mar март марта марте наурыз наурыздағы марти mart",
        "april apr апрель апреля апреле апрел апрели сәуір сәуірдегі aprel",
        "may май мая мае майи мамыр мамырдағы",
        "june jun июнь июня июне июн июни маусым маусымдағы iyun",
        "july jul июль июля июле июл июли шілде шілдедегі iyul",
        "august aug август августа августе августи тамыз тамыздағы avgust",
        "september sep sept сентябрь сентября сентябре сентябр сентябри қыркүйек қыркүйектегі sentabr sentyabr",
        "october oct октябрь октября октябре октябр октябри қазан қазандағы oktabr oktyabr",
        "november nov ноябрь ноября ноябре ноябр ноябри қараша қарашадағы noyabr",
        "december dec декабрь декабря декабре декабр декабри желтоқсан желтоқсандағы dekabr",
    ]
)
# The partners' and neighbours' European languages, as their pages print a date ("6. Februar
# 2024", "12 de marzo de 2024", "14 października 2025"): a byline the generic path meets.
_name_months(
    [
        "januar jänner janvier janv enero gennaio janeiro januari stycznia ledna ocak ianuarie január січня იანვარი",
        "februar feber février févr febrero febbraio fevereiro februari lutego února şubat februarie február лютого თებერვალი",
        "märz mär mars marzo março maart marca března martie március березня მარტი",
        "avril avr abril aprile kwietnia dubna nisan aprilie április квітня აპრილი",
        "mai mayo maggio maio mei maj maja května mayıs május травня მაისი",
        "juni juin junio giugno junho czerwca června haziran iunie június червня ივნისი",
        "juli juillet juil julio luglio julho lipca července temmuz iulie július липня ივლისი",
        "août agosto augustus augusti sierpnia srpna ağustos augusztus avqust серпня აგვისტო",
        "septembre septiembre setiembre settembre setembro września září eylül septembrie szeptember вересня სექტემბერი",
        "oktober okt octobre ottobre octubre outubro października října ekim octombrie október жовтня ოქტომბერი",
        "novembre noviembre novembro listopada listopadu kasım noiembrie листопада ნოემბერი",
        "dezember dez décembre déc diciembre dicembre dezembro grudnia prosince aralık decembrie грудня დეკემბერი",
    ]
)
# Hindi, Nepali, Bengali and Urdu names of the Gregorian months ("फेब्रुअरी ६, २०२५")
_name_months(
    [
        "जनवरी জানুয়ারি جنوری",
        "फ़रवरी फरवरी फेब्रुअरी ফেব্রুয়ারি فروری",
        "मार्च মার্চ مارچ",
        "अप्रैल अप्रिल এপ্রিল اپریل",
        "मई मे মে مئی",
        "जून जुन জুন جون",
        "जुलाई জুলাই جولائی",
        "अगस्त अगस्ट अगष्ट আগস্ট اگست",
        "सितंबर सितम्बर सेप्टेम्बर সেপ্টেম্বর ستمبر",
        "अक्टूबर अक्तूबर अक्टोबर অক্টোবর اکتوبر",
        "नवंबर नवम्बर नोभेम्बर নভেম্বর نومبر",
        "दिसंबर दिसम्बर डिसेम्बर ডিসেম্বর دسمبر",
    ]
)
# Indonesian, Malay and Filipino, as their pages print a date ("Selasa, 22 Agustus 2023", "5 Mac 2024", "Hunyo 11, 2024")
_name_months(
    [
        "januari enero",
        "februari pebrero",
        "maret mac marso",
        "april abril",
        "mei mayo",
        "juni jun hunyo",
        "juli julai hulyo",
        "agustus ogos agosto",
        "september setyembre",
        "oktober oktubre",
        "november nobyembre",
        "desember disember disyembre",
    ]
)
# Arabic as the Gulf and Egypt, the Levant ("كانون الثاني"), Algeria and Tunisia ("جانفي") and
# Morocco ("يوليوز") name the months; Hebrew, also with its "in" ("בינואר").
_name_months(
    [
        "يناير|كانون الثاني|جانفي|ינואר|בינואר",
        "فبراير|شباط|فيفري|פברואר|בפברואר",
        "مارس|آذار|מרץ|במרץ",
        "أبريل|ابريل|إبريل|نيسان|أفريل|אפריל|באפריל",
        "مايو|أيار|ايار|ماي|מאי|במאי",
        "يونيو|يونيه|حزيران|جوان|יוני|ביוני",
        "يوليو|يوليه|تموز|جويلية|يوليوز|יולי|ביולי",
        "أغسطس|اغسطس|آب|أوت|غشت|אוגוסט|באוגוסט",
        "سبتمبر|أيلول|ايلول|شتنبر|ספטמבר|בספטמבר",
        "أكتوبر|اكتوبر|تشرين الأول|تشرين الاول|אוקטובר|באוקטובר",
        "نوفمبر|تشرين الثاني|نونبر|נובמבר|בנובמבר",
        "ديسمبر|كانون الأول|كانون الاول|دجنبر|דצמבר|בדצמבר",
    ],
    "|",
)

# a month may be named twice, in the Levant's name and Egypt's: "15 أيار/مايو 2024"
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?(?:/[^\W\d_]+)?"
_DAY = r"(?P<day>\d{1,2})(?:\s*[-–—]\s*\d{1,2})?(?:st|nd|rd|th|er|\.)?"  # "6-7 December": the first day; "1er", "6."
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# г. (Russian), ж./жыл (Kazakh, Kyrgyz), -yil/йил (Uzbek), сол (Tajik)
_YEAR_WORD = r"(?:г\.|года|год|ж\.|жыл\w*|yil\w*|йил\w*|сол\w*)"
_YEAR_SUFFIX = rf"(?:\s*-?\s*{_YEAR_WORD})?"
_DAY_MONTH = r"(?:\s+(?:de\s+)?|\s*-\s*)"  # "12 mart", the Uzbek "12-mart", "12 de marzo"

WORD_PATTERNS = [
    re.compile(rf"\b{_DAY}{_DAY_MONTH}{_MONTH}\s*[,،]?\s+(?:соли\s+|del?\s+)?{_YEAR}{_YEAR_SUFFIX}", re.IGNORECASE),  # 19 December 2024
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?:de\s+)?{_YEAR}", re.IGNORECASE),  # December 19, 2024; Marzo 03 de 2025
    re.compile(
        rf"\b{_YEAR}{_YEAR_SUFFIX},?\s+{_DAY}{_DAY_MONTH}{_MONTH}", re.IGNORECASE
    ),  # 2024 жылғы 19 желтоқсан, 2024 жылдың 5 желтоқсанында, 2024-yil 12-mart
    re.compile(rf"\b{_YEAR}\.\s+{_MONTH}\s+{_DAY}", re.IGNORECASE),  # the Hungarian 2021. március 12.
    # C's clock, the time before the year: a mail archive's "Mon May 16 15:18:31 UTC 2016"
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s+[A-Z]{{2,5}})?\s+{_YEAR}", re.IGNORECASE),
]
# Chinese and Japanese 2024年1月19日, Korean 2023년 3월 12일, Mongolian 2024 оны 5 сарын 21
YEAR_MONTH_DAY_WORDS = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*(?:[年년]|оны)\s*(?P<month>\d{1,2})\s*(?:[月월]|(?:-р\s*)?сарын)\s*(?P<day>\d{1,2})"
)
# Arabic-Indic, Persian, full-width (Japanese, Chinese), Thai, Devanagari and Bengali digits read
# as the digits they are
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９๐๑๒๓๔๕๖๗๘๙०१२३४५६७८९০১২৩৪৫৬৭৮৯", "0123456789" * 6)
TIMESTAMP = re.compile(
    r"\b(?P<stamp>(?:19|20)\d{2}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?P<offset>Z|[+-]\d{2}:?\d{2})"
)
ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<a>\d{1,2})-(?P<b>\d{1,2})(?:[T\s]\d|\b)")
# "05.08.2025", "3/10/2025", the Czech "3. 10. 2025" and the European Commission's "12 / 11 / 2025"
NUMERIC = re.compile(
    r"\b(?P<a>\d{1,2})(?: (?=/))?(?P<sep>[./-])(?:(?<=[./]) )?(?P<b>\d{1,2})(?: (?=/))?[./-](?:(?<=[./]) )?"
    r"(?P<year>(?:19|20)\d{2})\b"
)
# A weekday before a numeric date tells its order where both readings are dates: "Mon, 05/02/2022"
WEEKDAY = re.compile(r"\b(?P<weekday>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*$", re.IGNORECASE)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A clock time in a North American zone after a numeric date: "08/12/2020 10:20 AM EDT" is month first
AMERICAN_ZONE = re.compile(r",?\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:E|C|M|P|AK|H)[SD]T\b", re.IGNORECASE)
SLASHED = re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?:19|20)?\d{2}\b")
YEAR_FIRST = re.compile(
    r"\b(?P<year>(?:19|20)\d{2})[./](?P<month>\d{1,2})[./](?P<day>\d{1,2})\b"
)  # 2020/07/13, 2024.12.19
YEAR = re.compile(r"(?:19|20)\d{2}")
# Every written date holds a year, and runs at most this far either side of it: the patterns
# are tried only there, not at every word of a paragraph.
YEAR_REACH = 40
# A date as written is a few dozen characters; the first paragraph searched for one is at most
# 600. Nothing longer is read, whatever a page puts in a meta tag.
MAX_DATE_TEXT = 600

# A dateline opens a press release: "WARSAW, 24 June 2022 –", "VIENNA/WARSAW, 18 July 2022 -",
# "TIRANA / BRUSSELS / GENEVA – 6 October 2020."
DATELINE = re.compile(
    r"^\s*(?P<place>[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ .'/-]{1,60}?"
    # and "Bern, 12.11.2025 - ", "Ташкент (Узбекистан), 3 октября 2025 г. –"
    r"|[A-ZÄÖÜА-ЯЁ][a-zäöüßéèа-яё]+(?:[ /-](?:(?:de|del|do|da|la)\s)?[A-ZÄÖÜА-ЯЁ][a-zäöüßéèа-яё]+){0,2}"
    r"(?:\s\([A-ZА-ЯЁ][^()]{1,40}\))?(?=,))"  # "Ciudad de México, 14 de octubre de 2024. "
    r"(?:\s*,|\s+[–—-])\s*(?P<date>[^–—\n]{6,40}?)\s*(?:\.?\s*[–—-]+\s|\.\s)",
)


# The Solar Hijri calendar of Iranian and Afghan pages ("۲۴ اسفند ۱۴۰۲", "1402/12/24"): Persian
# month names, then the Dari ones. Years up to 1420 (2042): past that, a "14xx" year is the lunar
# Hijri calendar of Arabic pages (1445 AH is 2023), which is not this one.
SOLAR_MONTHS = {
    name: number
    for names in ("فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند", "حمل ثور جوزا سرطان اسد سنبله میزان عقرب قوس جدی دلو حوت")
    for number, name in enumerate(names.split(), start=1)
}  # fmt: skip
_SOLAR_YEAR = r"(?P<year>13\d{2}|14[01]\d|1420)"
SOLAR_PATTERNS = [
    re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?P<month>{'|'.join(SOLAR_MONTHS)})(?:\s*ماه)?\s*(?:سال\s*)?{_SOLAR_YEAR}(?!\d)"),
    re.compile(rf"(?<![\d/.-]){_SOLAR_YEAR}[/.-](?P<month>\d{{1,2}})[/.-](?P<day>\d{{1,2}})(?![\d/.-])"),
]
ARABIC_LETTERS = str.maketrans("يك", "یک")  # Arabic yeh and kaf, as many Persian pages type them


def solar_hijri_date(text: str) -> date | None:
    """The first Solar Hijri date in `text` (digits already Latin), as a Gregorian day."""
    text = text.translate(ARABIC_LETTERS)
    hits = [match for pattern in SOLAR_PATTERNS if (match := pattern.search(text))]
    if not hits:
        return None
    import jdatetime  # on the few pages that need it, not in every crawl process's start

    for match in sorted(hits, key=lambda hit: hit.start()):
        month = SOLAR_MONTHS.get(match["month"]) or int(match["month"])
        with contextlib.suppress(ValueError):
            return jdatetime.date(int(match["year"]), month, int(match["day"])).togregorian()
    return None


# Japan's era years ("令和6年5月29日" is 2024; "元年" its first) and the Republic of China's, which
# Taiwan's pages write with or without its name ("民國113年1月16日", "113年1月16日")
ERA_DATE = re.compile(
    r"(?:(?P<era>令和|平成|民國|民国)\s*)?(?<!\d)(?P<year>元|\d{1,3})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
ERA_STARTS = {"令和": 2018, "平成": 1988, "民國": 1911, "民国": 1911}
ROC_NUMERIC = re.compile(r"(?<![\d./-])(?P<year>1[01]\d)([-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?![\d./-])")  # 113-01-16


def era_date(text: str) -> date | None:
    """The first date in `text` written in an East Asian era's years (digits already Latin)."""
    for match in ERA_DATE.finditer(text):
        year = 1 if match["year"] == "元" else int(match["year"])
        # unnamed, only a three-digit year is an era's: the Republic of China's
        start = ERA_STARTS[match["era"]] if match["era"] else 1911 if 100 <= year <= 199 else None
        if start is not None and (day := _safe_date(start + year, int(match["month"]), int(match["day"]))):
            return day
    if match := ROC_NUMERIC.search(text):
        return _safe_date(1911 + int(match["year"]), int(match["month"]), int(match["day"]))
    return None


# Thai pages count the Buddhist era's years (2567 is 2024), in month names or figures, day first:
# "7 พ.ค. 2567", "21 ธันวาคม พ.ศ. 2566", "19/12/2566"
THAI_MONTHS: dict[str, int] = {}
_name_months(
    ["มกราคม ม.ค.", "กุมภาพันธ์ ก.พ.", "มีนาคม มี.ค.", "เมษายน เม.ย.", "พฤษภาคม พ.ค.", "มิถุนายน มิ.ย.",
     "กรกฎาคม ก.ค.", "สิงหาคม ส.ค.", "กันยายน ก.ย.", "ตุลาคม ต.ค.", "พฤศจิกายน พ.ย.", "ธันวาคม ธ.ค."],
    table=THAI_MONTHS,
)  # fmt: skip
THAI_PATTERNS = [
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})\s*(?P<month>" + "|".join(map(re.escape, sorted(THAI_MONTHS, key=len, reverse=True)))
        + r")\s*(?:พ\.ศ\.\s*)?(?P<year>25\d{2}|(?:19|20)\d{2})(?!\d)"
    ),
    re.compile(r"(?<![\d/.-])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>25\d{2})(?![\d/])"),
]


def thai_date(text: str) -> date | None:
    """The first date in `text` as Thai pages write it (digits already Latin)."""
    hits = sorted((match for pattern in THAI_PATTERNS if (match := pattern.search(text))), key=lambda hit: hit.start())
    for match in hits:
        year = int(match["year"])
        month = THAI_MONTHS.get(match["month"]) or int(match["month"])
        if day := _safe_date(year - 543 if year >= 2400 else year, month, int(match["day"])):
            return day
    return None


# what a date in another calendar holds: a Solar Hijri year (13xx, 14xx), "年" or a Republic of
# China year (1xx-), Thai letters or a Buddhist-era year (25xx)
OTHER_CALENDARS = re.compile(r"1[34]\d\d|年|\b1[01]\d[-/.]|[\u0e00-\u0e7f]|25\d\d")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, order: str = "DMY", zone: tzinfo | None = None) -> date | None:
    """The first date in `text`, or None. Numeric dates follow `order` (DMY or MDY) unless only
    one reading is a valid date; a timestamp with an offset is the day it was in `zone`, when given."""
    return _parse_date(text[:MAX_DATE_TEXT], order, zone)


@lru_cache(maxsize=4096)  # a page's date is read by each layer that states it, and again as it is stored
def _parse_date(text: str, order: str, zone: tzinfo | None) -> date | None:
    text = " ".join(text.split()).translate(DIGITS)
    if not text:
        return None
    if zone is not None and (day := local_day(text, zone)) is not None:
        return day
    try:
        if re.match(r"^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}", text):  # RFC-822 (feeds)
            moment = parsedate_to_datetime(text)
            return (moment.astimezone(zone) if zone is not None and moment.tzinfo else moment).date()
    except (TypeError, ValueError, OverflowError):  # OverflowError: year 9999 moved to a zone
        pass
    if match := ISO.search(text):
        return _safe_date(int(match["year"]), int(match["a"]), int(match["b"]))
    for year in YEAR.finditer(text):
        if (found := _date_near(text, max(0, year.start() - YEAR_REACH), year.end() + YEAR_REACH, order)) is not None:
            return found
    if not OTHER_CALENDARS.search(text):  # most text: no need to try each calendar's patterns
        return None
    return solar_hijri_date(text) or era_date(text) or thai_date(text)


def local_day(text: str, zone: tzinfo) -> date | None:
    """The day a timestamp with an offset ("2024-12-05T21:30:00Z") fell on in `zone`: a site in
    Astana that publishes at 02:00 local time stamps the previous day in UTC."""
    if not (match := TIMESTAMP.search(text)):
        return None
    offset = match["offset"].replace("Z", "+00:00")
    offset = offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
    try:
        return datetime.fromisoformat(f"{match['stamp'].replace(' ', 'T')}{offset}").astimezone(zone).date()
    except ValueError:
        return None


# "00:30", "9:30 pm", the French "10h05"; not "14.05", which is as often a day and a month
CLOCK = re.compile(r"\b(?P<hour>[01]?\d|2[0-3])[:h](?P<minute>[0-5]\d)\b(?:\s*(?P<half>[ap])\.?m\b)?", re.IGNORECASE)


def shown_day(stamp: str, shown: str) -> date | None:
    """The day a UTC timestamp stands for where the page shows it at a clock time beside it
    ("2025-11-01T23:30Z" shown as "2 novembre 2025, 00:30"): the minutes agree, and the hours
    tell the zone the page shows, whatever language its date is in."""
    match, clock = TIMESTAMP.search(stamp), CLOCK.search(shown)
    if match is None or clock is None or match["offset"] not in ("Z", "+00:00", "+0000"):
        return None
    hour, half = int(clock["hour"]), (clock["half"] or "").lower()
    hour = hour % 12 + (12 if half == "p" else 0) if half else hour  # "6:30 pm", "12:10 am"
    if int(clock["minute"]) != int(match["stamp"][14:16]):
        return None  # another moment: the time it was updated
    offset = (hour - int(match["stamp"][11:13])) % 24
    offset = offset - 24 if offset > 14 else offset  # zones run from UTC-12 to UTC+14
    return local_day(stamp, timezone(timedelta(hours=offset)))


def day_shown(stamp: str, shown: str) -> str | None:
    """What a page shows for a UTC timestamp that falls on another day where it is shown
    ("2024-06-03T18:40Z" shown as "4 June 2024, 00:40"): the shown date, a day apart at most
    whatever the zone; or, for a date in a language not read here, the day its clock time tells."""
    if "T" not in stamp or (stamped := parse_date(stamp)) is None:
        return None
    if (day := parse_date(shown)) is not None:
        return shown if abs((day - stamped).days) == 1 else None
    local = shown_day(stamp, shown)
    return local.isoformat() if local and local != stamped else None


def _date_near(text: str, start: int, end: int, order: str) -> date | None:
    """A date written in words, else in figures, between `start` and `end` (the patterns still
    see the characters around, so word boundaries hold)."""
    found: list[tuple[int, date]] = []
    for pattern in WORD_PATTERNS:
        if (match := pattern.search(text, start, end)) is not None:
            month = MONTHS[match["month"].lower().rstrip(".")]
            if (value := _safe_date(int(match["year"]), month, int(match["day"]))) is not None:
                found.append((match.start(), value))
    if found:
        return min(found, key=lambda hit: hit[0])[1]
    if match := YEAR_MONTH_DAY_WORDS.search(text, start, end) or YEAR_FIRST.search(text, start, end):  # always year, month, day
        return _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := NUMERIC.search(text, start, end):
        first, second, year = int(match["a"]), int(match["b"]), int(match["year"])
        day_month = _safe_date(year, second, first)
        month_day = _safe_date(year, first, second)
        if day_month and month_day and (weekday := WEEKDAY.search(text, max(0, match.start() - 12), match.start())):
            named = WEEKDAYS.index(weekday["weekday"].lower())
            fitting = [day for day in (day_month, month_day) if day.weekday() == named]
            if len(fitting) == 1:
                return fitting[0]
            if fitting and match["sep"] == "/":  # both: Drupal's "Tue, 03/12/2024 - 09:15" is month first
                return month_day
        if day_month and month_day and match["sep"] == "/" and AMERICAN_ZONE.match(text, match.end()):
            return month_day
        # Dots are the day-first convention (Russian, Kazakh, German pages: 05.08.2025), whatever
        # the source's order; a month-first date is written with slashes.
        if order == "MDY" and match["sep"] != ".":
            return month_day or day_month
        return day_month or month_day
    return None


def slashed_order(texts: Iterable[str]) -> str | None:
    """The order a page's own slashed dates show, where one shows it and none says otherwise: a
    "09/17/2021" beside the post's "10/04/2021" makes that one the 4th of October."""
    firsts = seconds = False
    for text in texts:
        for match in SLASHED.finditer(text):
            a, b = int(match["a"]), int(match["b"])
            firsts |= 12 < a <= 31 and 1 <= b <= 12
            seconds |= 12 < b <= 31 and 1 <= a <= 12
    return None if firsts == seconds else "DMY" if firsts else "MDY"


class Dateline(NamedTuple):
    place: str
    date: date
    end: int  # where the release text proper begins
    start: int = 0  # after a lead set apart above it, where the dateline's paragraph begins


# A day alone opening the text, as UNODC's regional office writes it: "12 November 2025 - The office…"
DAY_LINE = re.compile(rf"^\s*(?P<date>{_DAY}\s+{_MONTH},?\s+{_YEAR})\s*[–—-]+\s", re.IGNORECASE)


def opening_dateline(text: str, order: str = "DMY") -> Dateline | None:
    """The dateline opening the release, or opening its second paragraph where a lead set apart
    above the body comes first (a Plone description, a summary field)."""
    if found := parse_dateline(text, order):
        return found
    lead, gap, rest = text.partition("\n\n")
    if rest and (found := parse_dateline(rest, order)):
        offset = len(lead) + len(gap)
        return found._replace(start=offset, end=found.end + offset)
    return None


def parse_dateline(text: str, order: str = "DMY") -> Dateline | None:
    """The dateline opening a text ("WARSAW, 24 June 2022 –", "12 November 2025 -"), if it has
    one; the place is "" where it names none."""
    if match := DAY_LINE.match(text):
        parsed = parse_date(match["date"], order)
        return Dateline("", parsed, match.end()) if parsed else None
    match = DATELINE.match(text)
    if not match:
        return None
    parsed = parse_date(match["date"], order)
    if parsed is None:
        return None
    return Dateline(match["place"].strip(" ,/").title(), parsed, match.end())


# A date signing the text off at its end, after a name or a place ("Eure Vorstandschaft, 29. März
# 2023", "Berlin, den 3.4.2019"): the line is short, the date its last words, with a year.
SIGN_OFF = re.compile(r"[,–—]\s*(?:den\s+|le\s+|am\s+)?(?P<date>\d{1,2}[^,–—]{4,28}?)\s*\.?$")
SIGN_OFF_CHARS = 80


def closing_date(text: str, order: str = "DMY") -> date | None:
    """The day the text's last line signs it off with, if it ends so."""
    last = text.rstrip().rsplit("\n", 1)[-1]
    match = SIGN_OFF.search(last) if len(last) <= SIGN_OFF_CHARS else None  # a paragraph's end is no sign-off
    if match is None or not YEAR.search(match["date"]):
        return None
    return parse_date(match["date"], order)


def first_body_date(text: str, order: str = "DMY") -> DatedValue | None:
    """The first date mentioned in the first paragraph: usually when the event took place."""
    first_paragraph = text.strip().split("\n\n", 1)[0][:600]
    parsed = parse_date(first_paragraph, order)
    return DatedValue(parsed, "body", first_paragraph[:80]) if parsed else None


URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>\d{1,2})[/-](?P<day>\d{1,2})(?:/|-|$)")


def url_date(url: str) -> str | None:
    """The day a URL's path is filed under ("/2023/11/08/slug", "/2020-01-06-slug"), as ISO."""
    if match := URL_DATE.search(url.split("?", 1)[0]):
        found = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
        return found.isoformat() if found else None
    return None


def _utc_hour(text: str) -> int | None:
    """The hour of a timestamp given in UTC ("2023-11-09T01:09:55Z"), if the text is one."""
    match = TIMESTAMP.search(text[:MAX_DATE_TEXT])
    if match and match["offset"] in ("Z", "+00:00", "+0000"):
        return int(match["stamp"][11:13])
    return None


class _Reading(NamedTuple):
    provenance: str
    day: date
    raw: str
    near: date | None  # the local day a UTC timestamp may also stand for


def pick_published(
    candidates: Iterable[tuple[str, str]],
    priority: Sequence[str],
    order: str,
    today: date,
    zone: tzinfo | None = None,
    support: Iterable[tuple[str, str]] = (),
    changed_on: Iterable[tuple[str, str]] = (),
    shown: Iterable[tuple[str, str]] = (),
) -> DatedValue | None:
    """The publication date among `candidates`, settled by evidence: the day the most layers
    state (each provenance counted once, `support` adding its own, unchosen voices), then the
    first in `priority`. A source's own selector is taken as it is; dates in the future never
    (past the day after `today`, which is local to no one).
    Timestamps are days in `zone`; without one, a UTC timestamp also stands for the local day
    before (morning hours) or after (evening hours), since publishers date their pages locally.
    `shown` are days the page shows that are no voice here (its dateline): an earlier one beside
    the day it says it was changed is the publication's, as an earlier candidate is."""
    readings = _readings(candidates, order, today, zone)
    if not readings:
        return None
    # a page that shows the day it was changed beside an earlier day it was published: a layer
    # stating the day of the change (a CMS writing the modification time as datePublished) is wrong
    changed = {reading.day for reading in _readings(changed_on, order, today, zone)}
    supporting = _readings(support, order, today, zone)
    if changed and any(  # an earlier day someone stated, not guessed
        r.day < min(changed) and r.provenance not in GUESSED
        for r in (*readings, *supporting, *_readings(shown, order, today, zone))
    ):
        readings = [reading for reading in readings if reading.day not in changed]
        if not readings:
            return None
    if selected := next((r for r in readings if r.provenance == "selector"), None):
        return DatedValue(selected.day, "selector", selected.raw)
    rank = {name: index for index, name in enumerate(priority)}
    readings.sort(key=lambda r: rank.get(r.provenance, len(rank)))
    voices = readings + supporting

    def evidence(reading: _Reading, day: date) -> tuple[int, int, int]:
        exact = {v.provenance for v in voices if v.day == day}
        near = {v.provenance for v in voices if v.near == day}
        return len(exact | near), len(exact), -rank.get(reading.provenance, len(rank))

    options = [(reading, day) for reading in readings for day in (reading.day, reading.near) if day is not None]
    reading, day = max(options, key=lambda option: evidence(*option))
    return DatedValue(day, reading.provenance, reading.raw)


# Days no one stated: htmldate's guess, a sitemap's lastmod, a year alone read as its January 1st.
# None of them shows that a day the page gives as changed came after its publication.
GUESSED = {"htmldate", "sitemap", "year"}


# `today` is the crawl's (UTC) day; a publisher east of Greenwich is already a day on after its
# evening, and a release it dated today is not in the future.
AHEAD = timedelta(days=1)


def _readings(candidates: Iterable[tuple[str, str]], order: str, today: date, zone: tzinfo | None) -> list[_Reading]:
    readings = []
    for provenance, raw in candidates:
        value = parse_date(raw, order, zone)
        if value is None or value > today + AHEAD:
            continue
        near = None
        if zone is None and (hour := _utc_hour(raw)) is not None:
            near = value - timedelta(days=1) if hour < 12 else value + timedelta(days=1)
        readings.append(_Reading(provenance, value, raw.strip()[:80], near if near and near <= today + AHEAD else None))
    return readings
