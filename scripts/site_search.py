"""The site's two search indexes, written after every build (``mkdocs_hooks.on_post_build``).

Search is Material's search box with our worker behind it (docs/assets/search/worker.js):

* **Served** (http/https): **Pagefind** (PyPI ``pagefind[extended]``, pinned in requirements.txt).
  Its index is split into chunks; a query loads the runtime (about 120 KB, once), the chunks for
  its words and one fragment per result listed: a page view costs 0.2 KB of search and a page view
  with its first query 188–296 KB from 454 to 10,027 pages (``scripts/benchmark.py --search``;
  README, *Search*), so the served site holds at 10,000 records. :func:`run_pagefind` writes ``site/pagefind/``,
  in shards of at most :data:`SHARD_PAGES` pages on a big site, which the worker merges.
* **From a folder** (file://): browsers refuse Pagefind's fetches there, so the worker runs
  MiniSearch over one file, ``search/search_index.js``, which Material's ``offline`` plugin writes
  from Material's own index (``search_index.json``). It grows with the site (about 2 MB at 450
  pages) and is read from the local disk when search is first opened.

:func:`empty_box_index` then leaves ``search_index.json`` with no documents: served, Material's box fetches
it on every page view, and the served engine is Pagefind. What both indexes leave out is marked
in the templates (``render.SEARCH_EXCLUDE``): Cite this, References and the apparatus repeated
on every page. ``mkdocs build`` runs Pagefind before it ends (and fails if Pagefind does);
``mkdocs serve`` runs it in the background after each rebuild (:class:`Background`), so a save is
visible without waiting for the index, which follows about two seconds later.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

# What Pagefind reads of a page: Material's article (title and content; not the header, the
# navigation or the footer), without the heading permalinks (¶).
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = [".headerlink", ".md-content__button", ".md-source-file"]
# Pagefind writes three UIs beside its runtime; the site uses Material's box, so they are removed
# (nothing links them).
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def read_index(path: Path) -> tuple[dict, Iterator[dict]]:
    """Material's search index ``{"config": {...}, "docs": [...]}`` read one document at a time:
    (config, the documents). At 10,000 records the index is 21 MB, and parsing it whole for its
    configuration, or to scan its documents, took 60 MB more than the build's peak until then.
    Raises ``ValueError`` when the file is not such an index."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    space = re.compile(r"\s*")

    def skip(pos: int, sep: str = "") -> int:
        pos = space.match(text, pos).end()
        if sep:
            if text[pos : pos + 1] != sep:
                raise ValueError(f"{path}: not a search index ({sep!r} expected at character {pos})")
            pos = space.match(text, pos + 1).end()
        return pos

    end = object()  # what items() gives last, with the position after the closing "]"

    def items(pos: int) -> Iterator[tuple[Any, int]]:  # (document, position after it), from "[" at pos
        pos = skip(pos, "[")
        while text[pos : pos + 1] != "]":
            doc, pos = decoder.raw_decode(text, pos)
            yield doc, pos
            pos = skip(pos)
            if text[pos : pos + 1] == ",":
                pos = skip(pos + 1)
        yield end, pos + 1

    config, docs_at, pos = None, None, skip(0, "{")
    while text[pos : pos + 1] != "}" and not (config is not None and docs_at is not None):
        key, pos = decoder.raw_decode(text, pos)
        pos = skip(pos, ":")
        if key == "docs":
            docs_at = pos
            for _, pos in items(pos):  # passed over one by one, none kept
                pass
        else:
            value, pos = decoder.raw_decode(text, pos)
            config = value if key == "config" else config
        pos = skip(pos)
        if text[pos : pos + 1] == ",":
            pos = skip(pos + 1)

    def docs() -> Iterator[dict]:
        if docs_at is not None:
            for doc, _ in items(docs_at):
                if doc is not end:
                    yield doc

    return config or {}, docs()


# Pagefind holds a whole index in memory while it writes it: measured on the synthetic 10,000-record
# site (scripts/benchmark.py), about 70 MB plus 55-65 KB per page, 860 MB for its 10,029 pages in
# one run, the largest process of the build. The site is therefore indexed in shards of at most
# SHARD_PAGES pages, one Pagefind run after another (about 200 MB each), and the worker merges them
# at query time (Pagefind's documented ``mergeIndex``). A site of up to SHARD_PAGES pages, such as
# today's real data, is one bundle, as before.
SHARD_PAGES = 2000
SHARDS_FILE = "shards.json"  # in site/pagefind/: the other shards' folders, relative to it


