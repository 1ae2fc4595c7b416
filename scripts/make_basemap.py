#!/usr/bin/env python3
"""Rebuild scripts/kb/basemap.json, the land outline the site's maps are drawn on.

The outline is Natural Earth's 1:50m land (public domain), as packaged in the npm package
world-atlas (ISC licence), decoded from TopoJSON, cut to the region the visit's places lie in,
simplified, and rounded to 0.05 degrees. Holes in the land (inland seas such as the Caspian) are
kept as water. The site never fetches it: the maps are SVG drawn at build
time. Run this only to change the region or the detail; it needs npm and the npm registry.

    python scripts/make_basemap.py
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from kb.maps import BASEMAP_TOLERANCE as TOLERANCE, simplify  # degrees; Douglas-Peucker

PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/land-50m.json"
REGION = (-20.0, -45.0, 110.0, 70.0)  # west, south, east, north: Europe to Central Asia, Africa, South Asia
OUT = Path(__file__).resolve().parent / "kb" / "basemap.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with its longitudes made continuous: a ring that crosses the antimeridian (Eurasia,
    at Chukotka) jumps from +180 to -180 between two neighbouring points, and a map that clipped it
    drew that jump as a straight coast across its whole width (a false band of sea at about 70 N
    on the map view). Each point is moved by whole turns (360 degrees) to lie within 180 degrees of
    the one before it, so such a ring runs on past 180 instead; then the whole ring by whole turns
    so that its mean longitude is within 180 degrees of 0 (Eurasia stays where the region is)."""
    out = [points[0]] if points else []
    for x, y in points[1:]:
        previous = out[-1][0]
        x += 360.0 * round((previous - x) / 360.0)
        out.append((x, y))
    if out:
        turn = -360.0 * round(sum(x for x, _ in out) / len(out) / 360.0)
        out = [(x + turn, y) for x, y in out]
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
        tarball = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball) as tar:
            topology = json.load(tar.extractfile(MEMBER))
    arcs = decode_arcs(topology)
    west, south, east, north = REGION
    rings, holes = [], []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            # The first ring is land; the others are holes in it: inland seas such as the Caspian.
            for index, indices in enumerate(polygon):
                points = unwrap(ring(indices, arcs))
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                if max(xs) < west or min(xs) > east or max(ys) < south or min(ys) > north:
                    continue
                points = simplify(points, TOLERANCE)
                if len(points) >= 4:
                    (holes if index else rings).append(
                        [[round(x / 0.05) * 0.05, round(y / 0.05) * 0.05] for x, y in points]
                    )
    OUT.write_text(
        json.dumps(
            {
                "source": f"Natural Earth 1:50m land (public domain), via the npm package {PACKAGE} (ISC)",
                "region": REGION,
                "rings": [[[round(x, 2), round(y, 2)] for x, y in r] for r in rings],
                "holes": [[[round(x, 2), round(y, 2)] for x, y in r] for r in holes],
            },
            separators=(",", ":"),
        )
        + "\n"
    )
    print(f"{OUT}: {len(rings)} land rings, {len(holes)} water holes, "
          f"{sum(map(len, rings + holes))} points, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
