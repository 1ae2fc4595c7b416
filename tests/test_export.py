"""Data out: the JSON and CSV exports, their JSON Schema, and each record's schema.org JSON-LD."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any, Iterator

import unicodedata

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import MINI, ROOT
from kb.export import (
    COMPUTED,
    CSV_BOM,
    SCHEMA_FILE,
    csv_columns,
    data_files,
    export_schema,
    from_spreadsheet_text,
    json_ld,
    page_urls,
    record_json,
    schema_type,
    spreadsheet_text,
)
from kb.errors import ErrorLog
from kb.model import KnowledgeBase, Node, build_model
from kb.pipeline import Paths, load
from kb.registry import REGISTRY
from kb.schema import Qualifiers
from kb.status import ORDER
from kb.validate import load_and_validate

BASE = "https://kb.example/"


def load_mini() -> KnowledgeBase:
    return load(Paths(root=MINI.parent, data=MINI, docs=MINI / "unused-docs"))


@pytest.fixture(scope="module")
def mini_kb() -> KnowledgeBase:
    return load_mini()


@pytest.fixture(params=["mini", "real"])
def kb(request) -> KnowledgeBase:
    return request.getfixturevalue("mini_kb" if request.param == "mini" else "real_kb")


# --------------------------------------------------------------------------- data files


def test_a_json_and_a_csv_file_per_record_type_and_the_combined_files(kb):
    files = data_files(kb)
    expected = {f"data/{t.plural}.{ext}" for t in REGISTRY for ext in ("json", "csv")}
    expected |= {"data/knowledge-base.json", f"data/{SCHEMA_FILE}"}
    assert set(files) == expected
    for path, text in files.items():
        assert text.endswith("\n"), path
        if path.endswith(".json"):
            json.loads(text)


def test_every_record_appears_once_in_its_json_with_its_validated_fields(kb):
    files = data_files(kb)
    for rtype in REGISTRY:
        records = json.loads(files[f"data/{rtype.plural}.json"])
        nodes = kb.all(rtype.name)
        assert [r["id"] for r in records] == [n.id for n in nodes]  # once each, in kb order
        computed = {c.key for c in COMPUTED if c.type_name == rtype.name}
        for record, node in zip(records, nodes):
            assert next(iter(record)) == "id"
            own = {k: v for k, v in record.items() if k not in computed}
            assert own == node.record.model_dump(mode="json", by_alias=True, exclude_none=True)
            # field order is the model's declaration order, computed fields after
            columns = csv_columns(rtype)
            assert list(own) == [c for c in columns if c in own]
            assert list(record)[len(own):] == [c.key for c in COMPUTED if c.type_name == rtype.name]
            assert rtype.model.model_validate_json(json.dumps(own)) == node.record


def csv_text(text: str) -> io.StringIO:
    """A CSV file's text as a reader takes it: it starts with the byte-order mark (``CSV_BOM``),
    which ``encoding="utf-8-sig"`` removes when the file is read from disk."""
    assert text.startswith(CSV_BOM) and not text.startswith(CSV_BOM * 2)
    return io.StringIO(text[len(CSV_BOM):], newline="")


def test_every_record_appears_once_in_its_csv_with_the_models_columns(kb):
    files = data_files(kb)
    for rtype in REGISTRY:
        text = files[f"data/{rtype.plural}.csv"]
        rows = list(csv.reader(csv_text(text)))
        header, body = rows[0], rows[1:]
        assert header == csv_columns(rtype)
        computed = [c.key for c in COMPUTED if c.type_name == rtype.name]
        assert header == [info.alias or name for name, info in rtype.model.model_fields.items()] + computed
        assert [row[0] for row in body] == [n.id for n in kb.all(rtype.name)]
        assert all(len(row) == len(header) for row in body)
        assert "\r\n" in text  # RFC 4180 line ends


def test_csv_cells_round_trip_to_the_records_values(kb):
    files = data_files(kb)
    for rtype in REGISTRY:
        reader = csv.DictReader(csv_text(files[f"data/{rtype.plural}.csv"]))
        for row, node in zip(reader, kb.all(rtype.name)):
            data = record_json(kb, node)  # the record's fields and its computed ones
            for column, cell in row.items():
                value = data.get(column)
                if value is None or value == []:
                    assert cell == ""
                elif isinstance(value, dict) or (isinstance(value, list) and isinstance(value[0], dict)):
                    assert json.loads(cell) == value, (node.id, column)
                elif isinstance(value, list):
                    assert cell.split("; ") == [str(v) for v in value], (node.id, column)
                elif isinstance(value, bool):
                    assert cell == ("true" if value else "false")
                elif isinstance(value, (int, float)):
                    assert float(cell) == value
                else:
                    assert from_spreadsheet_text(cell) == value, (node.id, column)


def mini_with(updates: dict[str, dict[str, Any]]) -> KnowledgeBase:
    """The mini data with some records' fields replaced, built into a model like any other data."""
    log = ErrorLog()
    parsed = load_and_validate(MINI, MINI.parent, log)
    assert not log
    for i, item in enumerate(parsed):
        if item.id in updates:
            parsed[i] = dataclasses.replace(item, record=item.record.model_copy(update=updates[item.id]))
    return build_model(parsed)


