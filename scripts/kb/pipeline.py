"""The one-way flow: load (with line marks) → validate → model (with reverse links) → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DataErrors, ErrorLog
from .evidence import SourceTexts, sources_dir
from .model import KnowledgeBase, build_model
from .render import Renderer
from .validate import load_and_validate
from .writer import WriteReport, write_pages

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    root: Path = ROOT
    data: Path = ROOT / "data"
    docs: Path = ROOT / "docs"


_TEXTS: dict[Path, SourceTexts] = {}  # source texts read once per process (and file version)


def load(paths: Paths = Paths()) -> KnowledgeBase:
    """Validate the data (excerpts against the source texts included) and build the model; raise
    DataErrors with every problem found. Warnings (texts not found) are on ``kb.warnings``."""
    log = ErrorLog()
    folder = sources_dir(paths.root, project_config(paths.root).get("sources_dir"))
    texts = _TEXTS.setdefault(folder, SourceTexts(folder))
    parsed = load_and_validate(paths.data, paths.root, log, texts)
    if log:
        raise DataErrors(log)
    kb = build_model(parsed)
    kb.warnings = list(log.warnings)
    return kb


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


def generate(paths: Paths = Paths()) -> WriteReport:
    """Validate, render everything in memory, and only then write what changed."""
    kb = load(paths)
    pages = render(kb, paths)
    return write_pages(paths.docs, pages)
