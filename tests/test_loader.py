"""The YAML loader: libyaml and the pure-Python parser agree on values and on every line mark."""

from __future__ import annotations

import json
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
    fast = loader.load_yaml(path, path.name, ErrorLog())
    monkeypatch.setattr(loader, "_LOADER", loader._Loader)
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
