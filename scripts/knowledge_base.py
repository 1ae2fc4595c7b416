#!/usr/bin/env python3
"""Validate the YAML under data/ and generate the site's Markdown pages under docs/.

    python scripts/knowledge_base.py validate   # check the data, write nothing
    python scripts/knowledge_base.py generate   # check, then write the pages that changed
    python scripts/knowledge_base.py schema     # rewrite the editors' JSON Schemas after a schema change
    python scripts/knowledge_base.py published  # after `mkdocs build`: add its URLs and anchors to
                                                # tests/published-urls.txt (never dropping one: with one
                                                # gone, list it and write nothing); --check: only list
    python scripts/knowledge_base.py rename OLD NEW  # rename a record: its id, every reference to it,
                                                     # and OLD kept in its former_ids (its pages redirect)

`mkdocs build` and `mkdocs serve` run `generate` themselves (see scripts/mkdocs_hooks.py);
run it by hand to feed the Markdown to another engine.
Exit codes: 0 success; 1 errors in the data (each printed as file:line:column), or a hand-written
page where a generated one goes; 2 usage; 3 the generator itself failed (a bug: its traceback is
printed), which `mkdocs build` (running this command in a child) tells apart from errors in the data.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb.errors import DataErrors  # noqa: E402
from kb.registry import BY_NAME  # noqa: E402
from kb.pipeline import Paths, generate, load, render  # noqa: E402
from kb.writer import HandWrittenConflict  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    # the whole docstring: what each command does (`published --help` said nothing of the check: a
    # new editor's trial)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["validate", "generate", "schema", "published", "rename"])
    parser.add_argument("ids", nargs="*", metavar="OLD NEW", help="rename: the record's id and its new one")
    parser.add_argument("--site", type=Path, default=Path("site"), help="built site (published; default: site/)")
    parser.add_argument("--check", action="store_true", help="published: report URLs that disappeared, write nothing")
    parser.add_argument("--data", type=Path, help="data folder (default: data/)")
    parser.add_argument("--docs", type=Path, help="docs folder to write into (default: docs/)")
    args = parser.parse_args(argv)
    defaults = Paths()
    paths = Paths(
        root=Path.cwd() if (args.data or args.docs) else defaults.root,
        data=(args.data or defaults.data).resolve(),
        docs=(args.docs or defaults.docs).resolve(),
    )
    if args.command != "rename" and args.ids:
        parser.error(f"{args.command} takes no ids")
    renamed = False
    if args.command == "rename":
        from kb.rename import RenameError, rename

        if len(args.ids) != 2:
            parser.error("rename takes two ids: the record's id and its new one")
        old, new = args.ids
        try:
            done = rename(paths.data, paths.root, old, new)
        except RenameError as exc:
            print(f"error: {exc}", file=sys.stderr)
            print("nothing was written", file=sys.stderr)
            return 1
        renamed = True
        print(f"renamed '{old}' to '{new}' in {done.record_file}, with '{old}' in its former_ids "
              "(its old pages redirect to the new ones)")
        for file, count in sorted(done.changed.items()):
            print(f"  {file}: {count} value(s) changed")
        args.command = "validate"  # and the data checked, as `validate` does
    if args.command == "published":
        from kb import published

        if not (args.site / "index.html").exists():
            print(f"error: no built site in {args.site}: run `mkdocs build` first", file=sys.stderr)
            return 2
        lines, lost = published.recorded(published.read_manifest(), args.site)
        for line in lost:
            print(f"gone without a redirect: {line}", file=sys.stderr)
        if lost:
            print(published.advice(lost, paths.docs), file=sys.stderr)
            if not args.check:
                print(f"nothing written: {published.MANIFEST.name} keeps every address it lists", file=sys.stderr)
            return 1
        if args.check:
            return 0
        published.MANIFEST.write_text(published.HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} URLs and anchors written to {published.MANIFEST.relative_to(Path.cwd()) if published.MANIFEST.is_relative_to(Path.cwd()) else published.MANIFEST}")
        return 0
    if args.command == "schema":
        from kb.editor_schema import write_all

        changed = write_all()
        print(f"{len(changed)} schema file(s) written" + "".join(f"\n  {p}" for p in changed))
        return 0
    if args.command == "generate":
        from kb import cache

        try:
            cache.keep_days()  # checked before the work, not after it
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        if args.command == "validate":
            kb = load(paths)
            for warning in kb.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            render(kb, paths)  # a template error is an error too, even when nothing is written
            counts = ", ".join(f"{len(v)} {BY_NAME[k].name if len(v) == 1 else BY_NAME[k].plural}" for k, v in kb.by_type.items())
            withdrawn = kb.withdrawn_count()  # as the home page says: "N linked records (and K withdrawn ...)"
            # the warnings above are on stderr: the summary says there are some (a new user's trial
            # read "data is valid" alone while a mistyped file name left a source's excerpts unchecked)
            warned = len(kb.warnings)
            warnings = f", with {warned} warning{'s' if warned != 1 else ''} above" if warned else ""
            print(f"data is valid: {len(kb.nodes)} records ({counts}"
                  f"{f'; {withdrawn} of them withdrawn' if withdrawn else ''}){warnings}")
        else:
            report = generate(paths)
            for warning in report.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            print(report.summary())
    except DataErrors as exc:
        # after a rename, its edit is written; "nothing was written" is about a build
        print(exc.log.report("the rename above was written: mend these, or rename it back" if renamed
                             else "nothing was written"), file=sys.stderr)
        return 1
    except HandWrittenConflict as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception:  # a bug in the generator, not in the data
        import traceback

        traceback.print_exc()
        return GENERATOR_FAILED
    return 0


GENERATOR_FAILED = 3  # the exit code of a failure of the generator's own code


if __name__ == "__main__":
    status = main()
    # The process ends here, and Python's exit runs one last full garbage collection over every
    # object still alive (0.26 s after a cold `generate` at 10,000 records): frozen, they are skipped.
    gc.freeze()
    sys.exit(status)
