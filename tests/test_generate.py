"""The generator on its own: what it writes, what it leaves alone, and the links it makes."""

from __future__ import annotations

import json
import os
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from conftest import MINI, kb_cli, make_project, mkdocs, site_markdown_extensions


@pytest.fixture(scope="module")
def mini_generated(tmp_path_factory) -> Path:
    """The fixture data generated once, for the tests that only read the pages."""
    project = make_project(tmp_path_factory.mktemp("mini") / "proj", MINI)
    result = kb_cli(project, "generate")
    assert result.returncode == 0, result.stderr
    return project


def page(project: Path, rel: str) -> str:
    return (project / "docs" / rel).read_text(encoding="utf-8")


def edit_and_generate(project: Path, rel: str, *replacements: tuple[str, str]) -> None:
    """Make each (old, new) replacement once in data/``rel`` (each old text must be there), then
    `generate`, which must succeed."""
    path = project / "data" / rel
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, (rel, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = kb_cli(project, "generate")
    assert result.returncode == 0, result.stderr


def test_generate_writes_every_page_then_nothing(mini_project: Path):
    first = kb_cli(mini_project, "generate")
    assert first.returncode == 0, first.stderr
    # One page per record, one index per type, home and the views, plus the maps and networks drawn
    # for them and the downloads: every file the renderer produces, counted from the model.
    from kb.pipeline import Paths, load, render

    paths = Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    files = render(load(paths), paths)
    kb = load(paths)
    from kb.registry import VIEWS

    assert sum(p.endswith(".md") for p in files) == len(kb.nodes) + len(kb.by_type) + 1 + len(VIEWS)  # + home + views
    assert first.stdout.startswith(f"{len(files)} file(s) written, 0 unchanged")
    mtimes = {p: p.stat().st_mtime_ns for p in (mini_project / "docs").rglob("*")}
    second = kb_cli(mini_project, "generate")
    assert second.stdout.startswith(f"0 file(s) written, {len(files)} unchanged, 0 removed")
    assert {p: p.stat().st_mtime_ns for p in (mini_project / "docs").rglob("*")} == mtimes


def test_an_edit_rewrites_only_the_pages_it_changes(mini_project: Path):
    kb_cli(mini_project, "generate")
    docs = mini_project / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    data = mini_project / "data/places/places.yaml"
    data.write_text(data.read_text().replace("lat: 24.8", "lat: 24.9"))
    result = kb_cli(mini_project, "generate")
    rewritten = {p.relative_to(docs).as_posix() for p in before if p.stat().st_mtime_ns != before[p]}
    # Every map that draws Port B: its own, the corridor through it, the corridor and place indexes,
    # the map view, and Capital A's (which shows the corridor leg to Port B); and the pages that
    # show those maps, since a map's frame takes the map's proportions, which moving a place changes.
    # And the place in the data downloads: its type's JSON and CSV, and the whole dataset.
    maps = {"views/map", "places/port-b", "corridors/a-b-route", "corridors/index", "places/index", "places/capital-a"}
    data = {"data/places.json", "data/places.csv", "data/knowledge-base.json"}
    assert rewritten == {f"{m}.map.svg" for m in maps} | {f"{m}.md" for m in maps} | data
    total = len(json.loads((docs / ".generated.json").read_text(encoding="utf-8")))  # every generated file
    assert result.stdout.startswith(f"{len(rewritten)} file(s) written, {total - len(rewritten)} unchanged"), result.stdout
    assert "| Coordinates | 24.9000, 67.0000 |" in page(mini_project, "places/port-b.md")


def test_pages_of_deleted_records_are_removed(mini_project: Path):
    kb_cli(mini_project, "generate")
    assert (mini_project / "docs/corridors/a-b-route.md").exists()
    (mini_project / "data/corridors/corridors.yaml").unlink()
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 0, result.stderr
    # its page, its map, and the corridor index's map (no corridor is left to draw)
    assert "3 removed" in result.stdout
    for gone in ("a-b-route.md", "a-b-route.map.svg", "index.map.svg"):
        assert not (mini_project / "docs/corridors" / gone).exists(), gone
    assert (mini_project / "docs/corridors/index.md").exists()
    assert "a-b-route" not in page(mini_project, "places/port-b.md")


def test_hand_written_pages_are_never_overwritten(mini_project: Path):
    kb_cli(mini_project, "generate")
    # Forget what the generator owns, and put a hand-written page where a generated one goes.
    (mini_project / "docs/.generated.json").unlink()
    mine = mini_project / "docs/actors/land-a.md"
    mine.write_text("# My own notes on Land A\n")
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 1
    assert "hand-written" in result.stderr and "actors/land-a.md" in result.stderr
    assert mine.read_text() == "# My own notes on Land A\n"
    # Pages it recognises as its own (by their first line) it may still update.
    assert result.stderr.count(".md") == 1


def test_a_source_page_says_its_text_was_checked_only_when_it_was(mini_project: Path, tmp_path: Path, monkeypatch):
    """A source page said "Text checked against <file>" whether or not the file was there, with a
    mistyped name, or with no folder of texts at all (a new user's trial): it says so only for a text
    that was found, and the page changes with the next `generate` once the text turns up."""
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "two.txt").write_text("over a dozen agreements, in the Republic of A\n", encoding="utf-8")
    monkeypatch.setenv("KB_SOURCES_DIR", str(folder))
    first = kb_cli(mini_project, "generate")
    assert first.returncode == 0, first.stderr
    assert "| Text checked against | `two.txt`, the editors' copy of the text" in page(mini_project, "sources/src-two.md")
    one = page(mini_project, "sources/src-one.md")
    assert "Text checked against" not in one
    assert "| Text | `one.txt`: not found in the folder of source texts when this site was built, so its excerpts are not checked against it |" in one
    (folder / "one.txt").write_text("We hear that ten agreements were signed, and a bus contract worth 5 million, "
                                    "in the Republic of A.\n", encoding="utf-8")
    second = kb_cli(mini_project, "generate")
    assert second.returncode == 0, second.stderr
    assert "| Text checked against | `one.txt`, the editors' copy of the text" in page(mini_project, "sources/src-one.md")
    assert not second.stdout.startswith("0 file(s) written"), second.stdout


def test_the_home_page_is_generated_and_about_is_not(mini_generated: Path):
    from kb.writer import is_generated

    home = page(mini_generated, "index.md")
    assert home.startswith("---\nhide:\n  - navigation\n---\n<!-- generated")  # no empty sidebar beside it
    assert is_generated(home)
    assert not is_generated(page(mini_generated, "about.md"))



def test_sources_are_counted_as_sources_whatever_their_kind(mini_generated: Path):
    """The home page and the briefing pack count the current sources as sources: a source may be a
    transcript or a statement, not an article (the home page said "6 articles" once a user added a
    broadcast transcript, a new user's trial). The count is read from the model."""
    from kb.pipeline import Paths, load
    from kb.render import counted

    kb = load(Paths(mini_generated, mini_generated / "data", mini_generated / "docs"))
    sources = counted(len(kb.current("source")), "source")
    assert f"compiles what {sources} say about the visit" in page(mini_generated, "index.md")
    assert f"Compiled from these {sources} only" in page(mini_generated, "views/briefing.md")
    for rel in ("index.md", "views/briefing.md", "sources/index.md", "claims/index.md"):
        assert not re.search(r"\barticles\b", page(mini_generated, rel)), rel

def links_on(project: Path, rel: str) -> set[str]:
    """Targets of Markdown links on a page, resolved to paths under docs/."""
    text = page(project, rel)
    base = (project / "docs" / rel).parent
    out = set()
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        out.add(os.path.relpath((base / target).resolve(), (project / "docs").resolve()))
    return out


def test_cross_links_go_both_ways(mini_generated: Path):
    # agreement → signatory and party; and back
    assert {"actors/leader-a.md", "actors/land-a.md", "events/the-visit.md"} <= links_on(mini_generated, "agreements/the-declaration.md")
    assert "agreements/the-declaration.md" in links_on(mini_generated, "actors/leader-a.md")
    assert "agreements/the-declaration.md" in links_on(mini_generated, "actors/land-a.md")
    # event ↔ participant, event ↔ sub-event, event ↔ place
    assert "events/the-visit.md" in links_on(mini_generated, "actors/leader-a.md")
    assert "events/the-forum.md" in links_on(mini_generated, "events/the-visit.md")
    assert "events/the-visit.md" in links_on(mini_generated, "places/capital-a.md")
    # corridor ↔ places on its legs
    assert {"places/capital-a.md", "places/port-b.md", "actors/land-b.md"} <= links_on(mini_generated, "corridors/a-b-route.md")
    assert "corridors/a-b-route.md" in links_on(mini_generated, "places/port-b.md")
    # claim ↔ source, question, records it is about, speaker
    assert {"sources/src-two.md", "questions/how-many.md", "events/the-visit.md", "actors/leader-a.md"} <= links_on(mini_generated, "claims/two-count.md")
    assert "claims/two-count.md" in links_on(mini_generated, "sources/src-two.md")
    assert "claims/two-count.md" in links_on(mini_generated, "questions/how-many.md")
    assert "claims/two-count.md" in links_on(mini_generated, "actors/leader-a.md")
    # source ↔ its author
    assert "actors/ann-author.md" in links_on(mini_generated, "sources/src-one.md")
    assert "sources/src-one.md" in links_on(mini_generated, "actors/ann-author.md")
    # every record page links back to its index
    for path in (mini_generated / "docs").glob("*/*.md"):
        if path.name != "index.md" and path.parent.name != "views":
            rel = path.relative_to(mini_generated / "docs").as_posix()
            assert f"{rel.split('/')[0]}/index.md" in links_on(mini_generated, rel), rel


def test_claims_are_cited_with_anchor_and_quotation(mini_generated: Path):
    text = page(mini_generated, "events/the-visit.md")
    assert '<div class="kb-claim" id="one-count" markdown>' in text
    assert '<div class="kb-claim" id="two-count" markdown>' in text
    assert "> “ten agreements were signed”\n>\n> — Ann Author, *A first article* (7 February 2026)" in text
    # numbered citations, each pointing at the reference to its source; the anchor is the source's
    # id, which stays when the numbering changes
    cites = set(re.findall(r"\[\[(\d+)\]\]\(#ref-([a-z0-9-]+)\)", text))
    assert cites == {("1", "src-one"), ("2", "src-two")}
    assert '1. <span id="ref-src-one"></span>[A first article](../sources/src-one.md)' in text
    # a title the source does not carry is ours, in square brackets (a reader's trial)
    assert '2. <span id="ref-src-two"></span>[\\[A second article\\]](../sources/src-two.md)' in text


