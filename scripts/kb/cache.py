"""A persistent cache on disk for the generator's expensive pure computations, under ``.cache/kb/``
(git-ignored; delete it at will: it is only ever a shortcut).

* **Drawings** (:func:`drawing`): a network's SVG (its force-directed layout is most of the cost) and
  a map's SVG (clipping the land outline to the view), each keyed on a hash of exactly its inputs
  and of the code that draws it (``network.py`` or ``maps.py`` with ``basemap.json``, each with
  ``svgtext.py``). A cold run
  draws each distinct input once; a later run, in any process, draws nothing it drew before.
* **Network layouts** (``network._shape_layout``, kind "layout"): a layout's exact floats, by the
  shape of its graph alone, so a drawing drawn again for a new name does not lay it out again.
* **Parsed data files** (``loader._kept``, kind "yaml"): each file's marked tree and syntax errors,
  by its bytes, its name, the loader's code and the parser, so a run after an edit parses only the
  files that changed.
* **Compiled templates** (:class:`BytecodeCache`): Jinja's bytecode, in memory for the life of the
  process and on disk between processes; Jinja checks each entry against its template's source.
* **The last `generate`** (``incremental.GenerateCache``) keeps what each unit of output read, so
  that a `generate` with nothing changed renders nothing.

Entries live in one SQLite file, ``.cache/kb/cache.sqlite3`` (``_store``); each is written in one
transaction (a worker's batch of them together: ``batch``), so two processes sharing the cache (``mkdocs serve`` and a ``generate``, or a cold
`generate`'s workers) never read half an entry; an entry that cannot be read is computed again.
``KB_CACHE_DIR`` moves the cache; ``KB_CACHE_DIR=off`` turns it off.

Entries of past inputs (an edited record's old drawings, everything drawn by a previous version of
the code) are **pruned** (:func:`prune`, at the end of every `generate`, and when ``mkdocs serve``
loads the generator): an entry neither read nor written for ``KEEP_DAYS`` days (``KB_CACHE_DAYS``
to change it) is deleted, and the file is compacted when more than half of it is free. Each
entry's last use is its ``used`` column (Unix seconds), set by a write and refreshed by a read at
most once a day, so reads stay reads.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterator

from jinja2 import BytecodeCache as _JinjaBytecodeCache

ROOT = Path(__file__).resolve().parents[2]
_HERE = Path(__file__).resolve().parent


def directory() -> Path | None:
    """The cache's folder, or None when caching is off."""
    setting = os.environ.get("KB_CACHE_DIR")
    if setting == "off":
        return None
    return Path(setting) if setting else ROOT / ".cache" / "kb"


