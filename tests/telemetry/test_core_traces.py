"""Spans of a call through the core: the tool span, its commands, the diagnosis stages, content only on request."""

from __future__ import annotations

import json

from opentelemetry.trace import SpanKind, StatusCode

from fluxtools import FluxTools
from fluxtools._telemetry import masked_argv, subcommand, tool_call_id
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object

UNAVAILABLE = "Error from server (ServiceUnavailable): the server is currently unable to handle the request (503)"
NOT_FOUND = 'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "apps" not found'


def named(spans, name):
    [span] = [span for span in spans.get_finished_spans() if span.name == name]
    return span


def test_one_tool_span_with_the_genai_attributes_and_a_command_child(spans):
    runner = ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), ""))
    envelope = FluxTools(runner=runner).call("flux_kustomization_get", {"name": "apps"})
    assert envelope["success"]
    tool = named(spans, "execute_tool flux_kustomization_get")
    assert tool.kind == SpanKind.INTERNAL
    assert tool.attributes["gen_ai.operation.name"] == "execute_tool"
    assert tool.attributes["gen_ai.tool.name"] == "flux_kustomization_get"
    assert "gen_ai.tool.call.id" not in tool.attributes  # no framework gave one
    assert "error.type" not in tool.attributes and tool.status.status_code == StatusCode.UNSET
    assert "gen_ai.tool.call.arguments" not in tool.attributes  # content is opt-in
    assert "gen_ai.tool.call.result" not in tool.attributes
    command = named(spans, "kubectl get")
    assert command.parent.span_id == tool.context.span_id
    assert command.context.trace_id == tool.context.trace_id
    assert list(command.attributes["process.command_args"]) == masked_argv(runner.calls[0])
    assert command.attributes["process.executable.name"] == "kubectl"
    assert command.attributes["process.exit.code"] == 0
    assert command.attributes["fluxtools.command.attempts"] == 1
    assert command.attributes["fluxtools.command.retries"] == 0


def test_a_failed_call_carries_the_envelopes_error_type(spans):
    runner = ScriptedRunner(lambda argv: (1, "", NOT_FOUND))
    envelope = FluxTools(runner=runner).call("flux_kustomization_get", {"name": "apps"})
    assert envelope["error_type"] == "NotFound"
    tool = named(spans, "execute_tool flux_kustomization_get")
    assert tool.attributes["error.type"] == "NotFound"
    assert tool.status.status_code == StatusCode.ERROR
    assert tool.status.description == envelope["error"]
    command = named(spans, "kubectl get")
    assert command.attributes["process.exit.code"] == 1
    assert command.attributes["error.type"] == "NotFound"


def test_invalid_arguments_fail_the_span_before_any_command(spans):
    runner = ScriptedRunner()
    FluxTools(runner=runner).call("flux_kustomization_get", {"name": "-bad"})
    tool = named(spans, "execute_tool flux_kustomization_get")
    assert tool.attributes["error.type"] == "InvalidInput"
    assert runner.calls == [] and len(spans.get_finished_spans()) == 1


def test_retries_are_counted_on_the_command_span(spans):
    answers = iter([(1, "", UNAVAILABLE), (1, "", UNAVAILABLE), (0, json.dumps({"items": []}), "")])
    runner = ScriptedRunner(lambda argv: next(answers))
    envelope = FluxTools(runner=runner).call("flux_kustomization_list", {})
    assert envelope["success"] and envelope["attempts"] == 3
    command = named(spans, "kubectl get")
    assert command.attributes["fluxtools.command.attempts"] == 3
    assert command.attributes["fluxtools.command.retries"] == 2
    assert [event.attributes["process.exit.code"] for event in command.events] == [1, 1, 0]
    assert named(spans, "execute_tool flux_kustomization_list").attributes["fluxtools.attempts"] == 3


def test_content_only_on_request_and_masked(spans):
    runner = ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), ""))
    flux = FluxTools(runner=runner, trace_content=True)
    flux.call("flux_kustomization_get", {"name": "apps", "password": "hunter2-synthetic"})
    failed = named(spans, "execute_tool flux_kustomization_get")
    arguments = json.loads(failed.attributes["gen_ai.tool.call.arguments"])
    assert arguments == {"name": "apps", "password": "***"}
    assert "hunter2" not in json.dumps(dict(failed.attributes))
    spans.clear()
    envelope = flux.call("flux_kustomization_get", {"name": "apps"})
    done = named(spans, "execute_tool flux_kustomization_get")
    assert json.loads(done.attributes["gen_ai.tool.call.result"]) == envelope


def test_the_frameworks_call_id_is_on_the_span(spans):
    runner = ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), ""))
    with tool_call_id("call_synthetic_1"):
        FluxTools(runner=runner).call("flux_kustomization_get", {"name": "apps"})
    assert named(spans, "execute_tool flux_kustomization_get").attributes["gen_ai.tool.call.id"] == "call_synthetic_1"


def test_diagnosis_stages_are_children_of_the_tool_span(spans):
    envelope = FluxTools(cluster="demo").call("flux_diagnose", {"graph": True})
    assert envelope["success"]
    tool = named(spans, "execute_tool flux_diagnose")
    stages = {span.name: span for span in spans.get_finished_spans() if span.name.startswith("diagnose ")}
    assert set(stages) == {"diagnose read", "diagnose graph", "diagnose group", "diagnose draw", "diagnose answer"}
    assert all(span.parent.span_id == tool.context.span_id for span in stages.values())
    assert stages["diagnose read"].attributes["fluxtools.objects"] > 0
    commands = [span for span in spans.get_finished_spans() if span.name.startswith(("kubectl ", "flux "))]
    assert commands and all(span.parent.span_id == stages["diagnose read"].context.span_id for span in commands)


def test_argv_on_spans_has_no_secrets():
    argv = ["/usr/bin/flux", "create", "secret", "git", "repo", "--password", "hunter2-synthetic", "--url=x"]
    assert masked_argv(argv) == ["flux", "create", "secret", "git", "repo", "--password", "***", "--url=x"]
    assert masked_argv(["kubectl", "get", "cm", "token=abc123-synthetic"])[-1] == "token=***"
    assert subcommand(["kubectl", "--kubeconfig", "/k", "--context", "prod", "get", "ks"]) == "kubectl get"


def test_fleet_calls_nest_each_clusters_call(spans):
    flux = FluxTools(cluster="demo")
    envelope = flux.call("flux_kustomization_list", {"contexts": ["lab", "lab-alias-01"]})
    outer = [span for span in spans.get_finished_spans() if span.name == "execute_tool flux_kustomization_list"]
    assert envelope["success"], envelope
    roots = [span for span in outer if span.parent is None]
    assert len(roots) == 1 and len(outer) == 3
    assert all(span.parent.span_id == roots[0].context.span_id for span in outer if span is not roots[0])
