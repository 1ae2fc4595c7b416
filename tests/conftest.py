"""Shared fixtures: the real project, scratch copies of it, and the generator run as users run it.

Verdicts that do not depend on the machine
------------------------------------------
The suite runs on developers' machines and on a fresh CI machine (2 cores, perhaps busy with other
work), with whatever fonts, locale and time zone Debian gives it. A verdict must be the same on
every one of them, so:

* **Text read back from a browser or a PDF is compared through** :func:`plain`: Unicode
  compatibility normalisation (NFKC), so a ligature the machine's fonts form ("ﬁ", U+FB01) reads
  as "fi" and a no-break space as a space, then whitespace folded to single spaces (line breaks
  depend on the fonts' metrics).
* **Every wait in a browser waits on a condition** (an element, a URL, a load state) with one
  generous limit, :data:`BUSY_MS`, sized for a loaded 2-core machine: a quiet machine is not slowed,
  since a wait ends as soon as its condition holds. No test sleeps for a fixed time; polling loops
  (``tests/test_serve.py``) poll a condition until a deadline. Contexts come from
  :func:`new_context`, which sets that limit on every action and navigation.
* **Nothing reads the clock, the locale or the time zone to decide a verdict.** The generator
  itself formats dates from the data (no ``strftime`` of the local time), Hypothesis runs without
  its per-example deadline and without a database, and timings measured in tests are printed for a
  human, never asserted (speed targets live in ``scripts/benchmark.py``, as ratios measured in one run).
* **What is installed is set up by ``scripts/test.sh``**, never assumed: Debian's chromium, a Java
  runtime and npm, pinned Python packages; tests that need the article texts in ``../shared/sources``
  skip with the reason where they are absent.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
MINI = ROOT / "tests" / "fixtures" / "mini"

sys.path.insert(0, str(SCRIPTS))

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Scratch copies of the project live elsewhere, where mkdocs.yml's ../shared/sources is not: point
# them at the article texts, so that their builds check excerpts as the real project's do.
if SHARED_SOURCES.is_dir():
    os.environ.setdefault("KB_SOURCES_DIR", str(SHARED_SOURCES))


def hand_written_docs() -> list[Path]:
    """The committed pages and assets under docs/ (everything the generator does not own)."""
    out = subprocess.run(
        ["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / p for p in out]


def make_project(dest: Path, data: Path | None = None) -> Path:
    """A scratch copy of the project (config, scripts, hand-written docs) with the given data. With
    the project's own data, its published URL manifest too, as the project has it: a build then
    keeps the anchors a correction of the data empties (``kb.published.keep_anchors``) and
    ``validate`` checks that no published record page has lost its record. Other data has its own
    pages, which the manifest does not list."""
    dest.mkdir(parents=True, exist_ok=True)
    if data is None:
        (dest / "tests").mkdir(exist_ok=True)
        shutil.copy(ROOT / "tests" / "published-urls.txt", dest / "tests" / "published-urls.txt")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(ROOT / "zensical.toml", dest / "zensical.toml")
    shutil.copytree(SCRIPTS, dest / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    for path in hand_written_docs():
        target = dest / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    shutil.copytree(data or ROOT / "data", dest / "data")
    return dest


def site_markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    """The site's Markdown extensions, read from mkdocs.yml: (names, {name: options})."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


def run(args: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, **kw)


def kb_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "scripts/knowledge_base.py", *args], cwd)


def mkdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "mkdocs", *args], cwd)


# ------------------------------------------------------------------------- two processes (xdist)

SITE_FIXTURES = ("built_site", "zensical_site", "engine_site")


def _uses(item, *fixtures: str) -> bool:
    """Whether a test uses any of ``fixtures`` (directly or through another fixture)."""
    return any(name in getattr(item, "fixturenames", ()) for name in fixtures)


