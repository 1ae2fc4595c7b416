"""Screenshots of the built site at a desktop and a phone width, for a human to look at.

    .venv/bin/python scripts/screenshots.py after             # builds site/ first
    .venv/bin/python scripts/screenshots.py before --no-build # takes the site/ already built
    .venv/bin/python scripts/screenshots.py after --page views/map.html --page index.html

Serves ``site/`` on a free local port (``http.server``), opens each page in Debian's chromium
(``/usr/bin/chromium``, driven by Playwright; never a downloaded browser) at 1280×900 and 390×844
CSS pixels, and saves the first screen as PNG to ``test-results/screenshots/<label>/<page>-<width>.png``
(``questions/trade-baseline.html`` at 390 px becomes ``questions-trade-baseline-390.png``) and,
where the page has a table of five or more columns, the first such table with 120 px around it
(at most 3,000 px tall) to ``<page>-<width>-table.png``; where that table scrolls in its box,
the same view scrolled half-way to ``<page>-<width>-table-scrolled.png``. A page
missing from the build (the claims explorer before it exists) is skipped with a printed note.
Prints, per page and width, the page's scroll width and the column widths of its table with the most columns
(CSS pixels), the figures the layout is judged by.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {1280: {"width": 1280, "height": 900}, 390: {"width": 390, "height": 844}}
PAGES = [
    "index.html",
    "actors/kassym-jomart-tokayev.html",
    "questions/trade-baseline.html",  # seven columns side by side, the widest table on the site
    "views/disagreements.html",
    "views/claims.html",  # the claims explorer, where it exists
]
MEASURE = """() => {
  const tables = [...document.querySelectorAll('article table')];
  const table = tables.sort((a, b) => b.rows[0].cells.length - a.rows[0].cells.length)[0];
  const cols = table ? [...table.rows[0].cells].map(c => Math.round(c.getBoundingClientRect().width)) : [];
  return {scroll: document.documentElement.scrollWidth, columns: cols};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("label", help="folder name under test-results/screenshots/ (before, after ...)")
    parser.add_argument("--no-build", action="store_true", help="take site/ as it is")
    parser.add_argument("--page", action="append", help="a page's path in site/ (repeatable); default: the five pages")
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)
    if not args.no_build:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=ROOT, check=True)
    out = ROOT / "test-results" / "screenshots" / args.label
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for path in args.page or PAGES:
        if (args.site / path).is_file():
            pages.append(path)
        else:
            print(f"skipped {path}: not in {args.site} (not built on this branch)")

    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for width, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport)
                context.set_default_timeout(180_000)
                page = context.new_page()
                for path in pages:
                    page.goto(f"{base}/{path}")
                    page.wait_for_load_state("networkidle")
                    page.evaluate("document.fonts.ready")
                    stem = f"{path.removesuffix('.html').replace('/', '-')}-{width}"
                    target = out / f"{stem}.png"
                    page.screenshot(path=str(target))  # the first screen, as a reader lands on it
                    wide = page.locator("article table").filter(has=page.locator("th:nth-child(5)"))
                    if wide.count():  # and the first table of five or more columns, with what surrounds it
                        box = wide.first.bounding_box()
                        top = max(0, box["y"] - 120)
                        clip = {"x": 0, "y": top, "width": viewport["width"], "height": min(box["height"] + 240, 3000)}
                        page.screenshot(path=str(out / f"{stem}-table.png"), full_page=True, clip=clip)
                        scroller = wide.first.locator("xpath=ancestor::*[contains(@class, 'md-typeset__scrollwrap')]")
                        if scroller.count() and scroller.evaluate("e => e.scrollWidth > e.clientWidth"):
                            # the table scrolls in its box: the same view scrolled half-way
                            scroller.evaluate("e => { e.scrollLeft = (e.scrollWidth - e.clientWidth) / 2; }")
                            page.screenshot(path=str(out / f"{stem}-table-scrolled.png"), full_page=True, clip=clip)
                    m = page.evaluate(MEASURE)
                    print(f"{target.relative_to(ROOT)}: scroll width {m['scroll']} px, widest table's columns {m['columns']}")
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
