"""The anchors the templates write, in one place.

A record's id is also its anchor on every page that shows it: a claim on its own page and on the
pages of the records it is about, of its question and of its source; a question on the
disagreements view; a source on the claims index. An id equal to one of the page's own anchors
would give the page two elements with one id, and a link to ``#cite`` would land on the record
instead of "Cite this". So:

* the templates take every anchor of their own from here: ``anchor("cite")`` for a section,
  ``anchor("claims", kind)``, ``anchor("ref", source_id)``, ``anchor("year", "2026")``,
  ``anchor("status", "contested")`` for the derived ones (an unknown name or key is an error, so a
  template cannot write an anchor this module does not know);
* validation refuses a record id or former id that ``reserved`` recognises
  (``validate.check_dataset``), at the id's file:line:col.

Ids the site writes besides these cannot be record ids, whose pattern is ``schema.SLUG_PATTERN``
(lowercase letters, digits, single hyphens): Material's own (``__drawer``, ``__search``,
``__palette_0``, ``__tabbed_1_2``, ``__code_0`` ...) start with ``__``; the tags plugin's
(``tag:energy``) hold a colon. Every heading the templates write carries an explicit anchor from
here, so the toc extension never derives one from a heading's text.
tests/test_anchors.py checks every id of every built page against this module.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass

from .schema import SLUG_PATTERN
from .status import ORDER

# Fixed anchors: the id, and what it marks (for the validation message).
SECTIONS: dict[str, str] = {
    "top": "the page's heading",
    "cite": "the “Cite this” section",
    "references": "the numbered references",
    "claims": "the claims about a record, or of a source",
    "names": "the names in the sources",
    "linked-from": "the records linking to a record",
    "statements": "the statements attributed to an actor",
    "sources": "the sources that mention a record",
    "connections": "an actor's network",
    "agreements": "a list of agreements",
    "route": "a corridor's route",
    "other-answers": "a claim's other answers to its question",
    "side-by-side": "a question's answers side by side",
    "evidence": "a question's answers with their evidence",
    "corridors": "a list of corridors",
    "events": "a list of events",
    "places": "a list of places",
    "tagged": "the pages tagged with a sector",
    "terms": "a vocabulary's terms",
    "withdrawn": "the notice on a withdrawn record",
    "background": "the home page's background agreements",
    "signed": "the home page's agreements signed",
    "not-signed": "the home page's agreements not signed",
    "timeline": "the home page's timeline",
    "disagreements": "the home page's disagreements",
    "views": "the home page's views",
    "start": "the home page's sections",
    "what-the-statuses-mean": "the statuses' legend",
    "outcomes": "the briefing's outcomes",
    "routes": "the briefing's routes (the corridors and the places they run through)",
    "figures": "the briefing's key figures",
    "most-connected": "the network's most connected records",
    "undated": "the timeline's undated events",
    "after-map": "just after a page's map (where its skip link leads)",
    "after-network": "just after a page's network drawing (where its skip link leads)",
}

# Sections a template writes only while the data has something for them (an actor's statements, a
# record's other names, a sector's tagged pages): a correction can empty them, and the pages then
# keep their published anchors (published.keep_anchors). The others are always written.
CONDITIONAL = frozenset({
    "claims", "names", "linked-from", "statements", "sources", "connections", "agreements", "route",
    "other-answers", "corridors", "events", "places", "tagged", "terms", "background", "signed",
    "not-signed", "undated", "most-connected", "after-map", "after-network",
})


@dataclass(frozen=True)
class Family:
    """Anchors derived from a key: ``prefix + key``, the key matching ``key_pattern``."""

    prefix: str
    key_pattern: str
    what: str

    def match(self, anchor_id: str) -> bool:
        return anchor_id.startswith(self.prefix) and re.fullmatch(self.key_pattern, anchor_id[len(self.prefix):]) is not None


def _one_of(words: typing.Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


FAMILIES: dict[str, Family] = {
    "claims": Family("claims-", SLUG_PATTERN.strip("^$"), "the claims of one kind (claim kinds are data: any slug)"),
    "ref": Family("ref-", SLUG_PATTERN.strip("^$"), "a numbered reference to a source"),
    "year": Family("y", r"\d{4}", "a year of the timeline"),
    "other-answers": Family("other-answers-", SLUG_PATTERN.strip("^$"), "a claim's other answers to one more of its questions"),
    "status": Family("", _one_of(ORDER), "a status on the disagreements view"),
}


def anchor(name: str, key: str | None = None) -> str:
    """The anchor ``name`` (a section) or, with ``key``, the anchor of family ``name`` for that key:
    ``anchor("cite")`` → 'cite', ``anchor("claims", "figure")`` → 'claims-figure'.

    Raises KeyError for a name this module does not list and ValueError for a key its family does
    not take."""
    if key is None:
        if name not in SECTIONS:
            raise KeyError(f"no anchor '{name}' in kb/anchors.py")
        return name
    family = FAMILIES[name]
    if not re.fullmatch(family.key_pattern, str(key)):
        raise ValueError(f"'{key}' is not a key of the anchors '{name}'")
    return family.prefix + str(key)


# The tags plugin's anchors: "tag:" and the slug of a sector's tag ("tag:trade-and-investment"),
# which a correction of the sector's name or tag changes (a new editor's trial).
TAG_PREFIX = "tag:"


def data_derived(anchor_id: str) -> bool:
    """Whether a page writes ``anchor_id`` only while the data has something for it: a record's id
    (a claim shown on another record's page), a derived anchor (``claims-figure``, ``y2025``,
    ``ref-<source>``, ``status-contested``), a tag list's (``tag:energy``) or a ``CONDITIONAL``
    section. A fixed section (``cite``, ``top``, ``side-by-side``) is not: its loss is the
    templates', and the URL manifest's check reports it."""
    if anchor_id in SECTIONS:
        return anchor_id in CONDITIONAL
    if any(family.match(anchor_id) for family in FAMILIES.values()):
        return True
    if anchor_id.startswith(TAG_PREFIX):  # the tags plugin's, from a sector's tag (or name)
        return True
    return re.fullmatch(SLUG_PATTERN, anchor_id) is not None


def reserved(anchor_id: str) -> str | None:
    """What the pages use ``anchor_id`` for, or None when it is free for a record."""
    if anchor_id in SECTIONS:
        return SECTIONS[anchor_id]
    return next((f.what for f in FAMILIES.values() if f.match(anchor_id)), None)
