"""What two releases have in common: MinHash signatures of their wording (for copies), and the
names, numbers and rare words that survive a rewrite or a translation."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from anyascii import anyascii

from monitor.understanding import tokens
from monitor.understanding.normalize.dates import MONTHS
from monitor.understanding.numbers import numbers_in_words

NUM_PERM = 128
# (bands, rows) per signature: text and lead bands find copies (pairs above a Jaccard of about
# 0.7); key bands find releases sharing some names and figures, rewrites and translations
# included (a pair with a Jaccard of 0.3 shares three or more of them, as the clustering asks,
# with a probability of 0.93; at 0.4, 0.999).
TEXT_BANDS = (16, 8)
KEY_BANDS = (64, 2)
# Each stored signature's bands, numbered apart (a bucket names its band): the fingerprints of
# a new release and the index built from stored ones must agree on this table.
SIGNATURE_BANDS = (("text_sig", TEXT_BANDS, 0), ("lead_sig", TEXT_BANDS, TEXT_BANDS[0]),
                   ("key_sig", KEY_BANDS, 2 * TEXT_BANDS[0]))  # fmt: skip
WORDING_SIGNATURES = ("text_sig", "lead_sig")  # they find copies
KEY_SIGNATURES = ("key_sig",)  # it finds rewrites and translations
LEAD_WORDS = 60  # a teaser is the lead of the release; its own signature finds truncated copies
LONG_WORD = re.compile(r"\b\w{7,}")
CAPITALISED = re.compile(r"\b[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w’'-]{2,}")
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ ,.\u00a0]\d{3})+(?![\d])|\d+")  # "1 200", "777,895", "40"
DIGIT_RUN = re.compile(r"\d[\d ,.\u00a0]*")  # where NUMBER can match: scanning for it alone is cheap
# A telephone number ("+7 7172 97 10 50", "8 (7172) 55-12-40") is a contact, not a figure of the
# event: a press office's footer would make two of its releases share every figure.
PHONE = re.compile(r"\+\d[\d \u00a0().-]{6,}\d|\(\d{2,5}\)[ \u00a0]?\d[\d \u00a0-]{4,}\d|\b\d{2,3}-\d{2}-\d{2}\b")
# "12 and 13 March", "21-22 мамырда", "November 20-21": days of dates, not figures of the event.
# Looked at only beside a number of one or two digits: a month name searched everywhere costs more
# than the rest of a fingerprint.
_MONTH_WORD = r"(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\w*"
MONTH_AFTER = re.compile(rf"(?:\s*(?:[-–—]|and|и|және)\s*\d{{1,2}})?\s+{_MONTH_WORD}", re.IGNORECASE)
MONTH_BEFORE = re.compile(rf"(?<!\w){_MONTH_WORD}\s+(?:\d{{1,2}}\s*[-–—]\s*)?$", re.IGNORECASE)
SKELETON_LETTERS = str.maketrans("wqcx", "vkkk")
DROPPED = re.compile(r"[^a-z]|[aeiouyhj]")
DOUBLED = re.compile(r"(.)\1+")
# Names every release of this field shares, in the three languages: they say nothing about which event it is.
COMMON_NAME_WORDS = """OSCE ОБСЕ ЕҚЫҰ Programme Программный Бағдарламалық Office Офис Кеңсесі Astana Астана Nur-Sultan
Centre Center Центр Орталығы Central Asia Азия Азиядағы Kazakhstan Казахстан Қазақстан Kyrgyzstan Kyrgyz Кыргызстан
Қырғызстан Tajikistan Таджикистан Тәжікстан Uzbekistan Узбекистан Өзбекстан Turkmenistan Туркменистан Түрікменстан
Mongolia Europe Европа Еуропа European Европейский Еуропалық Union Союз Одақ United Nations ООН БҰҰ Republic Республика
Республикасы Ministry Министерство Министрлігі District State Supreme Верховный Жоғарғы Court Суд Сот Government
Organization Organisation International Международный Халықаралық Public Development Security Co-operation Cooperation
Participants Қатысушылар The This These That Their There With From During Under Within Among After Before
While Also When Where Which What В На По Для Также Это""".split()
COMMON_WORDS = frozenset(["which", "their", "there", "these", "those", "about", "would", "could", "should", "other", "after", "before", "while", "during", "between", "through", "within", "without", "against", "among", "participants", "participant", "discussed", "discussion", "organized", "organised", "including", "important", "support", "supported", "project", "office", "programme", "regional", "national", "international", "representatives"])  # fmt: skip


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations, from a fixed seed: stored signatures stay comparable forever."""
    rng = np.random.default_rng(1)
    odd = rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    return odd, rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)


SHINGLE_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))


def token_hashes(tokens: Iterable[str]) -> np.ndarray:
    """CRC-32 of each token (stable across processes, unlike `hash`), as 64-bit integers."""
    return np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64)


