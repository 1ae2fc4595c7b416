"""The claims explorer (``views/claims.html``): every claim in one table, filtered by facet.

The page is a real HTML ``<table>``, one row per claim, rendered by ``templates/view-claims.md.j2``
from what this module computes: readable, printable and linkable with JavaScript off. With it on,
DataTables (vendored in ``docs/assets/vendor/datatables.net``, pinned by ``scripts/vendor_assets.py``)
enhances that table in place: ordering by any column, paging, free-text search; and
``docs/assets/explorer.js`` connects the page's filter form (one ``<select>`` per facet and a text
box) to it and to the address, so that a filtered view can be linked
(``views/claims.html?source=javaid-strategic-partnership&kind=figure&text=trade``). DataTables because
it is the long-kept (since 2008), MIT-licensed library built to enhance an existing table, with
ordering by keyboard and ARIA sort states, and since 3.0 without dependencies.

Nothing here knows today's data: the facets' options are the sources, claim kinds (the vocabulary's
terms, in its order), statuses (``status.ORDER``), questions, sectors and records that claims
actually use. Each row carries its facets' values as ``data-*`` attributes (ids, space-separated),
which is what the filters match; the free text matches the text of the cells: name, source, kind,
status, questions, sectors, records, figure, paraphrase and excerpt, read as the search box reads a
query (``docs/assets/search/text.js``: each word starts a word of the row, accents aside; an amount
matches any spelling of its scale, "$1 billion" = "1bn" = "1,000,000,000").

**Withdrawn claims** (``retracted``) are rows too, marked "Withdrawn" in the status column and with
the class ``kb-withdrawn``; the explorer hides them unless "Include withdrawn claims" is ticked
(``withdrawn=1`` in the address). With JavaScript off they show, marked.

**Weight.** The page carries every claim, so it grows with the data: about 1.35 kB of HTML per
claim of the real data (1.35 MB per 1,000 such claims), 0.87 MB per 1,000 claims of the synthetic
dataset of ``scripts/benchmark.py`` (shorter texts). With 10,000 synthetic claims the page is 8.3 MB;
from file://, in Debian's chromium on the busy 2-core machine, it was ready in 8 to 9 s, and a filter,
a search or a sort took under a second (JavaScript heap 92 MB). That holds because no row is laid out
until DataTables has paged the table (``explorer.css``, ``explorer.js``). With JavaScript off the
browser lays every row out, which is slow beyond a few thousand claims. The page is left out of the
search index (every claim has its own page there), and its scripts load on this page only. Every
claim edit renders it again: about 0.7 s per 1,000 claims for the template and 2 s for the Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import KnowledgeBase, Node, sort_key
from .registry import BY_NAME
from .schema import Claim, vocabulary_of
from .status import LABELS, ORDER

WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Option:
    value: str  # what the address and the rows' data-* attributes carry: an id
    text: str
    group: str = ""  # an <optgroup> label, for the records a claim is about
    former: str = ""  # the record's former ids, space-separated: an address naming one still selects it


@dataclass(frozen=True)
class Facet:
    param: str  # the address's parameter, the row's data-* attribute, the select's name
    label: str  # the select's visible label
    everything: str  # the first option, no filter: "All sources"
    options: tuple[Option, ...]


@dataclass
class Row:
    claim: Node
    source: Node
    kind: str  # the kind's term name
    statuses: list[tuple[str, Node | None]]  # (status, the question that has it); empty when withdrawn
    questions: list[Node]
    sectors: list[Node]
    about: list[Node]
    figure_order: str  # the figure's rank by unit, then value, for ordering by the figure column ("" for none)
    status_order: int  # the most serious status first (ORDER), withdrawn last
    facets: dict[str, str] = field(default_factory=dict)  # param → space-separated ids

    @property
    def withdrawn(self) -> bool:
        return self.claim.record.retracted is not None


def source_short(kb: KnowledgeBase, source: Node) -> str:
    """'Javaid', 'The op-ed': how explanations name a source, as a label."""
    return kb.source_names()[source.id].label


def rows(kb: KnowledgeBase) -> list[Row]:
    """Every claim, withdrawn ones included (marked), in the claims index's order."""
    vocabulary = vocabulary_of(Claim, "kind")
    out = []
    for claim in kb.all("claim"):
        record = claim.record
        statuses = [(st.status, q) for q, st in kb.claim_statuses(claim)]
        if not statuses and record.retracted is None:
            statuses = [("single-source", None)]
        row = Row(
            claim=claim,
            source=kb.nodes[record.source],
            kind=kb.term(vocabulary, record.kind).name if vocabulary else record.kind,
            statuses=statuses,
            questions=[kb.nodes[q] for q in record.questions],
            sectors=[kb.nodes[s] for s in record.sectors],
            about=[kb.nodes[a] for a in record.about],
            figure_order="",
            status_order=min((ORDER.index(s) for s, _ in statuses), default=len(ORDER)),
        )
        row.facets = {
            "source": record.source,
            "kind": record.kind,
            "status": " ".join(dict.fromkeys(s for s, _ in statuses)),
            "question": " ".join(record.questions),
            "sector": " ".join(record.sectors),
            "about": " ".join(record.about),
        }
        out.append(row)
    ranks = {key: str(rank) for rank, key in enumerate(sorted({_figure_key(row) for row in out if row.claim.record.value is not None}))}
    for row in out:
        if row.claim.record.value is not None:
            row.figure_order = ranks[_figure_key(row)]
    return out


