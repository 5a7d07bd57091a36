"""Hostile PDFs through the spider's real PDF path: each is parsed in a limited child process,
recorded against its source and URL with the limit it hit, and the page that linked it stands in
for it, so the release is not lost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from monitor.records import CrawlProblem, RawRelease
from scrapers.spiders.base import ReleaseSpider
from tests.conftest import make_response, spider_for
from tests.hostile import documents
from tests.hostile.limited import bounded

LIMITS = "[sources.lprc.limits]\ndocument_seconds = 3\ndocument_mb = 300\npdf_pages = 20\n"


@pytest.fixture
def lprc(monitor_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReleaseSpider:
    config = tmp_path / "limits.toml"
    config.write_text(LIMITS, encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(config))
    spider = spider_for(ReleaseSpider, source="lprc")
    return spider


STAND_IN = RawRelease(source="lprc", url="https://lprc.kz/en/news/forum/", title="Forum", text="The post's own text.")


def parse(spider: ReleaseSpider, body: bytes) -> tuple[list[CrawlProblem], list[RawRelease], float]:
    started = time.monotonic()
    response = make_response("https://lprc.kz/wp-content/uploads/2025/03/release.pdf", body, "application/pdf")
    output = list(spider.parse_pdf(response, STAND_IN))
    problems = [o for o in output if isinstance(o, CrawlProblem)]
    return problems, [o for o in output if isinstance(o, RawRelease)], time.monotonic() - started


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: documents.scattered_runs(2_000), "(limit document_"),  # CPU or memory, whichever first
        (lambda: documents.inflation_bomb(1024), "more than 300 MB (limit document_mb)"),
    ],
    ids=["scattered text runs", "inflation bomb"],
)
def test_a_pdf_bomb_is_stopped_at_its_limit_and_the_page_stands_in(lprc: ReleaseSpider, make, message: str) -> None:
    body = make()
    # the spider's side runs under an 800 MB address space (with Python and Scrapy loaded): the child
    # that parses the PDF holds the memory, not it
    (problem,), kept, seconds = bounded(lambda: parse(lprc, body), megabytes=800).value
    assert (problem.source, problem.kind, problem.url.endswith("release.pdf")) == ("lprc", "pdf", True)
    assert message in problem.message
    assert kept == [STAND_IN]  # the post's own text is kept, to be tried again next crawl
    assert seconds < 60


def test_a_pdf_of_twenty_thousand_pages_is_read_up_to_its_page_limit(lprc: ReleaseSpider) -> None:
    problems, (release,), seconds = parse(lprc, documents.many_pages(20_000))
    assert [(p.kind, p.message) for p in problems] == [
        ("limit", "only the first 20 of 20000 pages read (limit pdf_pages)")
    ]
    assert "Page 20 of a long report" in release.text and "Page 21 of" not in release.text
    assert seconds < 60


def test_a_pdf_whose_cross_reference_loops_is_recorded(lprc: ReleaseSpider) -> None:
    problems, kept, seconds = parse(lprc, documents.xref_loop())
    assert seconds < 60
    # either read (the loop is broken by pdfminer) or recorded with the page standing in
    assert kept and (kept != [STAND_IN] or problems[0].kind == "pdf")


def test_a_pdf_of_more_text_than_text_chars_is_cut_as_a_page_is(lprc: ReleaseSpider, tmp_path: Path) -> None:
    (tmp_path / "limits.toml").write_text(LIMITS + "text_chars = 500\n", encoding="utf-8")
    spider = spider_for(ReleaseSpider, source="lprc")
    problems, (release,), _ = parse(spider, documents.many_pages(18))  # about 1,000 characters
    assert [(p.kind, "(limit text_chars)" in p.message) for p in problems] == [("limit", True)], problems
    assert 300 < len(release.text) <= 500


def test_a_password_protected_pdf_is_reported_as_encrypted(lprc: ReleaseSpider) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(documents.many_pages(2))))
    writer.encrypt("secret", "owner", algorithm="AES-256")
    body = io.BytesIO()
    writer.write(body)
    (problem,), kept, _ = parse(lprc, body.getvalue())
    assert problem.kind == "pdf" and problem.message.startswith("encrypted PDF"), problem.message
    assert kept == [STAND_IN]