def pages_to_index(site: Path) -> list[str]:
    """Every HTML file of the built site that Pagefind would read, as sorted site-relative paths
    (not the Pagefind bundle itself)."""
    return sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] != "pagefind"
    )


def shards(pages: list[str], size: int = SHARD_PAGES) -> list[list[str]]:
    """The pages cut into runs of at most ``size``, in order (one run when they fit in one)."""
    return [pages[i : i + size] for i in range(0, len(pages), size)] or [[]]


def _pagefind(source: Path, bundle: Path) -> None:
    command = [
        sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(bundle),
        "--root-selector", ROOT_SELECTOR, "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS),
        "--force-language", "en", "--silent",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        missing = "No module named pagefind" in done.stderr
        hint = " (is `pagefind[extended]` from requirements.txt installed?)" if missing else ""
        raise RuntimeError(f"Pagefind failed to index the site{hint}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # same file system (the temporary folder is beside the site): no copy
    except OSError:
        shutil.copyfile(src, dst)


def run_pagefind(site: Path, shard_pages: int = SHARD_PAGES) -> int:
    """Index the built site with Pagefind into ``site/pagefind/``; returns the number of shards.

    Up to ``shard_pages`` pages: one bundle, ``site/pagefind/``. More: the first shard's bundle
    there and shard *n*'s in ``site/pagefind/shard-n/``, each indexed from a folder of hard links
    to its pages (so each page keeps its URL), and ``site/pagefind/shards.json`` lists the others
    (``["shard-2/", …]``; ``[]`` for one bundle). The new bundle is written beside the site and
    swapped in, so a server never serves half of one. Raises ``RuntimeError`` with Pagefind's
    output when it fails or is not installed.
    """
    parts = shards(pages_to_index(site), shard_pages)
    with tempfile.TemporaryDirectory(prefix="pagefind-", dir=site.parent) as tmp:
        bundle = Path(tmp) / "pagefind"
        if len(parts) == 1:
            _pagefind(site, bundle)
        for number, part in enumerate(parts if len(parts) > 1 else [], start=1):
            source = Path(tmp) / f"source-{number}"
            for rel in part:
                _link_or_copy(site / rel, source / rel)
            _pagefind(source, Path(tmp) / f"bundle-{number}")
            shutil.rmtree(source)
        for number in range(2, len(parts) + 1):
            (Path(tmp) / f"bundle-{number}").rename(Path(tmp) / "bundle-1" / f"shard-{number}")
        if len(parts) > 1:
            (Path(tmp) / "bundle-1").rename(bundle)
        others = [f"shard-{number}/" for number in range(2, len(parts) + 1)]
        (bundle / SHARDS_FILE).write_text(json.dumps(others), encoding="utf-8")
        old = site / "pagefind"
        if old.exists():
            shutil.rmtree(old)
        bundle.rename(old)
    return len(parts)


def empty_box_index(site: Path) -> None:
    """After the offline plugin has inlined the full index into ``search_index.js``: leave
    ``search_index.json`` with Material's search configuration and no documents. Call once per
    build, after every other plugin's ``on_post_build``; then :func:`run_pagefind`."""
    path = site / "search" / "search_index.json"
    if path.is_file():
        config, _ = read_index(path)
        path.write_text(json.dumps({"config": config, "docs": []}), encoding="utf-8")


class Background:
    """Pagefind off the dev server's critical path (``mkdocs serve``): a save's pages are served
    (and the browser reloaded) without waiting for the search index, which follows a few seconds
    later. One thread; requests made while it runs are folded into one more run, so the last
    build is always indexed last. ``log`` receives one line per run (or the failure). A run that
    fails because a build began meanwhile (``building``: the server cleans the site it reads) is
    not a failure: that build asks for its own run (saves a few seconds apart printed "Pagefind
    failed to index the site", a new user's trial)."""

    def __init__(self, log) -> None:
        import threading

        self._log = log
        self._wanted = threading.Event()
        self._site: Path | None = None
        self._builds = 0  # builds begun (``building``)
        self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self._thread.start()

    def building(self) -> None:
        """A build of the site begins (before it touches the site's folder)."""
        self._builds += 1

    def request(self, site: Path) -> None:
        self._site = site
        self._wanted.set()

    def _run(self) -> None:
        import time

        while True:
            self._wanted.wait()
            self._wanted.clear()
            started, builds = time.perf_counter(), self._builds
            try:
                run_pagefind(self._site)
            except Exception as err:  # a build cleaning the site mid-run: the next run follows
                if not self._wanted.is_set() and self._builds == builds:
                    self._log.warning("search: %s", err)
                continue
            self._log.info("search: Pagefind index written (%.0f ms)", (time.perf_counter() - started) * 1000)
