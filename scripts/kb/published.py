"""The published URLs and anchors of a built site, and the check that none of them disappears.

A briefing links to a page (``actors/kazakhstan.html``) or to an anchor on it
(``actors/kazakhstan.html#goulard-trade-target-1-billion``). The list of every such URL is
committed (``tests/published-urls.txt``); a test builds the site and fails when one of them is
gone, unless a redirect (a record's ``former_ids``) still leads to a page with that anchor. An
anchor the data decides that a correction empties stays on its generated page (``keep_anchors``).
"""

from __future__ import annotations

import re
from html import escape as escape_html
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


def kept_anchors(path: Path = MANIFEST) -> dict[str, frozenset[str]]:
    """Page → the anchors the manifest lists on it (``actors/kazakhstan.html`` → ``{"claims-plan",
    ...}``); read again only when the file changes (size, time)."""
    try:
        stat = path.stat()
    except OSError:
        return {}
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if _KEPT.get("key") != key:
        pages: dict[str, set[str]] = {}
        for line in read_manifest(path):
            page, _, anchor = line.partition("#")
            pages.setdefault(page, set())
            if anchor:
                pages[page].add(anchor)
        _KEPT.update(key=key, value={page: frozenset(anchors) for page, anchors in pages.items()})
    return _KEPT["value"]


_KEPT: dict = {}


def keep_anchors(rel: str, html: str, kept: dict[str, frozenset[str]]) -> str:
    """The generated page ``rel`` (``actors/kazakhstan.html``) with every anchor the manifest lists
    for it that it no longer has and that the data decides (``anchors.data_derived``: a record's id,
    ``claims-plan``, ``y1990``, a conditional section), in a line at the end of its article:
    correcting a record (its ``about``, its kind, its date) can empty a section another page's
    reader linked to, and the link then still lands on the page, on that line, which names what
    was there. An anchor that is a record's id links to the record's page. Pass generated pages
    only: a hand-written page's anchors are its author's, and a fixed section's loss is the
    templates'; both are left for the manifest's check to report."""
    from .anchors import TAG_PREFIX, data_derived
    from .registry import REGISTRY

    wanted = kept.get(rel)
    if not wanted or "</article>" not in html:
        return html
    gone = sorted(a for a in wanted - set(_ID.findall(_article(html))) if data_derived(a))
    if not gone:
        return html
    up = "../" * rel.count("/")
    items = []
    for anchor in gone:  # ids as the manifest holds them: as written in the HTML
        page = next((f"{t.plural}/{anchor}.html" for t in REGISTRY if f"{t.plural}/{anchor}.html" in kept), None)
        if anchor.startswith(TAG_PREFIX):  # a tag list's, named as its words: 'the pages tagged “trade and investment”'
            words = anchor[len(TAG_PREFIX):].replace("-", " ")
            items.append(f'<span id="{anchor}">the pages tagged “{escape_html(words)}”</span>')
        else:
            items.append(f'<a id="{anchor}" href="{up}{page}">{anchor}</a>' if page else f'<span id="{anchor}">{anchor}</span>')
    note = (
        '<p class="kb-former-anchors" data-search-exclude data-pagefind-ignore>Once on this page, gone since '
        "the records changed: " + " · ".join(items) + ".</p>"
    )
    end = html.rindex("</article>")
    return html[:end] + note + html[end:]


def keep_site(site: Path, generated: set[str], kept: dict[str, frozenset[str]] | None = None) -> int:
    """``keep_anchors`` on the generated pages of a built site (``generated``: their Markdown paths
    under docs/, as ``writer.read_manifest`` gives them), in place: for an engine without MkDocs'
    hooks. How many pages were rewritten."""
    kept = kept_anchors() if kept is None else kept
    changed = 0
    for rel in kept:
        path = site / rel
        if not rel.endswith(".html") or rel[: -len(".html")] + ".md" not in generated or not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        fixed = keep_anchors(rel, html, kept)
        if fixed != html:
            path.write_text(fixed, encoding="utf-8", newline="")
            changed += 1
    return changed


def read_manifest(path: Path = MANIFEST) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


ADVICE = (
    "A published record is never deleted or renamed away: to withdraw it (a claim that proved wrong, a "
    "record made in error) keep it and mark it `retracted: {date: YYYY-MM-DD, reason: ...}`; to rename "
    "it, list the old id in the record's `former_ids`, so the old address redirects."
)


def advice(lost: list[str], docs: Path) -> str:
    """What to do about the ``lost`` manifest lines (``about.html#searching``): ``ADVICE`` for the
    records' pages and anchors; for an anchor of a hand-written page (a Markdown file in ``docs``
    that ``generate`` did not write: about.md, editing.md), to keep the old anchor on the heading
    that replaced it (an editor's trial renamed a heading of about.md and was told to use
    ``retracted`` and ``former_ids``)."""
    from .writer import read_manifest as generated_pages

    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} if docs.is_dir() else set()
    hand_written = written - generated_pages(docs)
    pages = {line.split("#", 1)[0] for line in lost}
    own = sorted(p for p in pages if p.removesuffix(".html") + ".md" in hand_written)
    parts = [ADVICE] if set(pages) - set(own) else []
    if own:
        parts.append(f"An anchor of a hand-written page ({', '.join(own)}) is kept on the heading that replaced "
                     "it: `## The new title { #old-anchor }`, or an empty `<span id=\"old-anchor\"></span>` where it was.")
    return " ".join(parts)


HEADER = (
    "# Every published page and anchor of the built site (python scripts/knowledge_base.py published).\n"
    "# A test fails when one disappears: withdraw a record with `retracted`, rename it with `former_ids`.\n"
)
