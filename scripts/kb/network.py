"""Networks ("who is connected to what") as SVG drawn at build time: no fonts, scripts or requests.

Nodes are actors, agreements, corridors and events; each is a link to its page. The layout is a
seeded force-directed one (Fruchterman-Reingold with a weak pull to the centre) written here
(``networkx.spring_layout`` would need scipy from 500 nodes on, and draws another picture): in
plain Python up to ``EXACT_UP_TO`` nodes (a record's neighbourhood), with numpy above (the network
view: 3,100 linked nodes at 10,000 records, 23 s of CPU in plain Python, 3.5 s so). Plain floats,
numpy's element-wise operations and ``bincount`` sums, and ``random.Random(seed)`` give the same
picture on every machine, and the inputs are sorted first, so the same graph given in any order
gives the same bytes. ``networkx`` holds the graph (merging duplicate edges, degrees).

Labels longer than ``MAX_LABEL`` characters are cut with an ellipsis (the full name is in the
node's tooltip). A label that would overlap another, or a node, is kept but shown only while its
node is hovered or focused, so a crowded graph stays readable; except the most linked tenth of the
nodes (at least three), whose label may lie over other nodes (never over another label), the node
drawn above them: the hubs are what a reader looks for by name.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .svgtext import Boxes, crosses, text_width

if TYPE_CHECKING:  # imported where a graph is drawn: a run that draws none (all cached) never loads it
    import networkx as nx
    import numpy as np

MAX_LABEL = 28
FONT = 13.0  # px in viewBox units
FOCUS_FONT = 15.0
LEGEND_FONT = 12.0
PAD = 18.0  # between the drawing and the viewBox's edge
LEGEND_ROW = 24.0
LONE_CAPTION = 20.0  # the caption over the nodes linked to nothing
LONE_ROW = 24.0
EXACT_UP_TO = 150  # nodes; above, the layout's repulsion is only between near nodes (a grid)

# Okabe-Ito colours (safe for the common colour-vision deficiencies), and a shape for each group
# so that the colour is never the only cue.
GROUPS = {  # group: (shape, fill, legend name)
    "actor": ("circle", "#0072b2", "Actors"),
    "agreement": ("square", "#e69f00", "Agreements"),
    "corridor": ("diamond", "#009e73", "Corridors"),
    "event": ("triangle", "#d55e00", "Events"),
}
DEFAULT_GROUP = ("hexagon", "#7f7f7f", "")

STYLE = """
#{id} .bg {{ fill: #fff; }}
#{id} .edge {{ stroke: #9e9e9e; stroke-width: 1.3; stroke-opacity: .75; stroke-linecap: round; }}
#{id} .edge.near {{ stroke: #616161; stroke-width: 1.8; stroke-opacity: .9; }}
#{id} .edge:hover {{ stroke: #212121; stroke-opacity: 1; }}
#{id} .shape {{ stroke: #fff; stroke-width: 1.5; }}
{fills}
#{id} .focus .shape {{ stroke: #212121; stroke-width: 3; }}
#{id} text {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }}
#{id} .lbl {{ font-size: {font}px; fill: #212121; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }}
#{id} .focus .lbl {{ font-size: {focus_font}px; font-weight: 700; }}
#{id} .minor {{ visibility: hidden; }}
#{id} a:hover .minor, #{id} a:focus .minor {{ visibility: visible; }}
#{id} a:hover .shape {{ stroke: #212121; stroke-width: 2.5; }}
#{id} a:focus .shape, #{id} a:focus circle, #{id} a:focus rect, #{id} a:focus polygon {{ stroke: #000; stroke-width: 4; }}
#{id} a:focus .lbl, #{id} a:hover .lbl {{ text-decoration: underline; }}
#{id} .note {{ font-size: {legend_font}px; fill: #616161; font-style: italic; }}
#{id} .legend .shape {{ stroke: none; }}
#{id} .legend text {{ font-size: {legend_font}px; fill: #424242; }}
"""

_UNSAFE_HREF = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


@dataclass(frozen=True)
class NetNode:
    id: str  # stable record id
    label: str  # display name
    group: str  # "actor", "agreement", "corridor", "event" (others get a default style)
    href: str  # relative URL of the node's page, used as-is in <a href>
    kind: str = ""  # subtype shown in the tooltip, as pages name it, e.g. "Person", "State", "Memorandum of understanding"


@dataclass(frozen=True)
class NetEdge:
    a: str  # node id
    b: str  # node id
    label: str = ""  # relation, shown in the edge's tooltip, e.g. "party to"


# ---------------------------------------------------------------------------------------- graph


def _graph(nodes: list[NetNode], edges: list[NetEdge]) -> nx.Graph:
    """The graph with nodes and edges in sorted order; duplicate edges merged, self-loops and
    edges to unknown nodes dropped. Edge attribute ``rel``: sorted (a, b, label) tuples."""
    import networkx as nx

    g = nx.Graph()
    for n in sorted(nodes, key=lambda n: (n.id, n.group, n.label, n.href, n.kind)):
        if n.id not in g:  # the first of a duplicated id wins, whatever the input order
            g.add_node(n.id, node=n)
    pairs: dict[tuple[str, str], set[tuple[str, str, str]]] = {}
    for e in edges:
        if e.a == e.b or e.a not in g or e.b not in g:
            continue
        pairs.setdefault((min(e.a, e.b), max(e.a, e.b)), set()).add((e.a, e.b, (e.label or "").strip()))
    for key in sorted(pairs):
        g.add_edge(*key, rel=sorted(pairs[key]))
    return g


def _edge_title(g: nx.Graph, a: str, b: str) -> str:
    """ "A — relation — B"; the labels of merged edges joined with "; " (per direction)."""
    by_dir: dict[tuple[str, str], list[str]] = {}
    for x, y, label in g.edges[a, b]["rel"]:
        labels = by_dir.setdefault((x, y), [])
        if label and label not in labels:
            labels.append(label)
    name = lambda i: g.nodes[i]["node"].label  # noqa: E731
    parts = []
    for (x, y), labels in by_dir.items():
        if labels:
            parts.append(f"{name(x)} — {'; '.join(labels)} — {name(y)}")
    if not parts:
        x, y = next(iter(by_dir))
        return f"{name(x)} — {name(y)}"
    return "; ".join(parts)


# --------------------------------------------------------------------------------------- layout


def _layout(n: int, links: list[tuple[int, int]], fixed: int | None, seed: int) -> list[tuple[float, float]]:
    """The positions of ``n`` nodes (index → (x, y), in a frame of about unit area) linked by
    ``links`` (index pairs), with node ``fixed`` at the origin: :func:`_shape_layout`'s, computed
    once per distinct shape and kept. A layout depends on the shape alone, not on the labels,
    and most neighbourhoods are a few common shapes (a record with three neighbours linked to it
    and not to each other): in benchmark.py's 10,000 records the 1,500 actors' drawings have 34
    distinct shapes, whose layouts took 5 s of CPU in a cold `generate` when each was computed.
    The real data's 26 actor drawings have 10."""
    return list(_shape_layout(n, tuple(links), fixed, seed))


