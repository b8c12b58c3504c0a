"""Arguments are checked before anything runs; every rejection names the field."""

import pytest

from fluxtools import FluxTools
from fluxtools._validation import duration_seconds
from fluxtools.testing import ScriptedRunner


@pytest.fixture
def tools():
    runner = ScriptedRunner()
    return FluxTools(runner=runner), runner


@pytest.mark.parametrize(
    ("tool", "args", "field"),
    [
        ("flux_kustomization_get", {}, "name"),
        ("flux_kustomization_get", {"name": "-rf"}, "name"),
        ("flux_kustomization_get", {"name": "a;rm -rf /"}, "name"),
        ("flux_kustomization_get", {"name": "Apps"}, "name"),
        ("flux_kustomization_get", {"name": "a" * 254}, "name"),
        ("flux_kustomization_get", {"name": "../etc"}, "name"),
        ("flux_kustomization_get", {"name": "a\nb"}, "name"),
        ("flux_kustomization_get", {"name": 5}, "name"),
        ("flux_kustomization_get", {"name": "ok", "namespace": "a" * 64}, "namespace"),
        ("flux_kustomization_get", {"name": "ok", "namespace": "--all-namespaces"}, "namespace"),
        ("flux_kustomization_get", {"name": "ok", "bogus": 1}, "bogus"),
        ("flux_helmrelease_get", {"name": "ok"}, "namespace"),
        ("flux_reconcile", {"kind": "deployment", "name": "x"}, "kind"),
        ("flux_reconcile", {"kind": "kustomization", "name": "x", "timeout_secs": 0}, "timeout_secs"),
        ("flux_suspend", {"kind": "gitrepository", "name": "x"}, "kind"),
        ("flux_logs", {"tail": 1001}, "tail"),
        ("flux_logs", {"tail": 0}, "tail"),
        ("flux_logs", {"since": "5 minutes"}, "since"),
        ("flux_logs", {"since": "999h"}, "since"),
        ("flux_logs", {"kind": "kube-apiserver"}, "kind"),
        ("flux_logs", {"level": "warn"}, "level"),
    ],
)
def test_rejected_before_running(tools, tool, args, field):
    flux, runner = tools
    envelope = flux.call(tool, args)
    assert envelope["success"] is False
    assert envelope["error_type"] == "InvalidInput"
    assert envelope["field"] == field
    assert field in envelope["error"]
    assert runner.calls == []


def test_unknown_parameter_lists_allowed(tools):
    flux, _ = tools
    envelope = flux.call("flux_kustomization_get", {"name": "x", "nmespace": "y"})
    assert "unknown parameter 'nmespace'" in envelope["error"]
    assert "allowed: name, namespace, max_bytes, fresh" in envelope["error"]


def test_tail_above_limit_is_an_error_not_a_clamp(tools):
    flux, _ = tools
    envelope = flux.call("flux_logs", {"tail": 5000})
    assert "less than or equal to 1000" in envelope["error"]


def test_arguments_must_be_an_object(tools):
    flux, runner = tools
    envelope = flux.call("flux_kustomization_list", ["x"])  # type: ignore[arg-type]
    assert envelope["error_type"] == "InvalidInput"
    assert runner.calls == []


def test_unknown_tool(tools):
    flux, _ = tools
    envelope = flux.call("flux_nope", {})
    assert envelope["error_type"] == "UnknownTool"
    assert "flux_kustomization_list" not in envelope["hint"]  # the hint is not the whole table
    assert "did you mean flux_logs?" in flux.call("flux_log", {})["error"]


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("5m", 300), ("1h30m", 5400), ("2h", 7200)])
def test_durations(text, seconds):
    assert duration_seconds(text) == seconds
