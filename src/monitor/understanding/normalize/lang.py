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


def _latin(sample: str, claimed: str | None) -> str:
    """A text in Latin letters: Kazakh where the page says so and the letters agree, else English
    (a Russian or Kazakh path that serves the English page), or what the page claims."""
    kazakh = (claimed or "").lower().split("-")[0] == "kk"  # "kk", "kk-Latn"
    if kazakh and len(LATIN_KAZAKH.findall(sample)) > LATIN_KAZAKH_SHARE * len(sample):
        return "kk"
    return "en" if claimed in (None, "", "en", "ru", "kk") else claimed.split("-")[0].lower()


def detect_language(text: str, claimed: str | None = None) -> str:
    """'kk', 'ru', 'en' or the claimed code when the text is too short to tell."""
    sample = text[:1500]
    if len(sample) > 200 and CYRILLIC.search(sample) is None:  # the common case, decided in one scan
        return _latin(sample, claimed)
    letters = len(LETTER.findall(sample))
    if letters < 20:
        return (claimed or "und").split("-")[0].lower()
    cyrillic = len(CYRILLIC.findall(sample))
    if cyrillic / letters < 0.3:
        return _latin(sample, claimed)
    return "kk" if len(KAZAKH.findall(sample)) / cyrillic > 0.01 else "ru"
