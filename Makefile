VENV ?= .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench setup

# Set-up runs only when the environment is missing or pyproject.toml changed.
$(STAMP): pyproject.toml scripts/bootstrap.sh
	VENV=$(VENV) bash scripts/bootstrap.sh

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/monitor demo

# The store, dedup, digest-delivery, scheduler, feeds and web (search, pages) tests run a second time on
# PostgreSQL, and the queue workers' tests (skipped on SQLite) run there only
# (a throwaway server on 127.0.0.1, installed and started by scripts/postgres.sh).
PG_TESTS := tests/integration/test_store.py tests/integration/test_store_worker.py \
	tests/integration/test_stories.py tests/integration/test_editions.py tests/integration/test_delivery.py \
	tests/integration/test_alerts.py tests/integration/test_faults.py tests/integration/test_scheduler.py \
	tests/hostile/test_imports.py tests/web/test_search.py tests/web/test_pages.py tests/integration/test_workers.py \
	tests/integration/test_subscribers.py tests/web/test_subscriptions.py tests/integration/test_channels.py \
	tests/integration/test_feeds.py tests/web/test_feeds.py tests/web/test_inputs.py

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/python -m pytest
	MONITOR_TEST_POSTGRES_URL="$$(bash scripts/postgres.sh)" $(VENV)/bin/python -m pytest --backend postgresql $(PG_TESTS)

bench: $(STAMP)
	$(VENV)/bin/python bench/crawl.py
	$(VENV)/bin/python bench/dedup.py
	$(VENV)/bin/python bench/digest.py
	$(VENV)/bin/python bench/hostile.py
	$(VENV)/bin/python bench/workers.py
