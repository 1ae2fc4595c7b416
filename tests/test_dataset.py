"""The real dataset: valid, traceable to the five articles, complete enough, and fully linked."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import SHARED_SOURCES, kb_cli, make_project

needs_sources = pytest.mark.skipif(
    not SHARED_SOURCES.is_dir(),
    reason=f"the article texts are not here ({SHARED_SOURCES}): excerpts cannot be compared with them",
)


def normalise(text: str) -> str:
    return " ".join(text.split())


def test_real_data_validates(tmp_path: Path):
    result = kb_cli(make_project(tmp_path / "p"), "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data is valid:")


def evidence(kb):
    """Every verbatim excerpt in the dataset: (where, source id, text)."""
    for claim in kb.all("claim"):
        yield f"claim {claim.id}", claim.source, claim.excerpt
    for node in kb.nodes.values():
        for i, alias in enumerate(getattr(node.record, "aliases", None) or []):
            if alias.excerpt:
                yield f"{node.id} aliases[{i}]", alias.source, alias.excerpt
        for i, role in enumerate(getattr(node.record, "roles", None) or []):
            if role.excerpt:
                yield f"{node.id} roles[{i}]", role.source, role.excerpt


@needs_sources
def test_every_source_record_points_at_an_article(real_kb):
    files = {p.name for p in SHARED_SOURCES.glob("*.txt")}
    assert {s.file for s in real_kb.all("source")} == files


@needs_sources
def test_every_excerpt_appears_verbatim_in_its_source(real_kb):
    """The rule validate applies (kb/evidence.py), run here over every excerpt of the real data."""
    from kb.evidence import SourceTexts, excerpts, mismatch

    texts = SourceTexts(SHARED_SOURCES)
    checked, mismatches = 0, []
    for node in real_kb.nodes.values():
        for path, source_id, excerpt in excerpts(node.record):
            checked += 1
            problem = mismatch(excerpt, texts.get(real_kb.get(source_id).file))
            if problem:
                mismatches.append(f"{node.id} {path}: {problem}")
    assert not mismatches, "\n".join(mismatches)
    assert checked >= len(real_kb.all("claim"))


@needs_sources
def test_an_altered_excerpt_would_be_caught(real_kb):
    """The comparison above is not vacuous: changing one character of a real excerpt fails it."""
    from kb.evidence import SourceTexts, mismatch

    claim = real_kb.all("claim")[0]
    text = SourceTexts(SHARED_SOURCES).get(real_kb.get(claim.source).file)
    assert mismatch(claim.excerpt, text) is None
    assert mismatch(claim.excerpt.replace(claim.excerpt.strip()[0], "#", 1), text) is not None


def test_the_dataset_covers_every_record_type_and_every_source_makes_claims(real_kb):
    """Invariants, not today's counts: each type has records, each source is cited by claims."""
    counts = {name: len(items) for name, items in real_kb.by_type.items()}
    assert all(counts[name] > 0 for name in counts), counts
    for source in real_kb.all("source"):
        assert real_kb.backlinks(source, "claim", "Claims"), source.id


def test_figures_carry_values_units_and_qualifiers(real_kb):
    for claim in (c for c in real_kb.all("claim") if c.kind == "figure"):
        assert claim.value is not None and claim.unit, claim.id


def answers(kb, question: str) -> list:
    return kb.backlinks(kb.get(question), "claim", "Answers")


def test_disagreements_are_side_by_side_not_resolved(real_kb):
    # how many agreements: 37 (Javaid), 32 (Goulard), over 30 (op-ed)
    counts = {(c.source, c.value) for c in answers(real_kb, "agreements-signed-count") if c.value is not None}
    assert {("javaid-strategic-partnership", 37), ("goulard-strategic-signalling", 32), ("op-ed-land-linked-hub", 30)} <= counts
    # trade baseline: two figures for two different periods
    trade = [c for c in answers(real_kb, "trade-baseline") if c.value is not None]
    assert {c.value for c in trade} >= {105_000_000, 250_000_000}
    assert len({c.qualifiers.period for c in trade}) == len(trade), "each figure names its own period"
    # the trade target's horizon differs
    horizons = {c.qualifiers.horizon for c in answers(real_kb, "trade-target") if c.qualifiers.horizon}
    assert len(horizons) >= 2, horizons
    # the declaration's name: several wordings, each an alias with its source
    declaration = real_kb.get("joint-declaration-strategic-partnership")
    assert len({a.source for a in declaration.aliases}) >= 4
    assert len({c.source for c in answers(real_kb, "declaration-name")}) >= 3