def pytest_collection_modifyitems(config, items) -> None:
    """The suite runs in one process per CPU (pytest-xdist, ``-n auto --dist loadfile
    --no-loadscope-reorder`` in pytest.ini): each file's tests go together to whichever process
    is free (its module's fixtures made once), in the order collected here (not the most tests
    first, xdist's default), and the files whose tests read the real site built come last, so
    that the two builds of it (one per engine, ``SiteBuild``), shared by both processes, run
    while the other files' tests do; of those, the files that check both engines' sites first.
    ``-n 0`` runs everything in this process, in the same order.

    Before, the files were grouped with ``--dist loadgroup`` and ``xdist_group`` marks, which
    pytest 9.2 silently ignores (pytest-xdist 3.8.0 writes the group into ``item._nodeid``, which
    pytest no longer reads: pytest-dev/pytest-xdist#1386, open): each process ran part of each
    file and built both sites itself (the README's test command: 781 s, each process 765 s of
    tests)."""
    def file(item) -> str:
        return item.nodeid.partition("::")[0]

    late = {file(item) for item in items if _uses(item, *SITE_FIXTURES)}
    both = {file(item) for item in items if _uses(item, "engine_site")}
    # stable: each file's tests in their order; of the late files, those that check both engines'
    # sites (the gates, the longest file) first, so the run does not end with one process on them
    items.sort(key=lambda item: (file(item) in late, file(item) not in both))


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """The generator run in this process (``from kb import ...``) keeps its cache (``kb/cache.py``)
    in a folder of this test session, empty at its start, instead of the repository's own
    ``.cache/kb/``: a second run of the suite starts from the same state as the first (a fresh
    clone's), and the tests leave nothing in the repository. Copies of the project run in a child
    process (``make_project``) keep theirs in their own ``.cache/kb/`` as before; a test that sets
    ``KB_CACHE_DIR`` still chooses its own."""
    from kb import cache

    cache.close()
    original, cache.ROOT = cache.ROOT, tmp_path_factory.mktemp("generator-cache")
    yield
    cache.close()
    cache.ROOT = original


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", MINI)


@pytest.fixture(scope="session")
def real_kb():
    from kb.pipeline import load

    return load()


def shared_folder(tmp_path_factory) -> Path:
    """A folder of this test run that every test process sees: under pytest-xdist, the parent of
    the processes' own temporary folders (one per run); in one process, its own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# Runs a build in the background and, when it ends, writes its exit status to `status` (written
# whole, then renamed), which any process can wait for.
_RUN_AND_RECORD = """
import os, subprocess, sys
with open("build.log", "wb") as log:
    code = subprocess.call(sys.argv[1:], stdout=log, stderr=subprocess.STDOUT)
with open("status.tmp", "w") as out:
    out.write(str(code))
os.replace("status.tmp", "status")
"""


class SiteBuild:
    """One build of the real site per engine per test run, shared by every test process: the
    first process to ask starts both engines' builds in the background, each in a scratch copy of
    the project in :func:`shared_folder` (a file lock, ``filelock``, decides who starts them), and
    every process waits for the one it needs (its exit status, written when it ends). The builds
    start when a process's session starts, while both processes run the files that need no site
    (``pytest_collection_modifyitems`` puts those first). The process that started them waits for
    them before its session ends, so none is stopped while another process waits for it.

    MkDocs: ``mkdocs build --strict``; Zensical: ``scripts/build.py --engine zensical --no-check``
    (the link check and the URL manifest are the gates' own tests)."""

    COMMANDS = {
        "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict"],
        "zensical": [sys.executable, "scripts/build.py", "--engine", "zensical", "--no-check"],
    }
    WAIT_S = 1800  # a limit for a very busy machine: a build takes well under a minute on 2 idle cores
    started: list[subprocess.Popen] = []  # the builds this process started

    def __init__(self, tmp_path_factory, engine: str) -> None:
        self.engine, self.factory = engine, tmp_path_factory
        self.shared = shared_folder(tmp_path_factory)
        self.proj = self.shared / f"site-{engine}" / "proj"

    @classmethod
    def start_all(cls, tmp_path_factory, engines) -> None:
        from filelock import FileLock

        shared = shared_folder(tmp_path_factory)
        with FileLock(str(shared / "site-builds.lock")):
            for engine in engines:
                build = cls(tmp_path_factory, engine)
                if build.proj.parent.exists():
                    continue  # started by this process or another
                make_project(build.proj)
                proc = subprocess.Popen([sys.executable, "-c", _RUN_AND_RECORD, *cls.COMMANDS[engine]], cwd=build.proj)
                (build.proj / "pid").write_text(str(proc.pid))
                cls.started.append(proc)
                atexit.register(lambda proc=proc: proc.poll() is None and proc.kill())  # a run cut short

    def site(self) -> Path:
        """The built site, once the build has ended (waiting for it); fails with its log if it failed."""
        import time

        self.start_all(self.factory, [self.engine])  # started already, unless no test asked for it at the start
        status, pid = self.proj / "status", self.proj / "pid"
        deadline = time.monotonic() + self.WAIT_S
        while not status.exists():  # a condition polled until a deadline
            assert time.monotonic() < deadline, f"the {self.engine} build of the real site did not end in {self.WAIT_S} s"
            assert status.exists() or not pid.exists() or _alive(int(pid.read_text())), \
                f"the {self.engine} build of the real site was stopped before it ended"
            time.sleep(0.2)
        log = (self.proj / "build.log").read_text(encoding="utf-8", errors="replace")
        assert status.read_text() == "0", f"the {self.engine} build of the real site failed:\n{log[-6000:]}"
        return self.proj / "site"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (neither gone nor ended and not yet waited for)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except ProcessLookupError:
        return False
    except OSError:  # no /proc (not Linux): it answered the signal
        return True
    return state != "Z"


