"""Rename a record: ``knowledge_base.py rename OLD NEW``.

Ids are addresses: a renamed record keeps its old id in ``former_ids`` (its old page redirects to
the new one, and its old anchor stays on every page that shows it), and every reference to it in
the other records is changed to the new id. Done by hand with a search and replace across
``data/``, as the editing guide once said, that went wrong two ways in a new user's trial: the old
id in the new ``former_ids`` was replaced too (``former_ids: [bus-contract-600]``, the record's own
id), and a new id containing the old one was replaced again (``falcon-falcon-electric-bus-contract``).

Here the files are read with the loader (its marks give every value's line and column), and only
the record's ``id`` and the references to it are changed: the fields the schema marks as
references (``Ref``) and the keys of the mappings it marks (``Record.key_refs``: a claim's
``answer`` by question). Never a longer id that contains it, nor a text that mentions it, nor a
``former_ids`` list, nor a value of another kind that happens to be spelled the same (a
vocabulary term ``state-visit`` and the ``kind`` that uses it, when the visit's event had that
id: a new editor's trial). The old id is then added to the record's ``former_ids`` (the list
extended, or a line added after its ``id``).
Everything else in the files (comments, quoting, order) stays as it was. The files are written
only when every one could be read; the data is then validated, as ``validate`` does.

A record may take back one of its own former ids (a rename undone, ``rename B A`` after ``rename
A B``): that id leaves its ``former_ids`` and the id it had until then joins them, since its address
may have been published meanwhile. Any other id that a record has, or had, is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import anchors
from .errors import ErrorLog
from .loader import MarkedDict, MarkedList, load_yaml
from .schema import SLUG_PATTERN
from .validate import display_path, find_files, iter_raw_refs, locate

_SLUG_CHAR = re.compile(r"[a-z0-9-]")


class RenameError(Exception):
    """Why a rename cannot be done (nothing was written)."""


@dataclass
class Renamed:
    """What ``rename`` changed: the file of the record, and every file written with how many of its
    values were changed (the id, the references)."""

    record_file: str
    changed: dict[str, int]


def _references(model: Any, tree: Any, old: str) -> list[tuple[int, int]]:
    """The (line, col) of every place in a data file's marked ``tree`` that names the record
    ``old``: a record's ``id``, each reference field (``iter_raw_refs``) and each key of a mapping
    in ``model.key_refs``."""
    marks = []
    for item in tree if isinstance(tree, MarkedList) else ():
        if not isinstance(item, MarkedDict):
            continue
        if item.get("id") == old:
            marks.append(item.value_marks["id"])
        marks += [locate(item, path)[0] for path, target, _ref in iter_raw_refs(model, item) if target == old]
        for field in getattr(model, "key_refs", {}):
            value = item.get(field)
            if isinstance(value, MarkedDict) and old in value:
                marks.append(value.key_marks[old])
    return marks


def _column_of(line: str, col: int, old: str) -> int:
    """The 0-based column where the value ``old`` written from ``col`` (1-based; at its opening
    quote when quoted) starts in ``line``."""
    at = line.find(old, col - 1)
    while at >= 0:
        before = line[at - 1] if at else " "
        after = line[at + len(old)] if at + len(old) < len(line) else " "
        if not _SLUG_CHAR.match(before) and not _SLUG_CHAR.match(after):
            return at
        at = line.find(old, at + 1)
    raise RenameError(f"could not find '{old}' at column {col} of the line {line!r}")


def rename(data_dir: Path, root: Path, old: str, new: str) -> Renamed:
    """Rename the record ``old`` to ``new`` in the YAML files under ``data_dir`` (paths shown
    relative to ``root``). Raises RenameError (nothing written) when ``new`` is not a valid id,
    when no record has the id ``old``, when a record already has ``new`` as its id or as a former
    id (unless it is ``old``'s own: the rename is undone), or when a data file cannot be read."""
    if not re.match(SLUG_PATTERN, new) or len(new) > 80:
        raise RenameError(f"'{new}' is not a valid id: lower-case letters, digits and single hyphens, "
                          "at most 80 characters (e.g. 'falcon-bus-contract')")
    if old == new:
        raise RenameError("the new id is the old one")
    what = anchors.reserved(new)
    if what:  # what validate says of such an id, said before anything is written (a new user's trial)
        raise RenameError(f"'{new}' is an anchor the pages already use ({what}), and a record's id is its "
                          "anchor on every page that shows it; choose another id")
    log = ErrorLog()
    files = []
    for rtype, path in find_files(data_dir):
        display = display_path(path, root)
        tree = load_yaml(path, display, log)
        files.append((rtype, path, display, tree))
    if log:
        raise RenameError("the data files must read before a rename; fix these first:\n" + log.report())
    record = None
    for rtype, _path, display, tree in files:
        for item in tree if isinstance(tree, MarkedList) else ():
            if not isinstance(item, MarkedDict):
                continue
            former = item.get("former_ids") if isinstance(item.get("former_ids"), list) else []
            if item.get("id") == new or (new in former and item.get("id") != old):
                raise RenameError(f"'{new}' is taken: {display}:{item.line} has it as its "
                                  f"{'id' if item.get('id') == new else 'former id'}")
            if item.get("id") == old:
                record = (display, item, former, rtype.name)
            elif old in former:
                raise RenameError(f"'{old}' is a former id of '{item.get('id')}' ({display}:{item.line}): "
                                  f"rename '{item.get('id')}' instead")
    if record is None:
        raise RenameError(f"no record has the id '{old}'")
    record_file, item, former, type_name = record
    if type_name == "vocabulary":  # the schema names each vocabulary by its id (Vocab("claim-kinds"))
        raise RenameError(f"'{old}' is a vocabulary, which the schema names by its id: a vocabulary keeps "
                          "its id (to rename one of its terms, edit the term's id and the values that use it)")
    changed: dict[str, int] = {}
    for rtype, path, display, tree in files:
        edits = _references(rtype.model, tree, old)
        if not edits and display != record_file:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for line_no, col in sorted(edits, reverse=True):
            row = lines[line_no - 1]
            at = _column_of(row, col, old)
            lines[line_no - 1] = row[:at] + new + row[at + len(old):]
        if display == record_file:  # after the values: the lines it changes move none of their marks
            # an id the pages use as an anchor is never kept as a former id (it could not be one)
            _set_former_ids(lines, item, [f for f in former if f != new] + ([] if anchors.reserved(old) else [old]))
        path.write_text("\n".join(lines), encoding="utf-8")
        changed[display] = len(edits)
    return Renamed(record_file, changed)


def _set_former_ids(lines: list[str], item: MarkedDict, ids: list[str]) -> None:
    """Make the record's ``former_ids`` in ``lines`` (edited in place) the list ``ids`` (never
    empty), in the form it is written in: a flow list ``[a, b]`` on one line rewritten between its
    brackets, a block of ``- a`` lines rewritten item for item (the lines between them, comments,
    kept), else a line ``former_ids: [...]`` after the record's ``id`` line, indented like it.
    Raises RenameError for a flow list over several lines (nothing is written)."""
    id_line, id_col = item.key_marks["id"]
    former = item.get("former_ids")
    flow = "[" + ", ".join(ids) + "]"
    if "former_ids" not in item or not former:
        if "former_ids" in item:  # `former_ids: []` or empty: written anew on its own line
            line_no, col = item.key_marks["former_ids"]
            lines[line_no - 1] = " " * (col - 1) + f"former_ids: {flow}"
            return
        lines.insert(id_line, " " * (id_col - 1) + f"former_ids: {flow}")
        return
    line_no, col = item.value_marks["former_ids"]
    row = lines[line_no - 1]
    if row[col - 1 : col] == "[":
        close = row.find("]", col - 1)
        if close < 0:
            raise RenameError(f"the former_ids at line {line_no} run over several lines: write them on one "
                              "line, or as a block of '- id' lines, and rename again")
        lines[line_no - 1] = row[: col - 1] + flow + row[close + 1 :]
        return
    marks = former.item_marks  # a block list: its items' lines, the last ones first
    indent = " " * (marks[-1][1] - 3)
    for (item_line, _col), _old in reversed(list(zip(marks, former))):
        del lines[item_line - 1]
    lines[marks[0][0] - 1 : marks[0][0] - 1] = [f"{indent}- {i}" for i in ids]
