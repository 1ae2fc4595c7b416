"""The link and anchor check of a built site, for either engine (``scripts/build.py`` runs it after
every build; ``tests/test_gates.py`` runs it on both engines' output).

Every href/src/data/srcset of every page and of every SVG a page embeds, resolved against its
file, must lead to a file of the site, and a #fragment to an element with that id there. Links to
other hosts are counted, never fetched. No link checker is pinned in requirements.txt, and the ones
on PyPI fetch what they check over HTTP; this reads the files, so it also sees what file:// sees.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

EXTERNAL = ("http:", "https:", "mailto:", "tel:")
NOT_LINKS = ("data:", "blob:", "javascript:", "about:")
LINK_ATTRS = {"href", "src", "data", "srcset", "imagesrcset", "poster", "xlink:href", "action"}


class _Scan(HTMLParser):
    """The ids of a document and the URLs it links to (tag, attribute, value). Also reads SVG."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRS:
                if name in ("srcset", "imagesrcset"):
                    for candidate in value.split(","):
                        if candidate.strip():
                            self.links.append((tag, name, candidate.split()[0]))
                elif not (tag == "meta" or (tag == "object" and name == "type")):
                    self.links.append((tag, name, value))

    handle_startendtag = handle_starttag


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def check_links(site: Path) -> tuple[dict[str, int], list[str]]:
    """Every link of every page (and of every SVG embedded with <object>) checked; the counts and
    the problems found."""
    site = site.resolve()
    docs: dict[Path, _Scan] = {p: scan(p) for p in sorted(site.rglob("*.html"))}
    counts = {"pages": len(docs), "svgs": 0, "links": 0, "anchors": 0, "external": 0}
    problems: list[str] = []

    def document(path: Path) -> _Scan | None:
        if path not in docs:
            if path.suffix != ".svg":
                return None
            docs[path] = scan(path)
        return docs[path]

    queue = list(docs)
    seen_svgs: set[Path] = set()
    while queue:
        source = queue.pop()
        where = source.relative_to(site).as_posix()
        for tag, attr, url in docs[source].links:
            counts["links"] += 1
            if url.startswith(NOT_LINKS):
                continue
            if url.startswith(EXTERNAL) or url.startswith("//"):
                counts["external"] += 1
                continue
            parts = urlsplit(url)
            if parts.scheme:
                problems.append(f"{where}: <{tag} {attr}={url!r}>: unknown scheme")
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                # only the 404 page, which the server shows at any depth, is linked from the root
                if where != "404.html":
                    problems.append(f"{where}: <{tag} {attr}={url!r}>: absolute path (breaks file://)")
                target = site / path.lstrip("/")
            elif path:
                target = site / posixpath.normpath(posixpath.join(source.parent.relative_to(site).as_posix(), path))
            else:
                target = source
            if path.endswith("/") or target.is_dir():
                target = target / "index.html"
            try:
                target.resolve().relative_to(site)
            except ValueError:
                problems.append(f"{where}: <{tag} {attr}={url!r}>: outside the site")
                continue
            if not target.is_file():
                problems.append(f"{where}: <{tag} {attr}={url!r}>: no such file")
                continue
            if target.suffix == ".svg" and tag == "object" and target not in seen_svgs:
                seen_svgs.add(target)
                document(target)
                queue.append(target)  # its links are relative to the SVG file
            if parts.fragment:
                counts["anchors"] += 1
                doc = document(target)
                if doc is None:
                    problems.append(f"{where}: <{tag} {attr}={url!r}>: an anchor into a {target.suffix} file")
                elif unquote(parts.fragment) not in doc.ids:
                    problems.append(f"{where}: <{tag} {attr}={url!r}>: no element with that id")
    counts["svgs"] = len(seen_svgs)
    return counts, problems
