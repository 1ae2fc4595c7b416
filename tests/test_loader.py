"""The YAML loader: libyaml and the pure-Python parser agree on values and on every line mark."""

from __future__ import annotations

import re

import json
import os
from pathlib import Path

import pytest

from conftest import ROOT

from kb import loader
from kb.errors import ErrorLog


def marks(node, path=()):
    """Every (path, value-or-type, mark) in a marked tree."""
    if isinstance(node, loader.MarkedDict):
        yield path, "map", (node.line, node.col)
        for key, value in node.items():
            yield (*path, key), "at", node.value_marks[key]
            yield from marks(value, (*path, key))
    elif isinstance(node, loader.MarkedList):
        yield path, "list", (node.line, node.col)
        for i, item in enumerate(node):
            yield (*path, i), "at", node.item_marks[i]
            yield from marks(item, (*path, i))
    else:
        yield path, repr(node), None


@pytest.mark.skipif(loader._LOADER is loader._Loader, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", sorted((ROOT / "data").rglob("*.yaml")), ids=lambda p: p.name)
def test_libyaml_and_python_parsers_agree(path: Path, monkeypatch):
    """Each parser parses the file itself: nothing kept in this process or in the cache."""
    monkeypatch.setenv("KB_CACHE_DIR", "off")
    loader.forget_parsed()
    fast = loader.load_yaml(path, path.name, ErrorLog())
    monkeypatch.setattr(loader, "_LOADER", loader._Loader)
    loader.forget_parsed()
    slow = loader.load_yaml(path, path.name, ErrorLog())
    assert fast == slow
    assert list(marks(fast)) == list(marks(slow))


def test_yaml_12_scalars(tmp_path: Path):
    source = tmp_path / "x.yaml"
    source.write_text("a: yes\nb: no\nc: on\nd: 0123\ne: 1.10\nf: true\ng: 2026-02-04\nh: ~\ni: 12\n")
    data = loader.load_yaml(source, "x.yaml", ErrorLog())
    assert data == {
        "a": "yes", "b": "no", "c": "on", "d": "0123", "e": 1.1, "f": True,
        "g": __import__("datetime").date(2026, 2, 4), "h": None, "i": 12,
    }


@pytest.mark.parametrize("value", ["", "~", "null", "Null", "true", "False", "yes", "no", "on", "0", "0123", "-7", "+3",
                                   "1.10", ".5", "1e3", "2026-02-04", "2026-02-30", "2026-02", "Astana", "- x", "#"])
def test_the_resolver_gives_baseresolvers_tags(value: str):
    """The loader's own resolve() (no list built per value) agrees with PyYAML's BaseResolver.resolve
    on every kind of node, plain or quoted."""
    import yaml

    mine = loader._Resolver()
    for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
        for implicit in ((True, False), (False, True), (False, False)):
            assert mine.resolve(kind, value, implicit) == yaml.resolver.BaseResolver.resolve(mine, kind, value, implicit)


def test_no_python_objects(tmp_path: Path):
    source = tmp_path / "x.yaml"
    source.write_text("a: !!python/object/apply:os.system ['true']\n")
    log = ErrorLog()
    loader.load_yaml(source, "x.yaml", log)
    assert len(log) == 1 and "x.yaml:1:4" in str(log.errors[0])


def test_editor_schemas_match_the_models():
    from kb.editor_schema import render_all

    for path, text in render_all().items():
        assert path.exists(), f"{path} is missing: run python scripts/knowledge_base.py schema"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python scripts/knowledge_base.py schema"


def test_data_files_name_their_editor_schema():
    from kb.editor_schema import modeline
    from kb.registry import REGISTRY

    for rtype in REGISTRY:
        for path in sorted((ROOT / "data" / rtype.plural).glob("*.yaml")):
            assert path.read_text(encoding="utf-8").splitlines()[0] == modeline(rtype), path


def test_text_is_nfc_from_load_on_in_pages_and_exports(mini_project: Path):
    """A name typed in a decomposed form (o + U+0308, as some keyboards and pastes give it) is one
    text with the precomposed form everywhere after loading: the page, the JSON and the CSV."""
    import unicodedata

    from conftest import kb_cli

    nfd, nfc = unicodedata.normalize("NFD", "Mövenpick Ann"), "Mövenpick Ann"
    assert nfd != nfc
    actors = mini_project / "data" / "actors" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("name: Ann Author", f"name: {nfd}", 1), encoding="utf-8")
    data = loader.load_yaml(actors, "actors.yaml", ErrorLog())
    assert data[0]["name"] == nfc
    done = kb_cli(mini_project, "generate")
    assert done.returncode == 0, done.stdout + done.stderr
    written = [
        mini_project / "docs" / "actors" / "ann-author.md",
        mini_project / "docs" / "data" / "actors.json",
        mini_project / "docs" / "data" / "actors.csv",
        mini_project / "docs" / "data" / "knowledge-base.json",
    ]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert nfc in text or json.dumps(nfc) in text, path
        assert nfd not in text and json.dumps(nfd) not in text, path


