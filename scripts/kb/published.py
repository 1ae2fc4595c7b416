"""The published URLs and anchors of a built site, and the check that none of them disappears.

A briefing links to a page (``actors/kazakhstan.html``) or to an anchor on it
(``actors/kazakhstan.html#goulard-trade-target-1-billion``). The list of every such URL is
committed (``tests/published-urls.txt``); a test builds the site and fails when one of them is
gone, unless a redirect (a record's ``former_ids``) still leads to a page with that anchor.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

MANIFEST = Path(__file__).resolve().parents[2] / "tests" / "published-urls.txt"
_ID = re.compile(r'\sid="([^"]+)"')
# Anchors that exist only while a record is in a state: "withdrawn" (a withdrawn record's notice, a
# question's withdrawn answers). Lifting a mistaken withdrawal removes them with the state, so they
# are not addresses the manifest keeps; the page itself stays.
STATE_ANCHORS = frozenset({"withdrawn"})
_REDIRECT = re.compile(r'<!-- generated [^>]*this redirect -->.*?<link rel="canonical" href="([^"]+)">', re.S)


def _article(html: str) -> str:
    return html.split("<article", 1)[-1].split("</article>", 1)[0]


def redirects(site: Path) -> dict[str, str]:
    """Former URL → the URL it forwards to (both relative to the site's root)."""
    out = {}
    for page in site.rglob("*.html"):
        match = _REDIRECT.match(page.read_text(encoding="utf-8"))
        if match:
            rel = page.relative_to(site)
            out[rel.as_posix()] = (rel.parent / match[1]).as_posix()
    return out


def published(site: Path) -> list[str]:
    """Every page of the built site, and every anchor in its content, as `page.html#anchor`."""
    forwarded = redirects(site)
    lines: list[str] = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel == "404.html" or rel in forwarded:
            continue
        lines.append(rel)
        # Ids a widget numbers by position (tabs: __tabbed_1_2, code blocks: __code_0) are not
        # anchors anyone links to, nor those that mark a state (STATE_ANCHORS).
        ids = sorted({i for i in _ID.findall(_article(page.read_text(encoding="utf-8")))
                      if not i.startswith("__") and i not in STATE_ANCHORS})
        lines.extend(f"{rel}#{anchor}" for anchor in ids)
    return lines


def missing(expected: list[str], site: Path, current: list[str] | None = None) -> list[str]:
    """The expected URLs and anchors the built site no longer has, redirects followed; ``current``:
    ``published(site)``, where the caller has it already."""
    current = set(published(site) if current is None else current)
    forwarded = redirects(site)
    lost = []
    for line in expected:
        if line in current:
            continue
        url, hash_, anchor = line.partition("#")
        target = forwarded.get(url)
        if target and f"{target}{hash_}{anchor}" in current:
            continue
        lost.append(line)
    return lost


def _order(line: str) -> tuple[tuple[str, ...], bool, str]:
    """The manifest's order, as ``published`` lists a site: by page path, the page before its anchors."""
    page, _, anchor = line.partition("#")
    return PurePosixPath(page).parts, bool(anchor), anchor


def recorded(expected: list[str], site: Path) -> tuple[list[str], list[str]]:
    """The manifest after a build: (every line of ``expected`` and every URL and anchor the site
    publishes, in the manifest's order; the lines of ``expected`` it no longer has, redirects
    followed). The manifest only grows: a line kept through a redirect (a renamed record's old
    address) stays, and with any line lost the caller writes nothing."""
    current = published(site)
    return sorted(set(expected) | set(current), key=_order), missing(expected, site, current)


def read_manifest(path: Path = MANIFEST) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


ADVICE = (
    "A published record is never deleted or renamed away: to withdraw it (a claim that proved wrong, a "
    "record made in error) keep it and mark it `retracted: {date: YYYY-MM-DD, reason: ...}`; to rename "
    "it, list the old id in the record's `former_ids`, so the old address redirects."
)

HEADER = (
    "# Every published page and anchor of the built site (python scripts/knowledge_base.py published).\n"
    "# A test fails when one disappears: withdraw a record with `retracted`, rename it with `former_ids`.\n"
)
