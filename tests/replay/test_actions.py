"""Reconcile verdicts and suspend/resume on the lab's real controllers, followed by watching the object."""

import json
import re

import pytest

from tests.replay.commands import Commands, decided_by_watch


def test_reconcile_with_source_succeeds(lab_tools):
    tools = lab_tools()
    commands = Commands(tools)
    data = tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps", "with_source": True})["data"]
    assert data["verdict"] == "succeeded" and data["reconciled"] is True
    assert re.match(r"^main@sha1:[0-9a-f]{40}$", data["revision"])
    assert data["ready"] == "True"
    decided_by_watch(commands)


def test_reconcile_source_by_name(lab_tools):
    tools = lab_tools()
    commands = Commands(tools)
    data = tools.call("flux_reconcile", {"kind": "source", "name": "flux-system"})["data"]
    assert data["kind"] == "gitrepository"
    assert data["verdict"] == "succeeded"
    decided_by_watch(commands)


def test_reconcile_failing_object_fails_fast(lab_tools):
    tools = lab_tools()
    commands = Commands(tools)
    data = tools.call("flux_reconcile", {"kind": "kustomization", "name": "broken-build"})["data"]
    assert data["verdict"] == "failed" and data["reconciled"] is False
    assert data["reason"] == "BuildFailed" and "cli_error" not in data  # the controller's verdict, by watch
    assert data["duration_secs"] < 60  # the flux CLI alone would wait out the 120 s timeout
    decided_by_watch(commands)


def test_reconcile_failing_helmrelease(lab_tools):
    tools = lab_tools()
    commands = Commands(tools)
    data = tools.call("flux_reconcile", {"kind": "helmrelease", "name": "missing-version", "namespace": "apps"})
    assert data["data"]["verdict"] == "failed", data
    decided_by_watch(commands)


def test_reconcile_with_a_failing_source_is_decided_by_the_sources_failure(lab_tools):
    """The CLI reconciles the HelmChart first and it fails: the HelmRelease is never asked, and the watch of
    its source decides within seconds, naming the source, its reason and the catalogue's next action."""
    tools = lab_tools()
    commands = Commands(tools)
    args = {"kind": "helmrelease", "name": "missing-version", "namespace": "apps", "with_source": True}
    data = tools.call("flux_reconcile", args)["data"]
    assert data["verdict"] == "failed" and data["reconciled"] is False and data["handled"] is False
    assert data["failed_source"] == "HelmChart/flux-system/apps-missing-version"
    assert "no 'lab-chart' chart with version matching '9.9.9'" in data["message"]
    assert "spec.chart.spec.version" in data["next_action"]["do"]
    assert "ready" not in data and "reason" not in data  # the release's old Ready fields are not this request's
    assert data["duration_secs"] < 30  # not the 90 s the release's own timeout would take
    assert any("helmchart" in " ".join(watch.argv).lower() for watch in commands.watches())


def test_reconcile_suspended(lab_tools):
    data = lab_tools().call("flux_reconcile", {"kind": "kustomization", "name": "suspended-app"})["data"]
    assert data["verdict"] == "suspended" and "flux_resume" in data["hint"]


def test_reconcile_times_out(lab_tools):
    tools = lab_tools()
    commands = Commands(tools)
    data = tools.call(
        "flux_reconcile", {"kind": "kustomization", "name": "slow-health", "namespace": "team-b", "timeout_secs": 6}
    )["data"]
    assert data["verdict"] == "timed_out"
    assert data["duration_secs"] <= 12
    decided_by_watch(commands)  # the watch reached the deadline with the object still unhandled


def test_suspend_resume_round_trip(lab_tools):
    tools = lab_tools()
    suspended = tools.call("flux_suspend", {"kind": "kustomization", "name": "infrastructure"})["data"]
    assert suspended == {
        "suspended": True,
        "kind": "kustomization",
        "name": "infrastructure",
        "namespace": "flux-system",
        "message": "reconciliation suspended",
        "was_suspended": False,
    }
    assert tools.call("flux_kustomization_get", {"name": "infrastructure"})["data"]["suspended"] is True
    commands = Commands(tools)
    resumed = tools.call("flux_resume", {"kind": "kustomization", "name": "infrastructure"})["data"]
    assert resumed["resumed"] is True and resumed["was_suspended"] is True
    assert resumed["verdict"] == "succeeded"
    decided_by_watch(commands)
    assert tools.call("flux_kustomization_get", {"name": "infrastructure"})["data"]["suspended"] is False


@pytest.mark.parametrize("verb", ["suspend", "resume"])
def test_suspend_resume_missing_object_is_not_found(lab_tools, verb):
    envelope = lab_tools().call(f"flux_{verb}", {"kind": "helmrelease", "name": "nope", "namespace": "apps"})
    assert envelope["error_type"] == "NotFound"
    assert envelope["error"] == "HelmRelease 'nope' not found in namespace 'apps'"


@pytest.fixture
def suspended_team_a_source(tier, lab, flux_record_mode):
    """GitRepository team-a/team-a-repo suspended on the lab for the test (live and recording only)."""
    if tier != "live" and flux_record_mode == "none":
        yield
        return
    import subprocess

    def patch(value: bool) -> None:
        body = json.dumps({"spec": {"suspend": value}})
        argv = [lab["kubectl"], "--kubeconfig", lab["kubeconfig"], "patch", "gitrepository", "team-a-repo"]
        subprocess.run([*argv, "-n", "team-a", "--type", "merge", "-p", body], check=True, capture_output=True)

    patch(True)
    try:
        yield
    finally:
        patch(False)


def test_reconcile_with_a_suspended_source_names_the_source(lab_tools, suspended_team_a_source):
    """flux checks the source first and prints only `✗ resource is suspended`: the Kustomization is not."""
    args = {"kind": "kustomization", "name": "team-a-app", "namespace": "team-a", "with_source": True}
    data = lab_tools().call("flux_reconcile", args)["data"]
    assert data["verdict"] == "suspended" and data["reconciled"] is False
    assert data["suspended_source"] == "GitRepository/team-a/team-a-repo"
    assert "flux resume source git team-a-repo -n team-a" in data["hint"]
