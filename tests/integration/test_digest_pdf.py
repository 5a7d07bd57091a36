"""Real WeasyPrint PDFs, read back with pypdf and pdftotext."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest

from monitor.classify import classify, load_taxonomy
from monitor.digest import DigestError
from monitor.jobs import write_digest
from monitor.mirror import serve
from monitor.normalize import normalize_release
from monitor.records import RawRelease
from monitor.render import refusing_fetcher, render_pdf
from monitor.store import Store

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
RELEASES = [
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/news/programme-office-astana/661564",
        native_id="661564",
        title="OSCE supports training for Kazakhstan police on domestic violence",
        text="Forty police officers in Astana were trained on the investigation of domestic violence and gender-based violence.",
        dates=[("meta", "2025-12-23")],
    ),
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/ru/node/663410",
        native_id="663410",
        title="ОБСЕ поддержала обсуждение реформы пробации в Казахстане",
        text="12 февраля 2026 года в Астане судьи и прокуроры обсудили реформу пробации и пенитенциарной системы.",
        dates=[("meta", "2026-02-16")],
    ),
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/kk/node/664002",
        native_id="664002",
        title="ЕҚЫҰ әйел судьяларға арналған тәлімгерлік бағдарламасын қолдады",
        text="Бағдарлама сот жүйесіндегі гендерлік теңдікті нығайтуға бағытталған. Әйел судьялар қатысты.",
        dates=[("meta", "2026-03-10")],
    ),
    RawRelease(
        source="osce_odihr",
        url="https://odihr.osce.org/odihr/666666",
        native_id="666666",
        title='Court <img src="file:///etc/passwd"> watch & "legal aid" <script>alert(1)</script>',
        text='Judges discussed legal aid. <img src="http://127.0.0.1:1/tracker.png"> The supreme court agreed.',
        dates=[("meta", "2026-03-20")],
    ),
    RawRelease(
        source="osce_astana",
        url="https://astana.osce.org/news/x/665100",
        native_id="665100",
        title="Workshop on energy efficiency",
        text="Engineers discussed energy audits of schools in Almaty.",
        dates=[("meta", "2026-03-21")],
    ),
]


@pytest.fixture
def digest_pdf(settings) -> tuple[Path, int]:
    store = Store.open(settings.database_url)
    taxonomy = load_taxonomy()
    with store.session() as session:
        for raw in RELEASES:
            release = normalize_release(raw, settings.sources[raw.source], {}, NOW.date())
            store.upsert(session, release, classify(release, taxonomy), NOW)
        session.commit()
    return write_digest(settings, date(2025, 12, 1), date(2026, 3, 31), NOW, keep_html=True)


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def bookmarks(outline: list) -> list[str]:
    titles = []
    for item in outline:
        titles.extend(bookmarks(item) if isinstance(item, list) else [item.title])
    return titles


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
    assert {"Judicial and justice reform (3)", "Gender equality (1)"} <= set(bookmarks(reader.outline))


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


def test_weasyprint_fetches_nothing_a_document_references(tmp_path: Path) -> None:
    site = tmp_path / "site" / "tracker"
    site.mkdir(parents=True)
    (site / "routes.json").write_text('{"/pixel.png": {"file": "", "status": 200, "type": "image/png"}}')
    with serve(tmp_path / "site") as mirror:
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
    from monitor.ingest import import_jsonl
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
