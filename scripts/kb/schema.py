"""Record schemas: one pydantic model per record type.

Every model forbids unknown fields and is strict, so a YAML 1.1 guess (``no``
read as a boolean, ``1.10`` read as a number, an unquoted date where text is
expected) is reported instead of silently changing a value.

References to other records are declared on the field with ``Ref``: the target
record types and the name of the reverse relation shown on the target's page.
The model layer (``model.py``) discovers them by introspection, so a new
record type needs no code beyond its schema, its template and one line in
``registry.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from .errors import FieldError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
RESERVED_IDS = frozenset({"index"})


# In a Ref's targets: every record type whose model is an Entity (a sourced record about the world:
# actors, places, agreements, corridors, events, and any such type registered later), so that a
# new type can be what claims are about without an edit here (validate.ref_targets expands it).
ENTITIES = "*entities"


@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to records of the given types (``ENTITIES`` for every type of
    sourced record about the world).

    ``reverse`` names the relation as read from the target's page, e.g. an
    agreement's ``signatories`` field is ``Ref(("actor",), "Signed")``: the
    actor's page lists the agreement under "Signed".
    ``kinds`` optionally restricts targets to records of certain ``kind``s.
    """

    targets: tuple[str, ...]
    reverse: str
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocab:
    """Marks a field whose value is a term of an editorial vocabulary (``data/vocabularies/``):
    ``Annotated[Slug, Vocab("source-kinds")]``. The validator checks the value against the terms of
    the vocabulary with that id, so a new word is a new term in the data, never new code; the
    editor schemas list the terms (``editor_schema.py``)."""

    vocabulary: str


def with_terms(node: object, terms: dict[str, list[tuple[str, str]]], for_editors: bool = False) -> None:
    """Fill in a JSON Schema (in place) the terms of each vocabulary field: ``enum`` (the term ids);
    for editors also the terms' names (``markdownEnumDescriptions``), keeping the ``x-vocabulary``
    mark; otherwise the mark is dropped (strict validators reject unknown keywords)."""
    if isinstance(node, dict):
        name = node.get("x-vocabulary")
        if isinstance(name, str):
            if name in terms:
                node["enum"] = [t for t, _ in terms[name]]
                if for_editors:
                    node["markdownEnumDescriptions"] = [label for _, label in terms[name]]
            if not for_editors:
                del node["x-vocabulary"]
        for value in list(node.values()):
            with_terms(value, terms, for_editors)
    elif isinstance(node, list):
        for value in node:
            with_terms(value, terms, for_editors)


