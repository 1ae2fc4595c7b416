"""Site gates: every link in the built HTML resolves, axe-core finds no serious or critical
accessibility violation, and the Nu HTML checker finds no error.

Every gate runs on both engines' builds of the real site (the `engine_site` fixture: `mkdocs build
--strict`, and `scripts/build.py --engine zensical`, whose `zensical build --strict` validates links
and anchors too). These gates check what that
validation does not see: the finished HTML, theme included, and the SVG maps and networks.

- Links: every href/src/data/srcset of every page and of every SVG a page embeds, resolved against
  its file, leads to a file of the site, and a #fragment to an element with that id there. Links to
  other hosts are counted, never fetched.
- axe-core (bundled by axe-playwright-python, nothing fetched) in Debian's chromium, on home, a page
  of every type, every index, every view, the hand-written pages and the open search dialog.
- The Nu HTML checker (npm vnu-jar, tests/vnu; scripts/test.sh installs it) on the same pages.

Both checkers' reports, and screenshots of home and the search dialog, go to test-results/gates-<engine>-*.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import CHROMIUM, ROOT, engine_of, new_context, serve_folder

from kb.registry import REGISTRY, VIEWS
from link_check import check_links, scan  # scripts/link_check.py: also run by scripts/build.py

VNU_JAR = ROOT / "tests" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SHOTS = ROOT / "test-results"
IN_CI = bool(os.environ.get("CI"))


def unavailable(reason: str):
    """Skip where a tool is missing on a developer's machine; in CI (which installs it) fail."""
    if IN_CI:
        pytest.fail(reason + " (CI runs scripts/test.sh, which installs it)")
    pytest.skip(reason + ": scripts/test.sh installs it")


# ----------------------------------------------------------------------------- the pages checked

# One record page of each type: these where they exist (the ones the issue names), else the first.
PREFERRED = {
    "actor": "kazakhstan",
    "agreement": "joint-declaration-strategic-partnership",
    "event": "state-visit",
    "place": "gwadar",
    "question": "trade-baseline",
    "sector": "energy",
    "source": "javaid-strategic-partnership",
    "claim": "javaid-trade-baseline-2024-25",
}


def checked_pages(site: Path) -> list[str]:
    pages = ["index.html"]
    for rtype in REGISTRY:
        folder = site / rtype.plural
        records = sorted(p.name for p in folder.glob("*.html") if p.name != "index.html")
        preferred = f"{PREFERRED.get(rtype.name, '')}.html"
        if rtype.name == "corridor":  # one with a map of its own
            records = [r for r in records if (folder / r.replace(".html", ".map.svg")).exists()] or records
        pages.append(f"{rtype.plural}/{preferred if preferred in records else records[0]}")
        pages.append(f"{rtype.plural}/index.html")
    pages += [f"views/{view.slug}.html" for view in VIEWS]
    pages += ["about.html", "editing.html"]
    return pages


def test_the_checked_pages_cover_every_type_and_view(engine_site: Path):
    pages = checked_pages(engine_site)
    assert len(pages) == len(set(pages)) == 1 + 2 * len(REGISTRY) + len(VIEWS) + 2
    for page in pages:
        assert (engine_site / page).is_file(), page


# ----------------------------------------------------------------------------- links

def test_every_link_of_the_built_site_resolves(engine_site: Path, real_kb):
    started = time.perf_counter()
    counts, problems = check_links(engine_site)
    took = time.perf_counter() - started
    print(
        f"link check: {counts['pages']} pages and {counts['svgs']} embedded SVGs, {counts['links']} links "
        f"({counts['anchors']} with an anchor), {counts['external']} to other hosts (not fetched), {took:.1f} s"
    )
    # every record has a page, so the checker must have read at least that many (no count of today's data)
    assert counts["pages"] >= len(real_kb.nodes) and counts["svgs"] > 0 and counts["anchors"] > 0, counts
    assert problems == [], f"{len(problems)} broken links:\n" + "\n".join(problems[:50])


def test_the_link_check_finds_broken_links_and_anchors(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="../b.html#ok"><text id="t">x</text></a>'
        '<a href="../b.html#gone"/></svg>'
    )
    (tmp_path / "b.html").write_text(
        '<p id="ok"><a href="a/x.svg">svg</a> <a href="#ok">self</a> <a href="#nope">bad</a>'
        '<img src="c.png" srcset="b.html 1x, d.png 2x"><a href="https://example.org/">out</a>'
        '<object data="a/x.svg" type="image/svg+xml"></object><a href="../../etc/passwd">up</a>'
    )
    counts, problems = check_links(tmp_path)
    assert counts["external"] == 1 and counts["svgs"] == 1
    assert sorted(p.split(": ", 1)[1] for p in problems) == sorted([
        "<a href='#nope'>: no element with that id",
        "<img src='c.png'>: no such file",
        "<img srcset='d.png'>: no such file",
        "<a href='../../etc/passwd'>: outside the site",
        "<a href='../b.html#gone'>: no element with that id",
    ]), problems


