"""Placing text in the SVG drawings (``network.py``, ``maps.py``): rough text widths, rectangles
already taken, and whether a line crosses a rectangle. Coordinates are the drawing's user units
(pixels at its natural size), boxes ``(x0, y0, x1, y1)`` with y growing downwards."""

from __future__ import annotations

import functools
import math

Box = tuple[float, float, float, float]


@functools.lru_cache(maxsize=65_536)
def text_width(text: str, size: float) -> float:
    """A rough width of a sans-serif text (no font metrics at build time), on the wide side:
    the reader's system font decides (DejaVu Sans, common on Linux, is among the widest).
    Remembered (the last 65,536 texts and sizes, a few MB): a map tries a label at up to seven
    spots and the same names recur on many drawings; the 1,103 maps of 10,000 records asked for
    104,706 widths."""
    w = 0.0
    for c in text:
        if c in "iljtfrI.,;:!|' ":
            w += 0.32
        elif c in "mwMW@%":
            w += 0.86
        elif c.isupper() or not c.isascii():
            w += 0.66
        else:
            w += 0.56
    return w * size * 1.12


def crosses(seg: tuple[float, float, float, float], box: Box) -> bool:
    """Whether a line segment ``(x1, y1, x2, y2)`` passes through a rectangle (Liang-Barsky
    clipping)."""
    x1, y1, x2, y2 = seg
    x0, y0, x3, y3 = box
    dx, dy = x2 - x1, y2 - y1
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x1 - x0), (dx, x3 - x1), (-dy, y1 - y0), (dy, y3 - y1)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                lo = max(lo, t)
            else:
                hi = min(hi, t)
            if lo > hi:
                return False
    return True


def _span(seg: tuple[float, float, float, float]) -> Box:
    """The box a segment ``(x1, y1, x2, y2)`` spans."""
    x1, y1, x2, y2 = seg
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


class Boxes:
    """Rectangles already taken (markers, labels, a legend), and lines (a callout's), in a grid of
    buckets: a test looks only at what lies in the cells it touches, not at everything placed."""

    SIZE = 80.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}
        self.lines: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, box: Box):
        x0, y0, x1, y1 = box
        for cx in range(math.floor(x0 / self.SIZE), math.floor(x1 / self.SIZE) + 1):
            for cy in range(math.floor(y0 / self.SIZE), math.floor(y1 / self.SIZE) + 1):
                yield cx, cy

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def add_line(self, seg: tuple[float, float, float, float]) -> None:
        """A line ``(x1, y1, x2, y2)`` that no box placed later may cross (``hits``)."""
        for key in self._keys(_span(seg)):
            self.lines.setdefault(key, []).append(seg)

    def hits(self, box: Box) -> bool:
        """Whether ``box`` overlaps a rectangle added before (touching edges do not count), or a
        line added before crosses it."""
        x0, y0, x1, y1 = box
        for key in self._keys(box):
            for a0, b0, a1, b1 in self.cells.get(key, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return True
            if any(crosses(seg, box) for seg in self.lines.get(key, ())):
                return True
        return False

    def crossed_by(self, seg: tuple[float, float, float, float]) -> bool:
        """Whether the segment ``(x1, y1, x2, y2)`` passes through a rectangle added before."""
        seen: set[Box] = set()
        for key in self._keys(_span(seg)):
            for box in self.cells.get(key, ()):
                if box not in seen:
                    seen.add(box)
                    if crosses(seg, box):
                        return True
        return False