def vocabulary_of(model: type[BaseModel], field: str) -> str | None:
    """The vocabulary a model's field takes its terms from, or None."""
    info = model.model_fields.get(field)
    marker = next((m for m in info.metadata if isinstance(m, Vocab)), None) if info else None
    return marker.vocabulary if marker else None


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_control_characters(value: str) -> str:
    """A text holds no control character (Unicode Cc) other than tab and line ends. YAML's reader
    refuses them typed into a file, but a double-quoted escape (``"\\x01"``, ``"\\0"``, ``"\\e"``)
    makes one: a page shows nothing for it, and in a drawing's title it makes the SVG ill-formed
    XML (XML 1.0 allows none of C0 but tab and line ends), so the drawing does not show at all. It
    also keeps two characters free for the renderer's own link marks (``render.LINK_MARK`` and
    ``render.FOLDER_END``)."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(
            f"a control character, U+{ord(found[0]):04X}, at character {found.start() + 1}: not allowed in "
            "a text (a page cannot show it and it breaks the drawings); remove the escape that wrote it"
        )
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_no_control_characters)]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _partial_date(value: object) -> object:
    """Accept a date (YAML's unquoted 2026-02-04) or a text YYYY, YYYY-MM, YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time is expected (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError("a date is expected as YYYY, YYYY-MM or YYYY-MM-DD")
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(f"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real calendar date ({exc})") from None
    return value


PartialDate = Annotated[str, BeforeValidator(_partial_date)]


def _number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("a number is expected (write 1000000, not '1 million')")
    return value


Number = Annotated[float, BeforeValidator(_number)]


class Retraction(BaseModel):
    """Why and when a record was withdrawn. A retracted record keeps its page and every published
    anchor, shown as withdrawn with the reason; it no longer counts anywhere (statuses, counts,
    timeline, briefing), and the downloads mark it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    date: PartialDate
    reason: Text


class Record(BaseModel):
    """Fields every record type has."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    # Fields whose mapping's keys are ids of records of these types (a claim's `answer`, by
    # question): references that ``Ref`` cannot mark, which ``rename`` changes too.
    key_refs: ClassVar[dict[str, tuple[str, ...]]] = {}

    id: Slug
    name: Text
    description: Text | None = None
    former_ids: list[Slug] = Field(
        default_factory=list,
        description="ids this record had before (its URL is its id): the build keeps a redirect "
        "from each old URL to the new one, so links in briefings keep working",
    )
    retracted: Retraction | None = Field(
        None,
        description="withdraws the record (a claim that proved wrong, a record made in error): its page "
        "and anchors stay, marked as withdrawn with the reason, and it leaves statuses, counts, the "
        "timeline and the briefing; a source's claims are withdrawn with it. Never delete a published "
        "record: retract it.",
    )

    @model_validator(mode="after")
    def _not_reserved(self) -> "Record":
        # <type>/index.html is the type's index page: no record may take that address.
        if self.id in RESERVED_IDS:
            raise FieldError("id", f"'{self.id}' is reserved for the index page; choose another id")
        for i, old in enumerate(self.former_ids):
            if old in RESERVED_IDS:
                raise FieldError(f"former_ids.{i}", f"'{old}' is reserved for the index page")
        return self


class Alias(BaseModel):
    """Another name under which a source refers to the record, with its citation."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: Text
    source: Annotated[Slug, Ref(("source",), "Names used")]
    excerpt: Text | None = None


class Entity(Record):
    """A record about the world (not a source, claim or question): it must be sourced."""

    aliases: list[Alias] = Field(default_factory=list)
    spellings: list[Text] = Field(
        default_factory=list,
        description="other spellings of the name that no source uses (a transliteration such as Tokaev for "
        "Tokayev): editorial, shown as such on the page, so that search finds the record under them",
    )
    sources: Annotated[list[Slug], Ref(("source",), "Mentions"), Field(min_length=1)]
    notes: Text | None = None


# --------------------------------------------------------------------------- sectors


class Sector(Record):
    """A field of cooperation (energy, transport, education ...): a controlled vocabulary, so that
    agreements, corridors, events and claims are grouped under one spelling and shown as tags."""

    tag: Text | None = Field(
        None, description="the tag shown on pages; defaults to the name"
    )


# --------------------------------------------------------------------------- vocabularies


class Term(BaseModel):
    """One word of a vocabulary: the value used in the data (``id``), how pages name it, what it
    means, and (for kinds that decide a record's schema.org type) that type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Slug
    name: Text
    description: Text | None = None
    schema_org: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z]+$")] | None = Field(
        None, description="the schema.org type of records of this kind (e.g. NewsArticle); without it the record type's"
    )


class Vocabulary(Record):
    """An editorial vocabulary: the terms a field marked ``Vocab(<this id>)`` may take, in the order
    pages list them. Adding a term is an edit to the data, not to the code."""

    terms: Annotated[list[Term], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_terms(self) -> "Vocabulary":
        seen: set[str] = set()
        for i, term in enumerate(self.terms):
            if term.id in seen:
                raise FieldError(f"terms.{i}.id", f"term '{term.id}' is listed twice")
            seen.add(term.id)
        return self


def vocab(name: str, description: str) -> Any:
    """A field whose value is a term of the vocabulary ``name`` (see ``Vocab``)."""
    return Field(description=f"{description}: a term of the vocabulary '{name}' (data/vocabularies/)",
                 json_schema_extra={"x-vocabulary": name})


SectorRefs = Annotated[list[Slug], Ref(("sector",), "In this sector")]


# --------------------------------------------------------------------------- sources


class Source(Record):
    """One of the sources the knowledge base is compiled from (an article, a transcript, a
    statement): its bibliographic facts, and the text file its claims' excerpts are checked against
    (``file``, in the sources folder set by ``extra.sources_dir`` in mkdocs.yml; ``text_partial``
    when that text is an extract)."""

    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+\.txt$")] = Field(
        description="the source's text, a file in the sources folder: every excerpt is checked against it"
    )
    text_partial: bool = Field(False, description="true when the text file holds only part of the source")
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"\x00-\x1f\x7f-\x9f]+$")] | None = Field(
        None, description="where the article is published, if it is online"
    )
    publisher: Text | None = Field(None, description="the outlet or body that published it; null when the text does not say")
    accessed: PartialDate | None = Field(None, description="when the article was read at its url (YYYY-MM-DD)")
    title_given: bool = Field(
        description="true when `name` is the article's own headline, false when it is ours"
    )
    author: Text | None = Field(None, description="as printed; null when unsigned")
    short_name: Annotated[str, StringConstraints(pattern=r"^\S(.*\S)?$", max_length=40)] | None = Field(
        None,
        description=(
            "how the site names the source in its explanations and tables, lower case within a sentence "
            "('the ISSI report'); by default its author's surname ('Goulard'), else its kind ('the op-ed'). "
            "Give one where the author's name would hide what the source is (a conference report that "
            "reports its speakers)"
        ),
    )
    author_actor: Annotated[Slug | None, Ref(("actor",), "Wrote")] = None
    date: PartialDate | None = None
    date_basis: Literal["stated", "inferred", "unknown"]
    date_note: Text | None = None
    kind: Annotated[Slug, Vocab("source-kinds")] = vocab("source-kinds", "what kind of publication it is")
    perspective: Text
    covers: Text

    @model_validator(mode="after")
    def _date_consistent(self) -> "Source":
        if self.date_basis == "unknown" and self.date is not None:
            raise FieldError("date", "date_basis is 'unknown' but a date is given")
        if self.date_basis != "unknown" and self.date is None:
            raise FieldError("date", f"date_basis is '{self.date_basis}' but no date is given")
        if self.date_basis == "inferred" and not self.date_note:
            raise FieldError("date_note", "an inferred date needs date_note giving the reason")
        return self