def _with_marks(value):
    """A tree as plain values with every mark, to compare two parses exactly."""
    if isinstance(value, loader.MarkedDict):
        return ("map", value.line, value.col, sorted(value.key_marks.items()), sorted(value.value_marks.items()),
                value.duplicates, [(k, _with_marks(v)) for k, v in value.items()])
    if isinstance(value, loader.MarkedList):
        return ("seq", value.line, value.col, value.item_marks, [_with_marks(v) for v in value])
    return value


_CHILD_MARKS: dict[str, Path] = {}
_REAL_PARSE_FILES = loader._parse_files


def _parse_files_marking(files):
    """loader._parse_files, run in the forked process, leaving a file that says which files it parsed."""
    (_CHILD_MARKS["folder"] / f"child-{os.getpid()}").write_text(" ".join(display for _path, display in files))
    return _REAL_PARSE_FILES(files)


def _allow_fork(monkeypatch) -> None:
    """Let load_files fork in this test, or skip it where no second process can parse (one CPU, no
    fork). In the whole suite another test's idle thread (a browser's local server) is still
    alive, and _may_fork, which refuses to fork beside a thread, would keep every parse in one
    process: the two-process cases were skipped in CI."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if not hasattr(os, "fork") or cpus < 2:
        pytest.skip("this machine has one CPU (or no fork): only one process parses")
    monkeypatch.setattr(loader, "_may_fork", lambda: True)


@pytest.mark.parametrize("processes", ["1", None])  # one process parses all; or two, above PARALLEL_BYTES
def test_a_file_parsed_once_is_read_back_from_the_cache(processes, tmp_path: Path, monkeypatch):
    """A later process (here: this one's kept trees forgotten) reads each file's tree and errors
    back from the generator's cache, every mark the same, instead of parsing it: whether this
    process or a forked one parsed it first. An edited file is parsed again, and so are the same
    bytes under another name (its errors name the file); with the cache off, every file is."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    if processes:
        monkeypatch.setenv("KB_GENERATE_WORKERS", processes)
    else:
        monkeypatch.delenv("KB_GENERATE_WORKERS", raising=False)
        _allow_fork(monkeypatch)
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 1)
    texts = {
        "a.yaml": "".join(f"- id: rec-{i}\n  name: Name {i}\n  figures: [1, 2.5, true]\n" for i in range(300)),
        "b.yaml": "- id: y\n  name: A\n  name: B\n",  # a duplicate key, reported by validation
        "c.yaml": "- id: x\n  name: [unclosed\n",  # a syntax error, reported here
        "d.yaml": "".join(f"- id: d-{i}\n  when: 2026-02-0{i % 9 + 1}\n" for i in range(200)),
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = [(tmp_path / name, f"data/{name}") for name in texts]
    parsed: list[str] = []
    real = loader._parse
    monkeypatch.setattr(loader, "_parse", lambda data, display, log: parsed.append(display) or real(data, display, log))

    def parse(which=files):
        loader.forget_parsed()
        log = ErrorLog()
        out = loader.load_files(which, log)
        return [(_with_marks(tree), n) for tree, n in out], [str(e) for e in log.errors]

    first = parse()
    assert first[1] and "data/c.yaml" in first[1][0]
    parsed.clear()
    monkeypatch.setattr(loader, "_parse_files", lambda files: pytest.fail("a process started to parse nothing"))
    assert parse() == first and parsed == []
    (tmp_path / "a.yaml").write_text(texts["a.yaml"].replace("Name 7\n", "Name seven\n"), encoding="utf-8")
    edited = parse()
    assert parsed == ["data/a.yaml"] and edited[0][1:] == first[0][1:] and edited[0][0] != first[0][0]
    parsed.clear()
    renamed = parse([(tmp_path / "c.yaml", "data/c2.yaml")])
    assert parsed == ["data/c2.yaml"] and "data/c2.yaml" in renamed[1][0]
    if loader._LOADER is not loader._Loader:  # the other parser words its errors its own way
        parsed.clear()
        with monkeypatch.context() as other:
            other.setattr(loader, "_LOADER", loader._Loader)
            parse([(tmp_path / "c.yaml", "data/c.yaml")])
        assert parsed == ["data/c.yaml"]
    monkeypatch.setenv("KB_CACHE_DIR", "off")
    parsed.clear()
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 10**12)  # in this process, where the spy sees every parse
    assert parse() == edited and sorted(parsed) == sorted(display for _path, display in files)