def test_question_sets_the_answers_side_by_side(mini_generated: Path):
    text = page(mini_generated, "questions/how-many.md")
    rows = [line for line in text.splitlines() if line.startswith("| **")]
    # grouped by answer, then by source date: the answer, how many sources give it, the source, its
    # date and kind, qualifiers, excerpt, link to the claim
    # each source named as the status box names it: one name for a source on the page
    assert rows[0].startswith("| **more than 12 agreements**<br>*excludes* [Author](../claims/one-count.md) | 1 of 2 | [The news preview](../sources/src-two.md)")
    assert "| 2 February 2026 (inferred) · news preview | not stated | “over a dozen agreements” | [two-count](#two-count) |" in rows[0]
    assert rows[1].startswith("| **10 agreements**<br>*excludes* [the news preview](../claims/two-count.md) | 1 of 2 | [Author]")
    assert '!!! kb-contested kb-status-box "Contested: sources give answers that exclude each other"' in text
    # the status in words under its label, part by part: why it holds, then the answers, each on a
    # line of its own (one long sentence read as a machine's: a reader's trial)
    # (the preview's claim is attributed to Leader of A: it reports the leader's statement)
    assert ("    - **Why contested:** the two answers exclude each other (the figures do not overlap)\n"
            "    - **Answers:**\n"
            "        - the news preview (reporting Leader of A): more than 12 agreements\n"
            "        - Author: 10 agreements\n\n") in text
    # the page's top says the question's status: no answer's box says it again, linking back here;
    # each claim's own page carries it, with the link to the question
    assert "(how-many.md){ .kb-status" not in text and "kb-claim-status" not in text
    assert "[Contested](../questions/how-many.md){ .kb-status .kb-status-contested" in page(mini_generated, "claims/one-count.md")


def test_a_claim_on_a_questions_page_names_the_other_questions_it_answers(mini_project: Path):
    """An answer's box on a question's page leaves that question out of its status line, and keeps
    the other questions the claim answers (a question's page showed each answer's status for the
    page itself, a fifth of the largest real page's bytes)."""
    questions = mini_project / "data/questions/questions.yaml"
    questions.write_text(questions.read_text() + "- id: how-counted\n  name: How were they counted?\n  kind: figure\n")
    claims = mini_project / "data/claims/one.yaml"
    claims.write_text(claims.read_text().replace("questions: [how-many]", "questions: [how-many, how-counted]", 1))
    assert kb_cli(mini_project, "generate").returncode == 0
    how_many, how_counted = page(mini_project, "questions/how-many.md"), page(mini_project, "questions/how-counted.md")
    for text, other in ((how_many, "how-counted"), (how_counted, "how-many")):
        box = text[text.index('<div class="kb-claim" id="one-count"'):]
        status = box[: box.index("</div>")].split("{: .kb-claim-status }")[0].splitlines()[-1]
        assert f"]({other}.md){{ .kb-status" in status and f"answers “[" in status, status
        assert status.count(".kb-status ") == 1, status  # this page's question left out


def test_agreement_value_comes_from_its_cited_claim(mini_generated: Path):
    text = page(mini_generated, "agreements/bus-contract.md")
    assert "| Stated value | [about 5 million USD](../claims/one-bus-value.md)" in text


def test_agreements_roll_up_from_events_and_their_parts(mini_generated: Path):
    # leader-a took part in the-visit; the bus contract belongs to the-forum, which is part of the-visit
    leader = links_on(mini_generated, "actors/leader-a.md")
    assert {"agreements/the-declaration.md", "agreements/bus-contract.md"} <= leader
    visit = page(mini_generated, "events/the-visit.md")
    # kinds and statuses by their vocabulary's names, as the vocabulary page promises ("pages show its name")
    assert "| [Bus contract](../agreements/bus-contract.md) | Contract | Signed | [The business forum](the-forum.md) |" in visit


def test_the_briefing_lists_a_reported_part_of_a_signed_package_once_as_not_signed(mini_project: Path):
    """The briefing said the signed package "includes" two agreements, then listed the same two as
    "not confirmed as signed" (later marked "(reported)" in the package's line: still signed and
    unsigned at once). A part that is not signed is now only under "not confirmed as signed", with
    the package it is filed under; the package's line names its signed parts."""
    agreements = mini_project / "data/agreements/agreements.yaml"
    agreements.write_text(agreements.read_text(encoding="utf-8") + (
        "- id: the-package\n  name: The package\n  kind: package\n  event: the-visit\n  sources: [src-one]\n"
        "- id: transit-deal\n  name: Transit deal\n  kind: agreement\n  status: reported\n  part_of: the-package\n"
        "  event: the-visit\n  sources: [src-one]\n"
        "- id: signed-part\n  name: Signed part\n  kind: agreement\n  part_of: the-package\n  event: the-visit\n"
        "  sources: [src-one]\n"
    ), encoding="utf-8")
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 0, result.stderr
    briefing = page(mini_project, "views/briefing.md")
    package = next(line for line in briefing.splitlines() if "[The package]" in line)
    assert "includes [Signed part](../agreements/signed-part.md)." in package, package
    assert "Transit deal" not in package and "(signed)" not in package, package
    reported = next(line for line in briefing.splitlines() if "not confirmed as signed" in line)
    assert "[Transit deal](../agreements/transit-deal.md) (reported; filed under [The package](../agreements/the-package.md))" in reported, reported
    assert "Signed part" not in reported, reported
    assert briefing.count("Transit deal") == 1, briefing


def test_a_supplied_title_is_cited_in_square_brackets(mini_generated: Path):
    """The text citation put the title the knowledge base gave an untitled article in quotation
    marks, as if it were the article's own; a title the source carries keeps them."""
    supplied = page(mini_generated, "claims/two-count.md")  # src-two: title_given false
    assert "Unsigned (2026). [A second article], excerpt: “over a dozen agreements”." in supplied, supplied[supplied.find("Cite"):][:600]
    # the paraphrase is given as ours, after the excerpt, not as the author's (a reader's trial)
    assert ", claim two-count, in the knowledge base's words: The second article expects more than twelve agreements. http" in supplied, \
        supplied[supplied.find("Cite"):][:600]
    # in BibTeX, "Unsigned" is no author's name (a new user's trial: author = {{Unsigned}})
    assert "Unsigned}" not in supplied and "author = {{Unsigned" not in supplied
    signed = page(mini_generated, "claims/one-count.md")
    assert "author = {Ann Author}" in signed, signed[signed.find("@misc"):][:400]  # a person: BibTeX splits the name
    assert "“A second article”" not in supplied
    own = next(p for p in sorted((mini_generated / "docs/claims").glob("*.md"))
               if "Ann Author (2026)." in p.read_text(encoding="utf-8"))
    assert "Ann Author (2026). “A first article”, excerpt: “" in own.read_text(encoding="utf-8"), own


def test_a_role_that_names_its_organisation_links_it_there_instead_of_repeating_it(mini_project: Path):
    """ "President of Kazakhstan, Kazakhstan": the organisation is linked inside the title that
    names it; a title that does not name it is followed by it, as before."""
    actors = mini_project / "data/actors/actors.yaml"
    text = actors.read_text(encoding="utf-8")
    assert "    - title: President\n      organisation: land-a\n" in text
    actors.write_text(text.replace(
        "    - title: President\n      organisation: land-a\n",
        "    - title: President of Land A\n      organisation: land-a\n      source: src-one\n"
        "    - title: Head of state\n      organisation: land-a\n      source: src-one\n"
        "    - title: Envoy of Land Assembly\n      organisation: land-a\n", 1), encoding="utf-8")
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 0, result.stderr
    rows = [line for line in page(mini_project, "actors/leader-a.md").splitlines() if line.startswith("| Role |")]
    assert rows[0].startswith("| Role | President of [Land A](land-a.md)<sup"), rows
    assert rows[1].startswith("| Role | Head of state, [Land A](land-a.md)<sup"), rows
    assert rows[2].startswith("| Role | Envoy of Land Assembly, [Land A](land-a.md)<sup"), rows  # a whole word only


