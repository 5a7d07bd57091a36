"""Clean release text: boilerplate trailers and photo captions recognised and set apart."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from monitor.understanding.tokens import words

# Lines that syndicators and the OSCE theme append; they are not part of the release.
TRAILER_LINES = [
    re.compile(r"^\s*(?:original\s+)?source\s*:\s*\S.{0,60}$", re.IGNORECASE),  # "Source : OSCE"
    re.compile(r"^\s*post\s+comment\s*$", re.IGNORECASE),
    re.compile(r"^\s*distributed\s+by\s+public\s+on\b.*$", re.IGNORECASE),
    re.compile(r"^\s*/{3}\s*\S.*$"),  # "///OSCE, 5 September 2025"
    re.compile(r"^\s*(?:share|print|tweet)(?:\s+this)?\s*$", re.IGNORECASE),
]
PHOTO_DETAILS = re.compile(r"\s*\((?:OSCE|ОБСЕ|ЕҚЫҰ)[^)]{0,60}\)\s*Photo details\s*", re.IGNORECASE)
CAPTION_LINE = re.compile(r"(?:Photo details|\((?:OSCE|ОБСЕ|ЕҚЫҰ)(?:/[^)]*)?\))\s*$", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ“\"«(])")


def collapse(text: str) -> str:
    return " ".join(text.split())


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; single newlines inside one are spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\xa0", " "))
    return [collapse(block) for block in re.split(r"\n\s*\n", text) if block.strip()]


def clean_caption(caption: str) -> str:
    return collapse(PHOTO_DETAILS.sub(" ", caption))


def clean_text(text: str) -> tuple[str, list[str]]:
    """(body, captions): trailers dropped, captions moved out of the body."""
    body: list[str] = []
    captions: list[str] = []
    for paragraph in split_paragraphs(text):
        if any(pattern.match(paragraph) for pattern in TRAILER_LINES):
            continue
        if len(paragraph) < 400 and CAPTION_LINE.search(paragraph):
            captions.append(clean_caption(paragraph))
            continue
        # The pattern starts with spaces: tried at each of them, it costs more than looking first.
        body.append(PHOTO_DETAILS.sub(" ", paragraph).strip() if "photo details" in paragraph.casefold() else paragraph)
    return "\n\n".join(p for p in body if p), [c for c in captions if c]


def summarize(text: str, max_sentences: int = 3, max_chars: int = 480) -> str:
    """The first sentences of the text, cut on a sentence boundary where possible."""
    first = split_paragraphs(text)[:2]
    # Twice the longest summary is enough to choose it (a longer first sentence is cut anyway).
    sentences = SENTENCE_END.split(" ".join(first)[: 2 * max_chars + 1])
    summary = ""
    for sentence in sentences[:max_sentences]:
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > max_chars and summary:
            break
        summary = candidate
    if len(summary) > max_chars:
        summary = summary[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return summary


def fingerprint(title: str, text: str) -> str:
    """Exact-content fingerprint: case, punctuation and spacing do not count."""
    normalized = " ".join(words(f"{title}\n{text}".casefold().replace("_", " ")))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def listing_fingerprint(title: str, dates: list[tuple[str, str]], teaser: str) -> str:
    """What a listing shows of a release; when it changes, the article is fetched again."""
    shown = "\n".join([collapse(title), *sorted(collapse(v) for _, v in dates), collapse(teaser)])
    return hashlib.sha256(shown.casefold().encode("utf-8")).hexdigest()[:32]
