"""End to end in a real browser (Debian's chromium, headless, driven by Selenium through Debian's
chromedriver): sign in, search a Russian word, open a story, crawl a source served by a mirror on
127.0.0.1 and watch the run finish, issue a digest, download its PDF and read its text back."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.demo.mirror import Mirror
from monitor.demo.run import demo_config
from monitor.reporting import ledger
from monitor.settings.config import Settings, load_settings
from monitor.storage.store import Store
from tests.sample_releases import RELEASES, store_releases
from tests.waiting import wait_for
from tests.web.conftest import PASSWORD, Served, add_user

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
        reason="needs Debian's chromium and chromium-driver (scripts/bootstrap.sh installs them)",
    ),
]


@pytest.fixture
def settings(monitor_home: Path, demo_mirror: Mirror) -> Settings:
    """Every source pointed at the mirror, and a weekly digest."""
    config = monitor_home.parent / "web.toml"
    config.write_text(
        demo_config(demo_mirror) + "\n[digests.weekly]\nrecipients = ['analyst@example.org']\n", encoding="utf-8"
    )
    return load_settings(config_path=config)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    yield driver
    driver.quit()


def test_an_analyst_searches_reads_crawls_and_downloads_a_digest(settings: Settings, served: Served, browser) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    # Pages reload themselves while a job runs: an element read during a reload is stale; read again.
    wait = WebDriverWait(driver, 120, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,))
    # The sample releases were stored an hour before the weekly digest's last period ended.
    store_releases(settings, RELEASES, settings.digest("weekly").last_boundary(datetime.now(UTC)) - timedelta(hours=1))
    add_user(settings, "operator@example.org", "operator")

    driver.get(served.url + "/stories")  # sent to sign in first
    assert "/login" in driver.current_url
    driver.find_element(By.NAME, "email").send_keys("operator@example.org")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(lambda d: d.current_url.endswith("/stories"))

    # "пробацией" is in no text; "пробации" is: the stems meet.
    box = driver.find_element(By.NAME, "q")
    box.send_keys("пробацией")
    box.submit()
    wait.until(lambda d: "matching" in d.find_element(By.CSS_SELECTOR, "p.count").text)
    results = driver.find_elements(By.CSS_SELECTOR, "ol.stories li.story h2 a")
    assert [a.text for a in results] == [RELEASES[1].title]

    results[0].click()
    wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == RELEASES[1].title)
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "from the meta" in page and "CANONICAL" in page.upper()

    # Crawl the Astana office (served by the mirror) and watch its run finish.
    driver.get(served.url + "/sources/osce_astana")
    driver.find_element(By.XPATH, "//button[normalize-space()='Crawl now']").click()
    flash = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "p.flash").text)
    run_id = re.search(r"osce_astana \(run (\d+)\)", flash)
    assert run_id, flash
    heading = f"Run {run_id.group(1)} · ok"

    def finished(d) -> bool:  # type: ignore[no-untyped-def]
        done = any(h.text.startswith(heading) for h in d.find_elements(By.CSS_SELECTOR, "section.run h3"))
        return done and not d.find_elements(By.CSS_SELECTOR, "meta[http-equiv=refresh]")  # the lease is let go too

    wait.until(finished)
    run = Store.open(settings.database_url).run(int(run_id.group(1)))
    assert run is not None and run.status == "ok" and run.new + run.updated > 0  # the sample overlaps the mirror
    shown = driver.find_element(By.CSS_SELECTOR, "section.run p.meta").text
    assert f"{run.pages} pages · {run.new} new · {run.updated} updated" in shown
    driver.get(served.url + "/stories?source=osce_astana")
    assert "Round table discusses the evaluation of judges" in driver.find_element(By.TAG_NAME, "main").text

    # Issue the weekly digest, open the issue and download its PDF.
    driver.get(served.url + "/digests")
    driver.find_element(By.XPATH, "//button[normalize-space()='Issue now']").click()
    issue = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "a[href^='/digests/'][href$='/pdf']"))
    issue[0].click()
    pdf = wait_for(lambda: next((p for p in driver.downloads.glob("*.pdf")), None), timeout=60)
    wait_for(lambda: not list(driver.downloads.glob("*.crdownload")), timeout=60)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = " ".join(
        subprocess.run([shutil.which("pdftotext") or "pdftotext", str(pdf), "-"], capture_output=True, text=True,
                       check=True).stdout.split()
    )  # fmt: skip
    # The issue's stories, as stored now (the crawl revised some sample releases from the mirror).
    store = Store.open(settings.database_url)
    (issue_row,) = ledger.runs(store)
    carried = [story.canonical.title for story in ledger.run_stories(store, issue_row.id)]
    assert carried and any(re.search("[а-яА-Я]", title) for title in carried)
    for title in carried:
        assert " ".join(title.split()) in text, title
