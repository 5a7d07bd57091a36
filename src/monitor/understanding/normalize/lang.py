"""Language from the text itself: a URL prefix or html lang does not guarantee a translation."""

from __future__ import annotations

import re

LETTER = re.compile(r"[^\W\d_]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
# Letters of the Latin Kazakh alphabet of 2021 ("Qazaqstan Respublikasynyñ") that German and
# Turkish names seldom bring into an English text (not ö, ü)
LATIN_KAZAKH = re.compile(r"[äğıñşūÄĞÑŞŪ]")
LATIN_KAZAKH_SHARE = 0.02  # of the characters: about 0.05 in a Kazakh text, under 0.01 in an English one
CYRILLIC_OTHERS = {"ky", "tg", "uz", "mn", "tk", "uk", "be", "bg", "sr", "mk"}  # told from kk and ru by the claim only
# What pages and import files write besides a code: og:locale's "en_US", ISO 639-2, names
NAMED = {
    "eng": "en", "english": "en", "rus": "ru", "russian": "ru", "русский": "ru", "kaz": "kk", "kazakh": "kk",
    "қазақ": "kk", "kir": "ky", "kyrgyz": "ky", "tgk": "tg", "tajik": "tg", "uzb": "uz", "uzbek": "uz",
    "tuk": "tk", "turkmen": "tk", "kz": "kk",
}  # fmt: skip


def language_code(claimed: str | None) -> str | None:
    """The primary language of a claim ("en_US", "ru-RU", "kk-Latn", "English" -> en, ru, kk,
    en), or None for what is no language code."""
    primary = re.split(r"[-_\s]", (claimed or "").strip().lower(), maxsplit=1)[0]
    primary = NAMED.get(primary, primary)
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


def _latin(sample: str, claimed: str | None) -> str:
    """A text in Latin letters: Kazakh where the page says so and the letters agree, else English
    (a Russian or Kazakh path that serves the English page), or what the page claims."""
    if claimed == "kk" and len(LATIN_KAZAKH.findall(sample)) > LATIN_KAZAKH_SHARE * len(sample):
        return "kk"
    return "en" if claimed in (None, "en", "ru", "kk") else claimed


def detect_language(text: str, claimed: str | None = None) -> str:
    """'kk', 'ru', 'en' or the claimed code when the text is too short to tell."""
    sample, claimed = text[:1500], language_code(claimed)
    if len(sample) > 200 and CYRILLIC.search(sample) is None:  # the common case, decided in one scan
        return _latin(sample, claimed)
    letters = len(LETTER.findall(sample))
    if letters < 20:
        return claimed or "und"
    cyrillic = len(CYRILLIC.findall(sample))
    if cyrillic / letters < 0.3:
        return _latin(sample, claimed)
    if claimed in CYRILLIC_OTHERS:  # Kyrgyz shares Kazakh's letters, Tajik and Uzbek Russian's
        return claimed
    return "kk" if len(KAZAKH.findall(sample)) / cyrillic > 0.01 else "ru"
