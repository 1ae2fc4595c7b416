"""Data out: the whole dataset as JSON and CSV files, and each record as schema.org JSON-LD.

``data_files(kb)`` returns the files to write under ``docs/`` (path → text):

* ``data/<plural>.json``: a JSON array of the records of one type, each the validated record as
  ``model_dump(mode="json", by_alias=True, exclude_none=True)``: the model's fields in declaration
  order (``id`` first), defaults included, unset optional values left out;
* ``data/<plural>.csv``: one row per record, one column per model field (declaration order, the
  field's alias as header, e.g. a leg's ``from``), then one per computed field. Lists of plain values are joined with ``"; "``;
  nested objects and lists of objects (aliases, roles, legs, qualifiers, when) are compact JSON
  (as in the JSON files: unset values left out); an absent value or an empty list is an empty
  cell. UTF-8 with a byte-order mark (``CSV_BOM``: Excel, the spreadsheet most analysts open a
  CSV in, reads a file without one in the system's legacy code page, so "Mövenpick" and every
  dash and curly quote come out garbled; Python reads it with ``encoding="utf-8-sig"``, pandas and
  LibreOffice skip it), a header row, RFC 4180 quoting and CRLF line ends (the ``csv`` module's
  defaults). A text cell a spreadsheet could read
  as a formula is written with a leading ``'`` (see ``spreadsheet_text``); number columns (``value``,
  ``lat``, ``lon`` ...) are numbers as they are, a minus sign included;
* ``data/knowledge-base.json``: everything in one file, ``{"$schema", "generated_from", "counts",
  "<plural>": [...], ...}``, types in registry order, records in ``kb.all(type)`` order;
* ``data/knowledge-base.schema.json``: its JSON Schema (draft 2020-12), built from the pydantic
  models: each type's model under ``$defs`` (with the models it nests), each plural an array of
  ``$ref`` to it.

**Computed fields.** The JSON exports (both the per-type file and the combined one) also carry
values the build computes rather than reads from the YAML, appended after the record's own fields
and marked ``readOnly`` in the schema: editing them in the export changes nothing. They are listed
in ``COMPUTED``: each question's ``status`` (contested, divergent, compatible, corroborated or
single-source, ``kb.status(question).status``, see ``status.py``), its ``status_explanation`` (what
agrees, what differs and who stands alone, in words) and its ``answer_groups`` (each answer with
the sources and claims giving it, the largest side first), and each claim's ``statuses`` (question
id → status, for the questions it answers) and its one ``status`` (the most serious of those;
single-source when it answers none, withdrawn when withdrawn). The CSV files carry them too, as columns after the
model's fields (the groups and statuses as compact JSON).

Everything is generic over ``REGISTRY``: a new record type gets its files with no change here.
Output is deterministic: the same data gives byte-identical files.

``json_ld(kb, node, url_for)`` returns a record's schema.org description as a JSON-LD string safe
to put inside ``<script type="application/ld+json">`` (``<``, ``>`` and ``&`` are written as
``\\u003c``, ``\\u003e``, ``\\u0026``). ``url_for(node)`` gives a record's page URL, relative or
absolute as the caller decides (``page_urls`` makes one); every record is identified by its page
URL + ``#``. Only what the record states is said: unknown values are left out, and no external
URL is invented (no ``sameAs``). The mapping (every record: name, description, alternateName from
aliases, url):

* actor: Person (jobTitle and affiliation from roles, homeLocation = country), Organization
  (organisation; multilateral with additionalType), Corporation (company), Country (state);
  memberOf; organisations' country as location;
* place: City, Country, BodyOfWater by kind, else Place with the kind as additionalType; geo
  (GeoCoordinates, its description the record's coordinates_basis); containedInPlace = country;
* event: Event, additionalType = kind, startDate/endDate, location (the place with geo),
  organizer, attendee (participants), superEvent (part_of), subEvent (its parts), workFeatured
  (the source it publishes), keywords (sectors, as DefinedTerm);
* source: NewsArticle / AnalysisNewsArticle / OpinionNewsArticle / Report by kind; headline when
  the name is the article's own; author (the actor, or a Person by name; none when unsigned);
  datePublished only when the date is stated, not inferred; abstract = covers;
* agreement: CreativeWork, additionalType = kind, creativeWorkStatus, dateCreated,
  sourceOrganization = parties, contributor = signatories, isPartOf / hasPart, keywords;
* claim: Claim, text = paraphrase, citation = Quotation of the excerpt, appearance = the source,
  author = the actors it is attributed to, else the source's author, datePublished of the source
  when stated, about, temporalCoverage from when, keywords;
* question: Question, text = name, suggestedAnswer = its claims as Answer (no acceptedAnswer);
* corridor: Trip (a Thing has no itinerary), additionalType "transport corridor" and the kind,
  itinerary = ItemList of the places in order of first appearance in the legs, subTrip per leg
  (additionalType "<mode> leg" unless unspecified), provider = operators;
* sector: DefinedTerm (the tag as alternateName when it differs);
* a type without a mapping: Thing with additionalType = the type's name.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable


from . import jsontext
from .model import KnowledgeBase, Node, sort_key
from .registry import REGISTRY, RecordType
from .schema import vocabulary_of, with_terms
from .status import MEANING, ORDER

SCHEMA_FILE = "knowledge-base.schema.json"
DATA_DIR = "data"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
LIST_SEPARATOR = "; "


# =========================================================================== data files


@dataclass(frozen=True)
class Computed:
    """A value the build computes for every record of one type, exported as a read-only field."""

    type_name: str
    key: str
    value: Callable[[KnowledgeBase, Node], Any]
    schema: dict[str, Any]


def _answer_groups(kb: KnowledgeBase, node: Node) -> list[dict[str, Any]]:
    return [
        {"answer": g.answer.text, "source_ids": list(g.sources), "claim_ids": list(g.claims)}
        for g in kb.status(node).groups
    ]


_STATUS_WORDS = "; ".join(f"{name}: {MEANING[name]}" for name in ORDER)

COMPUTED: tuple[Computed, ...] = (
    Computed(
        "question",
        "status",
        lambda kb, node: kb.status(node).status,
        {
            "title": "Status",
            "description": "computed from the claims answering the question, not edited: " + _STATUS_WORDS,
            "type": "string",
            "enum": list(ORDER),
            "readOnly": True,
        },
    ),
    Computed(
        "question",
        "status_explanation",
        lambda kb, node: kb.status(node).explanation,
        {
            "title": "Status explained",
            "description": "what agrees, what differs and which source stands alone, in words (computed)",
            "type": "string",
            "readOnly": True,
        },
    ),
    Computed(
        "question",
        "answer_groups",
        _answer_groups,
        {
            "title": "Answers grouped",
            "description": "the sources' answers, equal answers together, the side with most sources "
            "first (computed): the answer as shown, the sources giving it, their claims",
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "answer": {"type": "string"},
                    "source_ids": {"type": "array", "items": {"type": "string"}},
                    "claim_ids": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["answer", "source_ids", "claim_ids"],
                "additionalProperties": False,
            },
            "readOnly": True,
        },
    ),
    Computed(
        "claim",
        "statuses",
        lambda kb, node: {q.id: st.status for q, st in kb.claim_statuses(node)},
        {
            "title": "Statuses",
            "description": "the status of each question the claim answers, by question id (computed; "
            "none when it answers no question, being single-source, or is withdrawn, counting in no "
            "status): " + _STATUS_WORDS,
            "type": "object",
            "additionalProperties": {"type": "string", "enum": list(ORDER)},
            "readOnly": True,
        },
    ),
    Computed(
        "claim",
        "status",
        lambda kb, node: _claim_status(kb, node),
        {
            "title": "Status",
            "description": "the claim's one status, as the claims explorer sorts by it (computed): the most "
            "serious among the questions it answers, in the order " + ", ".join(ORDER) + "; single-source "
            "when it answers none; withdrawn when it is withdrawn",
            "type": "string",
            "enum": [*ORDER, "withdrawn"],
            "readOnly": True,
        },
    ),
)


def _claim_status(kb: KnowledgeBase, node: Node) -> str:
    """A claim's one status (``COMPUTED``): the claims explorer shows "Single source" for a claim that
    answers no question, and the downloads had only an empty ``statuses`` (a reader's trial)."""
    if node.record.retracted is not None:
        return "withdrawn"
    statuses = [st.status for _q, st in kb.claim_statuses(node)]
    return min(statuses, key=ORDER.index) if statuses else "single-source"


def _computed(rtype: RecordType) -> list[Computed]:
    out = [c for c in COMPUTED if c.type_name == rtype.name]
    fields = {info.alias or name for name, info in rtype.model.model_fields.items()}
    clash = [c.key for c in out if c.key in fields]
    if clash:
        raise ValueError(f"computed field(s) {clash} of {rtype.name} clash with the model's fields")
    return out


def _dumps(value: Any) -> str:
    return jsontext.dumps(value, indent=1) + "\n"  # json.dumps(value, ensure_ascii=False, indent=1)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _whole(value: Any) -> Any:
    """``value`` with each whole float as an int (a count of 37 is 37 in the JSON, not 37.0, as in
    the CSV: ``_scalar``); numbers are floats in the model (``schema.Number``)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def record_json(kb: KnowledgeBase, node: Node) -> dict[str, Any]:
    """One record as exported to JSON: its validated fields (whole numbers as integers), then its
    computed ones."""
    out = _whole(node.record.model_dump(mode="json", by_alias=True, exclude_none=True))
    for computed in _computed(node.type):
        out[computed.key] = computed.value(kb, node)
    return out


def csv_columns(rtype: RecordType) -> list[str]:
    """The CSV header of a type: its model's fields in declaration order, by alias, then its
    computed fields."""
    fields = [info.alias or name for name, info in rtype.model.model_fields.items()]
    return fields + [c.key for c in _computed(rtype)]


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` → X; ``X | None`` → X."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _joinable(annotation: Any) -> bool:
    """Whether a field is a list of plain values (joined with '; ' in CSV) rather than of objects."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is not list:
        return False
    (item,) = typing.get_args(annotation) or (Any,)
    item = _unwrap(item)
    return item in (str, int, float, bool)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(_whole(value))
    return str(value)


def _cell(value: Any, joinable: bool) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, list):
        # A separator inside an item would make the joined cell ambiguous: then the cell is JSON.
        if joinable and not any(LIST_SEPARATOR.strip() in _scalar(v) for v in value):
            return LIST_SEPARATOR.join(_scalar(v) for v in value)
        return _compact(value)
    if isinstance(value, dict):
        return _compact(value)
    return _scalar(value)