def test_a_place_map_shows_the_nearest_places_around_it_and_no_waypoint(mini_project: Path):
    from kb.render import Renderer

    places = mini_project / "data/places/places.yaml"
    extra = "".join(
        f"- id: town-{i}\n  name: Town {i}\n  kind: city\n  lat: {43.2 - 0.3 * i}\n  lon: 76.9\n  sources: [src-one]\n"
        for i in range(1, Renderer.AROUND + 3)
    ) + "- id: a-waypoint\n  name: A waypoint\n  kind: sea\n  lat: 43.0\n  lon: 77.0\n  waypoint: true\n"
    places.write_text(places.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 0, result.stderr
    svg = page(mini_project, "places/capital-a.map.svg")
    shown = re.findall(r'<a href="town-(\d+)\.html" target="_top"><title>Town \d+</title><circle[^>]*class="context"', svg)
    assert sorted(map(int, shown)) == list(range(1, Renderer.AROUND + 1)), shown  # the nearest, no more
    context = re.findall(r'<a href="([^"]+)" target="_top"><title>[^<]*</title><circle[^>]*class="context"', svg)
    assert "a-waypoint.html" not in svg and "port-b.html" not in context, context  # a waypoint; a place of the map's own


def test_corridor_and_place_pages_carry_an_offline_map(mini_generated: Path):
    corridor = page(mini_generated, "corridors/a-b-route.md")
    assert '<object class="kb-map" type="image/svg+xml" data="a-b-route.map.svg" aria-label="Map of A–B route" style="aspect-ratio: 720 / ' in corridor
    svg = page(mini_generated, "corridors/a-b-route.map.svg")
    assert svg.startswith("<!-- generated") and "<svg " in svg and svg.rstrip().endswith("</svg>")
    # one line per leg, titled with its ends and mode; the second leg ends at a state with no
    # country place in the fixture, so it cannot be drawn
    assert "<title>Capital A – Port B: rail</title>" in svg
    assert svg.count("</line>") == 1
    # each place is a link to its page, relative to the SVG file (beside the page), leaving the frame
    assert '<a href="../places/capital-a.html" target="_top">' in svg
    assert '<a href="../places/port-b.html" target="_top">' in svg
    # self-contained: its own styles, nothing else linked or imported
    hrefs = re.findall(r'href="([^"]*)"', svg)
    assert hrefs and all(h.startswith("../places/") and h.endswith(".html") for h in hrefs)
    assert "<style>" in svg and not any(word in svg.replace('xmlns="http://www.w3.org/2000/svg"', "") for word in ("url(", "@import", "http:", "https:"))
    assert 'data="port-b.map.svg"' in page(mini_generated, "places/port-b.md")
    assert 'class="point main"' in page(mini_generated, "places/port-b.map.svg")


def test_views_are_computed_from_the_data(mini_generated: Path):
    timeline = page(mini_generated, "views/timeline.md")
    visit = timeline.index("| 3–4 February 2026 | [The state visit](../events/the-visit.md)")
    bus = timeline.index("| 4 February 2026 | [Bus contract worth 5 million](../claims/one-bus-value.md)")
    assert visit < bus
    assert "- [The business forum](../events/the-forum.md): during the visit; day not stated" in timeline
    disagreements = page(mini_generated, "views/disagreements.md")
    assert "1 question: [1 contested](#contested) · [0 divergent](#divergent) · [0 compatible](#compatible)" in disagreements
    assert disagreements.index("## Contested (1) { #contested }") < disagreements.index("### How many agreements were signed? { #how-many }")
    # a claim that answers no shared question is single-source and says so
    claim = page(mini_generated, "claims/one-bus-value.md")
    assert "[Single source](../views/disagreements.md#single-source){ .kb-status .kb-status-single-source" in claim
    assert "| When | 4 February 2026 ([timeline](../views/timeline.md#y2026)) |" in claim


def test_a_withdrawn_claims_date_leads_to_where_the_timeline_says_it_is_left_off(tmp_path: Path):
    """A new user's trial: a withdrawn claim's "When" still linked "(timeline)", to a year whose
    rows leave it out; the link says so, and the year names it among those left off."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "claims" / "one.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    bus = next(r for r in records if r["id"] == "one-bus-value")
    bus["retracted"] = {"date": "2026-03-01", "reason": "misread"}
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    renderer = pipeline.Renderer(kb)
    assert "| When | 4 February 2026 ([left off the timeline](../views/timeline.md#y2026)) |" in renderer.record_page(kb.nodes["one-bus-value"])
    timeline = renderer.render_unit(renderer.units()["views/timeline.md"])[0]["views/timeline.md"]
    year = timeline.split("{ #y2026 }", 1)[1]
    assert "Left off the timeline: [Bus contract worth 5 million](../claims/one-bus-value.md)" in year, year


def test_sectors_become_tags_that_lead_to_the_sector_page(mini_generated: Path):
    agreement = page(mini_generated, "agreements/bus-contract.md")
    assert agreement.startswith('---\nhide:\n  - navigation\ntitle: "Bus contract"\ntags:\n  - "Transport"\nsearch:\n  boost: 2\n---\n<!-- generated')
    # a sector's own tag name may differ from its name
    assert '  - "Political dialogue"\n' in page(mini_generated, "agreements/the-declaration.md")
    sector = page(mini_generated, "sectors/transport.md")
    assert '<!-- material/tags { include: ["Transport"], toc: false } -->' in sector
    assert "| [Bus contract](../agreements/bus-contract.md) | Contract | Signed |" in sector
    assert "sectors/transport.md" in links_on(mini_generated, "sectors/index.md")


def test_actor_pages_draw_their_neighbourhood(mini_generated: Path):
    actor = page(mini_generated, "actors/land-a.md")
    assert '<object class="kb-network" type="image/svg+xml" data="land-a.network.svg"' in actor
    svg = page(mini_generated, "actors/land-a.network.svg")
    hrefs = set(re.findall(r'<a href="([^"]+)"', svg))
    assert "land-a.html" in hrefs and "../agreements/the-declaration.html" in hrefs
    # a node's tooltip names its kind as pages do, by the vocabulary's term, not its id (a reader's trial)
    assert "<title>Land A (State)</title>" in svg and "(state)</title>" not in svg, svg[:600]
    whole = page(mini_generated, "views/network.network.svg")
    assert set(re.findall(r'<a href="([^"]+)"', whole)) >= {"../actors/land-a.html", "../corridors/a-b-route.html"}


def test_a_former_id_redirects_to_the_record_anchor_included(mini_project: Path):
    data = mini_project / "data/actors/actors.yaml"
    data.write_text(data.read_text().replace("- id: land-b\n", "- id: land-b\n  former_ids: [country-b]\n"))
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 0, result.stderr
    stub = page(mini_project, "actors/country-b.html")
    assert '<link rel="canonical" href="land-b.html">' in stub
    assert '<meta http-equiv="refresh" content="0; url=land-b.html">' in stub
    assert 'location.replace("land-b.html" + location.hash)' in stub
    built = mkdocs(mini_project, "build", "--strict")
    assert built.returncode == 0, built.stderr
    from kb.published import missing, published

    site = mini_project / "site"
    assert "actors/country-b.html" not in published(site)
    # an old link, anchor included, still resolves through the redirect; a vanished one does not
    assert missing(["actors/country-b.html", "actors/country-b.html#top", "actors/gone.html"], site) == ["actors/gone.html"]


def test_mkdocs_build_generates_in_a_child_and_a_second_build_renders_nothing(mini_project: Path):
    """`mkdocs build` runs `generate` in a child process into the cache (mkdocs_hooks._generate_pages),
    not into docs/: the site has every generated page, docs/ gains nothing, and a second build with
    nothing changed renders nothing; the data's warnings reach the build's log."""
    before = sorted(p.relative_to(mini_project).as_posix() for p in (mini_project / "docs").rglob("*"))
    first = mkdocs(mini_project, "build", "--strict")
    assert first.returncode == 0, first.stderr
    assert sorted(p.relative_to(mini_project).as_posix() for p in (mini_project / "docs").rglob("*")) == before
    pages = mini_project / ".cache/kb/mkdocs-pages"
    [folder] = list(pages.iterdir())
    generated = json.loads((folder / ".generated.json").read_text(encoding="utf-8"))
    for rel in generated:
        built = rel.removesuffix(".md") + ".html" if rel.endswith(".md") else rel
        assert (mini_project / "site" / built).is_file(), built
    assert re.search(r"generate: [1-9]\d* file\(s\) written", first.stderr), first.stderr
    second = mkdocs(mini_project, "build", "--strict")
    assert second.returncode == 0, second.stderr
    assert f"generate: 0 file(s) written, {len(generated)} unchanged" in second.stderr, second.stderr


def test_a_build_with_the_cache_off_leaves_no_folder_behind(mini_project: Path, tmp_path: Path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "KB_CACHE_DIR": "off", "TMPDIR": str(scratch)}
    import subprocess
    import sys

    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=mini_project,
                           capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stderr
    assert (mini_project / "site/index.html").is_file()
    assert not (mini_project / ".cache/kb").exists()
    assert list(scratch.iterdir()) == []


def test_a_generator_failure_stops_the_build_and_says_so(mini_project: Path):
    """A bug in the generator (not the data) stops `mkdocs build` with the child's traceback, told
    apart from errors in the data by `generate`'s exit code (3, not 1), not by its words: a data
    error that quotes "Traceback" is still the data's."""
    data = mini_project / "data/actors/actors.yaml"
    good = data.read_text(encoding="utf-8")
    data.write_text(good.replace("kind: company", "kind: Traceback (most recent call last)"), encoding="utf-8")
    assert kb_cli(mini_project, "generate").returncode == 1
    built = mkdocs(mini_project, "build", "--strict")
    assert "the data has errors; the site was not rebuilt" in built.stderr, built.stderr
    assert "actors.yaml" in built.stderr and "Traceback (most recent call last)" in built.stderr
    data.write_text(good, encoding="utf-8")

    render = mini_project / "scripts/kb/render.py"
    render.write_text(render.read_text(encoding="utf-8").replace(
        "    def _render(\n", "    def _render(self, *a, **k):\n        raise RuntimeError('a bug in the generator')\n\n    def _unused(\n", 1),
        encoding="utf-8")
    failed = kb_cli(mini_project, "generate")
    assert failed.returncode == 3 and "RuntimeError: a bug in the generator" in failed.stderr, failed.stderr
    built = mkdocs(mini_project, "build", "--strict")
    assert built.returncode != 0
    assert "the generator failed; the site was not rebuilt" in built.stderr, built.stderr
    assert "RuntimeError: a bug in the generator" in built.stderr, built.stderr
    assert not (mini_project / "site").exists()


def _assert_docs_are_a_full_render(paths) -> dict[str, str]:
    """Every file a full render of the data writes is in docs/ with the same bytes (what an
    incremental `generate` must leave); the full render's files, by path."""
    from kb import pipeline

    full = pipeline.render(pipeline.load(paths), paths)
    assert {rel: (paths.docs / rel).read_bytes() for rel in full} == {rel: text.encode() for rel, text in full.items()}
    return full


def test_generate_renders_only_what_changed_since_the_last_one(mini_project: Path, tmp_path: Path, monkeypatch):
    """The last `generate` is kept in .cache/kb (kb/cache.py): with nothing changed nothing is rendered
    or written; after an edit only the units that read it are, and docs/ holds what a full render
    gives; a generated file deleted or changed by hand is rendered and written again."""
    from kb import pipeline
    from kb.render import Renderer

    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    paths = pipeline.Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    rendered: list[object] = []
    original = Renderer.render_unit
    monkeypatch.setattr(Renderer, "render_unit", lambda self, unit: rendered.append(unit) or original(self, unit))
    pipeline.generate(paths)
    total = len(rendered)
    rendered.clear()
    report = pipeline.generate(paths)
    assert rendered == [] and report.written == [] and report.unchanged > 0

    docs = paths.docs
    data = mini_project / "data/places/places.yaml"
    data.write_text(data.read_text().replace("lat: 24.8", "lat: 24.9"))
    rendered.clear()
    pipeline.generate(paths)
    assert 0 < len(rendered) < total
    full = _assert_docs_are_a_full_render(paths)

    (docs / "places/port-b.md").unlink()
    (docs / "index.md").write_text("edited by hand\n", encoding="utf-8")
    rendered.clear()
    report = pipeline.generate(paths)
    assert len(rendered) == 2 and sorted(report.written) == ["index.md", "places/port-b.md"]
    assert (docs / "index.md").read_text(encoding="utf-8") == full["index.md"]


def test_an_actors_edit_renders_the_pages_that_draw_it_not_every_actors(mini_project: Path, tmp_path: Path, monkeypatch):
    """An actor's page draws its own neighbourhood of the network: it depends on the actor, what
    links to it and the records it draws, not on every record on the network. (It did, through an
    index of all edges: editing any actor rendered every actor's page again, and at 10,000 records
    each actor's page carried 3,400 keys.) The result is still a full render's bytes."""
    from kb import pipeline
    from kb.render import Renderer

    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    paths = pipeline.Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    rendered: set[str] = set()
    original = Renderer.render_unit

    def spy(self, unit):
        files, keys = original(self, unit)
        rendered.update(files)
        return files, keys

    monkeypatch.setattr(Renderer, "render_unit", spy)
    pipeline.generate(paths)
    assert "actors/land-a.network.svg" in rendered and "bus-maker" in page(mini_project, "actors/land-b.network.svg")
    data = mini_project / "data/actors/actors.yaml"
    data.write_text(data.read_text().replace("  kind: company\n", "  kind: company\n  description: Makes buses.\n"))
    rendered.clear()
    pipeline.generate(paths)
    assert {"actors/bus-maker.md", "actors/land-b.md"} <= rendered  # the actor, and the state it is drawn beside
    assert not rendered & {"actors/land-a.md", "actors/leader-a.md", "actors/ann-author.md"}
    _assert_docs_are_a_full_render(paths)


def test_generate_with_nothing_changed_does_not_load_the_data(mini_project: Path, tmp_path: Path, monkeypatch):
    """When no input changed (data/, the source texts, mkdocs.yml, the published manifest, the
    generator's code, by size and times) and docs/ holds what the last run wrote, `generate` returns
    without loading anything; any such change, or a generated file touched by hand, loads and renders
    again, to a full render's bytes."""
    import time

    from kb import pipeline
    from kb.errors import DataErrors

    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    paths = pipeline.Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    loads: list[int] = []
    real_load = pipeline.load
    monkeypatch.setattr(pipeline, "load", lambda p: loads.append(1) or real_load(p))

    # Inputs changed just before a run may change again unseen in the same clock tick: that run
    # keeps no fingerprint, and the next one loads the data.
    (mini_project / "data/places/places.yaml").touch()
    pipeline.generate(paths)
    loads.clear()
    assert pipeline.generate(paths).written == [] and loads == [1]

    monkeypatch.setattr(pipeline, "_RACY_NS", 0)  # from here, only edits made before each run
    first = pipeline.generate(paths)
    total = first.unchanged
    loads.clear()
    report = pipeline.generate(paths)
    assert loads == [] and report.written == [] and report.unchanged == total

    def full() -> dict[str, bytes]:
        return {rel: text.encode() for rel, text in pipeline.render(real_load(paths), paths).items()}

    # A data edit of the same size, its modification time put back: the change time tells.
    data = mini_project / "data/places/places.yaml"
    mtime = data.stat().st_mtime_ns
    data.write_text(data.read_text().replace("lat: 24.8", "lat: 24.9"))
    os.utime(data, ns=(mtime, mtime))
    time.sleep(0.01)
    report = pipeline.generate(paths)
    assert loads == [1] and report.written
    assert {rel: (paths.docs / rel).read_bytes() for rel in full()} == full()
    loads.clear()
    assert pipeline.generate(paths).written == [] and loads == []

    # A generated file changed by hand, or deleted: loaded, and that file alone written back.
    (paths.docs / "index.md").write_text("edited by hand\n", encoding="utf-8")
    (paths.docs / "places/port-b.md").unlink()
    report = pipeline.generate(paths)
    assert loads == [1] and sorted(report.written) == ["index.md", "places/port-b.md"]

    # A new data file, and the site's name in mkdocs.yml: each loads and renders.
    for change, page in (
        (lambda: (mini_project / "data/sectors/more.yaml").write_text("- id: sector-new\n  name: New sector\n"),
         "sectors/sector-new.md"),
        (lambda: (mini_project / "mkdocs.yml").write_text(
            (mini_project / "mkdocs.yml").read_text().replace("site_name: ", "site_name: Renamed ", 1)),
         "actors/land-a.md"),  # its "Cite this" names the site
    ):
        loads.clear()
        change()
        time.sleep(0.01)
        report = pipeline.generate(paths)
        assert loads == [1] and page in report.written

    # A page added to the published manifest whose record does not exist: the data is checked again
    # (validate.check_published), and the run fails with nothing written.
    loads.clear()
    assert pipeline.generate(paths).written == [] and loads == []
    (mini_project / "tests").mkdir(exist_ok=True)
    (mini_project / "tests/published-urls.txt").write_text("actors/land-z.html\n", encoding="utf-8")
    time.sleep(0.01)
    with pytest.raises(DataErrors) as failed:
        pipeline.generate(paths)
    assert loads == [1] and "tests/published-urls.txt:1:1: record 'land-z'" in str(failed.value)


def test_rendering_in_worker_processes_gives_the_same_bytes(mini_project: Path, tmp_path: Path, monkeypatch):
    """With several workers (forked: pipeline._render_all) docs/ holds what one process writes; an
    error in a worker is raised, names what failed, and leaves docs/ as it was, with no staging left."""
    from kb import pipeline
    from kb.render import Renderer

    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KB_GENERATE_WORKERS", "2")
    paths = pipeline.Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    report = pipeline.generate(paths)
    full = pipeline.render(pipeline.load(paths), paths)
    assert sorted(report.written) == sorted(full)
    assert {rel: (paths.docs / rel).read_bytes() for rel in full} == {rel: text.encode() for rel, text in full.items()}

    before = {p: p.read_bytes() for p in paths.docs.rglob("*") if p.is_file()}
    data = mini_project / "data/places/places.yaml"
    data.write_text(data.read_text().replace("lat: 24.8", "lat: 24.9"))
    original = Renderer.record_page

    def broken(self, node):
        if node.id == "port-b":
            raise RuntimeError("template failed on port-b")
        return original(self, node)

    monkeypatch.setattr(Renderer, "record_page", broken)
    with pytest.raises(RuntimeError, match="port-b"):
        pipeline.generate(paths)
    assert {p: p.read_bytes() for p in paths.docs.rglob("*") if p.is_file()} == before
    assert not list(mini_project.glob(".docs.staging-*"))


def test_a_count_takes_the_number_of_its_noun(mini_generated: Path):
    """'1 claim', '2 claims', never '1 claims' (a source with one claim, a question one source
    answers): counts go through the ``counted`` filter, and no template prints a count straight
    before a plural noun or makes a plural of its own (``"s" if ...``)."""
    from kb.render import counted

    assert [counted(n, "claim") for n in (0, 1, 2)] == ["0 claims", "1 claim", "2 claims"]
    assert [counted(n, "entry", "entries") for n in (1, 3)] == ["1 entry", "3 entries"]
    one = page(mini_generated, "sources/src-two.md")
    assert "1 claim, in the order the source makes them" in one
    assert "· 1 claim\n" in page(mini_generated, "claims/index.md")
    assert "2 claims, in the order the source makes them" in page(mini_generated, "sources/src-one.md")
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (mini_generated / "docs").rglob("*.md"))
    assert not re.search(r"\b1 (claim|source|article|answer|question|corridor|place|event|sector|entrie)s\b", pages)
    assert "source(s)" not in pages
    templates = Path(__file__).resolve().parents[1] / "scripts/kb/templates"
    bare = re.compile(r"(\|\s*length\s*\}\}|\{\{\s*[\w.]+\s*\}\})\s+[a-z]+s\b")
    offending = [f"{t.name}: {m.group(0)}" for t in templates.glob("*.j2")
                 for m in bare.finditer(t.read_text(encoding="utf-8"))]
    assert offending == []
    assert not [t.name for t in templates.glob("*.j2") if '"s" if' in t.read_text(encoding="utf-8")]


