"""How the sources' answers to one question relate: corroborated, compatible, contested or single-source.

Computed from the claims alone, at build time; the rules are pinned by ``tests/test_status.py``.

* Two claims **conflict** when they come from different sources and their answers cannot both be
  true as stated: figures whose units differ or whose ranges do not overlap ("more than 30" and
  32 overlap; 105 and 250 do not), or answers in words that differ (compared case- and
  space-insensitively). The items of a ``list`` question complement each other: they never conflict.
* Two claims have the **same qualifiers** when their period, scope, as-of date and horizon are the
  same (again case- and space-insensitively; a qualifier left out is "not stated", which is not the
  same as a stated one).

The status of a question:

1. **single-source**: fewer than two sources answer it (whatever they say);
2. **contested**: two claims with the same qualifiers conflict;
3. **compatible**: answers conflict, but only where the qualifiers differ (another period, another
   scope, another horizon), or a ``list`` question whose sources name different items;
4. **corroborated**: no two answers conflict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterable

ORDER = ("contested", "compatible", "corroborated", "single-source")

LABELS = {
    "contested": "Contested",
    "compatible": "Compatible",
    "corroborated": "Corroborated",
    "single-source": "Single source",
}

MEANING = {
    "contested": "sources give different answers for the same period and scope",
    "compatible": "the answers differ, but they cover different periods, scopes or horizons, or list different items",
    "corroborated": "two or more sources give the same answer",
    "single-source": "only one source answers this",
}

QUALIFIER_KEYS = ("period", "scope", "as_of", "horizon")


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: "Interval") -> bool:
        if self.high < other.low or other.high < self.low:
            return False
        if self.high == other.low and (self.high_open or other.low_open):
            return False
        if other.high == self.low and (other.high_open or self.low_open):
            return False
        return True


def interval(claim: Any) -> Interval:
    """The values a figure admits: 'more than 30' is (30, ∞), '40–50' is [40, 50], 'about 105' is 105."""
    value = float(claim.value)
    approx = claim.qualifiers.approximation
    if claim.value_max is not None:
        return Interval(value, float(claim.value_max))
    if approx == "more-than":
        return Interval(value, math.inf, low_open=True)
    if approx == "at-least":
        return Interval(value, math.inf)
    if approx == "up-to":
        return Interval(-math.inf, value)
    return Interval(value, value)


_SPACES = re.compile(r"\s+")


def normal(text: str | None) -> str | None:
    if text is None:
        return None
    return _SPACES.sub(" ", text).strip().strip(".;,").casefold()


def signature(claim: Any) -> tuple[str | None, ...]:
    q = claim.qualifiers
    return tuple(normal(getattr(q, key)) for key in QUALIFIER_KEYS)


def conflict(a: Any, b: Any, kind: str) -> bool:
    """Whether two answers cannot both hold as stated (see the module's rules)."""
    if kind == "list":
        return False
    if a.value is not None and b.value is not None:
        if normal(a.unit) != normal(b.unit):
            return True
        return not interval(a).overlaps(interval(b))
    return _answer_text(a) != _answer_text(b)


def _answer_text(claim: Any) -> str | None:
    if claim.answer is not None:
        return normal(claim.answer)
    if claim.value is not None:
        return normal(f"{claim.value} {claim.unit}")
    return None


@dataclass
class QuestionStatus:
    status: str
    sources: int
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # claim id → ids it conflicts with
    explained: dict[str, list[str]] = field(default_factory=dict)  # differing, but other qualifiers

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def meaning(self) -> str:
        return MEANING[self.status]


def question_status(kind: str, claims: Iterable[Any]) -> QuestionStatus:
    """The status of a question answered by ``claims`` (records with source, value, unit, answer,
    qualifiers); ``kind`` is the question's kind."""
    claims = list(claims)
    sources = len({c.source for c in claims})
    contested: dict[str, list[str]] = {}
    explained: dict[str, list[str]] = {}
    for a, b in combinations(claims, 2):
        if a.source == b.source or not conflict(a, b, kind):
            continue
        bucket = contested if signature(a) == signature(b) else explained
        bucket.setdefault(a.id, []).append(b.id)
        bucket.setdefault(b.id, []).append(a.id)
    differs = kind == "list" and len({_answer_text(c) for c in claims}) > 1
    if sources < 2:
        status = "single-source"
    elif contested:
        status = "contested"
    elif explained or differs:
        status = "compatible"
    else:
        status = "corroborated"
    return QuestionStatus(status, sources, contested, explained)
