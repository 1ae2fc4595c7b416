"""JSON Schemas of the data files, for editors (autocomplete and checks while typing).

Each data file can name its schema in a first-line comment that the YAML language server
(VS Code, Neovim, JetBrains) understands:

    # yaml-language-server: $schema=../../scripts/kb/schemas/actor.schema.json

The schemas are derived from the pydantic models, so they never disagree with the validator
on the fields of a record; references between records are checked only by the validator. A field
that takes a vocabulary's terms (``Vocab`` in schema.py) lists them as an enum, read from the
vocabularies in ``data/vocabularies/``: after adding a term there, run
``python scripts/knowledge_base.py schema`` so that editors offer it (the validator accepts it at once).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .registry import REGISTRY, RecordType
from .schema import with_terms

SCHEMAS = Path(__file__).parent / "schemas"
VOCABULARIES = Path(__file__).resolve().parents[2] / "data" / "vocabularies"


def vocabulary_terms(folder: Path = VOCABULARIES) -> dict[str, list[tuple[str, str]]]:
    """vocabulary id → [(term id, term name)], as the data files list them (malformed entries,
    which the validator reports, are skipped)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        for vocabulary in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(vocabulary, dict) and isinstance(vocabulary.get("id"), str):
                terms = [t for t in vocabulary.get("terms") or [] if isinstance(t, dict) and isinstance(t.get("id"), str)]
                out[vocabulary["id"]] = [(t["id"], str(t.get("name") or t["id"])) for t in terms]
    return out


def schema_for(rtype: RecordType) -> dict:
    record = rtype.model.model_json_schema(by_alias=True)
    with_terms(record, vocabulary_terms(), for_editors=True)
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
