"""How the sources' answers to one question relate, dimension by dimension, and the status that follows.

Computed from the claims alone, at build time; the rules are pinned by ``tests/test_status.py``.

**One claim's answer to one question** (``answer_of``) is read from the claim according to the
question's kind: a ``figure`` question takes the claim's value and unit (else its words, for a source
that gives no number); a ``list`` question takes the claim's ``items`` (else its words, as one item);
a ``name``, ``date`` or ``characterisation`` question takes the claim's words (else its figure). A
claim that answers several questions with different words gives ``answer`` as a mapping from
question id to words.

**Dimensions.** Two answers from different sources are compared on each dimension separately:

* the **answer**: figures *agree* when their units are the same and their ranges overlap ("more
  than 30" and 32 overlap; 25 and 40 do not); words agree when they are the same (case-, space-
  and end-punctuation-insensitive); lists agree when they name the same items;
* the **unit** of two figures;
* each **qualifier**, ``period``, ``scope``, ``as_of`` and ``horizon``: the same, different (both
  stated), or stated by one source only. Period, scope and as-of date say *what* an answer is about;
  the horizon says *by when* a target or forecast is to be met.

**Contradiction is recorded, not guessed from wording.** Two answers *exclude each other* when

1. one claim lists the other in ``contradicts`` (an editor's reading of the two texts), whatever
   their qualifiers; or
2. they differ and the question is ``exclusive`` (its answers cannot both hold: a state visit is not
   an official visit), or they are figures in the same unit whose ranges do not overlap, and they
   have the same period, scope, as-of date and horizon (a qualifier one source states and the
   other does not counts as different: it may name another thing).

Differently worded answers to any other question do not exclude each other; a list's items
complement each other.

**A pair of answers from two sources** is then one of:

* *contested*: they exclude each other;
* *divergent*: the same figure or words but different horizons (the same target, by different
  dates), or different answers that do not exclude each other and that no period, scope or as-of
  date tells apart (two readings of the same thing);
* *compatible*: different answers about different things (another period, scope, as-of date,
  horizon or unit; one source gives no figure for another scope; lists naming different items),
  or the same answer for different periods, scopes or as-of dates;
* *corroborating*: the same answer, and no qualifier differs (one stated by one source only does
  not count against it).

**The status of a question** is the most serious pair, in ``ORDER``: **single-source** when fewer
than two sources answer (whatever they say), else **contested** if any pair is, else **divergent**,
else **compatible**, else **corroborated**. ``question_status`` also gives the answers grouped
(equal answers together, agreeing figures next to each other, the side with most sources first) and
an explanation in words a reader can check against the sources, e.g. "Same amount, 1 billion USD,
in 3 sources (Javaid, Goulard, the op-ed); horizons differ: within the next two years (Javaid) · ...".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any, Iterable, Mapping

ORDER = ("contested", "divergent", "compatible", "corroborated", "single-source")

LABELS = {
    "contested": "Contested",
    "divergent": "Divergent",
    "compatible": "Compatible",
    "corroborated": "Corroborated",
    "single-source": "Single source",
}

MEANING = {
    "contested": "sources give answers that exclude each other",
    # A reader's trial found "horizons" under compatible beside a divergent target whose horizons
    # differ: the same answer by different horizons is divergent, different answers explained by
    # their horizons compatible (``compare``), and the two meanings say so (a second reader still
    # read "horizons" under compatible as taking in the divergent target: compatible names it).
    "divergent": "sources answer the same thing differently (in other words, or the same answer by different horizons), without excluding each other",
    "compatible": "the answers can all hold: different answers cover different periods, scopes, as-of dates, horizons or units (the same answer by different horizons is divergent), or list different items",
    "corroborated": "two or more sources give the same answer",
    "single-source": "fewer than two sources answer this",
}

QUALIFIER_KEYS = ("period", "scope", "as_of", "horizon")
SELECTORS = ("period", "scope", "as_of")  # what an answer is about; the horizon is by when
_KEY_WORDS = {"period": ("period", "periods"), "scope": ("scope", "scopes"),
              "as_of": ("as-of date", "as-of dates"), "horizon": ("horizon", "horizons")}
CURRENCIES = frozenset({"usd", "eur", "gbp", "kzt", "pkr", "cny", "rub"})

# --------------------------------------------------------------------------- figures


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


def number(value: float) -> str:
    """1.08e8 → '108,000,000'; 40.0 → '40'; 0.5 → '0.5'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