def test_parsing_in_two_processes_gives_what_one_gives(tmp_path: Path, monkeypatch):
    """load_files shares the files with a forked process above PARALLEL_BYTES: the same trees, with
    the same marks, and the same errors in the same order as one process parsing them all."""
    texts = {
        "a.yaml": "".join(f"- id: rec-{i}\n  name: Name {i}\n  figures: [1, 2.5, true]\n" for i in range(300)),
        "b.yaml": "- id: x\n  name: [unclosed\n",  # a syntax error
        "c.yaml": "# nothing but a comment\n",
        "d.yaml": "- id: y\n  name: A\n  name: B\n",  # a duplicate key
        "e.yaml": "".join(f"- id: e-{i}\n  when: 2026-02-0{i % 9 + 1}\n  note: \"Mövenpick {i}\"\n" for i in range(200)),
        "f.yaml": b"- id: z\n  name: \xff\n",  # not UTF-8
    }
    files = []
    for name, text in texts.items():
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        files.append((path, f"data/{name}"))
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 1)
    monkeypatch.setenv("KB_CACHE_DIR", "off")  # every file parsed each time (nothing read back)

    def parse(workers: str | None):
        if workers is None:
            monkeypatch.delenv("KB_GENERATE_WORKERS", raising=False)
        else:
            monkeypatch.setenv("KB_GENERATE_WORKERS", workers)
        loader.forget_parsed()
        log = ErrorLog()
        out = loader.load_files(files, log)
        return [(_with_marks(tree), n) for tree, n in out], [str(e) for e in log.errors]

    one = parse("1")
    monkeypatch.delenv("KB_GENERATE_WORKERS")
    _allow_fork(monkeypatch)
    _CHILD_MARKS["folder"] = tmp_path
    monkeypatch.setattr(loader, "_parse_files", _parse_files_marking)
    two = parse(None)
    marks = list(tmp_path.glob("child-*"))
    assert len(marks) == 1 and marks[0].name != f"child-{os.getpid()}" and marks[0].read_text()
    assert two == one
    assert [n for _tree, n in one[0]] == [0, 1, 0, 0, 0, 1] and len(one[1]) == 2
    assert one[0][0][0][0] == "seq" and one[0][4][0][0] == "seq"


_RECORDS = '- id: a\n  name: A\n  kind: fact\n  excerpt: "text"\n  paraphrase: Para\n- id: b\n  name: B\n'


