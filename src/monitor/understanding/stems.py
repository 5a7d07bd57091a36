"""Word stems for full-text search in English, Russian and Kazakh: a release is indexed as its
stems and a query is stemmed the same way, so that "прокуратура" finds "прокуратуры" and
"courts" finds "court". Pure functions; the search index lives in storage.

Latin words take the Snowball English stemmer, Cyrillic words the Snowball Russian one. There is
no Snowball stemmer for Kazakh: Cyrillic words of a Kazakh release lose their case, possessive
and plural endings by a conservative suffix stripper (below), and a Cyrillic query word looks
for its Russian stem or its Kazakh one, since a query does not say its language."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from monitor.understanding import tokens

WORD = re.compile(r"\w+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
MIN_STEM = 3  # letters a Kazakh stem keeps: short roots (сот, заң) must survive

_english = Stemmer.Stemmer("english")
_russian = Stemmer.Stemmer("russian")

# Kazakh endings in the order they stack after a root: plural, possessive, case. Each set is
# tried longest first and at most once, from the end of the word inwards. Vowel harmony and
# consonant assimilation give each ending several spellings; all are listed. It under-stems
# (derivational suffixes stay) and may clip a root ending in a suffix-like syllable, which is
# why it stops at MIN_STEM letters: a missed form costs less than a wrong match.
_KAZAKH_CASES = (
    "ның нің дың дің тың тің ға ге қа ке на не "
    "ны ні ды ді ты ті да де та те нда нде "
    "дан ден тан тен нан нен мен бен пен ен ын ін"
).split()
_KAZAKH_POSSESSIVES = "ымыз іміз мыз міз ыңыз іңіз ңыз ңіз сы сі ым ім ың ің ы і".split()
_KAZAKH_PLURALS = "лар лер дар дер тар тер".split()
_KAZAKH_SETS = tuple(
    tuple(sorted(endings, key=len, reverse=True)) for endings in (_KAZAKH_CASES, _KAZAKH_POSSESSIVES, _KAZAKH_PLURALS)
)


def kazakh_stem(word: str) -> str:
    for endings in _KAZAKH_SETS:
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                word = word[: -len(ending)]
                break
    return word


def _fold(word: str) -> str:
    return word.replace("ё", "е")


@lru_cache(maxsize=200_000)  # a corpus repeats its words: each is stemmed once
def stem(word: str, kazakh: bool = False) -> str:
    """The stem of one casefolded word; `kazakh` for a Cyrillic word of a Kazakh text."""
    if not CYRILLIC.search(word):
        return _english.stemWord(word)
    word = _fold(word)
    if kazakh or KAZAKH_LETTERS.intersection(word):
        return kazakh_stem(word)
    return _russian.stemWord(word)


_known: dict[bool, dict[str, str]] = {False: {}, True: {}}  # word -> stem, for Kazakh texts and others
KNOWN_WORDS = 500_000  # a bound on that memory: past it, start again


def document_stems(text: str, lang: str = "") -> str:
    """The distinct stems of a text, space-separated, for the index (which records which texts
    hold a stem, not how often). Every stored release passes here: words are looked up in a
    dict, and only new ones are stemmed."""
    kazakh = lang == "kk"
    known = _known[kazakh]
    words = set(tokens.words(text.casefold()))
    new = words.difference(known)
    if new:
        if len(known) + len(new) > KNOWN_WORDS:
            known.clear()
            new = words
        known.update((word, stem(word, kazakh)) for word in new)
    # Sorted: the same text always gives the same string (removing a row from SQLite's index
    # means giving it again exactly what it was given).
    return " ".join(sorted({known[word] for word in words}))


def query_terms(query: str) -> list[tuple[str, ...]]:
    """Each query word as the stems it may have been indexed under (all words must match)."""
    terms: list[tuple[str, ...]] = []
    for word in WORD.findall(query.casefold()):
        forms: tuple[str, ...] = (stem(word),)
        if CYRILLIC.search(word):
            forms = tuple(dict.fromkeys((*forms, stem(word, kazakh=True))))
        if forms not in terms:
            terms.append(forms)
    return terms
