"""Map drawing: clipping the land to the view, drawing it with the detail its scale shows, and
naming every place."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

import re

from kb.maps import (
    BASEMAP, BASEMAP_TOLERANCE, CLUSTER_PX, PARALLEL_PX, COARSEST, DETAIL_PX, LINE, Point, _basemap, _clip, _clip_array, _clusters,
    Segment, _label_box, _place_list, detail_level, simplify, svg_map,
)
from kb.svgtext import Boxes, crosses


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
    tolerance = BASEMAP_TOLERANCE * 2**COARSEST  # how far simplifying may move a ring's extremes
    assert any(all(abs(a - b) <= tolerance for a, b in zip(box, largest))
               for _ring, box, _array in _basemap(COARSEST)[0])  # the continent stays


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


# ------------------------------------------------------------------------------ naming the places

_PLACE = re.compile(
    r'<a href="([^"]+)" target="_top"><title>[^<]*</title><circle cx="([\d.]+)" cy="([\d.]+)"[^>]*/>'
    r'(?:<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" class="label">([^<]*)</text>)?</a>'
)


def _places(svg: str) -> dict[str, tuple]:
    """href → (x, y, label x, label y, anchor, name) of each place drawn (label fields None if unnamed)."""
    return {m[0]: (float(m[1]), float(m[2]), m[3] and float(m[3]), m[4] and float(m[4]), m[5], m[6])
            for m in _PLACE.findall(svg)}


def _spot(lon, lat, names, spread):
    """Places named ``names`` within ``spread`` degrees of (lon, lat), each a link."""
    rnd = random.Random(len(names))
    return [Point(n, lon + rnd.uniform(-spread, spread), lat + rnd.uniform(-spread, spread), href=f"{i}.html")
            for i, n in enumerate(names)]


@pytest.mark.parametrize("count", [2, 3, 4, 6])
def test_places_drawn_on_one_spot_are_each_named_in_one_list(count):
    """Four places around Islamabad drew on one spot of the map view: two had a name, and the other
    two neither a name nor a marker left to click (the markers lay under each other). Every place
    on a crowded spot now has its name, as a link, in one list beside the spot, A to Z."""
    names = ["Islamabad", "Rawalpindi", "Nur Khan airbase", "Movenpick Hotel Islamabad", "Faisal Mosque", "Saidpur"][:count]
    points = _spot(73.05, 33.65, names, 0.02) + [Point("Karachi", 67.0, 24.86, href="k.html"), Point("Astana", 71.4, 51.1, href="a.html")]
    svg = svg_map(points, [], "test")
    drawn = _places(svg)
    assert set(drawn) == {p.href for p in points}
    named = [drawn[f"{i}.html"] for i in range(count)]
    assert all(d[5] for d in named), named  # every place of the spot has its name
    assert [d[5] for d in sorted(named, key=lambda d: d[3])] == sorted(names, key=str.casefold)
    assert len({(d[2], d[4]) for d in named}) == 1  # one column: the same x and anchor
    baselines = sorted(d[3] for d in named)
    assert all(b - a == pytest.approx(LINE) for a, b in zip(baselines, baselines[1:]))
    boxes = [_label_box(d[5], d[2], d[3], d[4]) for d in named]
    list_box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    gaps = [math.hypot(max(list_box[0] - x, x - list_box[2], 0), max(list_box[1] - y, y - list_box[3], 0))
            for x, y, *_ in named]
    assert min(gaps) <= 8, gaps  # beside the spot (7 px from one of its places), not set apart
    assert 'class="leader"' not in svg


def _boxes_of(svg: str) -> list[tuple]:
    return [_label_box(d[5], d[2], d[3], d[4]) for d in _places(svg).values() if d[5]]


_LEADER = re.compile(r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)" class="leader"/>')


def _crowded(seed: int) -> list[Point]:
    """Random places: 5 to 40 spots, each of 1 to 5 places within 0.03 degrees."""
    rnd = random.Random(seed)
    points = []
    for k in range(rnd.randint(5, 40)):
        points += _spot(rnd.uniform(60, 80), rnd.uniform(20, 45), [f"Place {k}.{j}" for j in range(rnd.randint(1, 5))], 0.03)
    return [Point(p.label, p.lon, p.lat, href=f"{i}.html") for i, p in enumerate(points)]


@pytest.mark.parametrize("seed", range(40))
def test_no_two_names_overlap_and_no_callout_line_crosses_a_name(seed):
    """Names on random maps of crowded spots: none overlaps another or leaves the map, and no
    callout's line crosses a name other than its own list's (a name placed after a line could sit
    on it: 80 of 1,248 lines on 300 random maps)."""
    svg = svg_map(_crowded(seed), [], "test")
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg)[1])
    boxes = _boxes_of(svg)
    assert boxes
    e = 0.06  # the coordinates are written to 0.1 px: boxes that touch may overlap by a rounding
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= 720 and a[3] <= height, a
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] - e and b[0] < a[2] - e and a[1] < b[3] - e and b[1] < a[3] - e), (a, b)
    for line in _LEADER.findall(svg):
        x1, y1, x2, y2 = map(float, line)
        for b in boxes:
            own = b[0] - 0.2 <= x2 <= b[2] + 0.2 and b[1] - 0.2 <= y2 <= b[3] + 0.2  # the list it leads to
            assert own or not crosses((x1, y1, x2, y2), (b[0] + 0.5, b[1] + 0.5, b[2] - 0.5, b[3] - 0.5)), (line, b)


def test_random_crowded_maps_draw_callouts():  # so that the test above checks some lines
    assert sum(len(_LEADER.findall(svg_map(_crowded(seed), [], "t"))) for seed in range(40)) >= 20


def test_a_list_with_no_room_beside_its_spot_is_set_apart_with_a_line_that_crosses_no_name():
    taken, labels = Boxes(), Boxes()
    x, y = 300.0, 300.0
    for box in ((x - 40, y - 30, x + 40, y + 30),):  # everything within about 30 px is taken
        taken.add(box)
    other = (x + 45, y - 60, x + 200, y + 60)  # a name to the right, which no line may cross
    taken.add(other)
    labels.add(other)
    placed = _place_list(["Islamabad", "Rawalpindi"], x, y, 600, taken, labels)
    assert placed is not None
    spots, leader = placed
    assert leader is not None
    x1, y1, x2, y2 = leader
    assert (x1 - x) ** 2 + (y1 - y) ** 2 == pytest.approx(25)  # from just outside the marker
    assert not crosses(leader, other)
    box = _label_box("Rawalpindi", *spots[1])
    assert box[0] - 1 <= x2 <= box[2] + 1 and spots[0][1] - 16 <= y2 <= spots[1][1] + 5  # to the list itself


def test_a_list_that_fits_nowhere_names_what_fits_one_by_one():
    names = [f"Place number {i}" for i in range(60)]  # 60 lines: taller than the map
    points = _spot(70.0, 30.0, names, 0.01)
    svg = svg_map(points, [], "test", min_span=3)
    assert float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg)[1]) < 60 * LINE
    assert _places(svg).keys() == {p.href for p in points}
    assert 1 <= len(_boxes_of(svg)) < 60


def test_a_group_never_spreads_wider_than_the_cluster_distance_from_its_first_point():
    chain = [(100.0 + 6 * i, 100.0) for i in range(6)]  # each 6 px from the next
    groups = _clusters(chain)
    assert groups == [[0, 1], [2, 3], [4, 5]]
    for g in groups:
        assert all(abs(chain[i][0] - chain[g[0]][0]) < CLUSTER_PX for i in g)
    assert _clusters([(0.0, 0.0), (50.0, 0.0)]) == [[0], [1]]


# ------------------------------------------------------------------------------ the basemap


def test_no_land_ring_jumps_across_the_world():
    """Eurasia's ring crossed the antimeridian at Chukotka, from +180 to -180 between two points,
    and a map clipped to its view drew that jump as a straight coast across its whole width (a
    false band of sea at about 70 N on the map view). make_basemap.unwrap makes each ring's
    longitudes continuous."""
    data = json.loads(BASEMAP.read_text(encoding="utf-8"))
    for key in ("rings", "holes"):
        for ring in data[key]:
            jumps = [(a, b) for a, b in zip(ring, ring[1:] + ring[:1]) if abs(a[0] - b[0]) > 90]
            assert not jumps, (key, jumps[:3])


def test_unwrap_makes_longitudes_continuous_and_keeps_the_ring_near_the_meridian():
    from make_basemap import unwrap

    ring = [(170.0, 60.0), (179.9, 65.0), (-179.9, 66.0), (-170.0, 65.0), (-175.0, 60.0)] + [(100.0, 50.0)] * 20
    out = unwrap(ring)
    assert [y for _, y in out] == [y for _, y in ring]
    assert all(abs(a[0] - b[0]) <= 180 for a, b in zip(out, out[1:]))
    assert [round(x, 6) for x, _ in out[:5]] == [170.0, 179.9, 180.1, 190.0, 185.0]
    again = unwrap([(x - 360, y) for x, y in ring])  # a ring given a turn off comes back
    assert [(round(x, 6), y) for x, y in again] == [(round(x, 6), y) for x, y in out]
    assert unwrap([(10.0, 0.0), (20.0, 0.0), (15.0, 5.0)]) == [(10.0, 0.0), (20.0, 0.0), (15.0, 5.0)]



def test_legs_between_the_same_two_points_are_drawn_side_by_side():
    """An air link and a corridor's leg from Kazakhstan to Pakistan lay exactly on each other, the
    one under hidden. Legs between the same two points (either way round) are drawn PARALLEL_PX
    apart, centred on the straight line; a leg of its own stays on it."""
    a, b, c = Point("A", 71.4, 51.1), Point("B", 73.0, 33.7), Point("C", 67.0, 24.9)
    svg = svg_map([], [Segment(a, b, "air"), Segment(b, a, "unspecified"), Segment(b, c, "sea")], "test")
    lines = [tuple(float(v) for v in m) for m in re.findall(
        r'<line x1="([\d.-]+)" y1="([\d.-]+)" x2="([\d.-]+)" y2="([\d.-]+)" stroke=', svg)]
    first, second, alone = lines[:3]  # the legs, then the legend's samples
    second = (second[2], second[3], second[0], second[1])  # drawn from b to a: compare end for end
    gaps = [math.hypot(p - q, r - t) for p, q, r, t in ((first[0], second[0], first[1], second[1]),
                                                          (first[2], second[2], first[3], second[3]))]
    assert gaps == pytest.approx([PARALLEL_PX, PARALLEL_PX], abs=0.15), (first, second)
    mid = [((first[k] + second[k]) / 2) for k in range(4)]
    single = svg_map([], [Segment(a, b, "air"), Segment(b, c, "sea")], "test")  # the same view
    on_line = [float(v) for v in re.search(r'<line x1="([\d.-]+)" y1="([\d.-]+)" x2="([\d.-]+)" y2="([\d.-]+)"', single).groups()]
    assert mid == pytest.approx(on_line, abs=0.15)  # centred on the straight line
    assert 'x1="%.1f" y1="%.1f"' % alone[:2] in svg  # the leg from B to C is not moved


def test_a_place_map_shows_the_places_around_it_for_context_without_moving_its_view():
    """A map of one inland place was an empty beige box with a dot: other places inside its view are
    drawn small and grey, each a link, under the place itself; the view is the place's own."""
    focus = Point("Islamabad", 73.05, 33.68, emphasis=True, href="islamabad.html")
    near = [Point("Rawalpindi", 73.05, 33.60, href="rawalpindi.html"), Point("Peshawar", 71.5, 34.0, href="peshawar.html")]
    far = [Point("Astana", 71.4, 51.1, href="astana.html")]
    alone = svg_map([focus], [], "test", min_span=24)
    svg = svg_map([focus], [], "test", min_span=24, context=near + far)
    view = re.compile(r'viewBox="[^"]*"')
    assert view.search(svg)[0] == view.search(alone)[0]
    assert svg.count('class="context"') == 2 and "astana.html" not in svg
    assert '<a href="peshawar.html" target="_top"><title>Peshawar</title><circle' in svg
    assert 'class="context-label">Peshawar</text>' in svg
    assert svg.index('class="context"') < svg.index('class="point main"')  # the place itself on top
    assert svg_map([focus], [], "test", min_span=24, context=[focus]).count('class="context"') == 0  # not twice


def test_a_spots_list_reads_a_to_z_whatever_the_accents():
    names = ["Zhob", "Östersund", "Abbottabad", "Ürümqi"]
    svg = svg_map(_spot(73.0, 33.6, names, 0.01), [], "test")
    listed = [d[5] for d in sorted(_places(svg).values(), key=lambda d: d[3])]
    assert listed == ["Abbottabad", "Östersund", "Ürümqi", "Zhob"], listed
