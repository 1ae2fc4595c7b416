"""Search as a reader uses it: typing into the search box of the built site in Debian's chromium,
served over http (Pagefind) and opened from its folder over file:// (MiniSearch over the
single-file index), with the same expectations in both (issue 11).

* Words are found whatever surrounds or spells them: a word right after an opening quotation
  mark or bracket, an amount typed with its currency sign or magnitude, an accent typed or not,
  a query typed in a decomposed Unicode form.
* The record a query names comes first, its claims after it.
* Cite this, References and the furniture repeated on every page are not indexed.
* A page view loads no index served; a query stays within its budget.

Every expected page is read from the model or the data, never a literal count; the queries are
those of issue 11 plus the kind they stand for.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import BUSY_MS, ROOT, needs_chromium, new_context, plain, serve_folder

pytestmark = needs_chromium

SHOTS = ROOT / "test-results"

# Query -> the page (path under the site) that must come first. The record a query names.
RECORD_FIRST = {
    "Gwadar": "places/gwadar.html",
    "Falcon EuroBus": "actors/falcon-eurobus.html",
    "Khalid Mahmood": "actors/khalid-mahmood.html",
    "Mövenpick": "places/movenpick-hotel-islamabad.html",
    "Movenpick": "places/movenpick-hotel-islamabad.html",
    "movenpick hotel": "places/movenpick-hotel-islamabad.html",
    # the same query in the decomposed form (o + U+0308), as some keyboards and pastes give it
    unicodedata.normalize("NFD", "Mövenpick"): "places/movenpick-hotel-islamabad.html",
    # a record's id, as copied from an address: its title does not hold "package" (a new editor's trial)
    "visit-agreements-package": "agreements/visit-agreements-package.html",
    # a spelling no source uses, given as the record's `spellings` (a reader's trial: "Tokaev" found
    # only the guide for editors)
    "Tokaev": "actors/kassym-jomart-tokayev.html",
    "Shahbaz Sharif": "actors/shehbaz-sharif.html",
    # an author's name finds the author first, not the claim pages that name the source (a new user's
    # trial found a new author's source 4th; tests/test_generate.py checks what claim pages index)
    "Nadeem Faisal Baiga": "actors/nadeem-faisal-baiga.html",
}

# Query -> a word every page found must contain somewhere (its text, as read by the reader): words
# that, in the data, follow an opening quotation mark or bracket, and amounts in every spelling.
FOUND_IN_TEXT = {
    "Kazakhstani": "kazakhstani",
    "seamless": "seamless",
    "pledging": "pledging",
    "guaranteeing": "guaranteeing",
    "$108": "108",
    "US$108": "108",
    "108": "108",
    "108 million": "108",
    "$1.7": "1.7",
    "1.7 billion": "1.7",
    "1.7bn": "1.7",
    "“seamless”": "seamless",
    "(pledging)": "pledging",
}

# Query -> the amount (a regular expression over the page's text: NFKC, lower case, thousands
# separators removed) that each of the first three pages found must hold. "1 billion" is searched as
# "1" (see normaliseQuery), which most pages hold: "Visit day 1" came first, and from file:// no page
# of the trade target was among the first eight.
BILLION = r"(?<![\d.])(?:1\s*(?:b|bn|billion)\b|1000000000(?!\d))"
AMOUNT_FIRST = {"$1 billion": BILLION, "1 billion": BILLION, "US$1bn": BILLION}

# Query -> no result: words that occur only in Cite this (BibTeX, CSL-JSON) or References.
NOTHING = ["howpublished", "crossref"]


@pytest.fixture(scope="module")
def served(built_site: Path):
    with serve_folder(built_site) as url:
        yield url


PLACEHOLDER = "Type to start searching"  # Material's line while the box is empty


def _type(page, query: str) -> None:
    """Put `query` in the search box and release a key, as Material reads the box on key-up."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")


