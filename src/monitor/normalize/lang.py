"""Language from the text itself: a URL prefix or html lang does not guarantee a translation."""

from __future__ import annotations

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def detect_language(text: str, claimed: str | None = None) -> str:
    """'kk', 'ru', 'en' or the claimed code when the text is too short to tell."""
    letters = [c for c in text[:4000] if c.isalpha()]
    if len(letters) < 20:
        return (claimed or "und").split("-")[0].lower()
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    if cyrillic / len(letters) < 0.3:
        return "en" if claimed in (None, "", "en", "ru", "kk") else claimed.split("-")[0].lower()
    kazakh = sum(c in KAZAKH_LETTERS for c in letters)
    return "kk" if kazakh / cyrillic > 0.01 else "ru"
