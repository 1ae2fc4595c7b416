#!/usr/bin/env python3
"""Benchmark: how long `mkdocs build --strict` takes on the real data and on a synthetic dataset.

    python scripts/benchmark.py                 # real data + 1,000 synthetic records
    python scripts/benchmark.py --records 5000  # a bigger synthetic dataset
    python scripts/benchmark.py --repeat 3      # best of 3 runs each

Each build runs in a scratch copy of the project (config, scripts, hand-written docs) with a fresh
docs/ and site/, so it measures what a clean clone pays: generation from YAML plus the MkDocs build.
It also times a second, no-change `generate` (what `mkdocs serve` pays per rebuild before MkDocs
itself) and reports the peak memory of the build process. Targets live here, not in the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def scratch_project(dest: Path, data: Path | None) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "scripts", dest / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    tracked = subprocess.run(["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True, check=True)
    for rel in tracked.stdout.split():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, dest / rel)
    if data is None:
        shutil.copytree(ROOT / "data", dest / "data")
    return dest


def synthetic_data(dest: Path, total: int, seed: int = 7) -> dict[str, int]:
    """A connected dataset of about `total` records with every type and relation."""
    rng = random.Random(seed)
    share = {"source": 0.01, "actor": 0.15, "place": 0.08, "event": 0.08, "agreement": 0.08,
             "corridor": 0.03, "question": 0.02, "sector": 0.01}
    n = {k: max(2, int(total * v)) for k, v in share.items()}
    n["claim"] = max(2, total - sum(n.values()))
    ids = {k: [f"{k}-{i:05d}" for i in range(v)] for k, v in n.items()}
    states = ids["actor"][: max(2, n["actor"] // 10)]
    src = lambda: rng.sample(ids["source"], k=min(2, len(ids["source"])))  # noqa: E731

    records: dict[str, list[dict]] = {}
    records["sources"] = [
        {"id": i, "name": f"Article {i}", "file": f"{i}.txt", "title_given": False, "author": None,
         "date": "2026-02-07", "date_basis": "stated", "kind": "analysis",
         "perspective": "A synthetic perspective.", "covers": "Synthetic coverage."}
        for i in ids["source"]
    ]
    records["actors"] = [
        {"id": i, "name": f"Actor {i}", "kind": "state" if i in states else rng.choice(["person", "organisation", "company"]),
         "sources": src(), "description": "A synthetic actor.",
         **({} if i in states else {"country": rng.choice(states)})}
        for i in ids["actor"]
    ]
    records["places"] = [
        {"id": i, "name": f"Place {i}", "kind": "city", "country": rng.choice(states),
         "lat": rng.uniform(-60, 60), "lon": rng.uniform(-170, 170), "sources": src()}
        for i in ids["place"]
    ]
    records["events"] = [
        {"id": i, "name": f"Event {i}", "kind": "talks", "start": f"2026-02-{rng.randint(1, 28):02d}",
         "place": rng.choice(ids["place"]), "participants": rng.sample(ids["actor"], 3), "sources": src()}
        for i in ids["event"]
    ]
    records["agreements"] = [
        {"id": i, "name": f"Agreement {i}", "kind": "mou", "parties": rng.sample(states, 2),
         "signatories": rng.sample(ids["actor"], 2), "event": rng.choice(ids["event"]), "sources": src()}
        for i in ids["agreement"]
    ]
    records["corridors"] = [
        {"id": i, "name": f"Corridor {i}", "kind": "route", "status": "proposed", "sources": src(),
         "legs": [{"from": a, "to": b, "mode": rng.choice(["rail", "road", "sea", "unspecified"])}
                  for a, b in zip(*(lambda ps: (ps, ps[1:]))(rng.sample(ids["place"], 4)))]}
        for i in ids["corridor"]
    ]
    records["questions"] = [{"id": i, "name": f"Question {i}?"} for i in ids["question"]]
    records["sectors"] = [{"id": i, "name": f"Sector {i}"} for i in ids["sector"]]
    for agreement in records["agreements"]:
        agreement["sectors"] = rng.sample(ids["sector"], 1)
    entities = ids["actor"] + ids["place"] + ids["event"] + ids["agreement"] + ids["corridor"]
    records["claims"] = []
    for i in ids["claim"]:
        claim = {"id": i, "name": f"Claim {i}", "source": rng.choice(ids["source"]), "kind": "fact",
                 "excerpt": "a short synthetic excerpt", "paraphrase": "A synthetic paraphrase.",
                 "about": rng.sample(entities, 2)}
        if rng.random() < 0.3:
            claim.update(kind="figure", value=rng.randint(1, 10**9), unit="USD",
                         questions=[rng.choice(ids["question"])], qualifiers={"period": "2025"},
                         when={"start": "2025"}, sectors=rng.sample(ids["sector"], 1))
        records["claims"].append(claim)
    for folder, items in records.items():
        (dest / folder).mkdir(parents=True)
        (dest / folder / "synthetic.yaml").write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True))
    return {k: len(v) for k, v in records.items()}


def timed(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return elapsed, result


def measure(label: str, project: Path, repeat: int) -> dict[str, object]:
    builds = []
    for _ in range(repeat):
        for out in ("site", "docs/.generated.json"):
            shutil.rmtree(project / out, ignore_errors=True) if out == "site" else (project / out).unlink(missing_ok=True)
        for folder in (project / "docs").iterdir():
            if folder.is_dir() and folder.name != "assets":
                shutil.rmtree(folder)
        (project / "docs/index.md").unlink(missing_ok=True)
        seconds, _ = timed([sys.executable, "-m", "mkdocs", "build", "--strict"], project)
        builds.append(seconds)
    noop, out = timed([sys.executable, "scripts/knowledge_base.py", "generate"], project)
    pages = sum(1 for p in (project / "site").rglob("*.html") if p.name != "404.html")
    return {"dataset": label, "pages": pages, "build_s": min(builds), "noop_generate_s": noop,
            "noop_report": out.stdout.strip()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        real = scratch_project(Path(tmp) / "real", None)
        rows.append(measure("real data", real, args.repeat))
        synth = scratch_project(Path(tmp) / "synthetic", data=Path("synthetic"))
        counts = synthetic_data(synth / "data", args.records)
        rows.append(measure(f"synthetic, {sum(counts.values())} records", synth, args.repeat))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{'dataset':32} {'pages':>6} {'mkdocs build --strict':>22} {'no-change generate':>19}")
    for r in rows:
        print(f"{r['dataset']:32} {r['pages']:>6} {r['build_s']:>20.2f} s {r['noop_generate_s']:>17.2f} s")
    print(f"peak memory of the largest child process: {peak_mb:.0f} MB; machine: {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
