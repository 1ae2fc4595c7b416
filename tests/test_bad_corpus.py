"""The bad data corpus: every file in tests/bad_data/ holds one mistake. Copied into a built project,
each must stop `validate`, `generate` and `mkdocs build` with a non-zero exit, no traceback, and a
one-screen report whose error line names file:line:column (and record and field where there is
one), and must leave docs/ and site/ byte for byte (and mtime for mtime) as they were.

The manifest tests/bad_data/cases.yaml gives, per file: the data folder it goes into, how its
error line starts, and words the line must contain. The very large files are generated here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import MINI, kb_cli, make_project, mkdocs

BAD = Path(__file__).resolve().parent / "bad_data"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
# A subprocess costs a second or two (mkdocs build more): the command line and mkdocs build run on a
# representative few; validate and generate run on every case, in process.
SUBPROCESS_TOO = {"alias-bomb.yaml", "non-utf8.yaml", "duplicate-id-across-files", "empty.yaml", "figure-no-unit.yaml"}
SCREEN_LINES, SCREEN_WIDTH = 25, 300


def snapshot(project: Path) -> dict[str, tuple[bytes, int]]:
    out = {}
    for folder in ("docs", "site"):
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                out[path.relative_to(project).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, tuple[bytes, int]]]:
    project = make_project(tmp_path_factory.mktemp("bad-corpus") / "proj", MINI)
    for result in (kb_cli(project, "generate"), mkdocs(project, "build", "--strict")):
        assert result.returncode == 0, result.stdout + result.stderr
    return project, snapshot(project)


def test_the_corpus_is_complete():
    on_disk = {p.name for p in BAD.iterdir() if p.name != "cases.yaml"}
    assert on_disk == {c["file"] for c in CASES}
    assert len(CASES) >= 30


def in_process(project: Path, command: str, capsys, monkeypatch) -> tuple[int, str]:
    """The command line's main() run in this process (a subprocess costs a second of imports);
    an exception escaping it fails the test just as a traceback would."""
    from knowledge_base import main

    monkeypatch.chdir(project)
    capsys.readouterr()
    code = main([command, "--data", "data", "--docs", "docs"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def check_rejected(project: Path, before: dict, expect: str, words: list[str], subprocesses: bool,
                   capsys, monkeypatch) -> None:
    """validate and generate in this process; with subprocesses, also both as users run them, and
    mkdocs build."""
    runs = {f"{c} (in process)": (lambda c=c: in_process(project, c, capsys, monkeypatch))
            for c in ("validate", "generate")}
    if subprocesses:
        for c in ("validate", "generate"):
            runs[c] = lambda c=c: (lambda r: (r.returncode, r.stdout + r.stderr))(kb_cli(project, c))
        runs["mkdocs build"] = lambda: (lambda r: (r.returncode, r.stdout + r.stderr))(
            mkdocs(project, "build", "--strict"))
    for name, run in runs.items():
        code, output = run()
        assert code != 0, f"{name} succeeded:\n{output}"
        assert "Traceback" not in output, f"{name}:\n{output}"
        hits = [line for line in output.splitlines() if expect in line]
        assert hits, f"{name}: no line with {expect!r}:\n{output}"
        assert any(line.lstrip().startswith(expect) and all(w in line for w in words) for line in hits), (
            f"{name}: expected {words} in:\n" + "\n".join(hits)
        )
        lines = output.strip().splitlines()
        assert len(lines) <= SCREEN_LINES, f"{name}: {len(lines)} lines:\n{output}"
        assert all(len(line) <= SCREEN_WIDTH for line in lines), f"{name}: a line is too long:\n{output}"
    assert snapshot(project) == before, "docs/ or site/ changed"


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_is_rejected_and_nothing_changes(built, case, capsys, monkeypatch):
    project, before = built
    source, dest = BAD / case["file"], project / "data" / case["folder"] / case["file"]
    if source.is_dir():
        shutil.copytree(source, dest)
    else:
        shutil.copy(source, dest)
    try:
        check_rejected(project, before, case["expect"], case["words"], case["file"] in SUBPROCESS_TOO,
                       capsys, monkeypatch)
    finally:
        shutil.rmtree(dest) if dest.is_dir() else dest.unlink()


GOOD = "- id: p-{i}\n  name: Person number {i}\n  kind: person\n  sources: [src-one]\n"


def test_a_large_file_with_one_bad_record_near_its_end(built, capsys, monkeypatch):
    """Over 5 MB (5,000 records, one of them with 5 MB of notes) and one bad record near the end:
    found, at its line."""
    project, before = built
    n = 5_000
    text = "".join(GOOD.format(i=i) for i in range(n))
    text += GOOD.format(i=n) + "  notes: " + "lorem ipsum " * 420_000 + "\n"
    bad_line = text.count("\n") + 3
    text += GOOD.format(i=n + 1).replace("kind: person", "kind: wizard")
    text += "".join(GOOD.format(i=i) for i in range(n + 2, n + 10))
    dest = project / "data" / "actors" / "large.yaml"
    dest.write_text(text, encoding="utf-8")
    assert dest.stat().st_size > 5_000_000
    try:
        check_rejected(project, before, f"data/actors/large.yaml:{bad_line}:9: record 'p-{n + 1}', field 'kind':",
                       ["'wizard' is not a term of the vocabulary 'actor-kinds'"], True, capsys, monkeypatch)
    finally:
        dest.unlink()


def test_a_file_over_the_size_limit_is_refused_before_parsing(built, capsys, monkeypatch):
    from kb.loader import MAX_FILE_BYTES

    project, before = built
    dest = project / "data" / "actors" / "huge.yaml"
    # one huge scalar: the loader must not even read it
    with dest.open("w", encoding="utf-8") as f:
        f.write("- id: huge\n  name: Huge\n  kind: person\n  sources: [src-one]\n  notes: ")
        f.write("x" * (MAX_FILE_BYTES + 1000) + "\n")
    try:
        check_rejected(project, before, "data/actors/huge.yaml:1:1:", ["over the limit of 20 MB"], True,
                       capsys, monkeypatch)
    finally:
        dest.unlink()