def test_how_many_workers_render(monkeypatch):
    """One process for few units, unless two of them are views or downloads of a large model (each
    goes through every record); one per CPU (at most 4) otherwise; KB_GENERATE_WORKERS decides."""
    import os

    from kb import pipeline

    monkeypatch.delenv("KB_GENERATE_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    least = pipeline.PARALLEL_FROM
    assert pipeline.workers(least - 1) == 1
    assert pipeline.workers(least) == 3
    assert pipeline.workers(21, 1, 10 * least) == 1
    assert pipeline.workers(21, 2, least - 1) == 1
    assert pipeline.workers(21, 2, least) == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(16)), raising=False)
    assert pipeline.workers(10 * least) == 4
    monkeypatch.setenv("KB_GENERATE_WORKERS", "1")
    assert pipeline.workers(10 * least, 5, 10 * least) == 1


def test_loading_pauses_the_garbage_collector_and_leaves_it_as_it_was(mini_project: Path, monkeypatch):
    """``pipeline.load`` validates and builds the model with the cyclic garbage collector off
    (``collector_paused``), then leaves it on or off as it found it, also when the data has errors
    (DataErrors raised from inside the pause)."""
    import gc

    from kb import pipeline
    from kb.errors import DataErrors

    seen: list[bool] = []
    for step in ("load_and_validate", "build_model"):
        original = getattr(pipeline, step)

        def watched(*args, _original=original, **kwargs):
            seen.append(gc.isenabled())
            return _original(*args, **kwargs)

        monkeypatch.setattr(pipeline, step, watched)
    paths = pipeline.Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    was = gc.isenabled()
    try:
        gc.enable()
        pipeline.load(paths)
        assert seen == [False, False] and gc.isenabled()
        gc.disable()
        pipeline.load(paths)
        assert not gc.isenabled()
        gc.enable()
        data = mini_project / "data/places/places.yaml"
        data.write_text(data.read_text().replace("lat: 24.8", "lat: 124.8"))
        with pytest.raises(DataErrors):
            pipeline.load(paths)
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("dataset", ["mini", "synthetic"])
def test_remembered_macros_give_the_same_pages_and_the_same_keys(dataset: str, tmp_path: Path, monkeypatch):
    """The shared macros remembered per renderer (render.SharedMacros) change nothing: every unit's
    files and the model keys it records are those of a renderer that calls every macro afresh,
    rendered in the same order (so later units reuse what earlier ones remembered). The synthetic
    data lists each claim on several records' pages, where its status badge is remembered."""
    from benchmark import synthetic_data
    from kb import pipeline, render

    if dataset == "mini":
        project = make_project(tmp_path / "proj", MINI)
    else:
        synthetic_data(tmp_path / "data", 1000)
        project = make_project(tmp_path / "proj", tmp_path / "data")
    paths = pipeline.Paths(root=project, data=project / "data", docs=project / "docs")
    kb = pipeline.load(paths)

    def every_unit(pure: frozenset) -> dict:
        monkeypatch.setattr(render, "PURE_MACROS", pure)
        renderer = render.Renderer(kb)
        return {name: renderer.render_unit(unit) for name, unit in renderer.units().items()}

    pure = render.PURE_MACROS
    remembered, afresh = every_unit(pure), every_unit(frozenset())
    assert pure and remembered.keys() == afresh.keys()
    for name in afresh:
        assert remembered[name][0] == afresh[name][0], name
        assert remembered[name][1] == afresh[name][1], name
        for path, text in remembered[name][0].items():
            assert render.LINK_MARK not in text and render.FOLDER_END not in text, path