@pytest.mark.parametrize("parser", ["libyaml", "python"])
@pytest.mark.parametrize("mistake, old, new, where, hint", [
    ("a field indented more than the others", "  paraphrase", "    paraphrase", "5:5",
     "line 5 is indented 4 spaces, the fields above it (from line 1) 2 spaces: indent it like them"),
    ("a field indented less", "  paraphrase", " paraphrase", "5:2",
     "line 5 is indented 1 space: the record it is in starts at line 1 with '- ' at the start of the line, "
     "and its fields are indented 2 spaces"),
    ("a field of the second record indented less", "  name: B", " name: B", "7:2",
     "the record it is in starts at line 6 with '- '"),  # the record's line, not the list's
    ("a record's dash indented", "- id: b", " - id: b", "6:2",
     "line 6 is indented 1 space: a record starts with '- ' at the start of the line, as at line 1"),
    ("a tab", "  paraphrase", "\tparaphrase", "5:1", "indent with spaces only"),
    ("no space after a colon", "paraphrase: Para", "paraphrase:Para", "5:3",  # the line to mend, not the next
     "this line has no ': ' after a field's name"),
    ("': ' inside a value", "name: A", "name: A: the sequel", "2:10", "must be quoted: write it in double quotes"),
    ("': ' inside a value with double quotes", "name: A", 'name: A: the "sequel"', "2:10",
     "must be quoted: write it in single quotes ('...'), since it holds double quotes"),
    ("text after a closing quote", 'excerpt: "text"', 'excerpt: "text" said', "4:19",
     "there is text after a closing quote"),
    # at the quote that opens it (the parser noticed at the end of the file, 8:1)
    ("an unclosed quote", '"text"', '"text', "4:12", "the value in quotes that starts here is never closed"),
    # the same, in single quotes after text that is not ASCII (the closing mark named is the opening one)
    ("an unclosed single quote after accented text", 'name: A\n  kind: fact\n  excerpt: "text"',
     "name: Ünïcödé ✓\n  kind: fact\n  excerpt: 'text", "4:12", "looking for its closing '; end the value with ' on this line"),
    # a quote left open reads on to the quote that opens a later value: the error is where it opens,
    # not lines below where the parser stopped (a new user's trial: 3 lines below, "text after a closing quote")
    ("a quote left open before another quoted value", 'excerpt: "text"\n  paraphrase: Para',
     'excerpt: "text\n  paraphrase: "Para"', "4:12",
     "not closed on its line, so YAML read on to the next \", at line 5, column 15: end the value with \" on this line"),
    ("a quote left open before a flow mapping's quoted value", 'excerpt: "text"\n  paraphrase: Para',
     'excerpt: "text\n  paraphrase: Para\n  when: {start: "2026-02"}', "4:12", "at line 6, column 17"),
    ("a single quote left open before another quoted value", "name: A\n  kind: fact", "name: 'A sequel\n  kind: 'fact'",
     "2:9", "the value in single quotes that starts here is not closed on its line, so YAML read on to the next ', at line 3"),
    ("an apostrophe inside single quotes", "name: A", "name: 'Kazakhstan's envoy'", "2:20",
     "the ' before 's' ends the value in single quotes that starts at line 2, column 9: inside single "
     "quotes write it as '', or put the value in double quotes"),
    ("a double quote inside double quotes", "name: A", 'name: "He said "yes" today"', "2:18",
     "the \" before 'yes' ends the value in double quotes that starts at line 2, column 9: inside double "
     "quotes write it as \\\", or put the value in single quotes"),
    ("an unclosed list", "kind: fact", "about: [x, y", "4:10", "the list that starts there is never closed: end it with ']'"),
])
def test_a_yaml_syntax_error_says_what_to_mend(parser, mistake, old, new, where, hint, monkeypatch):
    """The parser's message names its own constructs ("did not find expected key"); each common
    mistake behind one also gets what to do about it, at the line to mend."""
    if parser == "python":
        monkeypatch.setattr(loader, "_LOADER", loader._Loader)
    elif loader._LOADER is loader._Loader:
        pytest.skip("PyYAML was built without libyaml")
    assert old in _RECORDS
    log = ErrorLog()
    loader._parse(_RECORDS.replace(old, new, 1).encode(), "f.yaml", log)
    assert len(log.errors) == 1, (mistake, log.errors)
    error = str(log.errors[0])
    assert re.match(rf"f\.yaml:{where}: (record '\w+', field '\w+': )?YAML syntax error: ", error), (mistake, error)
    assert hint in error, (mistake, error)


@pytest.mark.parametrize("mistake, old, new, subject", [
    ("a field indented more than the others", "  paraphrase", "    paraphrase", "record 'a', field 'paraphrase'"),
    ("a quote left open before another quoted value", 'excerpt: "text"\n  paraphrase: Para',
     'excerpt: "text\n  paraphrase: "Para"', "record 'a', field 'excerpt'"),  # where the quote opens
    ("an apostrophe inside single quotes", "name: B", "name: 'B's'", "record 'b', field 'name'"),
    ("a value left open until the end of the file", 'excerpt: "text"', 'excerpt: "text', "record 'a', field 'excerpt'"),
    ("text after a closing quote in a nested field", 'excerpt: "text"', 'when:\n    note: "x" y', "record 'a', field 'note'"),
])
def test_a_yaml_syntax_error_names_the_record_and_the_field_of_its_line(mistake, old, new, subject):
    """A file with a syntax error cannot be read as records, but its lines say which record and
    which field the line to mend is in: the id of the list item, and the field on that line or, for
    a line inside a field's value, the record's field that holds it."""
    assert old in _RECORDS
    log = ErrorLog()
    loader._parse(_RECORDS.replace(old, new, 1).encode(), "f.yaml", log)
    assert len(log.errors) == 1, (mistake, log.errors)
    assert f": {subject}: YAML syntax error: " in str(log.errors[0]), (mistake, str(log.errors[0]))


def test_the_record_and_field_of_a_line_are_none_where_the_lines_do_not_say():
    text = "# a comment\nname: x\n- id: a\n  name: A\n"
    assert loader.record_and_field(text, 1) == (None, None)  # above the first record
    assert loader.record_and_field(text, 4) == ("a", "name")
    assert loader.record_and_field("- name: A\n  kind: x\n", 2) == (None, "kind")  # a record without an id
    assert loader.record_and_field(text, 99) == (None, None)
