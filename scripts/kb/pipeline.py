"""The one-way flow: load (with line marks) → validate → model (with reverse links) → render → write."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from . import loader
from .errors import DataError, DataErrors, ErrorLog
from .evidence import SourceTexts, sources_dir
from .model import KnowledgeBase, build_model
from .render import Renderer
from .validate import PUBLISHED, Parsed, load_and_validate
from .writer import MANIFEST, HandWrittenConflict, Staging, WriteReport

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    root: Path = ROOT
    data: Path = ROOT / "data"
    docs: Path = ROOT / "docs"


_TEXTS: dict[Path, SourceTexts] = {}  # source texts read once per process (and file version)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off inside the block, and as it was after it.

    Loading allocates objects by the hundred thousand and frees few, and the collector, which runs
    after every 700 net allocations, walked them again and again: at 10,000 records ``load`` ran
    about 1,400 collections, 8 or 9 of them over everything, and took 2.8-3.6 s; paused, 1.5-2.3 s
    (five runs of each, alternating, machine otherwise idle), and a full collection just after
    found 11 objects to free. Only reference cycles wait: every other object is still freed as
    soon as nothing holds it, and the cycles made inside the block go at the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(paths: Paths = Paths()) -> KnowledgeBase:
    """Validate the data (excerpts against the source texts included) and build the model; raise
    DataErrors with every problem found. Warnings (texts not found) are on ``kb.warnings``. The
    garbage collector is paused meanwhile (``collector_paused``)."""
    log = ErrorLog()
    folder = sources_dir(paths.root, project_config(paths.root).get("sources_dir"))
    texts = _TEXTS.setdefault(folder, SourceTexts(folder))
    with collector_paused():
        parsed = load_and_validate(paths.data, paths.root, log, texts)
        if log:
            raise DataErrors(log)
        kb = build_model(parsed, log.checked_texts)
    kb.warnings = list(log.warnings) + stale_descriptions(kb, parsed)
    return kb


def stale_descriptions(kb: KnowledgeBase, parsed: list[Parsed]) -> list[str]:
    """A warning at each question's ``description`` that names a source whose every answer to the
    question is withdrawn (``KnowledgeBase.stale_names``): the description is the editors' text,
    and the status beside it no longer counts that source. file:line:col, record, field."""
    where = {p.id: p for p in parsed if p.type.name == "question"}
    out = []
    for question in kb.all("question"):
        names = kb.stale_names(question)
        if not names or question.id not in where:
            continue
        p = where[question.id]
        line, col = p.mark(("description",))
        said = ", ".join(f"'{name}'" + ("" if written.casefold() == name.casefold().removeprefix("the ")
                                          else f" (written '{written}')") for name, written in names)
        out.append(str(DataError(p.file, line, col, question.id, "description",
                                 f"names {said}, whose every answer to this question is withdrawn: re-read it")))
    return out


def _mkdocs_yml(root: Path) -> dict:
    try:
        import yaml

        class _Loader(yaml.SafeLoader):  # mkdocs.yml may carry !!python/name tags: ignore them
            pass

        _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
        return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    except FileNotFoundError:
        return {}


def project_config(root: Path) -> dict[str, str]:
    """The project's settings for the generator, from mkdocs.yml's ``extra`` (``sources_dir``)."""
    extra = _mkdocs_yml(root).get("extra") or {}
    return {"sources_dir": extra.get("sources_dir")} if isinstance(extra, dict) else {}


def site_config(root: Path) -> dict[str, str]:
    """The site's name and published address from mkdocs.yml (for titles and permalinks)."""
    config = _mkdocs_yml(root)
    return {"site_name": config.get("site_name") or "Knowledge base", "site_url": config.get("site_url") or ""}


def render(kb: KnowledgeBase, paths: Paths = Paths()) -> dict[str, str]:
    return Renderer(kb, **site_config(paths.root)).pages()


