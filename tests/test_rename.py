"""`knowledge_base.py rename OLD NEW` (scripts/kb/rename.py): a record's id, every reference to it,
and the old id kept in its former_ids. A search and replace across data/, as the editing guide
said, broke former_ids two ways in a new user's trial; these are those cases and their kin."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kb_cli


def _files(project: Path) -> dict[str, str]:
    return {p.relative_to(project).as_posix(): p.read_text(encoding="utf-8") for p in sorted((project / "data").rglob("*.yaml"))}


def test_a_rename_changes_the_id_and_every_reference_and_keeps_the_old_id(mini_project: Path):
    """The new id contains the old one (the trial's 'falcon-electric-bus-contract' became
    'falcon-falcon-...' by search and replace): each value that is the old id changes once, a text
    that mentions it does not, and the old id goes into former_ids; the data is then valid, and the
    old page redirects."""
    claims = mini_project / "data/claims/one.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "  paraphrase: The bus deal is valued at five million dollars.\n",
        "  paraphrase: The bus deal (bus-contract in the data) is valued at five million dollars.\n"), encoding="utf-8")
    before = _files(mini_project)
    result = kb_cli(mini_project, "rename", "bus-contract", "falcon-bus-contract")
    assert result.returncode == 0, result.stderr
    assert "renamed 'bus-contract' to 'falcon-bus-contract' in data/agreements/agreements.yaml" in result.stdout
    assert "data is valid" in result.stdout, result.stdout
    after = _files(mini_project)
    assert "- id: falcon-bus-contract\n  former_ids: [bus-contract]\n" in after["data/agreements/agreements.yaml"]
    assert "  about: [falcon-bus-contract]\n" in after["data/claims/one.yaml"]
    assert "(bus-contract in the data)" in after["data/claims/one.yaml"]  # a text, left as written
    assert "falcon-falcon" not in "".join(after.values())
    changed = {f for f in after if after[f] != before[f]}
    assert changed == {"data/agreements/agreements.yaml", "data/claims/one.yaml"}, changed
    for f in changed:  # nothing else moved: the same lines but the id's, the references' and one added
        old_lines, new_lines = before[f].split("\n"), after[f].split("\n")
        assert len(new_lines) - len(old_lines) == (1 if "agreements" in f else 0)
    generated = kb_cli(mini_project, "generate")
    assert generated.returncode == 0, generated.stderr
    assert (mini_project / "docs/agreements/falcon-bus-contract.md").is_file()


def test_renaming_again_extends_former_ids_in_either_list_form(mini_project: Path):
    """The trial's second rename ('bus-contract-600'): the first old id stays, the second joins it,
    and neither is replaced by the new id (the search and replace had made former_ids the record's
    own id). A former_ids written as a block list gets a new item line."""
    assert kb_cli(mini_project, "rename", "bus-contract", "city-bus-contract").returncode == 0
    result = kb_cli(mini_project, "rename", "city-bus-contract", "bus-contract-600")
    assert result.returncode == 0, result.stdout + result.stderr
    agreements = (mini_project / "data/agreements/agreements.yaml").read_text(encoding="utf-8")
    assert "- id: bus-contract-600\n  former_ids: [bus-contract, city-bus-contract]\n" in agreements, agreements
    path = mini_project / "data/agreements/agreements.yaml"
    path.write_text(agreements.replace("  former_ids: [bus-contract, city-bus-contract]\n",
                                       "  former_ids:\n    - bus-contract\n    - city-bus-contract\n"), encoding="utf-8")
    result = kb_cli(mini_project, "rename", "bus-contract-600", "bus-deal")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("- id: bus-deal\n  former_ids:\n    - bus-contract\n    - city-bus-contract\n    - bus-contract-600\n"
            in path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("old, new, message", [
    ("bus-contract", "the-visit", "'the-visit' is taken: data/events/events.yaml:1 has it as its id"),
    ("bus-contract", "Bus_Contract", "'Bus_Contract' is not a valid id"),
    ("no-such-record", "anything", "no record has the id 'no-such-record'"),
    ("bus-contract", "bus-contract", "the new id is the old one"),
    # an anchor the pages write themselves: refused before writing (a new user's trial: the rename
    # was written, then validation failed on it)
    ("bus-contract", "cite", "'cite' is an anchor the pages already use"),
    ("bus-contract", "claims-figure", "'claims-figure' is an anchor the pages already use"),
])
def test_a_rename_that_cannot_be_done_writes_nothing(mini_project: Path, old: str, new: str, message: str):
    before = _files(mini_project)
    result = kb_cli(mini_project, "rename", old, new)
    assert result.returncode == 1, result.stdout
    assert message in result.stderr and "nothing was written" in result.stderr, result.stderr
    assert _files(mini_project) == before


def test_a_former_id_is_not_renamed_again_and_rename_needs_two_ids(mini_project: Path):
    assert kb_cli(mini_project, "rename", "bus-contract", "city-bus-contract").returncode == 0
    before = _files(mini_project)
    result = kb_cli(mini_project, "rename", "bus-contract", "other")
    assert result.returncode == 1
    assert "'bus-contract' is a former id of 'city-bus-contract'" in result.stderr
    assert kb_cli(mini_project, "rename", "city-bus-contract").returncode == 2  # usage
    assert kb_cli(mini_project, "validate", "city-bus-contract").returncode == 2
    assert _files(mini_project) == before


@pytest.mark.parametrize("form", ["flow", "block"])
def test_a_rename_is_undone_by_renaming_back(mini_project: Path, form: str):
    """A new user's trial renamed a record and then back: 'the new id is taken ... as its former id',
    with no way out but editing former_ids by hand. Taking back one of its own former ids is allowed:
    that id leaves former_ids, and the id given up joins them (its address may have been published
    meanwhile); every reference follows, and the data stays valid. Another record's former id is
    still refused."""
    before = _files(mini_project)
    assert kb_cli(mini_project, "rename", "bus-contract", "city-bus-contract").returncode == 0
    path = mini_project / "data/agreements/agreements.yaml"
    if form == "block":
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  former_ids: [bus-contract]\n", "  former_ids:\n    - bus-contract\n"), encoding="utf-8")
    result = kb_cli(mini_project, "rename", "city-bus-contract", "bus-contract")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "data is valid" in result.stdout, result.stdout
    after = _files(mini_project)
    expected = ("- id: bus-contract\n  former_ids: [city-bus-contract]\n" if form == "flow"
                else "- id: bus-contract\n  former_ids:\n    - city-bus-contract\n")
    assert expected in after["data/agreements/agreements.yaml"], after["data/agreements/agreements.yaml"]
    # every other file as it was before the first rename; the record's, its id line and one more
    assert {f: t for f, t in after.items() if f != "data/agreements/agreements.yaml"} == \
        {f: t for f, t in before.items() if f != "data/agreements/agreements.yaml"}
    # a former id of another record stays refused
    assert kb_cli(mini_project, "rename", "the-visit", "other-visit").returncode == 0
    refused = kb_cli(mini_project, "rename", "bus-contract", "the-visit")
    assert refused.returncode == 1 and "'the-visit' is taken" in refused.stderr, refused.stderr


def test_a_rename_written_before_an_error_elsewhere_says_it_was_written(mini_project: Path):
    """A new user's trial: after a rename was written, the check that follows ended "nothing was
    written" over an error elsewhere in the data."""
    claims = mini_project / "data/claims/one.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("questions: [how-many]", "questions: [how-mny]", 1),
                      encoding="utf-8")
    result = kb_cli(mini_project, "rename", "bus-contract", "bus-deal")
    assert result.returncode == 1
    assert "renamed 'bus-contract' to 'bus-deal'" in result.stdout, result.stdout
    assert "'how-mny' does not exist" in result.stderr, result.stderr
    assert "the rename above was written: mend these, or rename it back." in result.stderr, result.stderr
    assert "nothing was written" not in result.stderr, result.stderr


