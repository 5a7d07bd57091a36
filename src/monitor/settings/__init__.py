"""Settings: the config file, the sources, digest definitions and the shipped data files.
Uses only the records; every other stage reads its settings from here."""
