"""Every text field is text: a site built from hostile data (tests/fixtures/hostile/) runs no script
of the data's and shows the data literally.

The fixture is the mini dataset with every text field (names, descriptions, notes, paraphrases,
excerpts, units, qualifiers, aliases, role titles, source author/perspective/covers, sector name
and tag, leg notes, date notes) carrying `<script>`, `<img onerror>`, `javascript:` links, Markdown
and HTML links, Jinja `{{ }}`, front-matter delimiters, comment and CDATA ends, attribute lists
(`{: onclick=... }`), admonition and fence starts, backslashes and bidi marks. Each payload that
could run sets `window.__pwned` to its own number.

Static checks read every built HTML page and SVG of the site as each engine builds it (MkDocs +
Material, and Zensical through scripts/build.py); the browser checks load the MkDocs site's pages of
every type and every view in Debian's chromium (never a downloaded browser) and click the hostile
links.
"""

from __future__ import annotations

import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ENGINES, ROOT, kb_cli, make_project, mkdocs, needs_chromium, new_context, plain, run, serve_folder

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
SHOTS = ROOT / "test-results"

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
MD_LINK = "[click](javascript:window.__pwned=3)"
A_LINK = '<a href="javascript:window.__pwned=4">x</a>'
JINJA = "{{ 7*7 }} {% raw %}"
ATTR_LIST = '{: .attr onclick="window.__pwned=9" }'
ATTR_ID = '{ #id onclick="window.__pwned=10" }'
MARKDOWN = "*emphasis* _x_ | pipes | # heading"
LITERALS = [SCRIPT, IMG, MD_LINK, A_LINK, JINJA, ATTR_LIST, ATTR_ID, MARKDOWN, "&amp; &lt;", "]]>", "<!-- -->"]

# The theme's own scripts: inline bootstrap (scope, palette, anchors), its config and bundles.
THEME_INLINE = ("__md_scope=", "var palette=", "var target=document.getElementById")
# The site's own inline scripts, exactly as scripts/overrides/partials/search.html writes them: under
# Zensical the search dialog's fixes, under Material the search box's pasted queries.
OVERRIDE_INLINE = tuple(
    part.split("</script>", 1)[0].strip()
    for part in (ROOT / "scripts/overrides/partials/search.html").read_text(encoding="utf-8").split("<script>")[1:]
)


