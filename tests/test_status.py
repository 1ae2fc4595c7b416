"""The rules that set a question's status, pinned on constructed claims (see scripts/kb/status.py)."""

from __future__ import annotations

import itertools

import pytest

from kb.schema import Claim
from kb.status import Interval, conflict, interval, question_status

_ids = itertools.count()


def claim(source: str, value=None, unit=None, answer=None, value_max=None, **qualifiers) -> Claim:
    data = {
        "id": f"c{next(_ids)}",
        "name": "a claim",
        "source": source,
        "excerpt": "words",
        "paraphrase": "our words",
        "kind": "figure" if value is not None else "fact",
        "about": ["x"],
        "question": "q",
    }
    if value is not None:
        data.update(value=value, unit=unit or "USD")
    if value_max is not None:
        data["value_max"] = value_max
        qualifiers.setdefault("approximation", "range")
    if answer is not None:
        data["answer"] = answer
    if qualifiers:
        data["qualifiers"] = qualifiers
    return Claim.model_validate(data)


def status(kind: str, *claims: Claim) -> str:
    return question_status(kind, claims).status


def test_one_source_is_single_source_whatever_it_says():
    assert status("figure", claim("a", 1)) == "single-source"
    assert status("figure", claim("a", 1), claim("a", 2)) == "single-source"
    assert status("figure") == "single-source"


def test_same_value_from_two_sources_is_corroborated():
    assert status("figure", claim("a", 600, "buses"), claim("b", 600, "buses")) == "corroborated"


def test_approximate_and_exact_same_value_corroborate():
    assert status("figure", claim("a", 1e9, approximation="approximate"), claim("b", 1e9)) == "corroborated"


def test_different_values_same_qualifiers_are_contested():
    result = question_status("figure", [a := claim("a", 37, "agreements"), b := claim("b", 32, "agreements")])
    assert result.status == "contested"
    assert result.conflicts == {a.id: [b.id], b.id: [a.id]}


def test_different_values_explained_by_period_are_compatible():
    result = question_status(
        "figure",
        [a := claim("a", 105e6, period="January–November 2025"), b := claim("b", 250e6, period="2024-25")],
    )
    assert result.status == "compatible"
    assert result.conflicts == {}
    assert result.explained == {a.id: [b.id], b.id: [a.id]}


@pytest.mark.parametrize("key", ["period", "scope", "as_of", "horizon"])
def test_each_comparable_qualifier_can_explain_a_difference(key):
    assert status("figure", claim("a", 1, **{key: "one"}), claim("b", 2, **{key: "two"})) == "compatible"


def test_stated_versus_unstated_qualifier_counts_as_different():
    assert status("figure", claim("a", 1, horizon="two years"), claim("b", 2)) == "compatible"


def test_qualifier_comparison_ignores_case_spaces_and_end_punctuation():
    assert status("figure", claim("a", 1, period="FY 2024-25."), claim("b", 2, period="fy  2024-25")) == "contested"


def test_note_and_basis_do_not_explain_a_difference():
    assert status("figure", claim("a", 1, note="x", basis="y"), claim("b", 2, note="z")) == "contested"


def test_different_units_conflict():
    assert status("figure", claim("a", 30, "documents"), claim("b", 30, "agreements")) == "contested"


def test_bounds_that_admit_the_other_value_do_not_conflict():
    assert status("figure", claim("a", 30, approximation="more-than"), claim("b", 32)) == "corroborated"
    assert status("figure", claim("a", 30, approximation="at-least"), claim("b", 30)) == "corroborated"
    assert status("figure", claim("a", 40, value_max=50), claim("b", 45)) == "corroborated"
    assert status("figure", claim("a", 50, approximation="up-to"), claim("b", 45)) == "corroborated"


def test_bounds_that_exclude_the_other_value_conflict():
    assert status("figure", claim("a", 30, approximation="more-than"), claim("b", 30)) == "contested"
    assert status("figure", claim("a", 40, value_max=50), claim("b", 51)) == "contested"
    assert status("figure", claim("a", 50, approximation="up-to"), claim("b", 60)) == "contested"


def test_word_answers_compare_case_and_space_insensitively():
    assert status("name", claim("a", answer="State visit"), claim("b", answer="state  visit")) == "corroborated"
    assert status("name", claim("a", answer="state visit"), claim("b", answer="official visit")) == "contested"


def test_a_figure_and_a_no_count_answer_differ():
    assert status("figure", claim("a", 37, "agreements"), claim("b", answer="no count given")) == "contested"
    assert (
        status("figure", claim("a", 37, "agreements"), claim("b", answer="no count given", as_of="before the visit"))
        == "compatible"
    )


def test_lists_complement_each_other_and_are_never_contested():
    assert status("list", claim("a", answer="banking, visas"), claim("b", answer="security")) == "compatible"
    assert status("list", claim("a", answer="banking"), claim("b", answer="banking")) == "corroborated"


def test_contested_wins_over_compatible():
    claims = [claim("a", 1, period="p"), claim("b", 2, period="p"), claim("c", 3, period="other")]
    assert status("figure", *claims) == "contested"


def test_a_source_disagreeing_with_itself_is_not_a_disagreement_between_sources():
    # a's 1 and 2 are not compared with each other; b's "at least 1" admits both.
    assert status("figure", claim("a", 1), claim("a", 2), claim("b", 1, approximation="at-least")) == "corroborated"


def test_intervals():
    assert interval(claim("a", 30, approximation="more-than")) == Interval(30, float("inf"), low_open=True)
    assert Interval(1, 2).overlaps(Interval(2, 3))
    assert not Interval(1, 2, high_open=True).overlaps(Interval(2, 3))
    assert not conflict(claim("a", 1), claim("b", 2), "list")