def test_the_short_call_path_calls_as_jinja_does(tmp_path: Path, monkeypatch):
    """render.CallContext calls a function, a method, a builtin and a macro as Jinja's own
    Context.call does (same arguments, loop and block variables dropped, StopIteration as an
    undefined), and leaves every other callable (pass_context, pass_environment,
    pass_eval_context, a callable object) to it; the 1,000-record synthetic data renders to the
    same files and keys with either context."""
    import jinja2
    from jinja2.runtime import Context
    from benchmark import synthetic_data
    from kb import pipeline, render

    env = render._Environment(undefined=jinja2.StrictUndefined)
    assert env.context_class is render.CallContext
    module = env.from_string("{% macro twice(x, y=2) %}{{ x * y }}{% endmacro %}").module

    class Obj:
        def method(self, *a, **k):
            return ("method", a, sorted(k.items()))

        @jinja2.pass_context
        def __call__(self, context, *a, **k):
            return ("object", sorted(context.get_all()), a, sorted(k.items()))

    def stops(*a, **k):
        raise StopIteration

    def outcome(context: Context, f, args: tuple, kwargs: dict):
        try:
            got = context.call(f, *args, **kwargs)
        except Exception as error:  # both must fail alike
            return type(error)
        return ("undefined", got._undefined_hint) if isinstance(got, jinja2.Undefined) else (type(got), str(got))

    callables = [
        lambda *a, **k: ("lambda", a, sorted(k.items())), Obj().method, max, module.twice, Obj(), stops,
        jinja2.pass_context(lambda c, *a, **k: ("context", sorted(c.get_all()), a, sorted(k.items()))),
        jinja2.pass_environment(lambda e, *a, **k: ("environment", e is env, a, sorted(k.items()))),
        jinja2.pass_eval_context(lambda e, *a, **k: ("eval", e.autoescape, a, sorted(k.items()))),
    ]
    for kwargs in ({}, {"_loop_vars": {"i": 1}, "_block_vars": {"b": 2}}, {"y": 3, "_loop_vars": {}}):
        for args in ((5,), (2, 3), ("<b>",)):
            for f in callables:
                for escaping in (False, True):  # a macro escapes as the calling template does
                    ours, theirs = render.CallContext(env, {"g": 1}, "t", {}), Context(env, {"g": 1}, "t", {})
                    ours.eval_ctx.autoescape = theirs.eval_ctx.autoescape = escaping
                    assert outcome(ours, f, args, dict(kwargs)) == outcome(theirs, f, args, dict(kwargs)), \
                        (f, args, kwargs, escaping)

    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    synthetic_data(tmp_path / "data", 1000)
    project = make_project(tmp_path / "proj", tmp_path / "data")
    kb = pipeline.load(pipeline.Paths(root=project, data=project / "data", docs=project / "docs"))

    def every_unit() -> dict:
        renderer = render.Renderer(kb)
        return {name: renderer.render_unit(unit) for name, unit in renderer.units().items()}

    short = every_unit()
    monkeypatch.setattr(render._Environment, "context_class", Context)
    assert every_unit() == short


def test_a_marked_link_resolves_as_relative_makes_it():
    """A remembered macro's links are marked (render.marked) and made relative where the text is
    used (render.resolve_links): the same text as render.relative gives, from pages at the top, one
    and two folders down, to targets at the top, in the same folder, its parent, a sibling and a
    child folder, with and without an anchor, several in one text."""
    from kb.render import marked, relative, resolve_links

    pages = ["index.md", "claims/index.md", "actors/x.md", "views/map.md", "a/b/p.md", "a/c/p.md"]
    targets = ["about.md", "index.md", "actors/y.md", "actors/x.md", "claims/c-1.md", "views/network.md",
               "a/b/q.md", "a/q.md", "a/b/c/d.md", "actors/sub/z.html", "data/knowledge-base.json"]
    for page in pages:
        for target in targets:
            for anchor in ("", "#cite"):
                text = f"[t]({marked(target)}{anchor}) and <a href=\"{marked(target)}\">x</a>"
                expected = f"[t]({relative(target, page)}{anchor}) and <a href=\"{relative(target, page)}\">x</a>"
                assert resolve_links(text, page) == expected, (page, target)
        both = " ".join(marked(t) for t in targets)
        assert resolve_links(both, page) == " ".join(relative(t, page) for t in targets), page
    assert resolve_links("no links", "actors/x.md") == "no links"
    from kb.render import FOLDER_END, LINK_MARK
    from kb.schema import _CONTROL

    assert _CONTROL.fullmatch(LINK_MARK) and _CONTROL.fullmatch(FOLDER_END)  # no text in the data holds a mark


def test_a_units_keys_are_kept_compactly_and_read_back_whole():
    from kb.pipeline import _decode, _encode, _reads_any

    key_list = sorted([("record", "a"), ("record", "b"), ("backlinks", "a"), ("all", "actor"), ("all", "*")])
    index = {k: i for i, k in enumerate(key_list)}
    keys = frozenset({("record", "b"), ("all", "*"), ("all", "sector")})  # ("all", "sector"): no such records
    encoded = _encode(keys, index)
    assert _decode(encoded, key_list) == keys
    assert _reads_any(encoded, {index[("record", "b")]}, {("record", "b")})
    assert _reads_any(encoded, set(), {("all", "sector")})
    assert not _reads_any(encoded, {index[("record", "a")]}, {("record", "a")})
    known = frozenset({("record", "b"), ("all", "*"), ("backlinks", "a")})  # every key numbered
    assert _encode(known, index)[1] == frozenset() and _decode(_encode(known, index), key_list) == known
    assert _encode(frozenset(), index) == (b"", frozenset())


# ----------------------------------------------------------------------------- search sections

# Zensical 0.0.73 stops its build on a search section of more words than this ("Search field 'text'
# at 'views/briefing.html#figures' exceeds the search index limit (29210 token positions; maximum
# 16384 …)", a 10,000-record site), with its default separator (zensical.toml leaves it as it is).
ZENSICAL_SECTION_WORDS = 16384
_SEPARATOR = re.compile(r'[\s\-_,:!=\[\]()\\"`/]+|\.(?!\d)')
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


class _Sections(HTMLParser):
    """A page's search sections as Zensical and Material cut them from its HTML: a heading with an id
    opens one; an element with `data-search-exclude` is left out with its content (scripts and
    styles too), and so is a whole section whose heading has it. {anchor: [text]}."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str | None, list[str]] = {None: []}
        self.current: str | None = None
        self.open: list[tuple[str, bool]] = []  # (tag, left out)
        self.skipped = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attrs = dict(attrs)
        out = "data-search-exclude" in attrs or tag in ("script", "style")
        if re.fullmatch(r"h[1-6]", tag) and "id" in attrs:
            self.current = attrs["id"] if not out else f"excluded:{attrs['id']}"
            self.sections[self.current] = []
        self.open.append((tag, out))
        self.skipped += out

    def handle_endtag(self, tag):
        while self.open:
            opened, out = self.open.pop()
            self.skipped -= out
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.skipped and not any(re.fullmatch(r"h[1-6]", t) for t, _ in self.open):
            self.sections[self.current].append(data)


def indexed_words(markdown_page: str) -> dict[str | None, int]:
    """The words of each search section of a generated page, as both engines index it ({} for a page
    left out of search): {the section's anchor (None before the first): words}."""
    front, body = markdown_page[4:].split("\n---\n", 1) if markdown_page.startswith("---\n") else ("", markdown_page)
    if (yaml.safe_load(front) or {}).get("search", {}).get("exclude"):
        return {}
    names, configs = site_markdown_extensions()
    parser = _Sections()
    parser.feed(markdown.Markdown(extensions=names, extension_configs=configs).convert(body))
    return {
        anchor: sum(1 for word in _SEPARATOR.split(" ".join(texts)) if word)
        for anchor, texts in parser.sections.items() if not str(anchor).startswith("excluded:")
    }


def _grown(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[int, int]]:
    """The pages (path → Markdown) whose largest indexed section grew from `before` to `after` by
    more than a quarter, and more than the few words that larger counts in the prose make:
    {path#anchor: (words before, words after)}."""
    out = {}
    for rel in before.keys() & after.keys():
        was = max(indexed_words(before[rel]).values(), default=0)
        anchor, words = max(indexed_words(after[rel]).items(), key=lambda item: item[1], default=(None, 0))
        if words > 1.25 * was + 50:
            out[f"{rel}#{anchor}"] = (was, words)
    return out


@pytest.fixture(scope="module")
def synthetic_generated(tmp_path_factory) -> dict[int, Path]:
    """Synthetic data (scripts/benchmark.py) of two sizes, generated: {records: project}."""
    from benchmark import synthetic_data

    out = {}
    for total in (150, 600):
        folder = tmp_path_factory.mktemp(f"synthetic{total}")
        synthetic_data(folder / "data", total)
        out[total] = make_project(folder / "proj", folder / "data")
        result = kb_cli(out[total], "generate")
        assert result.returncode == 0, result.stderr
    return out


def test_no_indexed_section_of_a_page_grows_with_the_data(synthetic_generated):
    """A list that grows with the number of records (every figure, every event, every record of a
    type; `m.listing()` in the templates) is left out of the search indexes, its items being indexed
    on their own pages: with four times the records, the largest indexed section of each view,
    index page and the home page stays as it was, give or take the figures in its prose. Without
    that, Zensical refuses the section once it passes its limit (16,384 words; 29,210 in the
    briefing's key figures at 10,000 records)."""
    small, large = (synthetic_generated[n] / "docs" for n in sorted(synthetic_generated))
    pages = ["index.md", *(p.relative_to(large).as_posix() for p in sorted(large.glob("*/index.md"))),
             *(p.relative_to(large).as_posix() for p in sorted(large.glob("views/*.md")))]
    grown = _grown({rel: (small / rel).read_text(encoding="utf-8") for rel in pages},
                   {rel: (large / rel).read_text(encoding="utf-8") for rel in pages})
    assert not grown, f"indexed sections grew with the data (words at 150 records → at 600): {grown}"
    # The lists' headings and the prose around the lists stay indexed.
    briefing = indexed_words((large / "views/briefing.md").read_text(encoding="utf-8"))
    assert {"outcomes", "figures", "sources"} <= briefing.keys() and briefing["figures"] > 20


@pytest.fixture(scope="module")
def copied_claims(tmp_path_factory) -> list[tuple[object, dict[str, str]]]:
    """The synthetic data, then the same with every claim made four times (same source, questions,
    sectors and records it is about), each rendered with `brief_over` at 3 and `named_at_most` at 2,
    so that the long forms of the lists show at this size: [(model, {path: Markdown})] for one
    copy, then for four."""
    import kb.render
    from benchmark import synthetic_data
    from kb.pipeline import Paths, load, render

    tmp_path = tmp_path_factory.mktemp("copied")
    out = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kb.render, "BRIEF_OVER", 3)
        patch.setattr(kb.render, "NAMED_AT_MOST", 2)
        for copies in (1, 4):
            synthetic_data(tmp_path / f"data{copies}", 150)
            path = tmp_path / f"data{copies}" / "claims" / "synthetic.yaml"
            claims = yaml.safe_load(path.read_text(encoding="utf-8"))
            copied = [{**json.loads(json.dumps(c)), "id": f"{c['id']}-{k}", "name": f"{c['name']} {k}"}
                      for k in range(1, copies) for c in claims]  # copies, not YAML aliases
            path.write_text(yaml.safe_dump(claims + copied, sort_keys=False), encoding="utf-8")
            project = make_project(tmp_path / f"proj{copies}", tmp_path / f"data{copies}")
            paths = Paths(root=project, data=project / "data", docs=project / "docs")
            model = load(paths)
            out.append((model, {rel: text for rel, text in render(model, paths).items() if rel.endswith(".md")}))
    return out


