"""Offline: the built site works from a folder opened with file://, and no build lets a page ask
another host for anything.

- The guard (scripts/mkdocs_hooks.py, on_post_build) on hand-made markup, and in a real build of a
  scratch project with a CDN script and a remote font in it: the build fails naming each file and URL.
- The real site passes it, carries its own copy of the iframe-worker shim and the inlined search index.
- A reader in Debian's chromium on file://<site>/index.html: navigation by clicking, search, the map
  and the network drawn, with every request recorded: none fails, none leaves file:, data: or blob:,
  and the console shows no error. Screenshots go to test-results/offline-*.png.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import MINI, ROOT, make_project, mkdocs, needs_chromium, new_context, plain

SHOTS = ROOT / "test-results"
SHIM = "assets/vendor/iframe-worker/shim.js"


# ----------------------------------------------------------------------------- the guard


def test_the_guard_finds_every_kind_of_request_to_another_host_and_nothing_else():
    from mkdocs_hooks import external_references

    page = """<!doctype html><html><head>
      <link rel="canonical" href="https://kb.example/page.html">
      <link rel="stylesheet" href="https://cdn.example/a.css">
      <link rel="preconnect" href="https://fonts.example">
      <script src="//cdn.example/x.js"></script>
      <style>@import "https://fonts.example/f.css"; body { background: url( 'https://img.example/b.png') }</style>
    </head><body>
      <a href="https://example.org/">a link the reader may follow</a>
      <p>Text that mentions src="https://text.example/" or url(https://text.example/) fetches nothing.</p>
      <img src="local.png" srcset="a.png 1x, https://img.example/c.png 2x" alt="">
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
        <use href="https://sprite.example/s.svg#i"/>
        <a xlink:href="https://example.org/map"><rect fill="url(https://x.example/g.svg#p)"/></a>
      </svg>
      <div style="background-image:url(//bg.example/d.png)"></div>
      <object data="https://obj.example/m.svg" type="image/svg+xml"></object>
      <iframe src = "HTTPS://frame.example/"></iframe>
      <img data-src="https://lazy.example/ignored.png" src="data:image/png;base64,AAAA" alt="">
      <pre class="mermaid"><code>graph LR; A --> B</code></pre>
      <pre class="language-mermaid-like"><code>not a diagram</code></pre>
    </body></html>"""
    assert external_references(page) == [
        ("<link href>", "https://cdn.example/a.css"),
        ("<link href>", "https://fonts.example"),
        ("<script src>", "//cdn.example/x.js"),
        ("@import", "https://fonts.example/f.css"),
        ("url()", "https://img.example/b.png"),
        ("<img srcset>", "https://img.example/c.png"),
        ("<use href>", "https://sprite.example/s.svg#i"),
        ("url()", "https://x.example/g.svg#p"),
        ("url()", "//bg.example/d.png"),
        ("<object data>", "https://obj.example/m.svg"),
        ("<iframe src>", "HTTPS://frame.example/"),
        ('<pre class="mermaid">', "https://unpkg.com/mermaid (the theme loads it)"),
    ]
    css = "/* url(https://comment.example/) */ a { background: url(\"https://css.example/z.png\") }"
    css += " @import url(//imp.example/q.css); b { background: url(data:image/svg+xml;x) }"
    assert external_references(css, css=True) == [
        ("url()", "https://css.example/z.png"),
        ("url()", "//imp.example/q.css"),
    ]


@pytest.mark.parametrize("index", [
    {"config": {"lang": ["en"]}, "docs": [{"location": "a.html", "text": 'brackets ] } [ and "quotes"'}, {"location": "b.html"}]},
    {"docs": [{"location": "a.html"}], "config": {"lang": ["en"]}},  # either order
    {"config": {}, "docs": []},
    {"config": {"lang": ["en"]}},
])
@pytest.mark.parametrize("indent", [None, 2])
def test_the_search_index_is_read_one_document_at_a_time_as_a_whole_parse_reads_it(tmp_path, index, indent):
    import json

    import site_search

    path = tmp_path / "search_index.json"
    path.write_text(json.dumps(index, indent=indent), encoding="utf-8")
    config, docs = site_search.read_index(path)
    assert config == index["config"] and list(docs) == index.get("docs", [])
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="not a search index"):
        site_search.read_index(path)


def test_a_build_that_would_ask_another_host_fails_naming_every_file_and_url(tmp_path):
    proj = make_project(tmp_path / "proj", MINI)
    (proj / "docs" / "cdn.md").write_text(
        "# From a CDN\n\n"
        '<script src="https://cdn.example/x.js"></script>\n\n'
        '<a href="https://example.org/">a plain link is fine</a>\n',
        encoding="utf-8",
    )
    (proj / "docs" / "assets" / "extra.css").write_text(
        "@font-face { font-family: F; src: url(https://fonts.example/f.woff2) format('woff2') }\n",
        encoding="utf-8",
    )
    with open(proj / "mkdocs.yml", "a", encoding="utf-8") as config:  # the theme would ask GitHub's API
        config.write("repo_url: https://github.com/example/kb\n")
    result = mkdocs(proj, "build")  # not --strict: the guard stops any build
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "request another host (3 reference(s))" in out, out
    assert "cdn.html: <script src> https://cdn.example/x.js" in out, out
    assert "assets/extra.css: url() https://fonts.example/f.woff2" in out, out
    assert "mkdocs.yml: repo_url https://github.com/example/kb" in out, out
    assert "example.org" not in out, out  # a plain link is not a request


def test_the_vendored_shim_is_the_pinned_package_file():
    from vendor_assets import stale

    assert stale() == [], "run scripts/vendor_assets.py (it fetches the pinned package from npm)"


def test_the_real_site_passes_the_guard_and_carries_its_own_shim(built_site):
    from mkdocs_hooks import scan_site

    started = time.perf_counter()
    scanned, problems = scan_site(built_site)
    print(f"offline check: {scanned} files in {(time.perf_counter() - started) * 1000:.0f} ms")  # for a human; its speed is scripts/benchmark.py's
    assert problems == []
    html_pages = sum(1 for _ in built_site.rglob("*.html"))
    assert scanned >= html_pages > 0

    shim = built_site / SHIM
    assert shim.is_file() and "IFrameWorker" in shim.read_text(encoding="utf-8")
    assert (shim.parent / "LICENSE").is_file()
    assert (built_site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    # each page loads the shim relative to itself, and nothing from unpkg
    assert f'<script src="{SHIM}"></script>' in (built_site / "index.html").read_text(encoding="utf-8")
    record = (built_site / "actors" / "kazakhstan.html").read_text(encoding="utf-8")
    assert f'<script src="../{SHIM}"></script>' in record
    assert "unpkg" not in record


# ----------------------------------------------------------------------------- file:// in a browser

browser_only = needs_chromium


class Recorder:
    """Every request a page (and its frames) makes, every failed one, every console error."""

    def __init__(self, page) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def assert_offline(self) -> None:
        assert self.requests, "no request was recorded"
        assert self.failed == []
        assert [u for u in self.requests if urlparse(u).scheme not in ("file", "data", "blob")] == []
        assert self.errors == []


@pytest.fixture
def page(browser, built_site):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.recorder = Recorder(page)
    page.home = (built_site / "index.html").as_uri()
    page.site = built_site.as_uri()
    SHOTS.mkdir(exist_ok=True)
    yield page
    context.close()


def heading(page) -> str:
    return plain(page.locator("h1").first.inner_text()).rstrip("¶").strip()


@browser_only
def test_over_file_navigation_by_clicking(page):
    page.goto(page.home)
    assert page.url.startswith("file://")
    assert page.locator("h1").count() == 1
    page.locator(".md-tabs a.md-tabs__link", has_text="Actors").click()
    page.wait_for_url("**/actors/index.html")
    page.locator("article a[href$='kazakhstan.html']").first.click()
    page.wait_for_url("**/actors/kazakhstan.html")
    assert heading(page) == "Kazakhstan"
    page.screenshot(path=str(SHOTS / "offline-record.png"))
    page.locator("header a.md-logo").click()  # back home through a link
    page.wait_for_url("**/index.html")
    assert page.url == page.home
    page.wait_for_load_state("load")
    page.recorder.assert_offline()


@browser_only
def test_over_file_search_finds_a_record(page):
    page.goto(page.home)
    query = page.locator("input.md-search__input")
    query.click()  # over file:// the index is built in the iframe worker when search first opens
    # typed key by key, as a reader does: Material reads the query on keyup (fill sends no key)
    query.press_sequentially("Falcon EuroBus", delay=20)
    # the link carries ?h=… (search.highlight), which works over file:// too
    result = page.locator(".md-search-result__item a[href*='actors/falcon-eurobus.html']").first
    result.wait_for()
    page.screenshot(path=str(SHOTS / "offline-search.png"))
    result.click()
    page.wait_for_url("**/actors/falcon-eurobus.html*")
    assert heading(page) == "Falcon EuroBus"
    page.wait_for_load_state("load")
    rec = page.recorder
    assert any(u.endswith("/search/search_index.js") for u in rec.requests)  # the inlined index
    assert any(u.endswith("/" + SHIM) for u in rec.requests)
    rec.assert_offline()


@browser_only
def test_over_file_the_text_is_set_in_the_vendored_face(page):
    """The @font-face url()s resolve relative to fonts.css from a folder too."""
    page.goto(page.site + "/questions/trade-baseline.html")
    page.wait_for_load_state("load")
    face = "Source Sans 3 Variable"
    facts = page.evaluate("""face => document.fonts.ready.then(() => ({
      family: getComputedStyle(document.querySelector('article p')).fontFamily,
      loaded: [...document.fonts].filter(f => f.family.replace(/["']/g, '') === face && f.status === 'loaded').length,
    }))""", face)
    assert facts["family"].strip("\"'").startswith(face) and facts["loaded"] >= 1, facts
    assert any(u.endswith(".woff2") and u.startswith("file://") for u in page.recorder.requests)
    page.recorder.assert_offline()


def _embedded(page, suffix: str):
    """The SVG an <object> embeds, as a frame, once it has loaded."""
    page.wait_for_load_state("load")
    frames = [f for f in page.frames if f.url.endswith(suffix)]
    assert len(frames) == 1, [f.url for f in page.frames]
    return frames[0]


@browser_only
@pytest.mark.parametrize(
    ("path", "selector", "svg"),
    [
        ("views/map.html", "object.kb-map", "map.map.svg"),
        ("views/network.html", "object.kb-network", "network.network.svg"),
    ],
)
def test_over_file_the_map_and_the_network_are_drawn_with_links(page, path, selector, svg):
    page.goto(f"{page.site}/{path}")
    figure = page.locator(f"article {selector}").first
    box = figure.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150, box
    frame = _embedded(page, svg)
    assert frame.locator("svg").count() >= 1
    assert frame.locator("a[href]").count() > 5
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"offline-{svg.split('.')[0]}.png"))
    page.recorder.assert_offline()