def _session_needs(request, *fixtures: str) -> bool:
    return any(_uses(item, *fixtures) for item in request.session.items)


@pytest.fixture(scope="session", autouse=True)
def _site_builds(tmp_path_factory, request):
    """Both engines' builds of the real site started as this session starts, when any of its tests
    reads one (``SiteBuild``)."""
    engines = [e for e, fixtures in (("mkdocs", ("built_site", "engine_site")), ("zensical", ("zensical_site", "engine_site")))
               if _session_needs(request, *fixtures)]
    if engines:
        SiteBuild.start_all(tmp_path_factory, engines)
    yield
    for proc in SiteBuild.started:
        proc.wait()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real data, built with `mkdocs build --strict` in a scratch copy of the project (``SiteBuild``)."""
    return SiteBuild(tmp_path_factory, "mkdocs").site()


ENGINES = ("mkdocs", "zensical")


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The real data, built with Zensical as users build it (`scripts/build.py --engine zensical`:
    generate, `zensical build --strict`, theme fixes, offline scan) in a scratch copy of the
    project; built beside the MkDocs build (``SiteBuild``)."""
    return SiteBuild(tmp_path_factory, "zensical").site()


@pytest.fixture(scope="session", params=ENGINES)
def engine_site(request) -> Path:
    """The real site built by each engine in turn: `built_site` (MkDocs + Material), then
    `zensical_site`. Each is built once per session; gates taking this run on both."""
    return request.getfixturevalue("built_site" if request.param == "mkdocs" else "zensical_site")


def engine_of(site: Path) -> str:
    """Which engine built a site of these fixtures."""
    return "zensical" if (site / "search.json").is_file() else "mkdocs"


# ----------------------------------------------------------------------------- browser helpers

CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium (scripts/test.sh installs it); never a downloaded one
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium():
    """Debian's chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    """A built site served over http on a free local port; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


# One limit for every browser wait (milliseconds). Waits end when their condition holds, so this only
# decides how long a busy machine may take before a test fails: minutes, not Playwright's 30 s.
BUSY_MS = 180_000


def plain(text: str) -> str:
    """Text as a reader sees it, independent of the machine's fonts: NFKC-normalised (ligatures such
    as U+FB01 "ﬁ" become "fi", no-break spaces become spaces) and whitespace folded to one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def new_context(browser, **options):
    """A browser context whose every action, wait and navigation may take up to BUSY_MS."""
    context = browser.new_context(**options)
    context.set_default_timeout(BUSY_MS)
    context.set_default_navigation_timeout(BUSY_MS)
    return context


needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed: scripts/test.sh installs it"
)


@pytest.fixture(scope="session")
def browser():
    """One chromium for the whole run, shared by the browser tests."""
    with chromium() as browser:
        yield browser
