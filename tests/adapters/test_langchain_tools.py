"""langchain-fluxcd on ScriptedRunner: generated tools, schemas, errors, toolkit selection, agent specs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import StructuredTool, ToolException
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_fluxcd import TOOL_CLASSES, FluxTool, FluxToolError, FluxToolkit, flux_tool, tool_class

from fluxtools import ALL_SPECS, REGISTRY, ConfigError, FluxConfig, FluxTools, UnknownTool
from fluxtools.specs import SEED_SPECS
from tests.adapters.fakes import FakeCluster

SPECS = Path(__file__).parent / "agent_specs"


def call(name: str, args: dict[str, object], call_id: str = "c1") -> dict[str, object]:
    return {"type": "tool_call", "id": call_id, "name": name, "args": args}


@pytest.fixture
def cluster() -> FakeCluster:
    return FakeCluster()


@pytest.fixture
def toolkit(cluster: FakeCluster) -> FluxToolkit:
    return FluxToolkit(runner=cluster.runner)


def tools_by_name(toolkit: FluxToolkit) -> dict[str, StructuredTool]:
    return {tool.name: tool for tool in toolkit.get_tools()}  # type: ignore[misc]


def test_one_structured_tool_per_spec(toolkit: FluxToolkit) -> None:
    tools = toolkit.get_tools()
    assert [tool.name for tool in tools] == [spec.name for spec in ALL_SPECS]
    for tool, spec in zip(tools, ALL_SPECS, strict=True):
        assert isinstance(tool, StructuredTool) and type(tool) is TOOL_CLASSES[spec.name]
        assert tool.args_schema is spec.args_model
        assert tool.description == spec.description
        assert tool.func is not None and tool.coroutine is not None
        assert tool.response_format == "content_and_artifact"
        assert tool.handle_tool_error and tool.handle_validation_error
        assert tool.metadata == {"mutating": spec.mutating, "idempotent": spec.idempotent, "operation": spec.operation}
        assert tool.flux is toolkit.flux  # one executor for the whole toolkit


def test_the_model_sees_the_spec_schema(toolkit: FluxToolkit) -> None:
    for tool in toolkit.get_tools():
        function = convert_to_openai_tool(tool)["function"]
        spec = REGISTRY[tool.name]
        assert function["name"] == spec.name and function["description"] == spec.description
        assert function["parameters"] == spec.json_schema()


def test_generated_classes_are_named_after_the_tools() -> None:
    assert TOOL_CLASSES["flux_kustomization_list"].__name__ == "FluxKustomizationListTool"
    assert TOOL_CLASSES["flux_helmrelease_get"].__name__ == "FluxHelmReleaseGetTool"
    import langchain_fluxcd

    for name, cls in TOOL_CLASSES.items():
        assert getattr(langchain_fluxcd, cls.__name__) is cls is tool_class(name)
        assert cls.spec is REGISTRY[name]


def test_a_tool_alone(cluster: FakeCluster) -> None:
    from langchain_fluxcd import FluxKustomizationGetTool

    tool = FluxKustomizationGetTool(runner=cluster.runner, tags=["ops"])
    message = tool.invoke(call("flux_kustomization_get", {"name": "apps"}))
    assert isinstance(message, ToolMessage) and message.status == "success"
    assert json.loads(message.content)["data"]["name"] == "apps"
    assert message.artifact["success"] is True and message.artifact["data"]["ready"] is True
    assert tool.tags == ["ops"] and tool.flux_config.namespace == "flux-system"
    assert cluster.runner.calls[-1][:4] == ["kubectl", "get", "kustomizations.kustomize.toolkit.fluxcd.io", "apps"]


def test_factory_and_base_class(cluster: FakeCluster) -> None:
    assert flux_tool("flux_logs", runner=cluster.runner).name == "flux_logs"
    assert FluxTool(spec="flux_stats", runner=cluster.runner).name == "flux_stats"
    renamed = flux_tool("flux_logs", runner=cluster.runner, name="prod_flux_logs")
    assert (renamed.name, renamed.tool_spec.name) == ("prod_flux_logs", "flux_logs")
    with pytest.raises(UnknownTool, match="flux_nope"):
        flux_tool("flux_nope")
    with pytest.raises(TypeError, match="needs a spec"):
        FluxTool(runner=cluster.runner)
    with pytest.raises(TypeError, match="either flux="):
        flux_tool("flux_logs", flux=FluxTools(runner=cluster.runner), namespace="x")


def test_direct_invoke_returns_content(toolkit: FluxToolkit) -> None:
    content = tools_by_name(toolkit)["flux_kustomization_list"].invoke({})
    assert json.loads(content)["data"]["total"] == 2


async def test_async_and_sync_give_the_same_answer(toolkit: FluxToolkit) -> None:
    tool = tools_by_name(toolkit)["flux_helmrelease_get"]
    args = {"name": "podinfo", "namespace": "apps"}
    sync = tool.invoke(call(tool.name, args))
    asynchronous = await tool.ainvoke(call(tool.name, {**args, "fresh": True}))
    assert sync.content == asynchronous.content and sync.artifact == asynchronous.artifact
    assert len(toolkit.flux.runner.calls) == 2


def test_a_tool_error_is_an_error_message_the_run_can_continue_from(toolkit: FluxToolkit) -> None:
    tool = tools_by_name(toolkit)["flux_kustomization_get"]
    message = tool.invoke(call(tool.name, {"name": "does-not-exist"}))
    assert message.status == "error" and message.artifact is None
    envelope = json.loads(message.content)
    assert envelope["error_type"] == "NotFound"
    assert envelope["error"] == "Kustomization 'does-not-exist' not found in namespace 'flux-system'"
    assert "List the Kustomizations" in envelope["hint"]


def test_the_error_is_a_tool_exception_when_not_handled(cluster: FakeCluster) -> None:
    tool = flux_tool("flux_kustomization_get", runner=cluster.runner, handle_tool_error=False)
    with pytest.raises(FluxToolError) as caught:
        tool.invoke({"name": "does-not-exist"})
    assert isinstance(caught.value, ToolException)
    assert caught.value.error_type == "NotFound" and caught.value.envelope["success"] is False


@pytest.mark.parametrize(
    ("args", "field", "text"),
    [
        ({"name": "Apps"}, "name", "'Apps' is not a valid Kubernetes name"),
        ({}, "name", "'name' is required"),
        ({"name": "apps", "colour": "red"}, "colour", "unknown parameter 'colour'"),
        ({"name": "apps", "namespace": "a" * 70}, "namespace", "at most 63"),
    ],
)
def test_invalid_arguments_name_the_field(toolkit: FluxToolkit, args: dict, field: str, text: str) -> None:
    tool = tools_by_name(toolkit)["flux_kustomization_get"]
    message = tool.invoke(call(tool.name, args))
    envelope = json.loads(message.content)
    assert message.status == "error" and envelope["error_type"] == "InvalidInput"
    assert envelope["field"] == field and text in envelope["error"]
    assert "Parameters of flux_kustomization_get" in envelope["hint"]


def test_aliased_parameters_reach_the_core(toolkit: FluxToolkit) -> None:
    tool = tools_by_name(toolkit)["flux_kustomization_list"]
    first = json.loads(tool.invoke(call(tool.name, {"limit": 1})).content)["data"]
    second = json.loads(tool.invoke(call(tool.name, {"limit": 1, "continue": first["continue"]})).content)["data"]
    assert [item["name"] for item in first["kustomizations"] + second["kustomizations"]] == ["apps", "broken-path"]


def test_mutations(toolkit: FluxToolkit, cluster: FakeCluster) -> None:
    tools = tools_by_name(toolkit)
    verdict = tools["flux_reconcile"].invoke(call("flux_reconcile", {"kind": "kustomization", "name": "apps"}))
    assert verdict.artifact["data"]["verdict"] == "succeeded"
    tools["flux_suspend"].invoke({"kind": "kustomization", "name": "apps"})
    assert cluster.objects["kustomizations"]["apps"]["spec"]["suspend"] is True


def test_read_only_offers_no_mutating_tool_and_policy_still_guards(cluster: FakeCluster) -> None:
    names = [tool.name for tool in FluxToolkit(runner=cluster.runner, read_only=True).get_tools()]
    assert names == [spec.name for spec in ALL_SPECS if not spec.mutating]
    alone = flux_tool("flux_suspend", runner=cluster.runner, read_only=True)
    message = alone.invoke(call("flux_suspend", {"kind": "kustomization", "name": "apps"}))
    assert json.loads(message.content)["error_type"] == "PolicyDenied"
    assert not any(argv[0] == "flux" for argv in cluster.runner.calls)


def test_selected_tools(cluster: FakeCluster) -> None:
    toolkit = FluxToolkit(selected_tools=["flux_logs", "flux_kustomization_get"], runner=cluster.runner)
    assert [tool.name for tool in toolkit.get_tools()] == ["flux_logs", "flux_kustomization_get"]
    with pytest.raises(UnknownTool, match="did you mean flux_logs"):
        FluxToolkit(selected_tools=["flux_log"], runner=cluster.runner)
    with pytest.raises(ConfigError, match="read_only"):
        FluxToolkit(selected_tools=["flux_reconcile"], runner=cluster.runner, read_only=True)


def test_configuration_reaches_the_commands(cluster: FakeCluster) -> None:
    toolkit = FluxToolkit(FluxConfig(context="prod"), runner=cluster.runner, kubeconfig="/k/config")
    tools_by_name(toolkit)["flux_kustomization_get"].invoke({"name": "apps"})
    assert cluster.runner.calls[-1][:5] == ["kubectl", "--kubeconfig", "/k/config", "--context", "prod"]


def test_from_agent_spec_returns_exactly_the_listed_tools_configured(cluster: FakeCluster) -> None:
    toolkit = FluxToolkit.from_agent_spec(SPECS / "gitops-operator.yaml", runner=cluster.runner)
    assert [tool.name for tool in toolkit.get_tools()] == [spec.name for spec in SEED_SPECS]
    assert toolkit.flux.config.kubeconfig == "/etc/kubeconfig/production.yaml"
    tools_by_name(toolkit)["flux_logs"].invoke({})
    assert cluster.runner.calls[-1][:3] == ["kubectl", "--kubeconfig", "/etc/kubeconfig/production.yaml"]


def test_from_agent_spec_reports_what_it_does_not_provide(cluster: FakeCluster) -> None:
    with pytest.warns(UserWarning, match="does not provide: kubectl"):
        toolkit = FluxToolkit.from_agent_spec(SPECS / "rca-agent.yaml", runner=cluster.runner)
    assert toolkit.not_provided == ["kubectl"]
    assert toolkit.selected_tools == [
        "flux_kustomization_list",
        "flux_helmrelease_list",
        "flux_kustomization_get",
        "flux_helmrelease_get",
        "flux_logs",
    ]


def test_from_agent_spec_overrides_and_errors(cluster: FakeCluster) -> None:
    spec = {"spec": {"tools": ["flux_suspend"], "config": {"flux": {"namespace": "team-a"}}}}
    toolkit = FluxToolkit.from_agent_spec(spec, runner=cluster.runner, context="staging")
    assert (toolkit.flux.config.namespace, toolkit.flux.config.context) == ("team-a", "staging")
    replaced = FluxToolkit.from_agent_spec(spec, FluxConfig(namespace="ops"), runner=cluster.runner)
    assert replaced.flux.config.namespace == "ops"
    with pytest.raises(UnknownTool, match="flux_suspnd"):
        FluxToolkit.from_agent_spec({"tools": ["flux_suspnd"]}, runner=cluster.runner)
    with pytest.raises(ConfigError, match="read_only"):
        FluxToolkit.from_agent_spec(spec, runner=cluster.runner, read_only=True)
