"""The real site: a strict build succeeds, every record has a page, nothing points off-site."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import yaml

from conftest import ROOT

from kb.registry import REGISTRY, VIEWS


def test_strict_build_of_the_real_data_has_a_page_per_record(built_site: Path, real_kb):
    for node in real_kb.nodes.values():
        html = (built_site / node.type.plural / f"{node.id}.html").read_text(encoding="utf-8")
        heading = re.search(r'<h1 id="[^"]*">(.*?)<a class="headerlink"', html, re.S)
        assert heading and unescape(heading.group(1)).strip() == node.name, node.id
        assert 'class="kb-infobox' in html and f"<code>{node.id}</code>" in html, node.id
    for rtype in REGISTRY:
        assert (built_site / rtype.plural / "index.html").is_file()
    assert (built_site / "index.html").is_file()
    assert (built_site / "about.html").is_file()


def test_nav_is_home_views_indexes_and_about_only():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!!python", "python"))
    nav = [next(iter(item.values())) for item in config["nav"]]
    views = [next(iter(v.values())) for v in nav[1]]
    assert views == [f"views/{v.slug}.md" for v in VIEWS]
    assert [nav[0], *nav[2:]] == ["index.md", *(f"{t.plural}/index.md" for t in REGISTRY), "about.md"]


def test_generated_folders_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    for rtype in REGISTRY:
        assert f"/docs/{rtype.plural}/" in ignored
    assert "/docs/views/" in ignored


EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//|href\s*=\s*["'](?:https?:)?//)""", re.I)


def test_no_page_loads_anything_from_another_host(built_site: Path):
    offenders = []
    for path in built_site.rglob("*.html"):
        for match in EXTERNAL.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(built_site)}: {match.group(0)}")
    for path in [*built_site.rglob("*.css"), *built_site.rglob("*.svg")]:
        for match in CSS_EXTERNAL.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(built_site)}: {match.group(0)}")
    assert not offenders, offenders[:10]


def test_claim_anchors_exist_on_the_built_pages(built_site: Path, real_kb):
    for claim in real_kb.all("claim"):
        html = (built_site / "claims" / f"{claim.id}.html").read_text(encoding="utf-8")
        assert f'id="{claim.id}"' in html
        for about in claim.about:
            target = real_kb.get(about)
            page = (built_site / target.type.plural / f"{target.id}.html").read_text(encoding="utf-8")
            assert f'id="{claim.id}"' in page, (claim.id, about)


RESIDUE = {
    "an unconverted Markdown link": re.compile(r"\]\((?:\.\./|[a-z0-9-]+/)[^)]*\.md(?:#[^)]*)?\)"),
    "an unconverted citation": re.compile(r"\[\[\d+\]\]"),
    "template syntax": re.compile(r"\{\{|\}\}|\{%|%\}"),
    "a markdown attribute left in the HTML": re.compile(r"<(?:div|figure)[^>]*\smarkdown(?:=|[\s>])"),
    "a link to a .md file": re.compile(r'href="[^"]*\.md(?:#[^"]*)?"'),
}


def test_no_unconverted_markup_in_the_built_pages(built_site: Path):
    found = []
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        article = html.split("<article", 1)[-1].split("</article>", 1)[0]  # our content, not the theme's scripts
        for what, pattern in RESIDUE.items():
            match = pattern.search(article)
            if match:
                found.append(f"{path.relative_to(built_site)}: {what}: {match.group(0)[:80]}")
    assert not found, found[:10]
