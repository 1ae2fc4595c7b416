"""The record types, declared as data.

Adding a record type means: a schema in ``schema.py``, a template in
``templates/``, and one line below. Its YAML goes in ``data/<plural>/``, its
pages in ``docs/<plural>/``. A type whose model is a ``schema.Entity`` can be what
claims are about at once (``schema.ENTITIES``). Still to do by hand: its entry in the
nav of ``mkdocs.yml`` and ``zensical.toml`` and in ``.gitignore`` (tests/test_site.py
compares them with this registry); the network view, sector pages and JSON-LD know
the types they draw, list or describe by name (``render.NETWORK_TYPES``, the sector
templates, ``export.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from . import schema


@dataclass(frozen=True)
class RecordType:
    name: str  # singular, used in Ref targets: "actor"
    plural: str  # data folder and URL folder: "actors"
    model: type[BaseModel]
    title: str  # heading of the index page
    summary: str  # one line on the index page and the home page
    # Search rank of its pages against other pages whose title holds the same words (views,
    # indexes, claims: 1). Records that are named things (people, places, agreements…) outrank
    # the claims that mention them, so a query naming a record finds its page first (issue 11).
    search_boost: float = 2.0


REGISTRY: tuple[RecordType, ...] = (
    RecordType("source", "sources", schema.Source, "Sources", "The sources everything here is cited to, with what each covers and how far it can be trusted."),
    RecordType("actor", "actors", schema.Actor, "Actors", "People, organisations, companies, states and multilateral bodies."),
    RecordType("agreement", "agreements", schema.Agreement, "Agreements", "Declarations, MoUs, contracts and packages of deals."),
    RecordType("event", "events", schema.Event, "Events", "The visit's days, the business forum, the follow-up conference, publications."),
    RecordType("corridor", "corridors", schema.Corridor, "Corridors", "Routes, railways and multimodal corridors, leg by leg."),
    RecordType("place", "places", schema.Place, "Places", "Cities, ports, venues and countries, with coordinates."),
    RecordType("question", "questions", schema.Question, "Questions", "Where the sources disagree: their answers side by side."),
    RecordType("claim", "claims", schema.Claim, "Claims", "Every assertion, one source each, with its excerpt.", search_boost=1.0),
    RecordType("sector", "sectors", schema.Sector, "Sectors", "Fields of cooperation, from energy to education, as tags."),
    RecordType("vocabulary", "vocabularies", schema.Vocabulary, "Vocabularies", "The words the data uses for kinds and statuses, each defined."),
)

BY_NAME = {t.name: t for t in REGISTRY}
BY_PLURAL = {t.plural: t for t in REGISTRY}


@dataclass(frozen=True)
class View:
    """An analytical page computed from the whole dataset: ``docs/views/<slug>.md`` from the
    template ``view-<slug>.md.j2``."""

    slug: str
    title: str
    summary: str
    in_search: bool = True  # False: left out of the search index (a page that repeats every claim)
    full_width: bool = False  # True: no navigation or table-of-contents sidebars (a wide table)


VIEWS: tuple[View, ...] = (
    View("disagreements", "Disagreements", "Every question the sources answer, the contested ones first, with each source's answer side by side."),
    View("timeline", "Timeline", "Every dated event and dated claim in order, from the background and the preview to the stated horizons."),
    View("map", "Map", "The corridors and places that have coordinates, on one map, legs styled by mode."),
    View("network", "Network", "Who is connected to what: actors, agreements, corridors and events."),
    View("briefing", "Briefing pack", "The visit on a few printed pages: outcomes, key figures with their disagreements, sources."),
    View("claims", "Claims explorer", "Every claim in one table: filter by source, kind, status, question, sector and record, search its text, order by any column, and link what you see.", in_search=False, full_width=True),
)