# What a spreadsheet would run: every character that starts a formula, its fullwidth and other
# compatibility forms, after whitespace; tab and carriage return; an invisible first character.
FORMULAS = [
    '=HYPERLINK("http://example.invalid/x","Open")', "@SUM(1,1)", "+1+1", "-1+1", "=1+1",
    "\t=1+1", "\r=1+1", " =1+1", "\u3000=1+1", "\u00a0@SUM(1,1)", "\uff1d1+1", "\ufe661+1",
    "\uff0b1", "\uff0d1", "\uff20SUM(1,1)", "\u200b=1+1", "\u200e=1+1", "\ufeff=1", "\t", "\r",
    "'=1+1", "'quoted",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_could_be_a_formula_is_written_as_text(text):
    cell = spreadsheet_text(text)
    assert cell == "'" + text and from_spreadsheet_text(cell) == text


@pytest.mark.parametrize("text", ["Kazakhstan", "1,000 agreements", "USD", "a = b", "(=)", "1-2", "É=", "[1]", ""])
def test_plain_text_is_written_as_it_is(text):
    assert spreadsheet_text(text) == text


@given(st.text(alphabet=st.sampled_from("=+-@'\t\r\n \u3000\uff1d\ufe66\uff20\uff0b\uff0d\u200bab1,()\"\u00a0"), max_size=8))
def test_no_text_cell_starts_a_formula_and_every_cell_reads_back(text):
    cell = spreadsheet_text(text)
    assert from_spreadsheet_text(cell) == text
    if cell and not cell.startswith("'"):
        assert unicodedata.normalize("NFKC", cell.lstrip())[:1] not in set("=+-@")
        assert cell[0].isprintable() and not cell[0].isspace()


def test_the_csv_neutralises_text_cells_and_keeps_numbers(tmp_path):
    hyperlink, total = FORMULAS[0], FORMULAS[1]
    kb = mini_with({
        "leader-a": {"name": hyperlink, "description": total},
        "one-count": {"paraphrase": "\uff1dHYPERLINK(1)", "excerpt": " =1+1", "value": -10.0,
                      "qualifiers": Qualifiers(period="-2025")},
        "capital-a": {"lat": -33.5, "lon": -70.25, "name": "\t=cmd"},
    })
    files = data_files(kb)
    for plural, rid, column, written in [
        ("actors", "leader-a", "name", "'" + hyperlink),
        ("actors", "leader-a", "description", "'" + total),
        ("claims", "one-count", "paraphrase", "'\uff1dHYPERLINK(1)"),
        ("claims", "one-count", "excerpt", "' =1+1"),
        ("claims", "one-count", "value", "-10"),  # a number column stays a number, sign included
        ("places", "capital-a", "lat", "-33.5"),
        ("places", "capital-a", "lon", "-70.25"),
        ("places", "capital-a", "name", "'\t=cmd"),
    ]:
        rows = {r["id"]: r for r in csv.DictReader(csv_text(files[f"data/{plural}.csv"]))}
        assert rows[rid][column] == written, (plural, rid, column)
    # nested JSON cells start with { or [ and stay as they are; the JSON files keep the text unchanged
    claims = {r["id"]: r for r in csv.DictReader(csv_text(files["data/claims.csv"]))}
    assert json.loads(claims["one-count"]["qualifiers"])["period"] == "-2025"
    assert json.loads(files["data/actors.json"])[[n.id for n in kb.all("actor")].index("leader-a")]["name"] == hyperlink
    # a whole number is written as one in the JSON too ("value": 37.0 read as a measurement: a reader's
    # trial); a fraction stays as it is
    claim_json = next(c for c in json.loads(files["data/claims.json"]) if c["id"] == "one-count")
    assert '"value": -10,' in files["data/claims.json"] and claim_json["value"] == -10
    place_json = next(p for p in json.loads(files["data/places.json"]) if p["id"] == "capital-a")
    assert place_json["lat"] == -33.5 and place_json["lon"] == -70.25
    # the neutralised files are what a reader is told about (the data page says so)
    assert "'" in (ROOT / "docs" / "about.md").read_text(encoding="utf-8").split("## Downloads", 1)[1]


def test_nested_values_in_the_csv_are_compact_json(mini_kb):
    text = data_files(mini_kb)["data/corridors.csv"]
    row = next(csv.DictReader(csv_text(text)))
    assert json.loads(row["legs"])[0] == {"from": "capital-a", "to": "port-b", "mode": "rail"}
    assert row["sources"] == "src-one"
    claims = {r["id"]: r for r in csv.DictReader(csv_text(data_files(mini_kb)["data/claims.csv"]))}
    assert json.loads(claims["one-bus-value"]["when"]) == {"start": "2026-02-04"}
    assert claims["one-bus-value"]["value"] == "5000000"


def test_the_combined_file_has_everything_counts_and_names_its_schema(kb):
    files = data_files(kb)
    combined = json.loads(files["data/knowledge-base.json"])
    assert list(combined)[:3] == ["$schema", "generated_from", "counts"]
    assert combined["$schema"] == SCHEMA_FILE
    assert combined["counts"] == {t.plural: len(kb.all(t.name)) for t in REGISTRY}
    for rtype in REGISTRY:
        assert combined[rtype.plural] == json.loads(files[f"data/{rtype.plural}.json"])
    ids = [r["id"] for t in REGISTRY for r in combined[t.plural]]
    assert sorted(ids) == sorted(kb.nodes) and len(ids) == len(set(ids))
    assert json.loads(data_files(kb, schema_ref="https://x.example/s.json")["data/knowledge-base.json"])[
        "$schema"
    ] == "https://x.example/s.json"


def test_questions_carry_their_computed_status_marked_read_only(kb):
    combined = json.loads(data_files(kb)["data/knowledge-base.json"])
    for record, node in zip(combined["questions"], kb.all("question")):
        assert record["status"] == kb.status(node).status
        assert record["status"] in ORDER
    status = export_schema()["$defs"]["Question"]["properties"]["status"]
    assert status["readOnly"] is True and status["enum"] == list(ORDER)


def test_every_status_and_its_explanation_are_in_the_json_and_the_csv(kb):
    files = data_files(kb)
    combined = json.loads(files["data/knowledge-base.json"])
    rows = {r["id"]: r for r in csv.DictReader(csv_text(files["data/questions.csv"]))}
    for record, node in zip(combined["questions"], kb.all("question")):
        st = kb.status(node)
        assert record["status_explanation"] == st.explanation and st.explanation
        assert rows[node.id]["status"] == st.status
        assert rows[node.id]["status_explanation"] == st.explanation
        groups = json.loads(rows[node.id]["answer_groups"])
        assert groups == record["answer_groups"]
        assert sorted(c for g in groups for c in g["claim_ids"]) == sorted(c.id for c in kb.answers(node))
    claims = {r["id"]: r for r in csv.DictReader(csv_text(files["data/claims.csv"]))}
    for record, node in zip(combined["claims"], kb.all("claim")):
        # a withdrawn claim answers nothing: no statuses (a new user's trial withdrew a claim of the
        # real data, where this test expected its question's status)
        withdrawn = node.record.retracted is not None
        expected = {} if withdrawn else {q: kb.status(kb.get(q)).status for q in node.record.questions}
        assert record["statuses"] == expected
        assert json.loads(claims[node.id]["statuses"]) == expected
        # and its one status, as the explorer shows it: a claim answering no question is single-source
        # there, while the downloads had only an empty "statuses" (a reader's trial)
        one = "withdrawn" if withdrawn else min(expected.values(), key=ORDER.index) if expected else "single-source"
        assert record["status"] == claims[node.id]["status"] == one, node.id
    assert any(not c.record.questions for c in kb.all("claim"))  # the case the trial found is in the data


def test_a_withdrawn_claim_has_no_statuses_in_the_downloads(tmp_path: Path):
    """The real data with one of its answering claims withdrawn, as editing.md describes: its
    statuses are empty and its status 'withdrawn'; the question's status leaves it out."""
    import shutil

    from conftest import ROOT
    from kb.pipeline import Paths, load

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "claims" / "javaid.yaml"
    text = path.read_text(encoding="utf-8")
    claims = yaml.safe_load(text)
    target = next(c for c in claims if c.get("questions"))
    head = f"- id: {target['id']}\n"
    assert text.count(head) == 1
    path.write_text(text.replace(head, head + '  retracted: {date: "2026-03-01", reason: a test}\n'), encoding="utf-8")
    kb = load(Paths(root=tmp_path, data=data, docs=tmp_path / "docs"))
    files = data_files(kb)
    record = next(r for r in json.loads(files["data/knowledge-base.json"])["claims"] if r["id"] == target["id"])
    row = next(r for r in csv.DictReader(csv_text(files["data/claims.csv"])) if r["id"] == target["id"])
    assert record["statuses"] == {} and json.loads(row["statuses"]) == {}
    assert record["status"] == row["status"] == "withdrawn"
    for q in target["questions"]:
        assert target["id"] not in [c.id for c in kb.answers(kb.get(q))]
    test_every_status_and_its_explanation_are_in_the_json_and_the_csv(kb)


def test_the_output_is_deterministic(mini_kb):
    first = data_files(mini_kb)
    assert data_files(mini_kb) == first
    assert data_files(load_mini()) == first  # a fresh load of the same data: byte-identical
    assert list(first) == list(data_files(load_mini()))


# --------------------------------------------------------------------------- the schema

ANNOTATIONS = {"$schema", "$defs", "title", "description", "default", "readOnly"}
JSON_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


def schema_errors(value: Any, schema: dict, root: dict, path: str = "$") -> Iterator[str]:
    """A JSON Schema validator for the keywords the export schema uses (jsonschema is not among
    the project's dependencies); an unknown keyword is an error, so nothing is skipped silently."""
    for key, rule in schema.items():
        if key in ANNOTATIONS:
            continue
        if key == "$ref":
            assert rule.startswith("#/$defs/"), rule
            yield from schema_errors(value, root["$defs"][rule[len("#/$defs/"):]], root, path)
        elif key == "type":
            if not JSON_TYPES[rule](value):
                yield f"{path}: {value!r} is not of type {rule}"
        elif key == "enum":
            if value not in rule:
                yield f"{path}: {value!r} not in {rule}"
        elif key == "anyOf":
            if all(list(schema_errors(value, sub, root, path)) for sub in rule):
                yield f"{path}: {value!r} matches none of anyOf"
        elif key == "properties":
            if isinstance(value, dict):
                for name, sub in rule.items():
                    if name in value:
                        yield from schema_errors(value[name], sub, root, f"{path}.{name}")
        elif key == "required":
            if isinstance(value, dict):
                yield from (f"{path}: missing {name}" for name in rule if name not in value)
        elif key == "additionalProperties":
            if isinstance(value, dict):
                extra = [k for k in value if k not in schema.get("properties", {})]
                if rule is False:
                    yield from (f"{path}: unexpected {k}" for k in extra)
                else:
                    for k in extra:
                        yield from schema_errors(value[k], rule, root, f"{path}.{k}")
        elif key == "items":
            if isinstance(value, list):
                for i, item in enumerate(value):
                    yield from schema_errors(item, rule, root, f"{path}[{i}]")
        elif key == "pattern":
            if isinstance(value, str) and not re.search(rule, value):
                yield f"{path}: {value!r} does not match {rule}"
        elif key in ("minLength", "maxLength"):
            if isinstance(value, str) and (len(value) < rule if key == "minLength" else len(value) > rule):
                yield f"{path}: length of {value!r} breaks {key} {rule}"
        elif key in ("minimum", "maximum"):
            if JSON_TYPES["number"](value) and (value < rule if key == "minimum" else value > rule):
                yield f"{path}: {value!r} breaks {key} {rule}"
        elif key == "minItems":
            if isinstance(value, list) and len(value) < rule:
                yield f"{path}: fewer than {rule} items"
        else:
            raise AssertionError(f"the test's validator does not know the keyword {key!r} ({path})")


def test_the_schema_is_draft_2020_12_with_a_definition_per_type():
    schema = export_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for rtype in REGISTRY:
        assert schema["properties"][rtype.plural]["items"] == {"$ref": f"#/$defs/{rtype.model.__name__}"}
        definition = schema["$defs"][rtype.model.__name__]
        assert list(definition["properties"]) == csv_columns(rtype)
    refs = re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema))
    assert refs and all(ref in schema["$defs"] for ref in refs)


