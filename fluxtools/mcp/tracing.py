"""The MCP attributes of a request's server span (the SDK opens it, continuing the client's trace from
`traceparent` in the request's `_meta`); the tool call's own span is a child of it."""

from __future__ import annotations

from typing import Any

from fluxtools._telemetry import otel

SESSION_HEADER = "mcp-session-id"


def annotate(ctx: Any, transport: str | None) -> None:
    """Add what the MCP semantic conventions recommend and the SDK leaves out: session, transport, peer.

    `transport` is `pipe` (stdio) or `tcp` (streamable HTTP); None in process.
    """
    api = otel()
    if api is None:
        return
    span = api.trace.get_current_span()
    if not span.is_recording():
        return
    attributes: dict[str, Any] = {}
    if transport:
        attributes["network.transport"] = transport
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    if headers is not None:
        attributes["network.protocol.name"] = "http"
        session = headers.get(SESSION_HEADER)
        if session:
            attributes["mcp.session.id"] = session
        client = getattr(request, "client", None)
        if client is not None and client.host:
            attributes["client.address"] = client.host
            attributes["client.port"] = client.port
    span.set_attributes(attributes)
