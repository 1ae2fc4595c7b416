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
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

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


Box = tuple[float, float, float, float]  # west, south, east, north

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


def _label_box(text: str, x: float, y: float, anchor: str) -> Box:
    width = 0.58 * LABEL_SIZE * len(text) + 4  # a generous estimate: no font metrics at build time
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return left, y - LABEL_SIZE, left + width, y + 4


def _place_label(text: str, x: float, y: float, height: float, placed: list[Box]) -> tuple[float, float, str] | None:
    """The first spot where the label stays on the map and overlaps no label placed before;
    None when there is none (the place keeps its marker and its tooltip)."""
    for dx, dy, anchor in _LABEL_SPOTS:
        box = _label_box(text, x + dx, y + dy, anchor)
        if box[0] < 2 or box[2] > WIDTH - 2 or box[1] < 2 or box[3] > height - 2:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        return x + dx, y + dy, anchor
    return None


def svg_map(points: list[Point], segments: list[Segment], title: str, min_span: float = 12.0) -> str:
    """An SVG map of the points and segments, with the land behind them and a legend of modes."""
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
    for seg in segments:
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
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="{width}"'
            f'{dash_attr} stroke-linecap="round">{title}</line>'
        )
    unique: dict[tuple[str, float, float], Point] = {}
    for p in everything:
        unique.setdefault((p.label, p.lon, p.lat), p)
    for key in unique:  # a place that is a point of its own is drawn as one, not as a waypoint
        waypoints.pop(key, None)
    # Labels keep clear of every marker and of each other.
    placed: list[Box] = []
    for p in (*unique.values(), *waypoints.values()):
        x, y = xy(p.lon, p.lat)
        placed.append((x - 6, y - 6, x + 6, y + 6))
    # The emphasised place is labelled first, then from north to south: dense clusters
    # (Islamabad, Rawalpindi, the airbase) get labels that do not overlap.
    for p in sorted(unique.values(), key=lambda p: (not p.emphasis, -p.lat, p.lon, p.label)):
        x, y = xy(p.lon, p.lat)
        radius = 5 if p.emphasis else 3.5
        label = _place_label(p.label, x, y, height, placed)
        marker = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" class="point{" main" if p.emphasis else ""}"/>'
        if label:
            lx, ly, anchor = label
            marker += (
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" class="label">{escape(p.label)}</text>'
            )
        if p.href:
            marker = f'<a href="{escape(p.href)}" target="_top"><title>{escape(p.label)}</title>{marker}</a>'
        parts.append(marker)
    # Waypoints after the places, so that the places' labels get the best spots.
    for p in sorted(waypoints.values(), key=lambda p: (-p.lat, p.lon, p.label)):
        x, y = xy(p.lon, p.lat)
        label = _place_label(p.label, x, y, height, placed)
        marker = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" class="via"/>'
        if label:
            lx, ly, anchor = label
            marker += f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" class="via-label">{escape(p.label)}</text>'
        if p.href:
            marker = (
                f'<a href="{escape(p.href)}" target="_top"><title>{escape(p.label)}: a waypoint the drawing '
                f"goes through (editorial)</title>{marker}</a>"
            )
        parts.append(marker)
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
