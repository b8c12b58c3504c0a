"""Fixtures of the MCP tests."""

import pytest

from tests.mcp.support import SERVER_SETTINGS


@pytest.fixture
def served(monkeypatch):
    """Run the command without serving: capture what it would serve."""
    from fluxtools.mcp import server as mcp_server  # the SDK, only for the tests that use this fixture

    calls = []
    monkeypatch.setattr(mcp_server, "serve", lambda toolset, **how: calls.append((toolset, how)))
    for name in SERVER_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return calls
