"""The network drawing: same bytes for the same graph, well-formed and escaped SVG, every node a
link, duplicate and dangling edges handled, the focus at the centre, ids unique per drawing."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import SCRIPTS

from kb.network import MAX_LABEL, NetEdge, NetNode, svg_network

NS = "{http://www.w3.org/2000/svg}"

NODES = [
    NetNode("kz", "Kazakhstan", "actor", "../actors/kz.html", "state"),
    NetNode("pk", "Pakistan", "actor", "../actors/pk.html", "state"),
    NetNode("tok", "Kassym-Jomart Tokayev", "actor", "../actors/tok.html", "person"),
    NetNode("decl", "Joint Declaration on Strategic Partnership", "agreement", "../agreements/decl.html", "declaration"),
    NetNode("mou", "MoU on Transit Trade", "agreement", "../agreements/mou.html", "mou"),
    NetNode("tat", "Trans-Afghan Railway", "corridor", "../corridors/tat.html", "rail"),
    NetNode("visit", "State visit, February", "event", "../events/visit.html", "visit"),
    NetNode("forum", "Business forum", "event", "../events/forum.html"),
    NetNode("alone", "An unlinked actor", "actor", "../actors/alone.html", "state"),
]
EDGES = [
    NetEdge("kz", "decl", "party to"),
    NetEdge("pk", "decl", "party to"),
    NetEdge("kz", "mou", "party to"),
    NetEdge("pk", "mou", "party to"),
    NetEdge("tok", "visit", "visited"),
    NetEdge("decl", "visit", "signed at"),
    NetEdge("mou", "visit", "signed at"),
    NetEdge("forum", "visit", "part of"),
    NetEdge("kz", "tat", "crossed by"),
    NetEdge("pk", "tat", "crossed by"),
    NetEdge("tok", "kz", "leads"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def links(root: ET.Element) -> list[ET.Element]:
    return root.findall(f".//{NS}a")


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    return x, y, w, h


def centre(a: ET.Element) -> tuple[float, float]:
    """The centre of a node's shape."""
    shape = next(el for el in a if el.tag != f"{NS}title" and el.tag != f"{NS}text")
    if shape.tag == f"{NS}circle":
        return float(shape.get("cx")), float(shape.get("cy"))
    if shape.tag == f"{NS}rect":
        return (
            float(shape.get("x")) + float(shape.get("width")) / 2,
            float(shape.get("y")) + float(shape.get("height")) / 2,
        )
    pts = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)  # regular polygons


def size(a: ET.Element) -> float:
    shape = next(el for el in a if el.tag != f"{NS}title" and el.tag != f"{NS}text")
    if shape.tag == f"{NS}circle":
        return float(shape.get("r"))
    if shape.tag == f"{NS}rect":
        return float(shape.get("width")) / 2
    xs = [float(p.split(",")[0]) for p in shape.get("points").split()]
    return (max(xs) - min(xs)) / 2


def by_href(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("href"): a for a in links(root)}


# ------------------------------------------------------------------------------- determinism


def test_same_graph_same_bytes():
    assert svg_network(NODES, EDGES, "Visit") == svg_network(NODES, EDGES, "Visit")


@pytest.mark.parametrize("shuffle_seed", [1, 2, 3])
def test_input_order_does_not_matter(shuffle_seed):
    rnd = random.Random(shuffle_seed)
    nodes, edges = NODES[:], EDGES[:]
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    assert svg_network(nodes, edges, "Visit", focus="kz") == svg_network(NODES, EDGES, "Visit", focus="kz")
    assert svg_network(nodes, edges, "Visit") == svg_network(NODES, EDGES, "Visit")


