"""The advice the diagnosis gave wrong before the failure catalogue, on synthetic objects whose messages take the
forms the controllers write (learned from their sources; the lab's failure zoo checks the real ones live)."""

from __future__ import annotations

import pytest

from fluxtools.diagnosis import analyse
from fluxtools.specs import REGISTRY


def failing(kind, reason, message, ns="zoo", name="x", **spec):
    return {
        "kind": kind,
        "metadata": {"name": name, "namespace": ns, "generation": 1},
        "spec": spec,
        "status": {
            "observedGeneration": 1,
            "conditions": [{"type": "Ready", "status": "False", "reason": reason, "message": message}],
        },
    }


CASES = {
    "service-account-rbac": (
        failing(
            "Kustomization",
            "ReconciliationFailed",
            'ConfigMap/zoo/cm dry-run failed (Forbidden): configmaps "cm" is forbidden: User '
            '"system:serviceaccount:zoo:deployer" cannot patch resource "configmaps" in API group "" in the '
            'namespace "zoo"',
            serviceAccountName="deployer",
            path="./apps",
        ),
        ["Service account zoo/deployer", "spec.serviceAccountName 'deployer'", "cannot patch configmaps", "Role"],
        ["manifest in the source"],
    ),
    "bucket-endpoint": (
        failing(
            "Bucket",
            "BucketOperationFailed",
            "failed to confirm existence of 'b' bucket: dial tcp 127.0.0.1:26499: connect: connection refused",
            endpoint="127.0.0.1:26499",
            bucketName="b",
        ),
        ["spec.endpoint '127.0.0.1:26499'"],
        ["spec.url"],
    ),
    "substitute-from-missing": (
        failing(
            "Kustomization",
            "BuildFailed",
            "substitute from 'ConfigMap/vars' error: configmaps \"vars\" not found",
            path="./apps",
        ),
        ["ConfigMap zoo/vars", "spec.postBuild.substituteFrom", "create it"],
        ["fix the manifests"],
    ),
    "branch-missing": (
        failing(
            "GitRepository",
            "GitOperationFailed",
            "failed to checkout and determine revision: unable to clone 'http://git/fleet.git': couldn't find "
            'remote ref "refs/heads/nope"',
            url="http://git/fleet.git",
            ref={"branch": "nope"},
        ),
        ["Branch 'nope' (spec.ref.branch)", "spec.url 'http://git/fleet.git'"],
        ["read the events"],
    ),
    "target-namespace-missing": (
        failing(
            "Kustomization",
            "ReconciliationFailed",
            'ConfigMap/nowhere/app-config not found: namespaces "nowhere" not found',
            targetNamespace="nowhere",
            path="./apps",
        ),
        ["Namespace 'nowhere' does not exist", "spec.targetNamespace 'nowhere'"],
        ["read the events"],
    ),
    "values-from-missing": (
        failing(
            "HelmRelease",
            "ValuesError",
            "could not resolve ConfigMap chart values reference 'zoo/values' with key 'values.yaml': resource "
            "not found",
            valuesFrom=[{"kind": "ConfigMap", "name": "values"}],
        ),
        ["ConfigMap zoo/values", "spec.valuesFrom", "key 'values.yaml'"],
        ["read the events"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_synthetic_form_gets_its_own_advice(case):
    obj, said, not_said = CASES[case]
    (cause,) = analyse([obj])["causes"]
    action = cause["next_action"]
    for text in said:
        assert text in action["do"], action
    for text in not_said:
        assert text not in action["do"], action
    REGISTRY[action["tool"]["name"]].args_model.model_validate(action["tool"]["args"])


def test_synthetic_object_no_controller_handled_names_its_controller():
    """A HelmRelease nobody reconciled (no status): the controller to look at, not generic advice."""
    obj = {"kind": "HelmRelease", "metadata": {"name": "new", "namespace": "zoo", "generation": 1}, "spec": {}}
    (cause,) = analyse([obj])["causes"]
    action = cause["next_action"]
    assert "No controller has handled HelmRelease/zoo/new" in action["do"] and "helm-controller" in action["do"]
    assert action["tool"]["name"] == "flux_check" and action["failure"] == "any.not-handled"