@functools.lru_cache(maxsize=4096)  # a shape is a few hundred bytes; 4,096 of them about 2 MB
def _shape_layout(n: int, links: tuple[tuple[int, int], ...], fixed: int | None, seed: int) -> tuple[tuple[float, float], ...]:
    """:func:`_compute_layout`'s positions, kept in this process and in the generator's cache
    (``cache.py``, kind "layout", by shape, seed and this file's code) as the exact floats. A
    drawing is drawn again whenever a name or a link's label in it changes (``cache.drawing`` keys
    on all it shows), and its shape most often has not: renaming an actor at 10,000 records drew
    the network view (3,100 nodes) again, its layout 2.1 s of it (that `generate`: 7.3 s, and
    6.0-6.2 s with the layouts kept)."""
    from array import array

    from . import cache

    key = cache.digest("layout", cache.code_version("network.py"), n, links, fixed, seed)
    kept = cache.read("layout", key)
    if kept is not None and len(kept) == 16 * n:
        flat = array("d")
        flat.frombytes(kept)
        return tuple(zip(flat[0::2], flat[1::2]))
    out = tuple(_compute_layout(n, list(links), fixed, seed))
    cache.write("layout", key, array("d", [v for point in out for v in point]).tobytes())
    return out


def _compute_layout(n: int, links: list[tuple[int, int]], fixed: int | None, seed: int) -> list[tuple[float, float]]:
    """Seeded Fruchterman-Reingold in plain Python, in a frame of about unit area: repulsion k²/d
    between every pair, springs d²/k along the links, and a pull towards the origin that keeps
    separate components and lone nodes close. ``fixed`` stays at the origin. Above
    ``EXACT_UP_TO`` nodes, :func:`_layout_grid`."""
    if n > EXACT_UP_TO:
        return _layout_grid(n, links, fixed, seed)
    rnd = random.Random(seed)
    xs = [rnd.uniform(-0.5, 0.5) for _ in range(n)]
    ys = [rnd.uniform(-0.5, 0.5) for _ in range(n)]
    if n == 1:
        return [(0.0, 0.0)]
    if fixed is not None:
        xs[fixed] = ys[fixed] = 0.0
    k = math.sqrt(1.0 / n)
    k2 = k * k
    iterations = 120 if n <= 40 else 150
    gravity = 1.2
    # Lone nodes get a stronger pull, or the cloud's push leaves them far out at the edge.
    linked = [False] * n
    for i, j in links:
        linked[i] = linked[j] = True
    pull = [gravity if linked[i] else 2.5 * gravity for i in range(n)]
    temp = 0.12
    cool = temp / (iterations + 1)
    rng = range(n)
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in rng:  # every pair once
            xi, yi = xs[i], ys[i]
            fx = fy = 0.0
            for j in range(i + 1, n):
                ddx = xi - xs[j]
                ddy = yi - ys[j]
                d2 = ddx * ddx + ddy * ddy
                if d2 < 1e-12:
                    ddx, ddy, d2 = 1e-4 * ((i * 7 + j) % 5 - 2.1), 1e-4 * ((i + j * 3) % 5 - 1.9), 1e-8
                f = k2 / d2
                fx += ddx * f
                fy += ddy * f
                dx[j] -= ddx * f
                dy[j] -= ddy * f
            dx[i] += fx
            dy[i] += fy
        for i, j in links:
            ddx = xs[i] - xs[j]
            ddy = ys[i] - ys[j]
            f = math.sqrt(ddx * ddx + ddy * ddy) / k
            dx[i] -= ddx * f
            dy[i] -= ddy * f
            dx[j] += ddx * f
            dy[j] += ddy * f
        for i in rng:
            if i == fixed:
                continue
            fx = dx[i] - pull[i] * xs[i]
            fy = dy[i] - pull[i] * ys[i]
            d = math.sqrt(fx * fx + fy * fy)
            if d > 0:
                step = min(d, temp) / d
                xs[i] += fx * step
                ys[i] += fy * step
        temp -= cool
    return list(zip(xs, ys))


