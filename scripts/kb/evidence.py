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
import re
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


# --------------------------------------------------------------------------- figures in an excerpt

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# A word after a number that multiplies it: magnitudes as the search's text.js knows them
# (docs/assets/search/text.js, SCALE: every word there must be here with the same multiple,
# tests/test_search.py holds it), South Asian ones (lakh, crore), and the counting words the
# sources use ("two decades").
SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "b": 1e9,
         "bn": 1e9, "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12, "hundred": 1e2,
         "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "dozen": 12, "decade": 10, "decades": 10}
_WORD_SCALE = {w: v for w, v in SCALE.items() if len(w) > 2 and w != "hundred"}  # spelled out: "two million"
# Digits: 1,200 or 1,00,000 (grouped in thousands, or in lakhs) or 1200, and a decimal part; not
# the tail of a word or of another number ("Rs.10" is 10; "1.7" is one number).
_DIGITS = re.compile(r"(?<!\w)(?<!\d[.,])(\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+)(\.\d+)?")
_NEXT_WORD = re.compile(r"\s*[-\u2010]?\s*([a-z]+)")
_NUMBER_WORD = "|".join(["half", "a", "an", "and", "hundred", *_UNITS, *_TENS, *_WORD_SCALE])
# A run of number words: "thirty-two", "one hundred and five", "two hundred thousand", "half a billion"
_WORDS = re.compile(rf"\b(?:{_NUMBER_WORD})(?:[\s\u2010-]+(?:{_NUMBER_WORD}))*\b")


def _spelled(words: list[str]) -> float | None:
    """The number a run of number words spells ("one hundred and five" → 105, "half a billion" →
    5e8, "a dozen" → 12), or None where it spells none: "a", "and", or a scale word alone (the
    "billion" of "1.7 billion", which the digits before it read)."""
    total, current, factor, seen = 0.0, 0.0, 1.0, False
    if words and words[0] not in ("a", "an", "half") and not (words[0] in _UNITS or words[0] in _TENS):
        return None
    for word in words:
        if word in ("a", "an", "and"):
            continue
        if word == "half":
            factor, seen = 0.5, True
        elif word in _UNITS:
            current += _UNITS.index(word)
            seen = True
        elif word in _TENS:
            current += 10 * (_TENS.index(word) + 2)
            seen = True
        elif word == "hundred":
            current, seen = (current or 1) * 100, True
        else:  # thousand, million, lakh, dozen, decade ...
            total += (current or 1) * _WORD_SCALE[word]
            current, seen = 0.0, True
    return (total + current) * factor if seen else None


def figures_in(text: str) -> set[float]:
    """Every number the text writes: in digits ("1,200", "1,00,000", "1.7", "105", "Rs.10"), each
    also multiplied by a scale word right after it ("1.7 billion", "$1bn", "3 crore" → 1.7e9, 1e9,
    3e7), and spelled out ("thirty-two", "one hundred and five", "two hundred thousand", "a dozen",
    "two decades", "half a billion" → 32, 105, 2e5, 12, 20, 5e8). Case and NFKC forms aside.

    >>> sorted(figures_in("US$1.7 billion, thirty-two deals, over two decades"))
    [1.7, 20.0, 32.0, 1700000000.0]
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    found: set[float] = set()
    for m in _DIGITS.finditer(text):
        number = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        found.add(number)
        word = _NEXT_WORD.match(text, m.end())
        if word and word.group(1) in SCALE:
            found.add(number * SCALE[word.group(1)])
    for m in _WORDS.finditer(text):
        words = [w for w in re.split(r"[\s\u2010-]+", m.group(0)) if w]
        while words and words[0] == "and":  # "deals and two ...": the run starts at its first number
            words = words[1:]
        value = _spelled(words)
        if value is not None:
            found.add(value)
    return found


def figure_written(value: float, text: str) -> bool:
    """Whether ``text`` writes ``value`` in any of the spellings ``figures_in`` reads (to a
    trillionth of it, for a float's rounding)."""
    return any(abs(value - f) <= 1e-12 * max(1.0, abs(value)) for f in figures_in(text))
