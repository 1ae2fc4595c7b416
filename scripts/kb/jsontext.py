"""Indented JSON text, the same characters as ``json.dumps(value, ensure_ascii=False, indent=n)``,
in about half the time.

Python's ``json`` module encodes in C only without ``indent``; with it, every value goes through
its pure-Python generator encoder. The "Cite this" CSL-JSON of every page (indent 2) and the
downloads under data/ (indent 1) are indented, and at 10,000 records that encoder took about 5 %
of a cold `generate`'s rendering. Here the strings are escaped by the same C function ``json``
uses, and the rest is joined directly. Anything but str, int, float, bool, None, and lists, tuples
and dicts with str keys of those (a subclass, another key type) falls back to ``json.dumps`` itself,
so the result is always ``json.dumps``'s (``tests/test_jsontext.py`` compares the two).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # C-accelerated where CPython has it, as json uses it
from typing import Any


class _Unusual(Exception):
    """A value this module leaves to ``json.dumps``."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _encode(value: Any, newline: str, step: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + step
        items = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            items.append(encode_basestring(key) + ": " + _encode(item, inner, step))
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + step
        return "[" + inner + ("," + inner).join([_encode(item, inner, step) for item in value]) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    raise _Unusual


def dumps(value: Any, indent: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``: JSON text, ``indent`` spaces per
    level, non-ASCII characters as they are. Raises what ``json.dumps`` raises (TypeError for a
    value JSON cannot hold)."""
    try:
        return _encode(value, "\n", " " * indent)
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=indent)