class Searcher:
    """One page with its search box open (the index is loaded once per mode); each query is typed
    after emptying the box, and its results are read once they have replaced the empty box's."""

    def __init__(self, browser, start: str, root: str, mode: str) -> None:
        self.context = new_context(browser, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.root, self.mode, self.start = root, mode, start
        self.page.goto(start)
        self.page.locator("input.md-search__input").click()  # file://: the index loads when search opens

    def __call__(self, query: str) -> list[str]:
        """Paths (relative to the site) of the result pages, in order."""
        return results(self.page, self.root, query)


def results(page, root: str, query: str) -> list[str]:
    """Type `query` into the open search box of `page` after emptying it; the paths (relative to
    the site at `root`) of the result pages, in order, once they have replaced the empty box's."""
    _type(page, "")
    page.wait_for_function(
        "t => document.querySelector('.md-search-result__meta').textContent.trim() === t",
        arg=PLACEHOLDER, timeout=BUSY_MS,
    )
    _type(page, query)
    # The worker answers queries in order, so the first answer after the empty box's is this one.
    page.wait_for_function(
        "t => { const m = document.querySelector('.md-search-result__meta').textContent.trim();"
        "       return m !== t && /matching/i.test(m); }",
        arg=PLACEHOLDER, timeout=BUSY_MS,
    )
    hrefs = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
        "els => els.map(e => e.href)"
    )
    return [_site_path(urlparse(h).path, root) for h in hrefs]


def _site_path(href_path: str, root: str) -> str:
    return href_path[len(root):].lstrip("/") if href_path.startswith(root) else href_path.lstrip("/")


@pytest.fixture(scope="module", params=["served", "file"])
def search(request, browser, built_site):
    """search(query) -> paths of the result pages in order, relative to the site."""
    if request.param == "served":
        base = request.getfixturevalue("served")
        searcher = Searcher(browser, base + "/index.html", "", "served")
    else:
        searcher = Searcher(browser, built_site.joinpath("index.html").as_uri(),
                            urlparse(built_site.as_uri()).path, "file")
    yield searcher
    searcher.context.close()


# The checks, shared by both engines' searches (a searcher: query -> result paths; `.mode`).

def check_record_first(search, query: str) -> None:
    pages = search(query)
    assert pages, f"{search.mode}: {query!r} found nothing"
    assert pages[0] == RECORD_FIRST[query], f"{search.mode}: {query!r} -> {pages[:5]}"


def check_found_in_text(search, site: Path, query: str) -> None:
    """Each of the first five results holds the word the query stands for (NFKC, lower case)."""
    pages = search(query)
    assert pages, f"{search.mode}: {query!r} found nothing"
    word = FOUND_IN_TEXT[query]
    for path in pages[:5]:
        html = (site / path).read_text(encoding="utf-8")
        assert word in unicodedata.normalize("NFKC", html).lower(), f"{query!r} -> {path} without {word!r}"


def check_amount_first(search, site: Path, query: str) -> None:
    pages = search(query)
    assert pages, f"{search.mode}: {query!r} found nothing"
    for path in pages[:3]:
        text = re.sub(r"<[^>]*>", " ", unicodedata.normalize("NFKC", (site / path).read_text(encoding="utf-8")).lower())
        text = re.sub(r"(\d),(?=\d{3}(?!\d))", r"\1", text)
        assert re.search(AMOUNT_FIRST[query], text), f"{search.mode}: {query!r} -> {pages[:5]}: {path} without the amount"


def source_queries(kb) -> list[tuple[str, str]]:
    """(query, the source's page) for every current source: its author's surname and the short
    name the data gives it (without "the"), whatever sources the data holds."""
    from kb.model import _surname

    out = []
    for source in kb.current("source"):
        record = source.record
        if record.author:
            out.append((_surname(record.author), source.url))
        if record.short_name:
            out.append((re.sub(r"^the\s+", "", record.short_name, flags=re.I), source.url))
    return out