# What makes a spreadsheet (LibreOffice Calc, Excel, Google Sheets) read a cell as a formula or a
# command: its first character, after any leading whitespace, in its compatibility forms too
# (fullwidth U+FF1D '＝', small U+FE66 '﹦' ... are the same character after NFKC).
FORMULA_START = frozenset("=+-@")
TEXT_MARK = "'"


def spreadsheet_text(text: str) -> str:
    """A text cell written so that a spreadsheet shows it as text, never runs it as a formula.

    The cell gets a leading ``'`` when it starts with ``=``, ``+``, ``-`` or ``@`` (or a character
    NFKC-equivalent to one, such as the fullwidth ``＝``), possibly after whitespace; when it starts
    with whitespace or an invisible or control character (tab, carriage return, zero-width space,
    bidi mark); and when it starts with ``'`` itself, so that the rule inverts exactly: a text cell
    that starts with ``'`` had one added (``from_spreadsheet_text``). Other text is unchanged.
    """
    if not text:
        return text
    first = text[0]
    head = unicodedata.normalize("NFKC", text.lstrip()[:1])
    if first == TEXT_MARK or first.isspace() or not first.isprintable() or head[:1] in FORMULA_START:
        return TEXT_MARK + text
    return text


def from_spreadsheet_text(cell: str) -> str:
    """The text a CSV text cell stands for: ``spreadsheet_text`` undone."""
    return cell[1:] if cell.startswith(TEXT_MARK) else cell


