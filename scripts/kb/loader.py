"""Load YAML files safely, keeping the line and column of every value.

PyYAML's defaults have traps this loader closes:

* a duplicate key is an error (PyYAML silently keeps the last one);
* only YAML 1.2's core scalars are guessed: ``true``/``false`` are booleans,
  but ``yes``, ``no``, ``on``, ``off`` stay text; ``0123`` stays text; numbers
  are plain decimals; so the strict schemas reject a guess instead of letting
  it change a value (``1.10`` in a text field is reported, not turned into 1.1);
* only the safe constructors exist: no Python objects can be built;
* every text is normalised to Unicode NFC, so the same words are the same characters in pages,
  exports and search whatever form the editor's keyboard or a paste gave them.
"""

from __future__ import annotations

import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.cyaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import DataError, ErrorLog


class MarkedDict(dict):
    """A mapping that remembers where it, each of its keys and each of its values start (1-based)."""

    line: int = 0
    col: int = 0
    key_marks: dict[Any, tuple[int, int]]
    value_marks: dict[Any, tuple[int, int]]
    duplicates: list[tuple[str, int, int, int]]  # key, line, col, line of the first one


class MarkedList(list):
    line: int = 0
    col: int = 0
    item_marks: list[tuple[int, int]]


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema resolution, plus dates (YYYY-MM-DD)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """BaseResolver.resolve for a resolver with no path resolvers and no wildcard: the same tags,
        without building a list of candidates for every value (it ran once per scalar, 200,000
        times at 10,000 records, and was a seventh of loading)."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


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


_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)


@dataclass
class _Builder:
    """Turns a composed node tree into MarkedDict/MarkedList, collecting errors."""

    loader: Any
    file: str
    log: ErrorLog
    seen: set[int] = field(default_factory=set)
    alias_reported: bool = False
    depth: int = 0
    depth_reported: bool = False

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, (MappingNode, SequenceNode)):
            if self.depth >= MAX_DEPTH:
                if not self.depth_reported:
                    self.depth_reported = True
                    line, col = _mark(node)
                    self.log.add(DataError(self.file, line, col, None, None,
                                           f"lists and mappings nested more than {MAX_DEPTH} deep"))
                return None
            self.depth += 1
            try:
                return self._build(node)
            finally:
                self.depth -= 1
        return self._build(node)

    def _build(self, node: yaml.Node) -> Any:
        # The composer gives every value its own node, except where an alias (*name) repeats an
        # anchored one (&name): refuse it, once per file, rather than expand it (an "alias bomb"
        # of nine nested aliases would otherwise expand to 9**9 values and exhaust memory).
        if id(node) in self.seen:
            if not self.alias_reported:
                self.alias_reported = True
                line, col = _mark(node)
                self.log.add(DataError(self.file, line, col, None, None,
                                       "YAML anchors and aliases (&name, *name) are not supported: "
                                       "the value anchored here is repeated by an alias; write it out"))
            return None
        self.seen.add(id(node))
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
            if node.tag == _STR_TAG:  # most values: what SafeConstructor would give, without its dispatch
                return unicodedata.normalize("NFC", node.value)
            try:
                value = self.loader.construct_object(node, deep=True)
            except ValueError:
                # an unquoted date that is no date (2026-02-30): keep the text, so that the
                # schema reports it with its record and field
                value = node.value
            except yaml.constructor.ConstructorError as exc:
                line, col = _mark(node)
                self.log.add(DataError(self.file, line, col, None, None, f"unreadable value: {exc.problem}"))
                return None
            # Every text is Unicode NFC from here on (pages, exports, search): "Mövenpick" typed
            # as o + U+0308 is the same record text as with the precomposed ö.
            return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
        raise AssertionError(f"unknown node {node!r}")

    def _mapping(self, node: MappingNode) -> MarkedDict:
        out = MarkedDict()
        out.line, out.col = _mark(node)
        out.key_marks = {}
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
            out.key_marks[key] = _mark(key_node)
            out.value_marks[key] = _mark(value_node)
        return out


# A data file is a few hundred kilobytes at most; anything this big is a mistake (a pasted
# dump, a generated file in the wrong folder) and is refused before it is read or parsed.
MAX_FILE_BYTES = 20 * 10**6
# Real records nest four or five levels (record, roles, a role's fields); deeper is a mistake.
MAX_DEPTH = 32


def _first_alias(text: str) -> Any:
    """The first alias event (*name) in the text, if any, found before anything is composed: an
    alias repeats a value, and nested ones ("billion laughs") multiply into billions of values.
    Syntax errors are left for the real parse to report."""
    scan = _LOADER(text)
    try:
        while not scan.check_event(yaml.StreamEndEvent):
            event = scan.get_event()
            if isinstance(event, yaml.AliasEvent):
                return event
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        scan.dispose()
    return None


_PARSED: dict[str, tuple[bytes, Any, list[DataError]]] = {}  # display → (content, tree, errors)


def forget_parsed() -> None:
    """Let the kept parse trees go (see :func:`load_yaml`): for a process that loads the data once,
    such as ``generate``, where at 10,000 records they hold about 90 MB to the end."""
    _PARSED.clear()


def load_yaml(path: Path, display: str, log: ErrorLog, look_in_cache: bool = True) -> Any:
    """Parse one YAML file; syntax errors go to ``log`` and give ``None``.

    The result depends on the file's bytes alone, so it is kept, in this process (one entry per
    file) and in the generator's cache (``_kept``), and a file whose bytes did not change is not
    parsed again: under ``mkdocs serve`` an edit re-parses only the file it touched, and so does
    the next `generate` or `mkdocs build` (``look_in_cache=False``: the caller looked already).
    The marked tree is never modified downstream."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        log.add(DataError(display, 1, 1, None, None,
                          f"the file is {size / 1e6:.1f} MB, over the limit of {MAX_FILE_BYTES // 10**6} MB "
                          "for one data file: split it into several files"))
        return None
    data = path.read_bytes()
    hit = _PARSED.get(display)
    if (hit is None or hit[0] != data) and look_in_cache:
        hit = _from_cache(display, data) or hit
    if hit is not None and hit[0] == data:
        for error in hit[2]:
            log.add(error)
        return hit[1]
    mine = ErrorLog()
    tree = _parse(data, display, mine)
    for error in mine.errors:
        log.add(error)
    _PARSED[display] = (data, tree, list(mine.errors))
    if _caching():
        _keep(display, data, _pickled(tree, mine.errors))
    return tree


