"""Real WeasyPrint PDFs, read back with pypdf and pdftotext."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest

from monitor.demo.mirror import serve
from monitor.operations.jobs import write_digest
from monitor.reporting.render import refusing_fetcher, render_pdf
from monitor.reporting.selection import DigestError
from monitor.storage.models import SourceRow
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy
from tests.sample_releases import NOW, RELEASES, store_releases


@pytest.fixture
def digest_pdf(settings) -> tuple[Path, int]:
    store_releases(settings, RELEASES, NOW)
    return write_digest(settings, date(2025, 12, 1), date(2026, 3, 31), NOW, keep_html=True)


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def outline_items(outline: list) -> list[tuple[str, object]]:
    """(title, entry) of every bookmark, nested ones included."""
    found = []
    for item in outline:
        found.extend(outline_items(item) if isinstance(item, list) else [(item.title, item)])
    return found


def test_digest_lists_every_tracked_release_once_in_every_script(digest_pdf) -> None:
    path, total = digest_pdf
    assert path.name == "digest-2025-12-01-2026-03-31.pdf" and path.read_bytes().startswith(b"%PDF-")
    assert total == 4  # the energy workshop is on neither topic
    text = pdf_text(path)
    for raw in RELEASES[:3]:
        assert text.count(raw.title) == 1, raw.title
    assert "Workshop on energy efficiency" not in text
    reader = pypdf.PdfReader(str(path))
    assert reader.metadata.title.startswith("Justice and gender equality in Central Asia")
    assert {"Judicial and justice reform (3)", "Gender equality (1)"} <= {
        title for title, _ in outline_items(reader.outline)
    }


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by make test")
def test_cyrillic_and_kazakh_render_with_embedded_dejavu(digest_pdf) -> None:
    path, _ = digest_pdf
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "ОБСЕ поддержала обсуждение реформы пробации в Казахстане" in text
    assert "ЕҚЫҰ әйел судьяларға арналған тәлімгерлік бағдарламасын қолдады" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("DejaVu" in name for name in names), fonts


def test_scraped_markup_is_text_not_markup(digest_pdf) -> None:
    path, _ = digest_pdf
    html = path.with_suffix(".html").read_text()
    assert "<img" not in html.split("<body>", 1)[1]
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    text = pdf_text(path)
    assert 'Court <img src="file:///etc/passwd"> watch & "legal aid"' in text
    assert "root:x:0:0" not in text


def tracker_site(tmp_path: Path) -> Path:
    """A site with one image that counts its hits: anything fetched from it shows."""
    site = tmp_path / "site" / "tracker"
    site.mkdir(parents=True)
    (site / "routes.json").write_text('{"/pixel.png": {"file": "", "status": 200, "type": "image/png"}}')
    return site.parent


def test_weasyprint_fetches_nothing_a_document_references(tmp_path: Path) -> None:
    with serve(tracker_site(tmp_path)) as mirror:
        remote = mirror.url("tracker", "/pixel.png")
        html = (
            f'<html><head><link rel="stylesheet" href="{remote}.css"></head><body><h1>Test</h1>'
            f'<img src="file:///etc/passwd"><img src="{remote}"><p style="background: url({remote}?bg)">x</p></body></html>'
        )
        fetcher = refusing_fetcher()
        pdf = render_pdf(html, fetcher)
        assert mirror.hits()["tracker"] == []
    assert pdf.startswith(b"%PDF-")
    assert "file:///etc/passwd" in fetcher.refused
    assert remote in fetcher.refused


def test_inverted_period_is_refused(settings) -> None:
    with pytest.raises(DigestError, match="ends"):
        write_digest(settings, date(2026, 3, 1), date(2026, 2, 1), NOW)


def test_digest_lists_each_story_once_with_the_others_that_carried_it(settings) -> None:
    from monitor.crawling.ingest import import_jsonl
    from tests.eval.metrics import EVAL_SET

    store = Store.open(settings.database_url)
    import_jsonl(EVAL_SET.read_bytes().splitlines(), settings, store, load_taxonomy())
    path, total = write_digest(settings, date(2024, 12, 1), date(2024, 12, 31), NOW, keep_html=True)
    text = pdf_text(path)
    title = (
        "Kazakhstan’s Women Judges Contribute to the 10th Annual Conference of the Kyrgyz Association of Women Judges"
    )
    assert text.count(title) == 1  # the original, not the pubt.io and einpresswire copies of it
    html = path.with_suffix(".html").read_text()
    assert "pubt.io (copy)" in html and "nigeriapulse (rewrite)" in html and "(translation, ru)" in html
    assert "Women Judges From Kazakhstan Shine" not in text
    assert total == 2  # S1 and the bailiffs' training; the youth forum that day is on neither topic


def test_report_has_cover_contents_overview_country_sections_and_health_appendix(settings) -> None:
    store = store_releases(settings, RELEASES, NOW)
    store.sync_sources(settings.sources.values())
    with store.session() as session, session.begin():
        row = session.get(SourceRow, "eeas_kazakhstan")
        row.health, row.health_reason = "failing", "no release at all from 2 page(s) (redesign?)"
    path, _ = write_digest(settings, date(2025, 12, 1), date(2026, 3, 31), NOW, keep_html=True)
    reader = pypdf.PdfReader(str(path))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert "PRESS-RELEASE DIGEST" in pages[0] and "1 December 2025 – 31 March 2026" in pages[0]
    assert "failed to crawl: EU Delegation to Kazakhstan" in pages[0]
    contents = pages[1]
    assert "Contents" in contents
    # every contents entry ends in the page number its target is really on
    marks = {title: reader.get_destination_page_number(item) + 1 for title, item in outline_items(reader.outline)}
    for title in ("Overview", "Gender equality (1)", "Appendix: source health"):
        entry = title.split(" (")[0]
        assert re.search(rf"{re.escape(entry)}[ .]*{marks[title]}\b", contents), (title, contents)
    titles = [title for title, _ in outline_items(reader.outline)]
    assert titles.count("Kazakhstan (1)") == 2 and "Regional and other (2)" in titles  # countries in each topic
    overview = pages[marks["Overview"] - 1]
    assert "Stories per day" not in overview and "Stories per week" in overview  # four months: weekly bars
    assert "<svg" in path.with_suffix(".html").read_text()
    appendix = pages[-1]
    assert "no release at all from 2 page(s) (redesign?)" in appendix and "failing" in appendix
    assert reader.metadata["/Author"] == "Press-release monitor"
    assert reader.metadata["/Keywords"].startswith("OSCE")


def test_a_scraped_page_with_a_local_file_and_a_remote_image_fetches_neither(settings, tmp_path: Path) -> None:
    from monitor.crawling.ingest import import_jsonl

    with serve(tracker_site(tmp_path)) as mirror:
        remote = mirror.url("tracker", "/pixel.png")
        page = (
            "<html><body><article><h1>Supreme Court hosts legal aid forum</h1>"
            f'<p>Judges and lawyers discussed legal aid for victims of domestic violence.<img src="{remote}"></p>'
            '<p><img src="file:///etc/passwd"> The court will publish its findings.</p></article></body></html>'
        )
        line = json.dumps(
            {
                "url": "https://odihr.osce.org/odihr/677777",
                "source": "osce_odihr",
                "title": "Supreme Court hosts legal aid forum",
                "published": "2026-03-02",
                "html": page,
            }
        )
        store = Store.open(settings.database_url)
        import_jsonl([line.encode()], settings, store, load_taxonomy())
        path, total = write_digest(settings, date(2026, 3, 1), date(2026, 3, 31), NOW, keep_html=True)
        assert mirror.hits()["tracker"] == []
    assert total == 1
    html = path.with_suffix(".html").read_text()
    assert remote not in html and "file:///etc/passwd" not in html  # the text keeps no markup at all
    assert "Judges and lawyers discussed legal aid" in pdf_text(path)


def test_a_title_as_long_as_a_book_takes_a_few_lines_not_pages(settings) -> None:
    from monitor.crawling.ingest import import_jsonl

    title = "Supreme Court hosts legal aid forum " + "and the forum went on " * 5_000
    line = {
        "url": "https://odihr.osce.org/odihr/677778",
        "source": "osce_odihr",
        "title": title,
        "published": "2026-03-02",
        "text": "Judges and lawyers discussed legal aid for victims of domestic violence.",
    }
    store = Store.open(settings.database_url)
    import_jsonl([json.dumps(line).encode()], settings, store, load_taxonomy())
    path, total = write_digest(settings, date(2026, 3, 1), date(2026, 3, 31), NOW)
    assert total == 1
    text = pdf_text(path)
    assert "Supreme Court hosts legal aid forum and the forum went on" in text
    assert text.count("the forum went on") < 100 and len(pypdf.PdfReader(str(path)).pages) < 10
