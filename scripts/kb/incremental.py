"""Generation that renders again only what an edit touches.

:class:`IncrementalSite` keeps, between two builds in one process (``mkdocs serve``), the last
model and, for every unit of output (a record's page with its maps and redirects, an index page,
a view, the downloads), its files and the model keys it read while rendering (``tracking.py``).
On :meth:`IncrementalSite.update` it loads and validates the whole dataset again (cheap), compares
the new model with the last one (:func:`tracking.changed_keys`) and renders only the units that
read a changed key, or are new. Everything else is reused as it is, so the result is the same,
byte for byte, as a full render of the new data (``tests/test_incremental.py`` checks it after a
sequence of edits).

The templates and the code are not tracked: a new ``IncrementalSite`` renders everything, and the
MkDocs hook makes one whenever a file under ``scripts/kb/`` changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import KnowledgeBase
from .pipeline import Paths, load, site_config
from .render import Renderer
from .tracking import Key, changed_keys


@dataclass
class Update:
    """What one update produced: every generated file (path under docs/ → content), the units
    rendered again, how many units were reused, and the model keys that changed."""

    files: dict[str, str]
    rendered: list[str]
    reused: int
    changed: set[Key] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.rendered)} unit(s) rendered, {self.reused} reused, {len(self.files)} file(s)"


class IncrementalSite:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.kb: KnowledgeBase | None = None
        self.config: dict[str, str] | None = None
        self.units: dict[str, tuple[dict[str, str], frozenset[Key]]] = {}
        self.files: dict[str, str] = {}  # the last good output

    def update(self) -> Update:
        """Load, validate and render what changed; raise ``DataErrors`` (keeping the last good
        output) when the data has errors."""
        kb = load(self.paths)
        config = site_config(self.paths.root)
        renderer = Renderer(kb, **config)
        full = self.kb is None or config != self.config
        changed = set() if full else changed_keys(self.kb, kb)
        units, rendered, reused = {}, [], 0
        for name, unit in renderer.units().items():
            previous = None if full else self.units.get(name)
            if previous is not None and not (previous[1] & changed):
                units[name] = previous
                reused += 1
            else:
                units[name] = renderer.render_unit(unit)
                rendered.append(name)
        files: dict[str, str] = {}
        for unit_files, _keys in units.values():
            files.update(unit_files)
        self.kb, self.config, self.units, self.files = kb, config, units, files
        return Update(files, rendered, reused, changed, kb.warnings)