def _parser() -> str:
    """Which parser ``_LOADER`` is, with libyaml's version when it is libyaml's: the two word
    their syntax errors differently, and may place them differently."""
    if _LOADER is _Loader:
        return "python"
    import yaml._yaml  # noqa: PLC0415 (only where PyYAML was built with libyaml)

    return f"libyaml {yaml._yaml.get_version_string()}"


def _cache_key(display: str, data: bytes) -> str:
    """What a file's tree and errors depend on: its bytes and name (the errors carry it), this
    module's code and the error's, PyYAML's version and which parser it uses, and the Unicode
    tables NFC follows."""
    from . import cache

    return cache.digest("yaml", cache.code_version("loader.py", "errors.py"), yaml.__version__, _parser(),
                        unicodedata.unidata_version, display, data)


def _kept(display: str, data: bytes) -> tuple[Any, list[DataError]] | None:
    """A file's tree and errors as an earlier process parsed them, from the generator's cache
    (``cache.py``, kind "yaml"), or None. Reading one back takes about a quarter of the time
    parsing it does (the 10,000 records' 2.2 MB of YAML: 0.56 s against 2.19 s, one process)."""
    from . import cache

    blob = cache.read("yaml", _cache_key(display, data))
    if blob is None:
        return None
    try:
        tree, errors = pickle.loads(blob)
    except Exception:  # an entry that does not read back (never written so): parse the file
        return None
    return tree, errors


def _keep(display: str, data: bytes, blob: bytes) -> None:
    """Keep a file's pickled ``(tree, errors)`` in the generator's cache (see ``_kept``)."""
    from . import cache

    cache.write("yaml", _cache_key(display, data), blob)


