"""The validated dataset as a graph: records by id and type, with every reference reversed.

Reverse relations are named by the ``Ref`` on the forward field (FollowTheMoney
style), so a page can list, say, the agreements an actor "Signed" without any
code that knows about signatories.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .registry import REGISTRY, RecordType
from .status import ORDER, Answer, QuestionStatus, SourceName, answer_of, question_status
from .validate import Parsed, iter_refs


@dataclass(frozen=True)
class Link:
    """A reference seen from its target: ``node`` points here, under the relation ``label``."""

    label: str  # the reverse relation's name, e.g. "Signed" for an agreement's signatories
    node: "Node"


@dataclass(eq=False)
class Node:
    type: RecordType
    record: Any
    data_file: str  # where the record was loaded from, e.g. data/actors/people.yaml
    data_line: int
    backlinks: list[Link] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def path(self) -> str:
        """The page's path under docs/."""
        return f"{self.type.plural}/{self.id}.md"

    @property
    def url(self) -> str:
        """The built page's path under the site (use_directory_urls: false): actors/x.html."""
        return f"{self.type.plural}/{self.id}.html"

    def __getattr__(self, attr: str) -> Any:
        # Templates read record fields straight off the node: node.kind, node.date ...
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self.record, attr)


@dataclass
class KnowledgeBase:
    nodes: dict[str, Node]
    by_type: dict[str, list[Node]]
    _statuses: dict[str, QuestionStatus] = field(default_factory=dict, repr=False)
    _names: dict[str, SourceName] | None = field(default=None, repr=False)

    def get(self, record_id: str | None) -> Node | None:
        return self.nodes.get(record_id) if record_id else None

    def all(self, type_name: str) -> list[Node]:
        return self.by_type.get(type_name, [])

    def backlinks(self, node: Node, type_name: str | None = None, label: str | None = None) -> list[Node]:
        """Records pointing at ``node`` (optionally only of one type or one relation), once each."""
        out: dict[str, Node] = {}
        for link in node.backlinks:
            if (type_name is None or link.node.type.name == type_name) and (label is None or link.label == label):
                out.setdefault(link.node.id, link.node)
        return list(out.values())

    def grouped_backlinks(self, node: Node, exclude_types: tuple[str, ...] = ()) -> list[tuple[str, list[Node]]]:
        """Backlinks grouped by relation name, in a stable order.

        A relation whose records are of several types is split by type ("Mentions · Places"), so a
        state and the place of the same name are told apart.
        """
        groups: dict[tuple[str, int, str], dict[str, Node]] = defaultdict(dict)
        order = {t.name: i for i, t in enumerate(REGISTRY)}
        for link in node.backlinks:
            if link.node.type.name not in exclude_types:
                key = (link.label, order[link.node.type.name], link.node.type.title)
                groups[key].setdefault(link.node.id, link.node)
        types_per_label: dict[str, int] = defaultdict(int)
        for label, _, _ in groups:
            types_per_label[label] += 1
        return [
            (label if types_per_label[label] == 1 else f"{label} · {title}", sorted(nodes.values(), key=sort_key))
            for (label, _, title), nodes in sorted(groups.items())
        ]

    def with_parts(self, events: list[Node]) -> list[Node]:
        """The events and, recursively, the events that are part of them, each once."""
        out, todo, seen = [], list(events), set()
        while todo:
            current = todo.pop(0)
            if current.id in seen:
                continue
            seen.add(current.id)
            out.append(current)
            todo.extend(sorted(self.backlinks(current, "event", "Parts"), key=sort_key))
        return out

    def agreements_during(self, events: list[Node]) -> list[tuple[Node, Node]]:
        """(agreement, event) for every agreement concluded at one of the events or their parts."""
        out: dict[str, tuple[Node, Node]] = {}
        for part in self.with_parts(events):
            for agreement in self.backlinks(part, "agreement", "Agreements"):
                out.setdefault(agreement.id, (agreement, part))
        return sorted(out.values(), key=lambda pair: sort_key(pair[0]))

    def answers(self, question: Node) -> list[Node]:
        """The claims answering a question, by source date then source and position in the data.

        The one place that lists a question's claims: statuses, explanations, tables and exports
        all start from it, so leaving claims out of every status (retracted ones, say) is a filter here."""
        return sorted(self.backlinks(question, "claim", "Answers"), key=self._by_source_date)

    def _by_source_date(self, claim: Node) -> tuple[Any, ...]:
        source = self.nodes[claim.record.source].record
        return (source.date or "9999", *claim_order(claim))

    def status(self, question: Node) -> QuestionStatus:
        """How the sources' answers to a question relate (see status.py), computed once from
        ``answers(question)``: status, explanation, conflicts and the answers grouped."""
        if question.id not in self._statuses:
            claims = [c.record for c in self.answers(question)]
            self._statuses[question.id] = question_status(question.record, claims, self.source_names())
        return self._statuses[question.id]

    def grouped_answers(self, question: Node) -> list[tuple[Any, list[Node]]]:
        """(AnswerGroup, its claims) for a question: equal answers together, the side with most
        sources first, agreeing figures next to each other; within a group by source date."""
        st = self.status(question)
        return [(g, [self.nodes[c] for c in g.claims]) for g in st.groups]

    def answer(self, claim: Node, question: Node) -> Answer:
        """A claim's answer to one of its questions (status.answer_of): .text, .form, .items."""
        known = self.status(question).answers.get(claim.id)
        return known if known is not None else answer_of(claim.record, question.record)

    def claim_statuses(self, claim: Node) -> list[tuple[Node, QuestionStatus]]:
        """(question, its status) for each question a claim answers, in the claim's order; a claim
        that answers no question is single-source by definition (an empty list)."""
        return [(self.nodes[q], self.status(self.nodes[q])) for q in claim.record.questions]

    def source_names(self) -> dict[str, SourceName]:
        """How explanations name each source: an analysis by its author's surname ('Javaid'),
        another kind as 'the news preview', 'the op-ed' (with the author where two would read
        alike); the date, given where a source stands alone, as 'dated 2 February 2026, inferred'."""
        if self._names is None:
            base: dict[str, str] = {}
            for node in self.all("source"):
                record = node.record
                if record.kind == "analysis" and record.author:
                    base[node.id] = _surname(record.author)
                else:
                    base[node.id] = "the " + (record.kind if record.kind == "op-ed" else record.kind.replace("-", " "))
            taken = list(base.values())
            names = {}
            for node in self.all("source"):
                record = node.record
                short = base[node.id]
                if taken.count(short) > 1:
                    short += f" ({_surname(record.author)})" if record.author else f" ({node.id})"
                names[node.id] = SourceName(short, _source_date(record))
            self._names = names
        return self._names

    def questions_by_status(self) -> list[tuple[str, list[Node]]]:
        """Questions grouped by status, contested first, then divergent, compatible, corroborated, single-source."""
        groups: dict[str, list[Node]] = {name: [] for name in ORDER}
        for question in self.all("question"):
            groups[self.status(question).status].append(question)
        return [(name, groups[name]) for name in ORDER]

    def timeline(self) -> list[tuple[str, str | None, Node]]:
        """(start, end, record) for every dated event and every claim with a `when`, in date order
        (a month or a year sorts before the days within it; ties by type, then name)."""
        entries = [(e.record.start, e.record.end, e) for e in self.all("event") if e.record.start]
        entries += [(c.record.when.start, c.record.when.end, c) for c in self.all("claim") if c.record.when]
        return sorted(
            entries,
            key=lambda e: (date_key(e[0]), date_key(e[1] or e[0]), e[2].type.name != "event", sort_key(e[2])),
        )

    def claims_about(self, node: Node) -> list[Node]:
        return sorted(self.backlinks(node, "claim", "Claims about"), key=claim_order)

    def mentioning_sources(self, node: Node) -> list[Node]:
        """Sources that mention a record: its own `sources` plus the sources of claims about it."""
        ids: dict[str, None] = {}
        for sid in getattr(node.record, "sources", None) or []:
            ids[sid] = None
        for claim in self.claims_about(node):
            ids[claim.record.source] = None
        return sorted((self.nodes[i] for i in ids), key=sort_key)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _surname(author: str) -> str:
    """'Sebastien GOULARD' → 'Goulard'; 'Faisal Javaid' → 'Javaid'."""
    last = author.split()[-1]
    return last.capitalize() if last.isupper() else last