def signatures(words: list[str]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """MinHash of the word 3-grams of a text and of its lead (its first LEAD_WORDS words); None
    for a text too short to have any. A 3-gram is its words' hashes mixed into one 64-bit value,
    so no 3-gram string is ever built; the lead's 3-grams are the text's first ones, permuted once."""
    if len(words) < 3:
        return None, None
    hashes = token_hashes(words)
    permuted = _permuted(hashes[:-2] * SHINGLE_MIX[0] + hashes[1:-1] * SHINGLE_MIX[1] + hashes[2:])
    return _minima(permuted), _minima(permuted[: LEAD_WORDS - 2])


def minhash(values: np.ndarray) -> np.ndarray | None:
    """128 minima of multiply-add-shift permutations (the top 32 bits of a*x + b, wrapping
    64-bit arithmetic); None for no values."""
    return _minima(_permuted(values)) if values.size else None


def _permuted(values: np.ndarray) -> np.ndarray:
    a, b = _permutations()
    permuted = np.multiply.outer(values, a)
    permuted += b
    return permuted


def _minima(permuted: np.ndarray) -> np.ndarray:
    return (permuted.min(axis=0) >> np.uint64(32)).astype(np.uint32)  # the shift after the minimum: it keeps order


BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                     0x85EBCA77C2B2AE63, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB],
                    dtype=np.uint64)  # fmt: skip
BAND_SALT = np.uint64(0xD6E8FEB86659FD93)


def band_buckets(sigs: np.ndarray, layout: tuple[int, int], offset: int) -> np.ndarray:
    """The LSH buckets of signatures (one per row), as (signatures, bands) 64-bit values; `offset`
    keeps each signature's bands apart. A bucket mixes its band's rows with fixed odd multipliers,
    and its band number, so that the bucket alone names the band (wrapping 64-bit arithmetic)."""
    bands, rows = layout
    band_numbers = np.arange(offset, offset + bands, dtype=np.uint64)
    rows_of_bands = sigs[:, : bands * rows].astype(np.uint64).reshape(len(sigs), bands, rows)
    return (rows_of_bands * BAND_MIX[:rows]).sum(axis=2, dtype=np.uint64) + band_numbers * BAND_SALT


def signature_buckets(
    signed: Sequence[tuple[int, bytes | np.ndarray]], layout: tuple[int, int], first_band: int
) -> tuple[np.ndarray, np.ndarray]:
    """(owners, buckets), a row for each band of each signature of one kind (stored bytes or
    arrays, with their owner): a batch's or a whole store's in a few numpy calls."""
    sigs = np.frombuffer(b"".join(sig for _, sig in signed), dtype=np.uint32).reshape(len(signed), NUM_PERM)
    owners = np.fromiter((owner for owner, _ in signed), dtype=np.int64, count=len(signed))
    return np.repeat(owners, layout[0]), band_buckets(sigs, layout, first_band).ravel()


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


def _numbers(text: str) -> list[str]:
    """NUMBER's matches, looked for only in runs of digits (its look-behind still sees the text),
    but the days of dates."""
    return [
        number.group()
        for run in DIGIT_RUN.finditer(text)
        for number in NUMBER.finditer(text, run.start(), run.end())
        if not _day_of_month(text, number.start(), number.end())
    ]


def _day_of_month(text: str, start: int, end: int) -> bool:
    if end - start > 2:
        return False
    return bool(MONTH_AFTER.match(text, end) or MONTH_BEFORE.search(text[max(0, start - 24) : start]))


@lru_cache(maxsize=100_000)  # names recur from release to release; anyascii is the costly part
def name_key(word: str) -> str:
    """A name's consonant skeleton, as written in any script: Latin letters (anyascii), vowels
    and the letters transliterations disagree on (y, h, j) dropped, w as v, q as k, doubles
    collapsed, the first four kept. Сарсенбаева and Sarsenbayeva, Шымкентте and Shymkent,
    Қазақстан and Kazakhstan meet; an inflected ending is cut off."""
    skeleton = DROPPED.sub("", anyascii(word).casefold().translate(SKELETON_LETTERS))
    return DOUBLED.sub(r"\1", skeleton)[:4]


COMMON_NAMES = frozenset(key for word in COMMON_NAME_WORDS if len(key := name_key(word)) >= 3)


@dataclass(frozen=True)
class Fingerprints:
    text_sig: np.ndarray | None
    lead_sig: np.ndarray | None
    key_sig: np.ndarray | None  # of names and figures: finds rewrites and translations
    names: frozenset[str]  # capitalised words' skeletons (name_key): survive translation
    numbers: frozenset[str]  # figures that are not years
    terms: frozenset[str]  # rarer long words: survive a rewrite in the same language

    @classmethod
    def of(cls, title: str, text: str) -> Fingerprints:
        folded = text.casefold()
        both = f"{title}\n{text}"
        names = {key for w in set(CAPITALISED.findall(both)) if len(key := name_key(w)) >= 3} - COMMON_NAMES
        words = tokens.words(folded)
        numbers = {re.sub(r"\D", "", n) for n in _numbers(PHONE.sub(" ", both))}
        numbers |= {str(n) for n in numbers_in_words(words)}
        numbers = {n for n in numbers if len(n) >= 2 and not (len(n) == 4 and 1990 <= int(n) <= 2040)}
        terms = {w for w in set(words) if len(w) >= 7}.union(LONG_WORD.findall(title.casefold())) - COMMON_WORDS
        keys = [f"n:{k}" for k in names] + [f"#:{k}" for k in numbers]
        text_sig, lead_sig = signatures(words)
        return cls(
            text_sig=text_sig,
            lead_sig=lead_sig,
            key_sig=minhash(token_hashes(keys)),
            names=frozenset(names),
            numbers=frozenset(numbers),
            terms=frozenset(term for term in terms if not term.isdigit()),
        )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """The share of `part` found in `whole` (a teaser's keys in a full release's)."""
    return len(part & whole) / len(part) if part else 0.0


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set found in the other."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0