def _caching() -> bool:
    from . import cache

    return cache.directory() is not None


def _pickled(tree: Any, errors: list[DataError]) -> bytes:
    """A file's ``(tree, errors)`` as ``_kept`` reads them back."""
    return pickle.dumps((tree, list(errors)), protocol=pickle.HIGHEST_PROTOCOL)


def _from_cache(display: str, data: bytes) -> tuple[bytes, Any, list[DataError]] | None:
    """The file's ``_PARSED`` entry from the generator's cache, now kept in ``_PARSED`` too, or
    None when the cache has none."""
    kept = _kept(display, data)
    if kept is None:
        return None
    entry = _PARSED[display] = (data, *kept)
    return entry


# With at least this many bytes of YAML to parse, a forked process parses part of the files while
# this one parses the rest (``load_files``). Parsing is most of loading, and loading runs before the
# render's workers start: at 10,000 records (2.2 MB in ten files) it took 2.4 s of 4 s in one process.
PARALLEL_BYTES = 1_000_000


def load_files(files: list[tuple[Path, str]], log: ErrorLog) -> list[tuple[Any, int]]:
    """:func:`load_yaml` for each ``(path, display)``, in order: each file's tree and the number of
    errors it added to ``log`` (in file order, as one process adds them).

    A file whose bytes an earlier process parsed is read from the generator's cache (``_kept``).
    When the files left to parse hold ``PARALLEL_BYTES`` or more, and this process may fork (one
    thread, more than one CPU, ``KB_GENERATE_WORKERS`` not 1), they are shared between it and one
    forked process, largest first, each to the one with fewer bytes so far; the child's trees come
    back pickled (a fifth of the time parsing them takes), and go into the cache as they came."""
    # The files never parsed here (a kept one, changed or not, is load_yaml's to check: a re-parse
    # after an edit under `serve` is one file, not worth a process) and not in the generator's cache.
    todo = [(i, size) for i, (path, display) in enumerate(files)
            if display not in _PARSED and (size := path.stat().st_size) <= MAX_FILE_BYTES
            and not _from_cache(display, path.read_bytes())]
    child: list[int] = []
    if sum(size for _i, size in todo) >= PARALLEL_BYTES and _may_fork():
        mine_bytes = child_bytes = 0
        for i, size in sorted(todo, key=lambda t: (-t[1], t[0])):
            if child_bytes < mine_bytes:
                child.append(i)
                child_bytes += size
            else:
                mine_bytes += size
    results: dict[int, tuple[Any, list[DataError]]] = {}

    def here(i: int) -> None:
        mine = ErrorLog()
        results[i] = (load_yaml(files[i][0], files[i][1], mine, look_in_cache=False), mine.errors)

    if child:
        import concurrent.futures
        import multiprocessing

        with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            future = pool.submit(_parse_files, [files[i] for i in child])
            theirs = set(child)
            for i in range(len(files)):
                if i not in theirs:
                    here(i)
            for i, (data, blob) in zip(child, future.result()):
                tree, errors = pickle.loads(blob)
                _PARSED[files[i][1]] = (data, tree, errors)
                _keep(files[i][1], data, blob)
                results[i] = (tree, errors)
    else:
        for i in range(len(files)):
            here(i)
    out = []
    for i in range(len(files)):
        tree, errors = results[i]
        for error in errors:
            log.add(error)
        out.append((tree, len(errors)))
    return out


def _may_fork() -> bool:
    import threading

    setting = os.environ.get("KB_GENERATE_WORKERS")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return hasattr(os, "fork") and threading.active_count() == 1 and cpus > 1 and setting != "1"


def _parse_files(files: list[tuple[Path, str]]) -> list[tuple[bytes, bytes]]:
    """In the forked process: each file's bytes, and its tree and errors pickled, as the parent
    keeps them in its cache (pickled once, here, for the way back and for the cache). It keeps
    nothing itself: the parent is the cache's one writer while the files are parsed."""
    out = []
    for path, display in files:
        data = path.read_bytes()
        mine = ErrorLog()
        tree = _parse(data, display, mine)
        out.append((data, _pickled(tree, mine.errors)))
    return out