def _source_date(record: Any) -> str | None:
    """'dated 2 February 2026, inferred', 'undated'."""
    if not record.date:
        return "undated"
    parts = [int(p) for p in record.date.split("-")]
    words = ([str(parts[2])] if len(parts) > 2 else []) + ([_MONTHS[parts[1] - 1]] if len(parts) > 1 else [])
    text = "dated " + " ".join([*words, str(parts[0])])
    return text + (", inferred" if record.date_basis == "inferred" else "")


def sort_key(node: Node) -> tuple[str, int, str, str, str]:
    """Within a type: events by date (undated last), sources by file, the rest by name.

    Every key has the same shape, so records of different types can be sorted together.
    """
    record = node.record
    primary, undated = "", 0
    if node.type.name == "event":
        start = getattr(record, "start", None)
        primary, undated = (start or ""), (0 if start else 1)  # partial ISO dates sort as text
    elif node.type.name == "source":
        primary = record.file
    return (node.type.name, undated, primary, record.name.lower(), record.id)


def date_key(partial: str) -> tuple[int, int, int]:
    """'2026' → (2026, 0, 0): a partial date sorts before the more precise dates within it."""
    parts = [int(p) for p in partial.split("-")]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def claim_order(node: Node) -> tuple[Any, ...]:
    return (node.record.source, node.data_file, node.data_line)


def build_model(parsed: list[Parsed]) -> KnowledgeBase:
    nodes = {p.id: Node(p.type, p.record, p.file, p.line) for p in parsed}
    for node in nodes.values():
        for _path, target_id, ref in iter_refs(node.record):
            target = nodes[target_id]
            target.backlinks.append(Link(ref.reverse, node))
    by_type: dict[str, list[Node]] = {t.name: [] for t in REGISTRY}
    for node in nodes.values():
        by_type[node.type.name].append(node)
    for name, items in by_type.items():
        items.sort(key=claim_order if name == "claim" else sort_key)
    return KnowledgeBase(nodes, by_type)
