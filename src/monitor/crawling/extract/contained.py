"""PDF parsing where a bomb cannot take the crawl down: in a child process with CPU-time and
address-space limits (a page of scattered text runs costs pdfminer minutes; a small file can
inflate to gigabytes). A document over a limit is refused with the limit it hit."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Sequence

from monitor.crawling.extract.html import within_text_chars
from monitor.crawling.extract.pdf import PdfDocument, PdfError
from monitor.settings.limits import Limits

CHILD = "monitor.crawling.extract.pdf_child"


def extract_pdf_contained(
    body: bytes, drop_blocks: Sequence[str] = (), date_order: str = "DMY", limits: Limits | None = None
) -> PdfDocument:
    """extract_pdf in a limited child; PdfError says why a document gave nothing."""
    limits = limits or Limits()
    if len(body) > limits.pdf_bytes:
        raise PdfError(f"the PDF is {len(body):,} bytes, over the limit of {limits.pdf_bytes:,} (pdf_bytes)")
    options = {
        "seconds": limits.document_seconds, "mb": limits.document_mb, "pages": limits.pdf_pages,
        "drop_blocks": list(drop_blocks), "date_order": date_order,
    }  # fmt: skip
    try:
        child = subprocess.run(
            [sys.executable, "-m", CHILD, json.dumps(options)],
            input=body,
            capture_output=True,
            timeout=limits.document_seconds * 3 + 10,  # CPU time is the limit; this is for a stalled child
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PdfError(f"parsing the PDF did not end in {limits.document_seconds * 3 + 10:.0f} s") from None
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise PdfError(f"parsing the PDF took more than {limits.document_seconds:g} s of CPU (limit document_seconds)")
    try:
        result = json.loads(child.stdout)
    except ValueError:
        last = child.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {child.returncode}"]
        if "MemoryError" in last[0]:
            raise PdfError(f"parsing the PDF needed more than {limits.document_mb} MB (limit document_mb)") from None
        raise PdfError(f"parsing the PDF failed: {last[0][:300]}") from None
    if "error" in result:
        raise PdfError(result["error"])
    document = PdfDocument(
        title=result["title"],
        paragraphs=result["paragraphs"],
        dates=[tuple(d) for d in result["dates"]],
        notes=result["notes"],
    )
    document.paragraphs, over = within_text_chars(document.paragraphs, limits.text_chars)
    document.notes += [over] if over else []
    return document
