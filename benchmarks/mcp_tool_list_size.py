"""Bytes of the MCP `tools/list` result: what every turn of an MCP client carries into the model's context.

    python benchmarks/mcp_tool_list_size.py

Sizes are of the compact JSON `{"tools": [...]}` that `fluxtools mcp` sends.
"""

from __future__ import annotations

from fluxtools import ALL_SPECS
from fluxtools.mcp import tool_definitions, tool_list_bytes


def main() -> None:
    read_only = [spec for spec in ALL_SPECS if not spec.mutating]
    rows = [
        (f"all tools ({len(ALL_SPECS)})", tool_list_bytes(tool_definitions(ALL_SPECS))),
        (f"read-only set ({len(read_only)})", tool_list_bytes(tool_definitions(read_only))),
        ("all tools, 3 allowed contexts", tool_list_bytes(tool_definitions(ALL_SPECS, ["dev", "staging", "prod"]))),
    ]
    rows += [(f"  {spec.name}", tool_list_bytes(tool_definitions([spec])) - len('{"tools":[]}')) for spec in ALL_SPECS]
    width = max(len(label) for label, _ in rows)
    for label, size in rows:
        print(f"{label:<{width}}  {size:>6} bytes")


if __name__ == "__main__":
    main()
