"""`/metrics` beside `/mcp`: the server's counters in the Prometheus text format, behind the same token rule.

With a bearer token (required off loopback) the SDK's own check guards it as it guards `/mcp`; without
one (loopback only) a request must name a loopback host, as the SDK's DNS-rebinding protection asks of `/mcp`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.auth.middleware.bearer_auth import RequireAuthMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from fluxtools.mcp.auth import is_loopback

METRICS_PATH = "/metrics"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def host_name(host_header: str) -> str:
    """`127.0.0.1:8000` → `127.0.0.1`, `[::1]:8000` → `::1`."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class MetricsApp:
    """The ASGI endpoint answering with `text()`."""

    def __init__(self, text: Callable[[], str], *, check_host: bool) -> None:
        self.text = text
        self.check_host = check_host

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        if self.check_host and not is_loopback(host_name(request.headers.get("host", ""))):
            response = PlainTextResponse("Invalid Host header\n", status_code=421)
        else:
            response = PlainTextResponse(self.text(), media_type=CONTENT_TYPE)
        await response(scope, receive, send)


def metrics_route(text: Callable[[], str], *, token_required: bool) -> Route:
    """The `/metrics` route: the bearer token when the server has one, else loopback hosts only."""
    app: Any = MetricsApp(text, check_host=not token_required)
    if token_required:
        app = RequireAuthMiddleware(app, [], None)
    return Route(METRICS_PATH, endpoint=app, methods=["GET"])