def _near_pairs(xs: "np.ndarray", ys: "np.ndarray", cell: float) -> tuple["np.ndarray", "np.ndarray"]:
    """The pairs (i, j) of nodes in the same cell of a grid of ``cell``-wide cells (i before j) or
    in neighbouring ones (each pair of cells once: a cell and four of its eight neighbours), as
    two index arrays; the candidates for repulsion of :func:`_layout_grid`."""
    import numpy as np

    cx = np.floor(xs / cell).astype(np.int64)
    cy = np.floor(ys / cell).astype(np.int64)
    cx -= cx.min()
    cy -= cy.min() - 1  # from 1: a neighbour's row, one up or down, never wraps into the next column
    rows = int(cy.max()) + 2
    key = cx * rows + cy
    order = np.argsort(key, kind="stable")  # nodes by cell, in index order within each
    cells, start, count = np.unique(key[order], return_index=True, return_counts=True)
    firsts, seconds = [], []
    for ox, oy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
        if ox or oy:
            target = cells + ox * rows + oy
            at = np.minimum(np.searchsorted(cells, target), len(cells) - 1)
            found = cells[at] == target
            a, b = np.nonzero(found)[0], at[found]
        else:
            a = b = np.arange(len(cells))
        sa, sb = count[a], count[b]
        sizes = sa * sb
        total = int(sizes.sum())
        if not total:
            continue
        pair = np.repeat(np.arange(len(a)), sizes)
        local = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        ia, ib = local // sb[pair], local % sb[pair]
        if not (ox or oy):
            keep = ia < ib
            pair, ia, ib = pair[keep], ia[keep], ib[keep]
        firsts.append(order[start[a][pair] + ia])
        seconds.append(order[start[b][pair] + ib])
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def _layout_grid(n: int, links: list[tuple[int, int]], fixed: int | None, seed: int) -> list[tuple[float, float]]:
    """:func:`_layout` for a large graph (more than ``EXACT_UP_TO`` nodes), in numpy: the same
    forces, steps and cooling, each iteration computed over arrays of all the near pairs and all
    the links at once. Sums are taken with ``numpy.bincount`` (in index order, on every machine),
    so the same graph gives the same picture; it is not the plain-Python loop's picture to the
    last bit (its sums run in another order). At 3,100 linked nodes (the network view of 10,000
    records) it took 3.5 s of CPU instead of 23 s, and takes 1.0 s with 30 iterations."""
    import numpy as np

    rnd = random.Random(seed)
    xs = np.array([rnd.uniform(-0.5, 0.5) for _ in range(n)])
    ys = np.array([rnd.uniform(-0.5, 0.5) for _ in range(n)])
    if fixed is not None:
        xs[fixed] = ys[fixed] = 0.0
    k = math.sqrt(1.0 / n)
    # Without the far pushes (only nodes less than 2k apart repel, found through a grid of 2k cells,
    # as in Fruchterman and Reingold's paper), the springs draw a large graph into a tight ball, and
    # its crowded cells are slow: push harder nearby. The cloud's outward push on an outer node is
    # local too, so a weak pull towards the origin is enough.
    k2 = k * k * 4.0
    # Iterations: at 3,100 nodes (the network view of benchmark.py's 10,000 records) 20, 30, 40
    # and 60 gave the same picture by eye and by measure (spread 0.39-0.41 of the frame, mean link
    # 0.078-0.082, median nearest neighbour 0.0027-0.0033), 60 of them 1.8-1.9 s of CPU, 30 1.0 s.
    iterations = 100 if n <= 400 else 60 if n <= 2000 else 30
    gravity = 0.6 * k
    li = np.array([i for i, _ in links], dtype=np.int64)
    lj = np.array([j for _, j in links], dtype=np.int64)
    linked = np.zeros(n, dtype=bool)
    linked[li] = linked[lj] = True
    pull = np.where(linked, gravity, 2.5 * gravity)
    cell = 2.0 * k
    cut2 = cell * cell
    temp = 0.12
    cool = temp / (iterations + 1)
    movable = np.ones(n, dtype=bool)
    if fixed is not None:
        movable[fixed] = False
    for _ in range(iterations):
        i, j = _near_pairs(xs, ys, cell)
        ddx = xs[i] - xs[j]
        ddy = ys[i] - ys[j]
        d2 = ddx * ddx + ddy * ddy
        near = d2 < cut2
        i, j, ddx, ddy, d2 = i[near], j[near], ddx[near], ddy[near], d2[near]
        same = d2 < 1e-12  # the same point: pushed apart in a direction of their own
        if same.any():
            si, sj = i[same], j[same]
            ddx[same] = 1e-4 * ((si * 7 + sj) % 5 - 2.1)
            ddy[same] = 1e-4 * ((si + sj * 3) % 5 - 1.9)
            d2[same] = 1e-8
        f = k2 / d2
        fx, fy = ddx * f, ddy * f
        dx = np.bincount(i, fx, n) - np.bincount(j, fx, n)
        dy = np.bincount(i, fy, n) - np.bincount(j, fy, n)
        ddx = xs[li] - xs[lj]
        ddy = ys[li] - ys[lj]
        f = np.sqrt(ddx * ddx + ddy * ddy) / k
        fx, fy = ddx * f, ddy * f
        dx += np.bincount(lj, fx, n) - np.bincount(li, fx, n)
        dy += np.bincount(lj, fy, n) - np.bincount(li, fy, n)
        fx = dx - pull * xs
        fy = dy - pull * ys
        d = np.sqrt(fx * fx + fy * fy)
        move = movable & (d > 0)
        step = np.minimum(d[move], temp) / d[move]
        xs[move] += fx[move] * step
        ys[move] += fy[move] * step
        temp -= cool
    return list(zip(xs.tolist(), ys.tolist()))


