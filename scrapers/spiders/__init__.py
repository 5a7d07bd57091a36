"""One spider per source family; the source itself (URLs, kind, patterns) comes from the config."""
