"""The generator's cache on disk (scripts/kb/cache.py): one SQLite file shared by processes."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

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


def _write_many_in_batches(args: tuple[str, int]) -> int:
    prefix, count = args
    for start in range(0, count, 64):
        with cache.batch():
            for i in range(start, min(start + 64, count)):
                cache.write("test", f"{prefix}-{i}", f"{prefix}:{i}".encode() * 50)
    return os.getpid()


def _stored(folder: Path) -> dict[tuple[str, str], bytes]:
    """What another process reading the store would find now."""
    with sqlite3.connect(folder / cache.STORE) as conn:
        return {(kind, key): data for kind, key, data in conn.execute("SELECT kind, key, data FROM entry")}


def test_writes_in_a_batch_are_read_back_at_once_and_stored_together_at_its_end(tmp_path: Path, monkeypatch):
    """Inside ``cache.batch()`` a write is kept in memory: read back by this process at once, not
    yet in the store for another; all are stored when the batch ends, an error inside too (what was
    computed stays computed); a nested batch stores with the outer one."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    cache.write("svg", "before", b"0")
    with cache.batch():
        cache.write("svg", "a", b"1")
        with cache.batch():
            cache.write("svg", "b", b"2")
        cache.write("svg", "a", b"3")  # replaced before it is stored
        assert cache.read("svg", "a") == b"3" and cache.read("svg", "b") == b"2"
        assert _stored(tmp_path) == {("svg", "before"): b"0"}
    assert _stored(tmp_path) == {("svg", "before"): b"0", ("svg", "a"): b"3", ("svg", "b"): b"2"}
    with pytest.raises(RuntimeError), cache.batch():
        cache.write("layout", "c", b"4")
        raise RuntimeError("a page's error")
    assert _stored(tmp_path)[("layout", "c")] == b"4"
    assert cache.read("layout", "c") == b"4"


def test_batches_written_by_forked_processes_all_read_back(tmp_path: Path, monkeypatch):
    """As a cold `generate`'s workers write: batches from processes at the same time, every entry
    whole afterwards."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    cache.write("test", "before", b"parent")
    with multiprocessing.get_context("fork").Pool(3) as pool:
        pool.map(_write_many_in_batches, [(f"w{n}", 200) for n in range(6)])
    stored = _stored(tmp_path)
    assert len(stored) == 1 + 6 * 200
    assert all(stored[("test", f"w{n}-{i}")] == f"w{n}:{i}".encode() * 50 for n in range(6) for i in range(200))


def test_a_batch_with_the_cache_off_keeps_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", "off")
    with cache.batch():
        cache.write("svg", "k", b"x")
        assert cache.read("svg", "k") is None
    assert cache.read("svg", "k") is None


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


DAY = 86_400


def _used(folder: Path) -> dict[tuple[str, str], int]:
    with sqlite3.connect(folder / cache.STORE) as conn:
        return {(kind, key): used for kind, key, used in conn.execute("SELECT kind, key, used FROM entry")}


def test_entries_unused_for_keep_days_are_pruned_and_a_use_renews_one(tmp_path: Path, monkeypatch):
    """An entry neither read nor written for KEEP_DAYS days goes at the next prune; a read renews an
    entry's last use (at most once a day, so that reads within a day write nothing), a write too."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("KB_CACHE_DAYS", raising=False)
    clock = [1_800_000_000]
    monkeypatch.setattr(cache, "_now", lambda: clock[0])
    for key in ("unused", "read", "rewritten"):
        cache.write("svg", key, key.encode())
    clock[0] += DAY // 2
    assert cache.read("svg", "read") == b"read"
    assert _used(tmp_path)[("svg", "read")] == clock[0] - DAY // 2  # within a day: not written
    clock[0] += (cache.KEEP_DAYS - 10) * DAY
    assert cache.read("svg", "read") == b"read"
    cache.write("svg", "rewritten", b"again")
    assert _used(tmp_path)[("svg", "read")] == clock[0]
    clock[0] += 10 * DAY  # "unused": KEEP_DAYS and half a day; the others: 10 days
    assert cache.prune() == 1
    assert set(_used(tmp_path)) == {("svg", "read"), ("svg", "rewritten")}
    assert cache.prune() == 0
    monkeypatch.setenv("KB_CACHE_DAYS", "5")
    assert cache.keep_days() == 5
    assert cache.prune() == 2 and _used(tmp_path) == {}
    assert cache.read("svg", "read") is None