def test_the_trade_target_agrees_on_the_amount_and_shows_the_horizons_differ(real_kb):
    st = real_kb.status(real_kb.get("trade-target"))
    assert st.status not in ("corroborated", "single-source")
    assert st.explanation.startswith("Same amount, 1 billion USD, in ")
    assert "horizons differ: within the next two years (Javaid)" in st.explanation
    # Goulard's horizon is that of the goal he reports the two governments set: named with them
    assert "over the next few years (Goulard, reporting Kazakhstan and Pakistan)" in st.explanation


def test_the_visit_status_split_names_the_preview_standing_alone(real_kb):
    question = real_kb.get("visit-status")
    assert question.exclusive
    st = real_kb.status(question)
    assert st.status == "contested"
    # the largest side first; the lone dissenter named with its date
    assert st.groups[0].answer.text == "state visit" and len(st.groups[0].sources) > 1
    assert st.groups[-1].sources == ("preview-kazakh-president-arrives",)
    assert "the news preview alone (dated 2 February 2026, inferred): official visit" in st.explanation


def test_differently_worded_readings_are_not_contradictions(real_kb):
    # nothing records that the readings of the visit's purpose exclude each other
    st = real_kb.status(real_kb.get("visit-purpose"))
    assert st.status != "contested" and st.conflicts == {}
    # where a claim records a contradiction, the question is contested, and only that pair conflicts;
    # a withdrawn claim, on either side, records nothing (a new user's trial withdrew one of a pair)
    for claim in real_kb.all("claim"):
        for other in claim.contradicts:
            if claim.record.retracted or real_kb.get(other).record.retracted:
                continue
            shared = set(claim.questions) & set(real_kb.get(other).questions)
            for q in shared:
                st = real_kb.status(real_kb.get(q))
                assert st.status == "contested" and other in st.conflicts[claim.id]


def test_a_count_and_the_list_it_counts_are_separate_questions(real_kb):
    count, areas = real_kb.get("priority-areas-count"), real_kb.get("priority-areas")
    assert count.kind == "figure" and areas.kind == "list"
    both = [c for c in real_kb.answers(count) if c in real_kb.answers(areas)]
    assert both, "a claim answers both: its value the count, its items the list"
    for claim in both:
        assert real_kb.answer(claim, count).form == "figure"
        assert real_kb.answer(claim, areas).form == "items" and real_kb.answer(claim, areas).items == tuple(claim.items)


def test_every_question_is_answered(real_kb):
    for question in real_kb.all("question"):
        assert answers(real_kb, question.id), question.id


@pytest.fixture(scope="module")
def generated_docs(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("gen") / "p")
    result = kb_cli(project, "generate")
    assert result.returncode == 0, result.stderr
    return project / "docs"


def test_every_record_is_linked_from_another_page(generated_docs: Path, real_kb):
    inbound: dict[str, set[str]] = defaultdict(set)
    for page in generated_docs.rglob("*.md"):
        rel = page.relative_to(generated_docs).as_posix()
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            resolved = os.path.normpath(os.path.join(os.path.dirname(rel), target))
            if resolved != rel:
                inbound[resolved].add(rel)
    orphans = [n.path for n in real_kb.nodes.values() if not inbound.get(n.path)]
    assert not orphans, orphans
    # and not only from the index page of its type
    only_index = [
        n.path for n in real_kb.nodes.values()
        if n.type.name != "claim" and inbound[n.path] <= {f"{n.type.plural}/index.md"}
    ]
    assert not only_index, only_index