def short_number(value: float) -> str:
    """1e9 → '1 billion', 1.05e8 → '105 million', 1.7e9 → '1.7 billion', 1234567 → '1.234567
    million', 32 → '32': millions and billions in words, every digit kept (the value is exact)."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.12g} {word}"
    return number(value)


_PREFIX = {"approximate": "about ", "more-than": "more than ", "at-least": "at least ", "up-to": "up to "}


def figure(claim: Any) -> str:
    """A figure with its unit and approximation, as every page writes it: 'about 105 million USD',
    '40–50 percent', '32 signings'. One style on the site (two readers' trials: a box said '108
    million USD' above a table's '108,000,000 USD'); the downloads keep the value as a number."""
    if claim.value is None:
        return ""
    # A calendar year is a name, not a quantity: 1991, not 1,991.
    value = str(int(claim.value)) if claim.unit in ("year", "calendar year") else short_number(claim.value)
    if claim.value_max is not None:
        value = f"{value}–{short_number(claim.value_max)}"
    return f"{_PREFIX.get(claim.qualifiers.approximation, '')}{value} {claim.unit}"


# --------------------------------------------------------------------------- one answer

_SPACES = re.compile(r"\s+")


def normal(text: str | None) -> str | None:
    if text is None:
        return None
    return _SPACES.sub(" ", text).strip().strip(".;,").casefold()


def signature(claim: Any) -> tuple[str | None, ...]:
    q = claim.qualifiers
    return tuple(normal(getattr(q, key)) for key in QUALIFIER_KEYS)


def words_for(claim: Any, question_id: str | None) -> str | None:
    """The claim's words for one question: ``answer``, or its entry for the question when
    ``answer`` maps question ids to words (None when it has none for that question)."""
    answer = claim.answer
    if isinstance(answer, Mapping):
        return answer.get(question_id) if question_id else None
    return answer


@dataclass(frozen=True)
class Answer:
    """One claim's answer to one question, with the dimensions that are compared."""

    claim: str
    source: str
    form: str  # "figure", "words" or "items"
    text: str  # as shown: '1 billion USD', 'state visit', 'textiles · pharmaceuticals'
    short: str  # as written in explanations: '1 billion USD', 'textiles, pharmaceuticals'
    unit: str | None = None  # normalised
    unit_shown: str | None = None  # as written: 'agreements and MoUs'
    range: Interval | None = None
    key: tuple[Any, ...] = ()  # equal keys: the same answer
    items: tuple[str, ...] = ()  # as written
    qualifiers: tuple[str | None, ...] = (None,) * len(QUALIFIER_KEYS)  # normalised, QUALIFIER_KEYS order
    shown: tuple[str | None, ...] = (None,) * len(QUALIFIER_KEYS)  # as written
    contradicts: frozenset[str] = frozenset()
    voices: tuple[str, ...] = ()  # the claim's attributed_to: whose statement the source reports (actor ids)

    @property
    def currency(self) -> bool:
        return self.unit in CURRENCIES


def answer_of(claim: Any, question: Any) -> Answer:
    """How ``claim`` answers ``question`` (a record with ``id`` and ``kind``); see the module's rules.

    Raises ValueError when the claim gives nothing for this question (validation prevents it)."""
    words = words_for(claim, question.id)
    quals = tuple(getattr(claim.qualifiers, k) for k in QUALIFIER_KEYS)
    common = dict(
        claim=claim.id, source=claim.source, qualifiers=tuple(normal(q) for q in quals), shown=quals,
        contradicts=frozenset(getattr(claim, "contradicts", None) or ()),
        voices=tuple(getattr(claim, "attributed_to", None) or ()),
    )
    items = tuple(getattr(claim, "items", None) or ())
    if question.kind == "list" and (items or words):
        # Words given for this very question (``answer: {question: words}``) are its one item: the
        # claim's ``items`` answer its other list questions (the op-ed's Pakistani textiles,
        # medicines and farm produce are what Pakistan sells, and together a market it gains).
        own = isinstance(getattr(claim, "answer", None), dict) and question.id in claim.answer
        items = (words,) if own or not items else items
        keys = tuple(sorted({normal(i) for i in items}))
        return Answer(form="items", text=" · ".join(items), short=", ".join(items), key=("items", keys),
                      items=items, **common)
    use_figure = claim.value is not None and (question.kind in ("figure", "list") or words is None)
    if use_figure:
        approx = claim.qualifiers.approximation
        key = ("figure", claim.value, claim.value_max, approx if approx != "approximate" else "exact", normal(claim.unit))
        return Answer(form="figure", text=figure(claim), short=figure(claim), unit=normal(claim.unit), unit_shown=claim.unit,
                      range=interval(claim), key=key, **common)
    if words is None:
        raise ValueError(f"claim '{claim.id}' gives no answer to question '{question.id}'")
    return Answer(form="words", text=words, short=words, key=("words", normal(words)), **common)


# --------------------------------------------------------------------------- two answers


