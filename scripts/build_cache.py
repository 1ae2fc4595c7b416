"""Under `mkdocs serve`: reuse MkDocs' own work for pages whose inputs did not change.

A rebuild after an edit renders again, in the generator, only the pages the edit touches
(``kb/incremental.py``); MkDocs, though, converts every page's Markdown, renders every page
through the theme and indexes every page for search, every time. That is most of a rebuild. This
module keeps the result of each of those three steps per page, with everything it was computed
from, and reuses it when all of that is the same:

* **Markdown → HTML** (``Page.render``): the page's Markdown, its source and destination paths,
  the configuration, and what each link on it resolved to: every file the render looked up
  (``Files.get_file_from_path``) must be found again with the same address and inclusion, or
  still be missing (``_Lookups``). So adding a record, whose page is a new file, renders again
  only the pages that link to it, not every page (on the real data a new claim showed after 4.6 s;
  before, after 21 s, a full rebuild). A render that logged a warning is never kept, so every
  warning is seen again on the next build.
* **page → HTML file** (the theme's ``main.html``): the page's HTML, table of contents, title,
  metadata, address, its place in the navigation, the navigation itself, the tags the tags plugin
  gives it, every other value in the template context, and the configuration; and the set of all
  files only if a theme template reads ``pages`` (every page of the site), which neither Material
  nor the overrides do (``_theme_reads_pages``).
* **page → search entries** (Material's ``SearchIndex.add_entry_from_context``): the page's
  HTML, table of contents, title, metadata and address.

"The configuration" is ``mkdocs.yml`` and every file of the theme overrides, compared by content.
One entry is kept per page (its last inputs and result), so memory is bounded by the site.
``mkdocs build`` does not use any of it (:func:`enable` is called with ``serve`` only), so a
clean build is the reference: ``tests/test_serve.py`` checks that the served site equals it,
byte for byte, after a sequence of edits.
"""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

from kb.cache import digest as _digest  # the generator's digest: one way of keying in the project
from kb.render import MemoryBytecodeCache
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page


class _Cache:
    def __init__(self) -> None:
        self.markdown: dict[str, tuple[Any, Any]] = {}
        self.pages: dict[str, tuple[Any, str]] = {}
        self.search: dict[str, tuple[Any, list[dict[str, Any]]]] = {}
        self.config_key = ""
        self.files_key = ""
        self.pages_in_key = True  # whether a page's HTML is keyed on every file (``_theme_reads_pages``)
        self.storing = True  # whether this build's results are kept (``begin_build``)
        self.nav_key = ""
        self.hits = {"markdown": 0, "pages": 0, "search": 0}


_active: _Cache | None = None


def enable(on: bool) -> None:
    """Turn the caches on (serve) or off (build); turning them off forgets everything."""
    global _active
    _active = _Cache() if on else None


def begin_build(config: Any, files: Any, storing: bool = True) -> None:
    """Called once the build's files are known (after on_files). ``storing`` False: this build's
    results are used but not kept, for a build whose pages stand in for the real ones (the data's
    error page under serve), so the first good build after the fix finds the pages of the last good
    one instead of rendering every page again."""
    if _active is None:
        return
    _active.storing = storing
    parts: list[Any] = [Path(config.config_file_path).read_bytes()]
    custom = config.theme.custom_dir
    if custom:
        for path in sorted(Path(custom).rglob("*")):
            if path.is_file():
                parts += [path.as_posix(), path.read_bytes()]
    _active.config_key = _digest(*parts)
    _active.files_key = _digest(*sorted(f"{f.src_uri}\0{f.dest_uri}" for f in files))
    _active.hits = dict.fromkeys(_active.hits, 0)


def _nav_item(item: Any) -> Any:
    children = getattr(item, "children", None)
    return (type(item).__name__, item.title, getattr(item, "url", None), [_nav_item(c) for c in children or []])


def set_nav(nav: Any) -> None:
    if _active is not None:
        _active.nav_key = _digest(repr([_nav_item(i) for i in nav.items]))


def stats() -> dict[str, int]:
    return dict(_active.hits) if _active else {}


# --------------------------------------------------------------------------- Markdown → HTML

