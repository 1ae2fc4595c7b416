"""The validated dataset as a graph: records by id and type, with every reference reversed.

Reverse relations are named by the ``Ref`` on the forward field (FollowTheMoney
style), so a page can list, say, the agreements an actor "Signed" without any
code that knows about signatories.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .registry import REGISTRY, RecordType
from .schema import vocabulary_of
from .status import ORDER, Answer, QuestionStatus, SourceName, answer_of, question_status
from .tracking import Memo, read
from .tracking import _recording as _RECORDING  # the same list: read() inlined where pages read most
from .validate import Parsed, iter_refs, iter_vocab


@dataclass(frozen=True)
class Link:
    """A reference seen from its target: ``node`` points here, under the relation ``label``."""

    label: str  # the reverse relation's name, e.g. "Signed" for an agreement's signatories
    node: "Node"


class Node:
    """A record in the graph: its type, its validated record, where it was loaded from, and the
    links that point at it. Reads of the record and the backlinks are recorded (``tracking``), so
    incremental generation knows what each page depends on; ``id``, ``path`` and ``url`` never
    change for a node and are not recorded."""

    __slots__ = ("type", "_record", "_data_file", "_position", "_backlinks", "_key", "_text_checked")

    def __init__(
        self, type: RecordType, record: Any, data_file: str, position: int = 0, text_checked: bool = False,
    ) -> None:
        self.type = type
        self._record = record
        self._text_checked = text_checked  # a source whose text was found: its excerpts were checked
        self._key = ("record", record.id)  # what reading it records (made once: pages read it often)
        self._data_file = data_file  # where the record was loaded from, e.g. data/actors/people.yaml
        self._position = position  # its index among the records of that file
        self._backlinks: list[Link] = []

    # ``record``, ``name`` and record fields are read about 1,800,000 times in a render of the
    # 10,000 records: each records its key as ``read`` does, without the call.
    @property
    def record(self) -> Any:
        if _RECORDING:
            _RECORDING[-1].add(self._key)
        return self._record

    @property
    def backlinks(self) -> list[Link]:
        read(("backlinks", self._record.id))
        return self._backlinks

    @property
    def data_file(self) -> str:
        read(self._key)
        return self._data_file

    @property
    def position(self) -> int:
        read(self._key)
        return self._position

    @property
    def text_checked(self) -> bool:
        """For a source: whether its text was found when the data was loaded, so that every excerpt
        citing it was checked against it (``validate.check_excerpts``). Part of the record's key:
        the text turning up, or going, renders its page again."""
        read(self._key)
        return self._text_checked

    @property
    def id(self) -> str:
        return self._record.id

    @property
    def name(self) -> str:
        if _RECORDING:
            _RECORDING[-1].add(self._key)
        return self._record.name

    @property
    def path(self) -> str:
        """The page's path under docs/."""
        return f"{self.type.plural}/{self._record.id}.md"

    @property
    def url(self) -> str:
        """The built page's path under the site (use_directory_urls: false): actors/x.html."""
        return f"{self.type.plural}/{self._record.id}.html"

    def content_signature(self) -> tuple[Any, ...]:
        """What ``("record", id)`` stands for: compared between two models to find an edit."""
        return (self.type.name, self._record, self._data_file, self._position, self._text_checked)

    def backlink_signature(self) -> tuple[tuple[str, str], ...]:
        """What ``("backlinks", id)`` stands for."""
        return tuple((link.label, link.node.id) for link in self._backlinks)

    def __getattr__(self, attr: str) -> Any:
        # Templates read record fields straight off the node: node.kind, node.date ...
        if attr.startswith("_"):
            raise AttributeError(attr)
        if _RECORDING:
            _RECORDING[-1].add(self._key)
        return getattr(self._record, attr)


