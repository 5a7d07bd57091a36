VENV ?= .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench setup

# Set-up runs only when the environment is missing or pyproject.toml changed.
$(STAMP): pyproject.toml scripts/bootstrap.sh
	VENV=$(VENV) bash scripts/bootstrap.sh

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/monitor demo

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python bench/crawl.py
	$(VENV)/bin/python bench/dedup.py
	$(VENV)/bin/python bench/digest.py
