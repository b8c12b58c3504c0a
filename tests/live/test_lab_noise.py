"""The lab's noise (lab/noise.py) is really there, and the tools stay right with it: timing and process control
that a cassette cannot replay."""

import json
import os
import subprocess
import time

from fluxtools import AuthenticationFailed, FluxTools
from fluxtools._process.classify import Target, classify
from fluxtools._process.runners import CommandResult, SubprocessRunner


def kubectl(lab, *args, context="lab"):
    argv = [lab["kubectl"], "--kubeconfig", lab["kubeconfig"], "--context", context, *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def test_the_aggregated_api_is_registered_but_unavailable_and_reads_stay_right(lab):
    apiservice = json.loads(
        kubectl(lab, "get", "apiservice", lab["noise"]["unavailable_apiservice"], "-o", "json").stdout
    )
    available = [c for c in apiservice["status"]["conditions"] if c["type"] == "Available"]
    assert available and available[0]["status"] == "False"
    assert kubectl(lab, "get", "--raw", "/apis/metrics.k8s.io/v1beta1").returncode == 1  # 503 from the aggregator
    listed = kubectl(lab, "get", "kustomizations", "-A")
    assert listed.returncode == 0 and "apps" in listed.stdout


def test_the_credential_plugin_fails_like_an_expired_login_and_klog_lines_are_set_aside(lab, tmp_path):
    """Without a discovery cache kubectl logs a klog line per discovery attempt, the plugin's message each time,
    then its own answer: the classification is the answer's, with the plugin's message, and no klog line."""
    argv = [lab["kubectl"], "--kubeconfig", lab["noise_kubeconfig"], "--context", "lab-sso-expired", "get", "ks"]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=60, env={**os.environ, "KUBECACHEDIR": str(tmp_path)}
    )
    assert done.returncode == 1
    assert lab["noise"]["expired_message"] in done.stderr
    assert "memcache.go" in done.stderr and "couldn't get current server API group list" in done.stderr
    assert "Unable to connect to the server: getting credentials: exec: executable" in done.stderr
    error = classify(CommandResult(argv, done.returncode, done.stdout, done.stderr), Target("Kustomization"), "k")
    assert isinstance(error, AuthenticationFailed) and "exit code 255" in error.message
    assert error.hint.startswith(f"The credential plugin said: {lab['noise']['expired_message']}.")
    assert "memcache.go" not in error.hint + error.message


def test_a_slow_plugin_answers_within_the_timeout_and_times_out_past_it(lab, lab_config):
    slow = lab_config(context="lab-sso-slow", kubeconfig=lab["noise_kubeconfig"])
    started = time.monotonic()
    answered = FluxTools(slow, runner=SubprocessRunner()).call("flux_kustomization_get", {"name": "apps"})
    assert answered["success"], answered
    assert time.monotonic() - started >= 3  # the plugin's own wait, once per command
    hurried = FluxTools(
        lab_config(context="lab-sso-slow", kubeconfig=lab["noise_kubeconfig"], timeout_secs=1),
        runner=SubprocessRunner(),
    )
    envelope = hurried.call("flux_kustomization_get", {"name": "apps"})
    assert envelope["error_type"] == "Timeout", envelope


def test_the_webhook_refuses_only_what_was_planted_for_it(lab, lab_config):
    tools = FluxTools(lab_config(), runner=SubprocessRunner())
    guarded = {"kind": "gitrepository", "name": "guarded-repo", "namespace": "guarded"}
    assert tools.call("flux_reconcile", guarded)["error_type"] == "AdmissionRefused"
    # a server-side dry run passes admission like a change and changes nothing
    label = ["label", "gitrepositories.source.toolkit.fluxcd.io", "--dry-run=server", "--overwrite"]
    other = kubectl(lab, *label, "flux-system", "-n", "flux-system", "lab.fluxtools.io/probe=1")
    assert other.returncode == 0, other.stderr
    planted = kubectl(lab, *label, "guarded-repo", "-n", "guarded", "lab.fluxtools.io/probe=1")
    assert planted.returncode == 1 and f'failed calling webhook "{lab["noise"]["webhook"]}"' in planted.stderr


def test_the_whole_cluster_diagnosis_stays_right_with_the_noise(lab_config):
    whole = {"max_bytes": 16 * 1024}  # every cause of the grown lab, not the default's first page
    data = FluxTools(lab_config(), runner=SubprocessRunner()).call("flux_diagnose", whole)["data"]
    reasons = {cause["reason"] for cause in data["causes"]}
    assert {"BuildFailed", "ArtifactFailed", "InstallFailed"} <= reasons
    assert not data.get("unread"), data.get("unread")