def test_no_indexed_section_grows_with_the_records_linked_with_a_record(copied_claims):
    """A record page's lists of the records linked with it (a source's claims, a sector's, the claims
    about an actor, what links to it, a question's answers) are left out of the search indexes once
    they are longer than `brief_over`: with every claim made four times, the largest indexed section
    of every page stays as it was."""
    (_, one), (_, four) = copied_claims
    assert len(four) > len(one) + 100  # the copies' own pages
    grown = _grown(one, four)
    assert not grown, f"indexed sections grew with the claims linked (words with one copy → four): {grown}"


def test_a_record_page_grows_by_a_line_per_claim_linked_with_it(copied_claims):
    """Issue 14 ("linear, lean"): once its lists are long, a record page gains at most a line or a
    table row per claim linked with it, whatever the number of claims. A question's page gave each
    answer its full box (2.3 KB of Markdown per answer here), and each row of its table of answers
    named every claim that excludes its own, so that table grew with the square of its answers (a
    real question of 38 answers was 91.4 KB of HTML; 78 answers made it 145 KB). Now: {page: bytes of
    Markdown per claim added}, each at most 1,000 (a brief line is about 250, a table row 400)."""
    (model1, one), (model4, four) = copied_claims

    def linked(model, rid: str) -> int:
        return sum(1 for n in model.backlinks(model.get(rid)) if n.type.name == "claim")

    costs = {}
    for rel in sorted(one.keys() & four.keys()):
        folder, _, name = rel.partition("/")
        if folder in ("views", "data") or not name or name == "index.md" or model1.get(name[:-3]) is None:
            continue
        added = linked(model4, name[:-3]) - linked(model1, name[:-3])
        if added > 0:
            costs[rel] = (len(four[rel].encode()) - len(one[rel].encode())) / added
    assert {rel.split("/")[0] for rel in costs} >= {"questions", "sources", "sectors", "actors"}
    assert {rel: round(cost) for rel, cost in costs.items() if cost > 1_000} == {}
    # The long forms keep what the full ones gave: each answer's anchor on its question's page, and
    # a count of the claims a row excludes links the section of the row's claim that names them.
    counted = 0
    for question in model4.by_type["question"]:
        page = four[f"questions/{question.id}.md"]
        assert all(f'id="{c.id}"' in page for c in model4.answers(question)), question.id
        for target, anchor in re.findall(r"\[\d+ claims\]\(\.\./claims/([\w-]+)\.md#([\w-]+)\)", page):
            assert f"{{ #{anchor} }}" in four[f"claims/{target}.md"], (question.id, target, anchor)
            counted += 1
    assert counted


def test_the_search_sections_are_counted_as_zensical_counts_them():
    """indexed_words() cuts and counts as Zensical does (on the 10,000-record synthetic site it
    gave the briefing's key figures 29,210 words, Zensical's own count in its error): sections at
    headings with an id, words split at Zensical's separator (a point between digits stays), and
    nothing counted of what carries `data-search-exclude` or of a page left out of search."""
    page = "# T { #top }\n\n## A { #a }\n\nOne two-three, four.five 4.5\n\n## B { #b data-search-exclude }\n\nsix\n\n" \
           '<div markdown="1" data-search-exclude="">\n\n| x | y |\n|---|---|\n| seven | eight |\n\n</div>\n\nnine\n'
    assert indexed_words(page) == {None: 0, "top": 0, "a": 6}  # "nine" is B's, left out with it
    assert indexed_words("---\nsearch:\n  exclude: true\n---\n# T { #top }\n\nword\n") == {}


def test_publishing_moves_new_folders_whole_and_keeps_what_is_there(tmp_path: Path):
    """writer.Staging.publish: a folder docs/ does not have is moved in one rename, a folder it has
    gets the staged files one by one beside its own (a hand-written page stays); either way docs/
    ends with every staged file, the report lists each, and no staging folder is left."""
    from kb.writer import MANIFEST, Staging, read_manifest

    docs = tmp_path / "docs"
    (docs / "claims").mkdir(parents=True)
    (docs / "claims" / "notes.md").write_text("hand-written\n")
    files = {"claims/a.md": b"a", "claims/maps/a.svg": b"<svg/>", "actors/b.md": b"b",
             "actors/maps/deep/c.svg": b"c", "index.md": b"home"}
    staging = Staging(docs)
    assert {rel: staging.add(rel, data) for rel, data in files.items()} == dict.fromkeys(files, "staged")
    report = staging.publish(list(files), set(files), unchanged=0)
    assert sorted(report.written) == sorted(files)
    assert {rel: (docs / rel).read_bytes() for rel in files} == files
    assert (docs / "claims" / "notes.md").read_text() == "hand-written\n"
    assert read_manifest(docs) == set(files) and (docs / MANIFEST).exists()
    assert not list(tmp_path.glob(".docs.staging-*"))
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()) == sorted(
        [*files, "claims/notes.md", MANIFEST])


def test_publishing_into_a_docs_folder_not_made_yet(tmp_path: Path):
    from kb.writer import Staging

    docs = tmp_path / "cache" / "pages"  # mkdocs build's folder, the first time
    staging = Staging(docs)
    staging.add("claims/a.md", b"a")
    staging.add("index.md", b"home")
    report = staging.publish(["claims/a.md", "index.md"], {"claims/a.md", "index.md"}, unchanged=0)
    assert sorted(report.written) == ["claims/a.md", "index.md"]
    assert (docs / "claims/a.md").read_bytes() == b"a" and (docs / "index.md").read_bytes() == b"home"


def test_renaming_an_actor_lays_out_no_drawing_again(mini_project: Path, tmp_path: Path, monkeypatch):
    """A name changes what a network drawing shows, not its shape: after an actor is renamed, its
    drawings (its own, its neighbours', the network view) are drawn again with the layouts kept in
    the cache by the run before (a new process, as every `generate` is, has none in memory), and
    come out as a full render draws them."""
    from kb import network, pipeline

    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KB_GENERATE_WORKERS", "1")  # drawn in this process, where the spy sees them
    paths = pipeline.Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    computed = []
    real = network._compute_layout
    monkeypatch.setattr(network, "_compute_layout", lambda *a: computed.append(a[0]) or real(*a))
    network._shape_layout.cache_clear()
    pipeline.generate(paths)
    assert computed  # the first run lays the drawings out
    computed.clear()
    network._shape_layout.cache_clear()
    data = mini_project / "data/actors/actors.yaml"
    text = data.read_text()
    assert "name: Bus Maker" in text
    data.write_text(text.replace("name: Bus Maker", "name: Bus Maker Renamed"))
    report = pipeline.generate(paths)
    assert "views/network.network.svg" in report.written and "actors/land-b.network.svg" in report.written
    assert "Bus Maker Renamed" in page(mini_project, "views/network.network.svg")
    assert computed == []
    network._shape_layout.cache_clear()
    _assert_docs_are_a_full_render(paths)


def test_a_claim_without_a_figure_shows_its_qualifiers_on_its_own_page(mini_project: Path):
    """A claim's qualifiers were listed on its own page only when it had a figure: the scope of a
    list's items, or who a reported view comes from (basis), showed in claim boxes elsewhere but
    not on the claim's page."""
    edit_and_generate(
        mini_project, "claims/one.yaml",
        ("  kind: figure\n  excerpt: \"ten agreements were signed\"", "  kind: fact\n  excerpt: \"ten agreements were signed\""),
        ("  questions: [how-many]\n  value: 10\n  unit: agreements\n",
         "  questions: [how-many]\n  answer: no count given\n  qualifiers:\n    basis: officials, not named\n    scope: the visit's first day\n"),
    )
    text = page(mini_project, "claims/one-count.md")
    assert "| Value |" not in text
    assert "| Scope | the visit's first day |" in text and "| Basis | officials, not named |" in text, text
    figure = page(mini_project, "claims/one-bus-value.md")  # a figure's page keeps its value and qualifiers
    assert "| Value |" in figure and "| Scope | the contract alone |" in figure


def test_withdrawn_records_are_not_counted_in_the_counts_beside_their_lists(mini_project: Path):
    """A source's page said "2 claims" and the sources index 2 after one of the two was withdrawn
    (a new user's trial): the counts beside a list of claims, and the sector and source tables,
    count what counts and say how many more are withdrawn; the withdrawn ones stay listed."""
    edit_and_generate(mini_project, "claims/one.yaml", ("  sectors: [transport]\n", "  sectors: [transport]\n  retracted: {date: \"2026-02-09\", reason: A test.}\n"))
    source = page(mini_project, "sources/src-one.md")
    assert "1 claim, and 1 withdrawn, in the order the source makes them." in source, source
    assert "one-bus-value" in source  # still listed, marked
    row = next(line for line in page(mini_project, "sources/index.md").splitlines() if "(src-one.md)" in line)
    assert row.endswith("| 1 (and 1 withdrawn) |"), row
    contract = page(mini_project, "agreements/bus-contract.md")
    assert "1 claim, withdrawn." in contract, contract  # not "0 claims from 0 sources, and 1 withdrawn"
    sector_row = next(line for line in page(mini_project, "sectors/index.md").splitlines() if "(transport.md)" in line)
    assert "| 0 (and 1 withdrawn) |" in sector_row, sector_row
    assert "| Claims | 0 (and 1 withdrawn) |" in page(mini_project, "sectors/transport.md")
    visit = page(mini_project, "events/the-visit.md")  # nothing withdrawn about it: as before
    assert "2 claims from 2 sources." in visit, visit
    # The claims index said "3 claims" and "Source page · 2 claims" (a new user's trial), and every
    # index of records counted its withdrawn ones too.
    claims = page(mini_project, "claims/index.md")
    assert " 2 claims from 2 sources, and 1 withdrawn, grouped by source" in claims, claims
    assert "· 1 claim, and 1 withdrawn\n" in claims, claims
    edit_and_generate(mini_project, "places/places.yaml", ("  lon: 76.9\n", "  lon: 76.9\n  retracted: {date: \"2026-02-09\", reason: A test.}\n"))
    assert " 1 place, and 1 withdrawn. " in page(mini_project, "places/index.md")


