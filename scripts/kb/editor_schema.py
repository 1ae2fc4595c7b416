"""JSON Schemas of the data files, for editors (autocomplete and checks while typing).

Each data file can name its schema in a first-line comment that the YAML language server
(VS Code, Neovim, JetBrains) understands:

    # yaml-language-server: $schema=../../scripts/kb/schemas/actor.schema.json

The schemas are derived from the pydantic models, so they never disagree with the validator
on the fields of a record; references between records are checked only by the validator.
"""

from __future__ import annotations

import json
from pathlib import Path

from .registry import REGISTRY, RecordType

SCHEMAS = Path(__file__).parent / "schemas"


def schema_for(rtype: RecordType) -> dict:
    record = rtype.model.model_json_schema(by_alias=True)
    defs = record.pop("$defs", {})
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{rtype.title}: a list of {rtype.name} records",
        "type": "array",
        "items": record,
    }
    if defs:
        out["$defs"] = defs
    return out


def modeline(rtype: RecordType) -> str:
    return f"# yaml-language-server: $schema=../../scripts/kb/schemas/{rtype.name}.schema.json"


def render_all() -> dict[Path, str]:
    return {SCHEMAS / f"{t.name}.schema.json": json.dumps(schema_for(t), indent=2, ensure_ascii=False) + "\n" for t in REGISTRY}


def write_all() -> list[Path]:
    """Write the schemas whose content changed; return them."""
    SCHEMAS.mkdir(exist_ok=True)
    changed = []
    for path, text in render_all().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
