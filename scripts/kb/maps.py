"""Maps as SVG files drawn at build time: no tiles, no scripts, no request to any host.

Each place on a map is a link to its page (``Point.href``, relative to the SVG file, which sits
beside the page that embeds it; ``target="_top"`` so a click leaves the embedding frame).

The land outline is ``basemap.json`` (see ``scripts/make_basemap.py``), drawn no finer than a
wide view can show (``detail_level``); places come from their
records' coordinates, which are editorial and approximate (each place page says so); a leg may be
drawn through editorial waypoints (``Segment.via``), marked as small open circles with grey italic
labels, so that a sea leg keeps to the sea. Projection:
equirectangular, with longitudes scaled by the cosine of the view's middle latitude.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from .svgtext import Boxes, text_width

BASEMAP = Path(__file__).parent / "basemap.json"
WIDTH = 720
MODE_STYLE = {  # stroke colour, dash pattern, width
    "rail": ("#5d4037", "6 3", 2.2),
    "road": ("#e65100", "", 2.2),
    "sea": ("#0277bd", "2 4", 2.4),
    "air": ("#6a1b9a", "10 4 2 4", 1.6),
    "multimodal": ("#2e7d32", "", 3.0),
    "unspecified": ("#616161", "4 4", 2.0),
}


@dataclass(frozen=True)
class Point:
    label: str
    lon: float
    lat: float
    emphasis: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Segment:
    """A corridor leg: drawn from ``start`` through the ``via`` points (editorial waypoints: a port,
    passages at sea) to ``end``, as one line styled by ``mode``."""

    start: Point
    end: Point
    mode: str
    via: tuple[Point, ...] = ()


Ring = tuple[tuple[float, float], ...]


Box = tuple[float, float, float, float]  # west, south, east, north; on the drawing, x0, y0, x1, y1


STYLE = """
.sea, .water { fill: #e8f1f8; }
.land { fill: #f4f1ea; stroke: #c9c2b3; stroke-width: 0.6; }
.water { stroke: #c9c2b3; stroke-width: 0.6; }
.point { fill: #3949ab; stroke: #fff; stroke-width: 1.2; }
.main { fill: #d81b60; }
text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
.label { font-size: 15px; fill: #212121; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
a:hover .label, a:focus .label { fill: #1a237e; text-decoration: underline; }
a:focus circle { stroke: #000; stroke-width: 2.5; }
.legend { font-size: 13px; fill: #424242; }
.via { fill: #fff; stroke: #616161; stroke-width: 1.4; }
.leader { stroke: #757575; stroke-width: 0.8; }
.context { fill: #9e9e9e; stroke: #fff; stroke-width: 1; }
.context-label { font-size: 13px; fill: #616161; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.via-label { font-size: 13px; font-style: italic; fill: #616161; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
"""


def _bbox(ring: Ring) -> Box:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


# basemap.json is Natural Earth's outline simplified (Douglas-Peucker) to this many degrees
# (scripts/make_basemap.py), detail that a map of the visit's region (about 30 px per degree)
# shows. A wider view draws the land from a coarser copy, simplified to ``BASEMAP_TOLERANCE`` ×
# 2**level degrees, the coarsest whose tolerance stays within ``DETAIL_PX`` pixels at its scale: a
# map of half the region (5 px per degree) otherwise drew 2,400 points, most of them under a pixel
# apart, and its land took most of its drawing time.
BASEMAP_TOLERANCE = 0.08
DETAIL_PX = 1.0
COARSEST = 4  # level: 1.28 degrees


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative: the points of a line (or of a closed ring, whose first point is
    also its last) to keep, in order, the ends included; each point left out lies within
    ``tolerance`` (in the points' units) of the straight line through the two kept points around it."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        best, index = 0.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if (dx or dy) else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep) if k]


def detail_level(scale: float) -> int:
    """The coarsest copy of the basemap (0: basemap.json as it is) whose simplification stays within
    ``DETAIL_PX`` pixels on a map of ``scale`` pixels per degree of latitude."""
    level = 0
    while level < COARSEST and BASEMAP_TOLERANCE * 2 ** (level + 1) * scale <= DETAIL_PX:
        level += 1
    return level


@cache
def _basemap(level: int = 0) -> tuple[tuple[tuple[Ring, Box, Any], ...], tuple[tuple[Ring, Box, Any], ...]]:
    """Land rings, and the holes in them (inland seas) drawn as water over the land; each with its
    box and its points as an (n, 2) float array; at ``level`` > 0 simplified (see ``detail_level``),
    leaving out rings that shrink to fewer than four points (an island under a few pixels)."""
    import numpy as np

    data = json.loads(BASEMAP.read_text(encoding="utf-8"))
    tolerance = BASEMAP_TOLERANCE * 2**level

    def rings(key: str) -> tuple[tuple[Ring, Box, Any], ...]:
        out = []
        for r in data[key]:
            ring = tuple((x, y) for x, y in r)
            if level:
                ring = tuple(simplify(list(ring), tolerance))
                if len(ring) < 4:
                    continue
            out.append((ring, _bbox(ring), np.array(ring, dtype=float).reshape(-1, 2)))
        return tuple(out)

    return rings("rings"), rings("holes")


def _clip(ring: Ring, box: Box) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a polygon inside an axis-aligned box."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        out, prev = [], points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
        points = out
    return points


def _clip_array(points: Any, box: Box) -> Any:
    """:func:`_clip` on an (n, 2) float array, a pass over all the points at once for each side of
    the box: the same points in the same order, each computed by the same float operations, so the
    same numbers to the last bit (tests/test_maps.py compares the two)."""
    import numpy as np

    west, south, east, north = box
    for axis, bound, keep_above in ((0, west, True), (0, east, False), (1, south, True), (1, north, False)):
        if not len(points):
            break
        prev = np.concatenate((points[-1:], points[:-1]))  # np.roll(points, 1, axis=0), without its overhead
        inside = points[:, axis] >= bound if keep_above else points[:, axis] <= bound
        crossing = inside != np.concatenate((inside[-1:], inside[:-1]))
        other = 1 - axis
        with np.errstate(divide="ignore", invalid="ignore"):  # only where the sides differ is it used
            t = (bound - prev[:, axis]) / (points[:, axis] - prev[:, axis])
            across = prev[:, other] + t * (points[:, other] - prev[:, other])
        cross = np.empty_like(points)
        cross[:, axis] = bound
        cross[:, other] = across
        both = np.stack((cross, points), axis=1)  # for each point: the crossing into it, then it
        points = both[np.stack((crossing, inside), axis=1)]
    return points


# A ring of more points than this is clipped as an array (_clip_array); a smaller one costs less in
# plain Python than numpy's fixed cost per call.
ARRAY_FROM = 64


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _view(points: list[Point], min_span: float) -> Box:
    lons, lats = [p.lon for p in points], [p.lat for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_x = max((east - west) * 0.15, (min_span - (east - west)) / 2, 1.5)
    pad_y = max((north - south) * 0.15, (min_span * 0.6 - (north - south)) / 2, 1.5)
    return west - pad_x, max(south - pad_y, -85), east + pad_x, min(north + pad_y, 85)


LABEL_SIZE = 15  # px, as in STYLE's .label
# Where a label may go, in order of preference: (dx, dy, anchor) from the point.
_LABEL_SPOTS = (
    (7, 5, "start"), (-7, 5, "end"), (0, -8, "middle"), (0, 18, "middle"),
    (7, -9, "start"), (-7, -9, "end"), (7, 19, "start"), (-7, 19, "end"),
    (0, -24, "middle"), (0, 34, "middle"),
)
# Places drawn nearer than this to each other (px; their markers, of radius 3.5, would overlap, as
# Islamabad, Rawalpindi, its airbase and a hotel do at the region's scale) are named in one list
# beside them, a line each, every name a link to its page: otherwise all but one or two of them
# would have neither a name nor a marker left to click. The list goes beside the spot where it
# fits, else up to 58 px away with a thin line leading back (a callout).
CLUSTER_PX = 8.0
PARALLEL_PX = 3.5  # between two legs drawn between the same two points
LINE = LABEL_SIZE + 4  # px between the baselines of a list's names: a label's box each (_label_box)
_LIST_GAPS = (7, 36, 58)  # px from the spot to the list's nearest side or corner, tried in turn
_LIST_SIDES = (  # where the list goes, in order of preference, with its direction from the spot
    ("right", 1, 0), ("left", -1, 0), ("below", 0, 1), ("above", 0, -1),
    ("below right", 0.7, 0.7), ("below left", -0.7, 0.7), ("above right", 0.7, -0.7), ("above left", -0.7, -0.7),
)


def _label_box(text: str, x: float, y: float, anchor: str) -> Box:
    width = text_width(text, LABEL_SIZE) + 4  # the networks' estimate (svgtext), and 2 px either side
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return left, y - LABEL_SIZE, left + width, y + 4


def _place_label(
    text: str, x: float, y: float, height: float, taken: Boxes, labels: Boxes,
) -> tuple[float, float, str] | None:
    """The first spot ``(x, y, anchor)`` where the label stays on the map and overlaps no marker
    and no label placed before (``taken``; its box is added to it and to ``labels``, the labels
    alone); None when there is none (the place keeps its marker and its tooltip)."""
    for dx, dy, anchor in _LABEL_SPOTS:
        box = _label_box(text, x + dx, y + dy, anchor)
        if box[0] < 2 or box[2] > WIDTH - 2 or box[1] < 2 or box[3] > height - 2:
            continue
        if taken.hits(box):
            continue
        taken.add(box)
        labels.add(box)
        return x + dx, y + dy, anchor
    return None


def _clusters(xys: list[tuple[float, float]]) -> list[list[int]]:
    """The indexes of ``xys`` in groups drawn on one spot: in the order given, each point not yet
    in a group starts one, with every later point not yet in a group that lies nearer than
    ``CLUSTER_PX`` to it (so a group never spreads wider than that from its first point)."""
    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(xys):
        cells.setdefault((math.floor(x / CLUSTER_PX), math.floor(y / CLUSTER_PX)), []).append(i)
    grouped: set[int] = set()
    groups = []
    for i, (x, y) in enumerate(xys):
        if i in grouped:
            continue
        cx, cy = math.floor(x / CLUSTER_PX), math.floor(y / CLUSTER_PX)
        group = sorted(
            j for nx in (cx - 1, cx, cx + 1) for ny in (cy - 1, cy, cy + 1) for j in cells.get((nx, ny), ())
            if j == i or (j > i and j not in grouped and math.hypot(xys[j][0] - x, xys[j][1] - y) < CLUSTER_PX)
        )
        grouped.update(group)
        groups.append(group)
    return groups


def _place_list(
    names: list[str], x: float, y: float, height: float, taken: Boxes, labels: Boxes,
) -> tuple[list[tuple[float, float, str]], tuple[float, float, float, float] | None] | None:
    """Where the names of places drawn on one spot ``(x, y)`` go as one list: each name's
    ``(x, y, anchor)``, and the callout's line ``(x1, y1, x2, y2)`` when the list is set apart
    (None beside the spot); None when it fits nowhere on the map. The list may overlap no box in
    ``taken`` (markers and labels) and its callout's line no box in ``labels`` (labels alone); its
    box is added to both."""
    width = max(_label_box(n, 0, 0, "start")[2] for n in names)
    tall = LINE * len(names)
    for gap, (side, ux, uy) in ((gap, side) for gap in _LIST_GAPS for side in _LIST_SIDES):
        dx, dy = gap * ux, gap * uy  # from the spot to the list's nearest side or corner
        if "right" in side:
            left = x + dx
        elif "left" in side:
            left = x + dx - width
        else:
            left = x - width / 2
        if "below" in side:
            top = y + dy
        elif "above" in side:
            top = y + dy - tall
        else:  # level with the spot
            top = y - tall / 2
        box = (left, top, left + width, top + tall)
        if box[0] < 2 or box[2] > WIDTH - 2 or box[1] < 2 or box[3] > height - 2 or taken.hits(box):
            continue
        leader = None
        if gap > _LIST_GAPS[0]:
            ex, ey = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])  # the box's nearest point
            length = math.hypot(ex - x, ey - y)
            leader = (x + (ex - x) * 5 / length, y + (ey - y) * 5 / length, ex, ey)
            if labels.crossed_by(leader):
                continue
            taken.add_line(leader)  # no name placed later may sit on it
        taken.add(box)
        labels.add(box)
        end = side.endswith("left")
        spots = [(box[2] if end else box[0], top + LABEL_SIZE + LINE * i, "end" if end else "start")
                 for i in range(len(names))]
        return spots, leader
    return None


def _alphabetical(text: str) -> str:
    """A sort key that reads accented letters as their base letters (Östersund among the O's)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _marker(
    p: Point, x: float, y: float, radius: float, css: str, label: tuple[float, float, str] | None, label_css: str,
    tip: str | None = None,
) -> str:
    """A place's marker on the map: its circle, its label where it has a spot (``_place_label``), in a
    link to its page with ``tip`` (its name by default) as the tooltip."""
    marker = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" class="{css}"/>'
    if label:
        lx, ly, anchor = label
        marker += f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" class="{label_css}">{escape(p.label)}</text>'
    if p.href:
        marker = f'<a href="{escape(p.href)}" target="_top"><title>{escape(tip or p.label)}</title>{marker}</a>'
    return marker


def svg_map(
    points: list[Point], segments: list[Segment], title: str, min_span: float = 12.0, context: list[Point] = (),
) -> str:
    """An SVG map of the points and segments, with the land behind them and a legend of modes.
    ``context``: other places, drawn small and grey where they fall inside the view (which they do
    not widen), labelled where there is room after everything else, so that a map of one inland
    place, all land around it, still shows where it is."""
    everything = points + [p for s in segments for p in (s.start, s.end)]
    if not everything:
        return ""
    waypoints = {(p.label, p.lon, p.lat): p for s in segments for p in s.via}
    west, south, east, north = _view(everything + list(waypoints.values()), min_span)
    kx = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * kx)
    height = round((north - south) * scale)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * kx * scale, (north - lat) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="group" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title><style>{STYLE}</style>",
        f'<rect width="{WIDTH}" height="{height}" class="sea"/>',
    ]
    land, water = _basemap(detail_level(scale))
    view = (west, south, east, north)
    for rings, css in ((land, "land"), (water, "water")):
        for ring, (w, s, e, n), array in rings:
            if e < west or w > east or n < south or s > north:
                continue
            wholly = w >= west and e <= east and s >= south and n <= north  # its own clip, as it is
            if len(ring) < ARRAY_FROM:
                clipped = ring if wholly else _clip(ring, view)
                if len(clipped) >= 3:
                    points_attr = " ".join("%.1f,%.1f" % xy(x, y) for x, y in clipped)
                    parts.append(f'<polygon class="{css}" points="{points_attr}"/>')
                continue
            # Projected as xy() does, operation for operation.
            inside = array if wholly else _clip_array(array, view)
            if len(inside) >= 3:
                xs = ((inside[:, 0] - west) * kx * scale).tolist()
                ys = ((north - inside[:, 1]) * scale).tolist()
                points_attr = " ".join(map("%.1f,%.1f".__mod__, zip(xs, ys)))
                parts.append(f'<polygon class="{css}" points="{points_attr}"/>')
    # Legs drawn between the same two points (an air link and a corridor's leg from Kazakhstan to
    # Pakistan) lay exactly on each other, the one under hidden: each is drawn a few pixels aside
    # (PARALLEL_PX apart, the group centred on the straight line), in the order given.
    between: dict[frozenset, list[int]] = {}
    for i, seg in enumerate(segments):
        if not seg.via:
            between.setdefault(frozenset(((seg.start.lon, seg.start.lat), (seg.end.lon, seg.end.lat))), []).append(i)
    aside = {i: (k - (len(group) - 1) / 2) * PARALLEL_PX for group in between.values() for k, i in enumerate(group)}
    for i, seg in enumerate(segments):
        colour, dash, width = MODE_STYLE.get(seg.mode, MODE_STYLE["unspecified"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        title = f"<title>{escape(seg.start.label)} – {escape(seg.end.label)}: {seg.mode}"
        if seg.via:
            title += ", drawn through " + ", ".join(escape(p.label) for p in seg.via) + " (editorial)"
        title += "</title>"
        if seg.via:
            path = " ".join("%.1f,%.1f" % xy(p.lon, p.lat) for p in (seg.start, *seg.via, seg.end))
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"{dash_attr}'
                f' stroke-linecap="round" stroke-linejoin="round">{title}</polyline>'
            )
            continue
        x1, y1 = xy(seg.start.lon, seg.start.lat)
        x2, y2 = xy(seg.end.lon, seg.end.lat)
        length = math.hypot(x2 - x1, y2 - y1)
        if aside.get(i) and length:
            nx, ny = (y1 - y2) / length * aside[i], (x2 - x1) / length * aside[i]  # perpendicular to the leg
            if (x1, y1) > (x2, y2):  # the same side whichever way a leg runs
                nx, ny = -nx, -ny
            x1, y1, x2, y2 = x1 + nx, y1 + ny, x2 + nx, y2 + ny
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="{width}"'
            f'{dash_attr} stroke-linecap="round">{title}</line>'
        )
    unique: dict[tuple[str, float, float], Point] = {}
    for p in everything:
        unique.setdefault((p.label, p.lon, p.lat), p)
    for key in unique:  # a place that is a point of its own is drawn as one, not as a waypoint
        waypoints.pop(key, None)
    around = {}
    for p in context:
        key = (p.label, p.lon, p.lat)
        if key not in unique and key not in waypoints and west <= p.lon <= east and south <= p.lat <= north:
            around.setdefault(key, p)
    # Labels keep clear of every marker and of each other; a callout's line, of every label.
    taken, labels = Boxes(), Boxes()
    for p in (*unique.values(), *waypoints.values(), *around.values()):
        x, y = xy(p.lon, p.lat)
        taken.add((x - 6, y - 6, x + 6, y + 6))
    below = len(parts)  # the places around are drawn here, under the map's own places, labelled after them
    # The emphasised place is labelled first, then from north to south; places drawn on one spot
    # are named in one list (CLUSTER_PX), taking their turn with the first of them.
    places = sorted(unique.values(), key=lambda p: (not p.emphasis, -p.lat, p.lon, p.label))
    spots = [xy(p.lon, p.lat) for p in places]
    for group in _clusters(spots):
        group.sort(key=lambda i: (not places[i].emphasis, _alphabetical(places[i].label), i))  # the map's place, then A to Z
        members = [places[i] for i in group]
        named, leader = None, None
        if len(group) > 1:
            placed = _place_list([p.label for p in members], *spots[min(group)], height, taken, labels)
            if placed:
                named, leader = placed
                if leader is not None:
                    parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="leader"/>' % leader)
        if named is None:  # a place on its own, or a list that fits nowhere: each name where it fits
            named = [_place_label(p.label, *spots[i], height, taken, labels) for i, p in zip(group, members)]
        # The emphasised marker last, on top of any it shares its spot with.
        for i, p, label in sorted(zip(group, members, named), key=lambda m: m[1].emphasis):
            parts.append(_marker(p, *spots[i], 5 if p.emphasis else 3.5, "point main" if p.emphasis else "point", label, "label"))
    # Places around, for context: under the map's own, labelled after them (theirs get the best spots).
    context_parts = []
    for p in sorted(around.values(), key=lambda p: (-p.lat, p.lon, p.label)):
        x, y = xy(p.lon, p.lat)
        context_parts.append(_marker(p, x, y, 2.5, "context", _place_label(p.label, x, y, height, taken, labels), "context-label"))
    parts[below:below] = context_parts
    # Waypoints after the places, so that the places' labels get the best spots.
    for p in sorted(waypoints.values(), key=lambda p: (-p.lat, p.lon, p.label)):
        x, y = xy(p.lon, p.lat)
        label = _place_label(p.label, x, y, height, taken, labels)
        parts.append(_marker(p, x, y, 3, "via", label, "via-label", f"{p.label}: a waypoint the drawing goes through (editorial)"))
    modes = sorted({s.mode for s in segments}, key=list(MODE_STYLE).index)
    for i, mode in enumerate(modes):
        colour, dash, width = MODE_STYLE[mode]
        y = height - 12 - 16 * (len(modes) - 1 - i)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="12" y1="{y}" x2="40" y2="{y}" stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
            f'<text x="46" y="{y + 4}" class="legend">{mode}</text>'
        )
    parts.append("</svg>")
    return "".join(parts) + "\n"
