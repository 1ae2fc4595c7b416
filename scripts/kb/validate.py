"""Load every data file, check each record against its schema, then check the dataset as a whole.

All problems are collected in an ErrorLog; nothing here raises on bad data.
"""

from __future__ import annotations

import datetime

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import BaseModel, ValidationError

from . import anchors
from .errors import DataError, ErrorLog, FieldError
from .loader import MarkedDict, MarkedList, load_files
from .registry import REGISTRY, RecordType
from .evidence import SourceTexts, excerpts, figure_written, figures_in, mismatch, raw_excerpts
from .published import ADVICE
from .schema import ENTITIES, Entity, Ref, Vocab, date_sort_key


@dataclass(frozen=True)
class Parsed:
    """A record that passed its schema, with where it came from."""

    type: RecordType
    record: Any  # the pydantic model instance
    raw: MarkedDict
    file: str

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def line(self) -> int:
        return self.raw.line

    def mark(self, path: tuple[Any, ...]) -> tuple[int, int]:
        return locate(self.raw, path)[0]


@dataclass(frozen=True)
class Rejected:
    """A record that failed its schema: its id and references are still checked."""

    type: RecordType
    raw: MarkedDict
    file: str
    id: str | None
    error_paths: frozenset[str]  # fields that already have an error

    def wants(self, path: tuple[Any, ...]) -> bool:
        """Whether the field ``path`` is still to be checked: the schema reported neither it nor a
        field holding it."""
        where = dotted(path)
        return not any(where == e or where.startswith(e + ".") or where.startswith(e + "[") for e in self.error_paths)

    def report(self, log: ErrorLog, path: tuple[Any, ...], problem: str | None) -> None:
        """Log ``problem`` (if any) at the field ``path`` unless the schema reported that field,
        or a field holding it, already."""
        if problem and self.wants(path):
            (line, col), _ = locate(self.raw, path)
            log.add(DataError(self.file, line, col, self.id, dotted(path), problem))


# ----------------------------------------------------------------- locating a field


def locate(raw: Any, path: tuple[Any, ...], at_key: bool = False) -> tuple[tuple[int, int], int]:
    """The mark of the value at ``path`` in a marked tree (with ``at_key``, of the key that ends
    ``path``: where an unknown field's name is written), or of the deepest part that exists.

    Returns the mark and how many path elements were found.
    """
    mark = (getattr(raw, "line", 1), getattr(raw, "col", 1))
    node = raw
    for depth, key in enumerate(path):
        if isinstance(node, MarkedDict) and isinstance(key, str) and key in node:
            mark = node.key_marks[key] if at_key and depth == len(path) - 1 else node.value_marks[key]
            node = node[key]
        elif isinstance(node, MarkedList) and isinstance(key, int) and 0 <= key < len(node):
            mark = node.item_marks[key]
            node = node[key]
        else:
            return mark, depth
    return mark, len(path)


def dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for key in path:
        if isinstance(key, str) and (not key or not key.isprintable() or any(c in " .[]'\"" for c in key)):
            out += f"[{key!r}]"  # an empty or odd key must still show in the report: ['']
        else:
            out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


# ----------------------------------------------------------------- references


@cache
def _ref_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Ref | None], ...]:
    out = []
    for name, info in model.model_fields.items():
        ref = next((m for m in info.metadata if isinstance(m, Ref)), None)
        out.append((name, info.alias or name, ref))
    return tuple(out)


def iter_raw_refs(model: type[BaseModel], raw: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, Ref]]:
    """The references in a record's raw YAML, for a record that failed its schema."""
    if not isinstance(raw, MarkedDict):
        return
    for name, key, ref in _ref_fields(model):
        if key not in raw:
            continue
        value = raw[key]
        if ref is not None:
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for i, target in items:
                if isinstance(target, str):
                    yield ((*path, key) if i is None else (*path, key, i)), target, ref
            continue
        sub = _model_in(model.model_fields[name].annotation)
        if sub is None:
            continue
        if isinstance(value, MarkedList):
            for i, item in enumerate(value):
                yield from iter_raw_refs(sub, item, (*path, key, i))
        else:
            yield from iter_raw_refs(sub, value, (*path, key))


@cache
def _vocab_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Vocab | None, type[BaseModel] | None], ...]:
    return tuple(
        (name, info.alias or name, next((m for m in info.metadata if isinstance(m, Vocab)), None), _model_in(info.annotation))
        for name, info in model.model_fields.items()
    )