class Nodes(dict):
    """Records by id. Looking one up by id is not recorded (the node's own reads are); counting or
    listing them all is, as ``("all", "*")``."""

    def __len__(self) -> int:
        read(("all", "*"))
        return dict.__len__(self)

    def __iter__(self):
        read(("all", "*"))
        return dict.__iter__(self)

    def keys(self):
        read(("all", "*"))
        return dict.keys(self)

    def values(self):
        read(("all", "*"))
        return dict.values(self)

    def items(self):
        read(("all", "*"))
        return dict.items(self)

    def untracked(self) -> dict[str, "Node"]:
        return dict(dict.items(self))


@dataclass
class KnowledgeBase:
    nodes: Nodes
    by_type: dict[str, list[Node]]
    memo: Memo = field(default_factory=Memo, repr=False)  # results shared by pages, with what they read
    warnings: list[str] = field(default_factory=list)  # from validation: worth saying, not errors

    def get(self, record_id: str | None) -> Node | None:
        return self.nodes.get(record_id) if record_id else None

    def all(self, type_name: str) -> list[Node]:
        """Every record of a type, withdrawn ones included (their pages stay)."""
        read(("all", type_name))
        return self.by_type.get(type_name, [])

    def current(self, type_name: str) -> list[Node]:
        """The records of a type that are not withdrawn (``retracted``): what counts, is counted,
        and goes on the timeline, the briefing and into statuses."""
        return [n for n in self.all(type_name) if n.record.retracted is None]

    def count(self) -> int:
        """How many records count (withdrawn ones do not)."""
        return sum(len(self.current(t.name)) for t in REGISTRY)

    def withdrawn_count(self) -> int:
        """How many records are withdrawn (their pages stay): every record but those ``count`` counts."""
        return len(self.nodes) - self.count()

    def subject(self) -> Node | None:
        """The event this knowledge base is about (``subject: true``, not withdrawn; validate
        allows one), or None: the home page and the briefing open with it. Found by the field,
        not by an id, so a rename keeps it."""
        return next((n for n in self.current("event") if n.record.subject), None)

    def outcomes(self, type_name: str = "agreement") -> list[Node]:
        """What the visit produced: current agreements (or events) not marked ``background``."""
        return [n for n in self.current(type_name) if not getattr(n.record, "background", False)]

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
        all start from it. Withdrawn claims are not answers (see ``withdrawn_answers``)."""
        claims = [c for c in self.backlinks(question, "claim", "Answers") if c.record.retracted is None]
        return sorted(claims, key=self._by_source_date)

    def withdrawn_answers(self, question: Node) -> list[Node]:
        """Claims that answered a question and were withdrawn: shown apart, counted nowhere."""
        claims = [c for c in self.backlinks(question, "claim", "Answers") if c.record.retracted is not None]
        return sorted(claims, key=self._by_source_date)

    def stale_names(self, question: Node) -> list[tuple[str, str]]:
        """The sources a question's hand-written ``description`` names (by this site's name for
        them, ``source_names``, or another ``prose_names`` gives, any case) whose every answer to
        it is withdrawn, as (the site's name, the words the description has): the
        text that still says what they answer, beside a status that no longer counts them (a new
        user's trial withdrew Javaid's baseline, and the description still set it against
        Goulard's). By source id order; empty when nothing is withdrawn."""
        description = question.record.description or ""
        withdrawn = {c.record.source for c in self.withdrawn_answers(question)}
        if not description or not withdrawn:
            return []
        gone = withdrawn - {c.record.source for c in self.answers(question)}
        names = self.source_names()
        out = []
        for source in sorted(gone):
            written = next((word for word in self.prose_names(self.nodes[source], names[source].short)
                            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", description, re.IGNORECASE)), None)
            if written is not None:
                out.append((names[source].short, written))
        return out

    def prose_names(self, source: Node, short: str) -> list[str]:
        """The words a hand-written text may name a source by, besides the site's ``short`` name
        ('the' aside): its last word ('preview' of 'the news preview', 'report'), an acronym in
        it ('ISSI' of 'the ISSI report'), the author's full name and surname, the publisher. A new
        editor's trial withdrew the preview, whose questions' descriptions say 'the preview' 22
        times, and the site's name alone ('the news preview') found none of them."""
        bare = short[4:] if short.lower().startswith("the ") else short
        words = bare.split()
        found = [bare]
        if len(words) > 1 and len(words[-1]) >= 4:
            found.append(words[-1])
        found += [w for w in words if len(w) >= 2 and w.isupper()]
        author = self.author_name(source)
        if author:
            found += [author, _surname(author)]
        if source.record.publisher:
            found.append(source.record.publisher)
        return list(dict.fromkeys(found))  # the site's name first: the one a warning prefers to quote

    def _by_source_date(self, claim: Node) -> tuple[Any, ...]:
        source = self.nodes[claim.record.source].record
        return (source.date or "9999", *claim_order(claim))

    def status(self, question: Node) -> QuestionStatus:
        """How the sources' answers to a question relate (see status.py), computed once from
        ``answers(question)``: status, explanation, conflicts and the answers grouped."""
        def compute() -> QuestionStatus:
            claims = [c.record for c in self.answers(question)]
            voices = {a: self.nodes[a].name for c in claims for a in c.attributed_to if a in self.nodes}
            return question_status(question.record, claims, self.source_names(), voices)

        return self.memo.get(("status", question.id), compute)

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
        that answers no question is single-source by definition (an empty list), and so is a
        withdrawn claim: it answers nothing."""
        if claim.record.retracted is not None:
            return []
        return [(self.nodes[q], self.status(self.nodes[q])) for q in claim.record.questions]

    def source_names(self) -> dict[str, SourceName]:
        """How explanations, tables and the explorer name each source (one name for it: an analyst's
        re-read found the ISSI report as 'the conference report' in the boxes and 'Nadeem Faisal
        Baiga' in the tables): its ``short_name`` where the data gives one ('the ISSI report'), else
        a signed one by its author's surname ('Javaid'), an unsigned one by its kind ('the news
        preview', 'the op-ed'). Where two would read alike, each is told apart: authors of one
        surname by their full names ('Faisal Javaid'), then by their dates ('Javaid of 7 February
        2026', 'undated Javaid'); unsigned ones of one kind as 'the op-ed of 2 February 2026' (or
        'the undated op-ed'); else by their ids (a new user's trial: a second op-ed named the first
        'the op-ed (op-ed-land-linked-hub)' in every sentence). The date, given where a source
        stands alone, as 'dated 2 February 2026, inferred'."""
        def compute() -> dict[str, SourceName]:
            sources = self.all("source")
            authors = {node.id: self.author_name(node) for node in sources}
            base: dict[str, str] = {}
            for node in sources:
                record = node.record
                if record.short_name:
                    base[node.id] = record.short_name
                elif record.author:
                    base[node.id] = _surname(authors[node.id])
                else:  # 'the news preview', 'the op-ed': the kind's name in the vocabulary
                    name = self.term(vocabulary_of(node.type.model, "kind"), record.kind).name
                    base[node.id] = "the " + name[:1].lower() + name[1:]
            alike: dict[str, list[Any]] = {}
            for node in sources:
                alike.setdefault(base[node.id], []).append(node)
            names = {}
            for node in sources:
                record = node.record
                short = base[node.id]
                clash = alike[short]
                if len(clash) > 1:
                    signed = [n for n in clash if n.record.author]
                    unsigned = [n for n in clash if not n.record.author]
                    dates = [n.record.date for n in (signed if record.author else unsigned)]
                    if record.author and [authors[n.id] for n in signed].count(authors[node.id]) == 1:
                        short = authors[node.id]
                    elif dates.count(record.date) == 1:
                        undated = "the undated " + short[len("the "):] if short.startswith("the ") else f"undated {short}"
                        short = f"{short} of {_source_date(record).removeprefix('dated ')}" if record.date else undated
                    else:
                        short += f" ({node.id})"
                names[node.id] = SourceName(short, _source_date(record))
            return names

        return self.memo.get("source names", compute)

    def author_name(self, source: Node) -> str | None:
        """A source's author as the site names them: the name of the actor ``author_actor`` links
        (what their page, the citations and the tables say), else the byline as printed; None when
        unsigned. The short name comes from it too, so that a byline "Ayesha RAHMAN" linked to an
        actor named "Ayesha Khan" is not "Rahman" in the boxes and "Ayesha Khan" in the citations (a
        new user's trial; ``validate`` warns when the two share no word)."""
        record = source.record
        if not record.author:
            return None
        actor = self.nodes.get(record.author_actor) if record.author_actor else None
        return actor.record.name if actor is not None else record.author

    def questions_by_status(self) -> list[tuple[str, list[Node]]]:
        """Questions grouped by status, contested first, then divergent, compatible, corroborated, single-source."""
        groups: dict[str, list[Node]] = {name: [] for name in ORDER}
        for question in self.all("question"):
            groups[self.status(question).status].append(question)
        return [(name, groups[name]) for name in ORDER]

    def timeline(self, withdrawn: bool = False) -> list[tuple[str, str | None, Node]]:
        """(start, end, record) for every dated event and every claim with a `when`, in date order
        (a month or a year sorts before the days within it; ties by type, then name); with
        ``withdrawn``, the same for the withdrawn ones instead (they are not on the timeline)."""
        pick = (lambda n: n.record.retracted is not None) if withdrawn else (lambda n: n.record.retracted is None)
        entries = [(e.record.start, e.record.end, e) for e in self.all("event") if e.record.start and pick(e)]
        entries += [(c.record.when.start, c.record.when.end, c) for c in self.all("claim") if c.record.when and pick(c)]
        return sorted(
            entries,
            key=lambda e: (date_key(e[0]), date_key(e[1] or e[0]), e[2].type.name != "event", sort_key(e[2])),
        )

    def timeline_years(self) -> list[tuple[str, list[tuple[str, str | None, Node]], list[Node]]]:
        """The timeline by year: (year, its entries as ``timeline()`` gives them, the withdrawn records
        dated in it), in year order, for every year of a dated event or claim, withdrawn ones
        included. A year whose records are all withdrawn keeps its section, so its address
        (``views/timeline.html#y2025``, linked from every claim dated in it) keeps working."""
        years: dict[str, tuple[list, list]] = {}
        for entry in self.timeline():
            years.setdefault(entry[0][:4], ([], []))[0].append(entry)
        for start, _, node in self.timeline(withdrawn=True):
            years.setdefault(start[:4], ([], []))[1].append(node)
        return [(year, *years[year]) for year in sorted(years)]

    def term_usage(self, vocabulary: Node) -> dict[str, list[Node]]:
        """The records using each term of a vocabulary (term id → records, in model order). Every
        vocabulary's usage is counted in one pass over the records, shared by their pages (a pass
        each took 0.13 s at 10,000 records)."""

        def compute() -> dict[str, dict[str, list[Node]]]:
            out: dict[str, dict[str, list[Node]]] = {}
            for rtype in REGISTRY:
                for node in self.all(rtype.name):
                    for _path, value, name in iter_vocab(node.record):
                        out.setdefault(name, {}).setdefault(value, []).append(node)
            return out

        usage = self.memo.get("term usage", compute).get(vocabulary.id, {})
        return {t.id: usage.get(t.id, []) for t in vocabulary.record.terms}

    def vocabularies(self) -> dict[str, list[Any]]:
        """Every vocabulary's terms: vocabulary id → [Term], in the data's order."""
        return {v.id: list(v.record.terms) for v in self.all("vocabulary")}

    def term(self, vocabulary: str, term_id: str) -> Any:
        """The Term ``term_id`` of a vocabulary (validation guarantees both exist)."""
        for term in self.nodes[vocabulary].record.terms:
            if term.id == term_id:
                return term
        raise KeyError(f"no term '{term_id}' in vocabulary '{vocabulary}'")

    def claims_about(self, node: Node) -> list[Node]:
        return sorted(self.backlinks(node, "claim", "Claims about"), key=claim_order)

    def compared_on(self, claim: Node) -> list[Node]:
        """The questions a claim answers (in its own order) that another claim answers or answered,
        withdrawn or not: its page has a section for each comparing it with the other answers, the
        first at ``#other-answers``, the others at ``#other-answers-<question id>`` (the
        ``comparison_anchor`` macro). A section stays while any other claim answered the question,
        so its address does not move when an answer is withdrawn."""
        out = []
        for qid in claim.record.questions:
            q = self.nodes.get(qid)
            if q is not None and any(c.id != claim.id for c in self.backlinks(q, "claim", "Answers")):
                out.append(q)
        return out

    def questions_about(self, nodes: list[Node], kind: str | None = None) -> list[Node]:
        """The questions (of ``kind``, e.g. "figure", when given) that claims about any of ``nodes``
        answer, neither withdrawn, in the order first met (nodes in order, each one's claims in
        ``claim_order``): on the home page, where the sources' counts and values of the signed
        agreements are compared."""
        found: dict[str, Node] = {}
        for node in nodes:
            for claim in self.claims_about(node):
                if claim.record.retracted is not None:
                    continue
                for qid in claim.record.questions:
                    q = self.nodes.get(qid)
                    if q is not None and q.record.retracted is None and (kind is None or q.record.kind == kind):
                        found.setdefault(qid, q)
        return list(found.values())

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
    """Claims by source, then as they stand in the data (file, then place in the file)."""
    return (node.record.source, node.data_file, node.position)


def withdrawn_with_source(record: Any, source: Any) -> Any:
    """``record`` (a claim: one source's assertion) as the model holds it when its ``source`` is
    withdrawn: withdrawn too, on the source's date, with a reason that names the source and gives
    its reason; ``record`` itself when the source is not withdrawn or the record is withdrawn on
    its own account (its own date and reason stand). A claim is only ever as good as its source: a
    source withdrawn had left its claims in statuses, counts, the timeline, the briefing and the
    explorer (a new editor's trial)."""
    if source is None or source.retracted is None or record.retracted is not None:
        return record
    reason = f"Its source, {source.name}, was withdrawn: {source.retracted.reason}"
    return record.model_copy(update={"retracted": source.retracted.model_copy(update={"reason": reason})})


def build_model(parsed: list[Parsed], checked_texts: set[str] | frozenset[str] = frozenset()) -> KnowledgeBase:
    """The graph of validated records: a Node per record (in file order), every reference
    reversed into its target's backlinks (named by the ``Ref``), records by type in page order.
    A record with a ``source`` field whose source is withdrawn is withdrawn with it
    (``withdrawn_with_source``). ``checked_texts``: the sources whose text was found and checked
    (``ErrorLog.checked_texts``; none by default)."""
    positions: dict[str, int] = defaultdict(int)
    nodes = Nodes()
    records = {p.id: p.record for p in parsed}
    for p in parsed:
        record = p.record
        if isinstance(getattr(record, "source", None), str):
            record = withdrawn_with_source(record, records.get(record.source))
        nodes[p.id] = Node(p.type, record, p.file, positions[p.file], p.id in checked_texts)
        positions[p.file] += 1
    for node in nodes.untracked().values():
        for _path, target_id, ref in iter_refs(node._record):
            nodes[target_id]._backlinks.append(Link(ref.reverse, node))
    by_type: dict[str, list[Node]] = {t.name: [] for t in REGISTRY}
    for node in nodes.untracked().values():
        by_type[node.type.name].append(node)
    for name, items in by_type.items():
        items.sort(key=claim_order if name == "claim" else sort_key)
    return KnowledgeBase(nodes, by_type)
