"""Storage: the engine, models and migrations, the store and its writer, story filing, leases and
run records. Uses understanding (for the rules it applies), settings and records."""
