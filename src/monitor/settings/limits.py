"""How much of one document the monitor reads: scraped pages, feeds and PDFs are written by
strangers, so every input is bounded in bytes, pages, characters, nesting, links and time."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 256  # libxml2 reads no deeper


@dataclass(frozen=True)
class Limits:
    page_bytes: int = 5_000_000  # an HTML page, listing, feed or sitemap as downloaded
    pdf_bytes: int = 25_000_000  # a PDF as downloaded
    pdf_pages: int = 60  # pages of a PDF read (a press release has a few)
    text_chars: int = 200_000  # characters of text kept from one document
    depth: int = 256  # levels of markup nesting read (libxml2 reads no deeper); deeper content is dropped and reported
    links: int = 2_000  # links or entries taken from one listing, feed or sitemap page
    document_seconds: float = 20.0  # time to read one page, CPU time to parse one PDF
    document_mb: int = 512  # memory to parse one PDF

    def merged(self, overrides: Mapping[str, Any], where: str) -> Limits:
        """These limits with `overrides` (a [crawl.limits] or a source's limits table) applied."""
        known = {f.name: f.type for f in dataclasses.fields(self)}
        if unknown := set(overrides) - set(known):
            raise ValueError(f"{where}: unknown limit(s) {', '.join(sorted(unknown))}; known: {', '.join(known)}")
        values = {}
        for name, value in overrides.items():
            kind = float if known[name] in (float, "float") else int
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"{where}: limit {name} must be a positive number, not {value!r}")
            values[name] = kind(value)
        if values.get("depth", 0) > MAX_DEPTH:
            raise ValueError(f"{where}: limit depth can be at most {MAX_DEPTH} (the HTML parser reads no deeper)")
        return dataclasses.replace(self, **values)