def _input_stats(paths: Paths) -> tuple[tuple[str, ...], list[tuple[str, int, int, int, int]]]:
    """What a `generate` reads besides the generator's own files, as ``make`` sees it: the folders
    it reads (data/, the source texts, named by their resolved paths) and every file and folder in
    them (relative path, size, modification and change times in ns, inode), mkdocs.yml, and the
    published manifest (``validate.check_published``: a record page listed there must keep its record)."""
    folder = sources_dir(paths.root, project_config(paths.root).get("sources_dir"))
    roots = (str(paths.data.resolve()), str(folder), str((paths.root / "mkdocs.yml").resolve()),
             str((paths.root / PUBLISHED).resolve()))
    out: list[tuple[str, int, int, int, int]] = []

    def visit(where: str, label: str) -> None:
        try:
            entries = sorted(os.scandir(where), key=lambda e: e.name)
        except NotADirectoryError:
            st = os.stat(where)
            out.append((label, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
            return
        except OSError:
            out.append((label, -1, 0, 0, 0))  # not there (an absent sources folder is a warning)
            return
        for entry in entries:
            name = f"{label}/{entry.name}"
            if entry.is_dir(follow_symlinks=True):
                out.append((name + "/", 0, 0, 0, 0))
                visit(entry.path, name)
            else:
                try:
                    st = entry.stat(follow_symlinks=True)
                except OSError:
                    out.append((name, -1, 0, 0, 0))
                    continue
                out.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))

    for i, where in enumerate(roots):
        visit(where, str(i))
    return roots, out


def workers(count: int, costly: int = 0, records: int = 0) -> int:
    """How many processes render ``count`` units, ``costly`` of them views or the downloads, from a
    model of ``records`` records: ``KB_GENERATE_WORKERS`` if set (1: this process alone), else one
    per CPU when there are at least ``PARALLEL_FROM`` units (below, starting the workers costs more
    than it saves), or when at least two are costly units of a model of at least ``PARALLEL_FROM``
    records (each goes through every record: after one claim's edit at 10,000 records, 21 units of
    which 5 costly, a `generate` took 6.0-7.8 s with two workers, 7.6-9.7 s alone, three runs of
    each alternating; on the real data, 435 records, 1.14-1.21 s and 1.22-1.31 s), and never more
    than 4 (each holds its share of the model)."""
    setting = os.environ.get("KB_GENERATE_WORKERS")
    if setting:
        return max(1, int(setting))
    if not hasattr(os, "fork"):
        return 1
    if count < PARALLEL_FROM and (costly < 2 or records < PARALLEL_FROM):
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


PARALLEL_FROM = 400
_WORK: dict[str, Any] = {}  # what forked workers render from: set before they start, inherited by fork


def _encode(keys: frozenset, index: dict) -> tuple[bytes, frozenset]:
    """A unit's model keys as kept between runs: the numbers of those in ``index`` (every key of
    the model, from its signatures), sorted, as 4-byte integers, and the few others as they are.
    At 10,000 records, as sets of tuples unpickled from the workers one unit at a time, they took
    about 300 MB (the parent's peak went from 523 MB to 223 MB when they were kept so). The
    numbers are looked up with ``map`` (10,000 units of 140 keys: 0.6-0.8 s instead of 1.0-1.3 s)."""
    from array import array

    numbers = list(map(index.get, keys))  # None for a key the model does not number (rare)
    if None in numbers:
        return array("I", sorted(n for n in numbers if n is not None)).tobytes(), frozenset(k for k in keys if k not in index)
    return array("I", sorted(numbers)).tobytes(), frozenset()


def _decode(encoded: tuple[bytes, frozenset], key_list: list) -> frozenset:
    """The keys ``_encode`` encoded against ``index`` = the numbering of ``key_list``."""
    from array import array

    blob, others = encoded
    return frozenset(key_list[i] for i in array("I", blob)) | others


def _reads_any(encoded: tuple[bytes, frozenset], changed_numbers: set[int], changed: set) -> bool:
    from array import array

    blob, others = encoded
    return bool(others & changed) or (bool(changed_numbers) and not changed_numbers.isdisjoint(array("I", blob)))


def _render_some(names: list[str]) -> list[tuple[str, frozenset, dict[str, str]]]:
    """In a worker: render units by name, stage their files; each unit's keys and files' statuses."""
    from . import cache

    renderer, todo, staging, index = _WORK["renderer"], _WORK["todo"], _WORK["staging"], _WORK["index"]
    out = []
    with cache.batch():
        for name in names:
            files, keys = renderer.render_unit(todo[name])
            out.append((name, _encode(keys, index), {rel: staging.add(rel, text.encode("utf-8")) for rel, text in files.items()}))
    return out


