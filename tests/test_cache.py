"""The generator's cache on disk (scripts/kb/cache.py): one SQLite file shared by processes."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from kb import cache


def _write_many(args: tuple[str, int]) -> int:
    prefix, count = args
    for i in range(count):
        cache.write("test", f"{prefix}-{i}", f"{prefix}:{i}".encode() * 50)
    return os.getpid()


def test_entries_written_by_forked_processes_all_read_back(tmp_path: Path, monkeypatch):
    """A cold `generate`'s workers are forked from a process that has already used the cache: each
    opens its own connection, they write at the same time, and every entry is there afterwards,
    whole, for the parent (whose own connection keeps working) and for a new process."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    cache.write("test", "before", b"parent")  # the parent's connection is open when it forks
    with multiprocessing.get_context("fork").Pool(3) as pool:
        pids = set(pool.map(_write_many, [(f"w{n}", 200) for n in range(6)]))
    assert os.getpid() not in pids
    assert cache.read("test", "before") == b"parent"
    for n in range(6):
        for i in range(200):
            assert cache.read("test", f"w{n}-{i}") == f"w{n}:{i}".encode() * 50
    cache.write("test", "after", b"still")
    assert cache.read("test", "after") == b"still"
    cache.close()
    assert list(tmp_path.iterdir()) == [tmp_path / cache.STORE]  # one file: the journal folded back
    assert cache.read("test", "w5-199") == b"w5:199" * 50  # reopened from disk


def test_an_entry_is_replaced_not_duplicated(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    cache.write("svg", "k", b"one")
    cache.write("svg", "k", b"two")
    cache.write("jinja", "k", b"other kind")
    assert cache.read("svg", "k") == b"two"
    assert cache.read("jinja", "k") == b"other kind"
    assert cache.read("svg", "absent") is None


def test_an_unreadable_store_is_no_cache_not_an_error(tmp_path: Path, monkeypatch):
    """A store that is not SQLite (a damaged file) behaves as the cache off: nothing read, writes
    skipped, and the drawing is computed."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    (tmp_path / cache.STORE).write_bytes(b"not a database " * 100)
    cache.close()
    cache.write("svg", "k", b"x")
    assert cache.read("svg", "k") is None
    assert cache.drawing("network", ("inputs",), lambda: "<svg/>") == "<svg/>"
    cache.close()


def test_the_cache_off_and_a_moved_cache(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", "off")
    cache.write("svg", "k", b"x")
    assert cache.read("svg", "k") is None
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "a"))
    cache.write("svg", "k", b"in a")
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "b"))
    assert cache.read("svg", "k") is None
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "a"))
    assert cache.read("svg", "k") == b"in a"
    cache.close()
