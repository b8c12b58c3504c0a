"""MCP prompts through the official client: listed, rendered, refused when wrong, arguments completed
from the (recorded demo) cluster."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import PromptReference

from fluxtools import FluxConfig, FluxTools
from fluxtools.mcp import McpToolset, build_server

MODES = ["auto", "legacy"]


def demo(**config):
    return build_server(McpToolset(FluxConfig(cluster="demo", **config)))


def demo_objects():
    return FluxTools(cluster="demo").call("flux_get_all", {"max_bytes": 1_048_576})["data"]["objects"]


@pytest.mark.parametrize("mode", MODES)
async def test_prompts_are_listed_and_rendered(mode):
    async with Client(demo(), mode=mode) as client:
        prompts = {prompt.name: prompt for prompt in (await client.list_prompts()).prompts}
        assert set(prompts) == {"diagnose_cluster", "explain_failure"}  # no fleet check without fleet contexts
        explain = prompts["explain_failure"]
        assert {argument.name: argument.required for argument in explain.arguments} == {
            "kind": True,
            "name": True,
            "namespace": False,
            "context": False,
        }
        whole = await client.get_prompt("diagnose_cluster")
        one = await client.get_prompt("diagnose_cluster", {"namespace": "apps"})
        failing = await client.get_prompt("explain_failure", {"kind": "GitRepository", "name": "closed-port"})
    [message] = whole.messages
    assert message.role == "user" and "flux_diagnose()" in message.content.text
    assert "across all namespaces" in message.content.text and "propose a fix" in message.content.text
    assert "flux_diagnose(namespace='apps')" in one.messages[0].content.text
    text = failing.messages[0].content.text
    assert "flux_source_get(kind='git', name='closed-port')" in text
    assert "flux_diagnose(kind='gitrepository', name_contains='closed-port')" in text


async def test_the_fleet_prompt_is_offered_with_fleet_contexts():
    async with Client(demo(fleet_contexts=["lab", "lab-alias-01"])) as client:
        names = [prompt.name for prompt in (await client.list_prompts()).prompts]
        fleet = await client.get_prompt("check_fleet", {"contexts": "lab, lab-alias-01"})
        every = await client.get_prompt("check_fleet")
        completed = await client.complete(PromptReference(name="check_fleet"), {"name": "contexts", "value": "lab,l"})
    assert "check_fleet" in names
    assert "flux_diagnose(contexts=['lab', 'lab-alias-01'])" in fleet.messages[0].content.text
    assert "all_contexts=True" in every.messages[0].content.text
    assert completed.completion.values == ["lab,lab", "lab,lab-alias-01"]


@pytest.mark.parametrize(
    ("name", "arguments", "says"),
    [
        ("explain_failure", {"kind": "kustomization"}, "'name' is required"),
        ("explain_failure", {"kind": "deployment", "name": "x"}, "'kind' must be one of"),
        ("explain_failure", {"kind": "kustomization", "name": "Bad_Name"}, "not a valid object name"),
        ("diagnose_cluster", {"namespace": "x" * 70}, "not a valid namespace"),
        ("diagnose_cluster", {"context": "production"}, "not allowed here"),
        ("diagnose_cluster", {"severity": "failed"}, "Unknown argument 'severity'"),
        ("check_fleet", {}, "Unknown prompt 'check_fleet'"),
    ],
)
async def test_wrong_prompt_arguments_are_refused_clearly(name, arguments, says):
    async with Client(demo()) as client:
        with pytest.raises(MCPError) as refused:
            await client.get_prompt(name, arguments)
    assert says in refused.value.error.message


@pytest.mark.parametrize("mode", MODES)
async def test_arguments_are_completed_from_the_cluster(mode):
    objects = demo_objects()
    ref = PromptReference(name="explain_failure")
    async with Client(demo(), mode=mode) as client:
        kinds = await client.complete(ref, {"name": "kind", "value": "helm"})
        namespaces = await client.complete(ref, {"name": "namespace", "value": ""})
        repositories = await client.complete(ref, {"name": "name", "value": ""}, {"kind": "gitrepository"})
        prefixed = await client.complete(ref, {"name": "name", "value": "fl"}, {"kind": "GitRepository"})
    assert kinds.completion.values == ["helmrelease", "helmrepository", "helmchart"]
    assert namespaces.completion.values == sorted({item["namespace"] for item in objects})
    git = sorted({item["name"] for item in objects if item["kind"] == "GitRepository"})
    assert repositories.completion.values == git and "closed-port" in git
    assert prefixed.completion.values == [name for name in git if name.startswith("fl")]
