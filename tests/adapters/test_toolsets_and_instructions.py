"""Toolsets as a keyword of both adapters and in an agent spec's flux block; the shared note as `instructions`."""

from __future__ import annotations

import pytest
from langchain_fluxcd import FluxToolkit
from llama_index.tools.fluxcd import FluxToolSpec

from fluxtools import ConfigError
from fluxtools._toolsets import GROUPS
from fluxtools.integration import INSTRUCTIONS
from fluxtools.specs.args import SHARED_PARAMETERS

INCIDENT = list(GROUPS["read"] + GROUPS["diagnose"])


def test_langchain_toolsets_keyword():
    toolkit = FluxToolkit(cluster="demo", toolsets=["read", "diagnose"])
    assert {tool.name for tool in toolkit.get_tools()} == set(INCIDENT)
    assert toolkit.flux.config.toolsets == ["read", "diagnose"]


def test_llamaindex_toolsets_keyword():
    spec = FluxToolSpec(cluster="demo", toolsets=["sources", "images"])
    names = [tool.metadata.name for tool in spec.to_tool_list()]
    assert names == ["flux_source_list", "flux_source_get", "flux_image_list"]


@pytest.mark.parametrize("adapter", [FluxToolkit, FluxToolSpec])
def test_a_selected_tool_outside_the_toolsets_is_a_clear_error(adapter):
    with pytest.raises(ConfigError) as refused:
        adapter(selected_tools=["flux_logs", "flux_reconcile"], cluster="demo", toolsets=["diagnose"])
    assert "flux_reconcile is not in the configured toolsets (diagnose)" in refused.value.message


@pytest.mark.parametrize("adapter", [FluxToolkit, FluxToolSpec])
def test_the_agent_spec_tool_list_with_toolsets_in_its_flux_block(adapter):
    spec = {
        "spec": {
            "tools": ["flux_kustomization_get", "flux_logs", "kubectl"],
            "config": {"flux": {"toolsets": ["read", "diagnose"]}},
        }
    }
    with pytest.warns(UserWarning, match="kubectl"):
        made = adapter.from_agent_spec(spec, cluster="demo")
    tools = made.get_tools() if isinstance(made, FluxToolkit) else made.to_tool_list()
    assert [getattr(tool, "name", None) or tool.metadata.name for tool in tools] == [
        "flux_kustomization_get",
        "flux_logs",
    ]
    refused = {"spec": {"tools": ["flux_reconcile"], "config": {"flux": {"toolsets": ["read"]}}}}
    with pytest.raises(ConfigError):
        adapter.from_agent_spec(refused, cluster="demo")


@pytest.mark.parametrize("adapter", [FluxToolkit, FluxToolSpec])
def test_instructions_carry_what_the_schemas_leave_out(adapter):
    made = adapter(cluster="demo")
    assert made.instructions == INSTRUCTIONS and SHARED_PARAMETERS in INSTRUCTIONS
