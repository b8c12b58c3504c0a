"""A controller that runs with every worker held is busy, not absent: kustomize-controller's workers wait on
health checks that cannot pass, and a reconcile asked meanwhile is waited on past the pickup window (the
controller's leader Lease is renewed) until a worker takes it."""

import time

import pytest

from fluxtools import FluxTools
from fluxtools._flux import verdict
from fluxtools._process.runners import SubprocessRunner
from lab import kube, zoo

NAMESPACE = "busy-controller"
LABEL = "fluxtools.lab/busy-controller"
HOLD_SECS = 32
"""How long each holding Kustomization's health check waits (its `timeout`)."""
HOLDS = 5
"""One more than kustomize-controller's 4 workers: a worker another reconcile frees is taken by a hold first."""


def holding(index: int) -> dict:
    """A Kustomization applying a Deployment that never gets ready and waiting for it `HOLD_SECS`."""
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": f"hold-{index}", "namespace": NAMESPACE, "labels": {LABEL: "true"}},
        "spec": {
            "interval": "1h",
            "retryInterval": "1h",
            "path": "./slow-health",
            "prune": False,
            "wait": True,
            "timeout": f"{HOLD_SECS}s",
            "targetNamespace": NAMESPACE,
            "namePrefix": f"hold-{index}-",
            "sourceRef": {"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"},
        },
    }


@pytest.fixture
def held_workers(lab):
    """kustomize-controller with every worker on a health check; its namespace is removed afterwards."""
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE, "labels": {LABEL: "true"}}}
    kube.apply_objs([namespace, *(holding(index) for index in range(HOLDS))], NAMESPACE)
    try:
        deadline = time.monotonic() + 30
        active, most = zoo.workers("kustomize-controller")
        while active < most and time.monotonic() < deadline:
            time.sleep(0.5)
            active, most = zoo.workers("kustomize-controller")
        assert active == most, f"{active:g} of {most:g} workers held after 30s"
        yield
    finally:
        kube.delete_namespaces(LABEL, timeout=HOLD_SECS + 120)


def test_a_reconcile_asked_of_a_busy_controller_waits_for_a_free_worker(lab, lab_config, held_workers):
    tools = FluxTools(lab_config(reconcile_min_interval_secs=0), runner=SubprocessRunner())
    data = tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps", "timeout_secs": 110})["data"]
    assert data["verdict"] == "succeeded", data
    assert data["duration_secs"] > verdict.PICKUP_SECS  # taken after the window that once answered not_handled