def test_the_combined_file_validates_against_its_schema(kb):
    files = data_files(kb)
    schema = json.loads(files[f"data/{SCHEMA_FILE}"])
    combined = json.loads(files["data/knowledge-base.json"])
    assert list(schema_errors(combined, schema, schema)) == []
    # and structurally: each record's keys are its type's properties, required keys present
    for rtype in REGISTRY:
        definition = schema["$defs"][rtype.model.__name__]
        for record in combined[rtype.plural]:
            assert set(record) <= set(definition["properties"]), record["id"]
            assert set(definition["required"]) <= set(record), record["id"]


def test_the_validator_catches_what_the_schema_forbids(mini_kb):
    schema = json.loads(data_files(mini_kb)["data/knowledge-base.schema.json"])  # with the vocabularies' terms
    combined = json.loads(data_files(mini_kb)["data/knowledge-base.json"])
    combined["actors"][0]["invented"] = 1
    combined["actors"][1]["kind"] = "alien"
    del combined["claims"][0]["source"]
    combined["questions"][0]["status"] = "settled"
    errors = "\n".join(schema_errors(combined, schema, schema))
    assert "unexpected invented" in errors
    assert "'alien' not in" in errors
    assert "missing source" in errors
    assert "'settled' not in" in errors


# --------------------------------------------------------------------------- JSON-LD