def check_source_near_top(search, kb) -> None:
    """Two readers searched an author's name ("Javaid", "Baiga") for the article and did not find
    it in the first ten results: the author's page, events and every claim naming them came first.
    A source's page comes among the first three for its author's surname and its short name."""
    queries = source_queries(kb)
    assert queries, "no source has an author or a short name to search for"
    for query, url in queries:
        pages = search(query)
        assert url in pages[:3], f"{search.mode}: {query!r} -> {pages[:6]}"


def check_finds_nothing(search, query: str) -> None:
    pages = search(query)
    assert pages == [], f"{search.mode}: {query!r} -> {pages[:5]}"


def test_a_source_is_found_by_its_authors_name_and_its_short_name(search, real_kb):
    check_source_near_top(search, real_kb)


def test_a_query_that_arrives_without_a_key_is_searched(search):
    """A query pasted with the mouse or dropped into the box (no key pressed) stayed unsearched:
    Material searches on key-up (a new user's trial, served). The partial passes each input on."""
    query = next(iter(RECORD_FIRST))
    page = search.page
    _type(page, "")
    page.wait_for_function(
        "t => document.querySelector('.md-search-result__meta').textContent.trim() === t",
        arg=PLACEHOLDER, timeout=BUSY_MS,
    )
    page.locator("input.md-search__input").focus()
    page.keyboard.insert_text(query)  # an input event and no key event, as a paste with the mouse
    page.wait_for_function(
        "() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=BUSY_MS,
    )
    first = page.locator(".md-search-result__item > a.md-search-result__link").first.get_attribute("href")
    assert first and urlparse(first).path.endswith("/" + RECORD_FIRST[query]), (search.mode, first)


@pytest.mark.parametrize("query", ["Gwadar", "1 billion"])
def test_enter_opens_the_first_result_and_marks_the_query_s_words(search, query):
    """A reader pressed Enter after "Gwadar", served, and landed on a claim, not on the place
    listed first: Material's box opens the result with the highest score, and the scores were
    Pagefind's before the worker ordered the list. And "1 billion" opened its page marking every
    "1" on it (footnote numbers included), with "billion" not marked at all."""
    page = search.context.new_page()
    try:
        page.goto(search.start)
        page.locator("input.md-search__input").click()
        listed = results(page, search.root, query)
        assert listed, f"{search.mode}: {query!r} found nothing"
        page.locator("input.md-search__input").press("Enter")
        page.wait_for_url(lambda url: _site_path(urlparse(url).path, search.root) != "index.html", timeout=BUSY_MS)
        opened = urlparse(page.url)
        assert _site_path(opened.path, search.root) == listed[0], (search.mode, query, page.url, listed[:3])
        marked = parse_qs(opened.query).get("h", [""])[0].split()
        expected = [w for w in query.split() if len(w) > 1]
        assert sorted(marked) == sorted(expected), (search.mode, query, page.url)
    finally:
        page.close()


# Holds the search worker's answers while window.__hold is true, until window.__release(): the
# results then come after what the test did, whatever the machine's speed.
# From file://, the theme's iframe-worker shim replaces window.Worker: the one it sets is wrapped too.
HOLD_ANSWERS = """(() => {
  let Current = window.Worker;
  window.__hold = false; window.__held = [];
  const held = Real => function (...args) {
    const worker = new Real(...args), add = worker.addEventListener.bind(worker);
    worker.addEventListener = (type, listener, ...rest) => add(type, type !== "message" ? listener : event => {
      if (window.__hold) window.__held.push(() => listener.call(worker, event)); else listener.call(worker, event);
    }, ...rest);
    return worker;
  };
  Object.defineProperty(window, "Worker", { configurable: true, get: () => held(Current), set: value => { Current = value } });
  window.__release = () => { window.__hold = false; window.__held.splice(0).forEach(f => f()); };
})()"""


