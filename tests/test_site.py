"""The real site: a strict build succeeds, every record has a page, nothing points off-site."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

from kb.registry import REGISTRY, VIEWS


def test_strict_build_of_the_real_data_has_a_page_per_record(built_site: Path, real_kb):
    for node in real_kb.nodes.values():
        html = (built_site / node.type.plural / f"{node.id}.html").read_text(encoding="utf-8")
        heading = re.search(r'<h1\b[^>]*\bid="[^"]*"[^>]*>(.*?)<a class="headerlink"', html, re.S)
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
    assert [nav[0], *nav[2:-1]] == ["index.md", *(f"{t.plural}/index.md" for t in REGISTRY)]
    assert [next(iter(a.values())) for a in nav[-1]] == ["about.md", "editing.md"]


def test_generated_folders_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    for rtype in REGISTRY:
        assert f"/docs/{rtype.plural}/" in ignored
    assert "/docs/views/" in ignored


def test_no_page_loads_anything_from_another_host(built_site: Path, real_kb):
    # The same check every build runs (scripts/mkdocs_hooks.py); links a reader follows, and the
    # canonical URL built from site_url, are not requests.
    from mkdocs_hooks import scan_site

    scanned, hits = scan_site(built_site)
    assert scanned >= len(real_kb.nodes) and not hits, hits[:10]  # at least one page per record


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
    # an attribute list that did not stand on its own line (or after its element) shows as text
    "an unconverted attribute list": re.compile(r"\{:\s*[.#][\w-]|\{\s*\.kb-[\w-]+\s*\}"),
    "a markdown attribute left in the HTML": re.compile(r"<(?:div|figure)[^>]*\smarkdown(?:=|[\s>])"),
    "a link to a .md file": re.compile(r'href="[^"]*\.md(?:#[^"]*)?"'),
}


def test_no_unconverted_markup_in_the_built_pages(built_site: Path):
    found = []
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        article = html.split("<article", 1)[-1].split("</article>", 1)[0]  # our content, not the theme's scripts
        # code is literal (BibTeX has {{ }}), and so is the JSON-LD
        article = re.sub(r"<pre.*?</pre>|<script.*?</script>", "", article, flags=re.S)
        for what, pattern in RESIDUE.items():
            match = pattern.search(article)
            if match:
                found.append(f"{path.relative_to(built_site)}: {what}: {match.group(0)[:80]}")
    assert not found, found[:10]


def test_published_urls_and_anchors_never_disappear(engine_site: Path):
    """On both engines' output (the published manifest is one, whichever engine publishes)."""
    from kb.published import ADVICE, missing, read_manifest

    lost = missing(read_manifest(), engine_site)
    assert not lost, f"{len(lost)} published URL(s) or anchor(s) disappeared, e.g. {lost[:5]}. {ADVICE}"


def test_the_manifest_records_every_published_url(built_site: Path):
    from kb.published import published, read_manifest

    new = sorted(set(published(built_site)) - set(read_manifest()))
    assert not new, (
        f"{len(new)} new URL(s) or anchor(s), e.g. {new[:5]}: record them with "
        "`.venv/bin/python -m mkdocs build && .venv/bin/python scripts/knowledge_base.py published` and commit "
        "tests/published-urls.txt"
    )


def test_every_anchor_is_unique_on_its_page(built_site: Path):
    for path in built_site.rglob("*.html"):
        article = path.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]
        ids = re.findall(r'\sid="([^"]+)"', article)
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))


def test_every_record_page_embeds_json_ld_and_offers_a_citation(built_site: Path, real_kb):
    import json

    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!!python", "python"))["site_url"]
    for node in real_kb.nodes.values():
        html = (built_site / node.type.plural / f"{node.id}.html").read_text(encoding="utf-8")
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(scripts) == 1, node.id
        data = json.loads(scripts[0])
        permalink = f"{site_url}{node.type.plural}/{node.id}.html"
        assert data["@context"] == "https://schema.org" and data["@id"] == permalink + "#", node.id
        assert data["name"] == node.name
        # "Cite this": text, permalink, BibTeX and CSL-JSON, each in a code block (one-click copy)
        cite = html.split('id="cite"', 1)[1].split('id="references"', 1)[0]
        blocks = [unescape(re.sub(r"<[^>]+>", "", b)) for b in re.findall(r"<code>(.*?)</code>", cite, re.S)]
        assert len(blocks) == 4, node.id
        text, link, bibtex, csl = blocks
        assert link.strip() == permalink and permalink in text, node.id
        assert bibtex.startswith(f"@misc{{kb-{node.id},") and permalink in bibtex, node.id
        assert json.loads(csl)[0]["URL"] == permalink, node.id


