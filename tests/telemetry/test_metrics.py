"""Metrics from the one place calls pass: the Prometheus text (read by prometheus_client's own parser), the
OpenTelemetry instruments, and `/metrics` of `fluxtools mcp --http` behind the MCP endpoint's token rule."""

from __future__ import annotations

import json
import secrets

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from prometheus_client.parser import text_string_to_metric_families

from fluxtools import FluxTools
from fluxtools.mcp import auth
from fluxtools.testing import ScriptedRunner
from tests.mcp.support import http_server

UNAVAILABLE = "Error from server (ServiceUnavailable): the server is currently unable to handle the request (503)"


def families(text: str) -> dict[str, list]:
    """name → samples, as Prometheus reads them."""
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def value(samples, name, **labels) -> float:
    [found] = [s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    return found


def demo_calls() -> FluxTools:
    flux = FluxTools(cluster="demo")
    assert flux.call("flux_kustomization_list", {})["success"]
    assert flux.call("flux_kustomization_get", {"name": "-bad"})["error_type"] == "InvalidInput"
    assert flux.call("flux_kustomization_get", {"name": "no-such-object"})["error_type"] == "NotFound"
    assert flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps"})["success"]
    return flux


def test_prometheus_text_parses_and_counts_calls_errors_durations_verdicts_commands():
    flux = demo_calls()
    parsed = families(flux.metrics.prometheus_text())
    calls = parsed["fluxtools_tool_calls"]
    assert value(calls, "fluxtools_tool_calls_total", tool="flux_kustomization_get") == 2
    errors = parsed["fluxtools_tool_errors"]
    assert value(errors, "fluxtools_tool_errors_total", tool="flux_kustomization_get", error_type="NotFound") == 1
    assert value(errors, "fluxtools_tool_errors_total", error_type="InvalidInput") == 1
    durations = parsed["fluxtools_tool_duration_seconds"]
    assert value(durations, "fluxtools_tool_duration_seconds_count", tool="flux_kustomization_get") == 2
    assert value(durations, "fluxtools_tool_duration_seconds_bucket", tool="flux_kustomization_get", le="+Inf") == 2
    verdict = flux.metrics_snapshot()["reconcile_verdicts"]
    [(name, count)] = verdict.items()
    assert value(parsed["fluxtools_reconcile"], "fluxtools_reconcile_total", verdict=name) == count == 1
    commands = parsed["fluxtools_commands"]
    ran = {(s.labels["program"], s.labels["outcome"]): s.value for s in commands}
    assert ran[("kubectl", "ok")] >= 2 and ran[("kubectl", "failed")] >= 1  # the object that is not there
    assert {program for program, _ in ran} == {"kubectl", "flux"}  # the reconcile ran the flux CLI
    assert sum(ran.values()) == flux.metrics_snapshot()["commands"]


def test_a_retried_command_counts_once():
    answers = iter([(1, "", UNAVAILABLE), (0, json.dumps({"items": []}), "")])
    flux = FluxTools(runner=ScriptedRunner(lambda argv: next(answers)))
    assert flux.call("flux_kustomization_list", {})["attempts"] == 2
    assert dict(flux.metrics.commands) == {("kubectl", "ok"): 1}


def test_opentelemetry_instruments_record_the_same(reader):
    reader.get_metrics_data()  # start from what earlier calls left
    demo_calls()
    points: dict[str, list] = {}
    for resource in reader.get_metrics_data().resource_metrics:
        for scope in resource.scope_metrics:
            if scope.scope.name == "fluxtools":
                for metric in scope.metrics:
                    points[metric.name] = list(metric.data.data_points)

    def total(name, **attributes):
        return sum(
            getattr(p, "value", getattr(p, "count", 0))
            for p in points[name]
            if all(p.attributes.get(k) == v for k, v in attributes.items())
        )

    assert total("fluxtools.tool.calls", **{"gen_ai.tool.name": "flux_kustomization_get"}) >= 2
    assert total("fluxtools.tool.errors", **{"error.type": "NotFound"}) >= 1
    assert total("fluxtools.tool.duration", **{"gen_ai.tool.name": "flux_reconcile"}) >= 1
    assert total("fluxtools.reconcile.verdicts") >= 1
    assert total("fluxtools.commands", **{"process.executable.name": "kubectl"}) >= 3


async def test_the_http_server_says_where_it_listens_and_serves_metrics(tmp_path):
    log = tmp_path / "server.log"
    with http_server("--cluster", "demo", log=log) as url:
        async with Client(url) as client:
            assert not (await client.call_tool("flux_kustomization_get", {"name": "apps"})).is_error
        metrics_url = url.removesuffix("/mcp") + "/metrics"
        async with httpx2.AsyncClient(timeout=30) as raw:
            answer = await raw.get(metrics_url)
            rebound = await raw.get(metrics_url, headers={"Host": "evil.test"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    parsed = families(answer.text)
    assert value(parsed["fluxtools_tool_calls"], "fluxtools_tool_calls_total", tool="flux_kustomization_get") == 1
    assert rebound.status_code == 421
    said = log.read_text()
    assert f"listening on {url} (no token required: loopback only)" in said
    assert f"Prometheus metrics at {metrics_url}" in said


async def test_metrics_need_the_token_when_the_server_has_one(tmp_path):
    token = secrets.token_urlsafe(32)
    log = tmp_path / "server.log"
    with http_server("--cluster", "demo", log=log, env={auth.TOKEN_ENV: token}) as url:
        metrics_url = url.removesuffix("/mcp") + "/metrics"
        right = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
        async with right, Client(streamable_http_client(url, http_client=right)) as client:
            await client.call_tool("flux_kustomization_list", {})
        async with httpx2.AsyncClient(timeout=30) as raw:
            refused = [
                (await raw.get(metrics_url, headers=headers)).status_code
                for headers in ({}, {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"})
            ]
            allowed = await raw.get(metrics_url, headers={"Authorization": f"Bearer {token}"})
    assert refused == [401, 401]
    assert allowed.status_code == 200
    assert value(families(allowed.text)["fluxtools_tool_calls"], "fluxtools_tool_calls_total") == 1
    assert f"listening on {url} (a bearer token is required)" in log.read_text()
    assert token not in log.read_text()