def test_enter_typed_before_the_results_opens_the_first_when_they_come(search):
    """A reader typed a query and pressed Enter at once, while the index was still loading: nothing
    happened (the theme opens the best result listed, and none was yet). Enter typed before the
    results opens the first of them when they come (docs/assets/keyboard.js)."""
    query = "Gwadar"
    listed = search(query)
    assert listed, f"{search.mode}: {query!r} found nothing"
    page = search.context.new_page()
    try:
        page.add_init_script(HOLD_ANSWERS)
        page.goto(search.start)
        page.locator("input.md-search__input").click()
        page.evaluate("window.__hold = true")
        _type(page, query)
        page.locator("input.md-search__input").press("Enter")
        # the answer is held: no result is listed, and Enter has opened nothing yet
        assert page.evaluate("document.querySelectorAll('.md-search-result__list a[href]').length") == 0
        assert _site_path(urlparse(page.url).path, search.root) == "index.html"
        page.evaluate("window.__release()")
        page.wait_for_url(lambda url: _site_path(urlparse(url).path, search.root) != "index.html", timeout=BUSY_MS)
        assert _site_path(urlparse(page.url).path, search.root) == listed[0], (search.mode, page.url, listed[:3])
    finally:
        page.close()


@pytest.mark.parametrize("query", list(RECORD_FIRST))
def test_the_record_a_query_names_comes_first(search, query):
    check_record_first(search, query)


@pytest.mark.parametrize("query", list(FOUND_IN_TEXT))
def test_words_are_found_whatever_surrounds_or_spells_them(search, built_site, query):
    check_found_in_text(search, built_site, query)


@pytest.mark.parametrize("query", list(AMOUNT_FIRST))
def test_an_amount_finds_the_pages_that_hold_it_first(search, built_site, query):
    check_amount_first(search, built_site, query)


@pytest.mark.parametrize("query", NOTHING)
def test_citation_blocks_and_references_are_not_indexed(search, query):
    check_finds_nothing(search, query)


# ----------------------------------------------------------------------------- shards


def test_pages_are_cut_into_shards_in_order():
    import site_search

    pages = [f"p{i:03}.html" for i in range(7)]
    assert site_search.shards(pages, 3) == [pages[0:3], pages[3:6], pages[6:7]]
    assert site_search.shards(pages, 7) == [pages]
    assert site_search.shards([], 3) == [[]]


def test_a_pagefind_run_cut_short_by_a_new_build_is_not_reported_as_a_failure(monkeypatch):
    """Saves a few seconds apart printed "Pagefind failed to index the site (is pagefind
    installed?)" (a new user's trial): the server had begun the next build, which cleans the site
    Pagefind was reading. Such a run is dropped quietly (that build asks for its own); a failure
    with no build begun is still reported, and the install hint is kept for a missing module."""
    import queue
    import threading

    import site_search

    lines: "queue.Queue[tuple[str, str]]" = queue.Queue()

    class Log:
        def warning(self, fmt, *args):
            lines.put(("warning", fmt % args))

        def info(self, fmt, *args):
            lines.put(("info", fmt % args))

    running, release, finished = threading.Event(), threading.Event(), threading.Event()
    outcomes = iter([RuntimeError("site emptied"), RuntimeError("broken"), None])

    def fake(site):
        running.set()
        assert release.wait(10)
        release.clear()
        outcome = next(outcomes)
        finished.set()
        if outcome:
            raise outcome

    monkeypatch.setattr(site_search, "run_pagefind", fake)
    search = site_search.Background(Log())
    seen = []
    for begin_build in (True, False, False):  # one run at a time: a request during a run folds
        running.clear()
        finished.clear()
        search.request(Path("site"))
        assert running.wait(10)
        if begin_build:
            search.building()  # the next build starts while Pagefind reads the site
        release.set()
        assert finished.wait(10)
        if not begin_build:
            seen.append(lines.get(timeout=10))
    assert seen[0] == ("warning", "search: broken"), seen
    assert seen[1][0] == "info" and seen[1][1].startswith("search: Pagefind index written"), seen
    assert lines.empty(), lines.get()  # the run a build cut short said nothing

    done = subprocess.CompletedProcess([], 1, "", "/usr/bin/python: No module named pagefind\n")
    monkeypatch.setattr(site_search.subprocess, "run", lambda *a, **k: done)
    with pytest.raises(RuntimeError, match="is `pagefind.extended.` from requirements.txt installed"):
        site_search._pagefind(Path("site"), Path("bundle"))
    monkeypatch.setattr(site_search.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess([], 1, "", "empty\n"))
    with pytest.raises(RuntimeError) as failed:
        site_search._pagefind(Path("site"), Path("bundle"))
    assert "installed" not in str(failed.value)


