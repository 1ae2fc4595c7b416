"""kb.tracking: what a page records reading, through remembered results (Memo) included."""

from __future__ import annotations

from kb.tracking import Memo, read, recording


def test_a_remembered_result_adds_its_keys_to_every_recording_that_uses_it():
    memo = Memo()

    def compute():
        read(("record", "a"))
        read(("backlinks", "a"))
        return "text"

    with recording() as first:
        assert memo.get("k", compute) == "text"
        read(("record", "page-1"))
    assert first == {("record", "a"), ("backlinks", "a"), ("record", "page-1")}

    with recording() as second:  # a hit: the keys come from the memo, not from computing again
        assert memo.get("k", lambda: "not called") == "text"
        assert memo.get("k", lambda: "not called") == "text"  # twice on one page: the same keys
    assert second == {("record", "a"), ("backlinks", "a")}

    with recording() as outer:
        read(("record", "page-3"))
        with recording() as inner:
            memo.get("k", compute)
        assert inner == {("record", "a"), ("backlinks", "a")}
        memo.get("k", compute)  # already in the outer one through the inner: nothing new
    assert outer == {("record", "a"), ("backlinks", "a"), ("record", "page-3")}

    with recording() as outer:
        with recording():
            pass
        memo.get("k", compute)  # the inner recording's replays do not hide it from the outer one
    assert outer == {("record", "a"), ("backlinks", "a")}


def test_a_result_remembered_inside_another_carries_its_keys_into_it():
    memo = Memo()
    memo.get("inner", lambda: read(("record", "x")) or "x")

    def outer():
        read(("record", "y"))
        return memo.get("inner", lambda: "not called") + "y"

    with recording() as page:
        assert memo.get("outer", outer) == "xy"
    assert page == {("record", "x"), ("record", "y")}
    with recording() as other:
        memo.get("outer", outer)
    assert other == {("record", "x"), ("record", "y")}


def test_nothing_is_recorded_outside_a_recording():
    memo = Memo()
    assert memo.get("k", lambda: read(("record", "a")) or 1) == 1
    assert memo.get("k", lambda: 2) == 1
    with recording() as page:
        memo.get("k", lambda: 2)
    assert page == {("record", "a")}
