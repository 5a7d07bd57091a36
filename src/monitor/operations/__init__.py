"""Operations: the jobs that crawl and issue digests, the scheduler, alerts and status. Uses
crawling, reporting and every stage below them."""
