"""Failure modes off the recorded path, on the lab's real controllers and RBAC.

The lab plants them (lab/scenario.py): a GitRepository whose clone is refused at a closed port, a
Kustomization the controller marks Stalled so `flux reconcile` fails at once, the restricted user
`jane` who may read Kustomizations in team-a but not HelmReleases or events, and no kubeconfig.
"""

import subprocess
import time
from pathlib import Path

from fluxtools import FluxConfig, FluxTools
from fluxtools._process.runners import SubprocessRunner


def tools_for(lab_config, **settings):
    return FluxTools(lab_config(**settings), runner=SubprocessRunner())


def test_the_lab_reproduces_a_reconcile_the_cli_fails_at_once(lab):
    """The scenario's Stalled Kustomization: `flux reconcile` exits 1 with the controller's message."""
    argv = [lab["flux"], "--kubeconfig", lab["kubeconfig"], "--context", "lab", "-n", "flux-system"]
    started = time.monotonic()
    done = subprocess.run([*argv, "reconcile", "ks", "stalled-config", "--timeout=60s"], capture_output=True, text=True)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "✗ Reconciliation failed terminally due to configuration error" in done.stderr
    assert elapsed < 15  # the CLI does not wait out its 60 s timeout


def test_source_at_a_closed_port_is_a_failed_source(lab, lab_config):
    envelope = tools_for(lab_config).call("flux_source_get", {"kind": "git", "name": "closed-port"})
    assert envelope["success"], envelope  # the cluster answered; the source is what failed
    data = envelope["data"]
    assert data["ready"] is False
    ready = next(c for c in data["conditions"] if c["type"] == "Ready")
    assert ready["reason"] == "GitOperationFailed"
    assert f"dial tcp 127.0.0.1:{lab['ports']['unreachable']}: connect: connection refused" in ready["message"]


def test_source_at_a_closed_port_in_the_diagnosis(lab_config):
    """Every cause of flux-system with its whole message: a budget that holds them (the default shortens them)."""
    arguments = {"namespace": "flux-system", "include_logs": False, "max_bytes": 16 * 1024}
    envelope = tools_for(lab_config).call("flux_diagnose", arguments)
    assert envelope["success"], envelope
    causes = [c for c in envelope["data"]["causes"] if "GitRepository/flux-system/closed-port" in c["objects"]]
    assert len(causes) == 1 and causes[0]["reason"] == "GitOperationFailed"
    assert "connection refused" in causes[0]["message"]


def test_reconcile_of_a_stalled_object_is_a_failed_verdict(lab_config):
    tools = tools_for(lab_config, reconcile_min_interval_secs=0)
    started = time.monotonic()
    envelope = tools.call("flux_reconcile", {"kind": "kustomization", "name": "stalled-config", "timeout_secs": 60})
    elapsed = time.monotonic() - started
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["verdict"] == "failed" and data["reconciled"] is False
    assert data["reason"] == "InvalidCELExpression"
    assert elapsed < 15


def test_restricted_users_diagnosis_answers_with_what_it_could_read(lab_config):
    tools = tools_for(lab_config, context="lab-restricted", namespace="team-a")
    envelope = tools.call("flux_diagnose", {"namespace": "team-a"})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["summary"]["objects"] == 2  # Kustomization team-a-app and GitRepository team-a-repo
    assert data["healthy"] is False  # not everything could be read
    unread = {(item["kind"], item["namespace"]): item["error_type"] for item in data["unread"]}
    assert unread[("HelmRelease", "team-a")] == "PermissionDenied"
    assert unread[("Event", "team-a")] == "PermissionDenied"


def test_restricted_user_reads_kustomizations_but_not_helmreleases(lab_config):
    tools = tools_for(lab_config, context="lab-restricted", namespace="team-a")
    allowed = tools.call("flux_kustomization_list", {"namespace": "team-a"})
    assert allowed["success"] and [k["name"] for k in allowed["data"]["kustomizations"]] == ["team-a-app"]
    denied = tools.call("flux_helmrelease_list", {"namespace": "team-a"})
    assert denied["error_type"] == "PermissionDenied", denied


def test_kubeconfig_at_a_missing_path_is_named(lab):
    missing = lab["missing_kubeconfig"]
    assert not Path(missing).exists()
    config = FluxConfig(kubeconfig=missing, flux_path=lab["flux"], kubectl_path=lab["kubectl"], cache_ttl_secs=0)
    envelope = FluxTools(config, runner=SubprocessRunner()).call("flux_kustomization_list", {})
    assert not envelope["success"]
    assert missing in envelope["error"]
    assert "\n" not in envelope.get("hint", "")


def test_no_kubeconfig_at_all_says_where_it_looked(lab, monkeypatch):
    home = Path(lab["empty_home"])
    assert not (home / ".kube").exists()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    config = FluxConfig(flux_path=lab["flux"], kubectl_path=lab["kubectl"], cache_ttl_secs=0, retry_attempts=1)
    envelope = FluxTools(config, runner=SubprocessRunner()).call("flux_diagnose", {})
    assert not envelope["success"]
    assert envelope["error_type"] == "InvalidKubeconfig"
    assert "no kubeconfig found" in envelope["error"]
    assert str(home / ".kube" / "config") in envelope["error"]  # where it looked
    assert "\n" not in envelope["hint"] and "memcache.go" not in envelope["hint"]
