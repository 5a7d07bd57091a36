"""The offline demo: a mirror of both OSCE site generations served on 127.0.0.1."""
