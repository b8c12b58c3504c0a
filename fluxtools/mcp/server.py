"""The MCP server on the official `mcp` SDK: stdio and streamable HTTP.

Importing this module needs the `mcp` extra (`pip install 'fluxtools[mcp]'`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import Any

from mcp import types
from mcp.server import Server
from mcp.server.stdio import stdio_server

from .. import __version__
from .toolset import McpToolset

LOOPBACK = ("127.0.0.1", "localhost", "::1")
INSTRUCTIONS = (
    "Flux CD tools. Every result is an envelope: {success: true, data} or "
    "{success: false, error, error_type, hint}; follow the hint."
)


def build_server(toolset: McpToolset) -> Server[Any]:
    """A low-level SDK server whose tools are the toolset's, generated from the spec table."""
    tools = [types.Tool.model_validate(definition) for definition in toolset.definitions()]
    schemas = {tool.name: tool.input_schema for tool in tools}

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        envelope = await toolset.call(params.name, params.arguments)
        return types.CallToolResult(
            content=[types.TextContent(text=toolset.render(envelope, params.arguments))],
            structured_content=envelope,
            is_error=not envelope.get("success"),
        )

    return Server(
        "fluxtools",
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        get_tool_input_schema=schemas.get,
    )


async def run_stdio(toolset: McpToolset) -> None:
    server = build_server(toolset)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


async def run_http(toolset: McpToolset, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Streamable HTTP at http://HOST:PORT/mcp until interrupted."""
    import uvicorn

    if host not in LOOPBACK:
        logging.getLogger(__name__).warning(
            "Serving Flux tools on %s without authentication; anyone who reaches it can use them", host
        )
    app = build_server(toolset).streamable_http_app(host=host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    await uvicorn.Server(config).serve()


def serve(toolset: McpToolset, *, http: bool = False, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until the client disconnects (stdio) or the process is interrupted (HTTP)."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_http(toolset, host, port) if http else run_stdio(toolset))