# ----------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def gate_url(engine_site: Path):
    with serve_folder(engine_site) as url:
        yield url


@pytest.fixture(scope="module")
def gate_page(gate_url, request):
    if not CHROMIUM.exists():
        unavailable("Debian's chromium is not installed")
    browser = request.getfixturevalue("browser")  # the session's chromium (one Playwright per process)
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


BLOCKING = {"serious", "critical"}


def axe_violations(page, label: str, report: list[str]) -> list[str]:
    """axe-core on the page as it is now; the serious and critical violations (others go to the report)."""
    from axe_playwright_python.sync_playwright import Axe

    # No rule disabled: every rule of axe-core's default set runs. Only the violations are reported
    # in full (``resultTypes``: the passing, incomplete and inapplicable results keep one node each,
    # which this gate does not read); the violations are the same, and axe took 53 s instead of
    # 81 s over the checked pages of the real site (the disagreements view: 8 s instead of 15 s).
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    blocking = []
    for v in results.response["violations"]:
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        line = f"{label}: {v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']} — {targets}"
        report.append(line)
        if v["impact"] in BLOCKING:
            summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")
            blocking.append(f"{line}\n    {summary[:300]}")
    return blocking


def test_axe_finds_no_serious_or_critical_violation(gate_page, gate_url, engine_site: Path):
    page, report, blocking = gate_page, [], []
    started = time.perf_counter()
    svgs: list[str] = []
    for path in checked_pages(engine_site):
        page.goto(f"{gate_url}/{path}")
        page.wait_for_load_state("load")
        blocking += axe_violations(page, path, report)
        svgs += page.eval_on_selector_all("article object[data]", "els => els.map(e => e.data)")
    # the maps and networks those pages embed are documents of their own, which axe does not enter
    # from the page: each on its own (links named; axe leaves SVG text contrast undecided)
    for url in dict.fromkeys(svgs):
        page.goto(url)
        page.wait_for_load_state("load")
        blocking += axe_violations(page, url.removeprefix(gate_url + "/"), report)

    # the search dialog, open with results: Material's box, or Zensical's dialog (drawn by its
    # script in a shadow root, which Playwright's selectors and axe enter)
    engine = engine_of(engine_site)
    SHOTS.mkdir(exist_ok=True)
    page.goto(f"{gate_url}/index.html")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / f"gates-{engine}-home.png"))
    if engine == "mkdocs":
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially("Kazakhstan", delay=20)
        page.locator(".md-search-result__item").first.wait_for()
    else:
        page.locator(".md-search__button").click()
        page.locator("dialog input").press_sequentially("Kazakhstan", delay=20)
        page.locator("dialog a[href*='kazakhstan']").first.wait_for()
    page.screenshot(path=str(SHOTS / f"gates-{engine}-search.png"))
    blocking += axe_violations(page, "index.html with the search dialog open", report)

    took = time.perf_counter() - started
    (SHOTS / f"gates-{engine}-axe.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"axe-core: {len(checked_pages(engine_site)) + 1} pages and {len(set(svgs))} SVGs in {took:.0f} s; other violations:")
    print("\n".join(line for line in report if not any(f" {i} " in line for i in BLOCKING)) or "none")
    assert blocking == [], "\n".join(blocking)
    own = urlsplit(gate_url).netloc
    assert [u for u in page.requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != own] == []


# ----------------------------------------------------------------------------- Nu HTML checker


def test_the_nu_html_checker_finds_no_error(engine_site: Path):
    java = shutil.which("java")
    if java is None:
        unavailable("no Java runtime for the Nu HTML checker")
    if not VNU_JAR.is_file():
        unavailable(f"the Nu HTML checker is not installed ({VNU_JAR.relative_to(ROOT)})")
    pages = ["404.html", *checked_pages(engine_site)]
    svgs = [  # the maps and networks those pages embed, checked as SVG
        posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
        for page in pages
        for tag, attr, url in scan(engine_site / page).links
        if tag == "object" and attr == "data"
    ]
    pages += list(dict.fromkeys(svgs))
    started = time.perf_counter()
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--also-check-svg", "--format", "json", *pages],
        cwd=engine_site, capture_output=True, text=True, timeout=300,
    )
    took = time.perf_counter() - started
    messages = json.loads(result.stderr or result.stdout)["messages"]
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"gates-{engine_of(engine_site)}-vnu.json").write_text(json.dumps(messages, indent=1), encoding="utf-8")
    errors = [
        f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:120]}]"
        for m in messages if m.get("type") in ("error", "non-document-error")
    ]
    print(f"Nu HTML checker: {len(pages) - len(set(svgs))} pages and {len(set(svgs))} SVGs in {took:.0f} s, {len(errors)} errors")
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr[-2000:]
