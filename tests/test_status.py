"""The rules that set a question's status, pinned on constructed claims (see scripts/kb/status.py)."""

from __future__ import annotations

import itertools

import pytest

from kb.schema import Claim, Question
from kb.status import Interval, SourceName, answer_of, compare, interval, question_status

_ids = itertools.count()


def claim(source: str, value=None, unit=None, answer=None, value_max=None, items=None, questions=("q",),
          contradicts=(), id=None, **qualifiers) -> Claim:
    data = {
        "id": id or f"c{next(_ids)}",
        "name": "a claim",
        "source": source,
        "excerpt": "words",
        "paraphrase": "our words",
        "kind": "figure" if value is not None else "fact",
        "about": ["x"],
        "questions": list(questions),
    }
    if value is not None:
        data.update(value=value, unit=unit or "USD")
    if value_max is not None:
        data["value_max"] = value_max
        qualifiers.setdefault("approximation", "range")
    if answer is not None:
        data["answer"] = answer
    if items is not None:
        data["items"] = items
    if contradicts:
        data["contradicts"] = list(contradicts)
    if qualifiers:
        data["qualifiers"] = qualifiers
    return Claim.model_validate(data)


def question(kind: str = "figure", exclusive: bool = False, id: str = "q") -> Question:
    return Question.model_validate({"id": id, "name": "A question?", "kind": kind, "exclusive": exclusive})


def result(kind: str, *claims: Claim, exclusive: bool = False, names=None):
    return question_status(question(kind, exclusive), claims, names)


def status(kind: str, *claims: Claim, exclusive: bool = False) -> str:
    return result(kind, *claims, exclusive=exclusive).status


# --------------------------------------------------------------------------- the statuses


def test_one_source_is_single_source_whatever_it_says():
    assert status("figure", claim("a", 1)) == "single-source"
    assert status("figure", claim("a", 1), claim("a", 2)) == "single-source"
    assert status("figure") == "single-source"


def test_same_value_from_two_sources_is_corroborated():
    assert status("figure", claim("a", 600, "buses"), claim("b", 600, "buses")) == "corroborated"


def test_approximate_and_exact_same_value_corroborate():
    assert status("figure", claim("a", 1e9, approximation="approximate"), claim("b", 1e9)) == "corroborated"


def test_different_values_same_qualifiers_are_contested():
    r = result("figure", a := claim("a", 37, "agreements"), b := claim("b", 32, "agreements"))
    assert r.status == "contested"
    assert r.conflicts == {a.id: [b.id], b.id: [a.id]}


def test_different_values_explained_by_period_are_compatible():
    r = result("figure", a := claim("a", 105e6, period="January–November 2025"), b := claim("b", 250e6, period="2024-25"))
    assert r.status == "compatible"
    assert r.conflicts == {}
    assert r.explained == {a.id: [b.id], b.id: [a.id]}


@pytest.mark.parametrize("key", ["period", "scope", "as_of", "horizon"])
def test_each_comparable_qualifier_can_explain_a_difference(key):
    assert status("figure", claim("a", 1, **{key: "one"}), claim("b", 2, **{key: "two"})) == "compatible"


def test_stated_versus_unstated_qualifier_explains_a_difference():
    assert status("figure", claim("a", 1, horizon="two years"), claim("b", 2)) == "compatible"


def test_qualifier_comparison_ignores_case_spaces_and_end_punctuation():
    assert status("figure", claim("a", 1, period="FY 2024-25."), claim("b", 2, period="fy  2024-25")) == "contested"


def test_note_and_basis_do_not_explain_a_difference():
    assert status("figure", claim("a", 1, note="x", basis="y"), claim("b", 2, note="z")) == "contested"


def test_bounds_that_admit_the_other_value_do_not_conflict():
    assert status("figure", claim("a", 30, approximation="more-than"), claim("b", 32)) == "corroborated"
    assert status("figure", claim("a", 30, approximation="at-least"), claim("b", 30)) == "corroborated"
    assert status("figure", claim("a", 40, value_max=50), claim("b", 45)) == "corroborated"
    assert status("figure", claim("a", 50, approximation="up-to"), claim("b", 45)) == "corroborated"


