"""MkDocs hook: the pages generated from data/ are handed to MkDocs (in memory under serve, from
a `generate` run by the build), so `mkdocs build` and `mkdocs serve` need no separate step and
nothing is written into the watched docs/.

* ``on_pre_build``: load, validate and render. ``mkdocs build`` runs ``knowledge_base.py
  generate`` in a child process into a folder of the cache (``_generate_pages``), so no model or
  page is held in MkDocs' process, and lets each page's Markdown and HTML go once used
  (``on_page_content``, ``on_post_page``): at 10,000 records they are most of a build's memory.
  Under ``mkdocs serve`` (``kb.incremental``) the
  model is kept between builds and only the pages an edit touches are rendered again; the
  Markdown, page and search-index results of MkDocs itself are reused for pages whose inputs did
  not change (``build_cache.py``). When the data has errors, ``mkdocs build`` stops here, before
  MkDocs cleans site/, with every error as file:line:column, and the last built site stays as it
  was; ``mkdocs serve`` prints the same lines and serves them as an error page in place of every
  generated page, until the data is fixed (no restart needed).
* ``on_files``: the generated files join MkDocs' files as ``File.generated`` (the mechanism of
  mkdocs-gen-files; in memory under serve, backed by the generated folder under build), in the
  order MkDocs gives a docs folder. Copies that ``knowledge_base.py generate`` wrote into docs/
  for other engines are replaced by them; a hand-written page in the way stops the build.
* Under serve, an edit to the generator (``scripts/kb/``: code or templates) is picked up at the
  next build: its modules are loaded again and every page is rendered anew. An edit to this hook,
  ``build_cache.py``, ``theme_fixes.py`` or ``site_search.py`` needs a restart, and the terminal says so.
* Under serve, a warning (a broken link in a hand-written page, say) does not stop the build
  (``on_config``): MkDocs' strict mode (``strict: true`` in mkdocs.yml) would keep the built site
  from being served, and every request would wait, "stuck until build errors are resolved", with
  nothing in the browser. The warning is in the terminal; ``mkdocs build`` stays strict.
* ``on_post_page``, last: an anchor of the URL manifest (tests/published-urls.txt) that a generated
  page no longer has, where the data decides it, stays in a line at the end of its article
  (``kb.published.keep_anchors``); a page's lines lose their indentation (see "lighter pages" below).
* ``on_post_build``, last of all: the built site is scanned for anything that would make a
  browser request another host, and the build fails listing every one (see below); then the
  search indexes are finished (``site_search.py``: Pagefind for the served site).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import sys
import time
import zlib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, file_sort_key

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_cache  # noqa: E402
import site_search  # noqa: E402

log = logging.getLogger("mkdocs.hooks.knowledge_base")

_HERE = Path(__file__).resolve().parent
_RESTART_FILES = [_HERE / "mkdocs_hooks.py", _HERE / "build_cache.py", _HERE / "theme_fixes.py", _HERE / "site_search.py"]


def _stamp(paths) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in paths:
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def _generator_files() -> list[Path]:
    return [p for p in (_HERE / "kb").rglob("*") if p.suffix in (".py", ".j2", ".json") and "__pycache__" not in p.parts]


class _State:
    """What survives from one build to the next in one process (MkDocs loads a hook once)."""

    serving = False
    site = None  # kb.incremental.IncrementalSite
    site_key: tuple = ()
    files: dict[str, str] = {}  # serve: the generated files of this build
    generated: frozenset[str] = frozenset()  # build: the generated files' paths, in pages_dir
    pages_dir: Path = Path()  # build: where `generate` wrote them (_generate_pages)
    restart_stamp = _stamp(_RESTART_FILES)
    search = None  # site_search.Background under serve
    packed: dict[str, bytes] = {}  # build only: each converted page's HTML, zlib-packed, until written
    kept: dict[str, frozenset[str]] = {}  # the URL manifest's anchors by page, read once per build (on_files)
    failed = False  # serve: this build shows the data's errors in place of the generated pages


def on_startup(command: str, dirty: bool) -> None:
    _State.serving = command == "serve"
    build_cache.enable(_State.serving)


def on_config(config):
    """Under serve, warnings no longer count towards strict mode's abort (MkDocs counts them with a
    ``CountHandler`` on the ``mkdocs`` logger, added for this build when ``strict`` is on, and
    aborts after ``on_post_build`` if it counted any): the site a warning came with is served, and
    the warning stays in the terminal. ``mkdocs build`` is untouched."""
    if _State.serving and config.strict:
        from mkdocs.utils import CountHandler

        logger = logging.getLogger("mkdocs")
        for handler in [h for h in logger.handlers if isinstance(h, CountHandler)]:
            logger.removeHandler(handler)
    return config


def _site(root: Path, docs: Path):
    """The incremental generator for this project, made anew (with the generator's modules loaded
    again) when a file under scripts/kb/ changed since the last build."""
    key = (str(root), str(docs), _stamp(_generator_files()))
    if _State.site is not None and key == _State.site_key:
        return _State.site
    if _State.site is not None:  # the generator changed under serve: use the new code
        for name in [m for m in sys.modules if m == "kb" or m.startswith("kb.")]:
            del sys.modules[name]
        print("knowledge base: scripts/kb changed; the generator was loaded again", file=sys.stderr)
    if str(_HERE) not in sys.path:  # MkDocs restores sys.path after loading a hook
        sys.path.insert(0, str(_HERE))
    pipeline = importlib.import_module("kb.pipeline")
    incremental = importlib.import_module("kb.incremental")
    _State.site = incremental.IncrementalSite(pipeline.Paths(root=root, data=root / "data", docs=docs))
    _State.site_key = key
    _prune(importlib.import_module("kb.cache"))
    return _State.site


def _prune(cache) -> None:
    """Prune the generator's cache (``kb.cache.prune``) once per generator loaded under serve, as
    every `generate` does at its end (``mkdocs build`` runs one); a wrong ``KB_CACHE_DAYS`` is said
    in the terminal and nothing is pruned, the site is served all the same."""
    try:
        cache.prune()
    except ValueError as exc:
        print(f"knowledge base: {exc}; the cache was not pruned", file=sys.stderr)


def _error_page(report: str) -> str:
    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", report)), default=0))
    return (
        "---\ntitle: The data has errors\nsearch:\n  exclude: true\n---\n"
        "# The data has errors\n\n"
        "The site was not rebuilt from `data/`. Fix what is listed below and save: this page reloads "
        "by itself with the rebuilt site. The same lines are in the terminal that runs the server.\n\n"
        # in a box whose lines wrap (docs/assets/kb.css), so the end of a long one is not cut off
        f'<div class="kb-error-report" markdown>\n\n{fence}text\n{report}\n{fence}\n\n</div>\n'
    )


def on_pre_build(config) -> None:
    if _State.search is not None:  # before MkDocs cleans the site a Pagefind run may be reading
        _State.search.building()
    if _State.serving and _stamp(_RESTART_FILES) != _State.restart_stamp:
        print(
            "knowledge base: scripts/mkdocs_hooks.py, build_cache.py or theme_fixes.py changed; this server "
            "still runs the old version: stop it and run `bash scripts/serve.sh` again to use the new one",
            file=sys.stderr,
        )
    root = Path(config.config_file_path).resolve().parent
    started = time.perf_counter()
    try:
        if not _State.serving:
            _State.pages_dir, _State.generated, warnings, summary = _generate_pages(root)
            _State.files = {}
            for warning in warnings:
                log.info("knowledge base: warning: %s", warning)
            log.info("knowledge base: %s in %.2f s", summary, time.perf_counter() - started)
            return
        site = _site(root, Path(config.docs_dir).resolve())
        update = site.update()
    except _GenerateFailed as exc:  # build only
        if exc.data_errors:
            raise PluginError("the data has errors; the site was not rebuilt\n" + exc.report) from None
        raise PluginError("the generator failed; the site was not rebuilt\n" + exc.report) from None
    except Exception as exc:
        # DataErrors is matched by name: under serve its class is new after the generator reloads
        data_errors = type(exc).__name__ == "DataErrors"
        if not _State.serving:
            raise
        if data_errors:
            report = exc.log.report()
            print("knowledge base: the data has errors; the browser shows them until they are fixed\n" + report, file=sys.stderr)
        else:  # a mistake in the generator's code, under serve: say so and keep serving
            report = f"the generator failed: {type(exc).__name__}: {exc}"
            print(f"knowledge base: {report}", file=sys.stderr)
        _State.files = _with_error_pages(_State.files, report)  # the last build's files, pages replaced
        _State.failed = True
        return
    _State.files, _State.failed = update.files, False
    for warning in update.warnings:  # INFO, not WARNING: a strict build must not fail for absent texts
        log.info("knowledge base: warning: %s", warning)
    log.info("knowledge base: %s in %.2f s", update.summary(), time.perf_counter() - started)


class _GenerateFailed(Exception):
    def __init__(self, report: str, data_errors: bool) -> None:
        super().__init__(report)
        self.report, self.data_errors = report, data_errors


def _generate_pages(root: Path) -> tuple[Path, frozenset[str], list[str], str]:
    """``mkdocs build``'s pages: ``knowledge_base.py generate`` in a child process, into a folder of
    the generator's cache (``.cache/kb/mkdocs-pages/``; a temporary folder with the cache off), not
    into the watched docs/. Returns that folder, the generated paths (its manifest), the data's
    warnings and the summary line.

    Why a child: the model, the templates' work and the rendered pages stay out of MkDocs' process
    (at 10,000 records the build's largest process peaked at 415 MB when MkDocs' process rendered
    the pages itself, at 271 MB with this child: ``scripts/benchmark.py --engine mkdocs``); and
    `generate`'s cache serves the next build: with nothing changed it loads nothing, after one
    edit it renders only what the edit can change (the 10,000-record one-edit rebuild: 453 s
    instead of 844 s), and it renders on every core. Raises ``_GenerateFailed`` with the data's errors (file:line:column, as `generate` prints
    them) or the generator's failure."""
    import subprocess
    import tempfile

    if str(_HERE) not in sys.path:  # MkDocs restores sys.path after loading a hook
        sys.path.insert(0, str(_HERE))
    cache = importlib.import_module("kb.cache")
    writer = importlib.import_module("kb.writer")
    base = cache.directory()
    if base is None:  # KB_CACHE_DIR=off: a folder of this build's own, removed when MkDocs exits
        import atexit
        import shutil

        folder = Path(tempfile.mkdtemp(prefix="kb-mkdocs-pages-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    else:
        folder = base / "mkdocs-pages" / cache.digest(str(root))[:16]
    result = subprocess.run(
        [sys.executable, str(_HERE / "knowledge_base.py"), "generate",
         "--data", str(root / "data"), "--docs", str(folder)],
        cwd=root, capture_output=True, text=True, encoding="utf-8",
    )
    if result.returncode != 0:
        # 1: errors in the data (or a hand-written page in the way, "error: ..."); 3: the generator
        # failed, with its traceback; killed by a signal: negative (knowledge_base.py's exit codes)
        report = result.stderr.strip()
        data_errors = result.returncode == 1 and not report.startswith("error:")
        raise _GenerateFailed(report, data_errors)
    warnings = [line.removeprefix("warning: ") for line in result.stderr.splitlines() if line.startswith("warning: ")]
    return folder, frozenset(writer.read_manifest(folder)), warnings, f"generate: {result.stdout.strip()}"


def _with_error_pages(files: dict[str, str], report: str) -> dict[str, str]:
    """The last good files with an error page in place of every generated page (and the home page)."""
    page = _error_page(report)
    out = dict(files)
    for path in [*files, "index.md"]:
        if path.endswith(".md"):
            out[path] = page
    return out


@event_priority(100)  # first: the other plugins see the generated pages as files like any other
def on_files(files, config):
    writer = importlib.import_module("kb.writer")
    docs = Path(config.docs_dir)
    if _State.serving:
        generated = _State.files
        conflicts = writer.conflicts(docs, generated)
    else:  # build: the files are in _State.pages_dir; only those docs/ also has are read
        generated = _State.generated
        conflicts = writer.conflicts(docs, {rel: (_State.pages_dir / rel).read_bytes() for rel in generated
                                            if (docs / rel).exists()})
    if conflicts:
        raise PluginError(str(writer.HandWrittenConflict(conflicts)))
    stale = writer.read_manifest(docs)  # copies written by `generate`, for other engines
    for file in list(files):
        if file.src_uri in generated or file.src_uri in stale:
            files.remove(file)
    if _State.serving:
        made = [File.generated(config, path, content=text) for path, text in generated.items()]
    else:
        made = [File.generated(config, path, abs_src_path=str(_State.pages_dir / path)) for path in generated]
    for file in sorted(made, key=file_sort_key):  # as MkDocs orders a docs folder: the same for build and serve
        files.append(file)
    build_cache.begin_build(config, files, storing=not _State.failed)  # an error page's renders are not kept
    _State.kept = importlib.import_module("kb.published").kept_anchors()
    return files


# `mkdocs build` converts every page's Markdown before it writes any page, then keeps every page's
# HTML to the end. Under build, the Markdown is let go once converted, the HTML is held zlib-packed
# from its conversion until its page is rendered with the theme ("packed HTML": on_page_content →
# on_page_context, or on_env for the tags plugin's listing pages), and let go once written (serve
# keeps both for build_cache.py). At 10,000 records these were most of the build's memory.


@event_priority(-1000)
def on_page_markdown(markdown: str, page, config, files) -> str:
    # Read: the generated file's copy of the Markdown is not needed again (build only; MkDocs reads
    # a page's source once, and a second read would fail loudly, not silently).
    if not _State.serving and page.file.src_uri in _State.generated:
        page.file._content = None
    return markdown


@event_priority(-1000)
def on_page_content(html: str, page, config, files) -> str:
    if not _State.serving:
        page.markdown = ""  # not None: a page whose Markdown is None has no title (Page.title)
        # Kept packed until the page is written: zlib takes a page's HTML to about a fifth, and a
        # Python string of it takes one to two bytes a character (mkdocs_hooks: "packed HTML").
        _State.packed[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        return ""
    return html


def _unpack(page) -> None:
    packed = _State.packed.pop(page.file.src_uri, None)
    if packed is not None:
        page.content = zlib.decompress(packed).decode("utf-8")


@event_priority(1000)  # first: every plugin reads the page's HTML here (search, tags, the theme)
def on_page_context(context, page, config, nav):
    _unpack(page)
    return context


def on_nav(nav, config, files):
    build_cache.set_nav(nav)
    return nav


@event_priority(200)  # first: before the tags plugin renders its listings with the theme's templates
def on_env(env, config, files):
    tags = config.plugins.get("material/tags")
    for listing in getattr(tags, "listings", ()):  # the tags plugin writes its listings into the HTML now
        _unpack(listing.page)
    return build_cache.cached_templates(env)


# ---------------------------------------------------------------------- lighter pages
#
# Material indents its templates' output for reading: on a record page, a sixth of the bytes are the
# spaces that start lines. In HTML a run of white space between words or tags shows as one space,
# whatever its length, so a line's indentation and blank lines are dropped, except inside the
# elements that keep white space as written (<pre>, <textarea>) and inside <script> and <style>.

_KEEPS_SPACE = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")


def lighter(html: str) -> str:
    """The page without the indentation of its lines and without blank lines (see above)."""
    out, pos = [], 0
    for m in _KEEPS_SPACE.finditer(html):
        out += [_INDENT.sub("\n", html[pos : m.start()]), m.group()]
        pos = m.end()
    out.append(_INDENT.sub("\n", html[pos:]))
    return "".join(out)


@event_priority(-1000)  # last, after every other change to the page
def on_post_page(output: str, page, config) -> str:
    if not _State.serving:
        page.content = None  # written: let it go (see on_page_content)
    # an anchor of the URL manifest that an edit emptied stays on its generated page (not on the page
    # of errors that stands in for it while the data has errors: nothing is gone, the page is not built)
    if page.file.generated_by is not None and _State.kept and not _State.failed:
        output = importlib.import_module("kb.published").keep_anchors(page.file.dest_uri, output, _State.kept)
    return lighter(output)


# ---------------------------------------------------------------------- no request to another host
#
# The site must work from a folder opened with file:// and make no request to any other host. After
# every build (strict or not) the built HTML, SVG and CSS, and the search index (search results show
# its text as HTML), are scanned for what the browser would fetch by itself from a URL with a host
# (`scheme://…` or `//…`):
#   - attributes that load something: src, href, xlink:href, data, srcset/imagesrcset, poster,
#     background, ping, manifest, codebase, on any element (<link>, <script>, <img>, <iframe>,
#     <object>, <embed>, SVG's <use> and <image>, <?xml-stylesheet?>, …), except href and xlink:href
#     on <a> and <area>, links the reader follows, and <link rel="canonical"> and other <link>s that
#     only name a page (rel among _NOT_FETCHED_RELS; "alternate stylesheet" is fetched): no request;
#   - url(…) and @import in CSS files, in <style> elements and in attributes (style="…", SVG's
#     fill="url(…)" and the like).
# Namespace URIs (xmlns=…) and plain text are not requests. Minified JS is not scanned (the theme's
# bundle holds URL strings for features this site does not use); the two features that would make
# it fetch are caught where they are switched on instead: a <pre class="mermaid"> diagram (mermaid
# comes from unpkg) and repo_url in mkdocs.yml (repository facts come from GitHub's or GitLab's
# API). Every hit is listed, then the build fails.

_SLASHES = re.compile("//")  # a URL with a host has them: scheme://host or //host
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:\Z")  # right before the slashes, if any
_HOSTED = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.\-]*:)?//")
_NAME_REVERSED = re.compile(r"[\w:.\-]+")  # an attribute's name, read backwards from its "="
_SRCSET = re.compile(r"""srcset\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_TAG = re.compile(r"<[?!]?([A-Za-z][\w:.\-]*)")
_URL_END = re.compile(r"""["'\s>)]""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LOADING_ATTRS = frozenset(
    {"src", "href", "xlink:href", "data", "poster", "background", "ping", "manifest", "codebase"}
)
_NAVIGATION = frozenset({"a", "area"})
# <link rel=…> the browser does not fetch: it only names a page (the canonical URL from site_url…).
_NOT_FETCHED_RELS = frozenset(
    {"canonical", "alternate", "author", "license", "me", "next", "prev", "help", "bookmark", "edit",
     "shortlink"}
)
_REL = re.compile(r"""\brel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
_MAY_PRECEDE = frozenset("\"'=( \t\n\r\f")  # what can stand right before a fetched URL
_XMLNS = ('xmlns="http:', "xmlns='http:")  # a namespace's name, not something to fetch
_SCANNED = (".html", ".htm", ".svg", ".css")
_MERMAID_URL = "https://unpkg.com/mermaid (the theme loads it)"
_PRE_CLASS = re.compile(r"""<pre\b[^>]*?\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)


def _url_at(text: str, start: int) -> str:
    end = _URL_END.search(text, start)
    return text[start : end.start() if end else len(text)]


def _before(text: str, pos: int) -> tuple[str, str]:
    """What stands right before the URL at pos when it is fetched: ("url()" or "@import", "") in
    CSS, ("", attribute name) in a tag, else ("", "")."""
    head = text[max(0, pos - 64) : pos].rstrip()
    if head.endswith(('"', "'")):
        head = head[:-1].rstrip()
    if head.endswith("url("):
        return "url()", ""
    if head.endswith("@import"):
        return "@import", ""
    if head.endswith("="):
        name = _NAME_REVERSED.match(head[:-1].rstrip()[::-1])
        return "", name.group()[::-1] if name else ""
    return "", ""


def _link_rels(text: str, lt: int) -> set[str]:
    """The rel keywords of the <link> tag starting at lt (an empty rel is fetched: not exempt)."""
    end = text.find(">", lt)
    match = _REL.search(text, lt, end if end >= 0 else len(text))
    value = (match.group(1) or match.group(2) or match.group(3) or "") if match else ""
    return set(value.lower().split()) or {"?"}


def _tag_at(text: str, lt: int) -> str:
    match = _TAG.match(text, lt)
    return match.group(1).lower().rpartition(":")[2] if match else "?"


def external_references(text: str, css: bool = False) -> list[tuple[str, str]]:
    """(what, url) for every reference in a page or an SVG (or, with css=True, a stylesheet) that
    would make the browser request another host, in the order they appear."""
    hits: list[tuple[int, str, str]] = []
    if not css and "mermaid" in text:  # the theme would load mermaid from unpkg to draw it
        for m in _PRE_CLASS.finditer(text):
            if "mermaid" in (m.group(1) or m.group(2) or m.group(3) or "").split():
                hits.append((m.start(), '<pre class="mermaid">', _MERMAID_URL))
    if "//" not in text:
        return [(what, url) for _, what, url in hits]
    if css:
        text = _CSS_COMMENT.sub("", text)
    for m in _SLASHES.finditer(text):  # a literal search: far faster than one for the scheme too
        pos = m.start()
        if text.endswith(_XMLNS, 0, pos):  # every inline SVG icon has one: skip it cheaply
            continue
        if text.endswith("https:", 0, pos):  # find where the URL starts: its scheme, if any
            pos -= 6
        elif text.endswith("http:", 0, pos):
            pos -= 5
        elif text[pos - 1 : pos] == ":":
            scheme = _SCHEME.search(text, max(0, pos - 24), pos)
            pos = scheme.start() if scheme else pos
        if text[pos - 1 : pos] not in _MAY_PRECEDE:  # cheap: e.g. ">https://" in text is no request
            continue
        what, attr = _before(text, pos)
        if not (what or attr):
            continue
        if css:
            if what:
                hits.append((pos, "url()" if what.startswith("url") else what, _url_at(text, pos)))
            continue
        lt, gt = text.rfind("<", 0, pos), text.rfind(">", 0, pos)
        in_tag = lt > gt
        if what:  # CSS inside the page: in an attribute or a <style> element
            if in_tag or text.rfind("<style", 0, pos) > text.rfind("</style", 0, pos):
                hits.append((pos, "url()" if what.startswith("url") else what, _url_at(text, pos)))
            continue
        if not in_tag:
            continue
        attr, tag = attr.lower(), _tag_at(text, lt)
        if attr not in _LOADING_ATTRS or (attr.endswith("href") and tag in _NAVIGATION):
            continue
        if tag == "link" and attr == "href" and _link_rels(text, lt) <= _NOT_FETCHED_RELS:
            continue
        hits.append((pos, f"<{tag} {attr}>", _url_at(text, pos)))
    if not css and "srcset" in text:
        for m in _SRCSET.finditer(text):
            lt = text.rfind("<", 0, m.start())
            if lt < text.rfind(">", 0, m.start()):
                continue
            for candidate in (m.group(1) or m.group(2) or "").split(","):
                url = candidate.strip().split(" ")[0]
                if _HOSTED.match(url):
                    hits.append((m.start(), f"<{_tag_at(text, lt)} srcset>", url))
    return [(what, url) for _, what, url in sorted(hits)]


def scan_site(site: Path) -> tuple[int, list[str]]:
    """How many files were scanned, and one line per reference to another host: file, what, URL."""
    problems, scanned = [], 0
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            if suffix not in _SCANNED:
                continue
            scanned += 1
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for what, url in external_references(text, css=suffix == ".css"):
                problems.append(f"{Path(path).relative_to(site).as_posix()}: {what} {url}")
    # the search index: Material's (search/search_index.json, "docs") or Zensical's (search.json, "items")
    for rel, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        index = site / rel
        if not index.is_file():
            continue
        scanned += 1
        # Material's one document at a time (21 MB at 10,000 records); Zensical's whole (its own format)
        docs = site_search.read_index(index)[1] if key == "docs" else json.loads(index.read_text(encoding="utf-8")).get(key, [])
        for doc in docs:
            for field in ("title", "text"):
                for what, url in external_references(str(doc.get(field) or "")):
                    problems.append(f"{rel} ({doc.get('location')}, {field}): {what} {url}")
    return scanned, problems


def check_offline(site: Path, repo_url: str | None = None) -> int:
    """The offline scan of a built site, for either engine (``scripts/build.py`` calls it after a
    Zensical build): how many files were scanned; RuntimeError listing every reference to another
    host, if any."""
    scanned, problems = scan_site(site)
    if repo_url:
        problems.append(f"mkdocs.yml: repo_url {repo_url} (the theme asks its API for facts)")
    if problems:
        raise RuntimeError(
            f"the built site would make the browser request another host ({len(problems)} reference(s)); "
            "it must work offline, so every asset must be in docs/ (see scripts/vendor_assets.py):\n  "
            + "\n  ".join(problems)
        )
    return scanned


@event_priority(-200)  # last: after every plugin's post_build (offline inlines the index at -100)
def on_post_build(config) -> None:
    started = time.perf_counter()
    try:
        scanned = check_offline(Path(config.site_dir), config.repo_url)
    except RuntimeError as err:
        raise PluginError(str(err)) from None
    elapsed = (time.perf_counter() - started) * 1000
    log.info("offline check: %d files, no request to another host (%.0f ms)", scanned, elapsed)
    site = Path(config.site_dir)
    site_search.empty_box_index(site)
    if _State.serving and _State.failed:
        # every generated page is the page of errors: nothing to index (a new user's trial saw the
        # index written after such a build); the next good build is indexed as usual
        log.info("search: not indexed while the data has errors")
    elif _State.serving:
        # the dev server reloads the browser now; Pagefind follows in the background
        if _State.search is None:
            _State.search = site_search.Background(log)
        _State.search.request(site)
    else:
        started = time.perf_counter()
        try:
            site_search.run_pagefind(site)
        except RuntimeError as err:
            raise PluginError(str(err)) from None
        log.info("search: Pagefind index written (%.0f ms)", (time.perf_counter() - started) * 1000)
    if _State.serving:
        hits = build_cache.stats()
        log.info("knowledge base: reused from the last build: %d Markdown renders, %d pages, %d search entries",
                 hits.get("markdown", 0), hits.get("pages", 0), hits.get("search", 0))
