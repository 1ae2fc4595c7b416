"""The one-way flow: load (with line marks) → validate → model (with reverse links) → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DataErrors, ErrorLog
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


def load(paths: Paths = Paths()) -> KnowledgeBase:
    """Validate the data and build the model; raise DataErrors with every problem found."""
    log = ErrorLog()
    parsed = load_and_validate(paths.data, paths.root, log)
    if log:
        raise DataErrors(log)
    return build_model(parsed)


def site_config(root: Path) -> dict[str, str]:
    """The site's name and published address from mkdocs.yml (for titles and permalinks)."""
    try:
        import yaml

        class _Loader(yaml.SafeLoader):  # mkdocs.yml may carry !!python/name tags: ignore them
            pass

        _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    except FileNotFoundError:
        config = {}
    return {"site_name": config.get("site_name") or "Knowledge base", "site_url": config.get("site_url") or ""}


def render(kb: KnowledgeBase, paths: Paths = Paths()) -> dict[str, str]:
    return Renderer(kb, **site_config(paths.root)).pages()


def generate(paths: Paths = Paths()) -> WriteReport:
    """Validate, render everything in memory, and only then write what changed."""
    kb = load(paths)
    pages = render(kb, paths)
    return write_pages(paths.docs, pages)
