"""A `flux reconcile` that finishes before the first poll: controller failures are verdicts, API failures errors.

Scripted runs with synthetic flux stderr shaped like cmd/flux/reconcile.go prints it (`►`, `✔`, `◎`, then `✗`).
"""

import json

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object

BUILD_FAILED = (
    "kustomize build failed: accumulating resources: accumulation err='accumulating resources from "
    "'missing-file.yaml': open /tmp/kustomization-1/broken-build/missing-file.yaml: no such file or directory'"
)
CLONE_REFUSED = (
    "failed to checkout and determine revision: unable to clone 'http://127.0.0.1:1/closed.git': "
    'Get "http://127.0.0.1:1/closed.git/info/refs?service=git-upload-pack": dial tcp 127.0.0.1:1: '
    "connect: connection refused"
)


def waited(kind: str, line: str) -> str:
    annotated = f"► annotating {kind} x in flux-system namespace\n✔ {kind} annotated\n"
    return f"{annotated}◎ waiting for {kind} reconciliation\n✗ {line}\n"


def tools(flux_stderr: str, kind: str = "Kustomization", exit_code: int = 1) -> FluxTools:
    """The object never changes, so only the CLI's early exit can decide before the deadline."""

    def reply(argv):
        if argv[0] == "flux":
            return (exit_code, "", flux_stderr)
        if "events" in argv:
            return (0, json.dumps({"items": []}), "")
        return (0, json.dumps(ready_object(kind=kind)), "")

    return FluxTools(FluxConfig(kubeconfig="/k/config"), runner=ScriptedRunner(reply))


@pytest.mark.parametrize("stderr", [waited("Kustomization", BUILD_FAILED), f"✗ {BUILD_FAILED}\n"])
def test_build_failure_echoed_by_flux_is_a_failed_verdict(stderr):
    envelope = tools(stderr).call("flux_reconcile", {"kind": "kustomization", "name": "broken-build"})
    assert envelope["success"], envelope
    assert envelope["data"]["verdict"] == "failed"
    assert envelope["data"]["cli_error"] == BUILD_FAILED


def test_refused_clone_is_a_failed_verdict_not_an_unreachable_cluster():
    stderr = waited("GitRepository", CLONE_REFUSED)
    envelope = tools(stderr, kind="GitRepository").call(
        "flux_reconcile", {"kind": "gitrepository", "name": "closed-port"}
    )
    assert envelope["success"], envelope
    assert envelope["data"]["verdict"] == "failed"
    assert "connection refused" in envelope["data"]["cli_error"]


def test_ready_false_reported_by_flux_is_a_failed_verdict():
    stderr = waited("Kustomization", "Kustomization reconciliation failed: 'yaml: line 3: did not find expected key'")
    envelope = tools(stderr).call("flux_reconcile", {"kind": "kustomization", "name": "apps"})
    assert envelope["data"]["verdict"] == "failed"


def test_controller_deadline_text_is_a_verdict_but_the_cli_deadline_is_not():
    health = "health check failed after 30s: failed early due to stalled resources, context deadline exceeded"
    failed = tools(waited("Kustomization", health)).call("flux_reconcile", {"kind": "kustomization", "name": "a"})
    assert failed["data"]["verdict"] == "failed" and failed["data"]["cli_error"] == health
    own = tools(waited("Kustomization", "context deadline exceeded")).call(
        "flux_reconcile", {"kind": "kustomization", "name": "a", "timeout_secs": 5}
    )
    assert own["data"]["verdict"] == "timed_out"


@pytest.mark.parametrize(
    ("stderr", "error_type"),
    [
        (
            waited(
                "Kustomization",
                'Get "https://127.0.0.1:6443/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/'
                'kustomizations/apps": dial tcp 127.0.0.1:6443: connect: connection refused',
            ),
            "ClusterUnreachable",
        ),
        (
            '✗ failed to get server groups: Get "https://127.0.0.1:6443/api?timeout=32s": dial tcp 127.0.0.1:6443: '
            "connect: connection refused\n",
            "ClusterUnreachable",
        ),
        (
            "✗ invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment "
            "variable\n",
            "InvalidKubeconfig",
        ),
        ('✗ context "foo" does not exist\n', "InvalidKubeconfig"),
        ('✗ kustomizations.kustomize.toolkit.fluxcd.io "apps" not found\n', "NotFound"),
    ],
)
def test_api_failures_of_the_cli_are_errors(stderr, error_type):
    envelope = tools(stderr).call("flux_reconcile", {"kind": "kustomization", "name": "apps"})
    assert envelope["error_type"] == error_type, envelope


def test_a_suspended_source_is_named_not_the_object():
    """flux checks the source first with --with-source and prints only `✗ resource is suspended` for it."""
    flux = tools("✗ resource is suspended\n")
    data = flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps", "with_source": True})["data"]
    assert data["verdict"] == "suspended" and data["reconciled"] is False
    assert data["suspended_source"] == "GitRepository/flux-system/flux-system"
    assert "flux resume source git flux-system -n flux-system" in data["hint"]
    assert "flux_reconcile kind=kustomization name=apps namespace=flux-system" in data["hint"]  # without with_source
    assert "source" in data["message"]


def test_without_with_source_a_suspended_verdict_is_the_objects_own():
    """The object was suspended between the first read and the CLI's own check."""
    data = tools("✗ resource is suspended\n").call("flux_reconcile", {"kind": "kustomization", "name": "apps"})["data"]
    assert data["verdict"] == "suspended" and "suspended_source" not in data
    assert "flux_resume kind=kustomization name=apps namespace=flux-system" in data["hint"]


def helmrelease_tools(spec: dict) -> FluxTools:
    """A HelmRelease (synthetic) whose `flux reconcile --with-source` says only `✗ resource is suspended`."""
    obj = ready_object(kind="HelmRelease")
    obj["metadata"]["namespace"] = "apps"
    obj["spec"] = spec

    def reply(argv):
        if argv[0] == "flux":
            return (1, "", "✗ resource is suspended\n")
        if "events" in argv:
            return (0, json.dumps({"items": []}), "")
        return (0, json.dumps(obj), "")

    return FluxTools(FluxConfig(kubeconfig="/k/config"), runner=ScriptedRunner(reply))


def test_a_helmrelease_chart_template_names_the_helmchart_flux_checks_first():
    """With `spec.chart`, flux reconciles the HelmChart `<namespace>-<name>` (in the chart source's namespace)
    with its source: either of the two may be the suspended one."""
    spec = {
        "chart": {
            "spec": {
                "chart": "podinfo",
                "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"},
            }
        }
    }
    args = {"kind": "helmrelease", "name": "apps", "namespace": "apps", "with_source": True}
    data = helmrelease_tools(spec).call("flux_reconcile", args)["data"]
    assert data["verdict"] == "suspended" and data["suspended_source"] == "HelmRepository/flux-system/podinfo"
    assert "HelmChart/flux-system/apps-apps" in data["message"]
    assert "flux resume source helm podinfo -n flux-system" in data["hint"]
    assert "flux resume source chart apps-apps -n flux-system" in data["hint"]


def test_a_helmrelease_chart_ref_to_an_oci_repository_names_that_repository():
    spec = {"chartRef": {"kind": "OCIRepository", "name": "podinfo"}}
    args = {"kind": "helmrelease", "name": "apps", "namespace": "apps", "with_source": True}
    data = helmrelease_tools(spec).call("flux_reconcile", args)["data"]
    assert data["suspended_source"] == "OCIRepository/apps/podinfo" and "HelmChart" not in data["message"]
    assert "flux resume source oci podinfo -n apps" in data["hint"]