# --------------------------------------------------------------------------- actors


class Role(BaseModel):
    """A position or affiliation, as a source states it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: Text
    organisation: Annotated[Slug | None, Ref(("actor",), "People")] = None
    source: Annotated[Slug, Ref(("source",), "Roles stated")]
    excerpt: Text | None = None


class Actor(Entity):
    kind: Annotated[Slug, Vocab("actor-kinds")] = vocab("actor-kinds", "who or what the actor is")
    country: Annotated[Slug | None, Ref(("actor",), "Based here", kinds=("state",))] = None
    roles: list[Role] = Field(default_factory=list)
    member_of: Annotated[list[Slug], Ref(("actor",), "Members")] = Field(default_factory=list)


# --------------------------------------------------------------------------- places


class Place(Entity):
    kind: Annotated[Slug, Vocab("place-kinds")] = vocab("place-kinds", "what the place is")
    country: Annotated[Slug | None, Ref(("actor",), "Places", kinds=("state",))] = None
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    coordinates_basis: Text = Field(
        "approximate; editorial gazetteer value, not stated in the sources",
    )
    # A waypoint is the editors' choice of drawing, not a fact of the sources, so it may have none.
    sources: Annotated[list[Slug], Ref(("source",), "Mentions")] = Field(
        default_factory=list,
        description="the sources that mention the place; at least one, except for an editorial waypoint",
    )
    waypoint: bool = Field(
        False, description="true for an editorial waypoint: a point corridor legs are drawn through or at "
        "(a capital or border crossing on the way, a port, a passage at sea), chosen by the editors and "
        "named by no source; it needs no source, and is drawn on maps only as a point on a leg",
    )
    route_point: Annotated[Slug | None, Ref(("place",), "Route point of")] = Field(
        None, description="for a country: the place where corridor legs that start or end in it are drawn, "
        "a representative point on the way (a capital, a border crossing) instead of the country's centre; "
        "editorial, like the coordinates",
    )

    @model_validator(mode="after")
    def _sourced(self) -> "Place":
        if not self.sources and not self.waypoint:
            raise FieldError("sources", "a place needs at least one source, unless it is an editorial waypoint (waypoint: true)")
        return self


# --------------------------------------------------------------------------- agreements


class Agreement(Entity):
    kind: Annotated[Slug, Vocab("agreement-kinds")] = vocab("agreement-kinds", "what kind of agreement")
    status: Annotated[Slug, Vocab("agreement-statuses")] = Field(
        "signed", description="how far it has got: a term of the vocabulary 'agreement-statuses' (data/vocabularies/)",
        json_schema_extra={"x-vocabulary": "agreement-statuses"},
    )
    background: bool = Field(
        False, description="true for an agreement from before the visit, given as context: it is not "
        "listed among what the visit produced (home page, briefing)",
    )
    parties: Annotated[list[Slug], Ref(("actor",), "Party to")] = Field(default_factory=list)
    signatories: Annotated[list[Slug], Ref(("actor",), "Signed")] = Field(default_factory=list)
    date: PartialDate | None = None
    date_note: Text | None = None
    sectors: SectorRefs = Field(default_factory=list)
    event: Annotated[Slug | None, Ref(("event",), "Agreements")] = None
    part_of: Annotated[Slug | None, Ref(("agreement",), "Includes")] = None
    value_claims: Annotated[list[Slug], Ref(("claim",), "States the value of")] = Field(
        default_factory=list
    )


# --------------------------------------------------------------------------- corridors

Mode = Literal["rail", "road", "sea", "air", "multimodal", "unspecified"]


class Leg(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    from_: Annotated[
        Slug, Ref(("place", "actor"), "Corridor legs", kinds=("state",)), Field(alias="from")
    ]
    to: Annotated[Slug, Ref(("place", "actor"), "Corridor legs", kinds=("state",))]
    mode: Mode
    note: Text | None = None
    # None rather than [] when absent, so that the downloads' legs stay as they were without one.
    via: Annotated[list[Slug] | None, Ref(("place",), "Corridor legs drawn through")] = Field(
        None,
        description="places the leg is drawn through on maps, in order from `from` to `to`: editorial "
        "waypoints (a port, passages at sea for a sea leg), not stops the sources state",
    )


class Corridor(Entity):
    kind: Annotated[Slug, Vocab("corridor-kinds")] = vocab("corridor-kinds", "what kind of corridor")
    status: Annotated[Slug, Vocab("corridor-statuses")] = vocab("corridor-statuses", "how far it has got")
    legs: list[Leg] = Field(default_factory=list)
    operators: Annotated[list[Slug], Ref(("actor",), "Operates")] = Field(default_factory=list)
    sectors: SectorRefs = Field(default_factory=list)


# --------------------------------------------------------------------------- events


class Event(Entity):
    kind: Annotated[Slug, Vocab("event-kinds")] = vocab("event-kinds", "what kind of event")
    background: bool = Field(
        False, description="true for an event from before the visit, given as context (a treaty, an "
        "earlier visit): it is on the timeline but not among what the visit produced",
    )
    subject: bool = Field(
        False, description="true for the one event this knowledge base is about (the visit): the home "
        "page and the briefing open with it, whatever its id; at most one event not withdrawn",
    )
    start: PartialDate | None = None
    end: PartialDate | None = None
    date_note: Text | None = None
    place: Annotated[Slug | None, Ref(("place",), "Events here")] = None
    participants: Annotated[list[Slug], Ref(("actor",), "Took part in")] = Field(
        default_factory=list
    )
    organisers: Annotated[list[Slug], Ref(("actor",), "Organised")] = Field(default_factory=list)
    part_of: Annotated[Slug | None, Ref(("event",), "Parts")] = None
    publishes: Annotated[Slug | None, Ref(("source",), "Publication")] = None
    sectors: SectorRefs = Field(default_factory=list)

    @model_validator(mode="after")
    def _range(self) -> "Event":
        if self.end and not self.start:
            raise FieldError("start", "an end date needs a start date")
        if self.start and self.end and date_sort_key(self.end) < date_sort_key(self.start):
            raise FieldError("end", f"end {self.end} is before start {self.start}")
        if not self.start and not self.date_note:
            raise FieldError("date_note", "an event without a date needs date_note saying what is known of it")
        return self


def date_sort_key(partial: str) -> tuple[int, int, int]:
    parts = [int(p) for p in partial.split("-")]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


# --------------------------------------------------------------------------- questions


class Question(Record):
    """A question several claims answer, so their answers can be set side by side.

    The kind decides how a claim answers it and how answers are compared (see ``status.py``): a
    ``figure`` by value and unit (a count is a figure question, kept apart from the ``list`` of what
    is counted); names, dates and characterisations by their ``answer`` words; a ``list`` by its
    ``items``, which complement each other, so different lists are never contested.
    """

    kind: Literal["figure", "name", "date", "characterisation", "list"] = "figure"
    exclusive: bool = Field(
        False,
        description="true when two different answers cannot both hold (a state visit is not an official "
        "visit): different answers with the same qualifiers are then contested. Otherwise differently "
        "worded answers are only contested where a claim records it with `contradicts`. For name, date "
        "and characterisation questions (figures are compared by value, a list's items complement each "
        "other)",
    )

    @model_validator(mode="after")
    def _exclusive_kind(self) -> "Question":
        if self.exclusive and self.kind in ("figure", "list"):
            raise FieldError(
                "exclusive",
                f"a {self.kind} question cannot be exclusive: "
                + ("figures are compared by value and unit" if self.kind == "figure" else "a list's items complement each other"),
            )
        return self


# --------------------------------------------------------------------------- claims

class Qualifiers(BaseModel):
    """What a figure is a figure of: the difference between two sources' numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    period: Text | None = None
    scope: Text | None = None
    as_of: Text | None = None
    horizon: Text | None = None
    approximation: Literal["exact", "approximate", "more-than", "at-least", "up-to", "range"] = (
        "exact"
    )
    basis: Text | None = None
    note: Text | None = None


