"""Press releases published as PDF files: the text layer read with pdfminer.six as layout
boxes (headings, paragraphs, footers), stripped of the blocks every release repeats (contacts, funding), dated from the
document itself."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from monitor.records import RawRelease
from monitor.understanding.normalize.dates import parse_date

MIN_TEXT_CHARS = 80  # less than this on every page: a scan without a text layer
SENTENCE_END = re.compile(r"[.!?:;]\s*$")
# Banners over the title; compared without spaces, as letter-spaced type comes out "P R E SS".
BANNERS = {"pressrelease", "пресс-релиз", "баспасөзрелизі", "newsrelease", "mediarelease"}
# A letterhead over the banner: the sender's address, phone, e-mail or site ("lprc.kz | +7 727 … | info@…").
LETTERHEAD = re.compile(r"[\w.+-]+@[\w-]+\.\w|\+\d[\d ()-]{6,}|\bwww\.|https?://|\s\|\s")
# The place line under the title: "ASTANA", or a city and its country ("Karaganda, Kazakhstan").
PLACE_LINE = re.compile(r"^(?:[^\W\d_][\w'.-]*\s?)+,\s*(?:[^\W\d_][\w'.-]*\s?)+$")
# A page's running footer, numbering it: "Legal Policy Research Centre | Astana | Page 1 of 2", "Стр. 2 из 3".
PAGE_FOOTER = re.compile(r"(?:^|\|)\s*(?:page|стр\.|страница|бет)\s*\d+\s*(?:of|из|/)\s*\d+\s*$", re.I)
FOOTER_CHARS = 200


class PdfError(ValueError):
    """The file cannot give a release: not a PDF, truncated, encrypted, or a scan without text."""


@dataclass
class PdfDocument:
    title: str
    paragraphs: list[str]
    dates: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left unread (pages over the limit)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _read_pages(body: bytes, max_pages: int) -> tuple[list[list[str]], dict[str, str], int]:
    """Each page as its text boxes in reading order: pdfminer groups lines into boxes by their
    layout, so a box is a heading, a paragraph or a footer block."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psparser import PSException

    if not body.lstrip()[:5].startswith(b"%PDF"):
        raise PdfError("not a PDF file (no %PDF header)")
    # pdfminer logs every repair of a damaged file; the error we raise says it better.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(body)))
        info = {k: _text(v) for entry in document.info for k, v in entry.items()}
        declared = _page_count(document)
        pages = [
            [" ".join(box.get_text().split()) for box in page if isinstance(box, LTTextContainer)]
            for page in extract_pages(io.BytesIO(body), laparams=LAParams(), maxpages=max_pages)
        ]
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as exc:
        if isinstance(exc, PDFPasswordIncorrect | PDFEncryptionError):
            raise PdfError(f"encrypted PDF: it opens only with a password ({type(exc).__name__})") from exc
        raise PdfError(f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise PdfError("the PDF has no pages (truncated?)")
    return [[box for box in page if box] for page in pages], info, declared


def _page_count(document: object) -> int:
    """The page count the document declares (0 when it says none)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog["Pages"])["Count"])  # type: ignore[attr-defined]
    except (KeyError, TypeError, AttributeError):
        return 0
    return count if isinstance(count, int) else 0


def _text(value: object) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    value = resolve1(value)
    return decode_text(value) if isinstance(value, bytes) else str(value)


def extract_pdf(
    body: bytes, drop_blocks: Sequence[str] = (), date_order: str = "DMY", max_pages: int = 60
) -> PdfDocument:
    """The release a PDF tells. Runs in the caller's process: for documents from the web, use
    contained.extract_pdf_contained, which bounds its time and memory."""
    pages, info, declared = _read_pages(body, max_pages)
    if sum(len(box) for page in pages for box in page) < MIN_TEXT_CHARS:
        raise PdfError(f"no text layer on {len(pages)} page(s): a scanned PDF needs OCR, which the monitor does not do")
    drop = [re.compile(pattern, re.IGNORECASE) for pattern in drop_blocks]
    paragraphs: list[str] = []
    for page in pages:
        for paragraph in page:
            if any(p.search(paragraph) for p in drop) or (len(paragraph) <= FOOTER_CHARS and PAGE_FOOTER.search(paragraph)):
                continue
            paragraphs.append(paragraph)

    dates: list[tuple[str, str]] = []
    title = ""
    body_start = 0
    # The head of a release: a "PRESS RELEASE" banner, the date, the title, a place line.
    for index, paragraph in enumerate(paragraphs[:8]):
        if "".join(paragraph.split()).lower() in BANNERS or (not title and LETTERHEAD.search(paragraph)):
            body_start = index + 1
        elif not dates and len(paragraph) <= 40 and parse_date(paragraph, date_order):
            dates.append(("pdf", paragraph))
            body_start = index + 1
        elif not title and 15 <= len(paragraph) <= 250 and not SENTENCE_END.search(paragraph.rstrip(".")):
            title = paragraph
            body_start = index + 1
        elif title and len(paragraph) < 40 and (paragraph.isupper() or PLACE_LINE.match(paragraph)):
            body_start = index + 1  # the place line under the title
        else:
            break
    meta_title = info.get("Title", "").strip()
    title = title or (meta_title if len(meta_title) > 10 else "")
    if match := re.match(r"D:(\d{4})(\d{2})(\d{2})", info.get("CreationDate", "")):
        dates.append(("file", "-".join(match.groups())))
    notes = [f"only the first {max_pages} of {declared} pages read (limit pdf_pages)"] if declared > max_pages else []
    return PdfDocument(title=title, paragraphs=paragraphs[body_start:], dates=dates, notes=notes)


def looks_like_pdf(body: bytes, content_type: str = "") -> bool:
    return "pdf" in content_type.lower() or body[:5] == b"%PDF-"


def with_pdf(page: RawRelease, document: PdfDocument, pdf_url: str, fetched_at: str) -> RawRelease:
    """The release a page announced, told by the PDF it links: the PDF's title, text and dates
    first, the page's identity, teaser and facets kept."""
    return replace(
        page,
        title=document.title or page.title,
        text=document.text,
        dates=[*document.dates, *page.dates],
        captions=[],
        facets={**page.facets, "pdf": [pdf_url]},
        fetched_at=fetched_at,
    )
