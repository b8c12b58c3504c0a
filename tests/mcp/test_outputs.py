"""Output schemas: listed for the tools whose answer has a stable shape, and every answer meets them."""

from __future__ import annotations

import jsonschema
import pytest
from mcp import Client

from fluxtools import FluxConfig, get_spec
from fluxtools.mcp import McpToolset, build_server
from fluxtools.mcp.outputs import DATA, output_schema

CALLS = {
    "flux_kustomization_get": {"name": "apps"},
    "flux_helmrelease_get": {"name": "podinfo", "namespace": "apps"},
    "flux_source_get": {"kind": "git", "name": "flux-system"},
    "flux_reconcile": {"kind": "kustomization", "name": "apps"},
    "flux_suspend": {"kind": "kustomization", "name": "apps"},
    "flux_resume": {"kind": "kustomization", "name": "apps"},
    "flux_source_list": {},
    "flux_get_all": {},
    "flux_check": {},
    "flux_export": {"kind": "kustomization", "name": "apps"},
}


def test_every_tool_with_a_schema_is_exercised_here_and_answers_for_one_cluster():
    assert set(CALLS) == set(DATA)
    fleet = {"contexts", "all_contexts"}
    assert all(not fleet & set(get_spec(name).json_schema()["properties"]) for name in DATA)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_the_client_sees_output_schemas_and_answers_meet_them(mode):
    async with Client(build_server(McpToolset(FluxConfig(cluster="demo"))), mode=mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert {name for name, tool in tools.items() if tool.output_schema} == set(DATA)
        assert tools["flux_diagnose"].output_schema is None  # its answer is per cluster in a fleet call
        for name, arguments in CALLS.items():
            result = await client.call_tool(name, arguments)
            assert not result.is_error, (name, result.content[0].text)
            jsonschema.validate(result.structured_content, tools[name].output_schema)
            if name == "flux_export":  # every object of the kind: no name
                every = await client.call_tool(name, {"kind": "git"})
                jsonschema.validate(every.structured_content, tools[name].output_schema)
            if "name" in arguments:
                missing = await client.call_tool(name, {**arguments, "name": "no-such-object"})
                assert missing.is_error
                jsonschema.validate(missing.structured_content, tools[name].output_schema)


def test_a_wrong_answer_is_refused_by_the_schema():
    schema = output_schema("flux_reconcile")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"success": True, "data": {"kind": "Kustomization", "name": "apps"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"success": False, "error": "x"}, schema)
    jsonschema.validate({"success": True, "data": {"truncated": True, "note": "raise max_bytes"}}, schema)