def test_a_site_indexed_in_shards_finds_the_pages_of_every_shard(browser, built_site, real_kb, tmp_path):
    """A site bigger than one shard (site_search.SHARD_PAGES; here the real site cut into three) is
    indexed shard by shard and merged by the worker: a record's name finds its page whatever shard
    holds it, first when the name is the record's alone, and what stays out of the index stays out."""
    import site_search

    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
    pages = site_search.pages_to_index(site)
    size = len(pages) // 3 + 1
    assert site_search.run_pagefind(site, shard_pages=size) == 3
    others = json.loads((site / "pagefind" / site_search.SHARDS_FILE).read_text(encoding="utf-8"))
    assert others == ["shard-2/", "shard-3/"]
    assert all((site / "pagefind" / shard / "pagefind.js").is_file() for shard in others)
    names = [n.name for n in real_kb.nodes.values()]
    wanted = {}  # per shard: a record page whose name no other record has
    for number, part in enumerate(site_search.shards(pages, size), start=1):
        for node in real_kb.nodes.values():
            rel = f"{node.type.plural}/{node.id}.html"
            if rel in part and names.count(node.name) == 1:
                wanted[number] = (node.name, rel)
                break
    assert sorted(wanted) == [1, 2, 3]
    with serve_folder(site) as url:
        searcher = Searcher(browser, url + "/index.html", "", "served")
        try:
            for name, rel in wanted.values():
                assert rel in searcher(name), (name, rel)
            for query, first in list(RECORD_FIRST.items())[:3]:
                assert searcher(query)[:1] == [first], query
            assert searcher(NOTHING[0]) == []
        finally:
            searcher.context.close()


# ----------------------------------------------------------------------------- weight and wiring

SEARCH_PATHS = ("/search/", "/assets/search/", "/assets/vendor/minisearch/", "/pagefind/")
BUDGET_BYTES = 1_000_000  # issue 11: search may load at most 1 MB for a page view on the real site


def test_a_page_view_and_a_query_stay_within_the_search_budget(browser, served):
    """Served, a page view loads no index (the box's search_index.json has no documents); the
    first query loads Pagefind's runtime, the index chunks for its words and one fragment per
    result listed. Their sum stays within the budget. Bytes are those the server sent."""
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    loaded: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: loaded.append((urlparse(r.url).path, r.sizes()["responseBodySize"])))
    page.goto(served + "/places/gwadar.html")
    page.wait_for_load_state("networkidle")
    on_view = sum(size for path, size in loaded if path.startswith(SEARCH_PATHS))
    page.locator("input.md-search__input").click()
    pages = results(page, "", "Kazakhstan")  # a word on most pages: the most fragments a query loads
    page.wait_for_load_state("networkidle")
    total = sum(size for path, size in loaded if path.startswith(SEARCH_PATHS))
    print(f"search bytes: page view {on_view}, page view + first query {total}, {len(pages)} results")
    context.close()
    assert pages
    assert on_view < 20_000, f"a page view loaded {on_view} bytes of search"
    assert total <= BUDGET_BYTES, f"a page view and one query loaded {total} bytes of search"


def check_pages_run_the_sites_worker(site: Path) -> None:
    """The theme's configuration on a few pages names our worker (scripts/overrides/main.html), and it is there."""
    for path in ("index.html", "places/gwadar.html", "views/disagreements.html"):
        html = (site / path).read_text(encoding="utf-8")
        config = json.loads(html.split('<script id="__config" type="application/json">')[1].split("</script>")[0])
        assert config["search"].endswith("assets/search/worker.js"), (path, config["search"])
    assert (site / "assets" / "search" / "worker.js").is_file()