def test_bounds_that_exclude_the_other_value_conflict():
    assert status("figure", claim("a", 30, approximation="more-than"), claim("b", 30)) == "contested"
    assert status("figure", claim("a", 40, value_max=50), claim("b", 51)) == "contested"
    assert status("figure", claim("a", 50, approximation="up-to"), claim("b", 60)) == "contested"


def test_contested_wins_over_divergent_and_compatible():
    claims = [claim("a", 1, period="p"), claim("b", 2, period="p"), claim("c", 3, period="other"),
              claim("d", 1, period="p", horizon="x"), claim("e", 1, period="p", horizon="y")]
    assert status("figure", *claims) == "contested"
    assert status("figure", *claims[2:]) == "divergent"


def test_a_source_disagreeing_with_itself_is_not_a_disagreement_between_sources():
    # a's 1 and 2 are not compared with each other; b's "at least 1" admits both.
    assert status("figure", claim("a", 1), claim("a", 2), claim("b", 1, approximation="at-least")) == "corroborated"


def test_intervals():
    assert interval(claim("a", 30, approximation="more-than")) == Interval(30, float("inf"), low_open=True)
    assert Interval(1, 2).overlaps(Interval(2, 3))
    assert not Interval(1, 2, high_open=True).overlaps(Interval(2, 3))


# --------------------------------------------------------------------------- 1. per dimension


def test_same_amount_different_horizons_is_divergent_not_corroborated():
    # The trade target: the amount agrees, the horizon does not; the op-ed states none.
    names = {"javaid": SourceName("Javaid"), "goulard": SourceName("Goulard"), "oped": SourceName("the op-ed")}
    r = result(
        "figure",
        claim("javaid", 1e9, horizon="within the next two years", scope="bilateral trade"),
        claim("goulard", 1e9, horizon="over the next few years", scope="bilateral trade"),
        claim("oped", 1e9, scope="bilateral trade"),
        names=names,
    )
    assert r.status == "divergent"
    assert r.explanation.startswith("Same amount, 1 billion USD, in 3 sources (Javaid, Goulard, the op-ed); ")
    assert ("horizons differ: within the next two years (Javaid) · over the next few years (Goulard) · "
            "not stated (the op-ed)") in r.explanation
    assert "scope" not in r.explanation  # the same scope everywhere is not a difference


def test_the_explanation_comes_part_by_part_and_its_sentence_joins_the_parts():
    """A status box lists the explanation part by part (why first, then the answers, then each
    difference, one entry a line); the downloads keep the one sentence, which joins the parts' texts
    in their order. Every entry is in its part's text: the box says nothing the sentence does not."""
    names = {"javaid": SourceName("Javaid"), "goulard": SourceName("Goulard"), "oped": SourceName("the op-ed")}
    r = result(
        "figure",
        claim("javaid", 1e9, horizon="within the next two years"),
        claim("goulard", 1e9, horizon="over the next few years", as_of="before the visit"),
        claim("oped", 2.5e8, scope="one deal"),
        names=names,
    )
    assert r.explanation == "; ".join(p.text for p in r.parts) + "."
    assert [(p.kind, p.label) for p in r.outline] == [
        ("verdict", "Why divergent"), ("answers", "Answers"), ("qualifier", "Scope stated only by the op-ed"),
        ("qualifier", "As-of date stated only by Goulard"), ("qualifier", "Horizons differ"),
    ]
    assert r.outline[0].entries == ("the same answer for different horizons, not recorded as exclusive",)
    assert r.outline[1].entries == ("2 sources (Javaid, Goulard): 1 billion USD", "the op-ed alone: 250 million USD")
    assert r.outline[4].entries == ("within the next two years (Javaid)", "over the next few years (Goulard)",
                                    "not stated (the op-ed)")
    assert r.explanation.endswith("; divergent: the same answer for different horizons, not recorded as exclusive.")
    for part in r.parts:
        assert all(entry in part.text for entry in part.entries), part
    # one source's one answer needs no reason, and a question nobody answers says so
    single = result("figure", claim("a", 8, "areas"), names={"a": SourceName("Goulard")})
    assert [(p.label, p.entries) for p in single.outline] == [("Only Goulard answers", ("8 areas",))]
    assert single.explanation == "Only Goulard answers: 8 areas."
    nobody = result("figure")
    assert [p.label for p in nobody.outline] == ["No source answers this question"] and not nobody.outline[0].entries


