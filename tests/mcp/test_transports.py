"""The real command over stdio and streamable HTTP, driven by the SDK's client."""

import json
import subprocess

from mcp import Client, StdioServerParameters

from tests.mcp.support import ROOT, VERDICTS, http_server, listed, server_argv, server_env, spec_table


def stdio(*options):
    command, *args = server_argv(*options)
    return StdioServerParameters(command=command, args=args, env=server_env(), cwd=ROOT)


async def exercise_demo(client: Client) -> None:
    """List, read and mutate on the demo cluster; the mutation gets a verdict."""
    assert listed((await client.list_tools()).tools) == spec_table(fleet=True)  # the demo answers fleet calls

    listing = await client.call_tool("flux_kustomization_list", {})
    assert not listing.is_error, listing.content[0].text
    assert json.loads(listing.content[0].text) == listing.structured_content
    assert listing.structured_content["success"] is True

    apps = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert not apps.is_error, apps.content[0].text
    assert apps.structured_content["data"]["name"] == "apps"

    reconcile = await client.call_tool("flux_reconcile", {"kind": "kustomization", "name": "apps", "with_source": True})
    assert reconcile.structured_content["success"] is True, reconcile.content[0].text
    assert reconcile.structured_content["data"]["verdict"] in VERDICTS

    for action in ("flux_suspend", "flux_resume"):
        result = await client.call_tool(action, {"kind": "kustomization", "name": "apps"})
        assert not result.is_error, result.content[0].text


async def test_stdio_demo_cluster_list_read_and_mutate():
    async with Client(stdio("--cluster", "demo")) as client:
        await exercise_demo(client)


async def test_http_demo_cluster_list_read_and_mutate(tmp_path):
    with http_server("--cluster", "demo", log=tmp_path / "server.log") as url:
        async with Client(url) as client:
            await exercise_demo(client)


async def test_stdio_read_only_listing_and_refusal():
    async with Client(stdio("--read-only", "--cluster", "demo")) as client:
        assert listed((await client.list_tools()).tools) == spec_table(read_only=True, fleet=True)
        result = await client.call_tool("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert result.is_error and result.structured_content["error_type"] == "PolicyDenied"


async def test_http_read_only_listing_and_enforced_namespace(tmp_path):
    options = ("--read-only", "--enforce-namespace", "--namespace", "flux-system", "--cluster", "demo")
    with http_server(*options, log=tmp_path / "server.log") as url:
        async with Client(url, mode="legacy") as client:  # the initialize handshake, as older clients do
            assert listed((await client.list_tools()).tools) == spec_table(read_only=True, fleet=True)
            result = await client.call_tool("flux_kustomization_get", {"name": "apps", "namespace": "team-b"})
    assert result.is_error and result.structured_content["error_type"] == "PolicyDenied"


def test_stdio_survives_garbage_and_malformed_requests():
    """Raw JSON-RPC lines: broken JSON and bad requests get an error or nothing, and the server goes on."""
    initialize = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}
    bad_name = {"name": "flux_kustomization_get", "arguments": {"name": "../etc"}}
    not_an_object = {"name": "flux_kustomization_get", "arguments": 1}
    lines = [
        "this is not json",
        '{"jsonrpc": "2.0", "id": 0, "method": "tools/list"',
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": not_an_object},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"arguments": {}}},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": bad_name},
        {"jsonrpc": "2.0", "id": 5, "method": "no/such/method"},
        {"jsonrpc": "2.0", "id": 6, "method": "tools/list"},
    ]
    process = subprocess.Popen(
        server_argv("--cluster", "demo"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=server_env(),
        cwd=ROOT,
    )
    replies = {}
    try:
        for line in lines:
            process.stdin.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
            process.stdin.flush()
            if isinstance(line, dict) and line.get("id"):
                reply = json.loads(process.stdout.readline())
                replies[reply["id"]] = reply
        process.stdin.close()
        assert process.wait(timeout=30) == 0, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert replies[1]["result"]["serverInfo"]["name"] == "fluxtools"
    assert replies[2]["error"]["code"] == -32602 and replies[3]["error"]["code"] == -32602
    assert replies[4]["result"]["isError"] is True
    assert replies[4]["result"]["structuredContent"]["error_type"] == "InvalidInput"
    assert replies[5]["error"]["code"] == -32601
    assert len(replies[6]["result"]["tools"]) == len(spec_table())