def test_sources_of_one_kind_are_told_apart_without_their_ids(tmp_path: Path):
    """A new user's trial added a signed op-ed: the unsigned one was then 'the op-ed
    (op-ed-land-linked-hub)' in every status sentence. Now a signed source goes by its author's
    surname, authors of one surname by their full names, one author twice by the dates; two
    unsigned ones are told apart by their dates, and only where the dates are the same too by
    their ids."""
    import shutil

    from conftest import ROOT
    from kb.pipeline import Paths, load

    def op_ed(sid: str, author: str | None, date: str | None) -> str:
        return (f"- id: {sid}\n  name: An op-ed {sid}\n  title_given: true\n  file: {sid}.txt\n"
                f"  author: {author or 'null'}\n  date: {date and repr(date) or 'null'}\n"
                f"  date_basis: {'stated' if date else 'unknown'}\n  kind: op-ed\n"
                "  perspective: x\n  covers: x\n  description: x\n")

    def names(extra: str) -> dict[str, str]:
        data = tmp_path / "data"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(ROOT / "data", data)
        if extra:
            (data / "sources" / "extra.yaml").write_text(extra, encoding="utf-8")
        kb = load(Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
        return {sid: name.short for sid, name in kb.source_names().items()}

    # a signed source goes by its author's surname, as its tables name it by its author
    signed = names(op_ed("op-ed-two", "Aigerim Sultanbekova", "2026-02-10"))
    assert signed["op-ed-two"] == "Sultanbekova" and signed["op-ed-land-linked-hub"] == "the op-ed"
    # a source's own short_name comes first (a conference report that reports its speakers is not
    # its rapporteur's view: a reader), and is told apart from another of the same name like any
    named = names(op_ed("op-ed-two", "Aigerim Sultanbekova", "2026-02-10") + "  short_name: the Astana op-ed\n")
    assert named["op-ed-two"] == "the Astana op-ed"
    twice = names(op_ed("op-ed-two", None, "2026-02-10") + "  short_name: the op-ed\n")
    assert twice["op-ed-two"] == "the op-ed of 10 February 2026" and twice["op-ed-land-linked-hub"] == "the undated op-ed"
    # two authors of one surname by their full names; one author twice by the dates
    namesake = names(op_ed("op-ed-two", "Ali Javaid", "2026-02-10"))
    assert namesake["op-ed-two"] == "Ali Javaid" and namesake["javaid-strategic-partnership"] == "Faisal Javaid"
    again = names(op_ed("op-ed-two", "Faisal Javaid", "2026-02-10"))
    assert again["op-ed-two"] == "Javaid of 10 February 2026"
    assert again["javaid-strategic-partnership"] == "Javaid of 7 February 2026"
    # two unsigned ones of one kind by their dates, else by their ids
    dated = names(op_ed("op-ed-two", None, "2026-02-10"))
    assert dated["op-ed-two"] == "the op-ed of 10 February 2026"
    assert dated["op-ed-land-linked-hub"] == "the undated op-ed"
    twins = names(op_ed("op-ed-two", None, None))  # neither author nor date tells them apart: their ids
    assert twins["op-ed-two"] == "the op-ed (op-ed-two)" and twins["op-ed-land-linked-hub"] == "the op-ed (op-ed-land-linked-hub)"
    assert all("(" not in n for sid, n in names("").items()), "today's sources need no brackets"
    # the author's name is their actor's where the source links one: a byline "Ayesha RAHMAN" linked
    # to an actor named "Ayesha Khan" was "Rahman" in the boxes and "Ayesha Khan" in the citations
    # (a new user's trial); the byline alone where no actor is linked
    linked = names(op_ed("op-ed-two", "Ayesha RAHMAN", "2026-02-10") + "  author_actor: faisal-javaid\n")
    # (linked to Faisal Javaid's record, it is his second source: told apart by date)
    assert linked["op-ed-two"] == "Javaid of 10 February 2026" and linked["javaid-strategic-partnership"] == "Javaid of 7 February 2026"
    assert names(op_ed("op-ed-two", "Ayesha RAHMAN", "2026-02-10"))["op-ed-two"] == "Rahman"