@pytest.fixture(scope="module")
def kb():
    from kb.pipeline import Paths, load

    return load(Paths(root=HOSTILE.parent, data=HOSTILE, docs=HOSTILE / "unused-docs"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    proj = make_project(tmp_path_factory.mktemp("hostile") / "proj", HOSTILE)
    result = mkdocs(proj, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    result = kb_cli(proj, "generate")  # the Markdown as written for other engines (the build keeps it in memory)
    assert result.returncode == 0, result.stdout + result.stderr
    return proj / "site"


@pytest.fixture(scope="module", params=ENGINES)
def built(request, tmp_path_factory) -> Path:
    """The hostile site as each engine builds it: MkDocs' (``site``), and Zensical's as users build
    it (scripts/build.py: generate, `zensical build --strict`, the same post-build steps)."""
    if request.param == "mkdocs":
        return request.getfixturevalue("site")
    proj = make_project(tmp_path_factory.mktemp("hostile-zensical") / "proj", HOSTILE)
    result = run([sys.executable, "scripts/build.py", "--engine", "zensical", "--no-check"], proj)
    assert result.returncode == 0, result.stdout + result.stderr
    return proj / "site"


norm = plain  # text as shown: NFKC, whitespace folded (conftest explains why)


# ----------------------------------------------------------------------------- the fixture


def test_the_fixture_is_hostile_everywhere(kb):
    """Each payload is in the data, in fields of every record type, so every kind of page meets it."""
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    texts = [t for n in kb.nodes.values() for t in strings(n.record.model_dump())]
    for payload in [*LITERALS, "!!! note", "```", "---\ntitle: hacked\n---", "\u202e", "\\"]:
        assert any(payload in t for t in texts), payload
    names = {n.type.name: n.name for n in kb.nodes.values()}
    assert set(names) == {"source", "actor", "agreement", "event", "corridor", "place", "question", "claim", "sector", "vocabulary"}
    assert all(re.search(r"[<{\[*&`]", name) for n in kb.nodes.values() for name in [n.name] if n.type.name != "sector" or n.id == "transport")
    assert any(n.record.former_ids for n in kb.nodes.values()), "a redirect page is built"


# ----------------------------------------------------------------------------- static checks


class _Scan(HTMLParser):
    """Scripts, event-handler attributes and javascript: URLs of one HTML or SVG file."""

    def __init__(self, svg: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.svg, self.article, self.problems = svg, 0, []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.article += 1
        if tag == "script":
            self._in_script = a
            self.scripts.append((a, ""))
        for key, value in attrs:
            if key.startswith("on") and (self.article or self.svg):
                self.problems.append(f"<{tag} {key}={value!r}>")
            if value and re.match(r"\s*(javascript|vbscript|data):", value, re.I) and key in ("href", "src", "xlink:href", "data", "action"):
                self.problems.append(f"<{tag} {key}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "article":
            self.article -= 1
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def _built(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in (".html", ".svg"))


def test_no_script_no_handler_no_javascript_url(built):
    site = built
    problems = []
    files = _built(site)
    assert len(files) > 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(site).as_posix()
        scan = _Scan(svg=path.suffix == ".svg")
        scan.feed(text)
        problems += [f"{rel}: {p}" for p in scan.problems]
        if path.suffix == ".svg":
            if scan.scripts or re.search(r"<(script|foreignObject|iframe)\b", text, re.I):
                problems.append(f"{rel}: script in an SVG")
            continue
        for attrs, body in scan.scripts:
            kind = attrs.get("type")
            if kind == "application/ld+json":
                if "<" in body or "</script" in body.lower():
                    problems.append(f"{rel}: JSON-LD with '<'")
                json.loads(body)
            elif kind == "application/json" and attrs.get("id") == "__config":
                continue
            elif attrs.get("src"):
                # the theme's, the vendored libraries', the search index, the claims explorer's glue
                # with the text folding it shares with the search worker, and the header's buttons
                # from the keyboard
                if not re.match(r"(\./)?/?(\.\./)*(assets/(javascripts|vendor)/|assets/explorer\.js$|assets/search/text\.js$|assets/keyboard\.js$|search/search_index\.js)", attrs["src"]):
                    problems.append(f"{rel}: script src {attrs['src']}")
            elif rel.endswith(".html") and body.startswith("location.replace(") and "(moved)" in text:
                continue  # a redirect page's own forwarding script (its target is an id)
            elif not body.strip().startswith(THEME_INLINE) and body.strip() not in OVERRIDE_INLINE or "__pwned" in body:
                problems.append(f"{rel}: inline script {body[:80]!r}")
    assert problems == []


def test_hostile_text_is_escaped_not_interpreted(built, kb):
    site = built
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    everything = "\n".join(pages.values())
    assert "window.__pwned" in everything
    for raw in (SCRIPT, IMG, A_LINK, "<!-- -->"):
        assert raw not in everything, raw
    # Jinja syntax in the data stays as written: it is never a template.
    assert "{{ 7*7 }}" in everything
    assert not re.search(r"\b49\b", everything)
    # Each record page: the title is its page title (the record's name; a source's leads with the
    # name the site gives it), the heading is the name, and the article shows the name as text, escaped.
    from kb.render import Renderer

    renderer = Renderer(kb)
    for node in kb.nodes.values():
        page = pages[node.path[: -len(".md")] + ".html"]
        title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1])
        assert norm(title) == norm(f"{renderer.page_title(node)} - Tokayev in Pakistan, 3–4 February 2026"), node.id
        assert "hacked" not in title or "title: hacked" in node.name
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]
        assert norm(html.unescape(re.sub(r"<[^>]+>", "", h1))).rstrip("¶").strip() == norm(node.name), node.id
    claim = pages["claims/one-count.html"]
    assert html.escape(SCRIPT, quote=False) in claim or html.escape(SCRIPT) in claim
    # The attribute lists in the data are text, not attributes (no on* attribute: see above).
    assert "class=\"attr\"" not in everything and 'id="id"' not in everything
    # No admonition and no list came from the data (descriptions that start with `!!!` or `- `).
    # A description of `---` is text, not a horizontal rule (tests/test_markdown_text.py has the kind).
    port_b = pages["places/port-b.html"].split("<article", 1)[1].split("</article>", 1)[0]
    assert "<hr" not in port_b and re.search(r"<p>(?:---|&#45;--)</p>", port_b)
    land_b = pages["actors/land-b.html"]
    assert land_b.count('<div class="admonition') == 1  # the editorial note's, not the description's
    assert "!!! note" in html.unescape(land_b)


def test_redirect_pages_and_svgs_escape_names(built, kb):
    site = built
    land_a = kb.get("land-a")
    redirect = (site / "actors" / "old-land-a.html").read_text(encoding="utf-8")
    assert html.escape(land_a.name) in redirect and A_LINK not in redirect
    svgs = list(site.rglob("*.svg"))
    labels = "\n".join(p.read_text(encoding="utf-8") for p in svgs if "assets" not in p.parts)
    assert "&lt;script&gt;" in labels and "<script" not in labels


def test_downloads_and_citations_keep_the_text(built, kb):
    site = built
    data = json.loads((site / "data" / "knowledge-base.json").read_text(encoding="utf-8"))
    assert SCRIPT in json.dumps(data, ensure_ascii=False)
    claim = kb.get("one-count")
    page = (site / "claims" / "one-count.html").read_text(encoding="utf-8")
    # Cite this: text, BibTeX and CSL-JSON are code blocks, shown escaped.
    cite = page[page.index('id="cite"') : page.index('id="references"')]
    assert "<script>window" not in cite and "&lt;/script&gt;" in cite
    text = html.unescape(re.sub(r"<[^>]+>", "", cite))
    assert "@misc{kb-one-count" in text
    assert norm(claim.record.excerpt) in norm(text)  # the plain-text citation quotes it as written
    assert json.dumps(claim.record.excerpt, ensure_ascii=False)[1:-1] in text  # CSL-JSON
    front = (site.parent / "docs" / "sectors" / "diplomacy.md").read_text(encoding="utf-8")
    assert "title: hacked" not in front.split("---")[1]


# ----------------------------------------------------------------------------- in a browser

browser_only = needs_chromium


@pytest.fixture(scope="module")
def site_url(site: Path):
    with serve_folder(site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    context.add_init_script("window.__pwned = 0")
    page = context.new_page()
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _clean(page) -> None:
    assert page.evaluate("window.__pwned") == 0, page.url
    assert page.dialogs == []


RECORD_PAGES = [
    "sources/src-one.html", "actors/land-a.html", "actors/leader-a.html", "agreements/the-declaration.html",
    "events/the-visit.html", "corridors/a-b-route.html", "places/capital-a.html", "questions/how-many.html",
    "claims/one-count.html", "sectors/diplomacy.html", "sectors/transport.html",
]
VIEWS = ["index.html", "views/disagreements.html", "views/timeline.html", "views/map.html",
         "views/network.html", "views/briefing.html", "actors/index.html", "claims/index.html", "tags.html"]


@browser_only
def test_no_script_runs_and_the_text_shows_literally(page, site_url, kb, site):
    SHOTS.mkdir(exist_ok=True)
    shown, svgs = [], []
    for path in RECORD_PAGES + VIEWS:
        if not (site / path).exists():
            continue
        page.goto(f"{site_url}/{path}")
        _clean(page)
        shown.append(norm(page.locator("article").first.inner_text()))
        svgs += page.eval_on_selector_all("article object[data]", "els => els.map(e => e.data)")
    assert len(svgs) >= 5
    # the embedded maps and networks, opened themselves, and a redirect from a former id
    for url in [*dict.fromkeys(svgs), f"{site_url}/actors/old-land-a.html"]:
        page.goto(url)
        _clean(page)
    assert page.url.endswith("actors/land-a.html")
    text = "\n".join(shown)
    for literal in LITERALS:
        assert norm(literal) in text, literal
    # The record's name is the page's heading and title, as written.
    page.goto(f"{site_url}/claims/one-count.html")
    node = kb.get("one-count")
    assert norm(page.title()) == norm(f"{node.name} - Tokayev in Pakistan, 3–4 February 2026")
    assert norm(page.locator("article h1").first.inner_text()).rstrip("¶").strip() == norm(node.name)
    assert page.get_by_text(SCRIPT, exact=False).first.is_visible()
    assert page.locator("article a[href^='javascript:'], article [onclick], article img").count() == 0
    page.screenshot(path=str(SHOTS / "injection-claim.png"), full_page=True)
    assert page.errors == []


@browser_only
def test_clicking_hostile_links_runs_nothing(page, site_url):
    page.goto(f"{site_url}/actors/land-a.html")
    page.wait_for_load_state("load")
    page.screenshot(path=str(SHOTS / "injection-actor.png"), full_page=True)
    # Links whose text is hostile lead to the records' own pages; clicking them runs nothing.
    hrefs = page.eval_on_selector_all("article a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    for text in ("click", "x", "Republic of A", "Land B", "Leader of A"):
        link = page.locator("article a:visible", has_text=text).first
        if link.count():
            link.click()
            page.wait_for_load_state("load")
            _clean(page)
            page.goto(f"{site_url}/actors/land-a.html")
    # The hostile text that looks like links is text: no element for it.
    assert page.get_by_text(MD_LINK, exact=False).count() >= 1
    assert page.get_by_text(A_LINK, exact=False).count() >= 1
    _clean(page)