def test_the_search_box_runs_the_sites_worker(built_site):
    """Every page hands Material's box our worker, never lunr's."""
    check_pages_run_the_sites_worker(built_site)
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    # served, the box fetches this on every page view: configuration only, no documents
    assert json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []
    assert "howpublished" not in (built_site / "search" / "search_index.js").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ under Zensical
#
# Zensical's dialog (drawn by its script in a shadow root, which Playwright's selectors enter) runs
# the same worker (scripts/overrides/main.html), over Zensical's own index: MiniSearch, served
# and from file://, with the same folding and ranking. A representative subset of the queries
# above: the record first (an accent typed, left out, decomposed; two words), a word after an
# opening quotation mark or bracket, amounts in three spellings, and what is not indexed.
# (Served, Zensical's script loads its whole index, search.json, with every page: the budget
# above is Material's and Pagefind's; see README, "Two engines".)

ZENSICAL_RECORD_FIRST = ["Mövenpick", "Movenpick", unicodedata.normalize("NFD", "Mövenpick"), "Falcon EuroBus", "Gwadar"]
ZENSICAL_FOUND_IN_TEXT = ["“seamless”", "(pledging)", "US$108", "108 million", "1.7bn"]

# The dialog says "No results" as soon as a word is typed, before any answer, so the worker's
# answers are watched instead: each names the query it answers (`input`), kept here as
# window.__kbAnswered by a wrapper around whichever Worker the page constructs (the browser's, or
# the iframe-worker shim's from file://, which the shim assigns to window.Worker).
_WATCH_ANSWERS = """(() => {
  const wrap = W => W && class extends W {
    constructor(...args) {
      super(...args)
      this.addEventListener("message", e => { if (e.data && e.data.type === 3) window.__kbAnswered = e.data.data.input })
    }
  }
  let current = wrap(window.Worker)
  Object.defineProperty(window, "Worker", { configurable: true, get: () => current, set: W => { current = wrap(W) } })
})()"""
# The answer to `q` shown: its result links (none when the live line says "No results").
_SHOWN = """q => {
  if (window.__kbAnswered !== q) return null
  const host = [...document.body.children].find(e => e.shadowRoot)
  const status = host.shadowRoot.querySelector("[role=status][aria-live]").textContent.trim()
  const hrefs = [...host.shadowRoot.querySelectorAll("a[role=option]")].map(a => a.href)
  if (q === "") return status === "" && hrefs.length === 0 && []
  if (status === "No results") return hrefs.length === 0 && []
  return /results?$/.test(status) && hrefs.length > 0 && hrefs
}"""