def test_a_rename_changes_references_and_answer_keys_but_no_value_spelled_the_same(mini_project: Path):
    """A new editor's trial: renaming a question left the claims' ``answer`` mappings keyed by
    its old id (3 errors: "'visit-status' is not one of this claim's questions"), and renaming the
    visit's event, whose id was also a term of the event kinds, renamed the term and the event's
    ``kind`` with it. Only references change: the fields the schema marks, and the keys of a
    claim's ``answer`` by question; a term and a kind spelled like the old id stay."""
    questions = mini_project / "data/questions/questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8") + (
        "- id: visit-kind\n  name: What kind of visit was it?\n  kind: name\n"
        "- id: visit-tone\n  name: How did the visit go?\n  kind: characterisation\n"), encoding="utf-8")
    claims = mini_project / "data/claims/one.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "  questions: [how-many]\n  value: 10\n",
        "  questions: [how-many, visit-kind, visit-tone]\n  answer: {visit-kind: state visit, visit-tone: warm}\n  value: 10\n", 1),
        encoding="utf-8")
    assert kb_cli(mini_project, "validate").returncode == 0
    result = kb_cli(mini_project, "rename", "visit-kind", "kind-of-visit")
    assert result.returncode == 0, result.stdout + result.stderr
    text = claims.read_text(encoding="utf-8")
    assert "  questions: [how-many, kind-of-visit, visit-tone]\n  answer: {kind-of-visit: state visit, visit-tone: warm}\n" in text, text

    vocabularies = (mini_project / "data/vocabularies/vocabularies.yaml").read_text(encoding="utf-8")
    assert "{id: state-visit, name: State visit}" in vocabularies
    for old, new in (("the-visit", "state-visit"), ("state-visit", "visit-2026")):  # the id a term has, then away from it
        result = kb_cli(mini_project, "rename", old, new)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "vocabularies.yaml" not in result.stdout, result.stdout
    events = (mini_project / "data/events/events.yaml").read_text(encoding="utf-8")
    assert "- id: visit-2026\n  former_ids: [the-visit, state-visit]\n" in events and "  kind: state-visit\n" in events, events
    assert (mini_project / "data/vocabularies/vocabularies.yaml").read_text(encoding="utf-8") == vocabularies