def yaml_hint(text: str, problem: str, context: str, line: int, col: int, start: Any = None) -> str:
    """What to do about a YAML syntax error, in the editor's terms: "" when there is nothing to add
    to the parser's message, else "; " and the hint. ``line`` and ``col`` (from 1) are where the
    error is reported, ``start`` the parser's mark of where what it was parsing began (0-based, or
    None). The parser's messages name its own constructs ("did not find expected key"); the
    mistakes behind them, seen in editors' trials and in ``tests/bad_data/``: a field indented more
    or less than the others, a tab, ': ' inside a value, text after a closing quote, a line that
    continues a value at the field's own indentation, an unclosed quote."""
    rows = text.split("\n")
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    indent = _indent(row)
    at = row[col - 1 : col] if col >= 1 else ""
    before = row[: col - 1]
    if at == "\t" or "tab character" in problem:
        return "; indent with spaces only: YAML does not allow tabs there"
    # libyaml's words, then PyYAML's own parser's (used where PyYAML was built without libyaml)
    block_end = problem.startswith(("did not find expected key", "did not find expected '-' indicator",
                                    "expected <block end>"))
    if block_end and start is not None and "block mapping" in context:
        keys = start.column  # where the mapping's first key is, counted from 0: its keys' indentation
        if before.strip() == "" and indent != keys:
            return (f"; line {line} is indented {_spaces(indent)}, the fields above it (from line {start.line + 1}) "
                    f"{_spaces(keys)}: indent it like them")
        if before.rstrip().endswith(('"', "'")):
            return "; there is text after a closing quote: put the whole value in quotes, or leave the quotes out"
    if block_end and start is not None and ("block collection" in context or "block sequence" in context):
        dash = start.column
        where = "at the start of the line" if dash == 0 else f"after {_spaces(dash)}"
        item = " " * dash + "-"  # the item this line belongs to: the nearest one above it (a record)
        above = next((n for n in range(line - 1, start.line, -1) if rows[n - 1].startswith(item)), start.line + 1)
        if row.lstrip().startswith("-"):  # a record's own first line
            return (f"; line {line} is indented {_spaces(indent)}: a record starts with '- ' {where}, "
                    f"as at line {above}")
        return (f"; line {line} is indented {_spaces(indent)}: the record it is in starts at line {above} with "
                f"'- ' {where}, and its fields are indented {_spaces(dash + 2)}")
    if problem.startswith("mapping values are not allowed") and at == ":":
        key, above = before.strip(), _indent_above(rows, line)
        if key and ": " not in key and not key.startswith(("-", '"', "'")) and indent > above:
            return (f"; line {line} is indented {_spaces(indent)}, more than the line above "
                    f"({_spaces(above)}): a field of the same record is indented like the others")
        value = before.split(": ", 1)[-1] + row[col - 1 :]
        if '"' in value:
            return ("; a value with ': ' in it must be quoted: write it in single quotes ('...'), since it holds "
                    "double quotes (a single quote inside is written twice: '')")
        return "; a value with ': ' in it must be quoted: write it in double quotes (\"...\")"
    if problem == "could not find expected ':'":
        return ("; this line has no ': ' after a field's name: write 'name: value' with a space after the colon, "
                "or, if it continues the value above, indent it more than that value's field")
    if problem == "found unexpected end of stream" and "quoted scalar" in context:
        return "; the quoted value that starts there is never closed: end it with the same quote mark"
    flow = re.match(r"(?:did not find )?expected ',' or '([]}])'", problem)
    if flow and "flow" in context:
        close = flow[1]
        what = "list" if close == "]" else "mapping"
        return f"; the {what} that starts there is never closed: end it with '{close}', with commas between its items"
    return ""


def _opening_quote(text: str, close: int) -> int | None:
    """The offset of the quote mark that opens the quoted value closed by the quote at ``close``:
    the nearest one before it of the same kind that is not escaped (``\\"`` in double quotes, ``''``
    in single quotes), since a quoted value holds no other; None when there is none."""
    q = text[close]
    i = close - 1
    while i >= 0:
        if text[i] == q:
            if q == '"':
                j = i
                while j > 0 and text[j - 1] == "\\":
                    j -= 1
                if (i - j) % 2 == 0:  # not escaped (an even run of backslashes before it escapes only itself)
                    return i
            elif i > 0 and text[i - 1] == "'":
                i -= 2  # '' inside single quotes: one quote mark of the value
                continue
            else:
                return i
        i -= 1
    return None