@dataclass(frozen=True)
class Pair:
    """How two answers from different sources relate (see the module's rules)."""

    a: str  # claim ids
    b: str
    outcome: str  # contested, divergent, compatible or corroborating
    reason: str  # why, in words: 'recorded by an editor as contradicting each other', 'different scope' ...


def agree(a: Answer, b: Answer) -> bool:
    """The same answer: equal words or item sets, or figures in one unit whose ranges overlap."""
    if a.form == b.form == "figure":
        return a.unit == b.unit and a.range.overlaps(b.range)  # type: ignore[union-attr]
    return a.form == b.form and a.key == b.key


def _qualifier_difference(a: Answer, b: Answer, keys: tuple[str, ...], count_unstated: bool) -> list[str]:
    out = []
    for i, key in enumerate(QUALIFIER_KEYS):
        if key not in keys:
            continue
        x, y = a.qualifiers[i], b.qualifiers[i]
        if x != y and (count_unstated or (x is not None and y is not None)):
            out.append(key)
    return out


def compare(a: Answer, b: Answer, exclusive: bool = False) -> Pair:
    """The relation between two answers from different sources."""
    if a.claim in b.contradicts or b.claim in a.contradicts:
        return Pair(a.claim, b.claim, "contested", "recorded by an editor as contradicting each other")
    if agree(a, b):
        selectors = _qualifier_difference(a, b, SELECTORS, count_unstated=False)
        if selectors:
            return Pair(a.claim, b.claim, "compatible", f"same answer for a different {_KEY_WORDS[selectors[0]][0]}")
        if _qualifier_difference(a, b, ("horizon",), count_unstated=False):
            return Pair(a.claim, b.claim, "divergent", "same answer, different horizon")
        return Pair(a.claim, b.claim, "corroborating", "same answer")
    explained = _qualifier_difference(a, b, QUALIFIER_KEYS, count_unstated=True)
    if a.form == b.form == "figure" and a.unit != b.unit:
        return Pair(a.claim, b.claim, "compatible", "different unit")
    if a.form == "items" or b.form == "items":
        return Pair(a.claim, b.claim, "compatible", "the lists complement each other")
    excludes = (a.form == b.form == "figure") or exclusive
    if excludes:
        if explained:
            return Pair(a.claim, b.claim, "compatible", f"different {_KEY_WORDS[explained[0]][0]}")
        why = "the figures do not overlap" if a.form == b.form == "figure" else "the question's answers exclude each other"
        return Pair(a.claim, b.claim, "contested", why)
    if explained:
        return Pair(a.claim, b.claim, "compatible", f"different {_KEY_WORDS[explained[0]][0]}")
    return Pair(a.claim, b.claim, "divergent", "different answers, not recorded as exclusive")


# --------------------------------------------------------------------------- a question


@dataclass(frozen=True)
class AnswerGroup:
    """Claims giving the same answer (equal ``Answer.key``), with the sources that give it."""

    answer: Answer  # the first claim's
    claims: tuple[str, ...]
    sources: tuple[str, ...]  # once each, in the order the claims came
    cluster: int = 0  # groups whose answers agree about the same thing share it (32 and "more than 30")


@dataclass(frozen=True)
class Part:
    """One part of a status's explanation, which a status box shows on a line of its own.

    ``kind`` is "answers", "qualifier" or "verdict"; ``label`` names the part ('Answers',
    'Scopes differ', 'As-of date stated only by the news preview', 'Why compatible');
    ``entries`` are its phrases, each an answer, a value or a reason with the sources that give it
    ('signed during the visit (Javaid)'); ``text`` is the part as the one-sentence explanation
    writes it ('scopes differ: a (Javaid) · b (Goulard)'), which the downloads keep."""

    kind: str
    label: str
    entries: tuple[str, ...]
    text: str


