"""Reporting: what goes in a digest, its issues and the delivery ledger, rendering (HTML, PDF,
charts) and mail. Uses storage, understanding, settings and records, never crawling."""
