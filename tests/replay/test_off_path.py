"""Failure modes off the happy path, recorded from the lab's real controllers and RBAC.

The lab plants them: a GitRepository whose clone is refused at a closed port, a Kustomization the
controller marks Stalled (so `flux reconcile` fails before the first poll), the restricted user
`jane` who may read Kustomizations in team-a but not HelmReleases or events, and no kubeconfig.
"""

from fluxtools import FluxConfig, FluxTools
from fluxtools._process.runners import SubprocessRunner
from tests.replay.commands import Commands, decided_by_watch


def test_source_at_a_closed_port_is_a_failed_source_not_an_unreachable_cluster(lab_tools):
    envelope = lab_tools().call("flux_source_get", {"kind": "git", "name": "closed-port"})
    assert envelope["success"], envelope
    ready = next(c for c in envelope["data"]["conditions"] if c["type"] == "Ready")
    assert envelope["data"]["ready"] is False and ready["reason"] == "GitOperationFailed"
    assert "connect: connection refused" in ready["message"]


def test_reconcile_the_cli_fails_before_the_first_poll_is_a_failed_verdict(lab_tools):
    """Polling only (the fallback when no watch decides): the CLI's failure comes before the first poll."""
    tools = lab_tools(reconcile_min_interval_secs=0, poll_interval_secs=5, verdict_watch=False)
    envelope = tools.call("flux_reconcile", {"kind": "kustomization", "name": "stalled-config", "timeout_secs": 60})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["verdict"] == "failed" and data["reconciled"] is False
    assert data["reason"] == "InvalidCELExpression"


def test_reconcile_of_a_stalled_object_the_watch_sees_the_controller_fail_it(lab_tools):
    tools = lab_tools(reconcile_min_interval_secs=0)
    commands = Commands(tools)
    envelope = tools.call("flux_reconcile", {"kind": "kustomization", "name": "stalled-config", "timeout_secs": 60})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["verdict"] == "failed" and data["reason"] == "InvalidCELExpression"
    assert "cli_error" not in data  # the controller's failure, seen by the watch before the CLI's next look
    decided_by_watch(commands)


def test_reconcile_the_cli_refuses_before_the_watch_prints_the_object(lab_tools, tier):
    """jane may watch Kustomizations in team-a but not patch them: the CLI fails at once, the watch is stopped."""
    tools = lab_tools(context="lab-restricted", reconcile_min_interval_secs=0)
    commands = Commands(tools)
    envelope = tools.call("flux_reconcile", {"kind": "kustomization", "name": "team-a-app", "namespace": "team-a"})
    assert envelope["error_type"] == "PermissionDenied", envelope
    assert envelope["error"] == "Insufficient permissions to reconcile kustomization/team-a-app"
    (watch,) = commands.watches()
    assert commands.object_reads(watch) == 1
    if tier == "replay":  # the recorded order; live, the watch may print the object just before it is stopped
        assert b"".join(watch.streamed) == b""


def test_restricted_users_diagnosis_lists_its_forbidden_reads(lab_tools):
    tools = lab_tools(context="lab-restricted", namespace="team-a", enforce_namespace=True)
    envelope = tools.call("flux_diagnose", {})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["healthy"] is False and data["summary"]["objects"] >= 1
    unread = {(item["kind"], item["namespace"]): item["error_type"] for item in data["unread"]}
    assert unread[("HelmRelease", "team-a")] == "PermissionDenied"
    assert unread[("Event", "team-a")] == "PermissionDenied"


def test_no_kubeconfig_says_where_it_looked(lab_tools, tier, flux_record_mode, request, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    live = tier == "live" or flux_record_mode != "none"
    lab = request.getfixturevalue("needs_lab") if live else None
    runner = SubprocessRunner() if tier == "live" else request.getfixturevalue("flux_cassette")
    binaries = {"flux_path": lab["flux"], "kubectl_path": lab["kubectl"]} if lab else {}
    config = FluxConfig(cache_ttl_secs=0, retry_attempts=1, **binaries)
    envelope = FluxTools(config, runner=runner).call("flux_kustomization_list", {})
    assert envelope["error_type"] == "InvalidKubeconfig", envelope
    assert "no kubeconfig found" in envelope["error"]
    assert str(tmp_path / ".kube" / "config") in envelope["error"]
    assert "\n" not in envelope["hint"] and "memcache.go" not in envelope["hint"]