# Where a value starts: after a field's name (`name: `, `{start: `), a list's dash, `[`, `{` or `,`.
_VALUE_START = re.compile(r"(?:(?:^|[\s{\[,])[A-Za-z_][\w-]*:|^\s*-|[\[{,])\s*$")


def _quote_left_open(
    text: str, problem: str, context: str, line: int, col: int, start: Any,
) -> tuple[tuple[int, int], str] | None:
    """For a YAML syntax error caused by a quote mark, where to mend it (line, column, from 1) and
    what to do, or None. Three mistakes, seen in an editor's trial:

    * a quote opened and never closed on its line: the parser reads on, through line breaks, to
      the next quote mark of the kind, often the one that opens a later field's value
      (``when: {start: "2026-02"}``), and reports the text after it, lines below. Told where the
      quote opens, with the line where the parser stopped in the context;
    * a quote mark inside a value in the same quotes (``'The ambassador's view'``): the value ends
      at it and the rest of the word follows it. Told how to write it inside those quotes;
    * a value in quotes left open to the end of the file: told where it opens."""
    if problem == "found unexpected end of stream" and "quoted scalar" in context and start is not None:
        rows = text.split("\n")  # the mark's line and column count characters (its index may count bytes)
        row = rows[start.line] if start.line < len(rows) else ""
        q = row[start.column] if start.column < len(row) and row[start.column] in "'\"" else '"'
        return (start.line + 1, start.column + 1), (
            f"; the value in quotes that starts here is never closed: YAML read to the end of the file "
            f"looking for its closing {q}; end the value with {q} on this line")
    if not problem.startswith(("did not find expected key", "expected <block end>")):
        return None
    rows = text.split("\n")
    if not 0 < line <= len(rows):
        return None
    row = rows[line - 1]
    before = row[: col - 1].rstrip()
    if not before.endswith(('"', "'")):
        return None
    q = before[-1]
    offset = sum(len(r) + 1 for r in rows[: line - 1])
    close = offset + len(before) - 1
    opening = _opening_quote(text, close)
    if opening is None:
        return None
    open_line = text.count("\n", 0, opening) + 1
    open_col = opening - (text.rfind("\n", 0, opening) + 1) + 1
    kind = "double" if q == '"' else "single"
    if open_line < line and _VALUE_START.search(before[:-1]):
        # the closing mark opens a field's value: the value before it was never closed
        return (open_line, open_col), (
            f"; the value in {kind} quotes that starts here is not closed on its line, so YAML read on "
            f"to the next {q}, at line {line}, column {len(before)}: end the value with {q} on this line")
    glued = col - 1 < len(row) and not row[col - 1].isspace() and len(before) == col - 1
    if glued:
        escaped = "''" if q == "'" else '\\"'
        other = "double" if q == "'" else "single"
        word = re.match(r"[^\s'\"]*", row[col - 1 :])[0][:20]
        return (line, col - 1), (
            f"; the {q} before '{word}' ends the value in {kind} quotes that starts at line {open_line}, "
            f"column {open_col}: inside {kind} quotes write it as {escaped}, or put the value in {other} quotes")
    return None


_RECORD_ID = re.compile(r"^\s*(?:-\s+)?id:\s*(.*?)\s*(?:#.*)?$")
_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w-]*):(?:\s|$)")