# The @type of each record, from what the data declares: its kind's schema_org in the vocabulary
# (data/vocabularies/), else by record type. Pinned separately on real records below.
BY_RECORD = {"place": "Place", "event": "Event", "agreement": "CreativeWork", "claim": "Claim", "corridor": "Trip",
             "question": "Question", "sector": "DefinedTerm", "source": "CreativeWork"}


def expected_type(kb, node) -> str:
    field = node.type.model.model_fields.get("kind")
    vocabularies = [m.vocabulary for m in (field.metadata if field else []) if hasattr(m, "vocabulary")]
    if vocabularies:
        term = next(t for t in kb.nodes[vocabularies[0]].record.terms if t.id == node.record.kind)
        if term.schema_org:
            return term.schema_org
    return BY_RECORD.get(node.type.name, "Thing")


def test_a_kinds_schema_org_type_comes_from_its_vocabulary(kb):
    """Real records of kinds whose type the vocabulary sets (pinned: a change to the wiring shows)."""
    pins = [("kazakhstan", "Country"), ("kassym-jomart-tokayev", "Person"), ("islamabad", "City"),
            ("javaid-strategic-partnership", "AnalysisNewsArticle"), ("land-a", "Country"), ("src-one", "AnalysisNewsArticle")]
    checked = 0
    for rid, wanted in pins:
        node = kb.get(rid)
        if node is not None:
            assert schema_type(kb, node) == wanted, rid
            checked += 1
    assert checked >= 2


