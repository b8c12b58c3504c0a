"""Toolsets: a configuration offers the tools of the groups it names, and refuses the others."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from fluxtools import ConfigError, FluxConfig, FluxTools
from fluxtools._published import ALL_SPECS, toolsets
from fluxtools._toolsets import GROUPS
from fluxtools.cli import main
from fluxtools.fleet import fleet_tools
from fluxtools.mcp import McpToolset
from fluxtools.testing import ScriptedRunner


def test_every_tool_is_in_a_toolset_and_fleet_is_the_fleet_tools():
    groups = toolsets()
    assert set(groups) == {"read", "operate", "diagnose", "sources", "images", "fleet"}
    assert {tool for tools in groups.values() for tool in tools} == {spec.name for spec in ALL_SPECS}
    assert list(groups["fleet"]) == fleet_tools()
    assert set(GROUPS["operate"]) == {spec.name for spec in ALL_SPECS if spec.mutating}


def test_the_configuration_offers_only_the_chosen_toolsets_in_table_order():
    flux = FluxTools(FluxConfig(toolsets=["diagnose", "read"]))
    names = [spec.name for spec in flux.specs()]
    assert set(names) == set(GROUPS["read"]) | set(GROUPS["diagnose"])
    assert names == [spec.name for spec in ALL_SPECS if spec.name in names]
    assert len(FluxTools(FluxConfig()).specs()) == len(ALL_SPECS)


def test_toolsets_and_read_only_both_apply():
    flux = FluxTools(FluxConfig(toolsets=["operate", "sources"], read_only=True))
    assert [spec.name for spec in flux.specs()] == ["flux_source_list", "flux_source_get"]


def test_a_tool_outside_the_toolsets_is_refused_before_anything_runs():
    runner = ScriptedRunner()
    flux = FluxTools(FluxConfig(toolsets=["read", "diagnose"]), runner=runner)
    for tool, args in (("flux_reconcile", {"kind": "ks", "name": "apps"}), ("flux_source_list", {})):
        envelope = flux.call(tool, args)
        assert envelope["error_type"] == "PolicyDenied"
        assert "not in the configured toolsets (read, diagnose)" in envelope["error"]
    assert runner.calls == []


@pytest.mark.parametrize(("given", "message"), [(["reed"], "did you mean 'read'?"), (["all"], "toolsets: read,")])
def test_an_unknown_toolset_is_a_configuration_error(given, message):
    with pytest.raises(ConfigError) as refused:
        FluxConfig.build({"toolsets": given})
    assert "unknown toolset" in refused.value.message and message in refused.value.message


def test_toolsets_from_a_file_and_comma_separated(tmp_path):
    path = tmp_path / "flux.yaml"
    path.write_text("tools:\n  - type: flux\n    config:\n      toolsets: [read, 'diagnose,images']\n")
    assert FluxConfig.load(path).toolsets == ["read", "diagnose", "images"]


def test_the_cli_flag(monkeypatch):
    monkeypatch.delenv("FLUXTOOLS_CLUSTER", raising=False)
    args = [
        "call",
        "flux_reconcile",
        "--cluster",
        "demo",
        "--toolsets",
        "read",
        "--args",
        '{"kind":"ks","name":"apps"}',
    ]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code != 0
    assert json.loads(refused.output)["error_type"] == "PolicyDenied"
    args = ["call", "flux_logs", "--cluster", "demo", "--toolsets", "read", "--toolsets", "diagnose"]
    answered = CliRunner().invoke(main, [*args, "--args", '{"level": "ERROR"}'])
    assert answered.exit_code == 0, answered.output
    assert json.loads(answered.output)["data"]["controller"] == "kustomize-controller"


def test_the_mcp_server_lists_only_the_toolsets():
    toolset = McpToolset(FluxConfig(toolsets=["sources", "images"]))
    assert [d["name"] for d in toolset.definitions()] == ["flux_source_list", "flux_source_get", "flux_image_list"]


def test_the_tools_command_lists_the_toolsets():
    listed = CliRunner().invoke(main, ["tools", "--toolsets", "sources,images", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [entry["name"] for entry in json.loads(listed.output)] == [
        "flux_source_list",
        "flux_source_get",
        "flux_image_list",
    ]
    refused = CliRunner().invoke(main, ["tools", "--toolsets", "reed"])
    assert refused.exit_code == 2 and "did you mean 'read'?" in refused.output
