"""Bytes of the MCP `tools/list` result: what every turn of an MCP client carries into the model's context.

    python benchmarks/mcp_tool_list_size.py

Sizes are of the compact JSON `{"tools": [...]}` that `fluxtools mcp` sends. Per tool: its whole entry,
and what makes it up: the description, the tool's own parameters, the parameters several tools share
(described once, in the server's instructions), the fleet's parameters, the output schema, and the rest
(name, annotations, schema frame).
"""

from __future__ import annotations

import json
from typing import Any

from fluxtools import ALL_SPECS
from fluxtools._published import SEED_SPECS
from fluxtools.mcp import tool_definitions, tool_list_bytes

SHARED = {"max_bytes", "fresh", "status", "name_contains", "limit", "continue"}
FLEET = {"contexts", "all_contexts"}
FRAME = len('{"tools":[]}')


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def parts(definition: dict[str, Any]) -> dict[str, int]:
    """The bytes of one tool's entry, and of each thing that makes it up."""
    properties = definition["inputSchema"]["properties"]

    def bytes_of(names: set[str]) -> int:
        return sum(size(key) + 1 + size(value) + 1 for key, value in properties.items() if key in names)

    shared, fleet = bytes_of(SHARED), bytes_of(FLEET)
    own = bytes_of(set(properties) - SHARED - FLEET)
    total, described = size(definition), size(definition["description"])
    output = size("outputSchema") + 1 + size(definition["outputSchema"]) + 1 if "outputSchema" in definition else 0
    return {
        "total": total,
        "description": described,
        "own": own,
        "shared": shared,
        "fleet": fleet,
        "output": output,
        "rest": total - described - own - shared - fleet - output,
    }


def main() -> None:
    read_only = [spec for spec in ALL_SPECS if not spec.mutating]
    every = tool_list_bytes(tool_definitions(ALL_SPECS))
    rows = [
        (f"all tools ({len(ALL_SPECS)})", every),
        ("  average per tool", round((every - FRAME) / len(ALL_SPECS))),
        (f"the specification's tools ({len(SEED_SPECS)})", tool_list_bytes(tool_definitions(SEED_SPECS))),
        (f"read-only set ({len(read_only)})", tool_list_bytes(tool_definitions(read_only))),
        ("all tools, 3 allowed contexts", tool_list_bytes(tool_definitions(ALL_SPECS, ["dev", "staging", "prod"]))),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>6} bytes")
    print()
    columns = ("total", "description", "own", "shared", "fleet", "output", "rest")
    print(f"{'tool':<26}" + "".join(f"{name:>12}" for name in columns))
    for definition in tool_definitions(ALL_SPECS):
        row = parts(definition)
        print(f"{definition['name']:<26}" + "".join(f"{row[name]:>12}" for name in columns))


if __name__ == "__main__":
    main()
