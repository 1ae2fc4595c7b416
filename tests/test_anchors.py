"""Anchors: no page has two elements with one id, because no record id is an anchor the pages write.

The anchors the templates write are listed once, in scripts/kb/anchors.py; the templates take them
from there, and validation refuses a record id or former id among them. Here: each of them is
refused as an id (and ids that merely look like one are not), no template writes an anchor of its
own, and every id of every page of the built site is unique on its page and either a record's,
one of kb/anchors.py's, or one no record id can be (Material's `__drawer`, the tags plugin's
`tag:energy`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINI, ROOT, make_project, mkdocs

from kb import anchors
from kb.errors import ErrorLog
from kb.schema import SLUG_PATTERN
from kb.status import ORDER
from kb.validate import load_and_validate

TEMPLATES = ROOT / "scripts" / "kb" / "templates"
HAND_WRITTEN = {"about.html", "editing.html", "404.html"}  # toc slugs of their own headings; no record shows there
_ID = re.compile(r'\sid="([^"]*)"')


def every_reserved_id() -> list[str]:
    """Each fixed anchor, and each derived one for every key the templates can give it."""
    derived = ["claims-figure", "claims-assessment", "claims-a-kind-added-later"] + list(ORDER) + ["ref-src-one", "y2026", "y1991"]
    return [*anchors.SECTIONS, *derived]


LOOK_ALIKES = ["topic", "cite-this", "claimsabout-a", "ref", "y20260", "y202", "contested-figure", "top-1", "references-x"]


def _claim(rid: str) -> str:
    return (f"- id: {rid}\n  name: Claim {rid}\n  source: src-one\n  kind: fact\n"
            f"  excerpt: \"ten agreements were signed\"\n  paraphrase: Ten.\n  about: [the-visit]\n")


def test_every_anchor_of_the_pages_is_refused_as_an_id_where_it_is_written(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    reserved, fine = every_reserved_id(), LOOK_ALIKES
    text = "".join(_claim(rid) for rid in [*reserved, *fine])
    (data / "claims" / "ids.yaml").write_text(text, encoding="utf-8")
    (data / "actors" / "renamed.yaml").write_text(
        "- id: x-person\n  name: X\n  kind: person\n  sources: [src-one]\n  former_ids: [cite, y2026, top-story]\n", encoding="utf-8")
    log = ErrorLog()
    load_and_validate(data, tmp_path, log)
    lines = {n + 1: line for n, line in enumerate(text.splitlines())}
    errors = {(e.file, e.line, e.col, e.record, e.field): e.message for e in log.errors}
    for rid in reserved:
        line = next(n for n, text in lines.items() if text == f"- id: {rid}")
        message = errors.pop(("data/claims/ids.yaml", line, 7, rid, "id"))
        assert f"'{rid}' is an anchor the pages already use" in message
    assert errors.pop(("data/actors/renamed.yaml", 5, 16, "x-person", "former_ids[0]"))
    assert errors.pop(("data/actors/renamed.yaml", 5, 22, "x-person", "former_ids[1]"))
    assert errors == {}, errors  # the look-alikes, and the former id 'top-story', are fine


def test_anchor_takes_only_what_the_registry_lists():
    assert anchors.anchor("cite") == "cite" and anchors.anchor("claims", "figure") == "claims-figure"
    assert anchors.anchor("year", "2026") == "y2026" and anchors.anchor("ref", "src-one") == "ref-src-one"
    with pytest.raises(KeyError):
        anchors.anchor("nowhere")
    with pytest.raises(ValueError):
        anchors.anchor("claims", "Not a kind")  # claim kinds are vocabulary terms: slugs


def test_no_template_writes_an_anchor_of_its_own():
    """Every anchor in a template is a record's id or comes from anchor(): no literal `{ #x }`,
    `id="x"`, `(#x)` or url(..., "x")."""
    literal = re.compile(r'\{ #(?!\{\{)|\sid="(?!\{\{ (?:anchor\(|c\.id|node\.id|q\.id))|\]\(#(?!\{\{)|url\([^()]*\), "')
    found = []
    for path in sorted(TEMPLATES.glob("*.j2")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if literal.search(line):
                found.append(f"{path.name}:{n}: {line.strip()[:100]}")
    assert found == []


def id_problems(site: Path, kb) -> tuple[int, list[str]]:
    """Pages with two elements of one id, and ids that are neither a record's (or former id's), nor
    kb/anchors.py's, nor impossible as a record id. Returns the number of pages and the problems."""
    records = set(kb.nodes) | {old for n in kb.nodes.values() for old in n.record.former_ids}
    problems, pages = [], 0
    for page in sorted(site.rglob("*.html")):
        pages += 1
        rel = page.relative_to(site).as_posix()
        ids = _ID.findall(page.read_text(encoding="utf-8"))
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            problems.append(f"{rel}: duplicate ids {twice[:5]}")
        if rel in HAND_WRITTEN:
            continue
        for i in set(ids):
            if i in records:
                assert not anchors.reserved(i), i  # validation saw to that
            elif not anchors.reserved(i) and re.fullmatch(SLUG_PATTERN, i):
                problems.append(f"{rel}: id '{i}' is not in kb/anchors.py")
    return pages, problems


