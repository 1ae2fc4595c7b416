"""Load YAML files safely, keeping the line and column of every value.

PyYAML's defaults have traps this loader closes:

* a duplicate key is an error (PyYAML silently keeps the last one);
* only YAML 1.2's core scalars are guessed: ``true``/``false`` are booleans,
  but ``yes``, ``no``, ``on``, ``off`` stay text; ``0123`` stays text; numbers
  are plain decimals; so the strict schemas reject a guess instead of letting
  it change a value (``1.10`` in a text field is reported, not turned into 1.1);
* only the safe constructors exist: no Python objects can be built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml.cyaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import DataError, ErrorLog


class MarkedDict(dict):
    """A mapping that remembers where it and each of its values start (1-based)."""

    line: int = 0
    col: int = 0
    value_marks: dict[Any, tuple[int, int]]
    duplicates: list[tuple[str, int, int, int]]  # key, line, col, line of the first one


class MarkedList(list):
    line: int = 0
    col: int = 0
    item_marks: list[tuple[int, int]]


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema resolution, plus dates (YYYY-MM-DD)."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+|(?:0|[1-9][0-9]*))(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp", re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), list("0123456789")
)


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _Resolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Resolver.__init__(self)


if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.cyaml.CParser, yaml.constructor.SafeConstructor, _Resolver):  # type: ignore[misc]
        """libyaml's parser (same nodes and marks, several times faster) with our resolver."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)

    _LOADER: type = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = _Loader


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)


@dataclass
class _Builder:
    """Turns a composed node tree into MarkedDict/MarkedList, collecting errors."""

    loader: Any
    file: str
    log: ErrorLog

    def build(self, node: yaml.Node) -> Any:
        if node.tag not in _PLAIN_TAGS:
            line, col = _mark(node)
            self.log.add(DataError(self.file, line, col, None, None,
                                   f"unsupported YAML tag '{node.tag}': plain values, lists and mappings only"))
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            out = MarkedList(self.build(item) for item in node.value)
            out.line, out.col = _mark(node)
            out.item_marks = [_mark(item) for item in node.value]
            return out
        if isinstance(node, ScalarNode):
            try:
                return self.loader.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError as exc:
                line, col = _mark(node)
                self.log.add(DataError(self.file, line, col, None, None, f"unreadable value: {exc.problem}"))
                return None
        raise AssertionError(f"unknown node {node!r}")

    def _mapping(self, node: MappingNode) -> MarkedDict:
        out = MarkedDict()
        out.line, out.col = _mark(node)
        out.value_marks = {}
        out.duplicates = []
        key_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node)
            if not isinstance(key, str):
                line, col = _mark(key_node)
                self.log.add(
                    DataError(self.file, line, col, None, None, f"a key must be text, got {key!r}")
                )
                continue
            if key in out:
                # Reported by validation, which knows the record and the field path.
                out.duplicates.append((key, *_mark(key_node), key_lines[key]))
                continue
            key_lines[key] = _mark(key_node)[0]
            out[key] = self.build(value_node)
            out.value_marks[key] = _mark(value_node)
        return out


def load_yaml(path: Path, display: str, log: ErrorLog) -> Any:
    """Parse one YAML file; syntax errors go to ``log`` and give ``None``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        log.add(DataError(display, 1, 1, None, None, f"not UTF-8 text ({exc.reason})"))
        return None
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        log.add(DataError(display, line, col, None, None, f"YAML syntax error: {problem}{context}"))
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Builder(loader, display, log).build(node)