def _render_all(
    renderer: Renderer, todo: dict[str, Callable[[], dict[str, str]]], staging: Staging, index: dict,
) -> dict[str, tuple[tuple[bytes, frozenset], dict[str, str]]]:
    """Render the units, staging each one's files as soon as it is rendered (``writer.Staging``):
    unit name → (model keys read, as ``_encode`` keeps them with ``index``, {path: "staged" |
    "unchanged" | "conflict"}).

    With more than one worker (``workers``), the units are rendered in forked processes, which
    share the loaded model with this one (copy-on-write) and each stage their own files; the
    costliest units (the views, the downloads) go first, the rest in chunks, so neither process
    waits on the other at the end. What a unit renders does not depend on the process: the same
    bytes as one process gives (``tests/test_generate.py``). An error in a worker is raised here
    with the worker's traceback, and nothing is published."""
    import multiprocessing

    heavy = [n for n in todo if n.startswith("views/") or n.endswith("/")]
    count = workers(len(todo), len(heavy), len(renderer.kb.nodes))
    if count <= 1:
        return {name: (keys, files) for name, keys, files in _serial(renderer, todo, staging, index)}
    for template in renderer.env.list_templates(extensions=["j2"]):  # compiled once, before forking
        renderer.env.get_template(template)
    costly = set(heavy)
    rest = [n for n in todo if n not in costly]
    chunk = max(1, min(64, len(rest) // (count * 8) or 1))
    batches = [[n] for n in heavy] + [rest[i : i + chunk] for i in range(0, len(rest), chunk)]
    import gc

    _WORK.update(renderer=renderer, todo=todo, staging=staging, index=index)
    try:
        gc.freeze()  # the model's objects stay where they are: the workers share its pages longer
        with multiprocessing.get_context("fork").Pool(count) as pool:
            done = {name: (keys, files) for batch in pool.imap_unordered(_render_some, batches)
                    for name, keys, files in batch}
    finally:
        _WORK.clear()
        gc.unfreeze()
    return {name: done[name] for name in todo}


def _serial(renderer: Renderer, todo: dict[str, Callable[[], dict[str, str]]], staging: Staging, index: dict):
    for name, unit in todo.items():
        files, keys = renderer.render_unit(unit)
        yield name, _encode(keys, index), {rel: staging.add(rel, text.encode("utf-8")) for rel, text in files.items()}


# An input changed less than this before a `generate` started may change again within the same
# tick of the file system's clock, unseen by its times ("racily clean", as git calls it): such a run
# keeps no fingerprint, so the next one loads the data.
_RACY_NS = 2_000_000_000


def generate(paths: Paths = Paths()) -> WriteReport:
    """Validate, render what changed since the last `generate` into the same docs/, and only then
    write it.

    **Nothing changed** (no file under data/ or the source texts, nor mkdocs.yml, nor the
    generator's code or templates, nor any file it wrote, by size and times, as ``make`` sees
    them; ``_input_stats``): nothing is loaded, rendered, read or written (at 10,000 records 1.0 s
    and 44 MB, most of it Python starting, instead of 10.9 s and 485 MB).

    Units to render are rendered by ``_render_all`` (in worker processes when there are many) and
    their files streamed to a staging folder (``writer.Staging``), published once all are rendered:
    the cold run at 10,000 records peaked at 234 MB in its largest process (633 MB when it held
    every page until the end).

    Otherwise the last run is kept in ``.cache/kb/generate/`` (``cache.py``): for every unit of
    output (a record's page with its maps and redirects, an index, a view, the downloads) the files
    it wrote, with their size and modification time, and the model keys it read
    (``tracking.py``), with a digest of each key's value. A unit none of whose keys changed, whose
    files are in docs/ as they were written, is neither rendered nor read nor written again;
    everything else is rendered, so the result is what a full render would write. The cache holds
    for one version of the generator (its code and templates) and one site configuration;
    otherwise everything is rendered. Every run that succeeds ends by pruning the cache of
    entries long unused (``cache.prune``)."""
    import pickle
    import time

    from . import cache
    from .tracking import changed_between, signatures

    started = time.time_ns()
    code = cache.code_version(*sorted(
        p.relative_to(Path(__file__).parent).as_posix() for p in Path(__file__).parent.rglob("*")
        if p.suffix in (".py", ".j2", ".json") and "__pycache__" not in p.parts
    ))
    config = site_config(paths.root)
    roots, inputs = _input_stats(paths)
    fingerprint = cache.digest("inputs", code, config, roots, inputs)
    docs_key = str(paths.docs.resolve())
    fast_key = cache.digest("generate-fast", docs_key)

    docs = os.fspath(paths.docs)

    def on_disk(stats: dict[str, tuple[int, int]]) -> bool:
        for rel, (size, mtime) in stats.items():
            try:
                st = os.stat(f"{docs}/{rel}")
            except OSError:
                return False
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
        return True

    try:
        fast = pickle.loads(cache.read("generate", fast_key) or b"")
        if fast["inputs"] == fingerprint and on_disk(fast["outputs"]):
            cache.prune()
            return WriteReport(unchanged=fast["count"], warnings=list(fast.get("warnings", ())))
    except Exception:  # no fingerprint, or an unreadable one: load the data
        pass

    kb = load(paths)
    loader.forget_parsed()  # a `generate` loads once: the parse trees (90 MB at 10,000 records) go now
    renderer = Renderer(kb, **config)
    sigs = signatures(kb)
    key = cache.digest("generate", docs_key)
    previous = None
    try:
        stored = pickle.loads(cache.read("generate", key) or b"")
        if stored["code"] == code and stored["config"] == config:
            previous = stored
    except Exception:  # no cache, or one from another version: render everything
        previous = None
    changed = changed_between(previous["signatures"], sigs) if previous else set()
    key_list = sorted(sigs)
    index = {k: i for i, k in enumerate(key_list)}
    old_index = {k: i for i, k in enumerate(previous["keys"])} if previous else {}
    changed_numbers = {old_index[k] for k in changed if k in old_index}

    kept: dict[str, tuple[int, int]] = {}
    units: dict[str, tuple[tuple[bytes, frozenset], dict[str, tuple[int, int]] | None]] = {}
    same_keys = previous is not None and previous["keys"] == key_list
    todo: dict[str, Callable[[], dict[str, str]]] = {}
    for name, unit in renderer.units().items():
        entry = previous["units"].get(name) if previous else None
        if entry is not None and entry[1] is not None and not _reads_any(entry[0], changed_numbers, changed) \
                and on_disk(entry[1]):
            kept.update(entry[1])
            units[name] = entry if same_keys else (_encode(_decode(entry[0], previous["keys"]), index), entry[1])
        else:
            units[name] = ((b"", frozenset()), None)  # its place in the order; filled in once rendered
            todo[name] = unit
    staging = Staging(paths.docs)
    try:
        rendered = _render_all(renderer, todo, staging, index)
    except BaseException:
        staging.discard()
        raise
    statuses = {rel: status for _keys, files in rendered.values() for rel, status in files.items()}
    conflicts = sorted(rel for rel, status in statuses.items() if status == "conflict")
    if conflicts:
        staging.discard()
        raise HandWrittenConflict(conflicts)
    staged = [rel for rel, status in statuses.items() if status == "staged"]
    report = staging.publish(staged, set(statuses) | set(kept), unchanged=len(kept) + len(statuses) - len(staged))
    report.warnings = list(kb.warnings)
    for name, (keys, files) in rendered.items():
        try:
            fresh = {rel: os.stat(f"{docs}/{rel}") for rel in files}
            units[name] = (keys, {rel: (st.st_size, st.st_mtime_ns) for rel, st in fresh.items()})
        except OSError:
            units[name] = (keys, None)
    state = {"code": code, "config": config, "signatures": sigs, "keys": key_list, "units": units}
    cache.write("generate", key, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    outputs: dict[str, tuple[int, int]] = {}
    for _keys, stats in units.values():
        if stats is None:
            outputs = {}
            break
        outputs.update(stats)
    racy = any(max(mtime, ctime) > started - _RACY_NS for _name, _size, mtime, ctime, _ino in inputs)
    if outputs and not racy:
        try:
            st = os.stat(paths.docs / MANIFEST)
            outputs[MANIFEST] = (st.st_size, st.st_mtime_ns)
            fast = {"inputs": fingerprint, "outputs": outputs, "count": report.unchanged + len(report.written),
                    "warnings": report.warnings}
            cache.write("generate", fast_key, pickle.dumps(fast, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
    cache.prune()
    return report
