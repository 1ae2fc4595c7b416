"""A reader in a real browser: Debian's chromium driven by Playwright, on the built site served locally.

Home → an actor → an agreement by clicking links; the search box finds a record; no request leaves
the site's own host. Screenshots go to test-results/ for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-results"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed: scripts/test.sh installs it"
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []  # every URL the page asked for
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def heading(page) -> str:
    """The page's h1 without the permalink sign the toc extension appends."""
    return page.locator("h1").first.inner_text().rstrip("¶").strip()


def only_local(requests: list[str], site_url: str) -> list[str]:
    own = urlparse(site_url).netloc
    return [u for u in requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != own]


def test_home_to_actor_to_agreement_by_clicking(page, site_url):
    SHOTS.mkdir(exist_ok=True)
    page.goto(site_url + "/")
    page.wait_for_load_state("networkidle")
    assert "Tokayev" in page.title() or "Tokayev" in heading(page)
    page.screenshot(path=str(SHOTS / "home.png"), full_page=False)

    # Home → Kazakhstan (a party in the "What was signed" table)
    page.locator("article").get_by_role("link", name="Kazakhstan", exact=True).first.click()
    page.wait_for_url("**/actors/kazakhstan/")
    assert heading(page) == "Kazakhstan"
    page.screenshot(path=str(SHOTS / "actor.png"), full_page=False)

    # Actor → the declaration it is party to
    page.locator("article a[href*='agreements/joint-declaration-strategic-partnership']").first.click()
    page.wait_for_url("**/agreements/joint-declaration-strategic-partnership/")
    assert "Joint Declaration" in heading(page)
    # the agreement links back to its parties
    assert page.locator("article a[href*='actors/kazakhstan/']").count() >= 1
    assert page.locator("article a[href*='actors/pakistan/']").count() >= 1
    page.screenshot(path=str(SHOTS / "agreement.png"), full_page=True)

    assert only_local(page.requests, site_url) == []


def test_search_finds_a_record(page, site_url):
    page.goto(site_url + "/")
    query = page.locator("input.md-search__input")
    query.click()
    query.fill("Falcon EuroBus")
    result = page.locator(".md-search-result__item a[href*='actors/falcon-eurobus']").first
    result.wait_for(timeout=15000)
    page.screenshot(path=str(SHOTS / "search.png"))
    result.click()
    page.wait_for_url("**/actors/falcon-eurobus/**")
    assert heading(page) == "Falcon EuroBus"
    assert only_local(page.requests, site_url) == []


def test_a_claim_anchor_from_a_briefing_lands_on_the_claim(page, site_url, real_kb):
    claim = next(c for c in real_kb.all("claim") if c.question == "trade-baseline")
    page.goto(f"{site_url}/questions/trade-baseline/#{claim.id}")
    target = page.locator(f"[id='{claim.id}']")
    assert target.count() == 1
    assert target.is_visible()
    assert claim.id in page.url
    page.screenshot(path=str(SHOTS / "question.png"), full_page=True)
    assert only_local(page.requests, site_url) == []
