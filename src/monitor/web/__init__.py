"""The web view and its JSON API: stories, sources, digests and status for analysts and operators."""