def _numeric(annotation: Any) -> bool:
    """Whether a field holds a number (its CSV cell is a number, never neutralised)."""
    return _unwrap(annotation) in (int, float)


CSV_BOM = "\ufeff"  # U+FEFF, written first in every CSV file (see the module's docstring)


def records_csv(kb: KnowledgeBase, rtype: RecordType) -> str:
    """The CSV file of one record type (as the module's docstring describes), as text that starts
    with ``CSV_BOM``."""
    fields = rtype.model.model_fields
    columns = csv_columns(rtype)
    joinable = [_joinable(info.annotation) for info in fields.values()]
    numeric = [_numeric(info.annotation) for info in fields.values()]
    joinable += [False] * (len(columns) - len(joinable))  # computed: text, or compact JSON
    numeric += [False] * (len(columns) - len(numeric))
    buffer = io.StringIO(newline="")
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer)  # excel dialect: RFC 4180 quoting, CRLF
    writer.writerow(columns)
    for node in kb.all(rtype.name):
        row = record_json(kb, node)
        cells = [_cell(row.get(col), j) for col, j in zip(columns, joinable)]
        writer.writerow([cell if number else spreadsheet_text(cell) for cell, number in zip(cells, numeric)])
    return buffer.getvalue()


def _def_name(rtype: RecordType) -> str:
    return rtype.model.__name__


