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


def render(kb: KnowledgeBase) -> dict[str, str]:
    return Renderer(kb).pages()


def generate(paths: Paths = Paths()) -> WriteReport:
    """Validate, render everything in memory, and only then write what changed."""
    kb = load(paths)
    pages = render(kb)
    return write_pages(paths.docs, pages)