def test_a_kind_or_status_shows_by_its_name_in_the_vocabulary_everywhere(mini_project: Path):
    """A source's kind was written three ways (a new user's trial): its id ("op-ed") in tables and
    references, with hyphens as spaces ("op ed") beside answers, its name ("Op-ed") on its page.
    Renaming a term in its vocabulary now renames it on every page; the id shows nowhere."""
    edit_and_generate(mini_project, "vocabularies/vocabularies.yaml",
                      ("{id: contract, name: Contract}", "{id: contract, name: Works contract}"))
    for rel in ("events/the-visit.md", "sectors/transport.md", "index.md", "views/briefing.md"):
        body = page(mini_project, rel)
        rows = [line for line in body.splitlines() if "[Bus contract]" in line and "|" in line or "**[Bus contract]" in line]
        assert rows, (rel, body)
        for row in rows:
            assert "Works contract" in row or "works contract" in row, (rel, row)
            assert "| contract |" not in row and "(contract" not in row, (rel, row)
    edit_and_generate(mini_project, "vocabularies/vocabularies.yaml",  # src-two is a news-preview
                      ("      name: News preview\n", "      name: Early news item\n"))
    answers = [line for line in page(mini_project, "questions/how-many.md").splitlines() if "(../sources/src-two.md)" in line and "·" in line]
    assert answers and all("· early news item |" in line for line in answers), answers
    home = [line for line in page(mini_project, "index.md").splitlines() if "(sources/src-two.md)" in line]
    assert home and all(line.endswith("| Early news item |") for line in home), home
    reference = [line for line in page(mini_project, "claims/two-count.md").splitlines() if 'id="ref-src-two"' in line]
    assert reference and "; early news item;" in reference[0], reference
    for rel in ("questions/how-many.md", "index.md", "claims/two-count.md", "sources/index.md", "views/briefing.md"):
        body = page(mini_project, rel)
        assert "news-preview" not in body.replace("kb-kind", "") and "news preview" not in body.lower(), rel


def test_qualifiers_joined_in_a_line_do_not_double_their_punctuation(mini_project: Path):
    """A qualifier written as a sentence, ending in a full stop, read "(implied by context).; note:"
    in the line that joins a claim's qualifiers (a new user's trial)."""
    edit_and_generate(mini_project, "claims/one.yaml", ("    scope: the contract alone\n", "    scope: the contract alone (as stated).\n    note: Read with care.\n"))
    box = page(mini_project, "agreements/bus-contract.md")
    assert "scope: the contract alone (as stated); note: Read with care" in box, box
    assert ".;" not in box
    assert "| Scope | the contract alone (as stated). |" in page(mini_project, "claims/one-bus-value.md")  # its own row keeps it


@pytest.mark.parametrize("text, expected", [
    ("as stated.", "as stated"),
    ("in the U.S.", "in the U.S."),  # an abbreviation keeps its stop (it is part of the word)
    ("food, fuel, etc.", "food, fuel, etc."),
    ("Acme Ltd.", "Acme Ltd."),
    ("(approx.).", "(approx.)"),
    ("and so on...", "and so on..."),
    ("no stop", "no stop"),
])
def test_a_clause_drops_its_closing_full_stop_but_not_an_abbreviations(text: str, expected: str):
    """``render.clause``, which joins a claim's qualifiers in one line: "in the U.S." lost its last
    dot when every closing full stop was dropped."""
    from kb.render import clause

    assert clause(text) == expected


