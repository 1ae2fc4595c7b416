"""MkDocs hook: regenerate the Markdown from data/ before every build, so `mkdocs build` and
`mkdocs serve` need no separate step.

Runs on `pre_build`, before MkDocs cleans site/: when the data has errors the build stops
there, the errors are printed as file:line:column, and both docs/ and the last built site
stay exactly as they were. Only pages whose content changed are rewritten, so `serve`
(which watches docs/, data/ and the templates) does not rebuild in a loop.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb.errors import DataErrors  # noqa: E402
from kb.pipeline import Paths, generate  # noqa: E402
from kb.writer import HandWrittenConflict  # noqa: E402

log = logging.getLogger("mkdocs.hooks.knowledge_base")


def on_pre_build(config) -> None:
    root = Path(config.config_file_path).resolve().parent
    paths = Paths(root=root, data=root / "data", docs=Path(config.docs_dir).resolve())
    try:
        report = generate(paths)
    except DataErrors as exc:
        raise PluginError("the data has errors; the site was not rebuilt\n" + exc.log.report()) from None
    except HandWrittenConflict as exc:
        raise PluginError(str(exc)) from None
    log.info("knowledge base: %s", report.summary())