_original_render = Page.render


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _Lookups:
    """The build's ``Files`` as one page's render sees it, recording what the render asked of it.

    MkDocs resolves a page's links with ``get_file_from_path`` (``_RelativePathTreeprocessor``),
    and what it writes depends only on the file found (its address, whether it is excluded) or on
    there being none. ``looked_up`` is each path asked, with ``_found``'s answer. Anything else
    read off the files (another method, iterating them) sets ``everything``: that render is then
    keyed on the set of all files, as every render was before."""

    def __init__(self, files: Any) -> None:
        self._files = files
        self.looked_up: dict[str, Any] = {}
        self.everything = False

    def get_file_from_path(self, path: str) -> Any:
        file = self._files.get_file_from_path(path)
        self.looked_up[path] = _found(file)
        return file

    def __getattr__(self, attr: str) -> Any:
        self.everything = True
        return getattr(self._files, attr)

    def __iter__(self) -> Any:
        self.everything = True
        return iter(self._files)

    def __len__(self) -> int:
        self.everything = True
        return len(self._files)


def _found(file: Any) -> Any:
    """What a link's render depends on in the file it resolved to: None, or its source, address
    and inclusion."""
    return None if file is None else (file.src_uri, file.url, str(file.inclusion))


def _same_lookups(kept: tuple[str, dict[str, Any] | None], files_key: str, files: Any) -> bool:
    """Whether every path a kept render looked up resolves as it did then. ``kept`` is the set of
    files it was rendered with (``files_key``) and its lookups (None: it was keyed on every file
    instead, and ``files_key`` in its key decides); with the same files, nothing is looked up again."""
    rendered_with, looked_up = kept
    if looked_up is None or rendered_with == files_key:
        return True
    return all(_found(files.get_file_from_path(path)) == was for path, was in looked_up.items())


def _render(self: Page, config: Any, files: Any) -> None:
    cache = _active
    if cache is None:
        return _original_render(self, config, files)
    key = (self.file.dest_uri, self.markdown, cache.config_key)
    hit = cache.markdown.get(self.file.src_uri)
    if hit is not None and hit[0] in (key, key + (cache.files_key,)) and _same_lookups(hit[2], cache.files_key, files):
        content, toc, title, anchors, links = hit[1]
        # a copy: plugins change a page's toc in place (the tags plugin puts its listings in it)
        self.content, self.toc, self._title_from_render = content, copy.deepcopy(toc), title
        self.present_anchor_ids = set(anchors)
        if links is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): dict(found) for uri, found in links.items()}
        cache.hits["markdown"] += 1
        return None
    counter = _Counter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    lookups = _Lookups(files)
    try:
        _original_render(self, config, lookups)
    finally:
        logger.removeHandler(counter)
    if counter.count:
        cache.markdown.pop(self.file.src_uri, None)
        return None
    if not cache.storing:
        return None
    links = getattr(self, "links_to_anchors", None)
    if lookups.everything:
        key, looked_up = key + (cache.files_key,), None
    else:
        looked_up = lookups.looked_up
    cache.markdown[self.file.src_uri] = (key, (
        self.content, copy.deepcopy(self.toc), self._title_from_render, frozenset(self.present_anchor_ids or ()),
        None if links is None else {f.src_uri: dict(found) for f, found in links.items()},
    ), (cache.files_key, looked_up))
    return None


Page.render = _render  # type: ignore[method-assign]


# --------------------------------------------------------------------------- page → HTML file

_SIMPLE = (str, int, float, bool, type(None))


def _context_value(name: str, value: Any) -> Any:
    """What a template context value contributes to the page's key; None when it cannot be told."""
    if name in ("nav", "config", "pages", "page"):
        return ""  # nav_key, config_key, files_key and the page's own fields stand for these
    if name == "build_date_utc":
        return ""  # the theme prints no build date (sitemap.xml, which does, is not cached)
    if isinstance(value, _SIMPLE):
        return value
    if isinstance(value, (list, tuple)):
        return [str(v) if not isinstance(v, _SIMPLE) else v for v in value]
    if name == "tags":  # the tags plugin's references: each tag's fields and its links to listings
        return json.dumps(
            [({k: v for k, v in vars(t).items() if k != "links"}, [vars(link) for link in t.links]) for t in value],
            sort_keys=True, default=str,
        )
    return None