def test_a_horizon_stated_by_one_source_only_does_not_undo_corroboration():
    r = result("figure", claim("a", 1e9, horizon="two years"), claim("b", 1e9), names={"a": SourceName("A")})
    assert r.status == "corroborated"
    assert "horizon stated only by A: two years" in r.explanation


def test_an_agreeing_answer_says_which_qualifiers_only_one_side_states():
    """A claim page's "Compared with this claim": the op-ed's one billion dollars with no deadline
    agrees with Javaid's within two years, and says it states none (a reader took a bare "agrees"
    as the op-ed backing the two years); seen from the other side, the horizon is added."""
    a = claim("a", 1e9, horizon="within two years", id="javaid")
    b = claim("b", 1e9, id="oped")
    c = claim("c", 1e9, horizon="within two years", id="same")
    d = claim("d", 1e9, scope="trade", as_of="2026", id="more")
    r = result("figure", a, b, c, d)
    assert r.stated_by_one("javaid", "oped") == (["horizon"], [])
    assert r.agreement("javaid", "oped") == "agrees; states no horizon"
    assert r.agreement("oped", "javaid") == "agrees; adds a horizon"
    assert r.agreement("javaid", "same") == "agrees"
    assert r.agreement("oped", "more") == "agrees; adds a scope and an as-of date"
    assert r.agreement("more", "javaid") == "agrees; states no scope or as-of date; adds a horizon"


def test_the_same_figure_for_another_scope_is_compatible_not_corroboration():
    r = result("figure", claim("a", 20, "years", scope="state visits"), claim("b", 20, "years", scope="any visit"))
    assert r.status == "compatible"
    assert "scopes differ: state visits (a) · any visit (b)" in r.explanation
    assert "a and b both give 20 years, for different scopes" in r.explanation  # not "a different scope" (an analyst)


def test_a_compatible_verdict_names_the_pairs_that_agree_across_scopes():
    """The agreement count's verdict said "the answers that agree are for different scopes" under
    "2 sources agree (Goulard: 32 · the op-ed: more than 30)", which count one scope: a reader took
    that pair for the one meant. It names the pair it means; past three pairs, one line says it."""
    r = result("figure", claim("goulard", 32, "signings", scope="forum"),
               claim("oped", 30, "signings", scope="forum", approximation="more-than"),
               claim("javaid", 37, "signings", scope="visit"))
    assert r.status == "compatible"
    assert "37 signings (javaid) and more than 30 signings (oped) are consistent, for different scopes" in r.explanation
    assert "each difference comes with a different scope" in r.explanation  # 32 against 37
    assert "(goulard) and" not in r.explanation.split("Why")[-1]  # the forum pair is not named as differing in scope
    alike = result("figure", *(claim(f"s{i}", 5, "years", period=f"{2020 + i}") for i in range(4)))
    assert "s0, s1, s2 and s3 all give 5 years, for different periods" in alike.explanation
    many = result("figure", claim("a", 30, "signings", scope="a", approximation="more-than"),
                  claim("b", 35, "signings", scope="b", approximation="more-than"),
                  claim("c", 37, "signings", scope="c"), claim("d", 40, "signings", scope="d"))
    assert "the answers consistent with each other are for different scopes" in many.explanation, many.explanation
    assert " are consistent, for different" not in many.explanation


def test_units_are_compared_on_their_own_and_a_different_unit_counts_something_else():
    r = result("figure", claim("a", 30, "documents"), claim("b", 37, "agreements"))
    assert r.status == "compatible"
    assert "units differ: documents (a) · agreements (b)" in r.explanation


@pytest.mark.parametrize("value, value_max, unit, approximation, written", [
    (1.08e8, None, "USD", None, "108 million USD"),
    (1.05e8, None, "USD", "approximate", "about 105 million USD"),
    (1.7e9, None, "USD", None, "1.7 billion USD"),
    (59_537_403, None, "USD", None, "59.537403 million USD"),  # every digit: 59.5374 million hid two values
    (250_000, None, "people", None, "250,000 people"),
    (40, 50, "percent", None, "40–50 percent"),
    (1991, None, "year", None, "1991 year"),
    (3e6, 4.5e6, "tonnes", "up-to", "up to 3 million–4.5 million tonnes"),
])
def test_a_figure_is_written_one_way_on_every_page(value, value_max, unit, approximation, written):
    """Two readers' trials: a status box said '108 million USD' above a table's '108,000,000 USD'.
    Every page writes a figure as the explanations do, millions and billions in words, and keeps
    every digit of the value (an answer's text and its short form are one)."""
    from kb.status import figure

    c = claim("a", value, unit, value_max=value_max)
    c = c.model_copy(update={"qualifiers": c.qualifiers.model_copy(update={"approximation": approximation})})
    assert figure(c) == written
    a = answer_of(c, question("figure"))
    assert a.text == a.short == written


