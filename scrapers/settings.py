"""Scrapy settings. Politeness defaults come from the monitor's config ([crawl] table), so that
`scrapy crawl osce -a source=KEY` run by hand behaves like a scheduled crawl."""

from scrapy.settings.default_settings import EXTENSIONS_BASE as _SCRAPY_EXTENSIONS

from monitor.settings.config import load_settings

_monitor = load_settings()

BOT_NAME = "press-monitor"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

USER_AGENT = f"{_monitor.crawl.user_agent} contact: {_monitor.crawl.contact}"
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.14's remote control runs Python code sent to a local HTTP port: a crawl of untrusted
# pages has no use for it. Off, and out of Scrapy's own extension list: Scrapy imports every
# listed extension, even one set to None, and this one costs each crawl process aiohttp (0.1 s).
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {path: order for path, order in _SCRAPY_EXTENSIONS.items() if not path.endswith(".RemoteControl")}
DOWNLOAD_DELAY = _monitor.crawl.download_delay
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%, so requests do not beat in step
CONCURRENT_REQUESTS_PER_DOMAIN = _monitor.crawl.concurrent_per_domain
AUTOTHROTTLE_ENABLED = _monitor.crawl.autothrottle
AUTOTHROTTLE_START_DELAY = max(_monitor.crawl.download_delay, 1.0)
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

SPIDER_MIDDLEWARES = {"scrapers.middlewares.ProblemsMiddleware": 900}
DOWNLOADER_MIDDLEWARES = {
    # Above RetryMiddleware (550), so a 429/503 with Retry-After is seen before a plain retry.
    "scrapers.middlewares.RetryAfterMiddleware": 560,
    "scrapers.middlewares.ConditionalRequestMiddleware": 580,
    # Above RedirectMiddleware (600): sees a redirect first and keeps it from leaving the source.
    "scrapers.middlewares.OffsiteRedirectMiddleware": 650,
}
ITEM_PIPELINES = {"scrapers.pipelines.StorePipeline": 300}
EXTENSIONS = {"scrapers.extensions.ParentWatch": 500}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Scrapy starts this many asyncio workers for every response's output; our callbacks yield a
# handful of items and the store pipeline is synchronous, so the default of 100 is pure overhead.
CONCURRENT_ITEMS = 4
# Scrapy reads every callback's source with `ast` to warn about generators that return values;
# ours never do, and the check costs a crawl process a noticeable share of its start.
WARN_ON_GENERATOR_RETURN_VALUE = False
