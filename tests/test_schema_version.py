"""The Report's JSON Schema changes only with a new ``schema_version`` and its history line.

Each version's schema is pinned by a fingerprint: a hash of ``Report.model_json_schema()`` without
its human-readable annotations (titles, descriptions), so rewording a description needs no bump
but adding, removing or retyping a field, or changing a default or an enum, does.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from wa_audit.models import SCHEMA_VERSION, Report
from wa_audit.models.report import SCHEMA_HISTORY

FINGERPRINTS = {
    "1.2": "b156ae27fe1511af",
    "1.3": "525b840cee75ff1d",
}
"""schema_version -> fingerprint of its schema. When the schema changes: bump SCHEMA_VERSION, add
its entry to SCHEMA_HISTORY in wa_audit/models/report.py, and add its fingerprint here (a version
not yet released may instead have its fingerprint and history entry updated)."""

_ANNOTATIONS = frozenset({"title", "description", "examples"})
_NAMED_SCHEMAS = frozenset({"properties", "$defs", "patternProperties"})
_DATA = frozenset({"default", "const", "enum"})


def _structure(schema: Any) -> Any:
    """The schema without annotations; field names and data (defaults, enums) are kept as is."""
    if isinstance(schema, list):
        return [_structure(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key in _NAMED_SCHEMAS:
            kept[key] = {name: _structure(sub) for name, sub in value.items()}
        elif key in _DATA:
            kept[key] = value
        else:
            kept[key] = _structure(value)
    return kept


def fingerprint(schema: dict[str, Any]) -> str:
    canonical = json.dumps(_structure(schema), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def test_the_schema_is_the_one_its_version_promises():
    current = fingerprint(Report.model_json_schema())
    assert FINGERPRINTS.get(SCHEMA_VERSION) == current, (
        f"The Report's JSON schema is not the one of schema_version {SCHEMA_VERSION} "
        f"(fingerprint {current}): bump SCHEMA_VERSION, add its entry to SCHEMA_HISTORY in "
        "wa_audit/models/report.py, and record the fingerprint in FINGERPRINTS."
    )


def test_the_history_ends_with_the_current_version():
    versions = [version for version, _ in SCHEMA_HISTORY]
    assert versions[-1] == SCHEMA_VERSION
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))))
    assert set(FINGERPRINTS) <= set(versions)


def test_users_read_the_history_in_the_schema_itself(run_cli):
    """``wa-audit schema`` describes the Report with every version and what it added."""
    result = run_cli("schema")
    assert result.exit_code == 0
    description = json.loads(result.output)["description"]
    assert f"schema_version {SCHEMA_VERSION}." in description
    history = description.split("Schema history:\n", 1)[1].splitlines()
    assert history == [f"- {version}: {added}" for version, added in SCHEMA_HISTORY]
    assert history[-1].startswith(f"- {SCHEMA_VERSION}: Report.organization:")


def test_a_field_added_or_retyped_changes_the_fingerprint_and_a_description_does_not():
    schema = Report.model_json_schema()
    reworded = json.loads(json.dumps(schema))
    reworded["properties"]["aborted"]["description"] = "Reworded."
    reworded["properties"]["title"] = {"type": "string"}  # a field named like an annotation
    added = json.loads(json.dumps(schema))
    added["properties"]["thresholds"] = {"type": "object"}
    retyped = json.loads(json.dumps(schema))
    retyped["properties"]["exit_code"]["type"] = "string"

    assert fingerprint(json.loads(json.dumps(schema))) == fingerprint(schema)
    assert fingerprint({**schema, "description": "Reworded."}) == fingerprint(schema)
    assert fingerprint(reworded) != fingerprint(schema)  # only because of the field named title
    del reworded["properties"]["title"]
    assert fingerprint(reworded) == fingerprint(schema)
    assert fingerprint(added) != fingerprint(schema)
    assert fingerprint(retyped) != fingerprint(schema)
