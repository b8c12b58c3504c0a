"""MCP `outputSchema`s: the envelope around the `data` of the tools whose answer has a stable shape.

A tool whose `data` changes shape with its arguments (a fleet call answers per cluster) has none. An
answer the output budget cut down to a note (`{"truncated": true, "note": …}`) is valid for every tool,
and so is every failure envelope. No SDK needed.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
TEXT: Schema = {"type": ["string", "null"]}
FLAG: Schema = {"type": ["boolean", "null"]}
COUNT: Schema = {"type": "integer", "minimum": 0}
LIST: Schema = {"type": "array"}
MAPPING: Schema = {"type": "object"}


def shape(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """An object with these keys (more may come: shapes grow by adding keys)."""
    return {"type": "object", "properties": {**required, **(optional or {})}, "required": list(required)}


FLUX_OBJECT = {"name": STRING, "namespace": STRING, "status": TEXT, "suspended": FLAG, "conditions": LIST}
"""What every per-object view has."""
TARGET = {"kind": STRING, "name": STRING, "namespace": STRING}
VERDICT = {"verdict": STRING, "revision": TEXT, "duration_secs": {"type": "number"}}


def listing(key: str) -> Schema:
    """A paged list: its items and the exact totals (paging and the budget's cut add keys)."""
    return shape({key: LIST, "total": COUNT, "matched": COUNT, "counts": MAPPING})


DATA: dict[str, Schema] = {
    "flux_kustomization_get": shape({**FLUX_OBJECT, "source": TEXT, "revision": TEXT}),
    "flux_helmrelease_get": shape({**FLUX_OBJECT, "chart": TEXT, "revision": TEXT}),
    "flux_source_get": shape({**FLUX_OBJECT, "kind": STRING, "url": TEXT, "revision": TEXT}),
    "flux_reconcile": shape({**TARGET, "verdict": STRING}, VERDICT),
    "flux_suspend": shape({**TARGET, "suspended": {"type": "boolean"}}),
    "flux_resume": shape({**TARGET, "resumed": FLAG}, VERDICT),
    "flux_source_list": listing("sources"),
    "flux_get_all": listing("objects"),
    "flux_check": shape({"passed": {"type": "boolean"}, "problems": LIST}),
    "flux_export": shape({"kind": STRING, "namespace": STRING, "yaml": STRING}, {"name": STRING}),
}
"""The `data` of each tool with a stable shape."""

CUT = shape({"truncated": {"const": True}, "note": STRING})
"""What is left of an answer that did not fit the output budget at all."""


def output_schema(name: str) -> Schema | None:
    """The envelope schema of tool `name`, or None when its answer has no stable shape."""
    data = DATA.get(name)
    if data is None:
        return None
    return {
        "type": "object",
        "properties": {"success": {"type": "boolean"}, "data": {"anyOf": [data, CUT]}, "error_type": STRING},
        "required": ["success"],
        "if": {"properties": {"success": {"const": True}}},
        "then": {"required": ["data"]},
        "else": {"required": ["error", "error_type"]},
    }
