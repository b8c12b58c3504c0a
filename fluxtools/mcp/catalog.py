"""MCP tool definitions derived from the spec table (no SDK needed).

Each ToolSpec becomes one tool in MCP wire form: its name, description, the
argument model's JSON Schema as `inputSchema`, and annotations from the spec's
flags. With an allow-list of kubeconfig contexts every tool also takes an
optional `context` argument.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from typing import Any

from fluxtools.mcp.outputs import output_schema
from fluxtools.specs import ToolSpec

CONTEXT_ARG = "context"


def context_property(contexts: Sequence[str]) -> dict[str, Any]:
    """Schema of the per-call `context` argument: one of the allowed contexts."""
    return {
        "description": "kubeconfig context to run this call in (default: the server's context)",
        "enum": list(contexts),
        "type": "string",
    }


def input_schema(spec: ToolSpec, contexts: Sequence[str] = ()) -> dict[str, Any]:
    """The spec's argument schema, plus `context` when several contexts are allowed."""
    schema = copy.deepcopy(spec.json_schema())
    if contexts:
        schema.setdefault("properties", {})[CONTEXT_ARG] = context_property(contexts)
    return schema


def annotations(spec: ToolSpec) -> dict[str, Any]:
    """MCP behaviour hints from the spec flags.

    A read-only tool says only that: MCP gives the destructive and idempotent hints meaning only when
    readOnlyHint is false.
    """
    if not spec.mutating:
        return {"readOnlyHint": True}
    return {"readOnlyHint": False, "destructiveHint": True, "idempotentHint": spec.idempotent}


def tool_definition(spec: ToolSpec, contexts: Sequence[str] = ()) -> dict[str, Any]:
    """One tool as `tools/list` sends it (with `outputSchema` when its answer has a stable shape)."""
    output = output_schema(spec.name)
    return {
        "name": spec.name,
        "description": spec.description,
        "inputSchema": input_schema(spec, contexts),
        **({"outputSchema": output} if output else {}),
        "annotations": annotations(spec),
    }


def tool_definitions(specs: Iterable[ToolSpec], contexts: Sequence[str] = ()) -> list[dict[str, Any]]:
    return [tool_definition(spec, contexts) for spec in specs]


def tool_list_bytes(definitions: list[dict[str, Any]]) -> int:
    """Size of the compact `tools/list` result: what every turn of an MCP client carries."""
    return len(json.dumps({"tools": definitions}, separators=(",", ":"), ensure_ascii=False).encode())