def _merge_defs(defs: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if name in defs and defs[name] != schema:
        raise ValueError(f"two different models are both called '{name}' in the export schema")
    defs[name] = schema


def export_schema(title: str = "Knowledge base export", terms: dict[str, list[tuple[str, str]]] | None = None) -> dict[str, Any]:
    """The JSON Schema of ``knowledge-base.json`` (draft 2020-12), from the pydantic models; a
    vocabulary field lists its terms (``terms``: vocabulary id → [(term id, name)]) as an enum."""
    defs: dict[str, Any] = {}
    for rtype in REGISTRY:
        record = rtype.model.model_json_schema(by_alias=True)
        with_terms(record, terms or {})
        for name, sub in record.pop("$defs", {}).items():
            _merge_defs(defs, name, sub)
        for computed in _computed(rtype):
            record.setdefault("properties", {})[computed.key] = computed.schema
            record.setdefault("required", []).append(computed.key)
        _merge_defs(defs, _def_name(rtype), record)
    plurals = [t.plural for t in REGISTRY]
    properties: dict[str, Any] = {
        "$schema": {"type": "string", "description": "this schema, relative to the data file"},
        "generated_from": {"type": "string"},
        "counts": {
            "type": "object",
            "description": "the number of records of each type",
            "properties": {p: {"type": "integer", "minimum": 0} for p in plurals},
            "required": plurals,
            "additionalProperties": False,
        },
    }
    for rtype in REGISTRY:
        properties[rtype.plural] = {
            "description": rtype.summary,
            "type": "array",
            "items": {"$ref": f"#/$defs/{_def_name(rtype)}"},
        }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": title,
        "description": "Every record of the knowledge base, by type. Fields marked readOnly are "
        "computed by the build, not read from the data.",
        "type": "object",
        "properties": properties,
        "required": ["generated_from", "counts", *plurals],
        "additionalProperties": False,
        "$defs": defs,
    }


