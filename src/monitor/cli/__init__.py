"""The `monitor` command: one module per command group and a small main. Uses every stage; no
stage uses it."""
