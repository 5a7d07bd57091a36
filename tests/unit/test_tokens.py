import hashlib
import re

import pytest

from monitor.understanding.normalize.text import fingerprint
from monitor.understanding.tokens import WORD, words

TEXTS = [
    "The court, in Bishkek (Chui Province), heard 1,200 cases; “fair” trials — 40% faster…",
    "Верховный суд Кыргызстана: закон № 45 принят «единогласно». Ақпарат: ЕҚЫҰ-ның жобасы.",
    "snake_case and e-mail and don't and 3½ and x²",
    "Combining marks: и\u0306 and e\u0301; symbols ★ © ™ and tabs\tand\u00a0spaces",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_words_are_what_the_word_regex_finds(text: str) -> None:
    for variant in (text, text.casefold()):
        assert words(variant) == WORD.findall(variant)


@pytest.mark.parametrize("text", TEXTS)
def test_the_content_fingerprint_keeps_its_definition(text: str) -> None:
    # Stored fingerprints were made this way: a changed definition would make every release look edited.
    normalized = re.sub(r"[\W_]+", " ", f"Title\n{text}".casefold()).strip()
    assert fingerprint("Title", text) == hashlib.sha256(normalized.encode("utf-8")).hexdigest()
