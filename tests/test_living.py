"""A living dataset: sources are added, claims corrected and withdrawn, with no change to the code.

The sixth-source test follows the "Add a source" checklist of docs/editing.md on a scratch copy of
the project: a source of a kind the vocabularies did not have (a wire report, added as a term in
data/vocabularies/), its text in the sources folder, eight claims (several answering existing
questions, one withdrawn), then validate, generate, a strict build and the dataset's checks. Every
expectation is computed from the model, never from today's counts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SHARED_SOURCES, kb_cli, make_project, mkdocs, run

SIXTH = ROOT / "tests" / "fixtures" / "sixth-source"


def _env(texts: Path) -> dict[str, str]:
    return {**os.environ, "KB_SOURCES_DIR": str(texts)}


def _texts_folder(tmp: Path) -> Path:
    """A sources folder: the real articles where they are here, and the sixth source's text."""
    texts = tmp / "texts"
    texts.mkdir()
    if SHARED_SOURCES.is_dir():
        for path in SHARED_SOURCES.glob("*.txt"):
            shutil.copy(path, texts / path.name)
    shutil.copy(SIXTH / "wire-report.txt", texts / "wire-report.txt")
    return texts


def add_sixth_source(project: Path) -> None:
    """The checklist's steps: the new kind as a vocabulary term, the source, its claims."""
    vocabularies = project / "data/vocabularies/vocabularies.yaml"
    entries = yaml.safe_load(vocabularies.read_text(encoding="utf-8"))
    kinds = next(v for v in entries if v["id"] == "source-kinds")
    assert "wire-report" not in [t["id"] for t in kinds["terms"]], "the test needs a kind the data does not have yet"
    kinds["terms"].append({"id": "wire-report", "name": "Wire report",
                           "description": "A news agency's report relaying others' statements.",
                           "schema_org": "NewsArticle"})
    vocabularies.write_text("# yaml-language-server: $schema=../../scripts/kb/schemas/vocabulary.schema.json\n"
                            + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for name, folder, schema in (("source.yaml", "sources", "source"), ("claims.yaml", "claims", "claim")):
        text = (SIXTH / name).read_text(encoding="utf-8")
        (project / "data" / folder / "newswire.yaml").write_text(
            f"# yaml-language-server: $schema=../../scripts/kb/schemas/{schema}.schema.json\n{text}", encoding="utf-8")


def _cli(project: Path, texts: Path, *args: str):
    return run([sys.executable, "scripts/knowledge_base.py", *args], project, env=_env(texts))


def test_a_sixth_source_of_a_new_kind_goes_in_with_no_code_changed(tmp_path: Path, monkeypatch):
    project = make_project(tmp_path / "proj")
    texts = _texts_folder(tmp_path)
    add_sixth_source(project)
    code_before = {p: p.read_bytes() for p in (project / "scripts").rglob("*") if p.is_file() and "__pycache__" not in p.parts}

    result = _cli(project, texts, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wire-report.txt" not in result.stderr  # its text was found, so its excerpts were checked
    result = _cli(project, texts, "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict"], project, env=_env(texts))
    assert result.returncode == 0, result.stdout + result.stderr
    assert code_before == {p: p.read_bytes() for p in code_before}, "no code may change"

    sys.path.insert(0, str(ROOT / "scripts"))
    from kb.pipeline import Paths, load
    from kb.published import missing, read_manifest

    monkeypatch.setenv("KB_SOURCES_DIR", str(texts))  # the in-process load checks the new source's excerpts too
    kb = load(Paths(root=project, data=project / "data", docs=project / "docs"))
    assert not [w for w in kb.warnings if "wire-report.txt" in w], kb.warnings
    site = project / "site"
    source = kb.get("newswire-foreign-office-release")
    claims = kb.backlinks(source, "claim", "Claims")
    assert len(claims) == len(yaml.safe_load((SIXTH / "claims.yaml").read_text(encoding="utf-8")))

    # the source's page: its kind named from the vocabulary, its address and publisher
    page = (site / "sources/newswire-foreign-office-release.html").read_text(encoding="utf-8")
    assert "Wire report" in page and "https://newswire.example/2026/02/06/pakistan-kazakhstan" in page and "Newswire" in page

    # answers to existing questions join their side-by-side tables and statuses; the withdrawn one does not
    withdrawn = kb.get("newswire-official-working-visit")
    assert withdrawn.record.retracted is not None
    visit_status = kb.get("visit-status")
    assert kb.get("newswire-state-visit") in kb.answers(visit_status)
    assert withdrawn not in kb.answers(visit_status)
    question = (site / "questions/visit-status.html").read_text(encoding="utf-8")
    assert 'id="newswire-state-visit"' in question and 'id="newswire-official-working-visit"' in question
    assert question.index('id="newswire-official-working-visit"') > question.index('id="withdrawn"')
    for qid in ("agreements-signed-count", "trade-target"):
        assert any(c.source == source.id for c in kb.answers(kb.get(qid))), qid
    # the withdrawn claim's page stays, saying so, with the reason
    own = (site / "claims/newswire-official-working-visit.html").read_text(encoding="utf-8")
    assert "Withdrawn on 8 February 2026" in own and "The ministry corrected the release" in own
    # counts are computed: the home page counts what is current, the withdrawn claim excluded
    home = (site / "index.html").read_text(encoding="utf-8")
    withdrawn_count = len(kb.nodes.untracked()) - kb.count()
    assert withdrawn_count >= 1
    # and says how many are withdrawn, as validate does ("440 records (...; 1 of them withdrawn)"): the
    # home page's 439 beside validate's 440 went unexplained (a new user's trial)
    assert f"into {kb.count()} linked records (and {withdrawn_count} withdrawn, whose pages stay)." in home
    checked = _cli(project, texts, "validate")
    assert f"data is valid: {len(kb.nodes.untracked())} records (" in checked.stdout, checked.stdout
    assert f"; {withdrawn_count} of them withdrawn)" in checked.stdout, checked.stdout
    assert kb.count() == sum(1 for n in kb.nodes.values() if n.record.retracted is None)
    assert withdrawn not in kb.current("claim")
    # "Cite this" on a claim of the new source cites the original article, with its URL and date
    cited = (project / "docs/claims/newswire-35-documents.md").read_text(encoding="utf-8")  # as written for any engine
    assert "@article{src-newswire-foreign-office-release" in cited and "urldate = {2026-02-10}" in cited
    assert '"URL": "https://newswire.example/2026/02/06/pakistan-kazakhstan"' in cited
    # the claims explorer: a row per claim, the withdrawn one marked (the script hides it unless
    # withdrawn claims are included), the new source and its claims' kinds among the filters
    explorer = (site / "views/claims.html").read_text(encoding="utf-8")
    assert explorer.count('<tr class="kb-withdrawn" data-source=') == sum(1 for c in kb.all("claim") if c.record.retracted)
    assert re.search(r'<tr class="kb-withdrawn"[^>]*>\s*<td><a href="\.\./claims/newswire-official-working-visit\.html">', explorer)
    assert explorer.count(" data-source=") == len(kb.all("claim"))
    assert f'<option value="{source.id}">' in explorer
    # the downloads mark the withdrawal
    exported = json.loads((site / "data/claims.json").read_text(encoding="utf-8"))
    rows = exported if isinstance(exported, list) else next(iter(v for v in exported.values() if isinstance(v, list)))
    marked = [r for r in rows if r.get("id") == "newswire-official-working-visit"]
    assert marked and marked[0].get("retracted", {}).get("reason"), marked
    assert marked[0]["status"] == "withdrawn" and marked[0]["statuses"] == {}, marked
    # nothing once published is lost
    assert missing(read_manifest(), site) == []


def test_an_excerpt_that_differs_from_its_article_is_located_by_validate(tmp_path: Path):
    project = make_project(tmp_path / "proj")
    texts = _texts_folder(tmp_path)
    add_sixth_source(project)
    claims = project / "data/claims/newswire.yaml"
    text = claims.read_text(encoding="utf-8")
    # a typographic quotation mark where the article has a straight one
    claims.write_text(text.replace('Tokayev had \\"opened a new chapter\\""', 'Tokayev had “opened a new chapter”"'), encoding="utf-8")
    result = _cli(project, texts, "validate")
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(i for i, row in enumerate(claims.read_text(encoding="utf-8").splitlines(), 1) if "“opened" in row)
    expected = (f"data/claims/newswire.yaml:{line}:12: record 'newswire-state-visit', field 'excerpt': "
                "the excerpt is not in the source's text: the text has '\"' (U+0022) where the excerpt has '“' (U+201C), "
                "after \"Kassym-Jomart Tokayev had \"")
    assert expected in result.stderr, result.stderr
    # the build refuses it too, at the same place, and writes nothing
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict"], project, env=_env(texts))
    assert result.returncode != 0 and f"data/claims/newswire.yaml:{line}:12" in result.stdout + result.stderr
    assert not (project / "site").exists()


def test_without_the_texts_folder_excerpts_go_unchecked_with_one_warning(tmp_path: Path):
    project = make_project(tmp_path / "proj")
    absent = tmp_path / "no-such-folder"
    result = _cli(project, absent, "validate")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and str(absent) in warnings[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_kind_that_is_no_term_of_its_vocabulary_is_refused_with_the_way_to_add_it(tmp_path: Path):
    project = make_project(tmp_path / "proj")
    add_sixth_source(project)
    vocabularies = project / "data/vocabularies/vocabularies.yaml"
    vocabularies.write_text(vocabularies.read_text(encoding="utf-8").replace("id: wire-report", "id: wire-reports"), encoding="utf-8")
    result = kb_cli(project, "validate")
    assert result.returncode == 1
    assert re.search(r"data/sources/newswire\.yaml:\d+:\d+: record 'newswire-foreign-office-release', field 'kind': "
                     r"'wire-report' is not a term of the vocabulary 'source-kinds' \(did you mean 'wire-reports'\?\)",
                     result.stderr), result.stderr
    assert "add it as a term in data/vocabularies/" in result.stderr


def test_deleting_a_published_claim_names_retracted_and_former_ids(tmp_path: Path):
    project = make_project(tmp_path / "proj")
    claims = project / "data/claims/javaid.yaml"
    entries = claims.read_text(encoding="utf-8").split("\n- id: ")
    gone = entries[1].split("\n", 1)[0]
    claims.write_text("\n- id: ".join(entries[:1] + entries[2:]), encoding="utf-8")
    # With the list beside the data, validate refuses the deletion before anything is built:
    refused = mkdocs(project, "build", "--strict")
    assert refused.returncode == 1 and f"claims/{gone}.html" in refused.stdout + refused.stderr
    # built without it (a site from before the list had the page), the list's own check finds the loss
    listed = (project / "tests/published-urls.txt").read_bytes()
    (project / "tests/published-urls.txt").unlink()
    assert mkdocs(project, "build", "--strict").returncode == 0
    (project / "tests/published-urls.txt").write_bytes(listed)
    result = kb_cli(project, "published", "--check", "--site", "site")
    assert result.returncode == 1
    assert f"claims/{gone}.html" in result.stderr
    assert "retracted" in result.stderr and "former_ids" in result.stderr
    # Recording the site's addresses never drops one: the same report, and the list unchanged.
    manifest = project / "tests/published-urls.txt"
    before = manifest.read_bytes()
    result = kb_cli(project, "published", "--site", "site")
    assert result.returncode == 1
    assert f"claims/{gone}.html" in result.stderr and "nothing written" in result.stderr
    assert manifest.read_bytes() == before


@pytest.mark.parametrize("which", ["every", "every-other"])
def test_withdrawing_records_keeps_every_published_address(tmp_path: Path, which: str):
    """Withdrawing is the documented way to take a record back, so it must never cost an address.
    With every record of every type withdrawn at once (each list of current records empty), and
    with every other record of each file withdrawn (lists that mix current and withdrawn ones: a
    year of the timeline with both, a question with both, a withdrawn claim whose question still
    has answers), the site builds strictly and has every page and anchor of
    tests/published-urls.txt. Each of these was lost before: a year of the timeline whose records
    were all withdrawn (linked from its claims' pages, which then broke the build), a withdrawn
    claim's other answers and the references they cite, a question's side-by-side table and
    evidence once no answer counted, a single-source question's row in Disagreements, a section
    of the home page. A withdrawn claim's badge says so, on its page and in the claims' index."""
    from kb import published
    from kb.pipeline import Paths, load

    project = make_project(tmp_path / "proj")
    kb = load(Paths(root=project, data=project / "data", docs=project / "docs"))
    withdrawable = {n.type.plural for n in kb.nodes.values() if "retracted" in n.type.model.model_fields}
    assert "claims" in withdrawable and "events" in withdrawable
    withdrawn: set[str] = set()
    for folder in sorted(withdrawable):
        for path in sorted((project / "data" / folder).glob("*.yaml")):
            records = yaml.safe_load(path.read_text(encoding="utf-8"))
            for n, record in enumerate(records):
                if which == "every" or n % 2:
                    record["retracted"] = {"date": "2026-03-01", "reason": "Withdrawn to test the addresses."}
                    withdrawn.add(record["id"])
            path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    built = mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    assert published.missing(published.read_manifest(), site) == []
    answering = [n for n in kb.all("claim") if n.record.questions and n.id in withdrawn]
    assert answering
    index = (site / "claims/index.html").read_text(encoding="utf-8")
    for claim in answering:
        page = (site / claim.url).read_text(encoding="utf-8")
        status = re.search(r'<p[^>]*class="kb-claim-status"[^>]*>(.*?)</p>', page, re.S)[1]
        assert "kb-status-withdrawn" in status and "kb-status-single-source" not in status, claim.id
        assert "no longer counts as an answer to" in status, claim.id
        row = re.search(rf'<tr>\s*<td><a href="{re.escape(claim.id)}\.html">.*?</tr>', index, re.S)[0]
        assert "kb-status-withdrawn" in row and "kb-status-single-source" not in row, claim.id


def test_correcting_records_keeps_every_published_anchor(tmp_path: Path):
    """Corrections empty sections that readers linked to: cutting claims' `about` to one record took
    their anchors off the other records' pages (actors/x.html#claims-plan, #<claim id>), re-dating
    them emptied years of the timeline (#y1990), and the manifest's check then failed with advice
    (withdraw, rename) that does not fit a correction. With every claim's `about` cut to its first
    record and every dated claim moved to one day, the site builds strictly and has every page and
    anchor of tests/published-urls.txt: each anchor a page lost is in a line at the end of its
    article, a claim's id linking to the claim's page."""
    from kb import published

    project = make_project(tmp_path / "proj")
    cited = {c for path in (project / "data").rglob("*.yaml") for r in yaml.safe_load(path.read_text(encoding="utf-8")) or []
             if isinstance(r, dict) for c in r.get("value_claims") or ()}  # a figure's claim must stay about its record
    for path in sorted((project / "data" / "claims").glob("*.yaml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in records:
            if record["id"] not in cited:
                record["about"] = record["about"][:1]
            if record.get("when"):
                record["when"] = {"start": "2026-02-03"}
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # and every sector's name corrected: the tags plugin's list on its page had its anchor from the
    # old words (sectors/x.html#tag:trade-and-investment, a new editor's trial)
    for path in sorted((project / "data" / "sectors").glob("*.yaml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in records:
            record["name"], _ = "Corrected " + record["name"], record.pop("tag", None)
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    about = project / "docs/about.md"  # a hand-written page's lost anchor is still reported
    about.write_text(about.read_text(encoding="utf-8").replace("## Views", "## The views", 1), encoding="utf-8")
    built = mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    lost = published.missing(published.read_manifest(), site)
    assert lost and all(line.startswith("about.html#") for line in lost), lost
    about.write_text(about.read_text(encoding="utf-8").replace("## The views", "## Views", 1), encoding="utf-8")
    built = mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stderr[-3000:]
    assert published.missing(published.read_manifest(), site) == []
    kept = {rel: html for rel in published.kept_anchors()
            if rel.endswith(".html") and 'class="kb-former-anchors"' in (html := (site / rel).read_text(encoding="utf-8"))}
    assert "views/timeline.html" in kept and len(kept) > 10, sorted(kept)[:20]
    tag_lists = [rel for rel, html in kept.items() if re.search(r'<span id="tag:[^"]+">the pages tagged “', html)]
    assert tag_lists and all(rel.startswith("sectors/") for rel in tag_lists), tag_lists
    claims = {n for n in published.kept_anchors() if n.startswith("claims/")}
    links = re.findall(r'<a id="([^"]+)" href="((?:\.\./)*claims/[^"]+\.html)">', "".join(kept.values()))
    assert links and all(href.split("claims/", 1)[1] == f"{anchor}.html" and f"claims/{anchor}.html" in claims
                         for anchor, href in links), links[:5]


def test_an_anchor_a_page_lost_is_kept_at_the_end_of_its_article(tmp_path: Path):
    from kb.published import keep_anchors, keep_site

    kept = {"actors/a.html": frozenset({"claims-plan", "c1", "names", "cite", "y1990", "top"}),
            "claims/c1.html": frozenset(), "views/claims.html": frozenset(), "about.html": frozenset({"downloads"})}
    page = '<html><article><h1 id="top">A</h1></article></html>'
    out = keep_anchors("actors/a.html", page, kept)
    assert out.count('class="kb-former-anchors"') == 1 and out.index("kb-former-anchors") < out.index("</article>")
    for kept_one in ('<a id="c1" href="../claims/c1.html">c1</a>', '<span id="claims-plan">claims-plan</span>',
                     '<span id="names">names</span>', '<span id="y1990">y1990</span>'):
        assert kept_one in out, out
    assert 'id="cite"' not in out and out.count('id="top"') == 1  # a fixed section's loss is the templates'
    assert 'href="../views/claims.html"' not in out  # "claims" is a section, not the explorer's page
    assert keep_anchors("actors/a.html", out, kept) == out  # nothing more to keep
    assert keep_anchors("actors/b.html", page, kept) == page  # a page the manifest does not list
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors/a.html").write_text(page, encoding="utf-8")
    (tmp_path / "about.html").write_text("<article></article>", encoding="utf-8")
    assert keep_site(tmp_path, {"actors/a.md"}, kept) == 1  # about.md is hand-written: not touched
    assert (tmp_path / "actors/a.html").read_text(encoding="utf-8") == out
    assert (tmp_path / "about.html").read_text(encoding="utf-8") == "<article></article>"
    assert keep_site(tmp_path, {"actors/a.md"}, kept) == 0


def test_recording_addresses_keeps_those_a_redirect_serves(tmp_path: Path):
    """`published` writes the manifest in its order, adds the site's new addresses, and keeps an old
    address that only a redirect serves now (a renamed record's), which the site itself no longer lists."""
    from kb import published
    from kb.render import redirect_page

    from kb.pipeline import Paths, load

    kb = load(Paths(root=ROOT, data=ROOT / "tests/fixtures/hostile", docs=tmp_path / "unused"))  # it renames a record
    node = next(n for n in kb.nodes.values() if n.record.former_ids)
    folder = tmp_path / node.type.plural
    folder.mkdir()
    (tmp_path / "index.html").write_text('<article><h1 id="top">Home</h1></article>', encoding="utf-8")
    (tmp_path / node.url).write_text(f'<article><p id="{node.id}">x</p><p id="new-anchor">y</p>'
                                     '<div id="withdrawn">a state, not an address</div></article>', encoding="utf-8")
    old = f"{node.type.plural}/{node.record.former_ids[0]}.html"
    (tmp_path / old).write_text(redirect_page(node), encoding="utf-8")
    expected = ["index.html", "index.html#top", f"{old}#{node.id}", node.url]
    lines, lost = published.recorded(expected, tmp_path)
    assert lost == []
    assert set(lines) == {*expected, f"{node.url}#{node.id}", f"{node.url}#new-anchor"}  # not #withdrawn
    assert lines.index(node.url) < lines.index(f"{node.url}#{node.id}") < lines.index(f"{node.url}#new-anchor")
    assert lines.index("index.html") + 1 == lines.index("index.html#top")
    (tmp_path / node.url).write_text("<article></article>", encoding="utf-8")  # the anchor gone
    assert published.recorded(expected, tmp_path)[1] == [f"{old}#{node.id}"]


def test_the_advice_for_a_lost_address_fits_its_page(tmp_path: Path):
    """An editor's trial renamed a heading of about.md, and `published --check` advised
    `retracted` and `former_ids`, which are for records. The advice for an anchor of a
    hand-written page says to keep the old anchor on its heading; a record's keeps ADVICE."""
    from kb.published import ADVICE, advice
    from kb.writer import MANIFEST

    docs = tmp_path / "docs"
    (docs / "claims").mkdir(parents=True)
    for page in ("about.md", "index.md", "claims/c1.md"):
        (docs / page).write_text("# x\n", encoding="utf-8")
    (docs / MANIFEST).write_text(json.dumps(["index.md", "claims/c1.md"]), encoding="utf-8")
    own = advice(["about.html#searching"], docs)
    assert "hand-written page (about.html)" in own and "{ #old-anchor }" in own and "retracted" not in own, own
    assert advice(["claims/c1.html", "index.html#signed"], docs) == ADVICE
    both = advice(["claims/c1.html", "about.html#views"], docs)
    assert both.startswith(ADVICE) and "hand-written page (about.html)" in both, both