def test_a_source_without_a_figure_does_not_contradict_one_with_a_figure():
    assert status("figure", claim("a", 37, "agreements"), claim("b", answer="multiple, no count")) == "divergent"
    assert status("figure", claim("a", 37, "agreements"),
                  claim("b", answer="multiple, no count", as_of="before the visit")) == "compatible"


def test_pairs_say_which_dimension_decides():
    q = question("figure")
    a, b = answer_of(claim("a", 1e9, horizon="x"), q), answer_of(claim("b", 1e9, horizon="y"), q)
    assert compare(a, b).outcome == "divergent" and "horizon" in compare(a, b).reason


# --------------------------------------------------------------------------- 2. recorded contradiction


def test_differently_worded_characterisations_do_not_conflict():
    r = result("characterisation", claim("a", answer="strategic signalling"), claim("b", answer="geo-economic shift"),
               claim("c", answer="geo-economic shift"))
    assert r.status == "divergent"
    assert r.conflicts == {}


def test_an_exclusive_question_makes_different_answers_contested():
    claims = [claim("a", answer="State visit"), claim("b", answer="official visit")]
    assert status("characterisation", *claims, exclusive=True) == "contested"
    assert status("characterisation", *claims) == "divergent"
    assert status("name", claim("a", answer="State visit"), claim("b", answer="state  visit"), exclusive=True) == "corroborated"


def test_an_exclusive_answer_for_another_period_is_compatible():
    claims = [claim("a", answer="state visit", period="2026"), claim("b", answer="official visit", period="2006")]
    assert status("characterisation", *claims, exclusive=True) == "compatible"


def test_a_recorded_contradiction_is_contested_whatever_the_wording_or_qualifiers():
    b = claim("b", answer="project-based", id="b-claim")
    a = claim("a", answer="symbolic", contradicts=["b-claim"], as_of="after")
    r = result("characterisation", a, b)
    assert r.status == "contested"
    assert r.conflicts == {a.id: [b.id], b.id: [a.id]}
    assert "(an editor records the contradiction)" in r.explanation


def test_a_recorded_contradiction_to_a_claim_left_out_changes_nothing():
    # e.g. the contradicted claim was retracted and is no longer among the question's answers
    a = claim("a", answer="symbolic", contradicts=["gone"])
    assert status("characterisation", a, claim("c", answer="symbolic")) == "corroborated"


def can_be_exclusive(kind: str) -> bool:
    try:
        question(kind, exclusive=True)
    except ValueError:
        return False
    return True


def test_figure_and_list_questions_cannot_be_exclusive():
    assert not can_be_exclusive("figure") and not can_be_exclusive("list")
    assert can_be_exclusive("characterisation") and can_be_exclusive("name") and can_be_exclusive("date")


# --------------------------------------------------------------------------- 3. the split


def test_the_split_counts_sources_on_each_side_and_names_a_lone_dissenter():
    names = {s: SourceName(s.capitalize()) for s in "abcd"} | {"p": SourceName("the preview", "dated 2 February 2026")}
    claims = [claim("p", answer="official visit")] + [claim(s, answer="state visit") for s in "abcd"]
    claims.append(claim("a", answer="state visit"))  # a second claim of the same source is one voice
    r = result("characterisation", *claims, exclusive=True, names=names)
    assert r.status == "contested"
    assert r.explanation.startswith(
        "Answers: 4 sources (A, B, C, D): state visit; the preview alone (dated 2 February 2026): official visit; "
    )
    assert [len(g.sources) for g in r.groups] == [4, 1]
    # the two answers were just named with their sources: the verdict does not name them again
    assert r.explanation.endswith("; contested: the two answers exclude each other (the question admits only one answer).")


