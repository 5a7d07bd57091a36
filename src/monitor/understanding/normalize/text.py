"""Clean release text: boilerplate trailers and photo captions recognised and set apart."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from monitor.understanding.tokens import words

# Lines that syndicators and the OSCE theme append; they are not part of the release.
TRAILER_LINES = [
    re.compile(r"^\s*post\s+comment\s*$", re.IGNORECASE),
    re.compile(r"^\s*(?:no|keine) (?:comments|kommentare)(?: yet)?\s*(?:\(.{0,80}\))?[.!]?\s*$", re.IGNORECASE),
    re.compile(r"^\s*distributed\s+by\s+public\s+on\b.*$", re.IGNORECASE),
    re.compile(r"^\s*/{3}\s*\S.*$"),  # "///OSCE, 5 September 2025"
    re.compile(r"^\s*(?:share|print|tweet)(?:\s+this)?\s*$", re.IGNORECASE),
    re.compile(r"^\s*the post\s.{1,300}\sappeared first on\s.{1,100}$", re.IGNORECASE),  # WordPress feeds' footer
    re.compile(r"^\s*(?:advertisement|advertising|sponsored(?: content)?|реклама)\s*$", re.IGNORECASE),  # an ad's label
    re.compile(r"^\s*©\s*\S.{0,80}$"),  # a picture's credit or the site's copyright: "© Bundesrat | Frank Bräuer"
    # a link to the document itself: "Download the full statement (PDF) (212.4 KB)", "Скачать (PDF, 188 КБ)"
    re.compile(
        r"^\s*(?:download|read|view|скачать|загрузить|жүктеу)\b.{0,80}\b(?:pdf|docx?|rtf)\b.{0,30}$", re.IGNORECASE
    ),
]
# A short line that turns to the reader to sell the site: an imperative ("Subscribe now to our
# e-edition", "Sign up to our daily newsletter"), "our"/"your" newsletter, app or inbox, the rest
# of "this story" behind a log-in, the news "straight to your phone"; and a copyright line. A
# release's own sentence about an app people can sign up with ("citizens can sign up through
# the eGov app") names neither.
_PROMPT_VERB = r"\b(?:subscribe|sign(?:ing)? up|log ?in|download)\b"
READER_PROMPT = re.compile(
    r"\ball rights reserved\b"
    r"|(?:^|[.!?]\s+)(?:please\s+|click here to\s+)?(?:subscribe|sign up)\b"  # a sentence's first word
    rf"|{_PROMPT_VERB}.{{0,50}}\b(?:our|your)\s+(?:[\w-]+\s+){{0,3}}(?:newsletters?|apps?|inbox|e-?edition|edition)\b"
    rf"|{_PROMPT_VERB}.{{0,50}}\b(?:this|the full) story\b|\b(?:this|the full) story\b.{{0,30}}{_PROMPT_VERB}"
    r"|\b(?:newsletter|jetzt) abonnieren\b|\babonnez-vous\b"
    r"|\b(?:подписывайтесь|подпишитесь)\b.{0,60}\b(?:канал|telegram|телеграм|рассылк)"
    r"|\bstraight to your (?:phone|inbox)\b"
    r"|\b(?:join|follow)\b.{0,50}\b(?:whatsapp|telegram) channel\b"
    r"|\byou have (?:\d+|one|two|three) free (?:articles?|stories) (?:left|remaining)\b"  # a metered paywall's count
    # a link to another story set in the text: "Читайте также: <title>", "Lesen Sie auch: <title>"
    r"|^(?:читайте также|также читайте|тағы оқыңыз|lesen sie auch|à lire aussi|lire aussi|leer también|lee también"
    r"|leia também|leggi anche|czytaj (?:też|także)|read also|see also|بیشتر بخوانید|اقرأ أيضا|اقرأ أيضاً)\s*:",
    re.IGNORECASE,
)
# "Source : OSCE" heading or closing a syndicated copy; between paragraphs of the body the same words
# credit a figure or a chart ("Source: Ministry of Justice statistics, 2024"): kept with the captions.
SOURCE_LINE = re.compile(r"^\s*(?:original\s+)?source\s*:\s*\S.{0,60}$", re.IGNORECASE)
PROMPT_CHARS = 250
# A site's word on how it earns from what it recommends, a paragraph long at times.
DISCLOSURE = re.compile(
    r"\bwe may (?:receive|earn) (?:a )?(?:compensation|commission)\b"
    r"|\bthis (?:post|article|page) (?:may )?contains? (?:affiliate links|references to products)\b",
    re.IGNORECASE,
)
DISCLOSURE_CHARS = 600
# What an aggregator wraps around a release it republishes: a banner naming the publisher, a
# "Distributed by" or "Published:" line, a byline, a disclaimer, node and link lines. Recognised
# only in the first and last few short paragraphs, so that it never counts as the release's
# names, figures or dates.
# A letter that is no lower-case one of the scripts a byline here is written in ("Željka", "Łukasz", "Ömer")
_CAPITAL = r"[^\W\d_a-zß-öø-ÿа-яёәғқңөұүһіўђјљњћџ]"
WRAPPER_HEAD = re.compile(
    r"^(?:[A-Z]{2,12}\s+[-–—]\s+[A-Z][^.!?]{5,100}"  # "OSCE - Organization for Security and Co-operation in Europe"
    r"|.{0,40}\|\s*press release\s*\|.*|.*\bdistributed by\b.*"  # pubt.io's date line
    r"|(?:by\s+)?(?:staff|our)\s+(?:reporter|writer|correspondent)s?"
    rf"|by\s+(?-i:{_CAPITAL}[\w.'-]*(?:,?\s+(?:and\s+)?{_CAPITAL}[\w.'-]*){{0,5}})"  # names, not "By the end of 2025"
    r"|\(?(?:original\s+)?(?:source|published|posted|updated|date)\s*:.{0,120}|press release|news release"
    r"|(?:for )?immediate release)$",  # a press office's "FOR IMMEDIATE RELEASE" over its dateline
    re.IGNORECASE,
)
WRAPPER_TAIL = re.compile(
    r"^(?:(?:legal\s+)?disclaimer\b.*|.*\bprovides this (?:news )?content\b.*|.*\bpublished this content on\b.*"
    r"|(?:node|category|related|tags?)\s*:.*|(?:original\s+)?source\s*:.{0,100}"  # not "Source: OSCE. <a teaser>"
    r"|.*\breproduced as received\b.*|.*\baggregated by\b.*"
    r"|media contacts?\b.*|share(?: this)?\b.{0,40}|read more\b.{0,40}|[^ ]+@[^ ]+\.[a-z]{2,}(?:\s.{0,80})?)$",
    re.IGNORECASE | re.DOTALL,
)
# The heading of the media contacts that close a press release ("For further information, please
# contact:", "Контакты для СМИ"), followed by names, phones and addresses: not the release's story.
CONTACT_HEADING = re.compile(
    r"^(?:(?:media|press) contacts?|contacts? for (?:the )?(?:media|press)"
    r"|for (?:further|more) information(?: and media (?:requests|enquiries|inquiries))?,? (?:please )?contact"
    r"|pressekontakt|kontakt für (?:die )?medien"
    r"|contacts? (?:presse|médias)|контакты для (?:сми|прессы)|контактная информация|для справок|бақ үшін байланыс)\b",
    re.IGNORECASE,
)
CONTACT_REACH = 16  # paragraphs from the end looked at: two or three people's names, phones and e-mails, a share bar
WIRE_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,60},\s+\w+ \d{1,2}, \d{4} /EINPresswire\.com/ --\s*")
WRAPPER_REACH = 4  # paragraphs looked at from either end
WRAPPER_CHARS = 300  # a wrapper line is short


PHOTO_DETAILS = re.compile(r"\s*\((?:OSCE|ОБСЕ|ЕҚЫҰ)[^)]{0,60}\)\s*Photo details\s*", re.IGNORECASE)
CAPTION_LINE = re.compile(
    r"(?:Photo details|\((?:OSCE|ОБСЕ|ЕҚЫҰ)(?:/[^)]*)?\))\s*$"
    # a credit closing a caption: "... in Dushanbe. Photo: UNODC", "(Photo: UN Women/A. Kenzhebayeva)",
    # "(Foto: M. Kessler)", the Turkish "Fotoğraflar:", the Kazakh "Сурет:" and the Kyrgyz "Сүрөт:"
    r"|(?:^|[.!?]\s+|\()(?:(?-i:Photos?|PHOTOS?|File photo|FILE PHOTO|Fotos?|FOTOS?|Fotoğraf(?:lar)?|Фото|ФОТО|Сурет|СУРЕТ|Сүрөт|СҮРӨТ)(?:\s+credit)?\s*(?::|by\s))"
    r"\s*(?:(?-i:\b[A-ZА-ЯЁ]\.)|[^.()]){1,80}\)?\.?\s*$",  # no sentence, but an initial ("M. Kessler")
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ“\"«(])")


def collapse(text: str) -> str:
    return " ".join(text.split())


def tidy_line(text: str) -> str:
    """A title, facet or caption as the body's text is: composed (NFC) and on one line. A title
    in decomposed form (a PDF's metadata) would differ from the same title typed."""
    return collapse(unicodedata.normalize("NFC", text))


def clipped(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; single newlines inside one are spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\xa0", " "))
    return [collapse(block) for block in re.split(r"\n\s*\n", text) if block.strip()]


def clean_caption(caption: str) -> str:
    return tidy_line(PHOTO_DETAILS.sub(" ", caption))


def unwrap(paragraphs: list[str], title: str = "") -> list[str]:
    """The paragraphs without an aggregator's wrapping (see WRAPPER_HEAD), nor the title repeated
    at the top, nor the media contacts at the end; a wire service's dateline prefix ("ALMATY,
    KAZAKHSTAN, April 3, 2025 /EINPresswire.com/ --") gives way to the release's own."""
    start, end = 0, len(paragraphs)
    folded_title = collapse(title).casefold()
    while (
        start < min(end, WRAPPER_REACH)
        and len(paragraphs[start]) <= WRAPPER_CHARS
        and (WRAPPER_HEAD.match(paragraphs[start]) or (folded_title and paragraphs[start].casefold() == folded_title))
    ):
        start += 1
    # The last paragraph standing is the release's own text, whatever it looks like.
    while end > start + 1 and end > len(paragraphs) - WRAPPER_REACH and len(paragraphs[end - 1]) <= WRAPPER_CHARS * 2:
        if not WRAPPER_TAIL.match(paragraphs[end - 1]):
            break
        end -= 1
    # a media-contact block and what follows it, all short lines (a share bar, a disclosure notice)
    for index in range(max(start + 1, end - CONTACT_REACH), end):
        if CONTACT_HEADING.match(paragraphs[index]) and all(len(p) <= WRAPPER_CHARS for p in paragraphs[index:end]):
            end = index
            break
    kept = paragraphs[start:end]
    if kept:
        kept[0] = WIRE_DATELINE.sub("", kept[0])
    return kept


def clean_text(text: str, title: str = "") -> tuple[str, list[str]]:
    """(body, captions): an aggregator's wrapping and trailers dropped, captions moved out of the body."""
    body: list[str] = []
    captions: list[str] = []
    held: list[str] = []  # source lines after some of the body: a figure's credit if more of it follows
    paragraphs = unwrap(split_paragraphs(text), title)
    for paragraph in paragraphs:
        if SOURCE_LINE.match(paragraph):
            if body:
                held.append(paragraph)
            continue
        if any(pattern.match(paragraph) for pattern in TRAILER_LINES):
            continue
        # never a release's only paragraph: a one-line notice about an app stays whole
        if len(paragraphs) > 1 and (
            (len(paragraph) <= PROMPT_CHARS and READER_PROMPT.search(paragraph))
            or (len(paragraph) <= DISCLOSURE_CHARS and DISCLOSURE.search(paragraph))
        ):
            continue
        if len(paragraph) < 400 and CAPTION_LINE.search(paragraph):
            captions.append(clean_caption(paragraph))
            continue
        captions += held
        held = []
        # The pattern starts with spaces: tried at each of them, it costs more than looking first.
        body.append(PHOTO_DETAILS.sub(" ", paragraph).strip() if "photo details" in paragraph.casefold() else paragraph)
    return "\n\n".join(p for p in body if p), [c for c in captions if c]


def summarize(text: str, max_sentences: int = 3, max_chars: int = 480) -> str:
    """The first sentences of the text, cut on a sentence boundary where possible."""
    first = split_paragraphs(text[: 4 * max_chars])[:2]  # what follows cannot reach the summary
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