def test_index_pages_link_their_records_as_json_and_csv(built_site: Path, real_kb):
    import csv
    import io
    import json

    from kb.export import from_spreadsheet_text

    for rtype in REGISTRY:
        html = (built_site / rtype.plural / "index.html").read_text(encoding="utf-8")
        for href in (f"../data/{rtype.plural}.json", f"../data/{rtype.plural}.csv", "../data/knowledge-base.json"):
            assert f'href="{href}"' in html, (rtype.plural, href)
        records = json.loads((built_site / "data" / f"{rtype.plural}.json").read_text(encoding="utf-8"))
        assert [r["id"] for r in records] == [n.id for n in real_kb.all(rtype.name)]
        # A byte-order mark first, as Excel needs to read the file as UTF-8; "utf-8-sig" skips it.
        raw = (built_site / "data" / f"{rtype.plural}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfid,"), (rtype.plural, raw[:8])
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert [r["id"] for r in rows] == [n.id for n in real_kb.all(rtype.name)]
        if rows and "name" in rows[0]:  # every name comes back whole, letters beyond ASCII included
            assert [from_spreadsheet_text(r["name"]) for r in rows] == [n.record.name for n in real_kb.all(rtype.name)]
    whole = json.loads((built_site / "data" / "knowledge-base.json").read_text(encoding="utf-8"))
    assert whole["$schema"] == "knowledge-base.schema.json"
    assert sum(whole["counts"].values()) == len(real_kb.nodes)


def test_the_map_view_draws_each_place_once(built_site: Path):
    """A reader's trial: the map view drew Russia twice, at its centre in Siberia and, as a route's
    end, at Moscow ("Russia (at Moscow)"). Each place is one marker: the route point stands for it."""
    import collections

    svg = (built_site / "views" / "map.map.svg").read_text(encoding="utf-8")
    markers = re.findall(r'<a href="([^"]+)" target="_top"><title>[^<]*</title><circle', svg)
    assert markers
    twice = [href for href, n in collections.Counter(markers).items() if n > 1]
    assert not twice, twice


def test_routes_are_drawn_through_their_editorial_waypoints(built_site: Path, real_kb):
    """A country with a route_point is drawn there on its routes (Russia at Moscow, not its centre in
    Siberia); a sea leg with via places is one line through them, each waypoint a marked link; the
    captions say the drawing is editorial."""
    route = (built_site / "corridors" / "belarus-afghanistan-pakistan-route.map.svg").read_text(encoding="utf-8")
    assert "Russia (at Moscow)</text>" in route and ">Russia</text>" not in route
    sea = (built_site / "corridors" / "kazakhstan-pakistan-east-africa-corridor.map.svg").read_text(encoding="utf-8")
    legs = [leg for c in real_kb.all("corridor") for leg in c.record.legs if leg.via]
    assert legs and sea.count("<polyline ") == len(legs)
    for leg in legs:
        for place in leg.via:
            node = real_kb.get(place)
            assert f'href="../places/{place}.html"' in sea and f">{node.name}</text>" in sea, place
            assert node.record.waypoint or node.record.sources, place  # a waypoint needs no source; a place does
    page = (built_site / "corridors" / "kazakhstan-pakistan-east-africa-corridor.html").read_text(encoding="utf-8")
    assert "editorial waypoints" in page and "approximate coordinates (editorial" in page
    # waypoints are not places of the visit: left off the map of the places
    assert "Moscow" not in (built_site / "places" / "index.map.svg").read_text(encoding="utf-8")


def test_record_pages_stay_light(built_site: Path):
    """Issue 14: a record page's HTML is at most 30 KB at the median and 100 KB at most on the real
    data (sizes do not depend on the machine; scripts/benchmark.py reports them for every dataset)."""
    sizes = {}
    for rtype in REGISTRY:
        for path in (built_site / rtype.plural).glob("*.html"):
            data = path.read_bytes()
            if path.name != "index.html" and b'http-equiv="refresh"' not in data[:600]:
                sizes[f"{rtype.plural}/{path.name}"] = len(data)
    ranked = sorted(sizes.values())
    assert ranked[len(ranked) // 2] <= 30_000
    assert {p: n for p, n in sizes.items() if n > 100_000} == {}


def test_a_list_questions_table_counts_the_sources_giving_each_list(built_site: Path, real_kb):
    """An analyst: on a list question the table's "Sources" read "1 of 5" beside an item the sentence
    above says two sources name: its rows are grouped by the whole list. The column says so on list
    questions, and only there."""
    seen = set()
    for q in real_kb.by_type["question"]:
        if not real_kb.answers(q):
            continue
        page = (built_site / "questions" / f"{q.id}.html").read_text(encoding="utf-8")
        heads = re.findall(r"<th[^>]*>([^<]*)</th>", page.split('class="kb-answers', 1)[1])[:2]
        assert heads == ["Answer", "Sources giving this list" if q.kind == "list" else "Sources"], (q.id, heads)
        seen.add(q.kind == "list")
    assert seen == {True, False}


def test_the_home_pages_facts_name_their_sources(built_site: Path, real_kb):
    """A reader's trial: the home page's box of the visit's dates, place and people had no sources
    beside it. A row names the sources of the visit's record, each linked to its page, and leads to
    what each says on the record's page."""
    visit = real_kb.subject()
    if visit is None:
        pytest.skip("no event is the subject (subject: true) in the data: the home page has no box")
    html = (built_site / "index.html").read_text(encoding="utf-8")
    box = html.split('class="kb-infobox"', 1)[1].split("</table>", 1)[0]
    row = re.search(r"<td>Sources</td>\s*<td>(.*?)</td>", box, re.S)
    assert row, box[-800:]
    linked = re.findall(r'href="sources/([^"#]+)\.html"', row.group(1))
    assert linked == list(visit.record.sources), (linked, visit.record.sources)
    assert f'href="events/{visit.id}.html#sources"' in row.group(1), row.group(1)
