"""A reader in a real browser: Debian's chromium driven by Playwright, on the built site served locally.

Home → an actor → an agreement by clicking links; the search box finds a record; no request leaves
the site's own host. Screenshots go to test-results/ for a human to look at.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, needs_chromium, new_context, plain, serve_folder

SHOTS = ROOT / "test-results"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve_folder(built_site) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []  # every URL the page asked for
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def heading(page) -> str:
    """The page's h1 without the permalink sign the toc extension appends."""
    return plain(page.locator("h1").first.inner_text()).rstrip("¶").strip()


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
    page.wait_for_url("**/actors/kazakhstan.html")
    assert heading(page) == "Kazakhstan"
    page.screenshot(path=str(SHOTS / "actor.png"), full_page=False)

    # Actor → the declaration it is party to
    page.locator("article a[href*='agreements/joint-declaration-strategic-partnership']").first.click()
    page.wait_for_url("**/agreements/joint-declaration-strategic-partnership.html")
    assert "Joint Declaration" in heading(page)
    # the agreement links back to its parties
    assert page.locator("article a[href*='actors/kazakhstan.html']").count() >= 1
    assert page.locator("article a[href*='actors/pakistan.html']").count() >= 1
    page.screenshot(path=str(SHOTS / "agreement.png"), full_page=True)

    assert only_local(page.requests, site_url) == []


def test_search_finds_a_record(page, site_url):
    page.goto(site_url + "/")
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially("Falcon EuroBus", delay=20)  # key by key, as a reader types
    result = page.locator(".md-search-result__item a[href*='actors/falcon-eurobus']").first
    result.wait_for()
    page.screenshot(path=str(SHOTS / "search.png"))
    result.click()
    page.wait_for_url("**/actors/falcon-eurobus.html*")
    assert heading(page) == "Falcon EuroBus"
    assert only_local(page.requests, site_url) == []


def test_a_claim_anchor_from_a_briefing_lands_on_the_claim(page, site_url, real_kb):
    claim = next(c for c in real_kb.all("claim") if "trade-baseline" in c.questions)
    page.goto(f"{site_url}/questions/trade-baseline.html#{claim.id}")
    target = page.locator(f"[id='{claim.id}']")
    assert target.count() == 1
    assert target.is_visible()
    assert claim.id in page.url
    page.screenshot(path=str(SHOTS / "question.png"), full_page=True)
    assert only_local(page.requests, site_url) == []


# ----------------------------------------------------------------------------- the views

VIEW_PAGES = ["views/disagreements.html", "views/timeline.html", "views/map.html", "views/network.html"]
PHONE = {"width": 390, "height": 844}


def _links_resolve(page, site_url: str) -> list[str]:
    """Every link in the article, and in the SVGs it embeds, leads to a page that exists, and an
    anchor to an element with that id. Returns the problems found."""
    from urllib.parse import urldefrag, urljoin

    hrefs = page.eval_on_selector_all("article a[href]", "els => els.map(e => e.href)")
    for svg in page.eval_on_selector_all("article object[data]", "els => els.map(e => e.data)"):
        text = page.request.get(svg).text()
        hrefs += [urljoin(svg, h) for h in __import__("re").findall(r'<a href="([^"]+)"', text)]
    problems, cache = [], {}
    for href in dict.fromkeys(hrefs):
        if urlparse(href).netloc != urlparse(site_url).netloc:
            problems.append(f"external link {href}")
            continue
        url, anchor = urldefrag(href)
        if url not in cache:
            response = page.request.get(url)
            cache[url] = response.text() if response.ok else None
        if cache[url] is None:
            problems.append(f"broken link {href}")
        elif anchor and f'id="{anchor}"' not in cache[url]:
            problems.append(f"missing anchor {href}")
    return problems


@pytest.mark.parametrize("path", VIEW_PAGES)
def test_each_view_renders_and_its_links_resolve(browser, site_url, path):
    slug = path.split("/")[-1].removesuffix(".html")
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context = new_context(browser, viewport=viewport)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(f"{site_url}/{path}")
        page.wait_for_load_state("networkidle")
        assert heading(page) in {"Disagreements", "Timeline", "Map", "Network"}
        figures = page.locator("article object")
        for i in range(figures.count()):  # an embedded map or network is drawn, not a fallback
            box = figures.nth(i).bounding_box()
            assert box and box["width"] > 300 and box["height"] > 150, (path, name, box)
        page.screenshot(path=str(SHOTS / f"view-{slug}-{name}.png"), full_page=False)
        assert failed == [] and only_local(requests, site_url) == []
        if name == "desktop":
            assert _links_resolve(page, site_url) == []
        context.close()


