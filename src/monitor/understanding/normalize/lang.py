"""Language from the text itself: a URL prefix or html lang does not guarantee a translation."""

from __future__ import annotations

import re

LETTER = re.compile(r"[^\W\d_]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def detect_language(text: str, claimed: str | None = None) -> str:
    """'kk', 'ru', 'en' or the claimed code when the text is too short to tell."""
    sample = text[:1500]
    if len(sample) > 200 and CYRILLIC.search(sample) is None:  # the common case, decided in one scan
        return "en" if claimed in (None, "", "en", "ru", "kk") else claimed.split("-")[0].lower()
    letters = len(LETTER.findall(sample))
    if letters < 20:
        return (claimed or "und").split("-")[0].lower()
    cyrillic = len(CYRILLIC.findall(sample))
    if cyrillic / letters < 0.3:
        return "en" if claimed in (None, "", "en", "ru", "kk") else claimed.split("-")[0].lower()
    return "kk" if len(KAZAKH.findall(sample)) / cyrillic > 0.01 else "ru"