def ids_in(doc: Any) -> Iterator[str]:
    if isinstance(doc, dict):
        if "@id" in doc:
            yield doc["@id"]
        for value in doc.values():
            yield from ids_in(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from ids_in(value)


def test_json_ld_of_every_record_is_schema_org_with_resolving_references(kb):
    url_for = page_urls(BASE)
    known = {url_for(n) + "#": n for n in kb.nodes.values()}
    seen_types = set()
    for node in kb.nodes.values():
        text = json_ld(kb, node, url_for)
        assert not set("<>&") & set(text), node.id
        doc = json.loads(text)
        assert doc["@context"] == "https://schema.org"
        assert doc["@type"] == expected_type(kb, node) == schema_type(kb, node), node.id
        assert doc["@id"] == url_for(node) + "#" and doc["url"] == url_for(node)
        assert doc["name"] == node.name
        assert "sameAs" not in text
        for ref in ids_in(doc):
            assert ref in known, (node.id, ref)
        # a reference's @type is the referenced record's own
        for sub in _objects(doc):
            if "@id" in sub and sub is not doc and sub["@type"] != "Answer":
                assert sub["@type"] == schema_type(kb, known[sub["@id"]]), (node.id, sub)
        seen_types.add(node.type.name)
    assert seen_types == {t.name for t in REGISTRY if kb.all(t.name)}


def _objects(doc: Any) -> Iterator[dict]:
    if isinstance(doc, dict):
        yield doc
        for value in doc.values():
            yield from _objects(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from _objects(value)


def test_json_ld_urls_are_the_callers(mini_kb):
    node = mini_kb.get("the-visit")
    relative = json.loads(json_ld(mini_kb, node, page_urls("../")))
    assert relative["@id"] == "../events/the-visit.html#"
    assert relative["location"]["@id"] == "../places/capital-a.html#"
    custom = json.loads(json_ld(mini_kb, node, lambda n: f"/{n.type.plural}/{n.id}"))
    assert custom["@id"] == "/events/the-visit#"


def test_json_ld_maps_the_fields_the_records_state(mini_kb):
    url_for = page_urls(BASE)
    ld = lambda rid: json.loads(json_ld(mini_kb, mini_kb.get(rid), url_for))  # noqa: E731
    u = lambda rid: url_for(mini_kb.get(rid)) + "#"  # noqa: E731

    visit = ld("the-visit")
    assert (visit["startDate"], visit["endDate"]) == ("2026-02-03", "2026-02-04")
    assert visit["location"]["@type"] == "City" and visit["location"]["@id"] == u("capital-a")
    assert visit["location"]["geo"]["latitude"] == 43.2 and visit["location"]["geo"]["longitude"] == 76.9
    assert [a["@id"] for a in visit["attendee"]] == [u("leader-a")]
    assert [e["@id"] for e in visit["subEvent"]] == [u("the-forum")]
    forum = ld("the-forum")
    assert forum["superEvent"]["@id"] == u("the-visit") and "startDate" not in forum

    place = ld("capital-a")
    assert place["geo"]["@type"] == "GeoCoordinates" and "approximate" in place["geo"]["description"]
    assert place["containedInPlace"]["@id"] == u("land-a")

    land = ld("land-a")
    assert land["alternateName"] == ["Republic of A"]

    signed = ld("src-one")
    assert signed["author"]["@id"] == u("ann-author") and signed["datePublished"] == "2026-02-07"
    unsigned = ld("src-two")  # unsigned, and its date only inferred: neither is stated
    assert "author" not in unsigned and "datePublished" not in unsigned
    assert unsigned["@type"] == "NewsArticle"

    claim = ld("one-bus-value")
    record = mini_kb.get("one-bus-value").record
    assert claim["text"] == record.paraphrase
    assert claim["citation"] == {"@type": "Quotation", "text": record.excerpt}
    assert claim["appearance"]["@id"] == u(record.source)
    assert [a["@id"] for a in claim["about"]] == [u(i) for i in record.about]
    assert claim["temporalCoverage"] == "2026-02-04"

    question = ld("how-many")
    answers = mini_kb.answers(mini_kb.get("how-many"))
    assert [a["@id"] for a in question["suggestedAnswer"]] == [u(c.id) for c in answers]
    assert all(a["@type"] == "Answer" and a["text"] for a in question["suggestedAnswer"])
    assert "acceptedAnswer" not in question  # the sources' answers are set side by side, none chosen

    corridor = ld("a-b-route")
    stops = [item["item"]["@id"] for item in corridor["itinerary"]["itemListElement"]]
    assert stops == [u("capital-a"), u("port-b"), u("land-b")]
    assert "transport corridor" in corridor["additionalType"]
    assert [leg.get("additionalType") for leg in corridor["subTrip"]] == ["rail leg", None]


def test_json_ld_omits_what_is_not_stated(mini_kb):
    url_for = page_urls(BASE)
    for node in mini_kb.nodes.values():
        doc = json.loads(json_ld(mini_kb, node, url_for))
        for sub in _objects(doc):
            for key, value in sub.items():
                assert value not in (None, "", [], {}), (node.id, key)


def _strings(doc: Any) -> set[str]:
    return {v for sub in _objects(doc) for v in sub.values() if isinstance(v, str)}


HOSTILE = '</script><script>alert(1)</script><!-- & "quotes" \u2028'


def test_a_hostile_text_cannot_break_out_of_the_script_element():
    # the mini data with three records' texts replaced
    texts = {"name": HOSTILE, "description": HOSTILE}
    kb = mini_with({"leader-a": texts, "capital-a": texts, "one-count": texts | {"excerpt": HOSTILE, "paraphrase": HOSTILE}})
    url_for = page_urls(BASE)
    for rid in ("leader-a", "one-count", "capital-a", "the-visit", "how-many"):
        text = json_ld(kb, kb.nodes[rid], url_for)
        html = f'<script type="application/ld+json">{text}</script>'
        assert html.lower().count("</script") == 1 and html.lower().endswith("</script>")
        assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
        assert HOSTILE in _strings(json.loads(text))  # the value survives intact
    assert json.loads(json_ld(kb, kb.nodes["one-count"], url_for))["citation"]["text"] == HOSTILE
    # references carry the referenced record's (hostile) name, escaped the same way
    assert json.loads(json_ld(kb, kb.nodes["the-visit"], url_for))["attendee"][0]["name"] == HOSTILE


def test_json_ld_is_deterministic(mini_kb):
    url_for = page_urls(BASE)
    first = {rid: json_ld(mini_kb, node, url_for) for rid, node in mini_kb.nodes.items()}
    other = load_mini()
    assert {rid: json_ld(other, node, url_for) for rid, node in other.nodes.items()} == first


def test_the_module_names_no_record_type_outside_its_mappings():
    """Exports are generic over the registry: the data-file half never names a record type."""
    source = (Path(__file__).resolve().parents[1] / "scripts" / "kb" / "export.py").read_text(encoding="utf-8")
    data_half = source.split("# =========================================================================== JSON-LD")[0]
    for rtype in REGISTRY:
        if rtype.name in {c.type_name for c in COMPUTED}:  # computed fields are declared in COMPUTED
            continue
        assert f'"{rtype.name}"' not in data_half and f'"{rtype.plural}"' not in data_half