def data_files(kb: KnowledgeBase, schema_ref: str = SCHEMA_FILE) -> dict[str, str]:
    """The export files, as {path under docs/: text}; see the module's docstring."""
    files: dict[str, str] = {}
    combined: dict[str, Any] = {
        "$schema": schema_ref,
        "generated_from": "data/ (YAML)",
        "counts": {t.plural: len(kb.all(t.name)) for t in REGISTRY},
    }
    for rtype in REGISTRY:
        records = [record_json(kb, node) for node in kb.all(rtype.name)]
        combined[rtype.plural] = records
        files[f"{DATA_DIR}/{rtype.plural}.json"] = _dumps(records)
        files[f"{DATA_DIR}/{rtype.plural}.csv"] = records_csv(kb, rtype)
    files[f"{DATA_DIR}/knowledge-base.json"] = _dumps(combined)
    terms = {name: [(t.id, t.name) for t in terms] for name, terms in kb.vocabularies().items()}
    files[f"{DATA_DIR}/{SCHEMA_FILE}"] = _dumps(export_schema(terms=terms))
    return files


# =========================================================================== JSON-LD

CONTEXT = "https://schema.org"

# @type by record type, and by kind where the kind decides it; anything else is a Thing.
TYPE_BY_RECORD = {
    "event": "Event",
    "place": "Place",
    "source": "CreativeWork",
    "agreement": "CreativeWork",
    "claim": "Claim",
    "corridor": "Trip",  # a Thing cannot have an itinerary; a Trip can, and a provider
    "question": "Question",
    "sector": "DefinedTerm",
}
CORRIDOR_TYPE = "transport corridor"

UrlFor = Callable[[Node], str]


def page_urls(base: str = "") -> UrlFor:
    """A ``url_for`` giving each record's built page (use_directory_urls: false) under ``base``:
    ``page_urls("https://example.org/")(actor)`` → ``https://example.org/actors/x.html``; with
    ``base="../"`` the URL is relative to a page one folder down, such as another record's page."""

    def url_for(node: Node) -> str:
        return base + node.url

    return url_for


def kind_term(kb: KnowledgeBase, node: Node) -> Any:
    """The vocabulary term of a record's ``kind`` (data/vocabularies/), or None for a type whose
    kind is not a vocabulary field."""
    vocabulary = vocabulary_of(node.type.model, "kind")
    kind = getattr(node.record, "kind", None)
    return kb.term(vocabulary, kind) if vocabulary and isinstance(kind, str) else None


def schema_type(kb: KnowledgeBase, node: Node) -> str:
    """The schema.org @type of a record: its kind's ``schema_org`` in the vocabulary, else by record type."""
    term = kind_term(kb, node)
    if term is not None and term.schema_org:
        return term.schema_org
    return TYPE_BY_RECORD.get(node.type.name, "Thing")


def kind_words(kb: KnowledgeBase, node: Node) -> str:
    """A record's kind in words for additionalType: its term's name ('memorandum of understanding')."""
    term = kind_term(kb, node)
    name = term.name if term is not None else str(node.record.kind)
    return name[:1].lower() + name[1:]


def _kind_shares_its_type(kb: KnowledgeBase, node: Node) -> bool:
    """True when another term of the kind's vocabulary has the same schema.org type, so the @type
    alone does not tell the kind (an organisation and a multilateral body are both Organization)."""
    term = kind_term(kb, node)
    if term is None or not term.schema_org:
        return term is not None
    vocabulary = vocabulary_of(node.type.model, "kind")
    return sum(t.schema_org == term.schema_org for t in kb.nodes[vocabulary].record.terms) > 1


