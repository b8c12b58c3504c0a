"""Tool definitions, context selection and text rendering, without the SDK."""

import json
import secrets

import pytest

from fluxtools import ALL_SPECS, FluxConfig
from fluxtools.integration import content
from fluxtools.mcp import McpToolset, tool_definitions, tool_list_bytes
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object


def toolset(reply=None, contexts=(), **config):
    runner = ScriptedRunner(reply or (lambda argv: (0, json.dumps(ready_object()), "")))
    return McpToolset(FluxConfig(**config), contexts=contexts, runner=runner), runner


def test_every_spec_is_one_tool_with_its_schema_and_flags():
    definitions = tool_definitions(ALL_SPECS)
    assert [d["name"] for d in definitions] == [spec.name for spec in ALL_SPECS]
    for spec, definition in zip(ALL_SPECS, definitions, strict=True):
        assert definition["description"] == spec.description
        assert definition["inputSchema"] == spec.json_schema()
        if spec.mutating:
            assert definition["annotations"] == {
                "readOnlyHint": False,
                "destructiveHint": True,
                "idempotentHint": spec.idempotent,
            }
        else:  # MCP gives destructiveHint and idempotentHint meaning only when readOnlyHint is false
            assert definition["annotations"] == {"readOnlyHint": True}


def test_read_only_lists_no_mutating_tool():
    flux, _ = toolset(read_only=True)
    names = [d["name"] for d in flux.definitions()]
    assert names == [spec.name for spec in ALL_SPECS if not spec.mutating]
    assert {"flux_reconcile", "flux_suspend", "flux_resume"}.isdisjoint(names)


def test_context_property_only_with_an_allow_list():
    plain, _ = toolset()
    assert all("context" not in d["inputSchema"]["properties"] for d in plain.definitions())
    multi, _ = toolset(contexts=["prod", "staging", "prod"], context="dev")
    for definition, spec in zip(multi.definitions(), ALL_SPECS, strict=True):
        props = definition["inputSchema"]["properties"]
        assert props["context"]["enum"] == ["dev", "prod", "staging"]
        assert "context" not in definition["inputSchema"]["required"]
        assert {k: v for k, v in props.items() if k != "context"} == spec.json_schema()["properties"]
    assert "context" not in ALL_SPECS[0].json_schema()["properties"]  # the spec table is untouched


async def test_per_call_context_runs_in_that_context():
    flux, runner = toolset(contexts=["prod", "staging"], context="dev")
    for args in ({"context": "prod"}, {}, {"context": "prod", "fresh": True}):
        assert (await flux.call("flux_kustomization_get", {"name": "apps", **args}))["success"]
    contexts = [argv[argv.index("--context") + 1] for argv in runner.calls]
    assert contexts == ["prod", "dev", "prod"]
    assert flux.tools_for("prod") is flux.tools_for("prod")  # one FluxTools per context


@pytest.mark.parametrize(("value", "error_type"), [("other", "PolicyDenied"), (7, "InvalidInput")])
async def test_context_outside_the_allow_list_is_refused(value, error_type):
    flux, runner = toolset(contexts=["prod", "staging"])
    envelope = await flux.call("flux_kustomization_get", {"name": "apps", "context": value})
    assert envelope["error_type"] == error_type and envelope["field"] == "context"
    assert "prod, staging" in envelope["error"] + envelope.get("hint", "")
    assert runner.calls == []


async def test_context_without_an_allow_list_is_an_unknown_parameter():
    flux, runner = toolset()
    envelope = await flux.call("flux_kustomization_get", {"name": "apps", "context": "prod"})
    assert envelope["error_type"] == "InvalidInput" and "unknown parameter 'context'" in envelope["error"]
    assert runner.calls == []


@pytest.mark.parametrize(
    ("name", "arguments", "error_type"),
    [
        ("flux_kustomization_get", ["apps"], "InvalidInput"),
        ("flux_kustomization_get", {"name": 5}, "InvalidInput"),
        ("flux_kustomization_get", {"name": "apps", "bogus": 1}, "InvalidInput"),
        ("flux_kustomization_get", {"name": "--all"}, "InvalidInput"),
        ("flux_nothing", {}, "UnknownTool"),
    ],
)
async def test_malformed_calls_are_error_envelopes(name, arguments, error_type):
    flux, runner = toolset()
    envelope = await flux.call(name, arguments)
    assert envelope["success"] is False and envelope["error_type"] == error_type
    assert runner.calls == []


