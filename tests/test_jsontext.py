"""kb.jsontext.dumps writes what json.dumps writes, indent for indent (the CSL-JSON and the downloads)."""

from __future__ import annotations

import json
import math
from collections import OrderedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import jsontext

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(values, st.integers(min_value=0, max_value=4))
def test_the_same_text_as_json_dumps(value, indent):
    assert jsontext.dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


@pytest.mark.parametrize("value", [
    {},
    [],
    [{}, [], ""],
    {"a": {"b": [1, 2.5, -0.0, 1e300, True, False, None]}},
    {"quote\"and\\slash/": "line\nbreak\ttab\u0000nul \u2028 \U0001f600 é"},
    [math.nan, math.inf, -math.inf],
    {1: "an int key", None: "a None key", 2.5: "a float key", True: "a bool key"},  # json turns keys to text
    {None: "a None key alone"},
    OrderedDict(b=1, a=2),  # a dict subclass: left to json itself
    [10**30, -(10**30)],
])
def test_awkward_values(value):
    for indent in (0, 1, 2):
        assert jsontext.dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_what_json_refuses_is_refused_alike():
    with pytest.raises(TypeError):
        json.dumps({"a": {1, 2}}, indent=1)
    with pytest.raises(TypeError):
        jsontext.dumps({"a": {1, 2}}, 1)