def _figure_key(row: Row) -> tuple[str, float]:
    """How the figure column orders a figure: by its unit (case folded), then by value, so that 2
    years and 2 buses do not sit together between the dollar amounts (the unit is what the source
    counts in: the data's ``unit``, "" for none)."""
    record = row.claim.record
    return ((record.unit or "").casefold(), float(record.value))


def facets(kb: KnowledgeBase, table: list[Row]) -> list[Facet]:
    """The filters, each with the values the claims use (in the data's order, or by name)."""
    used: dict[str, set[str]] = {}
    for row in table:
        for param, ids in row.facets.items():
            used.setdefault(param, set()).update(ids.split())
    vocabulary = vocabulary_of(Claim, "kind")
    kinds = kb.vocabularies().get(vocabulary, []) if vocabulary else []

    def nodes(type_name: str, param: str) -> tuple[Option, ...]:
        return tuple(Option(n.id, n.name, former=" ".join(n.record.former_ids))
                     for n in kb.all(type_name) if n.id in used.get(param, ()))

    about = sorted((kb.nodes[i] for i in used.get("about", ())), key=sort_key)
    return [
        Facet("source", "Source", "All sources", tuple(
            Option(s.id, f"{source_short(kb, s)}: {s.name}", former=" ".join(s.record.former_ids))
            for s in kb.all("source") if s.id in used.get("source", ())
        )),
        Facet("kind", "Kind", "All kinds", tuple(
            Option(t.id, t.name) for t in kinds if t.id in used.get("kind", ())
        )),
        Facet("status", "Status", "All statuses", tuple(
            Option(s, LABELS[s]) for s in ORDER if s in used.get("status", ())
        )),
        Facet("question", "Question", "All questions, and none", nodes("question", "question")),
        Facet("sector", "Sector", "All sectors, and none", nodes("sector", "sector")),
        Facet("about", "About", "Any record", tuple(
            Option(n.id, n.name, BY_NAME[n.type.name].title, " ".join(n.record.former_ids)) for n in about
        )),
    ]



def _most(values: list[str]) -> str:
    """The most frequent value (ties: the greatest, so the choice does not depend on order)."""
    count: dict[str, int] = {}
    for v in values:
        count[v] = count.get(v, 0) + 1
    return max(count, key=lambda v: (count[v], v))


def example(kb: KnowledgeBase, table: list[Row]) -> tuple[str, str] | None:
    """A filtered view to show how links work, chosen from the data: the claims with a value, of
    their most common kind, from the source that gives most of them, in the sector most of those
    are tagged with ("Javaid's figures on trade and investment"). (words, query string) or None."""
    valued = [r for r in table if not r.withdrawn and r.claim.record.value is not None]
    if not valued:
        return None
    kind = _most([r.claim.record.kind for r in valued])
    source = kb.nodes[_most([r.source.id for r in valued if r.claim.record.kind == kind])]
    chosen = [r for r in valued if r.claim.record.kind == kind and r.source is source]
    name = next(r.kind for r in chosen)
    words = f"{source_short(kb, source)}'s {name[:1].lower()}{name[1:]}s"
    query = f"source={source.id}&kind={kind}"
    sectors = [s.id for r in chosen for s in r.sectors]
    if sectors:
        sector = kb.nodes[_most(sectors)]
        words += f" on {sector.name[:1].lower()}{sector.name[1:]}"
        query += f"&sector={sector.id}"
    return words, query