# -------------------------------------------------------------------------------------- drawing


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _shape(shape: str, x: float, y: float, r: float) -> str:
    if shape == "circle":
        return f'<circle class="shape" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    if shape == "square":
        s = r * 0.9
        return f'<rect class="shape" x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"/>'
    if shape == "diamond":
        s = r * 1.25
        pts = ((x, y - s), (x + s, y), (x, y + s), (x - s, y))
    elif shape == "triangle":
        s = r * 1.3
        pts = ((x, y - s), (x + s * 0.866, y + s * 0.5), (x - s * 0.866, y + s * 0.5))
    else:  # hexagon
        s = r * 1.1
        pts = tuple((x + s * math.cos(math.pi / 3 * i), y + s * math.sin(math.pi / 3 * i)) for i in range(6))
    return '<polygon class="shape" points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in pts) + '"/>'


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _stretch(sx: float, sy: float, most: float = 1.8) -> tuple[float, float]:
    """Scales for x and y that fill the box, but distort the layout's proportions by at most
    ``most``: a small graph is not pulled out to the full width of a wide box."""
    if sx > 0 and sy > 0:
        return min(sx, most * sy), min(sy, most * sx)
    return sx, sy


def _group_rank(group: str) -> int:
    return list(GROUPS).index(group) if group in GROUPS else len(GROUPS)


