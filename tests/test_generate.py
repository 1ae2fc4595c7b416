"""The generator on its own: what it writes, what it leaves alone, and the links it makes."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import MINI, kb_cli, make_project


@pytest.fixture(scope="module")
def mini_generated(tmp_path_factory) -> Path:
    """The fixture data generated once, for the tests that only read the pages."""
    project = make_project(tmp_path_factory.mktemp("mini") / "proj", MINI)
    result = kb_cli(project, "generate")
    assert result.returncode == 0, result.stderr
    return project


def page(project: Path, rel: str) -> str:
    return (project / "docs" / rel).read_text(encoding="utf-8")


def test_generate_writes_every_page_then_nothing(mini_project: Path):
    first = kb_cli(mini_project, "generate")
    assert first.returncode == 0, first.stderr
    # 27 pages and 5 maps (the corridor, two places, the corridor and place indexes)
    assert first.stdout.startswith("32 file(s) written, 0 unchanged")
    mtimes = {p: p.stat().st_mtime_ns for p in (mini_project / "docs").rglob("*")}
    second = kb_cli(mini_project, "generate")
    assert second.stdout.startswith("0 file(s) written, 32 unchanged, 0 removed")
    assert {p: p.stat().st_mtime_ns for p in (mini_project / "docs").rglob("*")} == mtimes


def test_an_edit_rewrites_only_the_pages_it_changes(mini_project: Path):
    kb_cli(mini_project, "generate")
    docs = mini_project / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    data = mini_project / "data/places/places.yaml"
    data.write_text(data.read_text().replace("lat: 24.8", "lat: 24.9"))
    result = kb_cli(mini_project, "generate")
    rewritten = {p.relative_to(docs).as_posix() for p in before if p.stat().st_mtime_ns != before[p]}
    # Port B's page, and every map that draws Port B: its own, the corridor through it, the
    # corridor and place indexes, and Capital A's (which shows the corridor leg to Port B).
    assert rewritten == {
        "places/port-b.md",
        "places/port-b.map.svg",
        "corridors/a-b-route.map.svg",
        "corridors/index.map.svg",
        "places/index.map.svg",
        "places/capital-a.map.svg",
    }
    assert result.stdout.startswith("6 file(s) written, 26 unchanged"), result.stdout
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


def test_the_home_page_is_generated_and_about_is_not(mini_generated: Path):
    assert page(mini_generated, "index.md").startswith("<!-- generated")
    assert not page(mini_generated, "about.md").startswith("<!-- generated")


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
        if path.name != "index.md":
            rel = path.relative_to(mini_generated / "docs").as_posix()
            assert f"{rel.split('/')[0]}/index.md" in links_on(mini_generated, rel), rel


def test_claims_are_cited_with_anchor_and_quotation(mini_generated: Path):
    text = page(mini_generated, "events/the-visit.md")
    assert '<div class="kb-claim" id="one-count" markdown>' in text
    assert '<div class="kb-claim" id="two-count" markdown>' in text
    assert "> “ten agreements were signed”\n>\n> — Ann Author, *A first article* (7 February 2026)" in text
    # numbered citations, each pointing at a numbered reference to its source
    cites = re.findall(r"\[\[(\d+)\]\]\(#ref-(\d+)\)", text)
    assert cites and all(a == b for a, b in cites)
    assert '1. <span id="ref-1"></span>[A first article](../sources/src-one.md)' in text
    assert '2. <span id="ref-2"></span>[A second article](../sources/src-two.md)' in text


def test_question_sets_the_answers_side_by_side(mini_generated: Path):
    text = page(mini_generated, "questions/how-many.md")
    assert "| 10 agreements |" in text
    assert "| more than 12 documents |" in text


def test_agreement_value_comes_from_its_cited_claim(mini_generated: Path):
    text = page(mini_generated, "agreements/bus-contract.md")
    assert "| Stated value | [about 5,000,000 USD](../claims/one-bus-value.md)" in text


def test_agreements_roll_up_from_events_and_their_parts(mini_generated: Path):
    # leader-a took part in the-visit; the bus contract belongs to the-forum, which is part of the-visit
    leader = links_on(mini_generated, "actors/leader-a.md")
    assert {"agreements/the-declaration.md", "agreements/bus-contract.md"} <= leader
    visit = page(mini_generated, "events/the-visit.md")
    assert "| [Bus contract](../agreements/bus-contract.md) | contract | signed | [The business forum](the-forum.md) |" in visit


def test_corridor_and_place_pages_carry_an_offline_map(mini_generated: Path):
    assert "![Map of A–B route](a-b-route.map.svg){ .kb-map }" in page(mini_generated, "corridors/a-b-route.md")
    svg = page(mini_generated, "corridors/a-b-route.map.svg")
    assert svg.startswith("<!-- generated") and "<svg " in svg and svg.rstrip().endswith("</svg>")
    # one line per leg, titled with its ends and mode; the second leg ends at a state with no
    # country place in the fixture, so it cannot be drawn
    assert "<title>Capital A – Port B: rail</title>" in svg
    assert svg.count("</line>") == 1
    # self-contained: its own styles, nothing linked or imported
    assert "<style>" in svg and not any(word in svg for word in ("href", "url(", "@import"))
    assert "![Map of Port B](port-b.map.svg){ .kb-map }" in page(mini_generated, "places/port-b.md")
    assert 'class="point main"' in page(mini_generated, "places/port-b.map.svg")