def digest(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


@cache
def code_version(*names: str) -> str:
    """A hash of the generator's own files that a result depends on (relative to scripts/kb/)."""
    return digest(*[(name, (_HERE / name).read_bytes()) for name in names])


STORE = "cache.sqlite3"  # the entries' one file, in directory()
_BUSY_MS = 5000  # how long a write waits for another process's write before giving up (skipped)
KEEP_DAYS = 30  # an entry unused for longer is pruned (KB_CACHE_DAYS overrides)
_DAY = 86_400  # seconds; a read refreshes an entry's last use when it is older than this
_CONNECTIONS: dict[Path, sqlite3.Connection | None] = {}  # this process's, by folder (emptied before a fork)


def _store() -> sqlite3.Connection | None:
    """This process's connection to the store in ``directory()`` (None when the cache is off or
    cannot be opened).

    One SQLite file rather than a file per entry: a cold `generate` at 10,000 records writes 2,631
    drawings, and creating a file on this machine's disk cost 0.3–1 ms each (about 3 s of one
    process's time), an insert about 0.05 ms. WAL journal, so readers never wait for a writer; no
    fsync (``synchronous=OFF``): an entry lost in a crash is computed again. A connection must not
    cross ``fork`` (SQLite's rule): every connection is closed just before this process forks
    (``close``, registered with ``os.register_at_fork``), and each process opens its own when it
    next needs one."""
    folder = directory()
    if folder is None:
        return None
    if folder in _CONNECTIONS:
        return _CONNECTIONS[folder]
    conn = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(folder / STORE, timeout=_BUSY_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("CREATE TABLE IF NOT EXISTS entry (kind TEXT, key TEXT, data BLOB, used INTEGER NOT NULL"
                     " DEFAULT 0, PRIMARY KEY (kind, key)) WITHOUT ROWID")
        if "used" not in {row[1] for row in conn.execute("PRAGMA table_info(entry)")}:
            # a store from before entries had a last use: its entries count as used now
            conn.execute("BEGIN IMMEDIATE")
            try:
                if "used" not in {row[1] for row in conn.execute("PRAGMA table_info(entry)")}:
                    conn.execute("ALTER TABLE entry ADD COLUMN used INTEGER NOT NULL DEFAULT 0")
                    conn.execute("UPDATE entry SET used = ?", (_now(),))
                conn.execute("COMMIT")
            except sqlite3.Error:
                conn.execute("ROLLBACK")
                raise
        conn.execute("CREATE INDEX IF NOT EXISTS entry_used ON entry (used)")
    except (OSError, sqlite3.Error):  # a read-only checkout, or a file that is not a store: no cache
        if conn is not None:
            conn.close()
        conn = None
    _CONNECTIONS[folder] = conn
    return conn


def close() -> None:
    """Close this process's connections (they reopen when next needed)."""
    for conn in _CONNECTIONS.values():
        if conn is not None:
            conn.close()
    _CONNECTIONS.clear()


os.register_at_fork(before=close)


def _now() -> int:
    """Unix time in whole seconds: an entry's ``used``."""
    return int(time.time())


def read(kind: str, key: str) -> bytes | None:
    """The entry ``(kind, key)``, or None (none, the cache off, or unreadable). Marks the entry used
    when its last use is more than a day old (one small write a day per entry read). An entry
    written inside :func:`batch` is read back before it is stored."""
    if _PENDING is not None and (kind, key) in _PENDING:
        return _PENDING[kind, key]
    conn = _store()
    if conn is None:
        return None
    try:
        row = conn.execute("SELECT data, used FROM entry WHERE kind = ? AND key = ?", (kind, key)).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    now = _now()
    if row[1] < now - _DAY:
        try:
            conn.execute("UPDATE entry SET used = ? WHERE kind = ? AND key = ?", (now, kind, key))
        except sqlite3.Error:  # busy or read-only: the entry is still read, only its age is not renewed
            pass
    return row[0]


def write(kind: str, key: str, data: bytes) -> None:
    """Keep ``data`` as the entry ``(kind, key)``, replacing any, used now; atomic (one SQLite
    transaction), so another process never reads half an entry. Silently skipped when the store
    cannot be written. Inside :func:`batch`, kept until the batch ends."""
    if _PENDING is not None:
        if directory() is not None:
            _PENDING[kind, key] = data
        return
    _store_all([(kind, key, data)])


def _store_all(entries: list[tuple[str, str, bytes]]) -> None:
    """Write ``entries`` (kind, key, data) in one transaction; nothing when the store is off or
    cannot be written (locked longer than ``_BUSY_MS``, disk full, read-only: same output, no entry)."""
    conn = _store()
    if conn is None or not entries:
        return
    now = _now()
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO entry (kind, key, data, used) VALUES (?, ?, ?, ?)",
                             [(kind, key, data, now) for kind, key, data in entries])
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.Error:
        pass


_PENDING: dict[tuple[str, str], bytes] | None = None  # writes kept by batch(), in this process


@contextmanager
def batch() -> Iterator[None]:
    """Writes inside are kept in memory and stored together, in one transaction, when it ends
    (also on an error: what was computed stays computed). A `generate`'s worker renders its units
    in batches (``pipeline._render_some``): at 10,000 records its 2,631 drawings and layouts were
    2,631 transactions, each taking the store's one write lock, for which the other worker waited
    (SQLite's busy handler sleeps). Nested batches store with the outermost."""
    global _PENDING
    if _PENDING is not None:
        yield
        return
    _PENDING = {}
    try:
        yield
    finally:
        pending, _PENDING = _PENDING, None
        _store_all([(kind, key, data) for (kind, key), data in pending.items()])


def keep_days() -> float:
    """How many days an unused entry is kept: ``KB_CACHE_DAYS`` (a number of days, 1 or more), else
    ``KEEP_DAYS``. Raises ValueError naming the variable for anything else. Not less than a day:
    a read renews an entry's last use only once a day, so an entry read by this very run may look
    up to a day old."""
    setting = os.environ.get("KB_CACHE_DAYS")
    if setting is None or setting == "":
        return KEEP_DAYS
    try:
        days = float(setting)
    except ValueError:
        days = 0.0
    if not days >= 1:  # also NaN
        raise ValueError(f"KB_CACHE_DAYS={setting!r}: give a number of days, 1 or more")
    return days


def prune() -> int:
    """Delete the entries neither read nor written for ``keep_days()`` days; when more than half of
    the file is then free pages, compact it (``VACUUM``: the file shrinks). Returns how many entries
    were deleted (0 with the cache off, or when the store is busy: pruning waits for the next run;
    a store busy only for the compaction is compacted by a later run).
    An entry pruned that is needed again is computed again: only time is lost."""
    conn = _store()
    if conn is None:
        return 0
    cutoff = _now() - keep_days() * _DAY
    try:
        if conn.execute("SELECT 1 FROM entry WHERE used < ? LIMIT 1", (cutoff,)).fetchone() is None:
            return 0  # the usual case, a read of the index: no write lock taken
        deleted = conn.execute("DELETE FROM entry WHERE used < ?", (cutoff,)).rowcount
    except sqlite3.Error:
        return 0
    try:
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        if free * 2 > conn.execute("PRAGMA page_count").fetchone()[0]:
            conn.execute("VACUUM")
    except sqlite3.Error:  # another process busy with the store: compacted by a later run
        pass
    return max(deleted, 0)


_DRAWING_CODE = {"network": ("network.py", "svgtext.py"), "map": ("maps.py", "svgtext.py", "basemap.json")}


def drawing(kind: str, inputs: Any, draw: Callable[[], str]) -> str:
    """The SVG ``draw()`` returns for ``inputs`` (a value whose repr names exactly what the drawing
    depends on), from the cache when the same inputs were drawn by the same code before. Nothing
    is kept in memory: at 10,000 records the drawings are 50 MB, and the pages hold them already."""
    key = digest(kind, code_version(*_DRAWING_CODE[kind]), inputs)
    data = read("svg", key)
    if data is not None:
        return data.decode("utf-8")
    svg = draw()
    write("svg", key, svg.encode("utf-8"))
    return svg


class BytecodeCache(_JinjaBytecodeCache):
    """Compiled templates kept in memory for the life of the process, so that each new Renderer
    (one per build under ``mkdocs serve``) does not compile its templates again, and on disk, so
    that the next process does not either. Jinja checks each entry against its template's source
    (a checksum), so an edited template is compiled anew."""

    def __init__(self, kind: str = "jinja") -> None:
        self.kind = kind
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        code = self._code.get(bucket.key)
        if code is None:
            code = read(self.kind, bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Any) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        write(self.kind, bucket.key, code)