def test_no_page_of_the_site_has_a_duplicate_id_and_every_anchor_is_registered(built_site, real_kb):
    pages, problems = id_problems(built_site, real_kb)
    assert pages > 400 and problems == [], problems[:20]


def test_the_check_finds_a_duplicate_and_an_unregistered_anchor(tmp_path, real_kb):
    (tmp_path / "a.html").write_text('<h2 id="cite">Cite</h2><div id="cite"></div><p id="stray-anchor"></p>'
                                     '<nav id="__drawer"></nav><h3 id="tag:energy"></h3>')
    assert id_problems(tmp_path, real_kb)[1] == ["a.html: duplicate ids ['cite']", "a.html: id 'stray-anchor' is not in kb/anchors.py"]


# ----------------------------------------------------------------------------- a renamed record


class _Nesting(HTMLParser):
    """For each id of a page, the ids of the elements it is inside (nearest first)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.inside: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        own = dict(attrs).get("id")
        if own is not None:
            self.inside.setdefault(own, [i for i in reversed(self.stack) if i])
        if tag not in self.VOID:
            self.stack.append(own)

    def handle_startendtag(self, tag, attrs):
        own = dict(attrs).get("id")
        if own is not None:
            self.inside.setdefault(own, [i for i in reversed(self.stack) if i])

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def nesting(path: Path) -> dict[str, list[str]]:
    parser = _Nesting()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.inside


@pytest.fixture(scope="module")
def renamed(tmp_path_factory, real_kb):
    """The real data with one claim renamed as docs/editing.md says (new id, old id in former_ids),
    built strict in a scratch project: (site, old id, new id)."""
    claim = next(c for c in real_kb.all("claim")
                 if c.questions and len(c.about) >= 2 and not c.backlinks and not c.record.former_ids)
    old, new = claim.id, f"{claim.id}-renamed"[:80]
    proj = make_project(tmp_path_factory.mktemp("renamed") / "proj")
    data_file = proj / claim.data_file
    text = data_file.read_text(encoding="utf-8")
    assert text.count(f"- id: {old}\n") == 1
    data_file.write_text(text.replace(f"- id: {old}\n", f"- id: {new}\n  former_ids: [{old}]\n"), encoding="utf-8")
    result = mkdocs(proj, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return proj / "site", old, new


def test_a_renamed_claim_keeps_its_old_anchor_on_every_page_that_showed_it(built_site, renamed):
    site, old, new = renamed
    before = [p.relative_to(built_site) for p in built_site.rglob("*.html") if f'id="{old}"' in p.read_text(encoding="utf-8")]
    assert len(before) >= 4, before  # its own page, its actors', its question's, its source's
    for rel in before:
        page = site / rel
        if rel.name == f"{old}.html":  # its own page is now a redirect to the new one
            assert f'href="{new}.html"' in page.read_text(encoding="utf-8")
            page = page.with_name(f"{new}.html")
        inside = nesting(page)
        assert old in inside and new in inside, rel
        assert inside[old][:1] == [new], (rel, inside[old][:3])  # right inside the record's own element


def test_a_renamed_claim_loses_no_published_url_or_anchor_and_no_id_doubles(renamed):
    from kb.pipeline import Paths, load
    from kb.published import missing, read_manifest

    site, old, new = renamed
    assert missing(read_manifest(), site) == []
    proj = site.parent
    kb = load(Paths(root=proj, data=proj / "data", docs=proj / "docs"))
    assert kb.get(new).record.former_ids == [old]
    pages, problems = id_problems(site, kb)
    assert problems == [], problems[:10]