def _unique(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def script_safe(text: str) -> str:
    """JSON text made safe inside an HTML <script> element; still the same JSON.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where their \\u escapes mean the
    same characters, so ``</script>`` or ``<!--`` in a value cannot end or disturb the element."""
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _LinkedData:
    def __init__(self, kb: KnowledgeBase, url_for: UrlFor) -> None:
        self.kb = kb
        self.url_for = url_for

    # ------------------------------------------------------------------ references

    def id_of(self, node: Node) -> str:
        return self.url_for(node) + "#"

    def ref(self, target: Node | str | None) -> dict[str, Any] | None:
        """A short description of another record: its @type, @id and name."""
        node = self.kb.get(target) if isinstance(target, str) else target
        if node is None:
            return None
        return {"@type": schema_type(self.kb, node), "@id": self.id_of(node), "name": node.name}

    def refs(self, targets: list[Node | str]) -> list[dict[str, Any]]:
        return [r for r in (self.ref(t) for t in _unique(list(targets))) if r is not None]

    def place_ref(self, target: Node | str | None) -> dict[str, Any] | None:
        """A reference to a place (or a state) with its coordinates, where it has any."""
        out = self.ref(target)
        if out is not None:
            node = self.kb.get(target) if isinstance(target, str) else target
            geo = self.geo(node)
            if geo:
                out["geo"] = geo
        return out

    @staticmethod
    def geo(node: Node) -> dict[str, Any] | None:
        record = node.record
        lat, lon = getattr(record, "lat", None), getattr(record, "lon", None)
        if lat is None or lon is None:
            return None
        out: dict[str, Any] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
        basis = getattr(record, "coordinates_basis", None)
        if basis:
            out["description"] = f"Coordinates: {basis}"
        return out

    def item_list(self, targets: list[str]) -> dict[str, Any]:
        items = []
        for position, target in enumerate(_unique(targets), start=1):
            ref = self.place_ref(target)
            if ref is not None:
                items.append({"@type": "ListItem", "position": position, "item": ref})
        return {"@type": "ItemList", "itemListOrder": "https://schema.org/ItemListOrderAscending",
                "numberOfItems": len(items), "itemListElement": items}

    def backlinks(self, node: Node, type_name: str, label: str) -> list[Node]:
        return sorted(self.kb.backlinks(node, type_name, label), key=sort_key)

    # ------------------------------------------------------------------ records

    def describe(self, node: Node) -> dict[str, Any]:
        record = node.record
        out: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": schema_type(self.kb, node),
            "@id": self.id_of(node),
            "url": self.url_for(node),
            "name": record.name,
        }
        if getattr(record, "description", None):
            out["description"] = record.description
        aliases = _unique([a.name for a in getattr(record, "aliases", None) or [] if a.name != record.name])
        if aliases:
            out["alternateName"] = aliases
        extra = getattr(self, f"_{node.type.name}", None)
        if extra is None:
            out["additionalType"] = node.type.name
        else:
            extra(node, out)
        return {k: v for k, v in out.items() if v not in (None, [], {})}

    def _actor(self, node: Node, out: dict[str, Any]) -> None:
        record = node.record
        if _kind_shares_its_type(self.kb, node):
            out["additionalType"] = kind_words(self.kb, node)
        country = self.place_ref(record.country)
        if record.kind == "person":
            out["jobTitle"] = _unique([role.title for role in record.roles])
            out["affiliation"] = self.refs([r.organisation for r in record.roles if r.organisation])
            out["homeLocation"] = country
        elif record.kind == "state":
            out["containedInPlace"] = country
        else:
            out["location"] = country
        out["memberOf"] = self.refs(record.member_of)

    def _place(self, node: Node, out: dict[str, Any]) -> None:
        record = node.record
        if not kind_term(self.kb, node).schema_org:
            out["additionalType"] = kind_words(self.kb, node)
        out["geo"] = self.geo(node)
        out["containedInPlace"] = self.ref(record.country)

    def _event(self, node: Node, out: dict[str, Any]) -> None:
        record = node.record
        out["additionalType"] = kind_words(self.kb, node)
        out["startDate"] = record.start
        out["endDate"] = record.end
        out["location"] = self.place_ref(record.place)
        out["organizer"] = self.refs(record.organisers)
        out["attendee"] = self.refs(record.participants)
        out["superEvent"] = self.ref(record.part_of)
        out["subEvent"] = self.refs(self.backlinks(node, "event", "Parts"))
        out["workFeatured"] = self.ref(record.publishes)
        out["keywords"] = self.refs(record.sectors)

    def source_ref(self, source: Node) -> dict[str, Any]:
        """A source as a CreativeWork: type by kind, headline when it is the article's own,
        author when signed, datePublished when the date is stated (not inferred)."""
        record = source.record
        out = self.ref(source) or {}
        if record.title_given:
            out["headline"] = record.name
        author = self.source_author(source)
        if author:
            out["author"] = author
        if record.date and record.date_basis == "stated":
            out["datePublished"] = record.date
        return out

    def source_author(self, source: Node) -> dict[str, Any] | None:
        record = source.record
        if record.author_actor:
            return self.ref(record.author_actor)
        if record.author:
            return {"@type": "Person", "name": record.author}
        return None

    def _source(self, node: Node, out: dict[str, Any]) -> None:
        full = self.source_ref(node)
        for key in ("headline", "author", "datePublished"):
            if key in full:
                out[key] = full[key]
        out["abstract"] = node.record.covers

    def _agreement(self, node: Node, out: dict[str, Any]) -> None:
        record = node.record
        out["additionalType"] = kind_words(self.kb, node)
        out["creativeWorkStatus"] = record.status
        out["dateCreated"] = record.date
        out["sourceOrganization"] = self.refs(record.parties)
        out["contributor"] = self.refs(record.signatories)
        out["isPartOf"] = self.ref(record.part_of)
        out["hasPart"] = self.refs(self.backlinks(node, "agreement", "Includes"))
        out["keywords"] = self.refs(record.sectors)

    def _claim(self, node: Node, out: dict[str, Any]) -> None:
        record = node.record
        source = self.kb.get(record.source)
        if source is not None:
            appearance = self.source_ref(source)
            out["appearance"] = appearance
            if record.attributed_to:
                out["author"] = self.refs(record.attributed_to)
            elif "author" in appearance:
                out["author"] = appearance["author"]
            out["datePublished"] = appearance.get("datePublished")
        out["text"] = record.paraphrase
        out["about"] = self.refs(record.about)
        out["citation"] = {"@type": "Quotation", "text": record.excerpt}
        if record.when:
            out["temporalCoverage"] = record.when.start + (f"/{record.when.end}" if record.when.end else "")
        out["keywords"] = self.refs(record.sectors)

    def _question(self, node: Node, out: dict[str, Any]) -> None:
        answers = self.kb.answers(node)
        out["text"] = node.record.name
        out["answerCount"] = len(answers)
        out["suggestedAnswer"] = [
            {
                "@type": "Answer",
                "@id": self.id_of(claim),
                "url": self.url_for(claim),
                "name": claim.name,
                "text": claim.record.paraphrase,
            }
            for claim in answers
        ]

    def _corridor(self, node: Node, out: dict[str, Any]) -> None:
        record = node.record
        out["additionalType"] = [CORRIDOR_TYPE, kind_words(self.kb, node)]
        stops = [end for leg in record.legs for end in (leg.from_, leg.to)]
        if stops:
            out["itinerary"] = self.item_list(stops)
        legs = []
        for leg in record.legs:
            start, end = self.kb.get(leg.from_), self.kb.get(leg.to)
            if start is None or end is None:
                continue
            part: dict[str, Any] = {"@type": "Trip", "name": f"{start.name} – {end.name}"}
            if leg.mode != "unspecified":
                part["additionalType"] = f"{leg.mode} leg"
            part["itinerary"] = self.item_list([leg.from_, leg.to])
            if leg.note:
                part["description"] = leg.note
            legs.append(part)
        out["subTrip"] = legs
        out["provider"] = self.refs(record.operators)

    def _sector(self, node: Node, out: dict[str, Any]) -> None:
        tag = node.record.tag
        if tag and tag != node.record.name and tag not in out.get("alternateName", []):
            out["alternateName"] = [*out.get("alternateName", []), tag]


def json_ld_data(kb: KnowledgeBase, node: Node, url_for: UrlFor) -> dict[str, Any]:
    """The JSON-LD of a record as a dict (see ``json_ld``)."""
    return _LinkedData(kb, url_for).describe(node)


def json_ld(kb: KnowledgeBase, node: Node, url_for: UrlFor) -> str:
    """A record's schema.org JSON-LD, as text safe inside <script type="application/ld+json">."""
    return script_safe(_compact(json_ld_data(kb, node, url_for)))