def test_the_verdict_names_the_answers_that_exclude_each_other_when_not_every_pair_does():
    names = {s: SourceName(s.upper()) for s in "abcd"}
    # three answers: only the pair recorded as a contradiction is contested
    three = [claim("a", answer="clear roadmap", id="v1"), claim("b", answer="no roadmap", contradicts=["v1"]),
             claim("c", answer="a timeline needed")]
    r = result("characterisation", *three, names=names)
    assert r.explanation.endswith(
        "; contested, they exclude each other: clear roadmap (A) and no roadmap (B): recorded by an editor as contradicting each other.")
    # two answers, but one pair across them is explained by another period: not every pair excludes
    two = [claim("a", 10, "documents"), claim("b", 20, "documents"), claim("c", 20, "documents", period="2025")]
    r = result("figure", *two, names=names)
    assert r.status == "contested" and len(r.groups) == 2
    assert "contested, they exclude each other: 10 documents (A) and 20 documents (B): the figures do not overlap" in r.explanation
    # two answers, every pair across them excluding the other
    r = result("figure", claim("a", 10, "documents"), claim("b", 20, "documents"), claim("c", 20, "documents"), names=names)
    assert r.explanation.endswith("; contested: the two answers exclude each other (the figures do not overlap).")
    r = result("characterisation", claim("a", answer="x", id="w1"), claim("b", answer="y", contradicts=["w1"]), names=names)
    assert r.explanation.endswith("; contested: the two answers exclude each other (an editor records the contradiction).")


def test_an_answer_of_one_source_is_named_by_the_source_not_counted():
    """'1 source (Goulard): no timeline set; 1 source (Goulard): no coordinated roadmap' read as two
    sources: an answer one source gives is named by it, and a source giving two answers twice."""
    names = {"a": SourceName("Javaid"), "b": SourceName("Goulard", "dated 5 February 2026")}
    r = result("characterisation", claim("a", answer="defined timelines needed"), claim("b", answer="no timeline set"),
               claim("b", answer="no coordinated roadmap"), names=names)
    assert r.explanation.startswith(
        "Answers: Javaid: defined timelines needed; Goulard: no timeline set; Goulard: no coordinated roadmap; ")
    assert "1 source" not in r.explanation and "dated" not in r.explanation  # no side of several sources, none alone


# --------------------------------------------------------------------------- 4. counts and lists apart


def test_a_claim_answers_a_count_with_its_value_and_a_list_with_its_items():
    both = claim("a", 8, "priority areas", items=["security", "trade"], questions=("count", "which"))
    count, which = question("figure", id="count"), question("list", id="which")
    assert answer_of(both, count).text == "8 priority areas"
    assert answer_of(both, which).text == "security · trade" and answer_of(both, which).items == ("security", "trade")


def test_lists_compare_items_and_say_who_names_which():
    names = {"a": SourceName("A"), "b": SourceName("B")}
    r = result("list", claim("a", items=["textiles", "Pharmaceuticals"]), claim("b", items=["pharmaceuticals", "surgical instruments"]),
               names=names)
    assert r.status == "compatible"
    assert r.explanation.startswith("Named by more than one source: Pharmaceuticals (A, B); by one source only: "
                                    "textiles (A) · surgical instruments (B)")
    # in a box, each item on a line of its own under its part's label
    assert [(p.label, p.entries) for p in r.outline] == [
        ("Why compatible", ("the lists complement each other",)),
        ("Named by more than one source", ("Pharmaceuticals (A, B)",)),
        ("By one source only", ("textiles (A)", "surgical instruments (B)")),
    ]
    assert status("list", claim("a", items=["banking", "visas"]), claim("b", items=["Visas", "banking"])) == "corroborated"
    assert status("list", claim("a", answer="banking"), claim("b", answer="banking")) == "corroborated"


# --------------------------------------------------------------------------- 5. grouped by answer


def test_groups_put_equal_answers_together_largest_side_first_then_in_the_given_order():
    claims = [claim("a", answer="x"), claim("b", answer="y"), claim("c", answer="x"), claim("d", answer="Y"),
              claim("e", answer="y")]
    r = result("characterisation", *claims)
    assert [[c for c in g.claims] for g in r.groups] == [[claims[1].id, claims[3].id, claims[4].id],
                                                        [claims[0].id, claims[2].id]]
    assert r.order() == [claims[i].id for i in (1, 3, 4, 0, 2)]


