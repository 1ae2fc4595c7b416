"""“Cite this”: a citation of every record page and every claim, in four forms.

* **plain text**, to paste into a briefing;
* **permalink**, built from ``site_url`` in mkdocs.yml (the address the site is published at) and
  the record's id, which never changes; a claim's permalink is its own page;
* **BibTeX** (``@misc``) and **CSL-JSON** (for Zotero, Pandoc, citeproc). Each BibTeX entry has
  the fields its type requires in the standard styles (``@article``: author, title, journal, year;
  an article without a known publisher or date is a ``@misc``), and titles are wrapped in a second
  pair of braces so that styles keep their capitals ("Kazakh president to arrive in pakistan" in a
  reader's trial, with pybtex's plain style, which also stopped at an ``@article`` with no journal).

A claim is cited as what it is: an assertion of its source, with the source's author and date and
the verbatim excerpt, found in this knowledge base (the plain text gives the paraphrase as the
knowledge base's words, not the author's); the BibTeX and CSL-JSON forms also carry the
original article as an entry of its own (its title, author, publisher, date, URL and the date it
was read), which the claim's entry names as its container. Nothing depends on the build date, so
pages do not change from one day to the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import jsontext
from .model import KnowledgeBase, Node


@dataclass(frozen=True)
class Citation:
    key: str
    permalink: str
    text: str
    bibtex: str
    csl_json: str


def permalink(site_url: str, node: Node) -> str:
    """The record's page at the published address (relative to the site's root when no site_url)."""
    return (site_url.rstrip("/") + "/" + node.url) if site_url else node.url


# Names reserved never to resolve (RFC 2606 and RFC 6761): an address under one is a placeholder.
_RESERVED_HOSTS = ("example", "test", "invalid", "localhost", "example.com", "example.net", "example.org")


def placeholder_host(site_url: str) -> str | None:
    """The host of ``site_url`` when it is a placeholder that cannot resolve (``x.kb.example``,
    ``example.org``, ``localhost``: RFC 2606, RFC 6761), else None (no site_url, or a real one).
    The pages then say that their permalinks and citations work only once the site is published at
    its address (a reader's trial copied a ``.example`` permalink into a briefing)."""
    from urllib.parse import urlsplit

    host = (urlsplit(site_url).hostname or "") if site_url else ""
    if host and any(host == name or host.endswith("." + name) for name in _RESERVED_HOSTS):
        return host
    return None


def _date_parts(partial: str | None) -> list[int] | None:
    return [int(p) for p in partial.split("-")] if partial else None


_BIBTEX_SPECIAL = re.compile(r"([{}\\&%$#_^~])")


def _bib(text: str) -> str:
    """Text for a BibTeX field: braces and specials escaped, so a title cannot break the entry."""
    replacements = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return _BIBTEX_SPECIAL.sub(lambda m: replacements.get(m[1], "\\" + m[1]), " ".join(text.split()))


def _title(text: str) -> str:
    """A BibTeX title kept as written: styles lower-case what is not in braces."""
    return "{" + _bib(text) + "}"


def _bibtex(key: str, fields: dict[str, str], entry: str = "misc") -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@{entry}{{{key},\n{body}\n}}"


@dataclass(frozen=True)
class Author:
    """A source's author as a citation names them: ``name`` for the text form, ``bibtex`` for the
    field (a person's name in single braces, which BibTeX splits into first and last name, "Goulard,
    S." in an author-year style; anything else in double braces, kept whole, so that an
    organisation's "Trade and Investment Board" is not read as two authors), ``csl`` the CSL-JSON
    name (a person's family and given names, else a literal)."""

    name: str
    bibtex: str
    csl: dict[str, str]


def author_of(kb: KnowledgeBase | None, source: Node) -> Author | None:
    """The author of a source (None when unsigned). Where ``author_actor`` names the actor who
    wrote it, their record's name, as every page writes it ("Sebastien Goulard"), not the byline as
    printed ("Sebastien GOULARD", which a reader found in the citations); a person's family name is
    the last word, as BibTeX reads "First Last" and as ``model._surname`` names the source."""
    record = source.record
    if not record.author:
        return None
    actor = kb.nodes.get(record.author_actor) if kb is not None and record.author_actor else None
    name = kb.author_name(source) if kb is not None else record.author
    person = actor is not None and actor.record.kind == "person"
    words = name.split()
    if person and len(words) > 1:
        return Author(name, _bib(name), {"family": words[-1], "given": " ".join(words[:-1])})
    return Author(name, "{" + _bib(name) + "}", {"literal": name})


def _quoted(excerpt: str) -> str:
    """An excerpt in quotation marks, then a full stop unless it ends with its own: “… two years.”,
    where the citation had a second full stop after the closing mark (a reader)."""
    return f"“{excerpt}”" + ("" if excerpt.rstrip()[-1:] in ".!?…" else ".")


def article_entries(source: Node, kb: KnowledgeBase | None = None) -> tuple[str, dict[str, Any], dict[str, str], str]:
    """The original article behind a source: its key, its CSL-JSON item, its BibTeX fields and
    entry type (``article`` with a publisher and a date, which that type requires; else ``misc``).
    With ``kb``, the author is named as their actor record is (``author_of``)."""
    record = source.record
    key = f"src-{source.id}"
    csl: dict[str, Any] = {"id": key, "type": "article-newspaper", "title": record.name}
    author = author_of(kb, source)
    if author:
        csl["author"] = [author.csl]
    if record.publisher:
        csl["container-title"] = record.publisher
    if record.date:
        csl["issued"] = {"date-parts": [_date_parts(record.date)]}
    if record.url:
        csl["URL"] = record.url
    if record.accessed:
        csl["accessed"] = {"date-parts": [_date_parts(record.accessed)]}
    if not record.title_given:
        csl["note"] = "title supplied by the knowledge base; the source has no headline"
    entry = "article" if record.publisher and record.date else "misc"
    bib = {
        "author": author.bibtex if author else "",
        "title": _title(record.name),
        "journal": _bib(record.publisher) if record.publisher and entry == "article" else "",
        "publisher": _bib(record.publisher) if record.publisher and entry == "misc" else "",
        "howpublished": f"\\url{{{record.url}}}" if record.url and entry == "misc" else "",
        "year": record.date[:4] if record.date else "",
        "url": record.url or "",
        "urldate": record.accessed or "",
        "note": "" if record.title_given else "Title supplied by the knowledge base",
    }
    return key, csl, bib, entry


def citation(kb: KnowledgeBase, node: Node, site_name: str, site_url: str) -> Citation:
    url = permalink(site_url, node)
    key = f"kb-{node.id}"
    record = node.record
    extra_csl: list[dict[str, Any]] = []
    extra_bib = ""
    if node.type.name == "claim":
        article_key, article_csl, article_bib, article_entry = article_entries(kb.nodes[record.source], kb)
        extra_csl.append(article_csl)
        extra_bib = "\n\n" + _bibtex(article_key, article_bib, article_entry)
        source = kb.nodes[record.source].record
        writer = author_of(kb, kb.nodes[record.source])
        author = writer.name if writer else "Unsigned"
        when = source.date
        year = when[:4] if when else "n.d."
        # A title the article does not carry is ours: in square brackets, as style guides mark a
        # description supplied for an untitled work (APA 7, 9.21), not in quotation marks.
        title = f"“{source.name}”" if source.title_given else f"[{source.name}]"
        # The author is credited with the excerpt, their own words; the paraphrase is the knowledge
        # base's, and says so (it read as the author's, a reader's trial).
        text = (
            f"{author} ({year}). {title}, excerpt: {_quoted(record.excerpt)} "
            f"In {site_name}, claim {node.id}, in the knowledge base's words: {record.paraphrase} {url}"
        )
        csl: dict[str, Any] = {
            "id": key,
            "type": "webpage",
            "title": f"{record.name} (claim in: {source.name})",
            "container-title": source.name,
            "URL": url,
            "note": f"Excerpt: {_quoted(record.excerpt)} In {site_name}; original source: {article_key}",
        }
        if writer:
            csl["author"] = [writer.csl]
        if when:
            csl["issued"] = {"date-parts": [_date_parts(when)]}
        bib = {
            # no author for an unsigned article: "Unsigned" in the text form only, not as a name
            "author": writer.bibtex if writer else "",
            "title": _title(f"{record.name} (claim in: {source.name})"),
            "howpublished": f"\\url{{{url}}}",
            "year": year if when else "",
            "note": _bib(f"{site_name}, claim {node.id}. Excerpt: “{record.excerpt}”"),
            "crossref": article_key,
        }
    elif node.type.name == "source":
        # A source's page cites the article it describes, as a claim's does: author, date, title,
        # publisher, address (it gave the title alone, a new user's trial), then this record.
        article_key, article_csl, article_bib, article_entry = article_entries(node, kb)
        extra_csl.append(article_csl)
        extra_bib = "\n\n" + _bibtex(article_key, article_bib, article_entry)
        writer = author_of(kb, node)
        year = record.date[:4] if record.date else "n.d."
        title = f"“{record.name}”" if record.title_given else f"[{record.name}]"
        where = "".join(f" {part}." for part in (record.publisher, record.url) if part)
        text = (f"{writer.name if writer else 'Unsigned'} ({year}). {title}.{where} "
                f"Source {node.id} in {site_name}: {url}")
        csl = {
            "id": key,
            "type": "webpage",
            "title": f"{record.name} (source record)",
            "container-title": site_name,
            "URL": url,
            "note": f"source {node.id}; the article: {article_key}",
        }
        if writer:
            csl["author"] = [writer.csl]
        if record.date:
            csl["issued"] = {"date-parts": [_date_parts(record.date)]}
        bib = {
            "author": writer.bibtex if writer else "",
            "title": _title(f"{record.name} (source record)"),
            "howpublished": f"\\url{{{url}}}",
            "year": record.date[:4] if record.date else "",
            "note": _bib(f"{site_name}, source {node.id}"),
            "crossref": article_key,
        }
    else:
        text = f"“{record.name}” ({node.type.name}, id {node.id}). In {site_name}. {url}"
        csl = {
            "id": key,
            "type": "webpage",
            "title": record.name,
            "container-title": site_name,
            "URL": url,
            "note": f"{node.type.name} {node.id}",
        }
        bib = {
            "title": _title(record.name),
            "howpublished": f"\\url{{{url}}}",
            "note": _bib(f"{site_name}, {node.type.name} {node.id}"),
        }
    # A withdrawn record is cited as withdrawn: the page stays, and a citation copied from it must not
    # read as current (a new user's trial).
    retracted = getattr(record, "retracted", None)
    if retracted is not None:
        withdrawn = f"Withdrawn on {retracted.date}: {retracted.reason}"
        text += f" ({withdrawn.rstrip('.')}.)"
        csl["note"] = f"{csl['note']}. {withdrawn}"
        bib["note"] = bib["note"] + _bib(f". {withdrawn}")
    return Citation(
        key=key,
        permalink=url,
        text=" ".join(text.split()),
        bibtex=_bibtex(key, bib) + extra_bib,
        csl_json=jsontext.dumps([csl, *extra_csl], indent=2),
    )