def record_and_field(text: str, line: int) -> tuple[str | None, str | None]:
    """The record and the field a line (from 1) of a data file is in, read from the lines
    themselves, for an error found before the file could be read as records (a YAML syntax error):
    the ``id`` of the list item (``- ``) it is in, and the name of the record's own field
    (indented like the record's first field) whose value holds the line. None for either when the
    lines do not say (a file that is not a list of records, a line above the first record)."""
    rows = text.split("\n")
    if not 0 < line <= len(rows):
        return None, None
    first = next((n for n in range(line - 1, -1, -1) if _item_start(rows[n])), None)
    if first is None:
        return None, None
    end = next((n for n in range(line, len(rows)) if _item_start(rows[n])), len(rows))
    record = None
    for r in rows[first:end]:
        found = _RECORD_ID.match(r)
        if found and _indent(_as_field(r)) == 2:
            record = found[1].strip("\"'") or None
            break
    own = _KEY.match(_as_field(rows[line - 1]))
    if own:  # a field's own line, indented as it should be or not
        return record, own[2]
    name = None
    for r in reversed(rows[first:line]):
        key = _KEY.match(_as_field(r))
        if key and len(key[1]) == 2:
            name = key[2]
            break
    return record, name


def _item_start(row: str) -> bool:
    """Whether a line starts a record: a list item at the start of the line."""
    return row.startswith("- ") or row == "-"


def _as_field(row: str) -> str:
    """A record's first line (``- id: x``) read as its other fields are written (``  id: x``)."""
    return " " + row[1:] if row.startswith("-") else row


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _indent_above(rows: list[str], line: int) -> int:
    """The indentation of the nearest line above ``line`` (from 1) that holds more than a comment."""
    for row in reversed(rows[: line - 1]):
        if row.strip() and not row.lstrip().startswith("#"):
            return _indent(row)
    return 0


def _indent(row: str) -> int:
    """How many spaces a line starts with."""
    return len(row) - len(row.lstrip(" "))


def _parse(data: bytes, display: str, log: ErrorLog) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        log.add(DataError(display, line, col, None, None,
                          f"not UTF-8 text: byte 0x{data[exc.start]:02x} ({exc.reason}); save the file as UTF-8"))
        return None
    alias = _first_alias(text) if ("*" in text) else None
    if alias is not None:
        line, col = alias.start_mark.line + 1, alias.start_mark.column + 1
        log.add(DataError(display, line, col, None, None,
                          f"YAML alias '*{alias.anchor}' is not supported (no anchors or aliases): "
                          "write the value out"))
        return None
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
    except RecursionError:  # the pure-Python composer on absurdly deep nesting
        log.add(DataError(display, 1, 1, None, None, f"lists and mappings nested more than {MAX_DEPTH} deep"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        start = exc.context_mark
        if exc.context and start and mark and (start.line, start.column) != (mark.line, mark.column):
            # where what it was parsing began: an unclosed `[` is there, not where the parser noticed
            context = f" ({exc.context} that starts at line {start.line + 1}, column {start.column + 1})"
        if problem == "could not find expected ':'" and start and exc.context == "while scanning a simple key":
            # noticed on the line after: the line to mend is the one without its ': '
            line, col = start.line + 1, start.column + 1
            context = f" ({exc.context}; noticed at line {mark.line + 1}, column {mark.column + 1})" if mark else context
        quote = _quote_left_open(text, problem, exc.context or "", line, col, start)
        if quote is not None:  # a quote mark's mistake: the line to mend is the one where the quote opens
            (line, col), hint = quote
            context = f" (noticed at line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        else:  # any other mistake, and a quote's that _quote_left_open cannot place (yaml_hint's words for it)
            hint = yaml_hint(text, problem, exc.context or "", line, col, start)
        record, name = record_and_field(text, line)
        log.add(DataError(display, line, col, record, name, f"YAML syntax error: {problem}{context}{hint}"))
        return None
    except yaml.reader.ReaderError as exc:
        # A character YAML forbids (NUL, most control characters, U+FFFE...). It carries no mark,
        # and libyaml counts its position in bytes: find the character itself in the text.
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        at = text.find(char) if isinstance(char, str) and char else -1
        at = at if at >= 0 else min(max(exc.position, 0), len(text))
        line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        log.add(DataError(display, line, col, None, None,
                          f"YAML syntax error: character U+{exc.character:04X} is not allowed in YAML ({exc.reason})"
                          if isinstance(exc.character, int) else f"YAML syntax error: {exc.reason}"))
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Builder(loader, display, log).build(node)