def _css_name(group: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", group.lower()).strip("-") or "other"


def _default_height(n: int, width: int) -> int:
    ratio = 0.34 if n <= 3 else 0.44 if n <= 10 else 0.54 if n <= 30 else 0.62
    return round(width * ratio)


def svg_network(
    nodes: list[NetNode],
    edges: list[NetEdge],
    title: str,
    focus: str | None = None,
    seed: int = 7,
    width: int = 960,
    height: int | None = None,
) -> str:
    """An SVG drawing of the graph: edges as lines, nodes as links to their pages, a legend of the
    groups present. With ``focus`` (a node id), that node is drawn larger and at the centre."""
    g = _graph(nodes, edges)
    if not g:
        return ""
    ids = list(g.nodes)
    if focus not in g:
        focus = None
    n, m = len(ids), g.number_of_edges()
    degree = dict(g.degree)
    # Nodes linked to nothing go in rows of their own under the drawing, not adrift in it.
    lone = sorted(
        (i for i in ids if degree[i] == 0 and i != focus),
        key=lambda i: (_group_rank(g.nodes[i]["node"].group), g.nodes[i]["node"].label.casefold(), i),
    )
    lone_set = set(lone)
    linked = [i for i in ids if i not in lone_set]
    W = int(width)
    digest = hashlib.sha1("\x1f".join([title, *ids]).encode("utf-8")).hexdigest()[:8]
    sid = f"net-{digest}"

    # Legend: the groups present, known ones first; rows at the bottom left.
    present = sorted({g.nodes[i]["node"].group for i in ids}, key=lambda s: (_group_rank(s), s))
    legend_items = []
    lx = PAD
    rows = 1
    for group in present:
        shape, _fill, name = GROUPS.get(group, DEFAULT_GROUP)
        text = name or group
        w = 18 + text_width(text, LEGEND_FONT) + 16
        if lx + w > W - PAD and legend_items:
            lx, rows = PAD, rows + 1
        legend_items.append((group, shape, text, lx, rows - 1))
        lx += w
    legend_h = rows * LEGEND_ROW + 6

    # Node sizes: by degree, focus larger.
    base = 4.0 if n > 150 else 6.5
    radius = {}
    for nid in ids:
        r = base + min(5.0, 1.1 * math.sqrt(degree[nid]))
        radius[nid] = r * 1.7 if nid == focus else r

    # The rows of lone nodes: a caption, then columns as wide as the longest label.
    strip_h = 0.0
    if lone:
        col_w = max(text_width(_short(g.nodes[i]["node"].label), FONT) for i in lone) + 2 * base + 24
        cols = max(1, min(len(lone), int((W - 2 * PAD) // col_w)))
        col_w = (W - 2 * PAD) / cols if cols > 1 else col_w
        strip_rows = math.ceil(len(lone) / cols)
        strip_h = LONE_CAPTION + strip_rows * LONE_ROW + 4
    if height:
        H = int(height)
    elif linked:
        H = _default_height(len(linked), W) + round(strip_h)
    else:
        H = round(PAD + strip_h + legend_h)
    legend_top = H - legend_h
    strip_top = legend_top - strip_h

    # Layout of the linked nodes, scaled into the drawing area (the viewBox less padding, the lone
    # nodes and the legend). With a focus, the focus is at the centre of the viewBox.
    pos: dict[str, tuple[float, float]] = {}
    if linked:
        index = {nid: i for i, nid in enumerate(linked)}
        links = [(index[a], index[b]) for a, b in g.edges]
        raw = _layout(len(linked), links, index[focus] if focus is not None else None, seed)
        rmax = max(radius[i] for i in linked)
        left, right = PAD + rmax, W - PAD - rmax
        top, bottom = PAD + rmax, strip_top - rmax - FONT - 4
        if bottom <= top:
            bottom = top + 1
        xs_, ys_ = [p[0] for p in raw], [p[1] for p in raw]
        if focus is not None:
            cx, cy = W / 2, H / 2
            half_w = min(cx - left, right - cx)
            half_h = max(1.0, min(cy - top, bottom - cy))
            ex = max(max(abs(x) for x in xs_), 1e-9)
            ey = max(max(abs(y) for y in ys_), 1e-9)
            sx, sy, ox, oy = _stretch(half_w / ex, half_h / ey) + (cx, cy)
        else:
            x0, x1, y0, y1 = min(xs_), max(xs_), min(ys_), max(ys_)
            sx, sy = _stretch(
                (right - left) / (x1 - x0) if x1 - x0 > 1e-9 else 0.0,
                (bottom - top) / (y1 - y0) if y1 - y0 > 1e-9 else 0.0,
            )
            ox = (left + right) / 2 - (x0 + x1) / 2 * sx
            oy = (top + bottom) / 2 - (y0 + y1) / 2 * sy
        for nid, (x, y) in zip(linked, raw):
            pos[nid] = (round(ox + x * sx, 1), round(oy + y * sy, 1))
    labels: dict[str, tuple[float, float, str, bool]] = {}
    for k, nid in enumerate(lone):
        row, col = divmod(k, cols)
        x = PAD + col * col_w + base
        y = strip_top + LONE_CAPTION + row * LONE_ROW + LONE_ROW / 2
        pos[nid] = (round(x, 1), round(y, 1))
        labels[nid] = (x + base + 6, y + FONT * 0.35, "start", False)

    # Labels: the most connected first, each below, above, right or left of its node where it
    # overlaps nothing placed so far; one that fits nowhere shows only on hover and focus.
    taken = Boxes()
    taken.add((0, strip_top, W, H))
    for nid in linked:
        x, y = pos[nid]
        r = radius[nid]
        taken.add((x - r, y - r, x + r, y + r))
    order = sorted(linked, key=lambda i: (i != focus, -degree[i], i))
    named = Boxes()  # the labels placed, alone
    hubs = set(order[: max(3, len(linked) // 10)])  # the most linked tenth, at least three
    over: set[str] = set()  # hubs whose label lies over other nodes
    # Labels keep off the lines too where there are few enough lines to check.
    segments = [(*pos[a], *pos[b]) for a, b in g.edges] if m <= 600 else None
    # Each with its bounding box: a segment whose box misses a label's box cannot cross it, so only
    # the others are tested (crosses could count one of those only by a rounding error where the
    # two boxes all but touch): the actors' drawings of benchmark.py's 10,000 records make 28,481
    # tests instead of 183,618, and find the same 14,815 crossings.
    spans = [(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2), (x1, y1, x2, y2))
             for x1, y1, x2, y2 in segments] if segments is not None else None
    for nid in order:
        node = g.nodes[nid]["node"]
        text = _short(node.label)
        size = FOCUS_FONT if nid == focus else FONT
        tw = text_width(text, size) * (1.08 if nid == focus else 1.0)
        x, y = pos[nid]
        r = radius[nid] * 1.25
        candidates = [
            (x, y + r + size * 0.95, "middle"),
            (x, y - r - size * 0.35, "middle"),
            (x + r + 4, y + size * 0.35, "start"),
            (x - r - 4, y + size * 0.35, "end"),
            (x + r * 0.7, y + r * 0.7 + size * 0.8, "start"),
            (x + r * 0.7, y - r * 0.7 - size * 0.2, "start"),
            (x - r * 0.7, y + r * 0.7 + size * 0.8, "end"),
            (x - r * 0.7, y - r * 0.7 - size * 0.2, "end"),
        ]
        if y < H / 2:  # nearer the top: try above first
            candidates[0], candidates[1] = candidates[1], candidates[0]
        chosen = None
        best = math.inf
        placed = []  # (x, y, anchor, box) within the drawing, in order of preference
        for lx_, ly_, anchor in candidates:
            if anchor == "middle":
                lx_ = min(max(lx_, 4 + tw / 2), W - 4 - tw / 2)
                box = (lx_ - tw / 2, ly_ - size * 0.8, lx_ + tw / 2, ly_ + size * 0.25)
            elif anchor == "start":
                box = (lx_, ly_ - size * 0.8, lx_ + tw, ly_ + size * 0.25)
            else:
                box = (lx_ - tw, ly_ - size * 0.8, lx_, ly_ + size * 0.25)
            if box[0] < 2 or box[2] > W - 2 or box[1] < 2 or box[3] > strip_top:
                continue
            placed.append((lx_, ly_, anchor, box))
            if taken.hits(box):
                continue
            if spans is not None:
                bx0, by0, bx1, by1 = box
                crossings = sum(crosses(seg, box) for sx0, sy0, sx1, sy1, seg in spans
                                if sx0 <= bx1 and sx1 >= bx0 and sy0 <= by1 and sy1 >= by0)
            else:
                crossings = 0
            if crossings < best:
                best, chosen, chosen_box = crossings, (lx_, ly_, anchor), box
                if not crossings:
                    break
        if chosen is None and nid in hubs:
            # One of the most linked, with no free place beside it (the visit itself, in the
            # middle of the network view, showed no name: a reader): its name may lie over other
            # nodes, never over another name, and the node is drawn above them.
            free = next((c for c in placed if not named.hits(c[3])), None)
            if free is not None:
                chosen, chosen_box = free[:3], free[3]
                over.add(nid)
        if chosen is not None:
            taken.add(chosen_box)
            named.add(chosen_box)
            labels[nid] = (*chosen, False)
        else:
            lx_, ly_, anchor = candidates[0]
            lx_ = min(max(lx_, 4 + tw / 2), W - 4 - tw / 2)
            ly_ = min(max(ly_, size), strip_top - 2)
            labels[nid] = (lx_, ly_, "middle", nid != focus)  # the focus's label always shows

    # Output.
    fills = "\n".join(
        f"#{sid} .node-{_css_name(grp)} .shape {{ fill: {GROUPS.get(grp, DEFAULT_GROUP)[1]}; }}" for grp in present
    )
    style = STYLE.format(
        id=sid, fills=fills, font=f"{FONT:g}", focus_font=f"{FOCUS_FONT:g}", legend_font=f"{LEGEND_FONT:g}"
    )
    desc = f"{n} node{'s' if n != 1 else ''} and {m} link{'s' if m != 1 else ''}"
    if focus is not None:
        desc += f", centred on {g.nodes[focus]['node'].label}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{sid}" class="network" viewBox="0 0 {W} {H}" '
        f'preserveAspectRatio="xMidYMid meet" style="max-width:100%;height:auto" role="group" '
        f'aria-labelledby="{sid}-title" aria-describedby="{sid}-desc">',
        f'<title id="{sid}-title">{escape(title)}</title>',
        f'<desc id="{sid}-desc">{escape(desc)}.</desc>',
        f"<style>{style}</style>",
        f'<rect class="bg" width="{W}" height="{H}"/>',
        '<g class="edges">',
    ]
    for a, b in g.edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        near = " near" if focus in (a, b) else ""
        parts.append(
            f'<line class="edge{near}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}">'
            f"<title>{escape(_edge_title(g, a, b))}</title></line>"
        )
    parts.append('</g><g class="nodes">')
    drawn = [i for i in ids if i != focus and i not in over] + sorted(over) + ([focus] if focus is not None else [])
    for nid in drawn:
        node = g.nodes[nid]["node"]
        shape = GROUPS.get(node.group, DEFAULT_GROUP)[0]
        x, y = pos[nid]
        lx_, ly_, anchor, minor = labels[nid]
        tip = f"{node.label} ({node.kind})" if node.kind else node.label
        cls = f"node node-{_css_name(node.group)}" + (" focus" if nid == focus else "")
        href = "" if _UNSAFE_HREF.match(node.href) else f' href="{_attr(node.href)}"'
        parts.append(
            f'<a{href} target="_top" class="{cls}"><title>{escape(tip)}</title>'
            f"{_shape(shape, x, y, radius[nid])}"
            f'<text class="lbl{" minor" if minor else ""}" x="{lx_:.1f}" y="{ly_:.1f}" text-anchor="{anchor}">'
            f"{escape(_short(node.label))}</text></a>"
        )
    if lone:
        caption = "Linked to none of the others:" if linked else "No links:"
        parts.append(f'<text class="note" x="{PAD:g}" y="{strip_top + LONE_CAPTION - 6:.1f}">{caption}</text>')
    parts.append('</g><g class="legend">')
    for group, shape, text, x, row in legend_items:
        y = legend_top + 6 + LEGEND_ROW * row + LEGEND_ROW / 2
        parts.append(
            f'<g class="node-{_css_name(group)}">{_shape(shape, x + 7, y - 1, 6)}'
            f'<text x="{x + 18:.1f}" y="{y + 3.5:.1f}">{escape(text)}</text></g>'
        )
    parts.append("</g></svg>")
    return "".join(parts) + "\n"
