"""Releases and stories as plain JSON objects: what `monitor releases --json`, `monitor stories
--json` and the web view's API print, field for field the same."""

from __future__ import annotations

from monitor.reporting.selection import tag_values
from monitor.storage.engine import as_utc
from monitor.storage.models import ReleaseRow, StoryRow


def release_json(r: ReleaseRow) -> dict[str, object]:
    return {
        "id": r.id,
        "identity": r.identity,
        "source": r.source_key,
        "url": r.url,
        "canonical_url": r.canonical_url,
        "title": r.title,
        "lang": r.lang,
        "published": r.published.isoformat() if r.published else None,
        "published_provenance": r.published_provenance,
        "published_raw": r.published_raw,
        "event_date": r.event_date.isoformat() if r.event_date else None,
        "event_provenance": r.event_provenance,
        "dateline_place": r.dateline_place,
        "summary": r.summary,
        "text": r.text,
        "facets": r.facets,
        "captions": r.captions,
        "listing_only": r.listing_only,
        "duplicate_of": r.duplicate_of_id,
        "revisions": len(r.revisions),
        "tags": [{"kind": t.kind, "value": t.value, "evidence": t.evidence} for t in r.tags],
        "first_seen_at": as_utc(r.first_seen_at).isoformat(),  # SQLite's are naive: the offset is said
    }


def story_json(story: StoryRow) -> dict[str, object]:
    canonical = story.canonical
    releases = [member.release for member in story.members]
    published = canonical.published or as_utc(canonical.first_seen_at).date()
    return {
        "id": story.id,
        "title": canonical.title,
        "published": published.isoformat(),
        "topics": list(tag_values(releases, "topic")),
        "countries": list(tag_values(releases, "country")),
        "organisations": list(tag_values(releases, "organisation")),
        "canonical_url": canonical.canonical_url,
        "members": [
            {
                "url": member.release.canonical_url,
                "source": member.release.source_key,
                "title": member.release.title,
                "published": member.release.published.isoformat() if member.release.published else None,
                "relation": member.relation,
                "evidence": member.evidence,
            }
            for member in sorted(story.members, key=lambda m: (m.relation != "original", m.release_id))
        ],
    }
