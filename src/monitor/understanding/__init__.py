"""Understanding: normalizing releases, tokens, tags, fingerprints and the story rules, all pure
functions over records. Uses settings and records, never the database."""
