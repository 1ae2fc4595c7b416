"""Map drawing: clipping the land to the view."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kb.maps import _basemap, _clip, _clip_array


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
