"""Map drawing: clipping the land to the view, and drawing it with the detail its scale shows."""

from __future__ import annotations

import random

import numpy as np
import pytest

import re

from kb.maps import (
    BASEMAP_TOLERANCE, COARSEST, DETAIL_PX, Point, _basemap, _clip, _clip_array, detail_level, simplify, svg_map,
)


def _rings():
    rnd = random.Random(3)
    for ring, _box, _array in _basemap()[0][:60]:
        yield ring
    for _ in range(60):  # star-shaped, concave polygons of every size, some with points on the box
        n = rnd.randint(3, 300)
        cx, cy = rnd.uniform(-20, 20), rnd.uniform(-20, 20)
        yield tuple(
            (round(cx + r * np.cos(a), rnd.choice((0, 1, 6))), round(cy + r * np.sin(a), rnd.choice((0, 1, 6))))
            for a, r in sorted((rnd.uniform(0, 2 * np.pi), rnd.uniform(1, 30)) for _ in range(n))
        )


@pytest.mark.parametrize("box", [(-10.0, -10.0, 10.0, 10.0), (0, 0, 5, 40), (30.5, 40.25, 90.0, 60.0), (-180, -85, 180, 85)])
def test_the_array_clip_gives_the_same_points_to_the_last_bit(box):
    for ring in _rings():
        expected = _clip(ring, box)
        got = _clip_array(np.array(ring, dtype=float).reshape(-1, 2), box)
        assert [tuple(p) for p in got.tolist()] == [(float(x), float(y)) for x, y in expected]


def _line_distance(p, a, b) -> float:
    """From p to the straight line through a and b (to a itself when a = b): the algorithm's measure."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if not (dx or dy):
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * (x - x1) - dx * (y - y1)) / (dx * dx + dy * dy) ** 0.5


@pytest.mark.parametrize("tolerance", [0.1, 0.5, 2.0])
def test_simplify_keeps_the_ends_and_every_point_near_the_line(tolerance):
    for ring in list(_rings())[::7]:
        ring = list(ring) if ring[0] == ring[-1] else [*ring, ring[0]]  # closed, as the basemap's rings are
        kept = simplify(ring, tolerance)
        assert kept[0] == ring[0] and kept[-1] == ring[-1] and len(kept) <= len(ring)
        at, i = [], 0
        for point in kept:  # a subsequence of the ring, in order
            while ring[i] != point:
                i += 1
            at.append(i)
            i += 1
        assert at[-1] == len(ring) - 1
        for a, b in zip(at, at[1:]):  # each dropped point within the tolerance of the line through its neighbours
            assert all(_line_distance(ring[i], ring[a], ring[b]) <= tolerance + 1e-9 for i in range(a + 1, b))


@pytest.mark.parametrize("scale", [0.5, 1.0, 2.9, 3.2, 6.0, 6.3, 12.5, 30.0, 200.0])
def test_the_detail_level_is_the_coarsest_within_a_pixel(scale):
    level = detail_level(scale)
    assert 0 <= level <= COARSEST
    if level:
        assert BASEMAP_TOLERANCE * 2**level * scale <= DETAIL_PX
    if level < COARSEST:
        assert BASEMAP_TOLERANCE * 2 ** (level + 1) * scale > DETAIL_PX


def test_a_coarser_level_has_fewer_points_and_keeps_the_large_rings():
    counts = [sum(len(ring) for ring, _box, _array in _basemap(level)[0]) for level in range(COARSEST + 1)]
    assert counts == sorted(counts, reverse=True) and counts[1] < counts[0] * 0.75
    largest = max(_basemap(0)[0], key=lambda r: len(r[0]))[1]
    assert any(box == largest for _ring, box, _array in _basemap(COARSEST)[0])  # the continent stays


def _land_points(svg: str) -> int:
    return sum(len(m.split()) for m in re.findall(r'<polygon class="land" points="([^"]*)"', svg))


def test_a_wide_map_draws_the_land_coarser_and_a_regional_one_in_full(monkeypatch):
    from kb import maps

    regional = [Point("Islamabad", 73.05, 33.68), Point("Astana", 71.43, 51.13)]
    wide = [Point("Lisbon", -9.14, 38.72), Point("Beijing", 116.4, 39.9), Point("Cape Town", 18.42, -33.92)]
    drawn = {name: svg_map(points, [], name) for name, points in (("regional", regional), ("wide", wide))}
    monkeypatch.setattr(maps, "detail_level", lambda scale: 0)  # every map at basemap.json's own detail
    full = {name: svg_map(points, [], name) for name, points in (("regional", regional), ("wide", wide))}
    assert drawn["regional"] == full["regional"]  # about 20 px per degree: nothing simplified
    assert 0 < _land_points(drawn["wide"]) < _land_points(full["wide"]) * 0.75  # about 4 px per degree
