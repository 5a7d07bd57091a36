"""Crawling: extraction of pages, listings, feeds and PDFs, the crawl runner, the store worker
beside each crawl, imports and source checks. Uses storage, understanding, settings and records."""