@dataclass
class QuestionStatus:
    status: str
    sources: int
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # claim id → ids it excludes
    explained: dict[str, list[str]] = field(default_factory=dict)  # claim id → ids compatible with it
    divergent: dict[str, list[str]] = field(default_factory=dict)  # claim id → ids it diverges from
    groups: list[AnswerGroup] = field(default_factory=list)  # equal answers together, largest side first
    answers: dict[str, Answer] = field(default_factory=dict)  # claim id → its answer to this question
    explanation: str = ""  # the parts' texts in one sentence: '; '-joined, with a full stop
    parts: list[Part] = field(default_factory=list)  # the explanation part by part, in its order
    reasons: dict[frozenset[str], str] = field(default_factory=dict)  # {claim id, claim id} → Pair.reason
    _repeated: list[list[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def meaning(self) -> str:
        return MEANING[self.status]

    @property
    def outline(self) -> list[Part]:
        """The explanation's parts as a status box lists them: why the status holds first, then the
        answers and what differs between them (the sentence gives the reason last)."""
        return [p for p in self.parts if p.kind == "verdict"] + [p for p in self.parts if p.kind != "verdict"]

    def order(self) -> list[str]:
        """Claim ids grouped by answer (the groups' order), each group in the order given."""
        return [c for g in self.groups for c in g.claims]

    def repeated(self, excluding: str | None = None) -> set[str]:
        """The claims (``excluding`` one, the page's own) whose source gives the same answer
        (``Answer.text``) in another of them too: two such rows read as one row twice unless each
        names its claim (a claim page's "other answers"). The grouping is computed once."""
        if self._repeated is None:
            seen: dict[tuple[str, str], list[str]] = {}
            for cid, a in self.answers.items():
                seen.setdefault((a.source, a.text), []).append(cid)
            self._repeated = [ids for ids in seen.values() if len(ids) > 1]
        out: set[str] = set()
        for ids in self._repeated:
            rest = [c for c in ids if c != excluding]
            if len(rest) > 1:
                out.update(rest)
        return out

    def reason(self, a: str, b: str) -> str | None:
        """Why the answers of claims ``a`` and ``b`` (of different sources) relate as they do, in
        words ('different scope', 'same answer for a different as-of date'); None for two claims of
        one source, which are not compared."""
        return self.reasons.get(frozenset((a, b)))

    def stated_by_one(self, a: str, b: str) -> tuple[list[str], list[str]]:
        """The qualifiers (in words: 'horizon', 'as-of date') that claim ``a``'s answer states and
        ``b``'s does not, and those ``b`` states and ``a`` does not, in ``QUALIFIER_KEYS`` order.
        Two answers that agree may still cover different ground: the op-ed's one billion dollars
        gives no deadline, Javaid's gives two years; "agrees" alone read as if both gave it (a reader)."""
        qa, qb = self.answers[a].qualifiers, self.answers[b].qualifiers
        only_a = [_KEY_WORDS[k][0] for k, x, y in zip(QUALIFIER_KEYS, qa, qb) if x is not None and y is None]
        only_b = [_KEY_WORDS[k][0] for k, x, y in zip(QUALIFIER_KEYS, qa, qb) if x is None and y is not None]
        return only_a, only_b

    def agreement(self, a: str, b: str) -> str:
        """How claim ``b`` agrees with claim ``a`` (whose page compares them), as a table cell says it:
        'agrees', 'agrees; states no horizon' (``a`` states one, ``b`` none), 'agrees; adds an
        as-of date' (the other way), or both, joined by a semicolon."""
        only_a, only_b = self.stated_by_one(a, b)
        words = ["agrees"]
        if only_a:
            words.append("states no " + _or(only_a))
        if only_b:
            words.append("adds " + _and([_article(w) for w in only_b]))
        return "; ".join(words)

    def agrees_with(self, claim: str) -> list[str]:
        """The claims of other sources whose answer, stated differently, agrees with ``claim``'s
        (the other groups of its cluster: 32 and "more than 30" signed documents), in the groups'
        order; [] for a claim of no group here."""
        mine = next((g for g in self.groups if claim in g.claims), None)
        if mine is None:
            return []
        source = self.answers[claim].source
        return [c for g in self.groups if g.cluster == mine.cluster and g is not mine
                for c in g.claims if self.answers[c].source != source]


def upper_first(text: str) -> str:
    """'the op-ed' → 'The op-ed': the first letter only (str.capitalize lowers the rest: 'the ISSI
    report' → 'The issi report')."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class SourceName:
    """How an explanation names a source: 'Javaid', 'the news preview'; ``date`` is added where the
    source stands alone ('2 February 2026')."""

    short: str
    date: str | None = None

    @property
    def label(self) -> str:
        """The name where it opens a sentence or stands alone, as a table's cell: 'The op-ed'."""
        return upper_first(self.short)


def question_status(
    question: Any, claims: Iterable[Any], names: Mapping[str, SourceName] | None = None,
    voices: Mapping[str, str] | None = None,
) -> QuestionStatus:
    """The status of ``question`` (a record with ``id``, ``kind``, ``exclusive``) answered by
    ``claims`` (records with id, source, value, value_max, unit, answer, items, qualifiers,
    contradicts, attributed_to), given in the order to keep within a group (by source date).
    ``names`` says how the explanation names each source (by default, its id), ``voices`` each
    actor a claim is attributed to (by default, its id)."""
    claims = list(claims)
    answers = {c.id: answer_of(c, question) for c in claims}
    listed = list(answers.values())
    sources = len({a.source for a in listed})
    exclusive = bool(getattr(question, "exclusive", False))
    buckets: dict[str, dict[str, list[str]]] = {"contested": {}, "compatible": {}, "divergent": {}}
    pairs: list[Pair] = []
    for a, b in combinations(listed, 2):
        if a.source == b.source:
            continue
        pair = compare(a, b, exclusive)
        pairs.append(pair)
        if pair.outcome in buckets:
            buckets[pair.outcome].setdefault(a.claim, []).append(b.claim)
            buckets[pair.outcome].setdefault(b.claim, []).append(a.claim)
    outcomes = {p.outcome for p in pairs}
    if sources < 2:
        status = "single-source"
    else:
        status = next((s for s in ("contested", "divergent", "compatible") if s in outcomes), "corroborated")
    groups = _groups(listed)
    names = names or {}
    result = QuestionStatus(
        status, sources, buckets["contested"], buckets["compatible"], buckets["divergent"], groups, answers
    )
    result.reasons = {frozenset((p.a, p.b)): p.reason for p in pairs}
    result.parts = explain_parts(question.kind, result, pairs, names, voices or {})
    result.explanation = "; ".join(p.text for p in result.parts) + "."
    return result


def _groups(listed: list[Answer]) -> list[AnswerGroup]:
    by_key: dict[tuple[Any, ...], list[Answer]] = {}
    for a in listed:
        by_key.setdefault(a.key, []).append(a)
    groups = [
        AnswerGroup(same[0], tuple(a.claim for a in same), tuple(dict.fromkeys(a.source for a in same)))
        for same in by_key.values()
    ]
    # Agreeing figures about the same thing (32 and "more than 30" at the forum) sit next to each other.
    cluster = list(range(len(groups)))

    def find(i: int) -> int:
        while cluster[i] != i:
            i = cluster[i]
        return i

    for i, j in combinations(range(len(groups)), 2):
        a, b = groups[i].answer, groups[j].answer
        if agree(a, b) and not _qualifier_difference(a, b, SELECTORS, count_unstated=True):
            cluster[find(j)] = find(i)
    members: dict[int, list[int]] = {}
    for i in range(len(groups)):
        members.setdefault(find(i), []).append(i)
    size = {root: len({s for i in idx for s in groups[i].sources}) for root, idx in members.items()}
    order = sorted(range(len(groups)), key=lambda i: (-size[find(i)], min(members[find(i)]), -len(groups[i].sources), i))
    number = {root: n for n, root in enumerate(dict.fromkeys(find(i) for i in order))}
    return [replace(groups[i], cluster=number[find(i)]) for i in order]


# --------------------------------------------------------------------------- in words


def _name(names: Mapping[str, SourceName], source: str) -> str:
    return (names.get(source) or SourceName(source)).short


def _names(names: Mapping[str, SourceName], sources: Iterable[str]) -> str:
    return ", ".join(_name(names, s) for s in dict.fromkeys(sources))


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _or(words: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def _article(word: str) -> str:
    """'a horizon', 'an as-of date'."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


class Named(str):
    """A source as a sentence names it. The string is the form that stands on its own ('Goulard
    (reporting Pakistan's Foreign Office)'); ``inside`` is the form for a list already within
    brackets ('Goulard, reporting Pakistan's Foreign Office': no brackets within brackets)."""

    inside: str
    reporting: str  # 'reporting Pakistan's Foreign Office', or ''

    def __new__(cls, free: str, inside: str | None = None, reporting: str = "") -> "Named":
        self = super().__new__(cls, free)
        self.inside = free if inside is None else inside
        self.reporting = reporting
        return self

    def after(self, words: str) -> "Named":
        """The name after some words, in both forms: '5 by Goulard, reporting ...'."""
        return Named(words + self, words + self.inside, self.reporting)


def _reporting(names: Mapping[str, SourceName], voices: Mapping[str, str], source: str,
               said: list[tuple[str, ...]]) -> Named:
    """A source as an explanation names it for some of its answers (``said``: each one's voices).
    Where every one of them is attributed to someone else, the source reports their statement, and
    says so: 'Goulard (reporting Pakistan's Foreign Office)', not 'Goulard', who himself argues the
    opposite; inside brackets, 'Goulard, reporting Pakistan's Foreign Office' (``Named.inside``)."""
    name = _name(names, source)
    if said and all(said):
        reported = _and(list(dict.fromkeys(voices.get(v, v) for vs in said for v in vs)))
        return Named(f"{name} (reporting {reported})", f"{name}, reporting {reported}", f"reporting {reported}")
    return Named(name)


def _inside(parts: list[Named]) -> str:
    """Names listed inside brackets, each in its ``inside`` form, separated by semicolons where one
    of them holds a comma of its own: '(Javaid; Goulard, reporting Kazakhstan and Pakistan; the
    op-ed)', else by commas."""
    return ("; " if any(p.inside != p for p in parts) else ", ").join(p.inside for p in parts)


def _group_names(
    names: Mapping[str, SourceName], voices: Mapping[str, str], st: "QuestionStatus", g: AnswerGroup,
) -> str:
    """The sources of a group as an explanation names them (``_reporting``), where they stand alone."""
    return ", ".join(_group_list(names, voices, st, g))


def _group_list(
    names: Mapping[str, SourceName], voices: Mapping[str, str], st: "QuestionStatus", g: AnswerGroup,
) -> list[Named]:
    return [
        _reporting(names, voices, source, [st.answers[c].voices for c in g.claims if st.answers[c].source == source])
        for source in dict.fromkeys(g.sources)
    ]


def _count(n: int) -> str:
    return f"{n} source{'s' if n != 1 else ''}"


def explain_parts(
    kind: str, st: QuestionStatus, pairs: list[Pair], names: Mapping[str, SourceName],
    voices: Mapping[str, str] | None = None,
) -> list[Part]:
    """The status in words a reader can check, part by part (:class:`Part`): what agrees, what
    differs and who stands alone, then why the status holds (no verdict where 'Only Goulard
    answers: ...' says it already). ``QuestionStatus.explanation`` joins their texts in one
    sentence."""
    if not st.groups:
        return [Part("answers", "No source answers this question", (), "No source answers this question")]
    parts = _answers_in_words(kind, st, names, voices or {})
    parts += _qualifiers_in_words(st, names, voices)
    verdict = _verdict(st, pairs, names)
    return parts + ([verdict] if verdict else [])


def _answers_in_words(
    kind: str, st: QuestionStatus, names: Mapping[str, SourceName], voices: Mapping[str, str],
) -> list[Part]:
    listed = list(st.answers.values())
    if listed and all(a.form == "items" for a in listed) and len(st.groups) > 1:
        return _items_in_words(listed, names, voices)
    all_sources = {a.source for a in listed}
    if len(st.groups) == 1:
        g = st.groups[0]
        noun = {"figure": "amount" if g.answer.currency else "figure", "items": "items"}.get(g.answer.form, "answer")
        if len(all_sources) == 1:
            label = f"Only {_group_names(names, voices, st, g)} answers"
            return [Part("answers", label, (g.answer.short,), f"{label}: {g.answer.short}")]
        entry = f"{g.answer.short}, in {_count(len(g.sources))} ({_inside(_group_list(names, voices, st, g))})"
        return [Part("answers", f"Same {noun}", (entry,), f"Same {noun}, {entry}")]
    sides = []
    biggest = max(len(g.sources) for g in st.groups)
    for n in dict.fromkeys(g.cluster for g in st.groups):
        cluster = [g for g in st.groups if g.cluster == n]
        if len(cluster) > 1:  # agreeing figures, stated differently
            sources = dict.fromkeys(s for g in cluster for s in g.sources)
            sides.append(f"{_count(len(sources))} agree ("
                         + " · ".join(f"{_inside(_group_list(names, voices, st, g))}: {g.answer.short}" for g in cluster) + ")")
            continue
        g = cluster[0]
        alone = len(g.sources) == 1 and biggest > 1 and sum(g.sources[0] in h.sources for h in st.groups) == 1
        who = _group_names(names, voices, st, g)
        if len(g.sources) > 1:
            sides.append(f"{_count(len(g.sources))} ({_inside(_group_list(names, voices, st, g))}): {g.answer.short}")
        elif alone:  # one source against sources that agree, with its date: 'the news preview alone (dated ...)'
            # whom it reports after the date, in the same brackets: 'the conference report
            # (reporting Fahad Haroon) alone (undated)' read as if the speaker were undated (an analyst)
            date = (names.get(g.sources[0]) or SourceName(g.sources[0])).date
            named = _group_list(names, voices, st, g)[0]
            about = "; ".join(w for w in (date, named.reporting) if w)
            sides.append(f"{_name(names, g.sources[0])} alone{f' ({about})' if about else ''}: {g.answer.short}")
        else:
            # One source's answer is named by the source, not '1 source (Goulard)': one that gives two
            # answers appears twice, and a count of 1 before each read as two sources.
            sides.append(f"{who}: {g.answer.short}")
    return [Part("answers", "Answers", tuple(sides), "Answers: " + "; ".join(sides))]


def _items_in_words(listed: list[Answer], names: Mapping[str, SourceName], voices: Mapping[str, str]) -> list[Part]:
    named: dict[str, tuple[str, list[str]]] = {}  # normalised item → (as first written, sources)
    said: dict[tuple[str, str], list[tuple[str, ...]]] = {}  # (normalised item, source) → its claims' voices
    for a in listed:
        for item in a.items:
            key = normal(item) or ""
            shown, by = named.setdefault(key, (item, []))
            if a.source not in by:
                by.append(a.source)
            said.setdefault((key, a.source), []).append(a.voices)

    def who(key: str, sources: list[str]) -> str:  # inside brackets
        return _inside([_reporting(names, voices, s, said[(key, s)]) for s in sources])

    shared = [(key, shown, by) for key, (shown, by) in named.items() if len(by) > 1]
    shared.sort(key=lambda e: -len(e[2]))
    single = [(key, shown, by[0]) for key, (shown, by) in named.items() if len(by) == 1]
    out = []
    if shared:
        entries = tuple(f"{s} ({who(k, by)})" for k, s, by in shared)
        out.append(Part("answers", "Named by more than one source", entries,
                        "Named by more than one source: " + " · ".join(entries)))
    if single and len(single) <= 8:
        lead = "by one source only" if shared else "Each item named by one source only"
        entries = tuple(f"{s} ({who(k, [by])})" for k, s, by in single)
        out.append(Part("answers", upper_first(lead), entries, f"{lead}: " + " · ".join(entries)))
    elif single:
        # 'more' only after the shared items: with none, '10 more items' followed nothing
        per: dict[str, list[str]] = {}
        for k, _, by in single:
            per.setdefault(by, []).append(k)
        label = f"{len(single)}{' more' if shared else ''} items, each named by one source"
        counted = [_reporting(names, voices, s, [v for k in keys for v in said[(k, s)]]).after(f"{len(keys)} by ")
                   for s, keys in per.items()]
        out.append(Part("answers", label, tuple(counted), f"{label} ({_inside(counted)})"))
    return out


def _qualifiers_in_words(
    st: QuestionStatus, names: Mapping[str, SourceName], voices: Mapping[str, str] | None = None,
) -> list[Part]:
    """The units and qualifiers that differ, each value with the sources that state it, a source
    named with whom it reports where each of its claims stating that value is attributed
    (``_reporting``): 'as-of date stated only by the news preview and Goulard (reporting Foreign
    Office of Pakistan)', where Goulard's own analysis is dated after the visit."""
    listed = list(st.answers.values())
    voices = voices or {}
    out = []
    units: dict[str | None, tuple[str, list[str]]] = {}
    for a in listed:
        if a.form == "figure":
            units.setdefault(a.unit, (_unit_text(a), []))[1].append(a.source)
    if len(units) > 1:
        entries = tuple(f"{text} ({_names(names, by)})" for text, by in units.values())
        out.append(Part("qualifier", "Units differ", entries, "units differ: " + " · ".join(entries)))
    for i, key in enumerate(QUALIFIER_KEYS):
        values: dict[str | None, tuple[str | None, list[str]]] = {}
        said: dict[tuple[str | None, str], list[tuple[str, ...]]] = {}  # (value, source) → its claims' voices
        for a in listed:
            values.setdefault(a.qualifiers[i], (a.shown[i], []))[1].append(a.source)
            said.setdefault((a.qualifiers[i], a.source), []).append(a.voices)
        stated = [v for v in values if v is not None]
        if not stated or len(values) == 1:
            continue  # nobody states it, or everybody states the same

        def who(value: str | None, by: list[str]) -> list[Named]:
            return [_reporting(names, voices, s, said[(value, s)]) for s in dict.fromkeys(by)]

        singular, plural = _KEY_WORDS[key]
        if len(stated) == 1:
            shown, by = values[stated[0]]
            label = f"{singular} stated only by {_and(who(stated[0], by))}"  # 'the news preview and Goulard'
            out.append(Part("qualifier", upper_first(label), (shown or "",), f"{label}: {shown}"))
            continue
        named = [(shown, who(v, by)) for v, (shown, by) in values.items() if v is not None]
        if None in values:
            named.append(("not stated", who(None, values[None][1])))
        entries = tuple(f"{text} ({_inside(by)})" for text, by in named)
        out.append(Part("qualifier", f"{upper_first(plural)} differ", entries,
                        f"{plural} differ: " + " · ".join(entries)))
    return out


def _unit_text(a: Answer) -> str:
    """The unit as the claim writes it: 'signed documents'."""
    return a.unit_shown or a.unit or ""


def _verdict(st: QuestionStatus, pairs: list[Pair], names: Mapping[str, SourceName]) -> Part | None:
    """Why the status holds, as the part labelled 'Why compatible' (with the status: on a claim's
    page it stands without the box's title); None for one source's one answer, where 'Only Goulard
    answers: 8 priority areas' says it already."""
    def why(lead: str, *entries: str, joined: str = "; ") -> Part:
        return Part("verdict", f"Why {LABELS[st.status].lower()}", entries, f"{lead}{joined.join(entries)}")

    if st.status == "single-source":
        return None if len(st.groups) == 1 else why("", "no other source answers it")
    if st.status == "corroborated":
        return why("", "no two sources' answers differ")
    chosen = [p for p in pairs if p.outcome == st.status]
    if st.status == "compatible":
        return why("compatible: ", *_compatible_words(st, chosen, names))
    if st.status == "divergent":
        if all(p.reason == "same answer, different horizon" for p in chosen):
            return why("divergent: ", "the same answer for different horizons, not recorded as exclusive")
        return why("divergent: ", "the answers differ where no period, scope or as-of date tells them apart, "
                   "and no editor has recorded that they exclude each other")
    sides: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}  # by the two answers and the reason
    for p in chosen:
        a, b = sorted((st.answers[p.a], st.answers[p.b]), key=lambda x: x.short)
        left, right = sides.setdefault((a.short, b.short, p.reason), ([], []))
        left.append(a.source)
        right.append(b.source)
    if len(st.groups) == 2 and len(sides) == 1:
        # Two answers, and every pair across them excludes the other for the one reason: the
        # sentence has just named both with their sources, so it does not name them again.
        first, second = st.groups
        across = {frozenset((a, b)) for a in first.claims for b in second.claims
                  if st.answers[a].source != st.answers[b].source}
        if across == {frozenset((p.a, p.b)) for p in chosen}:
            return why("contested: ", f"the two answers exclude each other ({_TWO_SIDES.get(p.reason, p.reason)})")
    lines = [f"{x} ({_names(names, left)}) and {y} ({_names(names, right)}): {reason}"
             for (x, y, reason), (left, right) in sides.items()]
    more = [f"and {len(lines) - 3} more"] if len(lines) > 3 else []
    return why("contested, they exclude each other: ", *lines[:3], *more, joined=" · ")


# Why two answers exclude each other, as the verdict says it when they are the only two.
_TWO_SIDES = {
    # An editor's reading of the two texts, not either source's word: 'a claim records the
    # contradiction' read as if Javaid or Goulard had said the other was wrong (a reader's trial).
    "recorded by an editor as contradicting each other": "an editor records the contradiction",
    "the question's answers exclude each other": "the question admits only one answer",
}


def _compatible_words(st: QuestionStatus, chosen: list[Pair], names: Mapping[str, SourceName]) -> list[str]:
    """Why the compatible pairs hold together, one entry each: 'each difference comes with a
    different scope or unit' for the answers that differ, then each pair of answers that agree
    without being equal, named with its sources and what tells them apart: 'more than 30 signings
    (the op-ed) and 37 signings (Javaid) are consistent, for different scopes' (not 'agree': they
    count different things, a fact-checker), or where their words are
    the same, 'Javaid and Goulard both give more than 20 years, for different scopes' (not 'the answers that agree
    are for different scopes' beside '2 sources agree (Goulard: 32 · the op-ed: more than 30)':
    a reader took that pair, of one scope, for the one meant). More than three such pairs are
    said in one line, 'the answers consistent with each other are for different periods'."""
    reasons = {p.reason for p in chosen}
    prefix = "same answer for a different "
    differ = sorted(r[len("different "):] for r in reasons if r.startswith("different "))
    same = sorted(r[len(prefix):] for r in reasons if r.startswith(prefix))
    out = []
    if differ:
        out.append("each difference comes with a different " + " or ".join(differ))
    sides: dict[tuple[str, str], tuple[list[str], list[str], list[str]]] = {}  # by the two answers
    for p in chosen:
        if p.reason.startswith(prefix):
            a, b = sorted((st.answers[p.a], st.answers[p.b]), key=lambda x: x.short)
            left, right, kinds = sides.setdefault((a.short, b.short), ([], [], []))
            left.append(a.source)
            right.append(b.source)
            kinds.append(p.reason[len(prefix):])
    if sides and len(sides) <= 3:
        for (x, y), (left, right, kinds) in sides.items():
            which = " or ".join(f"{k}s" for k in sorted(set(kinds)))
            if x == y:  # the same words: 'Javaid and Goulard both give more than 20 years, ...'
                who = [_name(names, s) for s in dict.fromkeys(left + right)]
                out.append(f"{_and(who)} {'both' if len(who) == 2 else 'all'} give {x}, for different {which}")
            else:
                out.append(f"{x} ({_names(names, left)}) and {y} ({_names(names, right)}) are consistent, for different {which}")
    elif same:
        out.append("the answers consistent with each other are for different " + " or ".join(f"{s}s" for s in same))
    out += sorted(r for r in reasons if not r.startswith(("different ", prefix)))
    return out
