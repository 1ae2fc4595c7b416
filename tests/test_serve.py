"""`mkdocs serve` as an editor uses it: each save to data/, a template or the generator's code costs
exactly one rebuild and shows up in the served pages; the served site then equals a clean
`mkdocs build` of the same files, byte for byte; a data error is shown in the terminal and in the
browser, and fixing it recovers without a restart."""

from __future__ import annotations

import gzip
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import MINI, make_project, mkdocs

WAIT = 180  # seconds: a limit for a busy 2-core machine; every wait ends when its condition holds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, project: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line.rstrip())

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.log))

    # MkDocs drops a build log message it has logged before ("Documentation built in 1.96
    # seconds" after an earlier build of the same length), so builds are counted by the dev
    # server's own timestamped lines: one "Detected file changes" before each rebuild, one
    # "Reloading browsers" after each one that succeeds.
    def builds(self) -> int:
        """Rebuilds started so far (a failed one counts too: it is still a rebuild)."""
        return self.count("Detected file changes")

    def busy(self) -> bool:
        """A rebuild has started and not finished (or failed) yet."""
        done = self.count("Reloading browsers") + self.count("An error happened during the rebuild")
        return self.builds() > done

    def full_log(self) -> str:
        return "server log:\n" + "\n".join(self.log)

    def get_bytes(self, path: str) -> bytes | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.read()
        except OSError:
            return None

    def get(self, path: str) -> str | None:
        body = self.get_bytes(path)
        return None if body is None else body.decode("utf-8")

    def wait_for(self, path: str, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            body = self.get(path)
            if body and text in body:
                return body
            time.sleep(0.3)
        raise AssertionError(f"{text!r} never appeared at {path}; " + self.full_log())

    def settle(self, quiet: float = 4.0) -> int:
        """Wait until no build is running and none has started for `quiet` seconds; return the
        number of builds started so far."""
        deadline = time.monotonic() + WAIT
        lines, since = len(self.log), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if len(self.log) != lines or self.busy():
                lines, since = len(self.log), time.monotonic()
            elif time.monotonic() - since >= quiet:
                return self.builds()
        raise AssertionError("serve kept rebuilding; " + self.full_log())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def serve_project(tmp_path: Path) -> tuple[Path, int]:
    """A scratch copy of the mini project whose site_url is the address it will be served at, so
    that a clean build of it writes the same canonical links and permalinks as the server."""
    project = make_project(tmp_path / "proj", MINI)
    port = free_port()
    config = project / "mkdocs.yml"
    lines = [f"site_url: http://127.0.0.1:{port}/" if line.startswith("site_url:") else line
             for line in config.read_text(encoding="utf-8").splitlines()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project, port


@pytest.fixture
def served(tmp_path: Path):
    project, port = serve_project(tmp_path)
    srv = Server(project, port)
    try:
        yield srv, project
    finally:
        srv.stop()


def write(path: Path, text: str) -> None:
    """Save ``path`` as one file-system event, as editors that save by renaming do: written beside
    the project (outside the watched folders), then moved into place. ``write_text`` truncates and
    then writes: on a loaded machine the two were once more than MkDocs' 0.1 s debounce apart, and
    one save made two rebuilds (the watcher's doing, not the build's)."""
    project = next(p for p in path.parents if (p / "mkdocs.yml").is_file())
    staged = project.parent / f".{path.name}.saving"
    staged.write_text(text, encoding="utf-8")
    staged.replace(path)


def save(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    write(path, text.replace(old, new, 1))


def one_rebuild(server: "Server", before: int, path: str, text: str) -> int:
    """Wait for `text` at `path`, then for the server to settle; exactly one rebuild since `before`."""
    server.wait_for(path, text)
    after = server.settle()
    assert after - before == 1, f"{after - before} rebuilds for one save; " + server.full_log()
    return after


_LIVERELOAD = re.compile(rb"<script>\s*var livereload = function\(.*?</script>(?=</body>)", re.DOTALL)


def differences(server: "Server", site: Path) -> list[str]:
    """Every file of a clean build that the server does not serve byte for byte the same (the
    dev server's livereload script taken out of HTML; compressed files compared uncompressed)."""
    out = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        served = server.get_bytes("/" + rel)
        built = path.read_bytes()
        if served is None:
            out.append(f"{rel}: not served")
            continue
        if rel.endswith(".html"):
            served = _LIVERELOAD.sub(b"", served)
        if rel.endswith(".gz"):
            served, built = gzip.decompress(served), gzip.decompress(built)
        if served != built:
            out.append(f"{rel}: differs\n" + first_difference(built, served))
    return out


def first_difference(built: bytes, served: bytes, width: int = 160) -> str:
    at = next((i for i, (a, b) in enumerate(zip(built, served)) if a != b), min(len(built), len(served)))
    show = lambda b: b[max(0, at - width // 2): at + width // 2].decode("utf-8", "replace")  # noqa: E731
    return f"  at byte {at}:\n  built:  {show(built)!r}\n  served: {show(served)!r}"


def reused(server: "Server") -> tuple[int, int]:
    """The Markdown renders and theme pages the last build reused from the one before
    (``build_cache``), from its log line."""
    line = [line for line in server.log if "reused from the last build:" in line][-1]
    found = re.search(r"(\d+) Markdown renders, (\d+) pages", line)
    assert found, line
    return int(found[1]), int(found[2])


def test_each_save_is_one_rebuild_and_the_served_site_equals_a_clean_build(served, tmp_path: Path):
    server, project = served
    server.wait_for("/actors/land-a.html", "Land A")
    builds = server.settle()
    actors, claims = project / "data/actors/actors.yaml", project / "data/claims/one.yaml"

    # a record's name: its page, and every page that links to it or lists it
    save(actors, "name: Land A", "name: Land Alpha")
    builds = one_rebuild(server, builds, "/actors/land-a.html", "Land Alpha")
    # a claim's paraphrase
    save(claims, "The first article counts ten agreements.", "The first article counts ten signed agreements.")
    builds = one_rebuild(server, builds, "/claims/one-count.html", "ten signed agreements")
    # a new claim answering an existing question: a new page, the question's table and status
    write(claims, claims.read_text(encoding="utf-8") + (
        "- id: one-count-again\n  name: Ten agreements, again\n  source: src-one\n  kind: figure\n"
        "  excerpt: \"ten agreements were signed\"\n  paraphrase: The count is repeated.\n"
        "  about: [the-visit]\n  questions: [how-many]\n  value: 10\n  unit: agreements\n"
    ))
    builds = one_rebuild(server, builds, "/questions/how-many.html", "Ten agreements, again")
    # ... renders again in MkDocs only what the new page changes: the pages that do not link to it
    # are reused (before, a new file made every page's Markdown and HTML render again)
    markdown, pages = reused(server)
    assert markdown > 0 and pages > 0, server.full_log()
    # a template
    template = project / "scripts/kb/templates/place.md.j2"
    save(template, "| Coordinates basis |", "| Where the coordinates come from |")
    builds = one_rebuild(server, builds, "/places/port-b.html", "Where the coordinates come from")
    # the generator's code: it is loaded again, no restart
    reloads = server.count("the generator was loaded again")
    render = project / "scripts/kb/render.py"
    save(render, '"January", "February"', '"January", "Feb."')
    builds = one_rebuild(server, builds, "/index.html", "Feb.")
    assert server.count("the generator was loaded again") == reloads + 1, server.full_log()
    # a hand-written page
    save(project / "docs/about.md", "# ", "# Reading: ")
    builds = one_rebuild(server, builds, "/about.html", "Reading: ")

    assert not server.count("An error happened during the rebuild"), server.full_log()
    assert not server.count("Traceback"), server.full_log()
    assert not [p for p in (project / "docs").rglob("*") if p.is_file() and ".generated" in p.name], "serve wrote into docs/"

    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site", "__pycache__"))
    result = mkdocs(clean, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    found = differences(server, clean / "site")
    assert found == [], "\n".join(found)


def test_a_data_error_shows_in_the_terminal_and_the_browser_and_fixing_it_recovers(served):
    """...and the page of errors does not list the page's published anchors as "gone since the
    records changed" (a new user's trial: nothing was gone, the page was not built)."""
    server, project = served
    manifest = project / "tests/published-urls.txt"  # an anchor the data decides, published on the page
    manifest.parent.mkdir(exist_ok=True)
    manifest.write_text("actors/land-a.html\nactors/land-a.html#two-count\n", encoding="utf-8")
    assert 'id="two-count"' in server.wait_for("/actors/land-a.html", "Land A")
    builds = server.settle()
    data = project / "data/actors/actors.yaml"
    good = data.read_text(encoding="utf-8")
    write(data, good.replace("name: Land A", "name: Land Alpha\n  name: twice"))
    # the page is replaced by the located errors, not held until the next good build
    body = server.wait_for("/actors/land-a.html", "The data has errors")
    where = "data/actors/actors.yaml:7:3: record &#x27;land-a&#x27;, field &#x27;name&#x27;"
    assert where in body or where.replace("&#x27;", "'") in body, body
    assert any(line.startswith("data/actors/actors.yaml:7:3: record 'land-a', field 'name'") for line in server.log), server.full_log()
    assert "Once on this page" not in body and "two-count" not in body, body
    builds = server.settle()
    assert not server.count("Traceback"), server.full_log()
    assert server.count("search: not indexed while the data has errors"), server.full_log()  # pages of errors
    standing_in = reused(server)  # the hand-written pages only: every generated one is an error page
    write(data, good.replace("name: Land A", "name: Land Beta"))
    one_rebuild(server, builds, "/actors/land-a.html", "Land Beta")
    assert "The data has errors" not in server.get("/actors/land-a.html")
    # the error pages' renders were not kept: the pages the fix leaves as they were before the
    # error are reused, not converted again (before, the first good save was a full rebuild)
    markdown, pages = reused(server)
    assert markdown > standing_in[0] and pages > standing_in[1], server.full_log()


def test_a_warning_does_not_stop_the_server(served):
    """A broken link in a hand-written page is a warning, and mkdocs.yml is strict: MkDocs' server
    then served nothing until it was fixed, every request waiting ("The server will appear stuck
    until build errors are resolved"). Under serve the page is served with the warning in the
    terminal, and the fix is one more rebuild; `mkdocs build` still fails on it."""
    server, project = served
    server.wait_for("/about.html", "About")
    builds = server.settle()
    about = project / "docs/about.md"
    good = about.read_text(encoding="utf-8")
    write(about, good + "\nSee [the lost page](nowhere.md).\n")
    builds = one_rebuild(server, builds, "/about.html", "the lost page")
    assert server.count("nowhere.md"), server.full_log()
    assert not server.count("An error happened during the rebuild"), server.full_log()
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0 and "nowhere.md" in result.stdout + result.stderr, result.stdout + result.stderr
    write(about, good.replace("# ", "# Reading: ", 1))
    one_rebuild(server, builds, "/about.html", "Reading: ")


def test_a_change_to_the_hook_says_a_restart_is_needed(served):
    server, project = served
    server.wait_for("/actors/land-a.html", "Land A")
    builds = server.settle()
    hook = project / "scripts/mkdocs_hooks.py"
    write(hook, hook.read_text(encoding="utf-8") + "\n# edited\n")
    deadline = time.monotonic() + WAIT
    while not server.count("run `bash scripts/serve.sh` again"):
        assert time.monotonic() < deadline, server.full_log()
        time.sleep(0.3)
    assert server.settle() - builds == 1, server.full_log()


def test_the_server_prunes_the_cache_when_it_starts(tmp_path: Path, monkeypatch):
    """Under serve nothing runs `generate`, so the hook prunes the generator's cache itself when it
    loads the generator: an entry unused for longer than KB_CACHE_DAYS is gone after the first
    build, a fresh one stays."""
    import sqlite3

    from kb import cache

    project, port = serve_project(tmp_path)
    store = project / ".cache" / "kb" / cache.STORE
    monkeypatch.setenv("KB_CACHE_DIR", str(store.parent))  # the project's own cache, as its server has it
    real_now = cache._now
    monkeypatch.setattr(cache, "_now", lambda: 0)  # last used in 1970
    cache.write("svg", "stale", b"\0")
    monkeypatch.setattr(cache, "_now", real_now)
    cache.write("svg", "fresh", b"\0")
    cache.close()
    monkeypatch.delenv("KB_CACHE_DIR")
    server = Server(project, port)
    try:
        server.wait_for("/index.html", "</html>")
        server.settle()
        with sqlite3.connect(store) as conn:
            keys = {key for (key,) in conn.execute("SELECT key FROM entry WHERE kind = 'svg'")}
        conn.close()
        assert "stale" not in keys and "fresh" in keys, server.full_log()
    finally:
        server.stop()


def test_a_kept_markdown_render_holds_while_its_links_resolve_as_before():
    """A page's kept render is keyed on what its links resolved to, not on every file: a file added
    elsewhere keeps it; its link target gone, moved or newly there does not."""
    import build_cache

    class Found:
        def __init__(self, src_uri: str, url: str) -> None:
            self.src_uri, self.url, self.inclusion = src_uri, url, "INCLUDED"

    class Files:
        def __init__(self, *files: Found) -> None:
            self.by_path = {f.src_uri: f for f in files}

        def get_file_from_path(self, path: str):
            return self.by_path.get(path)

        def __iter__(self):
            return iter(self.by_path.values())

    before = Files(Found("actors/a.md", "actors/a.html"))
    lookups = build_cache._Lookups(before)
    lookups.get_file_from_path("actors/a.md")
    lookups.get_file_from_path("actors/b.md")  # a link to a page not (yet) there
    assert not lookups.everything
    kept = ("the files then", lookups.looked_up)

    def same(files: Files) -> bool:
        return build_cache._same_lookups(kept, "the files now", files)

    assert same(Files(Found("actors/a.md", "actors/a.html"), Found("claims/new.md", "claims/new.html")))
    assert not same(Files())  # its target gone
    assert not same(Files(Found("actors/a.md", "actors/a/index.html")))  # moved
    assert not same(Files(Found("actors/a.md", "actors/a.html"), Found("actors/b.md", "actors/b.html")))
    assert build_cache._same_lookups(kept, "the files then", Files())  # the same files: not looked up again
    list(lookups)  # anything else read off the files: keyed on all of them
    assert lookups.everything


def test_the_theme_is_found_not_to_read_every_page_and_a_template_that_does_is():
    """Whether a page's HTML must be keyed on every file: only when a page template reads ``pages``
    (Material's and the overrides' do not; ``nav.pages`` is the navigation's own, keyed apart)."""
    from jinja2 import DictLoader, Environment
    from mkdocs.config import load_config

    import build_cache

    config = load_config(str(Path(__file__).resolve().parents[1] / "mkdocs.yml"))
    assert build_cache._theme_reads_pages(config.theme.get_env(), "the theme") is False
    templates = {
        "reads.html": "{% for p in pages %}{{ p.title }}{% endfor %}",
        "nav.html": "{% if page in nav_item.pages %}{{ nav.pages | length }}{% endif %}",
        "broken.html": "{% for %}",
    }
    for name, expected in (("reads.html", True), ("nav.html", False), ("broken.html", True)):
        env = Environment(loader=DictLoader({name: templates[name]}))
        assert build_cache._theme_reads_pages(env, name) is expected, name
