"""The MCP server on the official `mcp` SDK: stdio and streamable HTTP.

Importing this module needs the `mcp` extra (from a checkout: `pip install -e '.[mcp]'`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
from typing import Any

from mcp import types
from mcp.server import Server
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.stdio import stdio_server
from starlette.applications import Starlette

from fluxtools import __version__
from fluxtools.integration import INSTRUCTIONS
from fluxtools.mcp import approval, tracing
from fluxtools.mcp.auth import require_token_off_loopback, token_matches
from fluxtools.mcp.metrics import METRICS_PATH, metrics_route
from fluxtools.mcp.prompting import prompt_handlers
from fluxtools.mcp.toolset import McpToolset


def build_server(toolset: McpToolset, transport: str | None = None) -> Server[Any]:
    """A low-level SDK server whose tools are the toolset's, generated from the spec table.

    `transport` (`pipe`, `tcp`) goes on the requests' trace spans.
    """
    tools = [types.Tool.model_validate(definition) for definition in toolset.definitions()]
    schemas = {tool.name: tool.input_schema for tool in tools}

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(
        ctx: Any, params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        tracing.annotate(ctx, transport)
        envelope = await approval.call(toolset, ctx, params)
        if isinstance(envelope, types.InputRequiredResult):
            return envelope  # the person at the client is asked first
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
        **prompt_handlers(toolset),
    )


class BearerTokenVerifier:
    """The SDK's `TokenVerifier` for one static bearer token."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def verify_token(self, token: str) -> AccessToken | None:
        if not token_matches(self._token, token):
            return None
        return AccessToken(token=token, client_id="fluxtools-bearer", scopes=[])


def http_url(host: str, port: int) -> str:
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


async def run_stdio(toolset: McpToolset) -> None:
    server = build_server(toolset, "pipe")
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


async def run_http(toolset: McpToolset, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Streamable HTTP at http://HOST:PORT/mcp until interrupted; with `token`, only for that bearer token.

    Loopback addresses keep the SDK's DNS-rebinding protection; any other address needs a token.
    """
    require_token_off_loopback(host, token)
    import uvicorn

    app = http_app(toolset, host, port, token)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    with socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET) as listening:
        print(listening_message(host, listening.getsockname()[1], token is not None), file=sys.stderr, flush=True)
        await uvicorn.Server(config).serve(sockets=[listening])


def http_app(toolset: McpToolset, host: str, port: int, token: str | None) -> Starlette:
    """The ASGI app: `/mcp` and `/metrics`, with the bearer token when there is one."""
    server = build_server(toolset, "tcp")
    routes = [metrics_route(toolset.metrics.prometheus_text, token_required=token is not None)]
    if token is None:
        return server.streamable_http_app(host=host, custom_starlette_routes=routes)
    # A resource server with a static token: no OAuth routes, no resource metadata.
    auth = AuthSettings(issuer_url=http_url(host, port), resource_server_url=None)
    return server.streamable_http_app(
        host=host, auth=auth, token_verifier=BearerTokenVerifier(token), custom_starlette_routes=routes
    )


def listening_message(host: str, port: int, token_required: bool) -> str:
    """What `fluxtools mcp --http` says on start: where it listens, whether a token is required, the metrics."""
    url = http_url(host, port)
    guard = "a bearer token is required" if token_required else "no token required: loopback only"
    return f"fluxtools MCP server listening on {url}/mcp ({guard}); Prometheus metrics at {url}{METRICS_PATH}"


def serve(
    toolset: McpToolset, *, http: bool = False, host: str = "127.0.0.1", port: int = 8000, token: str | None = None
) -> None:
    """Serve until the client disconnects (stdio) or the process is interrupted (HTTP)."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_http(toolset, host, port, token) if http else run_stdio(toolset))
