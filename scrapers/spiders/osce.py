"""The OSCE family: the old www.osce.org newsroom (Solr listings), the new per-structure sites
(astana., bishkek., odihr., www.) and the OSCE news feed. The node id is the stable key."""

from scrapers.spiders.base import ReleaseSpider


class OsceSpider(ReleaseSpider):
    name = "osce"
