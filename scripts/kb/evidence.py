"""Excerpts checked against the texts of their sources, wherever the data is validated.

Every excerpt in the data (a claim's, and those of aliases and roles: any part of a record with
both a ``source`` and an ``excerpt``) must appear verbatim in its source's text file, which lives
in the **sources folder**: ``extra.sources_dir`` in ``mkdocs.yml`` (relative to the project;
``../shared/sources`` for this repository), or the environment variable ``KB_SOURCES_DIR``.

"Verbatim" means the same characters, with runs of whitespace (line breaks included) counted as
one space and both texts in Unicode NFC. A mismatch is a data error at the excerpt's
file:line:column naming the first character that differs and where, e.g. ``the text has '’'
(U+2019) where the excerpt has "'" (U+0027), after "Tokayev"``. A missing folder is one warning
naming the folder searched, and a missing text file a warning at its source's ``file`` field with
the folder's likeliest file (``validate.check_excerpts``); the excerpts then go unchecked. Never
an error: the texts are not part of the repository and may be absent.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

DEFAULT_SOURCES_DIR = "../shared/sources"


def sources_dir(root: Path, configured: str | None = None) -> Path:
    """The folder of the source texts: $KB_SOURCES_DIR, else ``configured`` (mkdocs.yml's
    ``extra.sources_dir``), else ``../shared/sources``; relative paths are taken from ``root``."""
    value = os.environ.get("KB_SOURCES_DIR") or configured or DEFAULT_SOURCES_DIR
    path = Path(value)
    return (path if path.is_absolute() else (root / path)).resolve()


def fold(text: str) -> str:
    """The form compared: NFC, whitespace runs as one space, no space at either end."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def excerpts(record: BaseModel, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(path of the excerpt field, source id, excerpt) for every excerpt in a record, nested ones too."""
    source, excerpt = getattr(record, "source", None), getattr(record, "excerpt", None)
    if isinstance(source, str) and isinstance(excerpt, str):
        yield (*path, "excerpt"), source, excerpt
    for name in type(record).model_fields:
        value = getattr(record, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                where = (*path, name, i) if isinstance(value, list) else (*path, name)
                yield from excerpts(item, where)


def raw_excerpts(raw: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """:func:`excerpts` of a record as read from its file (mappings and lists), for a record that
    failed its schema: every mapping in it with a text ``source`` and a text ``excerpt``."""
    if isinstance(raw, dict):
        source, excerpt = raw.get("source"), raw.get("excerpt")
        if isinstance(source, str) and isinstance(excerpt, str):
            yield (*path, "excerpt"), source, excerpt
        for key, value in raw.items():
            if isinstance(value, (dict, list)):
                yield from raw_excerpts(value, (*path, key))
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            yield from raw_excerpts(item, (*path, i))


def _char(c: str) -> str:
    return f"{c!r} (U+{ord(c):04X})"


def mismatch(excerpt: str, text: str) -> str | None:
    """None when ``excerpt`` is in ``text`` (both folded); else where they part, in words."""
    wanted = fold(excerpt)
    if wanted in text:
        return None
    low, high = 0, len(wanted)  # the longest prefix of the excerpt that the article has
    while low < high:
        mid = (low + high + 1) // 2
        if wanted[:mid] in text:
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return f"the excerpt is not in the source's text: it opens with {_char(wanted[0])}, which the text never has"
    prefix = wanted[:low]
    at = text.find(prefix) + low
    after = prefix[-30:]
    if len(prefix) > 30 and not prefix[-31].isspace() and " " in after:
        after = after.split(" ", 1)[1]  # start the neighbourhood at a word
    theirs = f"has {_char(text[at])}" if at < len(text) else "ends"
    return (f"the excerpt is not in the source's text: the text {theirs} where the excerpt has "
            f"{_char(wanted[low])}, after \"{after}\"")


class SourceTexts:
    """The folded texts of the sources, read once per file and version."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, tuple[tuple[int, int], str]] = {}

    def get(self, name: str) -> str | None:
        path = self.folder / name
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        hit = self._cache.get(name)
        if hit is None or hit[0] != stamp:
            hit = self._cache[name] = (stamp, fold(path.read_text(encoding="utf-8")))
        return hit[1]