class When(BaseModel):
    """The date or period a claim refers to, machine-readable: it places the claim on the timeline.

    The source's own wording stays in ``qualifiers`` (period, as_of, horizon)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    start: PartialDate
    end: PartialDate | None = None
    note: Text | None = Field(
        None,
        description="how the date was placed where the source does not give it as such (an undated "
        "welcome placed on the visit's first day, a year inferred from the article's date); shown with "
        "the date on the claim's page",
    )

    @model_validator(mode="after")
    def _order(self) -> "When":
        if self.end and date_sort_key(self.end) < date_sort_key(self.start):
            raise FieldError("end", f"end {self.end} is before start {self.start}")
        return self


def _excerpt_length(value: str) -> str:
    if len(value) > 400:
        raise ValueError(f"an excerpt is a short quotation: {len(value)} characters, at most 400")
    return value


class Claim(Record):
    """One assertion by one source.

    ``name`` is a short headline for the claim; ``paraphrase`` says it in our own words.
    """

    key_refs: ClassVar[dict[str, tuple[str, ...]]] = {"answer": ("question",)}

    source: Annotated[Slug, Ref(("source",), "Claims")]
    excerpt: Annotated[Text, AfterValidator(_excerpt_length)]
    paraphrase: Text
    kind: Annotated[Slug, Vocab("claim-kinds")] = vocab("claim-kinds", "what the claim asserts")
    about: Annotated[
        list[Slug],
        Ref((ENTITIES, "source"), "Claims about"),
        Field(min_length=1),
    ]
    attributed_to: Annotated[list[Slug], Ref(("actor",), "Statements")] = Field(
        default_factory=list
    )
    questions: Annotated[list[Slug], Ref(("question",), "Answers")] = Field(
        default_factory=list,
        description="the questions this claim answers, which set it beside other sources' answers; a "
        "figure question takes its value and unit, a list question its items, the others its answer",
    )
    answer: Text | dict[str, Text] | None = Field(
        None,
        description="the claim's answer in a few normalised words, so that answers without a value "
        "(names, dates, characterisations, lists) can be compared: claims that give the same answer "
        "use the same words. A claim answering several questions with different words maps each "
        "question id to its words; for a list question, words mapped to it are its one item, in "
        "place of `items`",
    )
    items: list[Text] = Field(
        default_factory=list,
        description="the items a list answer names, each in a few normalised words (the same words "
        "where two sources name the same item)",
    )
    contradicts: Annotated[list[Slug], Ref(("claim",), "Contradicted by")] = Field(
        default_factory=list,
        description="claims of other sources, answering a question this claim answers, whose answers "
        "this one excludes (an editor's reading of both texts): their question is then contested",
    )
    when: When | None = None
    sectors: SectorRefs = Field(default_factory=list)
    value: Number | None = None
    value_max: Number | None = None
    unit: Text | None = None
    qualifiers: Qualifiers = Field(default_factory=Qualifiers)

    @model_validator(mode="after")
    def _figure(self) -> "Claim":
        if self.kind == "figure":
            if self.value is None:
                raise FieldError("value", "a figure claim needs a value")
            if self.unit is None:
                raise FieldError("unit", "a figure claim needs a unit")
        if self.value is not None and self.unit is None:
            raise FieldError("unit", "a value needs a unit")
        for name in ("questions", "items", "contradicts"):
            values = getattr(self, name)
            if len(set(values)) != len(values):
                raise FieldError(name, f"{name} lists '{next(v for v in values if values.count(v) > 1)}' twice")
        if isinstance(self.answer, dict):
            for key in self.answer:
                if key not in self.questions:
                    raise FieldError(f"answer.{key}", f"'{key}' is not one of this claim's questions")
        if self.contradicts and not self.questions:
            raise FieldError("contradicts", "only a claim that answers a question can contradict another's answer")
        if self.value_max is not None:
            if self.value is None:
                raise FieldError("value", "value_max needs value (the lower bound)")
            if self.value_max < self.value:
                raise FieldError("value_max", "value_max is below value")
            if self.qualifiers.approximation != "range":
                raise FieldError("qualifiers.approximation", "a value range needs qualifiers.approximation: range")
        return self
