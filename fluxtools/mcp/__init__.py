"""fluxtools over the Model Context Protocol: every spec in the table is one MCP tool.

`fluxtools mcp` serves them over stdio, `fluxtools mcp --http` over streamable
HTTP (with `/metrics` beside `/mcp`). The definitions (`catalog`, `outputs`,
`prompts`) and the call path (`toolset`) need nothing beyond the core; the server
(`server`, with `approval` by elicitation, `prompting`, `metrics`, `tracing`)
needs the `mcp` extra (from a checkout: `pip install -e '.[mcp]'`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fluxtools.mcp.catalog import (
    CONTEXT_ARG,
    annotations,
    input_schema,
    tool_definition,
    tool_definitions,
    tool_list_bytes,
)
from fluxtools.mcp.toolset import McpToolset

if TYPE_CHECKING:
    from mcp.server import Server


def build_server(toolset: McpToolset, transport: str | None = None) -> Server[Any]:
    """The SDK server for `toolset` (imports the `mcp` SDK)."""
    from fluxtools.mcp.server import build_server as build

    return build(toolset, transport)


__all__ = [
    "CONTEXT_ARG",
    "McpToolset",
    "annotations",
    "build_server",
    "input_schema",
    "tool_definition",
    "tool_definitions",
    "tool_list_bytes",
]
