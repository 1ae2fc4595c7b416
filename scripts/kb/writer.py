"""Write generated files (pages and their maps) into docs/: only what changed, never over a hand-written file.

A manifest (``docs/.generated.json``) lists the files the generator owns. A
file not in it is hand-written and is never overwritten; a file in it that the
current data no longer produces (a deleted record) is removed. Unchanged files
are not touched, so `mkdocs serve`, which watches docs/, does not loop.
"""

from __future__ import annotations

import json
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .render import GENERATED_MARK

MANIFEST = ".generated.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the data's warnings (kb.warnings), as of the last load

    def summary(self) -> str:
        return (
            f"{len(self.written)} file(s) written, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed"
        )


class HandWrittenConflict(Exception):
    """Generated pages would replace hand-written ones."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(
            "these hand-written pages are in the way of generated ones (rename or move them; "
            "nothing was written): " + ", ".join(paths)
        )
        self.paths = paths


def is_generated(text: str) -> bool:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        text = text[end + 5 :] if end >= 0 else text
    return text.startswith(GENERATED_MARK)


def read_manifest(docs: Path) -> set[str]:
    try:
        return set(json.loads((docs / MANIFEST).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        return set()


def _utf8(text: str | bytes) -> bytes:
    """A file's content as written: UTF-8 bytes (``pipeline.generate`` keeps pages so, since a
    Python string with one character beyond Latin-1 takes two or four bytes a character)."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


_TEMP = itertools.count()


def temp_name(path: Path) -> Path:
    """A name beside ``path`` that no other writer uses: this process's id and a counter (a sixth
    cheaper than ``tempfile.mkstemp``'s random names, measured over 5,000 files)."""
    return path.with_name(f".tmp-{os.getpid()}-{next(_TEMP)}{path.suffix}")


def _atomic_write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path)
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as fh:
            fh.write(_utf8(text))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def conflicts(docs: Path, pages: dict[str, str] | dict[str, bytes]) -> list[str]:
    """The generated paths where docs/ holds a hand-written file: not in the manifest, without
    the generated mark, and not already identical to what would be written."""
    owned = read_manifest(docs)
    out = []
    for rel in sorted(pages):
        target = docs / rel
        if rel in owned or not target.exists():
            continue
        # A file we did not record may still be ours (a lost manifest): recognise our mark, on
        # the first line or right after a page's front matter, or (data downloads, which carry no
        # mark) content identical to what we would write.
        existing = target.read_bytes().decode("utf-8", errors="replace")
        if existing.encode("utf-8") != _utf8(pages[rel]) and not is_generated(existing):
            out.append(rel)
    return out


def write_pages(docs: Path, pages: dict[str, str] | dict[str, bytes], kept: frozenset[str] | set[str] = frozenset()) -> WriteReport:
    """Write the generated files into docs/ (for engines that read files), only those that changed;
    remove those the data no longer produces. Raises HandWrittenConflict, writing nothing.
    ``kept``: files the generator still produces and knows to be in docs/ as they should be (not
    rendered again: see ``pipeline.generate``); they are counted as unchanged and not read."""
    owned = read_manifest(docs)
    found = conflicts(docs, pages)
    if found:
        raise HandWrittenConflict(found)

    report = WriteReport(unchanged=len(kept))
    for rel, text in sorted(pages.items()):
        target = docs / rel
        try:
            # Bytes, not text: reading text would turn a CSV's CRLF into LF and never match.
            if target.read_bytes() == _utf8(text):
                report.unchanged += 1
                continue
        except FileNotFoundError:
            pass
        _atomic_write(target, text)
        report.written.append(rel)

    for rel in sorted(owned - set(pages) - set(kept)):
        target = docs / rel
        if target.exists():
            target.unlink()
            report.removed.append(rel)
        parent = target.parent
        while parent != docs and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    manifest = json.dumps(sorted(set(pages) | set(kept)), indent=0) + "\n"
    if (docs / MANIFEST).exists() and (docs / MANIFEST).read_text(encoding="utf-8") == manifest:
        return report
    _atomic_write(docs / MANIFEST, manifest)
    return report


class Staging:
    """A `generate`'s files streamed to disk as they are rendered, and published into docs/ only
    once every one is: ``pipeline.generate`` never holds the site's pages in memory (at 10,000
    records they were 150 MB of UTF-8), and a render error or a hand-written file in the way
    leaves docs/ as it was.

    The staging folder is ``.<docs>.staging-<pid>`` beside docs/ (the same file system, so
    publishing a file is one rename); it is removed when published or discarded. :meth:`add` may be
    called from forked worker processes: each file is its own write."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self.owned = read_manifest(docs)
        self.folder = docs.parent / f".{docs.name}.staging-{os.getpid()}"
        self._dirs: set[Path] = set()

    def add(self, rel: str, data: bytes) -> str:
        """Compare a generated file with docs/ and stage it if it differs. Returns ``"unchanged"``
        (docs/ has these bytes already), ``"staged"``, or ``"conflict"`` (docs/ has a different
        hand-written file there: not in the manifest and without the generated mark; not staged)."""
        target = self.docs / rel
        try:
            existing = target.read_bytes()  # bytes: reading text would turn a CSV's CRLF into LF
        except FileNotFoundError:
            existing = None
        if existing == data:
            return "unchanged"
        if existing is not None and rel not in self.owned and not is_generated(existing.decode("utf-8", errors="replace")):
            return "conflict"
        path = self.folder / rel
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        path.write_bytes(data)
        return "staged"

    def discard(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)

    def publish(self, staged: list[str], produced: set[str], unchanged: int) -> WriteReport:
        """Move the staged files into docs/ (each an atomic rename), remove the files the
        generator owned that it no longer produces (``produced``: every file of this run, staged,
        unchanged or kept), and write the manifest.

        A top-level folder that docs/ does not have yet (a fresh clone's claims/, actors/ ...) is
        moved whole, one rename for all its files: the staging folder holds only staged files. At
        10,000 records a cold `generate` published 12,652 files in about 0.7 s, one by one."""
        report = WriteReport(unchanged=unchanged)
        made: set[Path] = set()
        moved: set[str] = set()
        try:
            self.docs.mkdir(parents=True, exist_ok=True)
            for entry in sorted(os.scandir(self.folder) if self.folder.is_dir() else [], key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False) and not os.path.lexists(self.docs / entry.name):
                    try:
                        os.rename(entry.path, self.docs / entry.name)
                        moved.add(entry.name)
                    except OSError:  # made meanwhile, or not allowed: its files one by one
                        pass
            for rel in sorted(staged):
                if rel.partition("/")[0] in moved:
                    report.written.append(rel)
                    continue
                target = self.docs / rel
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                os.replace(self.folder / rel, target)
                report.written.append(rel)
        finally:
            self.discard()
        for rel in sorted(self.owned - produced):
            target = self.docs / rel
            if target.exists():
                target.unlink()
                report.removed.append(rel)
            parent = target.parent
            while parent != self.docs and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        manifest = json.dumps(sorted(produced), indent=0) + "\n"
        if not ((self.docs / MANIFEST).exists() and (self.docs / MANIFEST).read_text(encoding="utf-8") == manifest):
            _atomic_write(self.docs / MANIFEST, manifest)
        return report