def _page_key(name: str, context: Any) -> str | None:
    page = context["page"]
    parts: list[Any] = [
        name, page.file.src_uri, page.url, page.canonical_url, page.edit_url, page.content, str(page.toc),
        page.title, json.dumps(page.meta, sort_keys=True, default=str), page.is_homepage,
        [(a.title, getattr(a, "url", None)) for a in page.ancestors],
        [(p.title, p.url) if p else None for p in (page.previous_page, page.next_page)],
        _active.nav_key, _active.files_key if _active.pages_in_key else "", _active.config_key,
    ]
    for key in sorted(context.keys()):
        value = _context_value(key, context[key])
        if value is None and context[key] is not None:
            return None  # something unknown in the context: do not cache this page
        parts += [key, value]
    return _digest(*parts)


class _CachedTemplate:
    def __init__(self, template: Any, name: str) -> None:
        self._template, self._name = template, name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._template, attr)

    def render(self, *args: Any, **kwargs: Any) -> str:
        cache = _active
        context = args[0] if args and not kwargs else None
        page = context.get("page") if isinstance(context, dict) else None
        if cache is None or page is None or getattr(page, "file", None) is None:
            return self._template.render(*args, **kwargs)
        key = _page_key(self._name, context)
        hit = cache.pages.get(page.file.src_uri)
        if key is not None and hit is not None and hit[0] == key:
            cache.hits["pages"] += 1
            return hit[1]
        output = self._template.render(context)
        if key is not None and cache.storing:
            cache.pages[page.file.src_uri] = (key, output)
        return output


_COMPILED = MemoryBytecodeCache()  # the theme's templates, compiled once per process (checksummed)


def cached_templates(env: Any) -> Any:
    """The Jinja environment, its page templates wrapped so that an unchanged page is reused, and
    its compiled templates kept for the next build."""
    if _active is None:
        return env
    _active.pages_in_key = _theme_reads_pages(env, _active.config_key)
    if getattr(env, "_kb_cached", False):
        return env
    env.bytecode_cache = _COMPILED
    original = env.get_template

    def get_template(name: Any, *args: Any, **kwargs: Any) -> Any:
        template = original(name, *args, **kwargs)
        return _CachedTemplate(template, str(name)) if isinstance(name, str) and name.endswith(".html") else template

    env.get_template = get_template
    env._kb_cached = True
    return env


_READS_PAGES: dict[str, bool] = {}  # configuration key → whether a theme template reads ``pages``


def _theme_reads_pages(env: Any, config_key: str) -> bool:
    """Whether any of the theme's page templates (the overrides included) reads a variable named
    ``pages``, such as the context's list of every page of the site, which changes with every
    record added: any load of that name in a template's syntax tree (Jinja's parser), a local
    variable of that name included, so the answer errs towards keying on every file. Once per
    configuration; a template that cannot be read or parsed counts as reading it."""
    if config_key not in _READS_PAGES:
        from jinja2 import nodes

        def reads(name: str) -> bool:
            try:
                tree = env.parse(env.loader.get_source(env, name)[0])
            except Exception:
                return True
            return any(node.name == "pages" and node.ctx == "load" for node in tree.find_all(nodes.Name))

        _READS_PAGES[config_key] = any(reads(name) for name in env.list_templates() if name.endswith(".html"))
    return _READS_PAGES[config_key]


# --------------------------------------------------------------------------- search entries

_original_add = SearchIndex.add_entry_from_context


def _add_entry(self: SearchIndex, page: Any) -> None:
    cache = _active
    if cache is None:
        return _original_add(self, page)
    key = _digest(page.url, page.content, str(page.toc), page.title, json.dumps(page.meta, sort_keys=True, default=str), json.dumps(self.config, sort_keys=True, default=str))
    hit = cache.search.get(page.file.src_uri)
    if hit is not None and hit[0] == key:
        self.entries.extend(dict(entry) for entry in hit[1])
        cache.hits["search"] += 1
        return None
    before = len(self.entries)
    _original_add(self, page)
    if cache.storing:
        cache.search[page.file.src_uri] = (key, [dict(entry) for entry in self.entries[before:]])
    return None


SearchIndex.add_entry_from_context = _add_entry  # type: ignore[method-assign]
