""""Cite this" as reference managers and BibTeX styles read it (scripts/kb/cite.py)."""

from __future__ import annotations

import json
import re

import pytest

import pybtex.database as pybtex_database
from pybtex.plugin import find_plugin


def _citations(kb, site_url="https://kb.example.org"):
    from kb.cite import citation

    for node in kb.nodes.untracked().values():
        yield node, citation(kb, node, "The knowledge base", site_url)


def _plain(rendered: str) -> str:
    """Formatted text as read: TeX's escapes of specials undone (US\\$1.7 → US$1.7), spaces folded."""
    return " ".join(re.sub(r"\\([{}&%$#_])", r"\1", rendered).split())


def test_every_bibtex_entry_formats_in_the_plain_style_with_titles_as_written(real_kb):
    """pybtex's plain style (BibTeX's own) stopped at every claim's source: an @article with no
    journal, and, undated, no year (a reader's trial: "FieldIsMissing: missing journal"), and
    lower-cased the titles ("Kazakh president to arrive in pakistan tomorrow"). Every citation of
    every record formats, and each title keeps its capitals."""
    style = find_plugin("pybtex.style.formatting", "plain")()
    checked = 0
    for node, cited in _citations(real_kb):
        data = pybtex_database.parse_string(cited.bibtex, "bibtex")
        formatted = style.format_bibliography(data)  # raises on a field the entry's type requires
        text = _plain(" ".join(entry.text.render_as("text") for entry in formatted))
        record = node.record
        assert " ".join(record.name.split()) in text, (node.id, text)
        if node.type.name == "claim":
            source = real_kb.get(record.source).record
            assert " ".join(source.name.split()) in text, (node.id, text)
        checked += 1
    assert checked == len(real_kb.nodes.untracked())


@pytest.mark.parametrize("publisher, date, entry", [
    ("Newswire", "2026-02-06", "article"), ("Newswire", None, "misc"), (None, "2026-02-06", "misc"), (None, None, "misc"),
])
def test_a_source_is_an_article_only_with_the_journal_and_year_that_type_requires(real_kb, publisher, date, entry):
    from kb.cite import _bibtex, article_entries

    source = real_kb.current("source")[0]
    changed = source.record.model_copy(update={"publisher": publisher, "date": date, "url": "https://news.example/a"})
    node = type(source)(source.type, changed, "data/sources/x.yaml")
    key, csl, fields, kind = article_entries(node)
    assert kind == entry
    style = find_plugin("pybtex.style.formatting", "plain")()
    style.format_bibliography(pybtex_database.parse_string(_bibtex(key, fields, kind), "bibtex"))
    if kind == "misc":
        assert "journal" not in {k for k, v in fields.items() if v} and "howpublished" in {k for k, v in fields.items() if v}
    assert json.loads(json.dumps(csl))["id"] == key


@pytest.mark.parametrize("site_url, host", [
    ("https://tokayev-pakistan-2026.kb.example/", "tokayev-pakistan-2026.kb.example"),
    ("https://example.org/kb/", "example.org"),
    ("http://localhost:8000/", "localhost"),
    ("https://kb.test", "kb.test"),
    ("https://kb.example.com.au/", None),  # a real name that merely contains "example"
    ("https://notexample.org/", None),
    ("https://kb.think-tank.org/", None),
    ("", None),
])
def test_a_placeholder_site_address_is_recognised(site_url, host):
    """A reader's trial copied a permalink under ``.kb.example`` into a briefing: a reserved name
    (RFC 2606, RFC 6761) is named on the page as a placeholder."""
    from kb.cite import placeholder_host

    assert placeholder_host(site_url) == host


def test_pages_say_when_their_permalinks_are_placeholders():
    from conftest import MINI
    from kb import pipeline
    from kb.render import Renderer

    kb = pipeline.load(pipeline.Paths(root=MINI.parent, data=MINI, docs=MINI.parent / "docs"))
    node = kb.nodes["how-many"]
    for site_url, shown in (("https://x.kb.example/", True), ("https://kb.think-tank.org/", False)):
        page = Renderer(kb, site_url=site_url).record_page(node)
        assert ("**Not yet a working address:** x.kb.example is a placeholder" in page) is shown
        assert ("(a placeholder address, not yet published)" in page) is shown


