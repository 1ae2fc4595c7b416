"""Which parts of the model a rendered page read: the basis of incremental generation.

While a page renders, every read of the model is recorded as a **key**:

* ``("record", id)``: the record's fields, its data file and its position in that file;
* ``("backlinks", id)``: the records that point at it, with their relations, in order;
* ``("all", type)``: which records of a type exist, in order (``("all", "*")``: of every type).

A page's output is a function of the keys it read (and of the templates and the code). After an
edit, :func:`changed_keys` compares the previous model with the new one, and only the pages whose
recorded keys intersect the changed ones are rendered again; every other page is known to come
out byte for byte as before. Nothing here knows about templates: the model's accessors call
:func:`read`, and results computed once for many pages (a question's status, the network's edges)
are kept with :class:`Memo`, which replays the keys they read into every page that uses them.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Hashable, Iterator, TypeVar

Key = tuple[str, str]
T = TypeVar("T")

_recording: list[set[Key]] = []  # the pages (or memoised results) being computed, innermost last
# For each of them, the memoised results whose keys were already added to it (by id): adding the same
# keys again changes nothing, and a page reuses the same remembered text many times.
_replayed: list[set[int]] = []


def read(key: Key) -> None:
    """Record that the computation under way read ``key`` (a no-op when nothing is recording)."""
    if _recording:
        _recording[-1].add(key)


@contextlib.contextmanager
def recording() -> Iterator[set[Key]]:
    """Collect the keys read inside the block; they count for any enclosing recording too."""
    keys: set[Key] = set()
    _recording.append(keys)
    _replayed.append(set())
    try:
        yield keys
    finally:
        _recording.pop()
        _replayed.pop()
        if _recording:
            _recording[-1] |= keys


class Memo:
    """Results computed once and shared by many pages, each with the keys it read.

    ``get(key, compute)`` computes on the first call; later calls return the same result and add
    the keys the computation read to the current recording, so a page that uses a cached result
    still depends on everything that result depends on.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, tuple[Any, frozenset[Key]]] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        hit = self._values.get(key)
        if hit is None:
            with recording() as keys:
                value = compute()
            hit = self._values[key] = (value, frozenset(keys))
        elif _recording and id(hit) not in _replayed[-1]:
            _recording[-1] |= hit[1]
            _replayed[-1].add(id(hit))  # hit stays in self._values: its id is not reused meanwhile
        return hit[0]


def changed_keys(old: Any, new: Any) -> set[Key]:
    """The keys whose value differs between two models (``model.KnowledgeBase``), read without
    recording: records added, removed or changed (fields, data file, position in it), backlinks
    changed, and the membership or order of each type."""
    changed: set[Key] = set()
    old_nodes, new_nodes = old.nodes.untracked(), new.nodes.untracked()
    for rid in old_nodes.keys() | new_nodes.keys():
        a, b = old_nodes.get(rid), new_nodes.get(rid)
        if a is None or b is None:
            changed.add(("record", rid))
            changed.add(("backlinks", rid))
            continue
        if a.content_signature() != b.content_signature():
            changed.add(("record", rid))
        if a.backlink_signature() != b.backlink_signature():
            changed.add(("backlinks", rid))
    everything = False
    for name in old.by_type.keys() | new.by_type.keys():
        if [n.id for n in old.by_type.get(name, [])] != [n.id for n in new.by_type.get(name, [])]:
            changed.add(("all", name))
            everything = True
    if everything:
        changed.add(("all", "*"))
    return changed


def signatures(kb: Any) -> dict[Key, str]:
    """A digest of every key's value in a model, read without recording: what :func:`changed_keys`
    compares, in a form that can be kept on disk and compared with a later run's (``pipeline.generate``)."""
    from .cache import digest

    out: dict[Key, str] = {}
    for rid, node in kb.nodes.untracked().items():
        out[("record", rid)] = digest(node.content_signature())
        out[("backlinks", rid)] = digest(node.backlink_signature())
    for name, nodes in kb.by_type.items():
        out[("all", name)] = digest([n.id for n in nodes])
    out[("all", "*")] = digest(sorted((name, out[("all", name)]) for name in kb.by_type))
    return out


def changed_between(old: dict[Key, str], new: dict[Key, str]) -> set[Key]:
    """The keys whose digests differ between two :func:`signatures` (added and removed ones too)."""
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
