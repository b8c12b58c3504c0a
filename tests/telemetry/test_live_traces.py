"""Against the running lab: real kubectl and flux commands are spans of the call that ran them."""

from __future__ import annotations

import json

import pytest

from fluxtools import FluxConfig, FluxTools
from lab.info import lab_info, lab_settings

pytestmark = pytest.mark.live


@pytest.fixture
def lab_flux() -> FluxTools:
    info = lab_info()
    if info is None:
        pytest.fail("the lab is not running: start it with `python3 lab/labctl.py start`")
    return FluxTools(FluxConfig(**lab_settings(info), trace_content=True))


def test_real_commands_are_children_of_the_call(spans, lab_flux):
    listed = lab_flux.call("flux_kustomization_list", {})
    assert listed["success"], listed
    missing = lab_flux.call("flux_kustomization_get", {"name": "no-such-kustomization-traced"})
    assert missing["error_type"] == "NotFound"
    finished = spans.get_finished_spans()
    tools = [span for span in finished if span.name.startswith("execute_tool ")]
    commands = [span for span in finished if span.name == "kubectl get"]
    names = ["execute_tool flux_kustomization_list", "execute_tool flux_kustomization_get"]
    assert [span.name for span in tools] == names
    assert len(commands) == 2
    for tool, command in zip(tools, commands, strict=True):
        assert command.parent.span_id == tool.context.span_id
        assert command.attributes["process.command_args"][0] == "kubectl"
        assert command.attributes["fluxtools.command.duration"] > 0
    assert commands[0].attributes["process.exit.code"] == 0
    assert commands[1].attributes["process.exit.code"] != 0 and commands[1].attributes["error.type"] == "NotFound"
    assert tools[1].attributes["error.type"] == "NotFound"
    assert json.loads(tools[1].attributes["gen_ai.tool.call.arguments"]) == {"name": "no-such-kustomization-traced"}


def test_a_diagnosis_traces_its_stages_and_every_read(spans, lab_flux):
    assert lab_flux.call("flux_diagnose", {})["success"]
    finished = spans.get_finished_spans()
    [tool] = [span for span in finished if span.name == "execute_tool flux_diagnose"]
    [read] = [span for span in finished if span.name == "diagnose read"]
    assert read.parent.span_id == tool.context.span_id
    commands = [span for span in finished if span.name.startswith("kubectl ")]
    assert commands and all(span.parent.span_id == read.context.span_id for span in commands)
    assert lab_flux.metrics_snapshot()["commands"] == len(commands)