def test_a_renamed_source_keeps_its_reference_anchors_on_the_pages_citing_it(mini_project: Path):
    """A new editor's trial: after renaming a source, every page citing it had lost the published
    ``#ref-<old id>`` of its references (the old page redirects with its hash to the new one, where
    the anchor was gone too), and the published-URL check refused to record anything more. A
    source's line in the references carries its former ids' anchors, as a claim carries its own."""
    result = kb_cli(mini_project, "rename", "src-one", "src-first")
    assert result.returncode == 0, result.stdout + result.stderr
    assert kb_cli(mini_project, "generate").returncode == 0
    for page in ("claims/one-count.md", "sources/src-first.md", "views/briefing.md"):
        text = (mini_project / "docs" / page).read_text(encoding="utf-8")
        assert '<span id="ref-src-first"></span><span id="ref-src-one"></span>' in text, (page, text[-1500:])
    # and the claims explorer's source filter knows the old id (a link naming it still filters)
    assert '<option value="src-first" data-former="src-one">' in (mini_project / "docs/views/claims.md").read_text(encoding="utf-8")


def test_renaming_the_most_linked_record_of_every_type_keeps_every_published_address(tmp_path: Path, real_kb):
    """Renames lost published addresses in ways each found by hand (a source's #ref- anchors, a
    question keyed in the answers): here the kind of fault, on the real data. The most linked
    record of every type (vocabularies aside, whose ids the schema names), and a question a claim's
    answer is keyed by, are renamed one after another; each rename leaves the data valid; the
    site then builds strictly and has every address of tests/published-urls.txt."""
    from kb import published
    from kb.registry import REGISTRY

    from conftest import make_project, mkdocs

    project = make_project(tmp_path / "proj")
    chosen = [max(real_kb.current(t.name), key=lambda n: (len(n.backlinks), n.id)).id
              for t in REGISTRY if t.name != "vocabulary" and real_kb.current(t.name)]
    keyed = next((key for c in real_kb.current("claim") if isinstance(c.record.answer, dict) for key in c.record.answer), None)
    if keyed and keyed not in chosen:
        chosen.append(keyed)
    for old in chosen:
        result = kb_cli(project, "rename", old, f"{old[:60]}-renamed")
        assert result.returncode == 0, (old, result.stdout[-800:], result.stderr[-2000:])
    built = mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stderr[-3000:]
    assert published.missing(published.read_manifest(), project / "site") == [], chosen


def test_a_vocabulary_is_not_renamed(mini_project: Path):
    """An editor's trial: `rename claim-kinds claim-types` wrote the change, then reported 273
    errors (the schema names each vocabulary by its id). Refused, nothing written."""
    before = _files(mini_project)
    result = kb_cli(mini_project, "rename", "claim-kinds", "claim-types")
    assert result.returncode == 1 and "'claim-kinds' is a vocabulary" in result.stderr and "nothing was written" in result.stderr, result.stderr
    assert _files(mini_project) == before