def test_a_withdrawn_record_is_cited_as_withdrawn(tmp_path):
    """A new user's trial: a withdrawn claim's Cite this (text, BibTeX, CSL-JSON) never said so."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline
    from kb.cite import citation

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "claims" / "one.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["retracted"] = {"date": "2026-11-30", "reason": "misread the count"}
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    c = citation(kb, kb.nodes[records[0]["id"]], "KB", "https://kb.think-tank.org/")
    assert c.text.endswith("(Withdrawn on 2026-11-30: misread the count.)"), c.text
    assert "Withdrawn on 2026-11-30: misread the count" in json.loads(c.csl_json)[0]["note"]
    entry = pybtex_database.parse_string(c.bibtex, "bibtex").entries[f"kb-{records[0]['id']}"]
    assert "Withdrawn on 2026-11-30: misread the count" in entry.fields["note"], c.bibtex
    current = citation(kb, kb.nodes[records[1]["id"]], "KB", "https://kb.think-tank.org/")
    assert "Withdrawn" not in current.text + current.bibtex + current.csl_json


def test_an_author_is_cited_as_their_actor_is_named_and_split_as_a_person(tmp_path):
    """A reader found "Sebastien GOULARD (n.d.)" in the citations, as the byline prints it, beside
    "Sebastien Goulard" on his page, and ``author = {{Sebastien GOULARD}}`` in BibTeX, which styles
    treat as an organisation (never "Goulard, S."), and an excerpt ending ``.”.``. A person's name is
    now their actor record's, given to BibTeX and CSL-JSON as a person's; an author who is no
    person stays whole ("and" in an organisation's name is not two authors)."""
    import shutil

    import yaml

    from conftest import MINI
    from kb import pipeline
    from kb.cite import citation

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "sources" / "sources.yaml"
    sources = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources[0]["author"] = "ANN AUTHOR"  # the byline in capitals; the actor is "Ann Author"
    sources[1]["author"] = "Trade and Investment Board"  # no actor: kept whole
    path.write_text(yaml.safe_dump(sources, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = data / "claims" / "one.yaml"
    claims = yaml.safe_load(path.read_text(encoding="utf-8"))
    claims[0]["excerpt"] = "ten agreements were signed."
    path.write_text(yaml.safe_dump(claims, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = pipeline.load(pipeline.Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))

    c = citation(kb, kb.nodes["one-count"], "KB", "https://kb.think-tank.org/")
    assert c.text.startswith("Ann Author (2026). “A first article”, excerpt: “ten agreements were signed.” In KB"), c.text
    assert ".”." not in c.text + c.csl_json
    entries = pybtex_database.parse_string(c.bibtex, "bibtex").entries
    for key in ("kb-one-count", "src-src-one"):
        (person,) = entries[key].persons["author"]
        assert (person.first_names, person.last_names) == (["Ann"], ["Author"]), c.bibtex
    items = json.loads(c.csl_json)
    assert [item["author"] for item in items] == [[{"family": "Author", "given": "Ann"}]] * 2

    other = next(n for n in kb.nodes.untracked().values() if n.type.name == "claim" and n.record.source == "src-two")
    c = citation(kb, other, "KB", "https://kb.think-tank.org/")
    assert c.text.startswith("Trade and Investment Board (2026)."), c.text
    (board,) = pybtex_database.parse_string(c.bibtex, "bibtex").entries[f"kb-{other.id}"].persons["author"]
    assert str(board) == "{Trade and Investment Board}", c.bibtex
    assert json.loads(c.csl_json)[0]["author"] == [{"literal": "Trade and Investment Board"}]

    page = pipeline.Renderer(kb).record_page(kb.nodes["src-one"])
    assert "[Ann Author](../actors/ann-author.md) (printed as “ANN AUTHOR”)" in page.split("| Author |", 1)[1].split("\n", 1)[0], page


def test_a_source_page_cites_the_article_with_its_author_date_and_publisher():
    """A new user's trial: a source's Cite this gave its title alone ("“Pakistan, Kazakhstan sign
    …” (source, id …). In …"), where a claim of it names the author and date. It cites the article
    as a claim's page does, then the record."""
    from conftest import MINI
    from kb import pipeline
    from kb.cite import citation

    kb = pipeline.load(pipeline.Paths(root=MINI.parent, data=MINI, docs=MINI.parent / "docs"))
    c = citation(kb, kb.nodes["src-one"], "KB", "https://kb.think-tank.org/")
    assert c.text.startswith("Ann Author (2026). “A first article”. Source src-one in KB: https://kb.think-tank.org/"), c.text
    entries = pybtex_database.parse_string(c.bibtex, "bibtex").entries
    (person,) = entries["kb-src-one"].persons["author"]
    assert person.last_names == ["Author"] and entries["kb-src-one"].fields["year"] == "2026"
    assert entries["kb-src-one"].fields["crossref"] == "src-src-one" and "src-src-one" in entries
    items = json.loads(c.csl_json)
    assert items[0]["author"] == [{"family": "Author", "given": "Ann"}] and items[0]["issued"] == {"date-parts": [[2026, 2, 7]]}
    unsigned = citation(kb, kb.nodes["src-two"], "KB", "https://kb.think-tank.org/")
    assert unsigned.text.startswith("Unsigned (2026). [A second article]. Source src-two in KB: "), unsigned.text
    assert "author" not in pybtex_database.parse_string(unsigned.bibtex, "bibtex").entries["kb-src-two"].persons
