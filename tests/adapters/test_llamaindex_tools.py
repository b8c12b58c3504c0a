"""llama-index-tools-fluxcd on ScriptedRunner: spec functions, FunctionTools, validation, agent specs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from llama_index.core.tools import FunctionTool
from llama_index.core.tools.calling import acall_tool, call_tool
from llama_index.tools.fluxcd import FluxToolError, FluxToolSpec

from fluxtools import ALL_SPECS, REGISTRY, ConfigError, FluxConfig, UnknownTool
from fluxtools.specs import SEED_SPECS
from tests.adapters.fakes import FakeCluster

SPECS = Path(__file__).parent / "agent_specs"


@pytest.fixture
def cluster() -> FakeCluster:
    return FakeCluster()


@pytest.fixture
def spec(cluster: FakeCluster) -> FluxToolSpec:
    return FluxToolSpec(runner=cluster.runner)


def by_name(spec: FluxToolSpec) -> dict[str, FunctionTool]:
    return {tool.metadata.name or "": tool for tool in spec.to_tool_list()}


def test_spec_functions_cover_every_spec(spec: FluxToolSpec) -> None:
    expected = [(s.name, "a" + s.name) for s in ALL_SPECS]
    assert FluxToolSpec.spec_functions == expected and spec.spec_functions == expected
    for sync, asynchronous in expected:
        assert callable(getattr(spec, sync)) and callable(getattr(spec, asynchronous))


def test_function_tools_from_the_spec_table(spec: FluxToolSpec) -> None:
    tools = spec.to_tool_list()
    assert [tool.metadata.name for tool in tools] == [s.name for s in ALL_SPECS]
    for tool, flux_spec in zip(tools, ALL_SPECS, strict=True):
        assert isinstance(tool, FunctionTool)
        assert tool.metadata.fn_schema is flux_spec.args_model
        assert tool.metadata.description == flux_spec.description and len(tool.metadata.description) < 1024
        assert tool.fn.__name__ == flux_spec.name and tool.async_fn.__name__ == "a" + flux_spec.name
        parameters = tool.metadata.to_openai_tool()["function"]["parameters"]
        assert parameters == {k: v for k, v in flux_spec.json_schema().items() if k != "additionalProperties"}


def test_content_is_compact_json_and_raw_output_the_envelope(spec: FluxToolSpec) -> None:
    output = by_name(spec)["flux_kustomization_get"].call(name="apps")
    assert not output.is_error
    assert json.loads(output.content) == output.raw_output
    assert output.raw_output["data"]["name"] == "apps"
    assert " " not in output.content.split('"status"')[0]  # compact separators


async def test_async_calls(spec: FluxToolSpec) -> None:
    output = await by_name(spec)["flux_helmrelease_list"].acall()
    assert output.raw_output["data"]["total"] == 2
    assert (await spec.aflux_logs(level="error"))["data"]["lines"] == 1  # type: ignore[attr-defined]


def test_methods_return_the_envelope_or_raise(spec: FluxToolSpec) -> None:
    assert spec.flux_kustomization_list()["success"] is True  # type: ignore[attr-defined]
    with pytest.raises(FluxToolError) as caught:
        spec.flux_kustomization_get(name="does-not-exist")  # type: ignore[attr-defined]
    assert caught.value.error_type == "NotFound"
    assert json.loads(str(caught.value)) == caught.value.envelope


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"name": "Apps"}, "'name': 'Apps' is not a valid Kubernetes name"),
        ({}, "'name' is required"),
        ({"name": "apps", "colour": "red"}, "unknown parameter 'colour' (allowed: name, namespace"),
        ({"name": 7}, "'name' must be a string, got int"),
    ],
)
def test_the_adapter_validates_and_the_message_is_for_the_model(spec: FluxToolSpec, kwargs: dict, text: str) -> None:
    tool = by_name(spec)["flux_kustomization_get"]
    with pytest.raises(FluxToolError) as caught:
        tool.call(**kwargs)
    envelope = caught.value.envelope
    assert envelope["error_type"] == "InvalidInput" and text in envelope["error"]
    assert envelope["hint"].startswith("Parameters of flux_kustomization_get:")


def test_llamaindex_machinery_turns_errors_into_error_outputs(spec: FluxToolSpec) -> None:
    tools = spec.to_tool_list()
    tool = by_name(spec)["flux_kustomization_get"]
    output = call_tool(tool, {"name": "does-not-exist"})
    assert output.is_error and "NotFound" in output.content
    assert call_tool(tool, {"name": "apps"}).raw_output["success"] is True
    assert tools  # the other tools stay usable after an error


async def test_async_machinery(spec: FluxToolSpec) -> None:
    output = await acall_tool(by_name(spec)["flux_helmrelease_get"], {"name": "podinfo"})
    assert output.is_error and "'namespace' is required" in output.content


def test_sync_only_and_async_only_tools(spec: FluxToolSpec) -> None:
    sync_only, async_only = spec.to_tool_list(spec_functions=["flux_logs", "aflux_stats"])
    assert sync_only.metadata.name == "flux_logs" and async_only.metadata.name == "flux_stats"
    assert sync_only.call(kind="helm-controller").raw_output["data"]["controller"] == "helm-controller"


def test_read_only_and_selection(cluster: FakeCluster) -> None:
    read_only = FluxToolSpec(runner=cluster.runner, read_only=True)
    assert [t.metadata.name for t in read_only.to_tool_list()] == [s.name for s in ALL_SPECS if not s.mutating]
    chosen = FluxToolSpec(FluxConfig(namespace="ops"), ["flux_logs", "flux_reconcile"], runner=cluster.runner)
    assert chosen.spec_functions == [("flux_logs", "aflux_logs"), ("flux_reconcile", "aflux_reconcile")]
    assert chosen.flux.config.namespace == "ops"
    with pytest.raises(UnknownTool):
        FluxToolSpec(selected_tools=["kubectl"], runner=cluster.runner)
    with pytest.raises(ConfigError, match="read_only"):
        FluxToolSpec(selected_tools=["flux_resume"], runner=cluster.runner, read_only=True)


def test_from_agent_spec(cluster: FakeCluster) -> None:
    tool_spec = FluxToolSpec.from_agent_spec(SPECS / "gitops-operator.yaml", runner=cluster.runner)
    assert [t.metadata.name for t in tool_spec.to_tool_list()] == [s.name for s in SEED_SPECS]
    assert tool_spec.flux.config.kubeconfig == "/etc/kubeconfig/production.yaml"
    with pytest.warns(UserWarning, match="does not provide: kubectl"):
        deployment = FluxToolSpec.from_agent_spec(SPECS / "deployment-agent.yaml", runner=cluster.runner)
    assert deployment.not_provided == ["kubectl"]
    assert [name for name, _ in deployment.spec_functions] == ["flux_kustomization_get", "flux_reconcile", "flux_logs"]
    with pytest.raises(UnknownTool, match="flux_reconcil"):
        FluxToolSpec.from_agent_spec({"tools": ["flux_reconcil"]}, runner=cluster.runner)


def test_metadata_lookup_by_either_method_name(spec: FluxToolSpec) -> None:
    for name in ("flux_logs", "aflux_logs"):
        metadata = spec.get_metadata_from_fn_name(name)
        assert metadata is not None and metadata.name == "flux_logs"
        assert spec.get_fn_schema_from_fn_name(name) is REGISTRY["flux_logs"].args_model
