"""The SDK server in process: listing, policy and malformed calls, on both protocol eras."""

import json

import pytest
from mcp import Client

from fluxtools import FluxConfig
from fluxtools.mcp import McpToolset, build_server
from fluxtools.testing import ScriptedRunner
from tests.mcp.support import listed, spec_table
from tests.unit.support import ready_object

MODES = ["auto", "legacy"]  # the 2026-07-28 per-request protocol, and the initialize handshake


def server(contexts=(), **config):
    runner = ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), ""))
    return build_server(McpToolset(FluxConfig(**config), contexts=contexts, runner=runner)), runner


@pytest.mark.parametrize("mode", MODES)
async def test_tools_are_the_spec_table(mode):
    app, _ = server()
    async with Client(app, mode=mode) as client:
        tools = (await client.list_tools()).tools
    assert listed(tools) == spec_table()
    for tool in tools:  # the destructive hint only where MCP gives it meaning: tools that are not read-only
        assert tool.annotations.destructive_hint == (None if tool.annotations.read_only_hint else True)


async def test_listed_tools_on_the_wire_are_the_catalog():
    """What the SDK sends is exactly what the catalog (and the size benchmark) measures."""
    toolset = McpToolset(FluxConfig(), contexts=["a", "b"])
    async with Client(build_server(toolset)) as client:
        tools = (await client.list_tools()).tools
    wire = [tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in tools]
    assert wire == toolset.definitions()


@pytest.mark.parametrize("mode", MODES)
async def test_read_only_lists_and_refuses_no_mutation(mode):
    app, runner = server(read_only=True)
    async with Client(app, mode=mode) as client:
        assert listed((await client.list_tools()).tools) == spec_table(read_only=True)
        result = await client.call_tool("flux_reconcile", {"kind": "kustomization", "name": "apps"})
    assert result.is_error
    assert result.structured_content["error_type"] == "PolicyDenied"
    assert "read-only" in result.content[0].text
    assert runner.calls == []


@pytest.mark.parametrize("mode", MODES)
async def test_enforce_namespace_refuses_other_namespaces(mode):
    app, runner = server(enforce_namespace=True, namespace="flux-system")
    async with Client(app, mode=mode) as client:
        result = await client.call_tool("flux_kustomization_get", {"name": "apps", "namespace": "team-b"})
        inside = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert result.is_error
    assert result.structured_content["error_type"] == "PolicyDenied"
    assert "team-b" in result.structured_content["error"]
    assert not inside.is_error
    assert all("team-b" not in argv for argv in runner.calls)


@pytest.mark.parametrize("mode", MODES)
async def test_success_has_structured_and_compact_text_content(mode):
    app, _ = server()
    async with Client(app, mode=mode) as client:
        result = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert not result.is_error
    assert result.structured_content["success"] is True
    assert result.structured_content["data"]["name"] == "apps"
    [text] = result.content
    assert text.type == "text"
    assert text.text == json.dumps(result.structured_content, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize("mode", MODES)
async def test_per_call_context_over_mcp(mode):
    app, runner = server(contexts=["prod", "staging"], context="dev")
    async with Client(app, mode=mode) as client:
        tools = (await client.list_tools()).tools
        assert all(tool.input_schema["properties"]["context"]["enum"] == ["dev", "prod", "staging"] for tool in tools)
        ok = await client.call_tool("flux_kustomization_get", {"name": "apps", "context": "staging"})
        refused = await client.call_tool("flux_kustomization_get", {"name": "apps", "context": "kind-other"})
    assert not ok.is_error
    assert runner.calls[-1][runner.calls[-1].index("--context") + 1] == "staging"
    assert refused.is_error and refused.structured_content["error_type"] == "PolicyDenied"


@pytest.mark.parametrize("mode", MODES)
async def test_malformed_calls_are_tool_errors_and_the_server_goes_on(mode):
    app, _ = server()
    async with Client(app, mode=mode) as client:
        results = [
            await client.call_tool("flux_kustomization_get", {"name": 5}),
            await client.call_tool("flux_kustomization_get", {"name": "apps", "bogus": True}),
            await client.call_tool("flux_kustomization_get", {}),
            await client.call_tool("flux_does_not_exist", {}),
            await client.call_tool("flux_kustomization_get", None),
        ]
        after = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert all(result.is_error for result in results)
    assert [r.structured_content["error_type"] for r in results] == [
        "InvalidInput",
        "InvalidInput",
        "InvalidInput",
        "UnknownTool",
        "InvalidInput",
    ]
    assert "unknown parameter 'bogus'" in results[1].content[0].text
    assert "'name' is required" in results[2].content[0].text
    assert not after.is_error
