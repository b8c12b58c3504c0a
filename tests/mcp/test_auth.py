"""MCP over HTTP: a bearer token guards every non-loopback bind; loopback keeps DNS-rebinding protection.

Traffic goes to 127.0.0.1 only; the non-loopback refusal is tested on the check and the command,
which refuse before anything binds.
"""

from __future__ import annotations

import asyncio
import json
import secrets

import httpx2
import pytest
from click.testing import CliRunner
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from fluxtools._config import ConfigError, FluxConfig
from fluxtools.cli import main
from fluxtools.mcp import auth
from fluxtools.mcp import server as mcp_server
from fluxtools.mcp.toolset import McpToolset
from tests.mcp.support import http_server, listed, spec_table

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
}
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def new_token() -> str:
    """A token made at run time, never stored in the repository."""
    return secrets.token_urlsafe(24)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.9", False),  # loopback, but outside the SDK's DNS-rebinding allow-list
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("flux.example.com", False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert auth.is_loopback(host) is loopback


def test_a_non_loopback_bind_without_a_token_is_refused():
    with pytest.raises(ConfigError) as refused:
        auth.require_token_off_loopback("0.0.0.0", None)
    assert "0.0.0.0" in refused.value.message
    assert auth.TOKEN_ENV in refused.value.message and "--token-file" in refused.value.message
    auth.require_token_off_loopback("0.0.0.0", new_token())
    auth.require_token_off_loopback("127.0.0.1", None)


def test_the_token_comes_from_the_file_or_the_environment(tmp_path):
    token, other = new_token(), new_token()
    path = tmp_path / "token"
    path.write_text(token + "\n")
    assert auth.read_token(None, {}) is None
    assert auth.read_token(None, {auth.TOKEN_ENV: f" {other} "}) == other
    assert auth.read_token(str(path), {auth.TOKEN_ENV: other}) == token  # the file named on the command line wins


@pytest.mark.parametrize("content", ["", "   \n", "short"])
def test_an_empty_or_short_token_is_refused(tmp_path, content):
    path = tmp_path / "token"
    path.write_text(content)
    with pytest.raises(ConfigError, match="at least"):
        auth.read_token(str(path), {})
    with pytest.raises(ConfigError, match="at least"):
        auth.read_token(None, {auth.TOKEN_ENV: content})


def test_an_unreadable_token_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="Cannot read the token file"):
        auth.read_token(str(tmp_path / "missing"), {})


def test_tokens_are_compared_in_constant_time(monkeypatch):
    token = new_token()
    compared = []
    real = auth.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert auth.token_matches(token, token)
    assert not auth.token_matches(token, token[:-1])
    assert not auth.token_matches(token, "é" + token[1:])
    assert len(compared) == 3 and all(isinstance(a, bytes) and isinstance(b, bytes) for a, b in compared)


async def test_the_verifier_accepts_only_the_token():
    token = new_token()
    verifier = mcp_server.BearerTokenVerifier(token)
    assert (await verifier.verify_token(token)) is not None
    assert (await verifier.verify_token(new_token())) is None
    assert (await verifier.verify_token("")) is None


def test_run_http_itself_refuses_a_non_loopback_bind_without_a_token():
    toolset = McpToolset(FluxConfig(cluster="demo"))
    with pytest.raises(ConfigError, match=auth.TOKEN_ENV):
        asyncio.run(mcp_server.run_http(toolset, host="0.0.0.0", port=1, token=None))


def test_the_command_refuses_a_non_loopback_bind_without_a_token(served):
    result = CliRunner().invoke(main, ["mcp", "--http", "--host", "0.0.0.0", "--cluster", "demo"])
    assert result.exit_code == 2
    assert "without authentication" in result.output and auth.TOKEN_ENV in result.output
    assert served == []


def test_the_command_passes_the_token_from_the_environment_or_a_file(served, tmp_path, monkeypatch):
    from_env, from_file = new_token(), new_token()
    monkeypatch.setenv(auth.TOKEN_ENV, from_env)
    result = CliRunner().invoke(main, ["mcp", "--http", "--host", "0.0.0.0", "--port", "9000"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "token"
    path.write_text(from_file)
    result = CliRunner().invoke(main, ["mcp", "--http", "--token-file", str(path)])
    assert result.exit_code == 0, result.output
    assert [how for _, how in served] == [
        {"http": True, "host": "0.0.0.0", "port": 9000, "token": from_env},
        {"http": True, "host": "127.0.0.1", "port": 8000, "token": from_file},
    ]
    assert from_env not in result.output and from_file not in result.output


def test_a_token_file_needs_http(served, tmp_path):
    path = tmp_path / "token"
    path.write_text(new_token())
    result = CliRunner().invoke(main, ["mcp", "--token-file", str(path)])
    assert result.exit_code == 2 and "--http" in result.output
    assert served == []


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def leaves(error: BaseException) -> list[BaseException]:
    nested = getattr(error, "exceptions", None)
    return [leaf for inner in nested for leaf in leaves(inner)] if nested else [error]


async def sdk_refusal(client: Client) -> list[MCPError]:
    """The MCP errors the SDK client ends in when the server refuses it; fails if it connects."""
    try:
        async with client:
            await client.list_tools()
    except Exception as error:  # the SDK wraps the refusal in task-group exception groups
        return [leaf for leaf in leaves(error) if isinstance(leaf, MCPError)]
    raise AssertionError("the SDK client connected without the right token")


async def test_http_with_a_token_answers_only_the_token(tmp_path):
    token = new_token()
    with http_server("--cluster", "demo", log=tmp_path / "server.log", env={auth.TOKEN_ENV: token}) as url:
        async with httpx2.AsyncClient(timeout=30) as raw:
            for headers in ({}, bearer(new_token()), bearer(token[:-1]), {"Authorization": token}):
                refused = await raw.post(url, json=INITIALIZE, headers={**ACCEPT, **headers})
                assert refused.status_code == 401, (headers, refused.text)
                assert json.loads(refused.text)["error"] == "invalid_token"
            # the right token from a page elsewhere still meets the DNS-rebinding check
            rebound = await raw.post(url, json=INITIALIZE, headers={**ACCEPT, **bearer(token), "Host": "evil.test"})
            assert rebound.status_code == 421

        assert await sdk_refusal(Client(url))
        async with httpx2.AsyncClient(headers=bearer(new_token())) as wrong:
            assert await sdk_refusal(Client(streamable_http_client(url, http_client=wrong)))

        right = httpx2.AsyncClient(headers=bearer(token))
        async with right, Client(streamable_http_client(url, http_client=right)) as client:
            assert listed((await client.list_tools()).tools) == spec_table(fleet=True)
            apps = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert apps.structured_content["data"]["name"] == "apps"
    assert token not in (tmp_path / "server.log").read_text()


async def test_http_on_loopback_without_a_token_keeps_dns_rebinding_protection(tmp_path):
    with http_server("--cluster", "demo", log=tmp_path / "server.log") as url:
        async with httpx2.AsyncClient(timeout=30) as raw:
            rebound = await raw.post(url, json=INITIALIZE, headers={**ACCEPT, "Host": "evil.test"})
            assert rebound.status_code == 421
            local = await raw.post(url, json=INITIALIZE, headers=ACCEPT)
            assert local.status_code == 200, local.text