def test_disagreements_lead_with_contested_questions_and_every_claim_shows_its_status(page, site_url, real_kb):
    page.goto(f"{site_url}/views/disagreements.html")
    headings = [plain(h) for h in page.locator("article h2").all_inner_texts()]
    order = [h.split(" (")[0] for h in headings if "(" in h]
    assert order == ["Contested", "Divergent", "Compatible", "Corroborated", "Single source"]
    question = next(q for q in real_kb.all("question") if real_kb.status(q).status == "contested")
    page.goto(f"{site_url}/questions/{question.id}.html")
    # the question's status leads its page; each answer's box there leaves it out, so none links
    # back to the page itself (a claim answering other questions keeps their badges)
    assert plain(page.locator("article .admonition.kb-contested .admonition-title").inner_text()).startswith("Contested")
    claims = page.locator("article .kb-claim")
    assert claims.count() == len(real_kb.answers(question))
    assert page.locator(f"article .kb-claim a.kb-status[href='{question.id}.html']").count() == 0
    page.screenshot(path=str(SHOTS / "question-contested.png"), full_page=True)
    for claim in real_kb.answers(question):
        # each claim's own page: the badge of this question (one for each question it answers)
        page.goto(f"{site_url}/claims/{claim.id}.html")
        badge = page.locator(f"article .kb-claim a.kb-status[href='../questions/{question.id}.html']")
        assert plain(badge.inner_text()) == "Contested", claim.id


def embedded(page, suffix: str):
    """The document an <object> embeds (an SVG map or network) as a Playwright frame."""
    page.wait_for_load_state("networkidle")
    frames = [f for f in page.frames if f.url.endswith(suffix)]
    assert len(frames) == 1, [f.url for f in page.frames]
    return frames[0]


def test_a_place_on_the_map_and_a_node_of_the_network_are_links(page, site_url):
    page.goto(f"{site_url}/views/map.html")
    embedded(page, "map.map.svg").locator("a[href$='places/gwadar.html'] text").click()
    page.wait_for_url("**/places/gwadar.html")
    assert "Gwadar" in heading(page)

    page.goto(f"{site_url}/actors/kazakhstan.html")
    net = embedded(page, "kazakhstan.network.svg")
    node = "a[href$='agreements/joint-declaration-strategic-partnership.html']"
    net.locator(f"{node} rect, {node} circle, {node} polygon").first.click()  # the node's shape
    page.wait_for_url("**/agreements/joint-declaration-strategic-partnership.html")
    page.screenshot(path=str(SHOTS / "after-network-click.png"))


def test_sector_tags_lead_to_the_sector_page(page, site_url):
    page.goto(f"{site_url}/agreements/electric-bus-contract.html")
    page.locator("a.md-tag", has_text="Transport and logistics").first.click()
    page.wait_for_url("**/sectors/transport-logistics.html*")
    assert heading(page) == "Transport and logistics"
    assert page.locator("article a[href$='agreements/electric-bus-contract.html']").count() >= 1


# ----------------------------------------------------------------------------- print