def test_agreeing_figures_sit_next_to_each_other():
    claims = [claim("a", 37, "documents", scope="visit"), claim("b", 32, "documents", scope="forum"),
              claim("c", 50, "documents", scope="other"), claim("d", 30, "documents", approximation="more-than", scope="forum")]
    # 32 and "more than 30" at the forum agree: two sources, first; "more than 30" also admits 37 and
    # 50, but those count other things
    assert result("figure", *claims).order() == [claims[i].id for i in (1, 3, 0, 2)]


def test_a_differently_stated_answer_that_agrees_is_named_by_agrees_with():
    # The answers table shows "1 of 4" for 32 and for "more than 30" (one source each); without
    # "agrees with" it contradicted the sentence's "2 sources agree".
    claims = [claim("a", 37, "documents", scope="visit"), claim("b", 32, "documents", scope="forum"),
              claim("c", 50, "documents", scope="other"), claim("d", 30, "documents", approximation="more-than", scope="forum"),
              claim("e", 32, "documents", scope="forum"), claim("b", 31, "documents", approximation="more-than", scope="forum")]
    r = result("figure", *claims)
    ids = [c.id for c in claims]
    assert r.agrees_with(ids[1]) == [ids[3]]  # not b's own "more than 31"
    assert r.agrees_with(ids[4]) == [ids[3], ids[5]]
    assert r.agrees_with(ids[3]) == [ids[1], ids[4], ids[5]]
    assert r.agrees_with(ids[0]) == [] and r.agrees_with(ids[2]) == []
    assert r.agrees_with("no-such-claim") == []


# --------------------------------------------------------------------------- 6. several questions


def test_a_claim_answering_two_questions_gives_each_its_own_words():
    c = claim("a", answer={"purpose": "geo-economic reorientation", "significance": "turning point"},
              questions=("purpose", "significance"))
    assert answer_of(c, question("characterisation", id="purpose")).text == "geo-economic reorientation"
    assert answer_of(c, question("characterisation", id="significance")).text == "turning point"
    other = claim("b", answer="turning point", questions=("significance",))
    assert question_status(question("characterisation", id="significance"), [c, other]).status == "corroborated"


def test_an_answer_mapping_names_only_the_claims_questions():
    with pytest.raises(ValueError, match="not one of this claim's questions"):
        claim("a", answer={"elsewhere": "x"}, questions=("q",))


# --------------------------------------------------------------------------- 7. what a question's page says


@pytest.mark.parametrize("values, scopes, status, says, never", [
    # the same figure for two scopes: compatible, and the page must not call the answers different
    ((20, 20), ("state visits", "any visit"), "compatible", "The sources give the same answer, but each for a different",
     "The answers differ"),
    ((10, 14), ("the forum", "the whole visit"), "compatible", "**Why compatible:** each difference comes with a different scope",
     "give the same answer"),
    ((12, 12), (None, None), "corroborated", "**Why corroborated:** no two sources' answers differ", "The answers differ"),
])
def test_a_question_page_says_whether_its_compatible_answers_differ(tmp_path, values, scopes, status, says, never):
    """The heading's meaning and the lead under it hold for both kinds of compatible answers: the
    same answer for different things (visit-precedent: "more than 20 years" since a state visit to
    Pakistan, and since any visit to Islamabad) and different answers for different things."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for name, value, scope in zip(("one", "two"), values, scopes):
        path = data / "claims" / f"{name}.yaml"
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        count = records[0]
        count.update(value=value, unit="agreements")
        count["qualifiers"] = {"scope": scope} if scope else {}
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    node = kb.nodes["how-many"]
    assert kb.status(node).status == status
    page = pipeline.Renderer(kb).record_page(node)
    lead = page.split("!!! kb-", 1)[1].split("\n\n", 2)
    heading, text = lead[0].split("\n", 1)[0], "\n".join(lead[:2])
    assert "the answers differ" not in heading.lower()
    assert says in text and never not in text, text
    # the sentence is not said again under it ("no two sources' answers differ." then "No two answers differ.")
    assert page.lower().count(says.lower()) == 1
    # each other claim's page says which qualifier tells the two apart (a reader: "another period,
    # scope, as-of date, horizon or unit" said none of them)
    if status == "compatible":
        claim_page = pipeline.Renderer(kb).record_page(kb.nodes["one-count"])
        reason = kb.status(node).reason("one-count", "two-count")
        assert reason and f"| compatible: {reason} |" in claim_page, claim_page
        assert reason in ("different scope", "same answer for a different scope")


def test_a_claim_page_says_what_an_agreeing_answer_leaves_unstated(tmp_path):
    """The same figure, one claim with a horizon and the other without: on each claim's page the
    other's row says so (trade-target: the op-ed "agrees" with Javaid's two years, giving none)."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for name, horizon in (("one", "within two years"), ("two", None)):
        path = data / "claims" / f"{name}.yaml"
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        records[0].update(value=12, unit="agreements")
        records[0]["qualifiers"] = {"horizon": horizon} if horizon else {}
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    assert kb.status(kb.nodes["how-many"]).status == "corroborated"
    renderer = pipeline.Renderer(kb)
    assert "| agrees; states no horizon |" in renderer.record_page(kb.nodes["one-count"])
    assert "| agrees; adds a horizon |" in renderer.record_page(kb.nodes["two-count"])