async def test_a_bug_costs_one_call_not_the_server():
    def explode(argv):
        raise RuntimeError("boom")

    flux, _ = toolset(explode)
    envelope = await flux.call("flux_kustomization_get", {"name": "apps"})
    assert envelope["error_type"] == "InternalError" and "boom" in envelope["error"]


async def test_internal_error_text_is_masked_and_has_no_traceback(caplog):
    secret = "-".join(["s3cr3t", secrets.token_hex(8)])  # made at run time
    token = secrets.token_urlsafe(24)

    def explode(argv):
        raise ValueError(f"could not parse password={secret} with Authorization: Bearer {token}")

    flux, _ = toolset(explode)
    envelope = await flux.call("flux_kustomization_get", {"name": "apps"})
    text = json.dumps(envelope)
    assert envelope["success"] is False and envelope["error_type"] == "InternalError"
    assert "ValueError" in envelope["error"] and "could not parse" in envelope["error"]
    assert secret not in text and token not in text
    assert "Traceback" not in text and "File " not in text
    assert secret not in caplog.text and token not in caplog.text  # the server's own log is masked too
    assert "Traceback" in caplog.text  # while it keeps the traceback for whoever runs the server


def test_the_text_is_the_shared_content_within_the_call_budget():
    flux, _ = toolset(output_budget_bytes=1024)
    big = {"success": True, "data": {"message": "é" * 5000}}
    assert flux.render(big, {}) == content(big, 2048)
    assert "cut at 2048 of" in flux.render(big, {})


def test_text_limit_follows_the_budget_and_max_bytes():
    flux, _ = toolset(output_budget_bytes=4096)
    assert flux.text_limit({}) == 4096 + 1024
    assert flux.text_limit({"max_bytes": 2048}) == 2048 + 1024
    assert flux.text_limit({"max_bytes": "lots"}) == flux.text_limit(None) == 4096 + 1024
    envelope = {"success": True, "data": {"message": "x" * 4096}}  # an answer at the budget is not cut
    assert json.loads(flux.render(envelope, {})) == envelope


def test_tool_list_bytes_is_the_compact_json_size():
    definitions = tool_definitions(ALL_SPECS)
    expected = len(json.dumps({"tools": definitions}, separators=(",", ":")).encode())
    assert tool_list_bytes(definitions) == expected
    read_only = tool_definitions(spec for spec in ALL_SPECS if not spec.mutating)
    assert 0 < tool_list_bytes(read_only) < expected


SHARED = ("max_bytes", "fresh", "status", "name_contains", "limit", "continue")
FLEET = ("contexts", "all_contexts")
OWN_MEANING = {("flux_diagnose", "name_contains"), ("flux_diagnose", "limit"), ("flux_events", "limit")}
"""Shared names with a tool's own meaning (causes, events), described where they are."""


def test_shared_parameters_are_described_once_in_the_instructions():
    from fluxtools.integration import INSTRUCTIONS

    for spec in ALL_SPECS:
        for name, prop in spec.json_schema()["properties"].items():
            if name in SHARED and (spec.name, name) not in OWN_MEANING:
                assert set(prop) <= {"type", "enum", "default"}, (spec.name, name, prop)
    assert all(name in INSTRUCTIONS for name in SHARED)


def test_the_catalogue_without_the_fleet_parameters_is_within_its_targets():
    """At most 750 bytes a tool on average, and the specification's 8 tools at most 6 KB (compact JSON):
    names, descriptions, input schemas and annotations.

    The fleet's parameters (`contexts`, `all_contexts` on the tools the fleet answers for) and the output
    schemas are counted apart: benchmarks/mcp_tool_list_size.py reports them per tool.
    """
    from fluxtools._published import SEED_SPECS

    def without_fleet(definitions):
        for definition in definitions:
            definition.pop("outputSchema", None)
            for name in FLEET:
                definition["inputSchema"]["properties"].pop(name, None)
        return definitions

    every = tool_list_bytes(without_fleet(tool_definitions(ALL_SPECS))) - len('{"tools":[]}')
    assert every / len(ALL_SPECS) <= 750
    assert tool_list_bytes(without_fleet(tool_definitions(SEED_SPECS))) <= 6 * 1024
