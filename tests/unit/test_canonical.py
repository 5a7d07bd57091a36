"""Which release heads a story: pure rules over candidates."""

from __future__ import annotations

from datetime import date

from monitor.understanding.similarity import Fingerprints
from monitor.understanding.stories import Candidate, canonical_of

EMPTY = Fingerprints(None, None, None, frozenset(), frozenset(), frozenset())


def candidate(release_id: int, day: date, *, syndication: bool = False, document: bool = False) -> Candidate:
    return Candidate(release_id, None, "en", None, f"h{release_id}", False, None, syndication, day, EMPTY, document)


def test_the_original_beats_an_aggregator_then_the_earliest_then_a_document() -> None:
    web_page = candidate(1, date(2024, 11, 21))
    pdf_release = candidate(2, date(2024, 11, 21), document=True)
    aggregator_pdf = candidate(3, date(2024, 11, 20), syndication=True, document=True)
    earlier_page = candidate(4, date(2024, 11, 19))
    assert canonical_of([web_page, pdf_release]) is pdf_release  # same day: the press-release document
    assert canonical_of([web_page, pdf_release, aggregator_pdf]) is pdf_release  # never an aggregator
    assert canonical_of([web_page, pdf_release, earlier_page]) is earlier_page  # the earliest first
    assert canonical_of([web_page, candidate(5, date(2024, 11, 21))]) is web_page  # then the first stored