def iter_vocab(obj: BaseModel, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Every value of a vocabulary field in a record: (path of the field, value, vocabulary id)."""
    for name, key, marker, sub in _vocab_fields(type(obj)):
        value = getattr(obj, name)
        if marker is not None and isinstance(value, str):
            yield (*path, key), value, marker.vocabulary
        elif sub is not None and isinstance(value, BaseModel):
            yield from iter_vocab(value, (*path, key))
        elif sub is not None and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_vocab(item, (*path, key, i))


def iter_raw_vocab(model: type[BaseModel], raw: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """``iter_vocab`` over a record's raw YAML, for a record that failed its schema: its other
    fields' words are still checked in the same run (a new user's trial: an unknown field hid a
    misspelt ``kind`` of the same record until the next run)."""
    if not isinstance(raw, MarkedDict):
        return
    for _name, key, marker, sub in _vocab_fields(model):
        if key not in raw:
            continue
        value = raw[key]
        if marker is not None:
            if isinstance(value, str):
                yield (*path, key), value, marker.vocabulary
        elif sub is not None and isinstance(value, MarkedList):
            for i, item in enumerate(value):
                yield from iter_raw_vocab(sub, item, (*path, key, i))
        elif sub is not None:
            yield from iter_raw_vocab(sub, value, (*path, key))


def closest(value: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate spelled most like ``value`` (``difflib``'s ratio, ``cutoff`` or more), or None:
    an error's "did you mean". 0.6, difflib's default, for a vocabulary's term or a reference's id;
    0.75 where the candidates are much alike among themselves (ids numbered alike, file names), so
    that the hint names a likely typo rather than any neighbour."""
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(value: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """``"; did you mean 'x'?"`` with :func:`closest`'s candidate, to end a message; "" without."""
    close = closest(value, candidates, cutoff)
    return f"; did you mean '{close}'?" if close else ""


def _vocab_problem(value: str, name: str, terms: dict[str, list[str]]) -> str | None:
    """What is wrong with ``value`` as a word of the vocabulary ``name`` (None: it is one of its terms)."""
    known = terms.get(name)
    if known is None:
        return f"there is no vocabulary '{name}' in data/vocabularies/ to take '{value}' from (add it, with its terms)"
    if value in known:
        return None
    close = closest(value, known)
    hint = f" (did you mean '{close}'?)" if close else ""
    return (f"'{value}' is not a term of the vocabulary '{name}'{hint}: use one of "
            f"{', '.join(repr(t) for t in known)}, or add it as a term in data/vocabularies/")


def _check_vocabularies(
    parsed: list[Parsed], rejected: list[Rejected], pending: dict[str, str], log: ErrorLog,
    unreadable: dict[str, list[str]] | None = None,
) -> None:
    """Each value of a field marked ``Vocab(name)`` is a term of the vocabulary record ``name``: in
    the records that passed their schema, and in the fields of those that did not which the schema
    did not already report (``pending``: the records that failed their schema, by id; a vocabulary
    among them is not said to be missing).

    A vocabulary that is missing while a file of vocabularies could not be read (``unreadable``:
    type → files) may well be in that file: its values are not reported one by one (one colon in a
    vocabulary's description made 407 "there is no vocabulary" errors, one per record, hiding the
    syntax error that mattered), but counted in one note after the errors, as held-back references
    are (``check_dataset``)."""
    terms = {p.id: [t.id for t in p.record.terms] for p in parsed if p.type.name == "vocabulary"}
    files = sorted((unreadable or {}).get("vocabulary", ()))
    held: dict[str, int] = {}

    def problem_of(value: str, name: str) -> str | None:
        if name in pending:
            return None
        if name not in terms and files:
            held[name] = held.get(name, 0) + 1
            return None
        return _vocab_problem(value, name, terms)

    for p in parsed:
        for path, value, name in iter_vocab(p.record):
            problem = problem_of(value, name)
            if problem:
                line, col = p.mark(path)
                log.add(DataError(p.file, line, col, p.id, dotted(path), problem))
    for r in rejected:
        for path, value, name in iter_raw_vocab(r.type.model, r.raw):
            r.report(log, path, problem_of(value, name))
    if held:
        log.notes.append(_held_note(sum(held.values()), ("value", "values"), "of vocabularies", files, "of", list(held)))


def iter_refs(obj: BaseModel, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, Ref]]:
    """Every reference in a record: (path of the field, target id, its Ref)."""
    for name, key, ref in _ref_fields(type(obj)):
        value = getattr(obj, name)
        if ref is not None:
            if isinstance(value, list):
                for i, target in enumerate(value):
                    yield (*path, key, i), target, ref
            elif value is not None:
                yield (*path, key), value, ref
        elif isinstance(value, BaseModel):
            yield from iter_refs(value, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_refs(item, (*path, key, i))


# ----------------------------------------------------------------- schema errors


def _short(text: str, limit: int = 60) -> str:
    """Keep one error on one screen line, whatever was pasted into the value."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(value: Any) -> str:
    return _short(_describe_full(value), 80)


def _describe_full(value: Any) -> str:
    kind = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    for t, word in kind.items():
        if isinstance(value, t):
            return f"{word} ({value!r})"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (datetime.date, datetime.datetime)):  # 2026-02-09 unquoted (YAML reads dates)
        return f"a date ({value.isoformat()})"
    return f"{type(value).__name__} {value!r}"


def _allowed_fields(model: type[BaseModel], path: tuple[Any, ...]) -> list[str] | None:
    """The field names allowed at ``path`` (the mapping holding an unknown key)."""
    current: Any = model
    for key in path:
        if isinstance(key, int):
            continue
        fields = {info.alias or name: info for name, info in current.model_fields.items()}
        info = fields.get(key)
        if info is None:
            return None
        sub = _model_in(info.annotation)
        if sub is None:
            return None
        current = sub
    return sorted(info.alias or name for name, info in current.model_fields.items())


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found:
            return found
    return None


def _message(err: dict[str, Any], model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        # a misspelt field ('paraphase') is named for what it most likely is, as ids and terms are
        # (a new user's trial found "unknown field (allowed: ...)" and no suggestion)
        allowed = _allowed_fields(model, loc[:-1])
        guess = closest(str(loc[-1]), allowed) if allowed else None
        return ("unknown field" + (f"; did you mean '{guess}'?" if guess else "")
                + (f" (allowed: {', '.join(allowed)})" if allowed else ""))
    if kind == "string_type":
        return f"expected text, but YAML read {_describe(value)}; put the value in quotes"
    if kind == "bool_type":
        return (
            f"expected true or false, got {_describe(value)} "
            "(yes/no/on/off are text here, as in YAML 1.2)"
        )
    if kind in ("float_type", "int_type"):
        return f"expected a number, got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind == "string_pattern_mismatch":
        # 'Recommendation' or 'Trade Investment': the id it is most likely meant to be, as written
        # lower-case and hyphenated (a new user's trial, where a misspelled id got a suggestion)
        slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
        hint = f"; did you mean '{slug}'?" if slug and slug != value else ""
        return f"'{_short(str(value))}' is not a valid id: use lowercase letters, digits and single hyphens{hint}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "must list at least one item"
    if kind == "literal_error":
        return f"{_describe(value)} is not allowed here; expected one of {ctx.get('expected')}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{value!r} is out of range ({err['msg'].lower()})"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


# ----------------------------------------------------------------- loading


def find_files(data_dir: Path) -> list[tuple[RecordType, Path]]:
    files = []
    for rtype in REGISTRY:
        folder = data_dir / rtype.plural
        if folder.is_dir():
            files.extend((rtype, p) for p in sorted(folder.rglob("*.y*ml")) if p.suffix in (".yaml", ".yml"))
    return files


def load_and_validate(data_dir: Path, root: Path, log: ErrorLog, texts: SourceTexts | None = None) -> list[Parsed]:
    """Schema-check every record in ``data_dir``, then cross-check the dataset, and (with ``texts``)
    every excerpt against its source's text (``evidence.py``)."""
    loaded: list[Parsed | Rejected] = []  # in file order, valid or not
    known = {rtype.plural for rtype in REGISTRY}
    if data_dir.is_dir():
        for entry in sorted(data_dir.iterdir()):
            if entry.is_dir() and entry.name not in known:
                log.add(
                    DataError(
                        display_path(entry, root), 1, 1, None, None,
                        f"unknown record folder '{entry.name}' (known: {', '.join(sorted(known))})",
                    )
                )
    else:
        log.add(DataError(display_path(data_dir, root), 1, 1, None, None, "the data folder does not exist"))
    found = find_files(data_dir)
    trees = load_files([(path, display_path(path, root)) for _rtype, path in found], log)
    unreadable: dict[str, list[str]] = {}  # type → its files that could not be read as records
    for (rtype, path), (doc, errors) in zip(found, trees):
        display = display_path(path, root)
        if doc is None or not isinstance(doc, MarkedList):
            if errors or doc is not None:
                unreadable.setdefault(rtype.name, []).append(display)
        if doc is None:
            if not errors:  # not a YAML error (reported already): nothing but comments
                log.add(DataError(display, 1, 1, None, None,
                                  f"the file is empty: a data file is a list of {rtype.name} records "
                                  "(each starting '- id: ...'); add one or delete the file"))
            continue
        if not isinstance(doc, MarkedList):
            log.add(DataError(display, getattr(doc, "line", 1), 1, None, None,
                              f"a data file is a list of {rtype.name} records (each starting '- id: ...')"))
            continue
        for raw, (line, col) in zip(doc, doc.item_marks):
            result = _validate_record(rtype, raw, display, line, col, log)
            if result is not None:
                loaded.append(result)
    check_dataset(loaded, log, unreadable)
    if data_dir.resolve() == (root / "data").resolve():  # the pages listed were published from this data
        check_published(loaded, log, root / PUBLISHED, unreadable)
    if texts is not None:
        check_excerpts(loaded, texts, log, unreadable.get("source", []))
    return [r for r in loaded if isinstance(r, Parsed)]


# The committed list of every published page and anchor (kb.published, `knowledge_base.py published`).
PUBLISHED = "tests/published-urls.txt"


def check_published(
    loaded: list[Parsed | Rejected], log: ErrorLog, manifest: Path, unreadable: dict[str, list[str]] | None = None,
) -> None:
    """Every record page in the published manifest (``manifest``, lines ``<plural>/<id>.html``) still
    has its record: one of that type with that id, or one that lists it in ``former_ids`` (its old
    address redirects). A page whose record is gone is an error at its line of the manifest, naming
    the record, with the two ways to take a record back (``published.ADVICE``), and the record of
    the same type that no published page names whose id is most like it, as "renamed to ...?"
    (``difflib``, ratio 0.75 or more): deleting a published record was caught only by the build's
    check, while `validate` and the server said nothing and served a 404 (a new user's trial).
    Types with a file that could not be read as records (``unreadable``) are not checked: their
    records are unknown. No manifest (a scratch copy of the project), or another data folder than the
    project's own (a test's fixture, read with the project's root: ``load_and_validate``): nothing to
    check."""
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    unreadable = unreadable or {}
    by_plural = {rtype.plural: rtype for rtype in REGISTRY if rtype.name not in unreadable}
    present: dict[str, set[str]] = {plural: set() for plural in by_plural}
    for item in loaded:
        if item.type.plural not in present or item.id is None:
            continue
        present[item.type.plural].add(item.id)
        former = item.record.former_ids if isinstance(item, Parsed) else (item.raw.get("former_ids") or [])
        present[item.type.plural].update(f for f in former if isinstance(f, str))
    pages = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#") and "#" not in line]
    published = {line for _n, line in pages}
    unpublished: dict[str, list[str]] = {}  # by type: its ids no published page names (a rename's new id)
    for n, line in pages:
        plural, slash, name = line.partition("/")
        if not slash or plural not in by_plural or "/" in name or not name.endswith(".html") or name == "index.html":
            continue
        record_id = name[: -len(".html")]
        if record_id in present[plural]:
            continue
        rtype = by_plural[plural]
        if plural not in unpublished:
            unpublished[plural] = [i for i in present[plural] if f"{plural}/{i}.html" not in published]
        close = closest(record_id, unpublished[plural], cutoff=0.75)
        renamed = f" If it was renamed to '{close}', list '{record_id}' in that record's former_ids." if close else ""
        log.add(DataError(
            PUBLISHED, n, 1, record_id, None,
            f"{line} was published, and no {rtype.name} has the id '{record_id}' now, nor lists it in former_ids: "
            f"its page would be gone. {ADVICE}{renamed}"))


def check_excerpts(loaded: list[Parsed | Rejected], texts: SourceTexts, log: ErrorLog,
                   unreadable: list[str] | None = None) -> None:
    """Each excerpt is in its source's text (an error at the excerpt where it is not). A folder that
    is not there is one warning; a source's text file that is not in it, a warning at the source's
    ``file`` field (file:line:col, record, field, as an error is written), with the folder's file
    most like it that no source names (``difflib``, ratio 0.75 or more), as "did you mean".

    Records that failed their schema are checked too, from what their file says (``raw_excerpts``;
    a source's ``file`` when it is text and has no error of its own), so that every problem is
    reported in one run: a number where a source's publisher should be hid its claims' wrong
    excerpts until it was mended (a new user's trial). Every source's text is looked for, whether or
    not any excerpt cites it yet: a source added before its claims (as the editing guide has it), or
    whose claims' file has a syntax error, had its missing text go unmentioned (a new user's trial).
    The sources whose text was found are ``log.checked_texts``. While a file of sources cannot be
    read (``unreadable``: a YAML syntax error), the excerpts citing a source that may be in it are
    not checked, and a note says so with the ones held back (a new user's trial: a wrong excerpt
    went unreported, and the note named only the references)."""
    if not texts.folder.is_dir():
        log.warnings.append(f"the folder of source texts {texts.folder} does not exist: excerpts were not checked "
                            "(set extra.sources_dir in mkdocs.yml, or KB_SOURCES_DIR)")
        return
    sources: dict[str, Parsed | Rejected] = {}  # by id, the last of an id (a duplicate is an error of its own)
    files: dict[str, str] = {}  # source id → its text file's name
    for r in loaded:
        if r.type.name != "source" or r.id is None:
            continue
        name = r.record.file if isinstance(r, Parsed) else r.raw.get("file")
        if isinstance(r, Rejected) and (not isinstance(name, str) or "file" in r.error_paths):
            continue
        sources[r.id], files[r.id] = r, name
    text_of = {source_id: texts.get(name) for source_id, name in files.items()}  # each file read (stat) once
    missing = {source_id for source_id, text in text_of.items() if text is None}
    log.checked_texts |= {source_id for source_id, r in sources.items() if isinstance(r, Parsed)} - missing
    held: dict[str, None] = {}  # the records whose excerpts cite a source not read
    held_count = 0  # and their excerpts
    for r in loaded:
        found = excerpts(r.record) if isinstance(r, Parsed) else raw_excerpts(r.raw)
        for path, source_id, excerpt in found:
            if isinstance(r, Rejected) and not r.wants(path):
                continue
            if source_id not in files:
                if unreadable and source_id not in sources and r.id:
                    held[r.id] = None
                    held_count += 1
                continue  # an unknown source is reported as a reference (a rejected one's file is not known)
            text, name = text_of[source_id], files[source_id]
            if text is None:
                continue  # the source's warning, below
            problem = mismatch(excerpt, text)
            if problem:
                line, col = locate(r.raw, path)[0]
                log.add(DataError(r.file, line, col, r.id, dotted(path), f"{problem} (source '{source_id}', {name})"))
    if held:
        log.notes.append(_held_note(held_count, ("excerpt", "excerpts"), "citing sources",
                                    sorted(unreadable or []), "of", list(held)))
    if missing:
        present = sorted(f.name for f in texts.folder.iterdir() if f.is_file())
        named = set(files.values())
        for source_id in sorted(missing):
            source, name = sources[source_id], files[source_id]
            line, col = locate(source.raw, ("file",))[0]
            # a file of the folder that no source names, spelled like this one: most likely what was meant
            hint = did_you_mean(name, [f for f in present if f not in named], cutoff=0.75)
            log.warnings.append(str(DataError(
                source.file, line, col, source_id, "file",
                f"no file '{name}' in {texts.folder}: the excerpts of this source were not checked{hint}")))


def display_path(path: Path, root: Path) -> str:
    """How an error names a file: its path relative to the project's ``root`` with forward slashes
    (``data/claims/javaid.yaml``), or the path as given when it lies outside ``root``."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _validate_record(
    rtype: RecordType, raw: Any, file: str, line: int, col: int, log: ErrorLog
) -> Parsed | Rejected | None:
    if not isinstance(raw, MarkedDict):
        log.add(DataError(file, line, col, None, None,
                          f"expected {_one_of((rtype.name,))} record (a mapping of fields), got {_describe(raw)}"))
        return None
    rid = raw.get("id") if isinstance(raw.get("id"), str) else None
    for path, (key, line_, col_, first) in _duplicates(raw):
        log.add(DataError(file, line_, col_, rid, dotted((*path, key)),
                          f"duplicate key '{key}' (first given on line {first}); "
                          "YAML would silently keep only the last one"))
    try:
        record = rtype.model.model_validate(raw)
    except ValidationError as exc:
        error_paths = set()
        for err in exc.errors():
            loc = tuple(err["loc"])
            error = (err.get("ctx") or {}).get("error")
            if isinstance(error, FieldError):
                loc = (*loc, *(int(part) if part.isdigit() else part for part in error.field.split(".")))
            # an unknown field is marked at its name, the mistake; any other error at the value
            (eline, ecol), _ = locate(raw, loc, at_key=err["type"] == "extra_forbidden")
            error_paths.add(dotted(loc))
            log.add(DataError(file, eline, ecol, rid, dotted(loc) or None,
                              _message(err, rtype.model, loc)))
        return Rejected(rtype, raw, file, rid, frozenset(error_paths))
    return Parsed(rtype, record, raw, file)


def _duplicates(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], tuple[str, int, int, int]]]:
    """Duplicate keys the loader found anywhere inside a record."""
    if isinstance(node, MarkedDict):
        for dup in node.duplicates:
            yield path, dup
        for key, value in node.items():
            yield from _duplicates(value, (*path, key))
    elif isinstance(node, MarkedList):
        for i, item in enumerate(node):
            yield from _duplicates(item, (*path, i))


# ----------------------------------------------------------------- cross-record checks


def check_dataset(loaded: list[Parsed | Rejected], log: ErrorLog, unreadable: dict[str, list[str]] | None = None) -> None:
    """Cross-record checks over every loaded record, including those that failed their schema.

    ``unreadable``: record type → its data files that could not be read (a YAML syntax error, not
    a list). A reference to a record of such a type that does not exist may be to one in those
    files: it is held back, not reported (a missing ``]`` in the places had added 84 "does not
    exist" errors to the one that mattered, a new editor's trial); one note after the errors
    says how many, to which ids (a typo among them shows once those files read again), and which
    files to mend first."""
    unreadable = unreadable or {}
    held: dict[tuple[str, ...], list[str]] = {}  # the unreadable files → ids held back
    first_seen: dict[str, Parsed | Rejected] = {}
    for item in loaded:
        if item.id is None:
            continue
        first = first_seen.setdefault(item.id, item)
        if first is not item:
            (line, col), _ = locate(item.raw, ("id",))
            log.add(DataError(item.file, line, col, item.id, "id",
                              f"id '{item.id}' is already used by the {first.type.name} at {first.file}:{first.raw.line}; "
                              "ids are unique across the whole dataset"))
    by_id = {i: p for i, p in first_seen.items() if isinstance(p, Parsed)}
    # former id → the record's id today: a reference to a renamed record's old id says so
    renamed = {old: p.id for p in by_id.values() for old in p.record.former_ids if old not in by_id}
    _check_anchor_ids(loaded, log)
    # A record that failed its schema still exists: references to it are not "unknown".
    pending = {i: r.type.name for i, r in first_seen.items() if isinstance(r, Rejected)}
    rejected = [r for r in loaded if isinstance(r, Rejected)]
    _check_vocabularies([p for p in loaded if isinstance(p, Parsed) and by_id.get(p.id) is p], rejected, pending, log, unreadable)
    _check_former_ids([p for p in loaded if isinstance(p, Parsed)], first_seen, log)
    for p in loaded:
        if not isinstance(p, Parsed) or by_id.get(p.id) is not p:
            continue
        for path, target_id, ref in iter_refs(p.record):
            problem = _check_ref(p.id, target_id, ref, by_id, pending, renamed, unreadable, held)
            if problem:
                line, col = p.mark(path)
                log.add(DataError(p.file, line, col, p.id, dotted(path), problem))
        for problem_path, problem in _record_rules(p, by_id):
            line, col = p.mark(problem_path)
            log.add(DataError(p.file, line, col, p.id, dotted(problem_path), problem))
    for r in rejected:
        for path, target_id, ref in iter_raw_refs(r.type.model, r.raw):
            r.report(log, path, _check_ref(r.id, target_id, ref, by_id, pending, renamed, unreadable, held))
    _check_units(by_id, log)
    _check_bylines(by_id, log)
    _check_figures(by_id, log)
    _check_subject(by_id, log, rejected)
    _check_sector_tags(by_id, log)
    _check_withdrawal_dates(by_id, log)
    for files, targets in held.items():
        log.notes.append(_held_note(len(targets), ("reference", "references"), "to records", list(files),
                                    "to", list(dict.fromkeys(targets))))


_UNIT_WORD = re.compile(r"[a-z]{3,}")
_NOT_UNIT_WORDS = {"and", "the", "for", "with", "per"}


def _unit_words(unit: str) -> set[str]:
    """The words of a unit that say what it counts, singular: 'agreements and MoUs' → {'agreement', 'mou'}."""
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w
            for w in _UNIT_WORD.findall(unit.lower()) if w not in _NOT_UNIT_WORDS}


def _check_units(by_id: dict[str, Parsed], log: ErrorLog) -> None:
    """A warning where two answers to one figure question give units that differ but share a word
    ('agreements and MoUs', 'agreements and memoranda'). Answers in different units are compared as
    counting different things, so the question is compatible, never contested: a reworded unit hid
    the site's main disagreement without a word (a new user's trial). Units with no word in common
    (USD and buses) are different things, and are not reported. Withdrawn claims are left out."""
    first: dict[str, dict[str, Parsed]] = {}  # question → unit → the first claim giving it
    for p in by_id.values():
        record = p.record
        if p.type.name != "claim" or record.retracted is not None or not record.unit:
            continue
        for qid in record.questions:
            q = by_id.get(qid)
            if q is None or q.type.name != "question" or q.record.kind != "figure":
                continue
            units = first.setdefault(qid, {})
            for unit, other in units.items():
                if unit != record.unit and _unit_words(unit) & _unit_words(record.unit):
                    line, col = p.mark(("unit",))
                    log.warnings.append(str(DataError(
                        p.file, line, col, p.id, "unit",
                        f"'{record.unit}' and '{unit}' (claim '{other.id}') answer the question '{qid}' in units "
                        "that differ but share a word: answers in different units are compared as counting "
                        "different things, never as contradicting each other; if they count the same thing, "
                        "write the unit in the same words")))
                    break
            units.setdefault(record.unit, p)


def _check_bylines(by_id: dict[str, Parsed], log: ErrorLog) -> None:
    """A warning where a source's ``author`` (the byline as printed) and the actor its
    ``author_actor`` names share no word, alias included: the site names the author as the actor
    does, so a link to the wrong actor ("Ayesha RAHMAN" linked to "Ayesha Khan") renamed the author
    on every page without a word (a new user's trial)."""
    words = re.compile(r"\w+")
    for p in by_id.values():
        record = p.record
        if p.type.name != "source" or not record.author or not record.author_actor:
            continue
        actor = by_id.get(record.author_actor)
        if actor is None or actor.type.name != "actor":
            continue  # the reference's own error
        names = [actor.record.name, *(a.name for a in actor.record.aliases)]
        if not {w.casefold() for n in names for w in words.findall(n)} & {w.casefold() for w in words.findall(record.author)}:
            line, col = p.mark(("author_actor",))
            log.warnings.append(str(DataError(
                p.file, line, col, p.id, "author_actor",
                f"the byline '{_short(record.author)}' and the actor '{actor.id}' ('{_short(actor.record.name)}') "
                "share no word: pages and citations name the author as the actor is named; check that "
                "author_actor is the writer, or give the actor the byline as an alias")))


def _number(value: float) -> str:
    """A figure as a message writes it: 1991, 150,000,000, 1.7."""
    return f"{value:.15g}" if abs(value) < 10_000 else f"{value:,.15g}"


def _check_figures(by_id: dict[str, Parsed], log: ErrorLog) -> None:
    """A warning where a claim's ``value`` or ``value_max`` is not written in its own excerpt in
    any spelling ``evidence.figures_in`` reads ("105 million", "US$1.7 billion", "thirty-two",
    "one hundred and five", "a dozen", "two decades", "3 crore"), nor in its ``qualifiers.note``
    (where an editor says how a figure follows from the excerpt's words: "two decades, 20 years"):
    the excerpt is checked against the source's text, but a figure typed wrong (150 million for
    the excerpt's 105) went through on every page and citation (a new user's trial). And a warning
    where a figure is a calendar year in the unit 'year' or 'years' (1991, printed '1991 year': a
    reader), which is a date."""
    for p in by_id.values():
        record = p.record
        if p.type.name != "claim" or getattr(record, "value", None) is None:
            continue
        note = record.qualifiers.note if record.qualifiers else None
        for field in ("value", "value_max"):
            value = getattr(record, field, None)
            if value is None:
                continue
            line, col = p.mark((field,))
            if (record.unit or "").strip().casefold() in ("year", "years") and 1000 <= value <= 2999 and value == int(value):
                log.warnings.append(str(DataError(
                    p.file, line, col, p.id, field,
                    f"{_number(value)} in the unit '{record.unit}' reads as a calendar year, which pages print as "
                    f"'{_number(value)} {record.unit}': give a date in `when` (and `answer`), not a figure")))
            if figure_written(value, record.excerpt) or (note and figure_written(value, note)):
                continue
            written = sorted(figures_in(record.excerpt))
            holds = (f"it writes {', '.join(_number(f) for f in written[:6])}" if written
                     else "it writes no number")
            log.warnings.append(str(DataError(
                p.file, line, col, p.id, field,
                f"{_number(value)} is not written in the claim's excerpt ({holds}): check the figure "
                "against the excerpt; a figure worked out from the excerpt's words is said with the "
                "figure in qualifiers.note")))


def _check_withdrawal_dates(by_id: dict[str, Parsed], log: ErrorLog) -> None:
    """An error where a source, or a claim of a source, is withdrawn (``retracted.date``) before
    the source's date: nothing is withdrawn before it is published (a new editor's trial dated a
    withdrawal 2025-01-01 for a source of 2026-02-07, without a word). Partial dates compare at
    the precision both have ('2026-02' is not before '2026-02-07')."""
    for p in by_id.values():
        retracted = p.record.retracted
        source = p if p.type.name == "source" else by_id.get(getattr(p.record, "source", None) or "")
        if retracted is None or source is None or source.type.name != "source" or not source.record.date:
            continue
        published = source.record.date
        parts = min(len(retracted.date.split("-")), len(published.split("-")))
        if date_sort_key(retracted.date)[:parts] < date_sort_key(published)[:parts]:
            line, col = p.mark(("retracted", "date"))
            log.add(DataError(p.file, line, col, p.id, "retracted.date",
                              f"withdrawn on {retracted.date}, before its source '{source.id}' is dated "
                              f"({published}): a withdrawal comes after what it withdraws; check the year"))


def _check_sector_tags(by_id: dict[str, Parsed], log: ErrorLog) -> None:
    """An error at a sector whose tag (its ``tag``, else its ``name``) reads as another's, case and
    spacing aside: pages carry a sector as its tag's text, and the tags plugin lists under one text
    the pages of both (an editor's trial renamed 'energy' to 'Trade and investment', and its
    page listed 59 trade pages as tagged with it)."""
    first: dict[str, Parsed] = {}
    for p in by_id.values():
        if p.type.name != "sector":
            continue
        field = "tag" if p.record.tag else "name"
        text = " ".join((p.record.tag or p.record.name).split()).casefold()
        other = first.setdefault(text, p)
        if other is not p:
            line, col = p.mark((field,))
            log.add(DataError(p.file, line, col, p.id, field,
                              f"the sector '{other.id}' ({other.file}:{other.raw.line}) is already tagged "
                              f"'{other.record.tag or other.record.name}': pages would list both sectors' records "
                              "under one tag; give this one another name, or a `tag` of its own"))


def _check_subject(by_id: dict[str, Parsed], log: ErrorLog, rejected: list[Rejected]) -> None:
    """The event the home page and the briefing open with (``subject: true``): an error at each
    one after the first (not withdrawn), naming the first, and at one that is ``background`` (an
    editor's trial opened the home page with 1991's recognition of independence). A warning where
    events exist but none is the subject, at the withdrawn subject if there is one, else at the
    first event; none while an event whose schema failed may be it (its own error says why)."""
    events = [p for p in by_id.values() if p.type.name == "event"]
    current = [p for p in events if p.record.retracted is None]
    subjects = [p for p in current if p.record.subject]
    for p in subjects[1:]:
        line, col = p.mark(("subject",))
        log.add(DataError(p.file, line, col, p.id, "subject",
                          f"the event '{subjects[0].id}' ({subjects[0].file}:{subjects[0].raw.line}) is already the "
                          "subject: the home page and the briefing open with one event; remove one of the two"))
    for p in subjects:
        if p.record.background:
            line, col = p.mark(("subject",))
            log.add(DataError(p.file, line, col, p.id, "subject",
                              "an event given as background (background: true) cannot be the subject the home "
                              "page and the briefing open with: give subject: true to the visit's event"))
    if subjects or not events or any(r.type.name == "event" and isinstance(r.raw, dict) and "subject" in r.raw for r in rejected):
        return
    withdrawn = next((p for p in events if p.record.subject), None)
    where = withdrawn or (current[0] if current else events[0])
    line, col = where.mark(("subject",) if withdrawn else ("id",))
    log.warnings.append(str(DataError(
        where.file, line, col, where.id, "subject",
        ("this event is the subject but withdrawn" if withdrawn else "no event is the knowledge base's subject")
        + ": the home page and the briefing open without the visit; give the visit's event `subject: true`")))


NOTE_IDS = 6  # ids a held-back note names before "and N more"


def _held_note(count: int, noun: tuple[str, str], of_what: str, files: list[str], before: str, ids: list[str]) -> str:
    """The note for checks held back while ``files`` cannot be read: 'N references to records that
    may be in F were not checked (to 'a', 'b'): mend that file first' (``noun``: singular, plural;
    ``before``: the word before the ids named, at most NOTE_IDS of them)."""
    shown = ", ".join(f"'{i}'" for i in ids[:NOTE_IDS]) + (f" and {len(ids) - NOTE_IDS} more" if len(ids) > NOTE_IDS else "")
    return (f"{count} {noun[count != 1]} {of_what} that may be in {' and '.join(files)} "
            f"{'were' if count != 1 else 'was'} not checked ({before} {shown}): "
            f"mend {'those files' if len(files) > 1 else 'that file'} first")


def _check_anchor_ids(loaded: list[Parsed | Rejected], log: ErrorLog) -> None:
    """A record's id, and each former id, is its anchor on every page that shows it: none may be an
    anchor the pages write themselves (``anchors.reserved``: ``top``, ``cite``, ``claims-figure``,
    ``ref-<source>``, ``contested`` ...)."""
    for item in loaded:
        former = item.record.former_ids if isinstance(item, Parsed) else []
        for path, rid in [(("id",), item.id), *((("former_ids", i), old) for i, old in enumerate(former))]:
            what = anchors.reserved(rid) if isinstance(rid, str) else None
            if what:
                (line, col), _ = locate(item.raw, path)
                log.add(DataError(item.file, line, col, item.id, dotted(path),
                                  f"'{rid}' is an anchor the pages already use ({what}), and a record's id "
                                  "is its anchor on every page that shows it; choose another id"))


def _check_former_ids(parsed: list[Parsed], current: dict[str, Any], log: ErrorLog) -> None:
    """A former id redirects its old URL to the record: it may be no record's id today, and no
    two records may claim it."""
    claimed: dict[str, Parsed] = {}
    for p in parsed:
        for i, old in enumerate(p.record.former_ids):
            line, col = p.mark(("former_ids", i))
            if old in current:
                log.add(DataError(p.file, line, col, p.id, f"former_ids[{i}]",
                                  f"'{old}' is the id of a record today; a former id must be free"))
            elif old in claimed and claimed[old] is not p:
                other = claimed[old]
                log.add(DataError(p.file, line, col, p.id, f"former_ids[{i}]",
                                  f"'{old}' is already a former id of '{other.id}' ({other.file}:{other.line})"))
            claimed.setdefault(old, p)


def _one_of(words: tuple[str, ...]) -> str:
    """('actor', 'place') → 'an actor or a place'."""
    return " or ".join(("an " if w[0] in "aeiou" else "a ") + w for w in words)


@cache
def ref_targets(ref: Ref) -> tuple[str, ...]:
    """The record types a reference may point at: ``ref.targets``, with ``schema.ENTITIES``
    expanded to every registered type whose model is a ``schema.Entity``, in registry order."""
    out: list[str] = []
    for name in ref.targets:
        out.extend([t.name for t in REGISTRY if issubclass(t.model, Entity)] if name == ENTITIES else [name])
    return tuple(dict.fromkeys(out))


def _kind_ok(target: Parsed, ref: Ref) -> bool:
    """Kind restrictions apply to actors (a corridor leg may end at a place or at a state)."""
    return not ref.kinds or target.type.name != "actor" or target.record.kind in ref.kinds


def _check_ref(
    own_id: str | None, target_id: str, ref: Ref, by_id: dict[str, Parsed], pending: dict[str, str],
    renamed: dict[str, str] | None = None, unreadable: dict[str, list[str]] | None = None,
    held: dict[tuple[str, ...], list[str]] | None = None,
) -> str | None:
    """What is wrong with a reference from ``own_id`` to ``target_id`` under ``ref``, or None.
    ``pending``: ids of records that failed their schema → their type; ``renamed``: former ids →
    the record's id today (a reference left at an old id says which record has it now);
    ``unreadable``: type → its files that could not be read: a reference to a record that does not
    exist, of a type with such files, may be to one of theirs, and is held back (None), its id
    listed in ``held`` under those files (``check_dataset``)."""
    target = by_id.get(target_id)
    targets = ref_targets(ref)
    expected = _one_of(targets)
    if target is None and target_id in pending:
        # the target failed its own schema (reported there); its type is still known
        if pending[target_id] not in targets:
            return f"'{target_id}' is {_one_of((pending[target_id],))}, but {expected} is expected here"
        return None
    if target is None:
        files = sorted({f for t in targets for f in (unreadable or {}).get(t, ())})
        if files and held is not None:
            held.setdefault(tuple(files), []).append(target_id)
            return None
        current = (renamed or {}).get(target_id)
        if current is not None and by_id[current].type.name in targets:
            return f"'{target_id}' is a former id of '{current}': refer to it by its current id"
        candidates = [k for k, v in by_id.items() if v.type.name in targets and _kind_ok(v, ref)]
        return f"'{target_id}' does not exist (expected the id of {expected}){did_you_mean(target_id, candidates)}"
    if target.id == own_id:
        return f"a record cannot refer to itself ('{target_id}')"
    if target.type.name not in targets:
        return f"'{target_id}' is {_one_of((target.type.name,))}, but {expected} is expected here"
    if not _kind_ok(target, ref):
        return f"'{target_id}' is an actor of kind '{target.record.kind}', but {_one_of(ref.kinds)} is expected here"
    return None


def _record_rules(p: Parsed, by_id: dict[str, Parsed]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Rules that need other records: a value claim must carry a figure about this agreement; a
    claim gives each question it answers an answer that can be compared with the others (see
    ``_answer_rules``)."""
    yield from _answer_rules(p, by_id)
    # A spelling is one that no source uses: one a source uses is an alias, with its excerpt (else
    # the page says of one name both "used by no source" and, in Names in the sources, which one).
    used = {" ".join(n.split()).casefold() for n in [p.record.name, *(a.name for a in getattr(p.record, "aliases", []) or [])]}
    for i, spelling in enumerate(getattr(p.record, "spellings", []) or []):
        if " ".join(spelling.split()).casefold() in used:
            yield ("spellings", i), (f"'{spelling}' is the record's name or an alias, a name a source uses: "
                                     "remove it from spellings")
    for i, claim_id in enumerate(getattr(p.record, "value_claims", []) or []):
        claim = by_id.get(claim_id)
        if claim is None or claim.type.name != "claim":
            continue
        if claim.record.value is None:
            yield ("value_claims", i), f"claim '{claim_id}' states no value"
        elif p.id not in claim.record.about:
            former = [f for f in (getattr(p.record, "former_ids", None) or []) if f in claim.record.about]
            if former:  # renamed, and the claim still refers to it by its old id (reported at the claim too)
                yield ("value_claims", i), (f"claim '{claim_id}' is about '{former[0]}', a former id of '{p.id}': "
                                            f"replace it with '{p.id}' in the claim's about")
            else:
                yield ("value_claims", i), f"claim '{claim_id}' is not about '{p.id}' (add it to the claim's about)"
    seen: set[str] = set()
    part_of = getattr(p.record, "part_of", None)
    current = p
    while part_of and part_of in by_id and part_of not in seen:
        seen.add(part_of)
        if part_of == p.id:
            yield ("part_of",), "part_of goes round in a circle back to this record"
            break
        current = by_id[part_of]
        part_of = getattr(current.record, "part_of", None)


def _answer_rules(p: Parsed, by_id: dict[str, Parsed]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """A claim answers each of its questions in the form the question's kind asks for (status.py
    reads it so): a figure question a value and unit, or words saying that the source gives no
    number; a list question items, or words naming one; the others words (or a figure). Items need a
    list question. A claim it ``contradicts`` comes from another source and answers one of the same
    questions, so that the contradiction is between two answers to one question."""
    record = p.record
    questions = [by_id[q] for q in getattr(record, "questions", None) or [] if q in by_id]
    questions = [q for q in questions if q.type.name == "question"]
    answer = getattr(record, "answer", None)
    for question in questions:
        words = answer.get(question.id) if isinstance(answer, dict) else answer
        i = record.questions.index(question.id)
        kind = question.record.kind
        if kind == "figure" and record.value is None and words is None:
            yield ("questions", i), (
                f"question '{question.id}' asks for a figure: give value and unit, or, where the source "
                "gives no number, an answer saying so (e.g. answer: no count given)"
            )
        elif kind == "list" and not record.items and words is None:
            yield ("questions", i), (
                f"question '{question.id}' asks for a list: give the items this claim names "
                "(items: [...], a few normalised words each), or an answer naming one"
            )
        elif kind not in ("figure", "list") and words is None and record.value is None:
            yield ("questions", i), (
                f"question '{question.id}' is answered by comparing answers: give this claim an answer "
                "(a few normalised words; claims that agree use the same words)"
                + (f", or add '{question.id}' to the answer's mapping" if isinstance(answer, dict) else "")
            )
    if questions and getattr(record, "items", None) and not any(q.record.kind == "list" for q in questions):
        yield ("items",), "items answer a list question, and none of this claim's questions is a list"
    for i, other_id in enumerate(getattr(record, "contradicts", None) or []):
        other = by_id.get(other_id)
        if other is None or other.type.name != "claim":
            continue  # reported as a reference
        if other.record.source == record.source:
            yield ("contradicts", i), (
                f"claim '{other_id}' is from the same source; a contradiction is between two sources' answers"
            )
        elif not set(other.record.questions) & set(record.questions):
            yield ("contradicts", i), (
                f"claim '{other_id}' answers none of this claim's questions "
                f"({', '.join(record.questions)}); a contradiction is between two answers to one question"
            )
