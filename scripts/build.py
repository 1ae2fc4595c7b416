#!/usr/bin/env python3
"""Build (or serve) the site with either engine: MkDocs + Material, or Zensical.

    python scripts/build.py                        # MkDocs + Material (mkdocs.yml): as `mkdocs build --strict`
    python scripts/build.py --engine zensical      # Zensical 0.0.73 (zensical.toml)
    python scripts/build.py --engine zensical --serve   # Zensical's dev server; data edits regenerate pages
    python scripts/build.py --engine mkdocs --serve     # exactly `mkdocs serve`

A build is: generate → engine → the same post-build steps, each a function shared by both engines.

* **mkdocs**: `mkdocs build --strict`. Its hooks (mkdocs.yml) do the generating (pages in memory),
  the theme fixes (``theme_fixes.fix_html`` per page), the offline scan
  (``mkdocs_hooks.check_offline``) and the search index (``site_search.finish``: Pagefind).
* **zensical**: ``knowledge_base.py generate`` writes the pages into docs/ (only changed files),
  then `zensical build --strict`, then on the written site: ``theme_fixes.fix_site``,
  ``kb.published.keep_site`` (the manifest's anchors an edit emptied, as the MkDocs hook keeps them) and
  ``mkdocs_hooks.check_offline`` (Zensical's search index, search.json, included). The search
  indexes are Zensical's own, written by its build: search.json (served) and search.js (file://),
  both read by the site's worker (docs/assets/search/worker.js, set by scripts/overrides/main.html);
  no Pagefind, which Zensical's dialog cannot use (README, "Two engines").
* then, for both: ``link_check.check_links`` (every link and anchor of every page and embedded SVG)
  and the published URL manifest (``kb.published.missing``: nothing in tests/published-urls.txt is
  gone). ``--no-check`` skips these two (about half a minute on the real data).

Exit code 0 when the site was built and passed, 1 otherwise (every problem printed).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ENGINES = ("mkdocs", "zensical")
CONFIG = {"mkdocs": "mkdocs.yml", "zensical": "zensical.toml"}


def say(message: str) -> None:
    print(f"build: {message}", file=sys.stderr, flush=True)


def generate(root: Path) -> bool:
    """``knowledge_base.py generate`` in root (a subprocess: under --serve, an edit to the generator
    is picked up by the next run); False when the data has errors (printed)."""
    done = subprocess.run([sys.executable, str(root / "scripts" / "knowledge_base.py"), "generate"], cwd=root)
    return done.returncode == 0


def engine_build(engine: str, root: Path, clean: bool = False) -> bool:
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    else:
        command = [sys.executable, "-m", "zensical", "build", "--strict", "-f", CONFIG[engine]]
        if clean:
            command.append("--clean")
    return subprocess.run(command, cwd=root).returncode == 0


def post_build(engine: str, site: Path) -> list[str]:
    """What mkdocs.yml's hooks do after a MkDocs build, for an engine that runs no hooks; the problems."""
    if engine == "mkdocs":
        return []  # done by the hooks, in the build
    import mkdocs_hooks  # the offline scanner (needs only mkdocs' modules, installed beside)
    import theme_fixes

    try:
        fixed = theme_fixes.fix_site(site)
        say(f"theme fixes: {fixed} pages")
        from kb import published, writer

        kept = published.keep_site(site, writer.read_manifest(site.parent / "docs"))  # site: root/site
        say(f"published anchors kept: {kept} pages")
        scanned = mkdocs_hooks.check_offline(site)
        say(f"offline check: {scanned} files, no request to another host")
    except (theme_fixes.ThemeMarkupChanged, RuntimeError) as err:
        return [str(err)]
    return []


def check(site: Path) -> list[str]:
    """The link and anchor check and the published URL manifest, on a built site; the problems."""
    from kb import published
    from link_check import check_links

    started = time.perf_counter()
    counts, problems = check_links(site)
    say(f"link check: {counts['pages']} pages, {counts['svgs']} SVGs, {counts['links']} links "
        f"({counts['anchors']} with an anchor), {len(problems)} broken ({time.perf_counter() - started:.1f} s)")
    lost = published.missing(published.read_manifest(), site)
    problems += [f"published URL gone without a redirect: {line}" for line in lost]
    if lost:
        problems.append(published.advice(lost, site.parent / "docs"))
    return problems


def build(engine: str, root: Path, checks: bool = True, clean: bool = False) -> int:
    started = time.perf_counter()
    if engine != "mkdocs" and not generate(root):
        say("the data has errors; nothing was built")
        return 1
    if not engine_build(engine, root, clean=clean):
        say(f"{engine} build failed")
        return 1
    site = root / "site"
    problems = post_build(engine, site)
    if not problems and checks:
        problems = check(site)
    for line in problems:
        print(line, file=sys.stderr)
    say(f"{engine}: {'FAILED' if problems else 'built'} in {time.perf_counter() - started:.1f} s: {site}")
    return 1 if problems else 0


# ----------------------------------------------------------------------------------- serving