def printed(page, url: str | None, name: str):
    """The page (at url, or as it is now) printed to PDF by Chromium, and its text as pypdf reads
    it, through plain() (the machine's fonts may set "fi" as a ligature); the PDF is kept for a human."""
    import io

    from pypdf import PdfReader

    if url:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (SHOTS / f"{name}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    return reader, plain("\n".join(p.extract_text() for p in reader.pages))


# A4 less the print margins of docs/assets/kb.css (@page: 14 mm by 13 mm), in CSS pixels (96 per inch).
PRINTED_WIDTH_PX, PRINTED_HEIGHT_PX = (210 - 2 * 13) / 25.4 * 96, (297 - 2 * 14) / 25.4 * 96


def test_the_briefing_pack_prints_on_the_pages_its_content_fills(page, site_url, real_kb):
    """The briefing prints on as many A4 pages as its content fills, and at most one more (a table
    row or heading kept whole moves to the next page): the content's height, laid out for print at
    the printed width, sets the number, so the test holds whatever the data (a new user's trial
    added a sixth source, and the briefing's four pages failed a fixed limit of three)."""
    SHOTS.mkdir(exist_ok=True)
    reader, flat = printed(page, f"{site_url}/views/briefing.html", "briefing")
    page.set_viewport_size({"width": round(PRINTED_WIDTH_PX), "height": round(PRINTED_HEIGHT_PX)})
    height = page.evaluate("Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    filled = math.ceil(height / PRINTED_HEIGHT_PX)
    assert 1 <= len(reader.pages) <= filled + 1, (len(reader.pages), height, filled)
    for words in ("Briefing", "Outcomes", "Key figures", "Sources", "Joint Declaration", "Contested"):
        assert words in flat, words
    from kb.cite import author_of

    for source in real_kb.all("source"):
        author = author_of(real_kb, source)
        assert plain(author.name if author else "unsigned") in flat, source.id
    # no navigation chrome, and no relative link targets (noise on paper, two readers' trials)
    assert "Table of contents" not in flat and "Search" not in flat
    assert "[../" not in flat and ".html]" not in flat


def test_a_record_page_prints_clean_with_its_permalink(page, site_url):
    page.goto(f"{site_url}/agreements/joint-declaration-strategic-partnership.html")
    page.wait_for_load_state("networkidle")
    # a link to another site, as a source's address would be: its address prints after it
    page.evaluate("""() => { const p = document.createElement('p'), a = document.createElement('a');
        a.href = 'https://news.example/article-1'; a.textContent = 'the article online';
        p.append(a); document.querySelector('article').append(p); }""")
    reader, flat = printed(page, None, "agreement")
    # set in the site's own face, as on screen, whatever fonts the machine has (Chromium embeds a
    # variable font as Type 3 glyphs: its name is in the font descriptor, not in /BaseFont)
    fonts = set()
    for p in reader.pages:
        for font in (p.get("/Resources", {}).get_object().get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            fonts.add(str(font.get("/BaseFont") or (descriptor and descriptor.get_object().get("/FontName"))))
    assert any("SourceSans3" in f for f in fonts), fonts
    assert "Permalink: https://" in flat
    words = " ".join(flat.split())
    # (a long address may break; the site's placeholder address says it is one)
    assert re.search(r"\.html( \(a placeholder address, not yet published\))?", words), words[:800]
    # a link within the site prints as its text alone; one to another site with its address
    assert "[../" not in words and ".html]" not in words, words
    assert "the article online [https://news.example/article-1]" in words, words[-400:]
    assert "Joint Declaration" in flat and "References" in flat
    assert "Table of contents" not in flat and "Skip to content" not in flat


def test_cite_this_copies_bibtex_with_one_click(browser, site_url):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page = context.new_page()
    page.goto(f"{site_url}/claims/javaid-trade-baseline-2024-25.html#cite")
    page.locator(".tabbed-labels label", has_text="BibTeX").click()
    block = page.locator("#cite + .tabbed-set .tabbed-block").nth(2)  # Text, Permalink, BibTeX, CSL-JSON
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{kb-javaid-trade-baseline-2024-25,")
    assert "\\url{https://" in copied
    page.screenshot(path=str(SHOTS / "cite-this.png"))
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_text_citation_and_permalink_wrap_in_their_boxes(browser, site_url, real_kb, width):
    """The text citation was one line 4,554 px wide in a 998 px box, cut off under the copy button (a
    reader's trial): on the claim with the longest citation, at desktop and phone widths, the Text and
    Permalink tabs show all of theirs, and the copy button covers none of it."""
    from kb.cite import citation

    longest = max(real_kb.current("claim"), key=lambda c: len(citation(real_kb, c, "", "").text))
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/{longest.url}#cite")
    page.wait_for_load_state("networkidle")
    for n, tab in enumerate(("Text", "Permalink")):
        page.locator("#cite + .tabbed-set .tabbed-labels label", has_text=tab).click()
        code = page.locator("#cite + .tabbed-set .tabbed-block").nth(n).locator("pre > code")
        code.wait_for(state="visible")
        overflow = code.evaluate("c => c.scrollWidth - c.clientWidth")
        assert overflow <= 1, (tab, width, overflow)
        # the right edge of the last visible character of any line: a space that ends a wrapped
        # line hangs past the box (white-space: pre-wrap) and is nothing to cover
        text_right = code.evaluate("""c => { let right = 0; const r = document.createRange();
            const walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
            while (walk.nextNode()) { const t = walk.currentNode;
              for (let i = 0; i < t.length; i++) { if (/\\s/.test(t.data[i])) continue;
                r.setStart(t, i); r.setEnd(t, i + 1);
                for (const x of r.getClientRects()) right = Math.max(right, x.right); } }
            return right; }""")
        code.hover()
        button = page.locator("#cite + .tabbed-set .tabbed-block").nth(n).locator("button[data-md-type=copy]")
        if button.count():
            assert button.bounding_box()["x"] >= text_right - 1, (tab, width)
    page.screenshot(path=str(SHOTS / f"cite-text-{width}.png"))
    context.close()


# Everything a reader operates on screen: none of it prints.
CONTROLS = (
    "button, input, select, textarea, label, [role=button], .md-header, .md-tabs, .md-search, .md-sidebar, "
    ".md-footer, .md-top, .md-skip, .md-dialog, .md-code__nav, .tabbed-labels, .headerlink"
)
CITE_TABS = ("Text", "Permalink", "BibTeX", "CSL-JSON")


def test_printing_a_record_page_does_not_depend_on_the_tab_chosen(page, site_url, real_kb):
    """Choose each tab of "Cite this", then print: the same printout every time, with the citation
    as text and the permalink, each labelled, no BibTeX or CSL-JSON, and no control."""
    node = real_kb.get("javaid-trade-baseline-2024-25") or real_kb.all("claim")[0]
    url = f"{site_url}/{node.url}"
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))["site_url"]
    flats = {}
    for i, tab in enumerate(CITE_TABS):
        page.emulate_media(media="screen")
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.locator("#cite + .tabbed-set .tabbed-labels label", has_text=tab).click()
        page.wait_for_function(
            "i => document.querySelectorAll('#cite + .tabbed-set > input')[i].checked", arg=i, timeout=30000
        )
        page.emulate_media(media="print")
        shown = page.evaluate(
            "sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility({checkVisibilityCSS: true}))"
            ".map(e => e.outerHTML.slice(0, 80))", CONTROLS)
        assert shown == [], (tab, shown)
        # a claim's details follow its evidence with nothing beside them: on paper as on screen, they
        # take the article's width (they floated right at 45 %, beside an empty column)
        box, article = page.evaluate("[document.querySelector('.kb-infobox-wide'), document.querySelector('article')]"
                                     ".map(e => e.getBoundingClientRect().width)")
        assert box > 0.9 * article, (box, article)
        blocks = page.evaluate("[...document.querySelectorAll('#cite + .tabbed-set .tabbed-block')]"
                               ".map(b => b.checkVisibility({checkVisibilityCSS: true}))")
        assert blocks == [True, True, False, False], (tab, blocks)
        # label, citation, label, permalink: one under the other, under the heading
        tops = page.evaluate("[...document.querySelectorAll('#cite, #cite + .tabbed-set .tabbed-block > *')]"
                             ".filter(e => e.checkVisibility()).map(e => [e.textContent.trim().slice(0, 12), e.getBoundingClientRect().top])")
        labels = [t.rstrip("¶") for t, _ in tops]
        assert len(tops) == 5 and (labels[0], labels[1], labels[3]) == ("Cite this", "Citation:", "Permalink:"), tops
        assert [y for _, y in tops] == sorted(y for _, y in tops), tops
        _, flat = printed(page, None, f"cite-after-{tab.lower()}")
        after = flat.split("Cite this", 1)[1]
        assert after.index("Citation:") < after.index("Permalink:"), tab
        compact = "".join(after.split())  # a long line may break anywhere in the PDF
        assert "".join(plain(node.record.paraphrase).split()) in compact, tab  # the text citation
        assert f"{site}{node.url}" in compact.split("Permalink:", 1)[1], tab
        assert "@misc" not in flat and "container-title" not in flat, tab
        assert "Copy to clipboard" not in flat and "CSL-JSON" not in flat and "BibTeX" not in flat, tab
        flats[tab] = flat
    assert len(set(flats.values())) == 1, {t: f[-300:] for t, f in flats.items()}


A4_TEXT_PX = round((210 - 2 * 13) / 25.4 * 96)  # the printable width of kb.css's @page (A4, 13 mm margins)


def test_printed_tables_fit_the_page(page, site_url, real_kb):
    """The sources side by side (on the question page with the most answers, and on Disagreements)
    ran past the printed page's edge, cutting off excerpts and claims: laid out at the printable
    width of an A4 page under print media, no table is wider than the article."""
    busiest = max(real_kb.current("question"), key=lambda q: len(real_kb.backlinks(q, "claim")))
    SHOTS.mkdir(exist_ok=True)  # the PDFs are kept for a human
    for url in (busiest.url, "views/disagreements.html"):
        page.set_viewport_size({"width": A4_TEXT_PX, "height": 1000})
        page.goto(f"{site_url}/{url}")
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        widths = page.evaluate(
            "() => { const a = document.querySelector('article').getBoundingClientRect().right;"
            " return [...document.querySelectorAll('article table')].map(t => [Math.round(t.getBoundingClientRect().right - a),"
            " t.scrollWidth - t.clientWidth]) }")
        headers = page.evaluate("() => [...document.querySelectorAll('article table th')].map(th => th.textContent.trim())")
        page.emulate_media(media="screen")
        assert widths, url
        assert all(over <= 1 and hidden <= 1 for over, hidden in widths), (url, widths)
        _, flat = printed(page, None, url.replace("/", "-").replace(".html", "-printed"))
        compact = "".join(flat.split())
        assert all("".join(plain(h).split()) in compact for h in headers), (url, headers)  # every column on paper


# Pages printed to A4 as a reader prints them, each chosen for a fault it had: the question a user
# printed (its second table row jumped to page 2, leaving a fifth of page 1 blank; its evidence
# boxes' head lines ended in " ·" where the hidden "cite" link had been), claims whose "Permalink:"
# or "Cite this" and "Citation:" ended a page with their code block on the next, a question whose
# tall rows left a quarter of page 1 blank, an actor whose one claim box left a third blank, an
# agreement page (claim boxes and a table), and a source whose 54 claims are listed by name (kept
# each with the next, the list once jumped whole to the next page, leaving one 93 % blank). Their
# addresses are permanent (tests/published-urls.txt); the pages that grow most with the data, as it
# is on the day, are printed beside them (busiest_pages).
PRINT_SAMPLE = (
    "questions/agreements-signed-count.html",
    "questions/implementation-timeline.html",
    "claims/goulard-audience-regional-peers.html",
    "claims/issi-innovation-partnership-ai.html",
    "actors/eaeu.html",
    "agreements/transit-trade-agreement.html",
    "sources/op-ed-land-linked-hub.html",
)
PAGE_BLANK_MAX = 0.15  # of a printed page's text area, below its last line (the last page apart)

# In print media: what reads as a heading (headings, and the print-only labels "Citation:",
# "Permalink:"), and every paragraph, item or cell that begins or ends with a separator (" · ", " | ",
# " • "), or has two in a row (a comma or a semicolon may end an item of prose).
PRINT_FACTS = r"""() => {
  const shown = e => e.checkVisibility({checkVisibilityCSS: true});
  const headings = [...document.querySelectorAll('article :is(h1, h2, h3, h4, h5, h6), article .kb-print-only')]
    .filter(shown).map(e => e.innerText);
  const dangling = [...document.querySelectorAll('article :is(p, li, td, th, dt, dd, figcaption, .admonition-title)')]
    .filter(shown).map(e => e.innerText.trim()).filter(t => /^[·|•]|[·|•]$|[·|•]\s*[·|•]/.test(t));
  return {headings, dangling};
}"""


def _lines(pdf_page) -> list[tuple[float, str]]:
    """A printed page's lines of text, top to bottom: (distance of the baseline from the top of the
    sheet in points, the line's text through plain())."""
    height = float(pdf_page.mediabox.height)
    rows: dict[float, list[str]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text matrix's origin, in the page's space
            rows.setdefault(round(height - y), []).append(text)

    pdf_page.extract_text(visitor_text=visit)
    return [(y, plain(" ".join(rows[y]))) for y in sorted(rows)]


def _unlinked(text: str) -> str:
    """Text without what print adds after a link or a citation ("[../claims/x.html]", "[1]")."""
    import re

    return plain(re.sub(r"\[[^\]]*\]", " ", text))


def busiest_pages(kb) -> list[str]:
    """The pages that grow most with the data, whatever it holds then: the question with the most
    answers, the claim with the most other answers, and the actor, place and source with the most
    claims (each the first of its kind, in the model's order, on a tie)."""
    def most(type_name, count):
        nodes = kb.current(type_name)
        return [max(nodes, key=count).url] if nodes else []

    return [
        *most("question", lambda q: len(kb.answers(q))),
        *most("claim", lambda c: sum(len(kb.answers(kb.get(q))) for q in c.questions)),
        *most("actor", lambda a: len(kb.claims_about(a))),
        *most("place", lambda p: len(kb.claims_about(p))),
        *most("source", lambda s: len(kb.backlinks(s, "claim"))),
    ]


@pytest.fixture(scope="module")
def print_sample(browser, site_url, real_kb):
    """Each page of PRINT_SAMPLE and of ``busiest_pages`` printed once: its PDF's lines per page,
    and PRINT_FACTS."""
    SHOTS.mkdir(exist_ok=True)  # the PDFs are kept for a human
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sample = {}
    for url in dict.fromkeys((*PRINT_SAMPLE, *busiest_pages(real_kb))):
        page.emulate_media(media="screen")
        page.goto(f"{site_url}/{url}")
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        reader, _ = printed(page, None, url.replace("/", "-").replace(".html", "-a4"))
        sample[url] = {"pages": [_lines(p) for p in reader.pages], **page.evaluate(PRINT_FACTS)}
    context.close()
    return sample


def test_printed_headings_keep_with_what_follows(print_sample):
    """No page ends with a heading (or "Citation:", "Permalink:") whose content is on the next:
    break-after: avoid alone left them there (kb.css, print)."""
    alone = []
    for url, facts in print_sample.items():
        headings = [h for h in (_unlinked(h) for h in facts["headings"]) if h]
        for number, lines in enumerate(facts["pages"][:-1], start=1):
            tail = _unlinked(" ".join(text for _, text in lines[-3:]))  # a heading may take two lines
            alone += [(url, number, h) for h in headings if tail.endswith(h)]
    assert alone == [], alone


def test_printed_pages_are_not_left_half_blank(print_sample):
    """No printed page but the last is more than PAGE_BLANK_MAX blank below its last line: a tall
    table row or claim box may break (a short one still does not) rather than jump to the next page
    whole."""
    top, bottom = 14 / 25.4 * 72, 842.88 - 14 / 25.4 * 72  # kb.css's @page: A4, 14 mm above and below
    blank = {}
    for url, facts in print_sample.items():
        assert all(facts["pages"]), url  # no page without text
        for number, lines in enumerate(facts["pages"][:-1], start=1):
            fraction = (bottom - lines[-1][0]) / (bottom - top)
            if fraction > PAGE_BLANK_MAX:
                blank[f"{url} page {number}"] = round(fraction, 2)
    assert blank == {}, blank


def test_no_separator_is_left_dangling_in_print(print_sample, page, site_url):
    """What print hides (a claim's "cite" link) takes the separator before it along: no printed
    paragraph ends with " ·" (each evidence box's head line did), and the screen still shows "· cite"."""
    dangling = {url: facts["dangling"] for url, facts in print_sample.items() if facts["dangling"]}
    assert dangling == {}, dangling
    page.goto(f"{site_url}/{PRINT_SAMPLE[0]}")
    page.wait_for_load_state("networkidle")
    heads = page.evaluate("[...document.querySelectorAll('.kb-claim > p:first-child')].map(p => p.innerText)")
    assert heads and all(plain(h).endswith("· cite") for h in heads), heads


# ----------------------------------------------------------------------------- layout and type

LAYOUT_WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}
FACE = "Source Sans 3 Variable"  # docs/assets/fonts.css, vendored by scripts/vendor_assets.py
READABLE_EM = 4.5  # no column of the sources side by side narrower than this many em of its text

# The page's width, the navigation sidebar, and the face the article's text is set in.
PAGE_FACTS = """face => ({
  scroll: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
  // the navigation sidebar takes room on the screen (on a phone it is the drawer, off-screen until opened)
  sidebar: (e => e.checkVisibility({checkVisibilityCSS: true}) && e.getBoundingClientRect().right > 1)(
    document.querySelector('.md-sidebar--primary')),
  family: getComputedStyle(document.querySelector('article p')).fontFamily,
  loaded: [...document.fonts].some(f => f.family.replace(/["']/g, '') === face && f.status === 'loaded'),
})"""


@pytest.fixture
def open_page(browser):
    """open_page(url, viewport) → a page of that size ({"width": px, "height": px}) in a browser
    context of its own, loaded (network idle, fonts ready); every context is closed after the
    test, passed or failed."""
    contexts = []

    def open_(url: str, viewport: dict):
        context = new_context(browser, viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", LAYOUT_WIDTHS)
@pytest.mark.parametrize(
    "path", ["index.html", "actors/kassym-jomart-tokayev.html", "questions/trade-baseline.html", "views/disagreements.html"]
)
def test_pages_fit_the_screen_without_an_empty_sidebar_in_the_sites_own_face(open_page, site_url, path, width):
    """Nothing but a table's own scroll box is wider than the screen; generated pages have no
    navigation sidebar (it held only the section's title); the text is set in the vendored face."""
    page = open_page(f"{site_url}/{path}", LAYOUT_WIDTHS[width])
    facts = page.evaluate(PAGE_FACTS, FACE)
    assert facts["scroll"] <= facts["viewport"], facts
    assert facts["sidebar"] is False, facts
    assert facts["family"].strip("\"'").startswith(FACE), facts
    assert facts["loaded"], facts


@pytest.mark.parametrize("url", ["views/briefing.html", "claims/goulard-32-business-deals.html"])
def test_record_tables_stack_on_a_phone(open_page, site_url, url):
    """A reader's trial at 390 px: the briefing's key figures (a text column of 90 px, rows of two
    words a line) and sources (585 px, kind and perspective off screen), and a claim's comparison
    with the other answers (444 px), were tables wider than the screen. On a phone each row is a
    block, its cells one under another, nothing wider than the screen."""
    page = open_page(f"{site_url}/{url}", LAYOUT_WIDTHS["phone"])
    facts = page.evaluate("""() => [...document.querySelectorAll('article .kb-stack table')].map(t => {
      const cells = [...t.rows[1].cells];
      return {right: Math.max(...cells.map(c => c.getBoundingClientRect().right)), viewport: window.innerWidth,
              lefts: [...new Set(cells.map(c => Math.round(c.getBoundingClientRect().left)))]};
    })""")
    page.screenshot(path=str(SHOTS / f"stacked-{url.replace('/', '-')}.png"))
    assert facts, url
    for table in facts:
        assert table["right"] <= table["viewport"] and len(table["lefts"]) == 1, (url, facts)


@pytest.mark.parametrize("width", LAYOUT_WIDTHS)
def test_the_sources_side_by_side_read_at_both_widths(open_page, site_url, width):
    """On the desktop every column of a question's table of answers is at least READABLE_EM wide,
    the qualifiers and the excerpt at least 14 em, and the table fits its column. On a phone it is
    one block per answer, each cell on a line of its own named by its column, nothing wider than
    the screen (as a scrolling table it was 985 px wide at 390, qualifiers and excerpts off screen:
    a new user's trial)."""
    page = open_page(f"{site_url}/questions/trade-baseline.html", LAYOUT_WIDTHS[width])
    table = page.locator("article .kb-answers table")
    assert table.count() == 1
    facts = table.evaluate("""t => {
      const box = t.closest('.md-typeset__scrollwrap');
      const em = parseFloat(getComputedStyle(t).fontSize);
      const cols = [...t.rows[0].cells].map(c => [c.textContent.trim(), c.getBoundingClientRect().width / em]);
      const cells = [...t.rows[1].cells];
      return {cols, em, scrolls: box.scrollWidth > box.clientWidth, viewport: window.innerWidth,
              right: Math.max(...cells.map(c => c.getBoundingClientRect().right)),
              lefts: [...new Set(cells.map(c => Math.round(c.getBoundingClientRect().left)))],
              labels: cells.map(c => getComputedStyle(c, '::before').content)};
    }""")
    page.screenshot(path=str(SHOTS / f"question-table-{width}.png"))
    assert not facts["scrolls"], facts
    if width == "desktop":
        widths = dict(facts["cols"])
        assert min(widths.values()) >= READABLE_EM, facts
        assert widths["Qualifiers"] >= 14 and widths["Excerpt"] >= 14, facts
    else:
        assert facts["right"] <= facts["viewport"], facts
        assert len(facts["lefts"]) == 1, facts  # the cells one under another, not side by side
        header = [name for name, _ in facts["cols"]]  # the column names, from the (hidden) header row
        assert [label.strip('"').removesuffix(": ") for label in facts["labels"][1:]] == header[1:], facts


def test_a_table_wider_than_a_phone_shows_that_it_scrolls(open_page, site_url):
    """A reader's trial: at 390 px home's "What was signed" was cut at the right edge with no sign
    that it scrolls. The scroll box around a wide table carries scroll shadows (covers attached to
    the content, shadows to the box) and the table lets them show through."""
    page = open_page(f"{site_url}/index.html", PHONE)
    facts = page.locator("#signed ~ div .md-typeset__scrollwrap").first.evaluate("""w => {
      const cs = getComputedStyle(w), table = getComputedStyle(w.querySelector('table'));
      return {scrolls: w.scrollWidth > w.clientWidth, attachment: cs.backgroundAttachment,
              shadows: (cs.backgroundImage.match(/radial-gradient/g) || []).length, table: table.backgroundColor};
    }""")
    page.screenshot(path=str(SHOTS / "home-signed-phone.png"))
    assert facts["scrolls"], facts  # else there is nothing to show
    assert facts["attachment"].split(", ")[:4] == ["local", "local", "scroll", "scroll"], facts
    assert facts["shadows"] == 2 and facts["table"] == "rgba(0, 0, 0, 0)", facts


@pytest.mark.parametrize("width", LAYOUT_WIDTHS)
@pytest.mark.parametrize("path", ["index.html", "actors/kassym-jomart-tokayev.html"])
def test_the_lead_text_keeps_its_measure_beside_the_infobox(open_page, site_url, path, width):
    """Beside a floated infobox the lead paragraph keeps at least 30 em; where there is no room for
    that, the infobox stacks above the text instead of squeezing it."""
    page = open_page(f"{site_url}/{path}", LAYOUT_WIDTHS[width])
    facts = page.evaluate("""() => {
      const box = document.querySelector('article .kb-infobox');
      let p = box.nextElementSibling;
      while (p && p.tagName !== 'P') p = p.nextElementSibling;
      const b = box.getBoundingClientRect(), r = p.getBoundingClientRect();
      return {float: getComputedStyle(box).float, beside: b.left - r.left, boxBottom: b.bottom, textTop: r.top,
              em: parseFloat(getComputedStyle(p).fontSize), text: p.textContent.slice(0, 40)};
    }""")
    if width == "desktop":  # 1280 px leave room for both
        assert facts["float"] != "none", facts
    if facts["float"] == "none":
        assert facts["boxBottom"] <= facts["textTop"], facts
    else:
        assert facts["beside"] >= 30 * facts["em"], facts


def test_a_status_box_shows_its_icon_in_the_status_colour(page, site_url, real_kb):
    """The status box at the top of a question page had Material's blue note icon whatever the
    status (a new user read a withdrawal notice as an ordinary note): its icon takes the box's colour."""
    question = real_kb.current("question")[0]
    status = real_kb.status(question).status
    page.goto(f"{site_url}/{question.url}")
    colours = page.evaluate("""() => {
      const box = document.querySelector('article .admonition');
      return {border: getComputedStyle(box).borderLeftColor,
              icon: getComputedStyle(box.querySelector('.admonition-title'), '::before').backgroundColor,
              name: box.className};
    }""")
    assert f"kb-{status}" in colours["name"] and colours["icon"] == colours["border"], colours


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def engine_url(request):
    """The real site served, as built by each engine (MkDocs + Material, Zensical)."""
    site = request.getfixturevalue("built_site" if request.param == "mkdocs" else "zensical_site")
    with serve_folder(site) as url:
        yield url


_STOP = """() => {
    const el = document.activeElement, box = el.getBoundingClientRect();
    return {what: el.outerHTML.slice(0, 120), width: box.width, height: box.height,
            onScreen: box.right > 0 && box.left < innerWidth && box.bottom > 0 && box.top < innerHeight,
            visible: getComputedStyle(el).visibility === 'visible',
            hidden: !!el.closest('[aria-hidden="true"]'), inArticle: !!el.closest('article'),
            inDrawer: !!el.closest('.md-sidebar--primary')};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_every_stop_of_the_tab_order_can_be_seen(open_page, engine_url, width):
    """Readers' keyboard trials: the third press of Tab landed on the colour scheme's radio input,
    0 px wide and hidden from screen readers (theme_fixes); and at 390 px, 20 to 30 presses went
    through the closed navigation drawer's links, off-screen to the left, before the page (kb.css).
    The first stops of a page's tab order (header, tabs, into the article) are each drawn, on the
    screen and exposed, in both engines' sites, wide and narrow."""
    page = open_page(f"{engine_url}/index.html", {"width": width, "height": 844})
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        # a stop is judged once the focus has settled (a search box opens as it takes it)
        page.wait_for_function("() => !document.getAnimations().some(a => a.playState === 'running')")
        stop = page.evaluate(_STOP)
        seen.append(stop["what"])
        assert stop["width"] >= 1 and stop["height"] >= 1 and not stop["hidden"], (stop, seen)
        assert stop["onScreen"] and stop["visible"], (width, stop, seen)
        if stop["inArticle"]:
            break
    else:
        pytest.fail(f"25 presses of Tab never reached the article: {seen}")


def tab_to(page, selector: str, presses: int, what: str) -> None:
    """Press Tab until the focus is on an element matching ``selector``, failing the test (naming
    ``what``) when ``presses`` presses do not reach it."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{presses} presses of Tab never reached {what} ({selector})")


_SHOWN = "() => { const e = document.activeElement; return e !== document.body && getComputedStyle(e).visibility === 'visible' }"
_SETTLED = "() => !document.getAnimations().some(a => a.playState === 'running')"
_DRAWER_OPEN = "() => document.getElementById('__drawer').checked"


@pytest.mark.parametrize("key", ["Enter", " "])
@pytest.mark.parametrize("path", ["index.html", "views/claims.html"])
def test_the_navigation_drawer_works_from_the_keyboard(open_page, engine_url, key, path):
    """At 390 px the navigation is a drawer behind the header's menu button, a label that took no
    focus: a keyboard could not open it (a reader). Then a tester found, once it opened: the focus
    left under the drawer, links of closed and covered levels in the tab order (the drawer
    scrolled blank to show them), no Escape, and the focus on the page behind the open drawer.
    The button is a tab stop named Navigation; Enter or Space opens the drawer and puts the focus
    in it; every stop in it shows, on screen; a level opens and closes from the keyboard; Tab past
    the last link closes the drawer, and so does Escape, giving the focus back to the button."""
    page = open_page(f"{engine_url}/{path}", PHONE)
    tab_to(page, "label[for=__drawer]", 5, "the menu button")
    assert page.evaluate("() => [document.activeElement.getAttribute('role'), document.activeElement.getAttribute('aria-label')]") == ["button", "Navigation"]
    page.keyboard.press(key)
    page.wait_for_function(_DRAWER_OPEN)
    page.wait_for_function(_SETTLED)
    seen = []
    for _ in range(60):  # every stop in the drawer shows, until Tab leaves it and closes it
        stop = page.evaluate(_STOP)
        if not stop["inDrawer"]:
            break
        seen.append(stop["what"])
        assert stop["onScreen"] and stop["visible"], (stop, seen)
        page.keyboard.press("Tab")
        page.wait_for_function(_SETTLED)
    else:
        pytest.fail(f"Tab never left the drawer: {seen[-3:]}")
    assert seen, "the focus did not go into the open drawer"
    page.wait_for_function(f"() => !({_DRAWER_OPEN[6:]})")  # leaving it closed it
    # A level: opened from its entry, the focus goes into it; its title goes back to the entry.
    page.locator("label[for=__drawer].md-header__button").focus()
    page.keyboard.press(key)
    page.wait_for_function(_DRAWER_OPEN)
    entry = page.locator(".md-sidebar--primary label.md-nav__link[for^='__nav_']").first
    if page.evaluate("id => !document.getElementById(id).checked", entry.get_attribute("for")):
        entry.focus()
        page.keyboard.press(key)
        page.wait_for_function(_SETTLED)
        assert page.evaluate(_STOP)["inDrawer"] and page.evaluate(_SHOWN), page.evaluate(_STOP)
        if not page.evaluate("() => document.activeElement.matches('label.md-nav__title')"):
            page.keyboard.press("Shift+Tab")  # from the level's first link back to its title
        assert page.evaluate("() => document.activeElement.matches('label.md-nav__title')"), page.evaluate(_STOP)
        page.keyboard.press(key)
        page.wait_for_function(_SETTLED)
        assert page.evaluate("() => document.activeElement.matches('label.md-nav__link')") and page.evaluate(_SHOWN)
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !({_DRAWER_OPEN[6:]})")
    assert page.evaluate("() => document.activeElement.matches('label[for=__drawer]')"), page.evaluate(_STOP)


def test_a_drawing_can_be_skipped_from_the_keyboard(page, site_url):
    """Every node of the network view's drawing is a link: crossing it took 74 presses of Tab (a
    reader's trial). A link before it, out of sight until focused, skips to just after it."""
    page.goto(f"{site_url}/views/network.html")
    skip = page.locator("a.kb-skip-drawing")
    assert skip.count() == 1 and skip.bounding_box()["width"] <= 1  # out of sight
    tab_to(page, ".kb-skip-drawing", 200, "the skip link")
    assert skip.bounding_box()["width"] > 20  # shown while focused
    page.keyboard.press("Enter")
    page.wait_for_url("**#after-network")
    page.keyboard.press("Tab")
    # the focus is past the drawing: not in it, and after it in the document
    assert page.evaluate("""() => {
        const active = document.activeElement, drawing = document.querySelector('object.kb-network');
        return active.tagName !== 'OBJECT' && active !== document.body &&
            !!(drawing.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
