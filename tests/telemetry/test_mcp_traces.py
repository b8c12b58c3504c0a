"""Over MCP the client's trace continues: `traceparent` in the request's `_meta` is the server span's parent,
and the tool's span and its commands are children of the server span, which carries the MCP attributes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket

import uvicorn
from mcp import Client
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from fluxtools import FluxConfig
from fluxtools.mcp import McpToolset, build_server
from fluxtools.mcp.server import http_app
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object

NOT_FOUND = 'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "apps" not found'


def app(code=0, transport=None):
    reply = (0, json.dumps(ready_object()), "") if code == 0 else (1, "", NOT_FOUND)
    toolset = McpToolset(FluxConfig(), runner=ScriptedRunner(lambda argv: reply))
    return build_server(toolset, transport)


def finished(spans, name):
    [span] = [span for span in spans.get_finished_spans() if span.name == name]
    return span


def assert_chain(spans, parent_trace: int, parent_span: int) -> None:
    """server span (remote parent from `_meta`) → the tool's span → its command, all in the client's trace."""
    server = finished(spans, "tools/call flux_kustomization_get")
    tool = finished(spans, "execute_tool flux_kustomization_get")
    command = finished(spans, "kubectl get")
    assert {server.context.trace_id, tool.context.trace_id, command.context.trace_id} == {parent_trace}
    assert server.kind == SpanKind.SERVER
    assert server.parent.is_remote and server.parent.span_id == parent_span
    assert tool.parent.span_id == server.context.span_id
    assert command.parent.span_id == tool.context.span_id
    assert server.attributes["mcp.method.name"] == "tools/call"
    assert server.attributes["gen_ai.tool.name"] == "flux_kustomization_get"
    assert server.attributes["gen_ai.operation.name"] == "execute_tool"
    assert "jsonrpc.request.id" in server.attributes and "mcp.protocol.version" in server.attributes
    assert tool.attributes["gen_ai.tool.name"] == "flux_kustomization_get"


async def test_the_official_clients_traceparent_is_continued(spans):
    """The SDK client (initialize handshake) injects its span's `traceparent` into `_meta`."""
    async with Client(app(transport="pipe"), mode="legacy") as client:
        with trace.get_tracer("tests").start_as_current_span("agent turn"):
            result = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert not result.is_error
    sent = finished(spans, "MCP send tools/call flux_kustomization_get")
    assert_chain(spans, sent.context.trace_id, sent.context.span_id)
    assert finished(spans, "tools/call flux_kustomization_get").attributes["network.transport"] == "pipe"


async def test_a_traceparent_written_by_any_client_is_continued(spans):
    """A client without OpenTelemetry writes the W3C header into `_meta` itself (2026-07-28 protocol)."""
    trace_id, span_id = 0x4BF92F3577B34DA6A3CE929D0E0E4736, 0x00F067AA0BA902B7
    traceparent = f"00-{trace_id:032x}-{span_id:016x}-01"
    async with Client(app()) as client:
        result = await client.call_tool("flux_kustomization_get", {"name": "apps"}, meta={"traceparent": traceparent})
    assert not result.is_error
    assert_chain(spans, trace_id, span_id)


async def test_a_failed_call_marks_both_spans(spans):
    async with Client(app(code=1)) as client:
        with trace.get_tracer("tests").start_as_current_span("agent turn"):
            result = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert result.is_error
    assert finished(spans, "tools/call flux_kustomization_get").attributes["error.type"] == "tool_error"
    assert finished(spans, "execute_tool flux_kustomization_get").attributes["error.type"] == "NotFound"


@contextlib.asynccontextmanager
async def served_over_http():
    """The HTTP app of `fluxtools mcp --http` on a free loopback port, in this process (its spans are ours)."""
    toolset = McpToolset(FluxConfig(), runner=ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), "")))
    with socket.create_server(("127.0.0.1", 0)) as listening:
        port = listening.getsockname()[1]
        config = uvicorn.Config(http_app(toolset, "127.0.0.1", port, None), log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve(sockets=[listening]))
        try:
            while not server.started:
                await asyncio.sleep(0.01)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            server.should_exit = True
            await serving


async def test_over_http_the_server_span_carries_transport_session_and_peer(spans):
    async with served_over_http() as url, Client(url, mode="legacy") as client:
        with trace.get_tracer("tests").start_as_current_span("agent turn"):
            result = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert not result.is_error
    sent = finished(spans, "MCP send tools/call flux_kustomization_get")
    assert_chain(spans, sent.context.trace_id, sent.context.span_id)
    server = finished(spans, "tools/call flux_kustomization_get").attributes
    assert server["network.transport"] == "tcp" and server["network.protocol.name"] == "http"
    assert server["mcp.session.id"] and server["client.address"] == "127.0.0.1" and server["client.port"] > 0