def test_a_qualifier_two_sources_alone_state_names_them_with_and():
    r = result("characterisation", claim("a", answer="x", as_of="before"), claim("b", answer="x", as_of="before"),
               claim("c", answer="y"))
    assert "as-of date stated only by a and b: before" in r.explanation


def test_a_source_that_reports_someone_elses_statement_is_named_with_them():
    """Goulard argues the visit was not aimed at concrete cooperation, and reports that Pakistan's
    Foreign Office expected economic cooperation: the explanation credited that answer to
    "Goulard". A source whose claims for an answer are all attributed to others is named with them;
    its own answers, and the status, stay as they were."""
    def said(source, answer, voices=(), **kw):
        c = claim(source, answer=answer, **kw)
        return c.model_copy(update={"attributed_to": list(voices)})

    names = {"g": SourceName("Goulard"), "p": SourceName("the news preview", "2 February 2026"),
             "r": SourceName("the conference report"), "u": SourceName("Baiga", "undated")}
    voices = {"fo": "the Foreign Office", "a": "Ann", "b": "Bo"}
    claims = [said("p", "economic cooperation"), said("g", "economic cooperation", ["fo"]),
              said("g", "signalling"), said("r", "trust", ["a", "b"])]
    st = question_status(question("characterisation"), claims, names, voices)
    plain = question_status(question("characterisation"), claims, names)
    assert st.status == plain.status == "divergent"
    text = st.explanation
    assert "(the news preview; Goulard, reporting the Foreign Office): economic cooperation" in text, text
    assert "; Goulard: signalling;" in text, text
    assert "; the conference report alone (reporting Ann and Bo): trust;" in text, text
    # with its date, whom it reports comes after it, in the same brackets: 'Baiga (reporting Ann)
    # alone (undated)' read as if Ann were undated (an analyst's re-read)
    dated = question_status(question("characterisation"), claims[:3] + [said("u", "trust", ["a"])], names, voices)
    assert "; Baiga alone (undated; reporting Ann): trust;" in dated.explanation, dated.explanation
    # a source with an attributed and an unattributed claim for the same answer speaks for itself too
    mixed = question_status(question("characterisation"), claims + [said("g", "economic cooperation")], names, voices)
    assert "(the news preview, Goulard): economic cooperation" in mixed.explanation, mixed.explanation
    # without names for the voices, their ids
    assert "Goulard, reporting fo)" in plain.explanation, plain.explanation
    # a qualifier is credited as its answer is: Goulard's "before the visit" is the Foreign Office's
    # expectation he reports, not his own analysis (an analyst's review: 'as-of date stated only by
    # the news preview and Goulard' read as if Goulard wrote before the visit)
    dated = [said("p", "economic cooperation", as_of="before the visit"),
             said("g", "economic cooperation", ["fo"], as_of="before the visit"), said("g", "signalling")]
    text = question_status(question("characterisation"), dated, names, voices).explanation
    assert "as-of date stated only by the news preview and Goulard (reporting the Foreign Office): before the visit" in text, text
    both = dated + [said("g", "signalling too", as_of="after the visit")]  # two values: 'as-of dates differ'
    text = question_status(question("characterisation"), both, names, voices).explanation
    assert "before the visit (the news preview; Goulard, reporting the Foreign Office)" in text, text
    assert "after the visit (Goulard)" in text and "not stated (Goulard)" in text, text


