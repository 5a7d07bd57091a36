"""The Scrapy project: spiders fetch and parse; pipelines hand what they found to `monitor`."""