def test_pruning_most_of_the_store_shrinks_its_file(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("KB_CACHE_DAYS", raising=False)
    clock = [1_800_000_000]
    monkeypatch.setattr(cache, "_now", lambda: clock[0])
    for i in range(300):
        cache.write("svg", f"old-{i}", os.urandom(8_000))
    clock[0] += (cache.KEEP_DAYS + 1) * DAY
    cache.write("svg", "new", b"kept")
    cache.close()
    before = (tmp_path / cache.STORE).stat().st_size
    assert before > 2_000_000
    assert cache.prune() == 300
    cache.close()
    assert (tmp_path / cache.STORE).stat().st_size < before / 10
    assert cache.read("svg", "new") == b"kept"


def test_a_store_from_before_entries_had_a_last_use_is_kept_and_then_aged(tmp_path: Path, monkeypatch):
    """A store written by the previous version (no ``used`` column) is read as it is; its entries
    count as used when it is first opened, so they age from then, not from 1970."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("KB_CACHE_DAYS", raising=False)
    with sqlite3.connect(tmp_path / cache.STORE) as conn:
        conn.execute("CREATE TABLE entry (kind TEXT, key TEXT, data BLOB, PRIMARY KEY (kind, key)) WITHOUT ROWID")
        conn.execute("INSERT INTO entry VALUES ('svg', 'k', ?)", (b"old store",))
    conn.close()
    cache.close()
    clock = [1_800_000_000]
    monkeypatch.setattr(cache, "_now", lambda: clock[0])
    assert cache.prune() == 0  # opens the store: its entries are used now
    assert _used(tmp_path) == {("svg", "k"): clock[0]}
    assert cache.read("svg", "k") == b"old store"
    clock[0] += (cache.KEEP_DAYS + 1) * DAY
    assert cache.prune() == 1


@pytest.mark.parametrize("setting", ["abc", "-1", "nan", "0", "0.5"])
def test_a_wrong_keep_days_setting_is_an_error_naming_it(setting: str, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DAYS", setting)
    with pytest.raises(ValueError, match="KB_CACHE_DAYS"):
        cache.keep_days()


def test_generate_prunes_the_cache_and_refuses_a_wrong_setting(mini_project: Path, tmp_path: Path, monkeypatch):
    """Every `generate`, one that renders and one that finds nothing changed (and loads nothing),
    ends by pruning; a KB_CACHE_DAYS that is not a number of days stops the command before any
    work (exit code 2, the variable named), docs/ untouched."""
    from conftest import kb_cli
    from kb import pipeline

    folder = tmp_path / "cache"
    monkeypatch.setenv("KB_CACHE_DIR", str(folder))
    monkeypatch.delenv("KB_CACHE_DAYS", raising=False)
    monkeypatch.setattr(pipeline, "_RACY_NS", 0)  # the fixture's files were just written
    paths = pipeline.Paths(root=mini_project, data=mini_project / "data", docs=mini_project / "docs")
    loads: list[int] = []
    real_load = pipeline.load
    monkeypatch.setattr(pipeline, "load", lambda p: loads.append(1) or real_load(p))
    for round_, loaded in (("renders", [1]), ("nothing changed", [])):
        cache.write("svg", "stale", b"drawn long ago")
        with sqlite3.connect(folder / cache.STORE) as conn:
            conn.execute("UPDATE entry SET used = 0 WHERE key = 'stale'")
        conn.close()
        loads.clear()
        pipeline.generate(paths)
        assert loads == loaded, round_
        assert ("svg", "stale") not in _used(folder), round_
        assert any(kind == "generate" for kind, _key in _used(folder)), round_
    cache.close()
    before = {p: p.read_bytes() for p in (mini_project / "docs").rglob("*") if p.is_file()}
    monkeypatch.setenv("KB_CACHE_DAYS", "a month")
    result = kb_cli(mini_project, "generate")
    assert result.returncode == 2 and "KB_CACHE_DAYS='a month'" in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in (mini_project / "docs").rglob("*") if p.is_file()} == before
