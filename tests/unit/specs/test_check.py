"""flux_check: argv, report sections, Flux v1, degradation to kubectl without the flux CLI.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import json

import pytest

from fluxtools._errors import NotInstalled
from tests.unit.specs.support import (
    CONN,
    items,
    tools,
)

# flux_check -----------------------------------------------------------------------------------

SYNTHETIC_CHECK_PRE = "► checking prerequisites\n✔ Kubernetes 1.36.3 >=1.33.0-0\n✔ prerequisites checks passed\n"
SYNTHETIC_CHECK = """► checking prerequisites
✗ flux 2.9.4 <2.10.0 (new CLI version is available, please upgrade)
✔ Kubernetes 1.36.3 >=1.33.0-0
► checking version in cluster
✔ distribution: flux-v2.9.4
✔ bootstrapped: false
► checking controllers
✔ helm-controller: deployment ready
► ghcr.io/fluxcd/helm-controller:v1.6.3
✗ source-controller: deployment not ready
► ghcr.io/fluxcd/source-controller:v1.9.4
► checking crds
✔ gitrepositories.source.toolkit.fluxcd.io/v1
✔ kustomizations.kustomize.toolkit.fluxcd.io/v1
✗ check failed
"""
SYNTHETIC_CHECK_NO_FLUX = """► checking prerequisites
✔ Kubernetes 1.36.3 >=1.33.0-0
► checking version in cluster
✗ checking failed: customresourcedefinitions.apiextensions.k8s.io "gitrepositories.source.toolkit.fluxcd.io" not found
► checking controllers
✗ no controllers found in the 'flux-system' namespace with the label selector 'app.kubernetes.io/part-of=flux'
► checking crds
✗ no crds found with the label selector 'app.kubernetes.io/part-of=flux'
✗ check failed
"""


@pytest.mark.parametrize(
    ("args", "flags"),
    [
        ({}, ["-n", "flux-system", "--timeout=25s"]),
        ({"pre": True}, ["--pre", "-n", "flux-system", "--timeout=25s"]),
        ({"namespace": "flux"}, ["-n", "flux", "--timeout=25s"]),
    ],
)
def test_check_argv(args, flags):
    flux, runner = tools(lambda argv: (0, "", SYNTHETIC_CHECK_PRE))
    assert flux.call("flux_check", args)["success"]
    assert runner.calls[0] == ["flux", *CONN, "check", *flags]


def test_check_pre_passes():
    flux, _ = tools(lambda argv: (0, "", SYNTHETIC_CHECK_PRE))
    data = flux.call("flux_check", {"pre": True})["data"]
    assert data["passed"] is True and data["kubernetes_version"] == "1.36.3" and data["problems"] == []
    assert data["checked_with"] == "flux check" and "warnings" not in data


def test_check_report_sections():
    flux, runner = tools(lambda argv: (1, "", SYNTHETIC_CHECK))
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False
    assert data["distribution"] == "flux-v2.9.4" and data["bootstrapped"] is False
    assert data["controllers"] == [
        {
            "name": "helm-controller",
            "ready": True,
            "status": "deployment ready",
            "images": ["ghcr.io/fluxcd/helm-controller:v1.6.3"],
        },
        {
            "name": "source-controller",
            "ready": False,
            "status": "deployment not ready",
            "images": ["ghcr.io/fluxcd/source-controller:v1.9.4"],
        },
    ]
    assert data["crds"] == [
        {"name": "gitrepositories.source.toolkit.fluxcd.io", "version": "v1"},
        {"name": "kustomizations.kustomize.toolkit.fluxcd.io", "version": "v1"},
    ]
    assert data["problems"] == ["source-controller: deployment not ready"]
    assert data["warnings"] == ["flux 2.9.4 <2.10.0 (new CLI version is available, please upgrade)"]
    assert len(runner.calls) == 1


def test_check_unreachable_cluster_is_an_error():
    stderr = (
        '► checking prerequisites\n✗ Kubernetes API call failed: Get "https://127.0.0.1:6443/version": '
        "dial tcp 127.0.0.1:6443: connect: connection refused\n"
    )
    flux, _ = tools(lambda argv: (1, "", stderr))
    assert flux.call("flux_check", {"pre": True})["error_type"] == "ClusterUnreachable"


SYNTHETIC_V1_DEPLOYMENTS = "flux/flux\tdocker.io/fluxcd/flux:1.25.4\nflux/memcached\tmemcached:1.6\n"


def test_check_recognizes_flux_v1():
    def reply(argv):
        if "check" in argv:
            return (1, "", SYNTHETIC_CHECK_NO_FLUX)
        if argv[-1] == "name":
            return (0, "customresourcedefinition.apiextensions.k8s.io/helmreleases.helm.fluxcd.io\n", "")
        return (0, SYNTHETIC_V1_DEPLOYMENTS, "")

    flux, runner = tools(reply)
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False
    assert data["flux_v1"] == [
        "CRD helmreleases.helm.fluxcd.io",
        "Deployment flux/flux running docker.io/fluxcd/flux:1.25.4",
    ]
    assert "Flux v1 detected" in data["problems"][-1] and "not supported" in data["problems"][-1]
    assert runner.calls[1] == ["kubectl", *CONN, "get", "crd", "-o", "name"]


def test_check_without_flux_v2_or_v1():
    def reply(argv):
        return (1, "", SYNTHETIC_CHECK_NO_FLUX) if "check" in argv else (0, "", "")

    flux, _ = tools(reply)
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False and "flux_v1" not in data and len(data["problems"]) == 3


SYNTHETIC_VERSION = {"clientVersion": {"gitVersion": "v1.36.3"}, "serverVersion": {"gitVersion": "v1.36.3"}}
SYNTHETIC_CRD = {
    "metadata": {
        "name": "gitrepositories.source.toolkit.fluxcd.io",
        "labels": {"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/version": "v2.9.4"},
    },
    "status": {"storedVersions": ["v1beta2", "v1"]},
}


def synthetic_deployment(name, ready=1, image_tag="v1.9.4"):
    return {
        "metadata": {"name": name, "namespace": "flux-system", "generation": 2},
        "spec": {
            "replicas": 1,
            "template": {"spec": {"containers": [{"name": "manager", "image": f"ghcr.io/fluxcd/{name}:{image_tag}"}]}},
        },
        "status": {"observedGeneration": 2, "updatedReplicas": 1, "readyReplicas": ready, "availableReplicas": ready},
    }


def degraded_reply(version=SYNTHETIC_VERSION, crds=(SYNTHETIC_CRD,), deployments=None):
    deployments = (
        [synthetic_deployment("source-controller"), synthetic_deployment("helm-controller", ready=0)]
        if deployments is None
        else deployments
    )

    def reply(argv):
        if argv[0] == "flux":
            raise NotInstalled("flux")
        if "version" in argv:
            return (0, json.dumps(version), "")
        if argv[-1] == "name":
            return (0, "", "")
        if "crd" in argv:
            return (0, items(*crds), "")
        if "jsonpath" in argv[-1]:
            return (0, "", "")
        return (0, items(*deployments), "")

    return reply


def test_check_degrades_to_kubectl_without_the_flux_cli():
    flux, runner = tools(degraded_reply())
    data = flux.call("flux_check")["data"]
    assert data["checked_with"] == "kubectl" and "flux CLI is not installed" in data["notes"][0]
    assert data["kubernetes_version"] == "1.36.3" and data["distribution"] == "flux-v2.9.4"
    assert data["crds"] == [{"name": "gitrepositories.source.toolkit.fluxcd.io", "version": "v1"}]
    assert [(c["name"], c["ready"]) for c in data["controllers"]] == [
        ("source-controller", True),
        ("helm-controller", False),
    ]
    assert data["controllers"][0]["images"] == ["ghcr.io/fluxcd/source-controller:v1.9.4"]
    assert data["passed"] is False and data["problems"] == ["helm-controller: deployment not ready (readyReplicas 0/1)"]
    assert runner.calls[1:] == [
        ["kubectl", *CONN, "version", "-o", "json"],
        ["kubectl", *CONN, "get", "crd", "-l", "app.kubernetes.io/part-of=flux", "-o", "json"],
        ["kubectl", *CONN, "get", "deploy", "-n", "flux-system", "-l", "app.kubernetes.io/part-of=flux", "-o", "json"],
    ]


def test_degraded_check_pre_and_healthy():
    flux, runner = tools(degraded_reply(deployments=[synthetic_deployment("source-controller")]))
    assert flux.call("flux_check")["data"]["passed"] is True
    old = {"serverVersion": {"gitVersion": "v1.30.2"}}
    flux, runner = tools(degraded_reply(version=old))
    data = flux.call("flux_check", {"pre": True})["data"]
    assert (
        data["passed"] is True and data["kubernetes_version"] == "1.30.2" and "older than 1.33" in data["warnings"][0]
    )
    assert len(runner.calls) == 2


def test_degraded_check_without_flux_looks_for_v1():
    flux, runner = tools(degraded_reply(crds=(), deployments=[]))
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False and "flux_v1" not in data
    assert any("no crds found" in problem for problem in data["problems"])
    assert runner.calls[-2] == ["kubectl", *CONN, "get", "crd", "-o", "name"]
    assert runner.calls[-1][-4:-1] == ["deploy", "-A", "-o"] and runner.calls[-1][-1].startswith("jsonpath=")
