"""A persistent cache on disk for the generator's expensive pure computations, under ``.cache/kb/``
(git-ignored; delete it at will: it is only ever a shortcut).

* **Drawings** (:func:`drawing`): a network's SVG (its force-directed layout is most of the cost) and
  a map's SVG (clipping the land outline to the view), each keyed on a hash of exactly its inputs
  and of the code that draws it (``network.py`` or ``maps.py`` with ``basemap.json``). A cold run
  draws each distinct input once; a later run, in any process, draws nothing it drew before.
* **Compiled templates** (:class:`BytecodeCache`): Jinja's bytecode, in memory for the life of the
  process and on disk between processes; Jinja checks each entry against its template's source.
* **The last `generate`** (``incremental.GenerateCache``) keeps what each unit of output read, so
  that a `generate` with nothing changed renders nothing.

Every entry is written atomically (a temporary file, then a rename), so two processes sharing the
cache (``mkdocs serve`` and a ``generate``) never read half an entry; an entry that cannot be read is
computed again. ``KB_CACHE_DIR`` moves the cache; ``KB_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from functools import cache
from pathlib import Path
from typing import Any, Callable

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


def read(kind: str, key: str) -> bytes | None:
    folder = directory()
    if folder is None:
        return None
    try:
        return (folder / kind / key[:2] / key).read_bytes()
    except OSError:
        return None


_TEMP = itertools.count()  # temporary names: this process's id and a counter


def write(kind: str, key: str, data: bytes) -> None:
    folder = directory()
    if folder is None:
        return
    target = folder / kind / key[:2] / key
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".tmp-{os.getpid()}-{next(_TEMP)}")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError:  # a read-only checkout: no cache, same output
        pass


_DRAWING_CODE = {"network": ("network.py",), "map": ("maps.py", "basemap.json")}


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