# Zensical's server writes the site it serves here, not into site/: the build command's checked
# site stays as it was (a new user's trial: serving replaced site/ with pages that had not had
# the theme fixes, which a later publish of site/ would have carried). Zensical takes paths from
# its configuration file's folder, and refuses a docs_dir outside it, so the server reads a copy
# of zensical.toml beside it that differs in site_dir alone (removed when the server stops).
SERVE_SITE = ".cache/zensical-serve"
SERVE_CONFIG = ".zensical-serve.toml"


def _serve_config(root: Path) -> Path:
    """Write ``SERVE_CONFIG``: zensical.toml with ``site_dir = SERVE_SITE``; its path. ValueError
    when zensical.toml has no ``site_dir = ...`` line to replace."""
    text = (root / CONFIG["zensical"]).read_text(encoding="utf-8")
    served, count = re.subn(r'(?m)^site_dir\s*=.*$', f'site_dir = "{SERVE_SITE}"', text)
    if count != 1:
        raise ValueError(f"{CONFIG['zensical']}: expected one site_dir = ... line, found {count}")
    path = root / SERVE_CONFIG
    path.write_text(f"# Written by scripts/build.py --serve from {CONFIG['zensical']}; removed when it stops.\n{served}",
                    encoding="utf-8")
    return path


def _pages(docs: Path) -> set[str]:
    return {path.relative_to(docs).as_posix() for path in docs.rglob("*.md")}


def _keep_replacing_files(docs: Path, site: Path, before: set[str], stop: threading.Event, window: float = 20.0) -> None:
    """A page that a generate removed and replaced by a file at its address (a renamed record's
    redirect: ``claims/old.md`` gone, ``claims/old.html`` written): Zensical's server copies the new
    file, then removes the removed page's output, the same file, so the old address answered 404
    (a new user's trial). For ``window`` seconds, whenever that file is missing from the served
    site, write it again in docs/ so that the server copies it again."""
    replacing = [rel[:-3] + ".html" for rel in before
                 if not (docs / rel).exists() and (docs / (rel[:-3] + ".html")).is_file()]
    if not replacing:
        return
    deadline = time.monotonic() + window
    while replacing and time.monotonic() < deadline and not stop.is_set():
        for rel in replacing:
            source = docs / rel
            if not (site / rel).exists() and source.is_file():  # (a later generate may have removed it)
                source.write_bytes(source.read_bytes())  # the same bytes: a new time alone is no change to the server
        stop.wait(1.0)


def _watch_and_generate(root: Path, stop: threading.Event) -> None:
    """Regenerate docs/ whenever something under data/ or scripts/kb/ changes (saves within half
    a second run one generate); Zensical's server sees the changed pages in docs/ and rebuilds them
    (``_keep_replacing_files`` mends what it loses of a rename)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    changed = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            path = str(getattr(event, "dest_path", "") or event.src_path)
            if "__pycache__" in path or os.path.basename(path).startswith((".", "~")) or event.event_type in ("opened", "closed_no_write"):
                return
            changed.set()

    observer = Observer()
    for folder in (root / "data", root / "scripts" / "kb"):
        observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    try:
        while not stop.is_set():
            if not changed.wait(0.5):
                continue
            time.sleep(0.5)  # let an editor finish writing
            changed.clear()
            started = time.perf_counter()
            before = _pages(root / "docs")
            if generate(root):
                say(f"regenerated docs/ in {time.perf_counter() - started:.1f} s")
                threading.Thread(target=_keep_replacing_files, daemon=True,
                                 args=(root / "docs", root / SERVE_SITE, before, stop)).start()
            else:
                say("the data has errors (above); the pages served are the last good ones")
    finally:
        observer.stop()
        observer.join()


def serve(engine: str, root: Path, dev_addr: str | None) -> int:
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "serve"] + (["-a", dev_addr] if dev_addr else [])
        return subprocess.run(command, cwd=root).returncode
    if not generate(root):
        say("the data has errors; fix them and run again")
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_and_generate, args=(root, stop), daemon=True)
    watcher.start()
    config = _serve_config(root)
    say(f"serving the pages it builds from {SERVE_SITE}/ (site/ keeps the last checked build)")
    command = [sys.executable, "-m", "zensical", "serve", "-f", config.name] + (["-a", dev_addr] if dev_addr else [])
    server = subprocess.Popen(command, cwd=root)
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())  # stopping this stops the server too
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()
    finally:
        stop.set()
        watcher.join(timeout=5)
        config.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs")
    parser.add_argument("--serve", action="store_true", help="serve with the engine's dev server instead")
    parser.add_argument("-a", "--dev-addr", help="serve: IP:PORT (default 127.0.0.1:8000)")
    parser.add_argument("--no-check", action="store_true", help="skip the link/anchor check and the URL manifest")
    parser.add_argument("--clean", action="store_true", help="zensical: build without its cache (.cache/)")
    args = parser.parse_args(argv)
    root = HERE.parent
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if args.serve:
        return serve(args.engine, root, args.dev_addr)
    return build(args.engine, root, checks=not args.no_check, clean=args.clean)


if __name__ == "__main__":
    sys.exit(main())