def test_a_list_questions_items_name_the_statements_a_source_reports():
    """The items of a list question named the conference report for a speaker's item ("trans-Afghan
    railway (the conference report)"); a reported item says whose statement it is."""
    def said(source, items, voices=()):
        return claim(source, items=items).model_copy(update={"attributed_to": list(voices)})

    names = {"r": SourceName("the conference report"), "j": SourceName("Javaid")}
    st = question_status(question("list"), [said("r", ["railway", "roads"], ["k"]), said("j", ["railway"]), said("r", ["ports"])],
                         names, {"k": "Kistafin"})
    assert "railway (the conference report, reporting Kistafin; Javaid)" in st.explanation, st.explanation
    assert "roads (the conference report, reporting Kistafin)" in st.explanation, st.explanation
    assert "ports (the conference report)" in st.explanation, st.explanation
    # A name with brackets of its own: the in-bracket form was made by rewriting the finished
    # "X (reporting Y)" with a pattern that skipped any Y holding a bracket, which left brackets
    # within brackets and the names separated by commas. Each name now carries both forms.
    st = question_status(question("list"), [said("r", ["railway"], ["m"]), said("j", ["railway"])],
                         names, {"m": "the Ministry (Pakistan)"})
    assert "in 2 sources (the conference report, reporting the Ministry (Pakistan); Javaid)" in st.explanation, st.explanation


def test_a_list_of_single_source_items_has_no_more_without_shared_items():
    """An analyst's review: 'No item is named by more than one source; 10 more items, each named by
    one source' -- 'more' followed nothing. Counted items say who reports them, with no brackets
    inside the brackets."""
    names = {"p": SourceName("the news preview"), "r": SourceName("the conference report")}

    def said(source, items, voices=()):
        return claim(source, items=items).model_copy(update={"attributed_to": list(voices)})

    many = [said("p", [f"p{i}" for i in range(5)]), said("r", [f"r{i}" for i in range(5)], ["k"])]
    text = question_status(question("list"), many, names, {"k": "Kistafin"}).explanation
    assert text.startswith("10 items, each named by one source (5 by the news preview; 5 by the conference report, "
                           "reporting Kistafin); "), text
    assert "more" not in text and "No item" not in text, text
    few = [said("p", ["a"]), said("r", ["b"])]
    text = question_status(question("list"), few, names).explanation
    assert text.startswith("Each item named by one source only: a (the news preview) · b (the conference report); "), text
    shared = many + [said("p", ["x"]), said("r", ["x"])]
    text = question_status(question("list"), shared, names, {"k": "Kistafin"}).explanation
    assert "; 10 more items, each named by one source (" in text, text


def test_a_single_source_answer_is_not_said_twice():
    names = {"g": SourceName("Goulard")}
    text = result("figure", claim("g", 8, "priority areas"), names=names).explanation
    assert text == "Only Goulard answers: 8 priority areas.", text
    # two answers of one source: the verdict says no other source answers
    text = result("characterisation", claim("g", answer="x"), claim("g", answer="y"), names=names).explanation
    assert text == "Answers: Goulard: x; Goulard: y; no other source answers it.", text


def test_words_given_for_a_list_question_are_its_item_in_place_of_the_claims_items():
    """An analyst: the op-ed's third benefit for Pakistan, a premium market for its textiles, medicines
    and farm produce, answered only "which goods are to be sold", since a claim's ``items`` served
    every list question it answered ("Pakistan gains textiles"). Words mapped to one list question
    are that question's one item; the items still answer the others."""
    c = claim("o", items=["textiles", "pharmaceuticals"], answer={"benefits": "a premium market"},
              questions=("goods", "benefits"))
    goods, benefits = question("list", id="goods"), question("list", id="benefits")
    assert answer_of(c, goods).items == ("textiles", "pharmaceuticals")
    assert answer_of(c, benefits).items == ("a premium market",)
    # a plain answer (not mapped to a question) leaves the items in place for every list question
    plain = claim("o", items=["textiles"], answer="goods", questions=("goods",))
    assert answer_of(plain, goods).items == ("textiles",)
