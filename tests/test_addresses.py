"""Every address of this site that a page writes as text resolves, as every link does.

A page tells readers addresses in its text, not only in links: how to link to a claim on a record
page, the permalink printed under the title, the citations of "Cite this" (text, permalink,
BibTeX, CSL-JSON, in code blocks), the briefing's note on where its link targets are relative to.
An address is this site's when it starts with `site_url` (mkdocs.yml), or when it is a path into
one of the site's folders of pages (`actors/x.html#y`, `../claims/y.html`, `…/actors/x.html`) or
to a download (`data/claims.csv`). Each must lead
to a file of the built site (use_directory_urls is off: `actors/x/` is no address) and, with a
#fragment, to an element with that id there. The text is every text node of the page (code
included; scripts and styles left out).
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from conftest import ROOT

from kb.registry import REGISTRY

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))["site_url"]
FOLDERS = sorted({t.plural for t in REGISTRY} | {"views"})  # the folders of pages
# An address ends at a space, a quote, a bracket, a comma ...; one that runs into a '<' is a
# placeholder such as actors/<id>.html, not an address.
_PATH = r"[^\s\"'<>()\[\]{}`,;]*+(?!<)"
ABSOLUTE = re.compile(re.escape(SITE_URL) + _PATH)
# A site path in prose: at a word's start, or after an ellipsis standing for the site's address.
# The downloads are files in data/; the repository's data/claims/ ... (How to edit the data) are not.
RELATIVE = re.compile(
    r"(?:…/|(?<![\w/.:@-]))((?:\.\./)*(?:(?:" + "|".join(FOLDERS) + r")/" + _PATH + r"|data/[\w.-]+\.(?:json|csv)\b))"
)


class _Page(HTMLParser):
    """The text nodes of a page (not scripts or styles) and its ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.ids: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.add(value)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


def read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def addresses(text: str) -> list[tuple[str, bool]]:
    """(address, absolute) for each address of this site in a text; a full stop or colon that ends
    a sentence is not part of it."""
    found = [(m[0], True) for m in ABSOLUTE.finditer(text)]
    rest = ABSOLUTE.sub(" ", text)
    found += [(m[1], False) for m in RELATIVE.finditer(rest)]
    return [(a.rstrip(".:"), absolute) for a, absolute in found]


def check_addresses(site: Path) -> tuple[int, list[str]]:
    """Every address in the text of every page of a built site: how many, and those that do not resolve."""
    site = site.resolve()
    cache: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in cache:
            cache[path] = read(path)
        return cache[path]

    count, problems = 0, []
    for source in sorted(site.rglob("*.html")):
        where = source.relative_to(site).as_posix()
        for text in page(source).texts:
            for address, absolute in addresses(text):
                count += 1
                parts = urlsplit(address[len(SITE_URL):] if absolute else address)
                path = unquote(parts.path)
                base = "" if absolute or not path.startswith("../") else posixpath.dirname(where)
                target = site / posixpath.normpath(posixpath.join(base, path or "."))
                if not path or path.endswith("/"):
                    target = target / "index.html"
                if not target.resolve().is_relative_to(site) or not target.is_file():
                    problems.append(f"{where}: {address!r}: no such page")
                elif parts.fragment and (target.suffix != ".html" or unquote(parts.fragment) not in page(target).ids):
                    problems.append(f"{where}: {address!r}: no element with that id")
    return count, problems


def test_every_address_in_the_text_of_the_site_resolves(built_site: Path, real_kb):
    count, problems = check_addresses(built_site)
    # each record page prints its permalink and cites it four times; record pages with claims give one more
    assert count > 5 * len(real_kb.nodes), count
    assert problems == [], f"{len(problems)} addresses that lead nowhere:\n" + "\n".join(problems[:30])


def test_the_address_check_finds_what_leads_nowhere(tmp_path: Path):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "kazakhstan.html").write_text('<p id="a-claim">x</p>')
    (tmp_path / "index.html").write_text(
        "<p>Link to a claim as <code>…/actors/kazakhstan/#a-claim</code> or "
        f"<code>actors/kazakhstan.html#a-claim</code>; see {SITE_URL}actors/kazakhstan.html#a-claim.</p>"
        f"<pre><code>{SITE_URL}actors/kazakhstan.html#gone\n\\url{{{SITE_URL}actors/nobody.html}}</code></pre>"
        "<p>Placeholders are not addresses: actors/&lt;id&gt;.html; another host is not this site: "
        "http://127.0.0.1:8000/actors/x.html; a repository path is not an address: data/claims/x.yaml; "
        "a download is: data/claims.csv</p><script>var u = 'actors/script-only.html'</script>"
    )
    count, problems = check_addresses(tmp_path)
    assert sorted(p.split(": ", 1)[1] for p in problems) == sorted([
        "'actors/kazakhstan/#a-claim': no such page",
        f"'{SITE_URL}actors/kazakhstan.html#gone': no element with that id",
        f"'{SITE_URL}actors/nobody.html': no such page",
        "'data/claims.csv': no such page",
    ]), problems
    assert count == 6  # the two good ones and the four bad ones