def test_withdrawing_a_source_withdraws_its_claims(mini_project: Path):
    """A source withdrawn had left its claims counting: in statuses, counts, the briefing, the
    timeline and the explorer (a new editor's trial). Its claims are withdrawn with it, on its
    date, with a reason that names it; their pages and anchors stay."""
    from kb.pipeline import Paths, load

    before = load(Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs"))
    theirs = [c.id for c in before.all("claim") if c.record.source == "src-two" and c.record.retracted is None]
    assert theirs, "the mini data needs a current claim of src-two"
    edit_and_generate(mini_project, "sources/sources.yaml",
                      ("  covers: Expectations.\n", "  covers: Expectations.\n  retracted: {date: \"2026-02-09\", reason: Not the article it claimed to be.}\n"))
    kb = load(Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs"))
    for cid in theirs:
        claim = kb.get(cid)
        assert claim.record.retracted is not None and claim not in kb.current("claim"), cid
        assert claim.record.retracted.date == "2026-02-09"
        own = page(mini_project, f"claims/{cid}.md")
        assert "Withdrawn on 9 February 2026" in own
        assert "Its source, A second article, was withdrawn: Not the article it claimed to be." in own, own
        for q in claim.record.questions:
            assert claim not in kb.answers(kb.get(q))
    source = page(mini_project, "sources/src-two.md")
    every = "1 claim, withdrawn" if len(theirs) == 1 else f"{len(theirs)} claims, all withdrawn"
    assert f"{every}, in the order the source makes them." in source, source
    explorer = page(mini_project, "views/claims.md")
    for cid in theirs:
        assert re.search(rf'<tr class="kb-withdrawn"[^>]*>\s*<td><a href="\.\./claims/{cid}\.html">', explorer), cid
    # a claim withdrawn on its own account keeps its own date and reason
    from kb.model import withdrawn_with_source

    own_reason = kb.get(theirs[0]).record.model_copy(update={"retracted": None})
    mine = own_reason.model_copy(update={"retracted": kb.get(theirs[0]).record.retracted.model_copy(update={"reason": "Mine."})})
    assert withdrawn_with_source(mine, kb.get("src-two").record) is mine


def test_an_agreement_is_said_signed_at_its_event_only_when_it_was_signed(mini_project: Path):
    """An agreement only reported read "Signed at: the state visit" beside its note that no source
    says it was signed then, and its sectors showed as ids (a reader's trial)."""
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 0, result.stderr
    signed = page(mini_project, "agreements/bus-contract.md")  # status: signed (the default)
    assert "| Signed at | [" in signed and "| Linked to |" not in signed
    assert "| Sectors | [" in signed and "| Sectors | transport |" not in signed, signed
    edit_and_generate(mini_project, "agreements/agreements.yaml", ("  event: the-forum\n", "  event: the-forum\n  status: reported\n"))
    reported = page(mini_project, "agreements/bus-contract.md")
    assert "| Signed at |" not in reported, reported
    row = next(line for line in reported.splitlines() if line.startswith("| Linked to |"))
    assert row.endswith("(not confirmed as signed there: reported) |"), row


def test_an_index_names_kinds_by_their_vocabulary_names_and_a_person_is_not_it(mini_project: Path):
    """The generic index printed a kind's id ("joint-declaration"), and a person's page spoke of
    them as "it" ("events it is directly linked with", "Sources that mention it": a reader's and a
    new editor's trials)."""
    edit_and_generate(mini_project, "vocabularies/vocabularies.yaml",
                      ("{id: person, name: Person, ", "{id: person, name: Human being, "))
    rows = [line for line in page(mini_project, "actors/index.md").splitlines() if "(leader-a.md)" in line]
    assert rows and "| Human being |" in rows[0] and "| person |" not in rows[0], rows
    person = page(mini_project, "actors/leader-a.md")
    assert "## Sources that mention them" in person and " it is directly linked" not in person, person
    assert "## Sources that mention it " in page(mini_project, "actors/land-a.md")


def test_the_map_view_names_what_it_does_not_draw(mini_project: Path):
    """The map view said "All corridors and places on one map" while it drew 4 of 6 corridors and
    18 of 29 places (a reader's trial): a corridor without legs, and a region or sea that no leg
    passes through, are named as not drawn; one a leg passes through is drawn, and not named."""
    corridors = mini_project / "data/corridors/corridors.yaml"
    corridors.write_text(corridors.read_text(encoding="utf-8") + textwrap.dedent("""\
        - id: sea-lane
          name: Sea lane
          kind: route
          status: proposed
          sources: [src-one]
        """), encoding="utf-8")
    places = mini_project / "data/places/places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + textwrap.dedent("""\
        - id: inner-sea
          name: Inner Sea
          kind: sea
          lat: 40.0
          lon: 60.0
          sources: [src-one]
        - id: outer-sea
          name: Outer Sea
          kind: sea
          lat: 20.0
          lon: 65.0
          sources: [src-one]
        """), encoding="utf-8")
    edit_and_generate(mini_project, "corridors/corridors.yaml",
                      ("      to: port-b\n      mode: rail\n", "      to: port-b\n      mode: rail\n      via: [outer-sea]\n"))
    view = page(mini_project, "views/map.md")
    assert "Not drawn, as the data gives it no legs: [Sea lane](../corridors/sea-lane.md)." in view, view
    assert "Regions and seas are not drawn as points: [Inner Sea](../places/inner-sea.md)." in view, view
    assert "All corridors and places" not in view


def test_a_claims_kind_shows_by_its_name_and_its_status_badge_is_set_off_from_its_words(mini_project: Path):
    """A claim's kind showed as its id in the claim boxes, the timeline, a sector's table and the
    claims index ("figure · Compatible Compatible"), and a status badge ran into the words after
    it ("Contested answers “…”": a reader's trial)."""
    edit_and_generate(mini_project, "vocabularies/vocabularies.yaml", ("{id: figure, name: Figure,", "{id: figure, name: Count or amount,"))
    for rel in ("claims/index.md", "views/timeline.md", "sectors/transport.md", "questions/how-many.md"):
        body = page(mini_project, rel)
        assert "Count or amount" in body, rel
        assert ">figure<" not in body and "| figure ·" not in body, rel
        if rel != "questions/how-many.md":  # a question's own kind (figure, list, ...) is not a claim's
            assert "| figure |" not in body, rel
    box = page(mini_project, "events/the-visit.md")
    lines = [line for line in box.splitlines() if ".kb-status " in line and "answer" in line]
    assert lines and all(re.search(r"\} ?: (answers|no longer)", line) for line in lines), lines


def test_how_a_claims_date_was_placed_shows_beside_the_date_not_among_its_qualifiers(mini_project: Path):
    """How a date was placed was written into the qualifiers' note ("note: when: Goulard does not
    date the welcome ..."), which read as two fields run together (a reader's trial): ``when`` has
    a note of its own, shown beside the date on the claim's page."""
    edit_and_generate(mini_project, "claims/two.yaml", ("  value: 12\n", "  value: 12\n  when: {start: \"2026-02-03\", note: Placed on the visit's first day.}\n"))
    claim = page(mini_project, "claims/two-count.md")
    row = next(line for line in claim.splitlines() if line.startswith("| When |"))
    assert row.endswith("): Placed on the visit's first day. |"), row
    assert "when: Placed" not in claim


def test_the_home_page_says_where_the_signed_agreements_are_counted(tmp_path: Path):
    """A reader's trial: the home page's "What was signed" listed 7 agreements with no word that the
    sources count 30 to 37 documents, so the rows read as the count. The figure questions that
    claims about the signed agreements answer are linked under the table; a withdrawn claim's
    question is not."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)

    def home() -> str:
        kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
        renderer = pipeline.Renderer(kb)
        return renderer.render_unit(renderer.units()["index.md"])[0]["index.md"]

    assert "not a count of what was signed" not in home()  # no claim about a signed agreement answers one
    path = data / "claims" / "one.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["about"] = ["the-visit", "the-declaration"]
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    text = home()
    assert ("These are the agreements the sources name, not a count of what was signed. The sources' counts and "
            "figures for them are set side by side under [How many agreements were signed?](questions/how-many.md).") in text
    records[0]["retracted"] = {"date": "2026-11-30", "reason": "a test"}
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "not a count of what was signed" not in home()


def test_a_states_page_leads_to_its_place_and_the_routes_through_it(tmp_path: Path):
    """A reader's trial: Belarus, a state named only as a route's country, had an actor page whose
    one link led back to its place. A state with a country place names it, with its routes."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "places" / "places.yaml"
    places = yaml.safe_load(path.read_text(encoding="utf-8"))
    places.append({"id": "place-land-a", "name": "Land A", "kind": "country", "country": "land-a",
                   "lat": 48.0, "lon": 67.0, "sources": ["src-one"]})
    path.write_text(yaml.safe_dump(places, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = data / "corridors" / "corridors.yaml"
    corridors = yaml.safe_load(path.read_text(encoding="utf-8"))
    corridors[0]["legs"].insert(0, {"from": "place-land-a", "to": "capital-a", "mode": "road"})
    path.write_text(yaml.safe_dump(corridors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    page = pipeline.Renderer(kb).record_page(kb.nodes["land-a"])
    assert "| On the map | [Land A](../places/place-land-a.md), on [A–B route](../corridors/a-b-route.md) |" in page, page
    assert "On the map" not in pipeline.Renderer(kb).record_page(kb.nodes["ann-author"])


def test_a_status_badge_names_its_question(tmp_path: Path):
    """A reader's trial: a claim answering two questions showed "Compatible Compatible" (or
    "Contested Corroborated") on the timeline and sector pages, with nothing saying which badge
    belongs to which question. Each badge's title names its question, and on the timeline and a
    sector's table (claims of many questions) so does the text after it, seen on a touch screen and
    on paper, where a title is not (a second reader's trial)."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "claims" / "one.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["when"] = {"start": "2026-02-04"}  # the contested count, on the timeline
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    renderer = pipeline.Renderer(kb)
    text = renderer.render_unit(renderer.units()["views/timeline.md"])[0]["views/timeline.md"]
    titles = re.findall(r'\{ \.kb-status \.kb-status-[a-z-]+ title="([^"]*)" \}', text)
    assert "Contested on “How many agreements were signed?”: " in " ".join(titles), titles
    row = next(line for line in text.splitlines() if "(../claims/one-count.md)" in line)
    assert re.search(r'\[Contested\]\(\.\./questions/how-many\.md\)\{[^}]*\} on “\[How many agreements were signed\?\]\(\.\./questions/how-many\.md\)”', row), row


def test_other_answers_of_one_source_with_the_same_answer_name_their_claims(tmp_path: Path):
    """A reader's trial: a claim page's "other answers" showed "Unsigned op-ed | turning point |
    not stated | agrees" twice, with nothing to tell the rows apart. Such rows name their claims."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "claims" / "one.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    import copy

    records.append(dict(copy.deepcopy(records[0]), id="one-count-again", name="Ten agreements, said again"))
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    text = pipeline.Renderer(kb).record_page(kb.nodes["two-count"])
    rows = [line for line in text.splitlines() if line.startswith("| [Author]")]
    assert len(rows) == 2, text
    assert "[Ten agreements](one-count.md) |" in rows[0] + rows[1] and "[Ten agreements, said again](one-count-again.md) |" in rows[0] + rows[1], rows
    # a source's single answer is not given its claim's name
    text = pipeline.Renderer(kb).record_page(kb.nodes["one-count"])
    assert "[Ten agreements, said again](one-count-again.md) |" not in text, text


def test_a_route_chains_the_legs_that_continue_each_other_and_only_those(tmp_path: Path):
    """A reader's trial: the map's table wrote two legs from one port (Aktau → Karachi, Aktau →
    Gwadar) as one chain, "Aktau → Karachi → Gwadar". The briefing's routes and the map's table
    chain a leg only where it starts at the previous one's end."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)

    def pages() -> str:
        kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
        renderer = pipeline.Renderer(kb)
        return "".join(renderer.render_unit(renderer.units()[f"views/{v}.md"])[0][f"views/{v}.md"] for v in ("briefing", "map"))

    chained = "[Capital A](../places/capital-a.md) → [Port B](../places/port-b.md) → [Land B](../actors/land-b.md)"
    text = pages()
    assert text.count(chained) == 2, text  # the briefing and the map's table
    path = data / "corridors" / "corridors.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["legs"][1]["from"] = "capital-a"  # two legs from the capital
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    forked = ("[Capital A](../places/capital-a.md) → [Port B](../places/port-b.md); "
              "[Capital A](../places/capital-a.md) → [Land B](../actors/land-b.md)")
    text = pages()
    assert text.count(forked) == 2 and chained not in text, text


def test_the_briefing_lists_agreements_raised_after_the_visit_apart(real_kb):
    """An analyst's check: the ISSI conference's roadmap, framework, memorandum and partnership,
    raised after the visit, were listed among the visit's outcomes. An unsigned agreement tied to
    an event outside the visit is listed under that event; the others stay where they were.
    Expected lines are read from the model."""
    from kb.render import Renderer

    visit = real_kb.subject()
    if visit is None:
        pytest.skip("no event is the subject (subject: true) in the data: the briefing names no visit")
    renderer = Renderer(real_kb)
    text = renderer.render_unit(renderer.units()["views/briefing.md"])[0]["views/briefing.md"]
    outcomes = text.split("## Outcomes", 1)[1].split("\n## ", 1)[0]
    during = {a.id for a, _ in real_kb.agreements_during([visit])}
    unsigned = [a for a in real_kb.outcomes("agreement") if a.record.status != "signed"]
    later = [a for a in unsigned if a.record.event and a.id not in during]
    lines = outcomes.splitlines()
    for a in unsigned:
        holding = [line for line in lines if f"(../agreements/{a.id}.md)" in line]
        assert len(holding) == 1, (a.id, holding)
        event = a.record.event
        if a in later:
            assert holding[0].startswith(f"- Raised at [") and f"(../events/{event}.md)" in holding[0], holding
            assert "not during the visit" in holding[0], holding
        else:
            assert holding[0].startswith("- Reported, announced or expected, not confirmed as signed: "), holding


def test_a_withdrawn_record_is_titled_withdrawn_and_keeps_its_tags(tmp_path: Path):
    """A new user's trial: the sector page's "Every page tagged" list (the tags plugin's, from the
    pages' titles) linked a withdrawn claim without "(withdrawn)". A withdrawn record's title says
    so; its tags stay (a sector whose every record is withdrawn keeps the list's anchor)."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "claims" / "one.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    tagged = next(r for r in records if r.get("sectors"))
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    page = pipeline.Renderer(kb).record_page(kb.nodes[tagged["id"]])
    assert f'\ntitle: "{tagged["name"]}"\n' in page and "\ntags:\n" in page
    tagged["retracted"] = {"date": "2026-11-30", "reason": "a test"}
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    page = pipeline.Renderer(kb).record_page(kb.nodes[tagged["id"]])
    assert f'\ntitle: "{tagged["name"]} (withdrawn)"\n' in page and "\ntags:\n" in page, page[:400]

def test_a_claim_page_leaves_its_questions_comparison_out_of_search(copied_claims):
    """A new user's trial: searching a new source's author found 50 claim pages, the source 4th,
    since every claim page answering a question repeated its status sentence (which names the
    sources) and the other sources' answers. Those are indexed on the question's page and on their
    own claims' pages; on a claim page only the section's heading is."""
    (_, four) = copied_claims[1]
    sections = 0
    for rel, text in four.items():
        if rel.startswith("claims/") and rel != "claims/index.md":
            for anchor, words in indexed_words(text).items():
                if anchor and anchor.startswith("other-answers"):
                    sections += 1
                    assert words <= 20, (rel, anchor, words)
    assert sections > 100


def test_a_contested_box_gives_only_the_rules_that_can_apply(real_kb):
    """Two answers exclude each other when an editor records it on a claim, when the question's
    answers are exclusive, or when two figures in one unit do not overlap. A contested question of
    words said the figures' rule too (an analyst's re-read), and "a claim records the
    contradiction" read as the source's own word (a reader): the box says whose reading it is."""
    from kb import pipeline

    renderer = pipeline.Renderer(real_kb)
    contested = [q for q in real_kb.current("question") if real_kb.status(q).status == "contested"]
    if not contested:
        pytest.skip("no contested question in today's data")
    for q in contested:
        lead = renderer.record_page(q).split("Answers marked **excludes** below cannot both hold:", 1)[1].split("\n", 1)[0]
        assert "an editor records the contradiction" in lead, q.id
        assert ("two figures in one unit do not overlap" in lead) == (q.kind == "figure" and not q.exclusive), (q.id, lead)
        assert ("the question's answers exclude each other" in lead) == bool(q.exclusive), (q.id, lead)