class ZensicalSearcher:
    """One page with Zensical's search dialog open; each query is typed after emptying the box."""

    def __init__(self, browser, start: str, root: str, mode: str) -> None:
        self.context = new_context(browser, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.root, self.mode = root, mode
        self.context.add_init_script(_WATCH_ANSWERS)
        self.page.goto(start)
        self.page.locator(".md-search__button").click()

    def __call__(self, query: str) -> list[str]:
        """Paths (relative to the site) of the result pages, in order, each once."""
        box = self.page.locator("dialog input[role=combobox]")
        for typed in ("", query):
            box.fill(typed)
            hrefs = self.page.wait_for_function(_SHOWN, arg=typed, timeout=BUSY_MS).json_value()
        return list(dict.fromkeys(_site_path(urlparse(h).path, self.root) for h in hrefs))


@pytest.fixture(scope="module", params=["served", "file"])
def zensical_search(request, browser, zensical_site):
    if request.param == "served":
        with serve_folder(zensical_site) as url:
            searcher = ZensicalSearcher(browser, url + "/index.html", "", "served")
            yield searcher
    else:
        searcher = ZensicalSearcher(browser, zensical_site.joinpath("index.html").as_uri(),
                                    urlparse(zensical_site.as_uri()).path, "file")
        yield searcher
    searcher.context.close()


@pytest.mark.parametrize("query", ZENSICAL_RECORD_FIRST)
def test_zensical_the_record_a_query_names_comes_first(zensical_search, query):
    check_record_first(zensical_search, query)


@pytest.mark.parametrize("query", ZENSICAL_FOUND_IN_TEXT)
def test_zensical_words_are_found_whatever_surrounds_or_spells_them(zensical_search, zensical_site, query):
    check_found_in_text(zensical_search, zensical_site, query)


@pytest.mark.parametrize("query", ["$1 billion"])
def test_zensical_an_amount_finds_the_pages_that_hold_it_first(zensical_search, zensical_site, query):
    check_amount_first(zensical_search, zensical_site, query)


def test_zensical_a_source_is_found_by_its_authors_name_and_its_short_name(zensical_search, real_kb):
    check_source_near_top(zensical_search, real_kb)


@pytest.mark.parametrize("query", NOTHING)
def test_zensical_citation_blocks_and_references_are_not_indexed(zensical_search, query):
    check_finds_nothing(zensical_search, query)


def test_zensicals_dialog_runs_the_sites_worker(zensical_site):
    """Every page hands Zensical's dialog our worker, never Zensical's."""
    check_pages_run_the_sites_worker(zensical_site)
    assert "howpublished" not in (zensical_site / "search.json").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the folding itself

# Query -> the words both engines are given (docs/assets/search/text.js normaliseQuery, folded).
NORMALISED = {
    "$108": ["108"], "US$108": ["108"], "USD 250 million": ["250"], "Rs. 500": ["500"], "€5m": ["5"],
    "9.3bn": ["9.3"], "1.7 billion": ["1.7"], "1,200,000": ["1200000"],
    "“seamless”": ["seamless"], "«seamless»": ["seamless"], "(pledging)": ["pledging"], "[Kazakhstani]": ["kazakhstani"],
    "Karachi-Gwadar": ["karachi", "gwadar"], "Aktau–Karachi": ["aktau", "karachi"], "2024-25": ["2024", "25"],
    "Mövenpick": ["movenpick"], unicodedata.normalize("NFD", "Mövenpick"): ["movenpick"], "ＭＯＶＥＮＰＩＣＫ": ["movenpick"],
    "ﬁnance": ["finance"], "Pakistan’s": ["pakistan's"], "Pakistan's": ["pakistan's"], "in 2024": ["in", "2024"],
}


NEEDS_NODE = pytest.mark.skipif(shutil.which("node") is None,
                                reason="node is not installed (scripts/test.sh installs npm, which brings it)")


def run_in_node(script: str, expression: str, cases):
    """``expression`` (JavaScript, over ``w``: the module docs/assets/search/<script> exports, and
    ``cases``: the JSON of ``cases``) computed by node: its value, read back from JSON."""
    path = ROOT / "docs" / "assets" / "search" / script
    program = (
        "global.addEventListener = () => {}; global.self = {location: {href: 'http://localhost/'}};"
        f"const w = require({json.dumps(str(path))});"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"console.log(JSON.stringify({expression}));"
    )
    done = subprocess.run(["node", "-e", program], input=json.dumps(cases), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@NEEDS_NODE
def test_a_result_shows_an_excerpt_around_the_query_not_the_whole_section():
    """A reader's trial, from file://: a question's result showed its whole table of answers as
    one block of text (Material's index holds a section's whole text), pushing the other results
    off a phone's screen. MiniSearch's results now show about 24 words around the first word the
    query names, as Pagefind's do served; a short text stays whole."""
    table = "<table><tr><th>Answer</th><th>Source</th></tr>" + "".join(
        f"<tr><td>item {i}</td><td>Javaid</td></tr>" for i in range(40)) + "<tr><td>premium market</td><td>op-ed</td></tr></table>"
    cases = [[table, ["premium"]], ["<p>A short <em>text</em> about a premium market.</p>", ["premium"]], [table, ["nowhere"]]]
    around, short, none = run_in_node("worker.js", "cases.map(([html, words]) => w.excerpt(html, words))", cases)
    assert around.startswith("… ") and "premium market" in around and "<" not in around, around
    assert len(around.split()) <= 26, around  # 24 words and the ellipsis
    assert short == "A short text about a premium market.", short
    assert none.startswith("Answer Source item 0") and none.endswith(" …") and len(none.split()) == 25, none


@NEEDS_NODE
def test_queries_fold_to_the_words_both_engines_are_given():
    # text.js: shared by the worker and the explorer
    expression = "Object.fromEntries(cases.map(q => [q, w.normaliseQuery(q).map(w.fold)]))"
    assert run_in_node("text.js", expression, list(NORMALISED)) == NORMALISED


@NEEDS_NODE
def test_an_amount_is_recognised_in_any_spelling_of_its_scale_and_no_other():
    """figuresOf: the amounts of a query as tests of folded text (text.js)."""
    cases = [
        ("$1 billion", "a goal of US $ 1 billion over", [True]), ("1 billion", "worth 1,000,000,000 USD", [True]),
        ("US$1bn", "1 billion", [True]), ("1 billion", "visit day 1", [False]), ("1 billion", "11 billion", [False]),
        ("1 billion", "1.5 billion", [False]), ("1.7bn", "US$1.7 billion", [True]), ("108 million", "108m buses", [True]),
        ("108 million", "108 billion", [False]), ("Gwadar", "Gwadar", []), ("1 billion and 108m", "1bn, then 108 million", [True, True]),
        ("$1-billion", "a 1 billion target", [True]), ("1 billion", "a 1-billion-dollar target", [True]),
        # typed in full digits, an amount finds its magnitude spelling too, and no other amount
        ("US$1,000,000,000", "Target of USD 1 billion", [True]), ("1000000000", "1bn", [True]),
        ("1,000,000,000", "1.7 billion", [False]), ("1,700,000,000", "US$1.7 billion", [False]),  # read as 1700 million: a limit
        ("250,000,000", "about 250 million", [True]), ("12345678", "12345678", []),
    ]
    found = run_in_node("text.js", "cases.map(([q, t]) => w.figuresOf(q).map(r => r.test(w.fold(t))))", cases)
    assert found == [expected for _, _, expected in cases]


@NEEDS_NODE
def test_search_and_the_figure_check_read_magnitude_words_alike():
    """The magnitude words search knows (text.js SCALE) are read by validate's figure check
    (kb.evidence.SCALE) as the same multiples, so an amount search finds is one validate finds in
    an excerpt; validate's table adds the words only it needs (lakh, crore, dozen, decades)."""
    from kb.evidence import SCALE

    search = run_in_node("text.js", "w.SCALE", None)
    assert search and {word: SCALE.get(word) for word in search} == search


@NEEDS_NODE
def test_the_worker_scores_results_in_the_order_it_lists_them_and_marks_whole_words():
    """Material opens the result with the highest score on Enter: after the worker's own ordering,
    each page's entry scores above every later page's, its sections below it. The words the opened
    page marks keep a magnitude word and leave out one-character words beside longer ones."""
    groups = [[{"location": "claims/x.html", "title": "A claim on Gwadar", "score": 50}],
              [{"location": "places/gwadar.html", "title": "Gwadar", "score": 3},
               {"location": "places/gwadar.html#port", "title": "Port", "score": 1}]]
    ranked = run_in_node("worker.js", "w.rank(cases, ['gwadar'])", groups)
    assert [g[0]["location"] for g in ranked] == ["places/gwadar.html", "claims/x.html"]
    own = [g[0]["score"] for g in ranked]
    assert own == sorted(own, reverse=True) and len(set(own)) == len(own), own
    assert all(item["score"] < g[0]["score"] for g in ranked for item in g[1:]), ranked
    terms = run_in_node("worker.js", "cases.map(([q, words]) => Object.keys(w.highlightTerms(q, words)))",
                        [["1 billion", ["1"]], ["$1bn", ["1"]], ["Gwadar port", ["Gwadar", "port"]], ["5", ["5"]]])
    assert terms == [["billion"], ["bn"], ["Gwadar", "port"], ["5"]], terms
