"""Two engines, one site: MkDocs + Material (mkdocs.yml) and Zensical 0.0.73 (zensical.toml), built
by one command, `scripts/build.py --engine mkdocs|zensical [--serve]`.

- The two configurations agree on everything they share (site, nav, theme, Markdown, extra).
- Zensical's output passes the offline scan, carries the vendored shim and its own offline search
  index, and keeps the page tags above the title, as Material does (scripts/overrides/partials/content.html).
- The theme fixes work on the written files (Zensical runs no hooks).
- Under `scripts/build.py --engine zensical --serve`, a data edit regenerates the page the
  server serves.

The gates (links and anchors, axe-core, the Nu HTML checker, the published URL manifest) run on
both outputs in tests/test_gates.py and tests/test_site.py through the `engine_site` fixture.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import yaml

from conftest import MINI, ROOT, engine_of, make_project

SHIM = "assets/vendor/iframe-worker/shim.js"


def _mkdocs_yml() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name tags
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def _extensions(value) -> dict:
    """Markdown extensions as {name: options}, from mkdocs.yml's list or zensical.toml's table."""
    if isinstance(value, dict):
        return {k: v or {} for k, v in value.items()}
    out = {}
    for item in value:
        if isinstance(item, str):
            out[item] = {}
        else:
            (name, options), = item.items()
            out[name] = options or {}
    return out


def test_the_zensical_configuration_agrees_with_mkdocs_yml():
    mk = _mkdocs_yml()
    zs = tomllib.loads((ROOT / "zensical.toml").read_text(encoding="utf-8"))["project"]
    for key in ("site_name", "site_description", "site_url", "docs_dir", "site_dir", "use_directory_urls", "extra_css", "extra_javascript", "nav", "extra"):
        assert zs[key] == mk[key], key
    for key in ("custom_dir", "font", "language", "features", "palette"):
        assert zs["theme"][key] == mk["theme"][key], key
    assert zs["theme"]["variant"] == "classic"  # Material's look
    assert _extensions(zs["markdown_extensions"]) == _extensions(mk["markdown_extensions"])
    assert sorted(zs["plugins"]) == sorted(p if isinstance(p, str) else next(iter(p)) for p in mk["plugins"])


def test_zensical_output_passes_the_offline_scan_with_its_own_search_index(zensical_site: Path):
    from mkdocs_hooks import scan_site

    scanned, problems = scan_site(zensical_site)
    assert problems == [], problems
    assert scanned > sum(1 for _ in zensical_site.rglob("*.html"))
    # linked relative to each page (Zensical writes "./" where MkDocs writes nothing)
    assert f'<script src="./{SHIM}"></script>' in (zensical_site / "index.html").read_text(encoding="utf-8")
    assert f'<script src="../{SHIM}"></script>' in (zensical_site / "actors" / "kazakhstan.html").read_text(encoding="utf-8")
    assert (zensical_site / SHIM).is_file()
    # Zensical's search: search.json served, search.js (the same index as a script) from file://
    assert (zensical_site / "search.js").read_text(encoding="utf-8").startswith("var __index = ")
    assert not (zensical_site / "pagefind").exists()  # the served Pagefind index is Material's path only


def test_page_tags_stand_above_the_title_in_both_engines(engine_site: Path):
    page = (engine_site / "claims" / "javaid-trade-baseline-2024-25.html").read_text(encoding="utf-8")
    tags, title = page.find('<nav class="md-tags"'), page.find("<h1")
    assert 0 < tags < title, (tags, title)


def _search_index(site: Path) -> list[dict]:
    """A built site's search index, its sections ({"location", "title", "text", ...}): Zensical's
    (search.json) or Material's (the single-file index read from file://; served, the box's
    search_index.json is emptied)."""
    if engine_of(site) == "zensical":
        return json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    return json.loads(script.removeprefix("var __index = ").rstrip().rstrip(";"))["docs"]


def test_lists_of_every_record_are_left_out_of_both_search_indexes(engine_site: Path, real_kb):
    """The views', home's and index pages' lists of every record of a kind (m.listing) are in neither
    engine's index; their headings' sections, and the prose around the lists, are. Each record is
    indexed on its own page, and at 10,000 records such a list made a section Zensical refused."""
    sections = _search_index(engine_site)
    text = {s["location"]: s["text"] for s in sections}
    everywhere = " ".join(s["title"] + " " + s["text"] for s in sections)
    lists = {"views/briefing.html#figures": "question", "views/briefing.html#outcomes": "agreement",
             "views/map.html#places": "place", "index.html#signed": "agreement", "index.html#timeline": "event",
             "actors/index.html#top": "actor", "events/index.html#top": "event",
             **{loc: "event" for loc in text if loc.startswith("views/timeline.html#y")},
             **{loc: "claim" for loc in text if loc.startswith("claims/index.html#")}}
    assert any(loc.startswith("views/timeline.html#y") for loc in lists)
    for location, rtype in lists.items():
        assert location in text, location
        # names the index writes as they are (no character it would escape), found in it elsewhere
        names = [n.name for n in real_kb.all(rtype) if len(n.name) > 6 and not re.search(r"[&<>\"']", n.name) and n.name in everywhere]
        assert names, rtype
        listed = [name for name in names if name in text[location]]
        assert not listed, f"{engine_of(engine_site)}: {location} lists {listed[:5]}"
    assert "Contested: answers that exclude each other" in text["views/briefing.html#figures"]


def test_the_theme_fixes_leave_no_invalid_toggle_markup_in_either_engine(engine_site: Path):
    for name in ("index.html", "404.html", "actors/kazakhstan.html"):
        html = (engine_site / name).read_text(encoding="utf-8")
        assert 'data-md-toggle="drawer"' in html, name
        assert 'autocomplete="off">' not in html.split('data-md-toggle="search"', 1)[1][:80], name
        assert not re.search(r'<label class="md-overlay"[^>]*aria-hidden', html), name


def test_fix_site_fixes_written_pages_and_fails_on_changed_markup(tmp_path: Path):
    from theme_fixes import ThemeMarkupChanged, fix_site

    good = (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'
        '<label class="md-overlay" for="__drawer" aria-hidden="true"></label>'
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.html").write_text(good)
    (tmp_path / "redirect.html").write_text('<meta http-equiv="refresh" content="0; url=a/p.html">')
    assert fix_site(tmp_path) == 1
    assert (tmp_path / "a" / "p.html").read_text() == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">'
        '<label class="md-overlay" for="__drawer"></label>'
    )
    (tmp_path / "a" / "p.html").write_text(good.replace('id="__search"', 'id="__find"'))
    try:
        fix_site(tmp_path)
    except ThemeMarkupChanged as err:
        assert "__search" in str(err) and "a/p.html" in str(err)
    else:
        raise AssertionError("a changed theme markup went unnoticed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def test_under_the_zensical_server_a_data_edit_regenerates_the_page(tmp_path: Path):
    """A save reaches the served page; then a save with a data error is reported in the terminal
    (the file and the broken reference named) and the last good page stays served."""
    proj = make_project(tmp_path / "proj", MINI)
    claim_file = next(p for p in sorted((proj / "data" / "claims").glob("*.yaml")) if "paraphrase:" in p.read_text(encoding="utf-8"))
    text = claim_file.read_text(encoding="utf-8")
    claim_id = re.search(r"^- id: (\S+)", text, re.M).group(1)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/claims/{claim_id}.html"
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "scripts/build.py", "--engine", "zensical", "--serve", "-a", f"127.0.0.1:{port}"],
        cwd=proj, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    output = lambda: log.read_text(encoding="utf-8", errors="replace")  # noqa: E731

    def wait_for(condition, what: str) -> None:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not condition():
            assert server.poll() is None, output()
            time.sleep(1)
        assert condition(), f"{what}\n{output()[-3000:]}"

    try:
        wait_for(lambda: claim_id in _get(url), "the server never served the claim's page")
        marker = "Edited under the Zensical server"
        edited = re.sub(r"(paraphrase: )", rf"\g<1>{marker}. ", text, count=1)
        claim_file.write_text(edited, encoding="utf-8")
        wait_for(lambda: marker in _get(url), "the edit never reached the served page")
        # a data error: the claim's source names no record
        claim_file.write_text(re.sub(r"^(\s*source: ).*$", r"\g<1>no-such-source", edited, count=1, flags=re.M), encoding="utf-8")
        wait_for(lambda: "the data has errors" in output(), "the data error was never reported")
        assert "no-such-source" in output() and claim_file.name in output(), output()[-3000:]
        assert marker in _get(url), "the last good page is no longer served"
        # A rename (a new user's trial): the new address serves the page, and the old one its
        # redirect, which Zensical's server removed right after copying it (the old page's output).
        claim_file.write_text(edited, encoding="utf-8")
        renamed = f"{claim_id}-renamed"
        done = subprocess.run([sys.executable, "scripts/knowledge_base.py", "rename", claim_id, renamed],
                              cwd=proj, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        wait_for(lambda: marker in _get(url.replace(claim_id, renamed)), "the renamed page was never served")
        wait_for(lambda: f"{renamed}.html" in _get(url), "the old address never served its redirect")
        time.sleep(3)  # the server's removal of the old page's output came a moment after its copy
        wait_for(lambda: f"{renamed}.html" in _get(url), "the old address lost its redirect")
        # The server builds into its own folder: site/, the checked build's, is not touched.
        assert not (proj / "site").exists(), sorted(p.name for p in (proj / "site").iterdir())
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # build.py and the zensical server it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert not (proj / ".zensical-serve.toml").exists()  # the server's copy of the configuration is gone


def test_a_broken_link_or_anchor_fails_the_zensical_build(tmp_path: Path):
    proj = make_project(tmp_path / "proj", MINI)
    (proj / "docs" / "broken.md").write_text("# Broken\n\n[x](nowhere.md) and [y](about.md#no-such-anchor)\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "scripts/build.py", "--engine", "zensical", "--no-check"], cwd=proj, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "page does not exist" in result.stdout + result.stderr and "anchor does not exist" in result.stdout + result.stderr
    assert "zensical build failed" in result.stderr


def test_the_benchmark_measures_zensicals_floor_with_the_sites_plugins(tmp_path: Path):
    """scripts/benchmark.py --floor: Zensical alone on plain pages, with zensical.toml's theme,
    plugins and Markdown extensions (README's figure for the engine's own memory at 10,000 pages
    rests on it): its configuration names each of them, and it builds and reports a peak."""
    from benchmark import engine_floor, floor_config

    project = tomllib.loads((ROOT / "zensical.toml").read_text(encoding="utf-8"))["project"]
    config = tomllib.loads(floor_config())["project"]
    assert set(config["plugins"]) == set(project["plugins"])
    assert set(config["markdown_extensions"]) == set(project["markdown_extensions"])
    assert config["theme"]["variant"] == project["theme"]["variant"]
    seconds, peak_mb = engine_floor(tmp_path / "floor", 20)
    assert seconds > 0 and peak_mb > 1
    assert not (tmp_path / "floor").exists()  # removed once measured