def test_same_bytes_whatever_the_hash_seed():
    """Nothing depends on the order of a set of strings (which changes with PYTHONHASHSEED). Each
    process lays the graph out itself (cache off): with the cache on, the second would read the
    first one's layout, and only the drawing would run under the other seed."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_network as t;"
        "sys.stdout.write(t.svg_network(t.NODES, t.EDGES, 'Visit'))"
    )
    tests_dir = str(SCRIPTS.parent / "tests")
    outs = set()
    for seed in ("0", "12345"):
        out = subprocess.run(
            [sys.executable, "-c", code, tests_dir],
            capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": f"{SCRIPTS}:{tests_dir}", "KB_CACHE_DIR": "off"},
        ).stdout
        outs.add(out)
    assert len(outs) == 1
    assert outs == {svg_network(NODES, EDGES, "Visit")}


def test_the_seed_changes_the_layout():
    assert svg_network(NODES, EDGES, "Visit", seed=1) != svg_network(NODES, EDGES, "Visit", seed=2)


def test_coordinates_have_one_decimal():
    svg = svg_network(NODES, EDGES, "Visit")
    numbers = re.findall(r'(?:x|y|x1|y1|x2|y2|cx|cy)="(-?[\d.]+)"', svg)
    assert numbers and all(len(n.partition(".")[2]) <= 1 for n in numbers)


# ----------------------------------------------------------------------------- the document


def test_root_element():
    svg = svg_network(NODES, EDGES, "Visit & <partners>")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "group"  # not "img": that would hide its links from screen readers
    assert root.get("width") is None and root.get("height") is None  # CSS decides
    assert root.get("preserveAspectRatio")
    _x, _y, w, h = view_box(root)
    assert w == 960 and 0 < h <= 0.7 * 960
    title = root.find(f"{NS}title")
    assert title.text == "Visit & <partners>"
    assert root.get("aria-labelledby") == title.get("id")
    desc = root.find(f"{NS}desc")
    assert "9 nodes" in desc.text and "11 links" in desc.text
    assert root.find(f"{NS}style") is not None
    assert "paint-order: stroke" in svg and "a:focus" in svg


def test_every_node_is_one_link_to_its_page():
    root = parse(svg_network(NODES, EDGES, "Visit"))
    hrefs = [a.get("href") for a in links(root)]
    assert sorted(hrefs) == sorted(n.href for n in NODES)
    for node in NODES:
        a = by_href(root)[node.href]
        assert a.get("class").split()[:2] == ["node", f"node-{node.group}"]
        tip = a.find(f"{NS}title").text
        assert tip == (f"{node.label} ({node.kind})" if node.kind else node.label)
        text = a.find(f"{NS}text")
        assert text.text == node.label[: MAX_LABEL - 1] + "…" if len(node.label) > MAX_LABEL else node.label


def test_isolated_nodes_are_drawn():
    root = parse(svg_network(NODES, EDGES, "Visit"))
    assert "../actors/alone.html" in by_href(root)
    only = parse(svg_network(NODES[:2], [], "No links"))
    assert len(links(only)) == 2
    assert not only.findall(f".//{NS}line")


def test_groups_differ_in_shape_as_well_as_colour():
    root = parse(svg_network(NODES, EDGES, "Visit"))
    shapes = {}
    for node in NODES:
        a = by_href(root)[node.href]
        shape = next(el for el in a if el.tag not in (f"{NS}title", f"{NS}text"))
        pts = len(shape.get("points").split()) if shape.get("points") else 0
        shapes.setdefault(node.group, set()).add((shape.tag, pts))
    assert all(len(s) == 1 for s in shapes.values())
    assert len({next(iter(s)) for s in shapes.values()}) == len(shapes)


def test_long_labels_are_cut_with_the_full_one_in_the_tooltip():
    label = "The Very Long Name of an Intergovernmental Commission on Trade"
    root = parse(svg_network([NetNode("x", label, "actor", "x.html", "body")], [], "Long"))
    a = links(root)[0]
    assert a.find(f"{NS}title").text == f"{label} (body)"
    text = a.find(f"{NS}text").text
    assert text.endswith("…") and len(text) <= MAX_LABEL and label.startswith(text[:-1])


def test_labels_and_hrefs_are_escaped():
    nasty = NetNode("n", "<script>alert(1)</script> & \"Sons\" 'Ltd'", "actor", "a.html?x=1&y=\"2\"", "<b>")
    other = NetNode("o", "Q&A <Forum>", "event", "o.html")
    svg = svg_network([nasty, other], [NetEdge("n", "o", "</title><script>")], "<Title> & more")
    assert "<script" not in svg
    root = parse(svg)  # well-formed
    assert not root.findall(f".//{NS}script")
    hrefs = by_href(root)
    assert hrefs["a.html?x=1&y=\"2\""].find(f"{NS}title").text == "<script>alert(1)</script> & \"Sons\" 'Ltd' (<b>)"
    assert hrefs["o.html"].find(f"{NS}text").text == "Q&A <Forum>"
    line = root.find(f".//{NS}line")
    assert "</title><script>" in line.find(f"{NS}title").text


def test_script_urls_are_not_links():
    root = parse(svg_network([NetNode("n", "N", "actor", " javascript:alert(1)")], [], "T"))
    assert links(root)[0].get("href") is None


def test_nothing_external():
    svg = svg_network(NODES, EDGES, "Visit", focus="kz")
    assert svg.count("http") == 1 and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "xlink" not in svg and "@import" not in svg and "url(" not in svg
    assert "<script" not in svg and "<image" not in svg and "<foreignObject" not in svg


def test_ids_are_unique_within_and_across_drawings():
    one = parse(svg_network(NODES, EDGES, "Visit"))
    two = parse(svg_network(NODES, EDGES, "Another visit"))
    ids_one = [el.get("id") for el in one.iter() if el.get("id")]
    ids_two = [el.get("id") for el in two.iter() if el.get("id")]
    assert len(ids_one) == len(set(ids_one)) >= 2
    assert not set(ids_one) & set(ids_two)
    # The style is scoped to its own drawing, so two drawings on one page do not mix.
    style = one.find(f"{NS}style").text
    assert all(rule.strip().startswith(f"#{one.get('id')}") for rule in style.split("}") if rule.strip())


def test_empty_graph_draws_nothing():
    assert svg_network([], [], "Nothing") == ""
    assert svg_network([], [NetEdge("a", "b")], "Nothing") == ""


# ------------------------------------------------------------------------------------ edges


def test_duplicate_edges_are_merged_and_bad_ones_dropped():
    edges = [
        NetEdge("kz", "decl", "party to"),
        NetEdge("decl", "kz", "party to"),  # the same, the other way round
        NetEdge("kz", "decl", "signatory"),
        NetEdge("kz", "decl", "party to"),
        NetEdge("kz", "kz", "self"),  # self-loop
        NetEdge("kz", "nowhere", "dangling"),
        NetEdge("ghost", "pk", "dangling"),
        NetEdge("pk", "decl", ""),
    ]
    root = parse(svg_network(NODES[:4], edges, "Edges"))
    lines = root.findall(f".//{NS}line")
    assert len(lines) == 2
    titles = sorted(line.find(f"{NS}title").text for line in lines)
    # Labels joined with "; ", each direction read its own way.
    assert (
        "Joint Declaration on Strategic Partnership — party to — Kazakhstan; "
        "Kazakhstan — party to; signatory — Joint Declaration on Strategic Partnership"
    ) in titles
    assert all("dangling" not in t and "self" not in t for t in titles)
    assert "Pakistan — Joint Declaration on Strategic Partnership" in titles  # no label: "A — B"
    assert "2 links" in root.find(f"{NS}desc").text


def test_edge_title_reads_a_relation_b():
    root = parse(svg_network(NODES, EDGES, "Visit"))
    titles = {line.find(f"{NS}title").text for line in root.findall(f".//{NS}line")}
    assert "Kassym-Jomart Tokayev — visited — State visit, February" in titles
    assert "Kassym-Jomart Tokayev — leads — Kazakhstan" in titles


def test_edges_are_drawn_before_nodes():
    svg = svg_network(NODES, EDGES, "Visit")
    assert svg.rindex("<line") < svg.index("<a ")


def test_edges_end_at_their_nodes():
    root = parse(svg_network(NODES, EDGES, "Visit"))
    centres = {a.get("href"): centre(a) for a in links(root)}
    href = {n.id: n.href for n in NODES}
    ends = set()
    for line in root.findall(f".//{NS}line"):
        ends.add((float(line.get("x1")), float(line.get("y1"))))
        ends.add((float(line.get("x2")), float(line.get("y2"))))
    linked = {e.a for e in EDGES} | {e.b for e in EDGES}
    for nid in linked:
        cx, cy = centres[href[nid]]
        assert any(abs(cx - x) < 0.2 and abs(cy - y) < 0.2 for x, y in ends), nid


# ------------------------------------------------------------------------------------ focus


@pytest.mark.parametrize("focus", ["kz", "visit", "tat"])
def test_focus_is_emphasised_and_at_the_centre(focus):
    root = parse(svg_network(NODES, EDGES, "Neighbourhood", focus=focus))
    _x, _y, w, h = view_box(root)
    node = next(n for n in NODES if n.id == focus)
    a = by_href(root)[node.href]
    assert "focus" in a.get("class").split()
    x, y = centre(a)
    assert abs(x - w / 2) <= 0.05 * w and abs(y - h / 2) <= 0.05 * h
    others = [size(b) for b in links(root) if b is not a]
    assert size(a) > max(others)
    assert len(root.findall(f".//{NS}a[@class]")) == len(NODES)
    assert sum("focus" in b.get("class").split() for b in links(root)) == 1


def test_focus_on_a_star():
    star = [NetNode("c", "Centre", "actor", "c.html")] + [
        NetNode(f"n{i}", f"Neighbour {i}", ["agreement", "event", "corridor"][i % 3], f"n{i}.html") for i in range(12)
    ]
    edges = [NetEdge("c", f"n{i}", "linked") for i in range(12)]
    root = parse(svg_network(star, edges, "Star", focus="c"))
    _x, _y, w, h = view_box(root)
    x, y = centre(by_href(root)["c.html"])
    assert abs(x - w / 2) <= 0.05 * w and abs(y - h / 2) <= 0.05 * h


def test_unknown_focus_is_ignored():
    assert svg_network(NODES, EDGES, "Visit", focus="nobody") == svg_network(NODES, EDGES, "Visit")


# ----------------------------------------------------------------------------------- legend


def legend(root: ET.Element) -> list[str]:
    g = root.find(f".//{NS}g[@class='legend']")
    return [t.text for t in g.iter(f"{NS}text")]


def test_legend_lists_only_groups_present():
    root = parse(svg_network(NODES, EDGES, "Visit"))
    assert legend(root) == ["Actors", "Agreements", "Corridors", "Events"]
    few = [n for n in NODES if n.group in ("actor", "event")]
    assert legend(parse(svg_network(few, EDGES, "Few"))) == ["Actors", "Events"]


def test_other_groups_get_a_default_style_and_a_legend_entry():
    nodes = NODES[:2] + [NetNode("s", "A source", "source <doc>", "s.html")]
    svg = svg_network(nodes, [NetEdge("kz", "s", "cites")], "Others")
    root = parse(svg)
    assert legend(root) == ["Actors", "source <doc>"]
    a = by_href(root)["s.html"]
    assert a.get("class").split()[1] == "node-source-doc"
    assert a.find(f"{NS}polygon") is not None


# -------------------------------------------------------------------------------- geometry


def big_graph(n: int, m: int, seed: int = 1) -> tuple[list[NetNode], list[NetEdge]]:
    rnd = random.Random(seed)
    groups = ["actor", "agreement", "corridor", "event"]
    nodes = [NetNode(f"n{i}", f"Node {i} with a longer name", groups[i % 4], f"n{i}.html", "k") for i in range(n)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rnd.randrange(n), rnd.randrange(n)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return nodes, [NetEdge(f"n{a}", f"n{b}", "rel") for a, b in sorted(pairs)]


@pytest.mark.parametrize("n,m", [(1, 0), (2, 1), (3, 2), (40, 60), (300, 500)])
def test_nodes_and_labels_stay_inside_the_view_box(n, m):
    nodes, edges = big_graph(n, m)
    root = parse(svg_network(nodes, edges, f"{n} nodes"))
    _x, _y, w, h = view_box(root)
    assert len(links(root)) == n
    for a in links(root):
        x, y = centre(a)
        r = size(a)
        assert r <= x <= w - r and r <= y <= h - r
        text = a.find(f"{NS}text")
        assert 0 < float(text.get("x")) < w and 0 < float(text.get("y")) < h


def test_a_thousand_nodes_are_all_drawn():
    # Its speed is measured by scripts/benchmark.py (the synthetic site's network view), not here.
    nodes, edges = big_graph(1000, 3000)
    root = parse(svg_network(nodes, edges, "Big"))
    assert len(links(root)) == 1000 and len(root.findall(f".//{NS}line")) == 3000


@pytest.mark.parametrize("shuffle_seed", [1, 2])
def test_a_large_graph_too_gives_the_same_bytes_in_any_order(shuffle_seed):
    """Above EXACT_UP_TO nodes the layout is computed with numpy (network._layout_grid): still the
    same picture for the same graph, given in any order, with or without a focus."""
    from kb.network import EXACT_UP_TO

    nodes, edges = big_graph(EXACT_UP_TO + 150, 400)
    rnd = random.Random(shuffle_seed)
    shuffled_nodes, shuffled_edges = nodes[:], edges[:]
    rnd.shuffle(shuffled_nodes)
    rnd.shuffle(shuffled_edges)
    assert svg_network(shuffled_nodes, shuffled_edges, "Big") == svg_network(nodes, edges, "Big")
    focus = edges[0].a
    assert svg_network(shuffled_nodes, shuffled_edges, "Big", focus=focus) == svg_network(nodes, edges, "Big", focus=focus)


@pytest.mark.parametrize("n", [450, 2500])  # above EXACT_UP_TO; and above 2,000 nodes, fewer iterations
def test_the_large_layout_keeps_the_focus_at_the_centre_and_nodes_apart(n: int):
    from kb.network import EXACT_UP_TO, _layout

    assert n > EXACT_UP_TO
    rnd = random.Random(5)
    links = sorted({(a, b) for a, b in ((rnd.randrange(n), rnd.randrange(n)) for _ in range(2 * n)) if a < b})
    pos = _layout(n, links, 0, 7)
    assert pos[0] == (0.0, 0.0) and len(set(pos)) == n
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    assert max(xs) - min(xs) > 0.1 and max(ys) - min(ys) > 0.1  # spread out, not collapsed
    assert max(map(abs, xs + ys)) < 2  # and not flung away


def test_a_shape_is_laid_out_once_whatever_its_labels(monkeypatch):
    """Two neighbourhoods of the same shape (a record and three neighbours, in the same sorted
    places) share one layout computation, and draw their nodes at the same points."""
    from kb import network

    monkeypatch.setenv("KB_CACHE_DIR", "off")  # in this process's memory, not read from an earlier one's
    network._shape_layout.cache_clear()
    calls = []
    real = network._compute_layout
    monkeypatch.setattr(network, "_compute_layout", lambda *a: calls.append(a[0]) or real(*a))

    def star(prefix: str) -> str:
        nodes = [NetNode(f"{prefix}{i}", f"{prefix.upper()} node {i}", "actor", f"{prefix}{i}.html") for i in range(4)]
        edges = [NetEdge(f"{prefix}0", f"{prefix}{i}", "linked to") for i in range(1, 4)]
        return svg_network(nodes, edges, f"Around {prefix}", focus=f"{prefix}0")

    first, second = star("a"), star("b")
    assert calls == [4]  # one computation for both drawings
    points = lambda svg: re.findall(r"<circle[^>]*>|<rect class=\"node[^>]*>|<polygon[^>]*>", svg)  # noqa: E731
    assert points(first) == points(second) and points(first)
    other = svg_network([NetNode(f"c{i}", f"C{i}", "actor", f"c{i}.html") for i in range(4)],
                        [NetEdge("c0", "c1", "x"), NetEdge("c1", "c2", "x"), NetEdge("c2", "c3", "x")], "A chain", focus="c0")
    assert calls == [4, 4] and other  # another shape is computed anew


def test_a_segment_whose_box_misses_a_labels_box_never_crosses_it():
    """svg_network tests a label's box only against the edges whose bounding boxes meet it: that
    leaves the count of crossings as it was only if _crosses is False for every other edge.
    Random segments (axis-parallel ones, points and segments ending on a side included) against
    random boxes."""
    from kb.svgtext import crosses as _crosses

    rnd = random.Random(5)
    grid = lambda: rnd.choice([rnd.uniform(0, 100), float(rnd.randint(0, 10) * 10)])  # noqa: E731
    tested = 0
    for _ in range(20000):
        x1, y1 = grid(), grid()
        x2, y2 = rnd.choice([(grid(), grid()), (x1, grid()), (grid(), y1), (x1, y1)])
        bx0, by0 = grid(), grid()
        box = (bx0, by0, bx0 + rnd.uniform(0, 40), by0 + rnd.uniform(0, 20))
        meets = min(x1, x2) <= box[2] and max(x1, x2) >= box[0] and min(y1, y2) <= box[3] and max(y1, y2) >= box[1]
        if not meets:
            tested += 1
            assert not _crosses((x1, y1, x2, y2), box), ((x1, y1, x2, y2), box)
    assert tested > 5000


@pytest.mark.parametrize("n", [6, 200])  # the exact layout, and the grid's (more than EXACT_UP_TO nodes)
def test_a_layout_is_kept_by_shape_and_read_back_to_the_last_bit(n: int, tmp_path, monkeypatch):
    """A shape's layout is kept in the generator's cache: a later process (here: the in-process
    memory cleared) reads the same floats instead of computing them, and another seed or another
    shape is computed anew. With the cache off, every process computes."""
    from kb import network

    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    links = tuple((0, i) for i in range(1, n)) + ((1, 2),)
    calls = []
    real = network._compute_layout
    monkeypatch.setattr(network, "_compute_layout", lambda *a: calls.append(a[:1] + a[2:]) or real(*a))
    network._shape_layout.cache_clear()
    first = network._shape_layout(n, links, 0, 7)
    network._shape_layout.cache_clear()
    assert network._shape_layout(n, links, 0, 7) == first and calls == [(n, 0, 7)]
    assert all(type(v) is float for point in first for v in point)
    network._shape_layout(n, links, 0, 8)
    network._shape_layout(n, links[:-1], 0, 7)
    assert calls == [(n, 0, 7), (n, 0, 8), (n, 0, 7)]
    monkeypatch.setenv("KB_CACHE_DIR", "off")
    network._shape_layout.cache_clear()
    assert network._shape_layout(n, links, 0, 7) == first and len(calls) == 4
    network._shape_layout.cache_clear()


def test_the_most_linked_nodes_are_named_even_where_others_crowd_them():
    """A reader's trial: in the network view, the visit itself (11 links, in the crowded middle)
    showed no name, only a tooltip. The most linked tenth (at least three) get their name beside
    them even over other nodes (drawn above them), never over another name; the others, where
    nothing is free, show theirs on hover and focus."""
    rng = random.Random(0)
    hubs = [NetNode(f"h{i}", f"Hub number {i} with a long name", "event", f"h{i}.html") for i in range(3)]
    leaves = [NetNode(f"n{i}", f"Node {i} with a long name too", "actor", f"n{i}.html") for i in range(80)]
    edges = [NetEdge(h.id, leaf.id) for h in hubs for leaf in rng.sample(leaves, 40)]
    edges += [NetEdge(a.id, b.id) for a, b in zip(leaves, leaves[1:])]  # a chain: the leaves crowd in
    root = parse(svg_network(hubs + leaves, edges, "Crowded"))
    named = {}
    for a in root.iter(f"{NS}a"):
        text = a.find(f"{NS}text")
        named[a.get("href")] = "minor" not in text.get("class")
    assert all(named[h.href] for h in hubs), named
    assert not all(named.values())  # the crowd is real: some leaves are hover-only
