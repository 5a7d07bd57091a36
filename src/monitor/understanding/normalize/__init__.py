"""Turn a RawRelease into a Release: clean text, canonical URL, dated fields with provenance, language."""

from monitor.understanding.normalize.release import normalize_release

__all__ = ["normalize_release"]
