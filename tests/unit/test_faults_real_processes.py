"""Faults from real child processes standing in for kubectl: hangs, floods, bad bytes, transient errors."""

import json
import os
import sys
import time
from pathlib import Path

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._process.runners import SubprocessRunner

LIST = json.dumps({"items": []})


def fake_cli(tmp_path: Path, body: str) -> str:
    """An executable script run directly (no shell) in place of kubectl."""
    path = tmp_path / "kubectl"
    path.write_text(f"#!{sys.executable}\nimport os, sys, time\n{body}\n")
    path.chmod(0o755)
    return str(path)


def counting_cli(tmp_path: Path, stderr: str, fail_times: int, stdout: str = "") -> tuple[str, Path]:
    """A kubectl that fails `fail_times` times with `stderr`, then prints `stdout`; counts its runs."""
    counter = tmp_path / "count"
    body = (
        f"p = {str(counter)!r}\nn = int(open(p).read()) if os.path.exists(p) else 0\nopen(p, 'w').write(str(n + 1))\n"
        f"if n < {fail_times}:\n    sys.stderr.write({stderr!r})\n    sys.exit(1)\nprint({stdout!r})"
    )
    return fake_cli(tmp_path, body), counter


def tools(kubectl: str, **config) -> FluxTools:
    return FluxTools(FluxConfig(kubectl_path=kubectl, **config), runner=SubprocessRunner(output_cap=1024 * 1024))


def running(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                status = (entry / "stat").read_text().split()[2]
            except OSError:
                continue
            if marker.encode() in cmdline and status != "Z":
                pids.append(int(entry.name))
    return pids


def test_hanging_cli_is_killed_at_the_timeout(tmp_path):
    grandchild = "[sys.executable, '-c', 'import time; time.sleep(600)', 'fluxtools-grandchild']"
    kubectl = fake_cli(tmp_path, f"import subprocess\nsubprocess.Popen({grandchild})\ntime.sleep(600)")
    started = time.monotonic()
    envelope = tools(kubectl, timeout_secs=2).call("flux_kustomization_list", {})
    elapsed = time.monotonic() - started
    assert envelope["error_type"] == "Timeout"
    assert "timed out after 2s" in envelope["error"] and "kubectl" in envelope["error"]
    assert elapsed < 6
    time.sleep(0.2)
    assert running(str(tmp_path)) == [] and running("fluxtools-grandchild") == []


def test_flooding_cli_is_capped_and_reported(tmp_path):
    kubectl = fake_cli(tmp_path, "chunk = b'x' * 65536\nfor _ in range(3200): sys.stdout.buffer.write(chunk)")
    envelope = tools(kubectl).call("flux_kustomization_list", {})
    assert envelope["error_type"] == "CommandFailed" and "not JSON" in envelope["error"]
    assert running(str(tmp_path)) == []


def test_non_utf8_output_is_decoded(tmp_path):
    obj = {
        "metadata": {"name": "apps", "namespace": "flux-system"},
        "status": {"conditions": [{"type": "Ready", "status": "False", "message": "MARK"}]},
    }
    payload = json.dumps(obj).replace("MARK", "bad \\\\xff")
    kubectl = fake_cli(
        tmp_path, f"sys.stdout.buffer.write({payload!r}.encode().replace(b'\\\\\\\\xff', b'\\xff\\xfe'))"
    )
    envelope = tools(kubectl).call("flux_kustomization_get", {"name": "apps"})
    assert envelope["success"], envelope
    assert envelope["data"]["status"] == "bad \ufffd\ufffd"


def test_transient_failures_are_retried_with_backoff(tmp_path):
    unavailable = "Error from server (ServiceUnavailable): the server is currently unable to handle the request (503)"
    kubectl, counter = counting_cli(tmp_path, unavailable, fail_times=2, stdout=LIST)
    started = time.monotonic()
    envelope = tools(kubectl).call("flux_kustomization_list", {})
    assert envelope["success"] and envelope["attempts"] == 3
    assert counter.read_text() == "3"
    assert time.monotonic() - started >= 0.5  # backed off between attempts


def test_permanent_failures_are_not_retried(tmp_path):
    not_found = 'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "apps" not found'
    kubectl, counter = counting_cli(tmp_path, not_found, fail_times=99)
    envelope = tools(kubectl).call("flux_kustomization_get", {"name": "apps"})
    assert envelope["error_type"] == "NotFound" and "attempts" not in envelope
    assert counter.read_text() == "1"


def test_idempotent_mutations_are_retried_on_transient_errors(tmp_path):
    kubectl, counter = counting_cli(tmp_path, "Error from server: etcdserver: leader changed", fail_times=99)
    envelope = tools(kubectl, retry_attempts=2).call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert envelope["error_type"] == "Transient" and envelope["attempts"] == 2
    assert counter.read_text() == "2"


@pytest.mark.parametrize("missing", ["kubeconfig", "garbled"])
def test_missing_or_garbled_kubeconfig_with_a_real_kubectl(tmp_path, missing):
    kubectl = "/usr/bin/kubectl"
    if not os.path.exists(kubectl):
        pytest.fail("kubectl is expected on this machine")
    path = tmp_path / "config"
    if missing == "garbled":
        path.write_text("apiVersion: v1\nclusters: [oops\n  - : :\n")
    envelope = FluxTools(FluxConfig(kubeconfig=str(path), kubectl_path=kubectl)).call("flux_kustomization_list", {})
    assert envelope["error_type"] == "InvalidKubeconfig", envelope
    assert envelope["error"] == f"Unable to connect to cluster. Check kubeconfig at {path}"
