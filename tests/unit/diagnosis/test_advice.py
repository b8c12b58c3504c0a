"""A next action per Flux failure reason, using the evidence; each a valid tool call and a flux command.

Objects are synthetic; the messages follow the forms the Flux controllers write (the lab's recordings for
the scenario's reasons).
"""

import pytest

from fluxtools.diagnosis import analyse
from fluxtools.specs import REGISTRY


def failing(kind, reason, message, ns="apps", name="x", stalled=False, **spec):
    conditions = [{"type": "Ready", "status": "False", "reason": reason, "message": message}]
    if stalled:
        conditions.append({"type": "Stalled", "status": "True", "reason": reason, "message": message})
    return {
        "kind": kind,
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
        "status": {"conditions": conditions},
    }


CASES = [
    (
        failing(
            "Kustomization",
            "ArtifactFailed",
            "kustomization path not found: stat /tmp/k-1/nope: no such file",
            path="./nope",
        ),
        ["spec.path './nope'"],
        "flux reconcile kustomization x -n apps --with-source",
    ),
    (
        failing(
            "Kustomization",
            "BuildFailed",
            "kustomize build failed: accumulating resources from 'gone.yaml': x",
            path="./app",
        ),
        ["'gone.yaml'", "'./app'"],
        "flux reconcile kustomization x -n apps --with-source",
    ),
    (
        failing(
            "Kustomization",
            "HealthCheckFailed",
            "health check failed after 5m0s: timeout waiting for: [Deployment/apps/web status: 'InProgress']",
        ),
        ["Deployment/apps/web (InProgress)"],
        "flux tree kustomization x -n apps",
    ),
    (
        failing(
            "Kustomization",
            "ReconciliationFailed",
            "Deployment/apps/web dry-run failed: spec.replicas: Invalid value: -1",
        ),
        ["rejected Deployment/apps/web"],
        "flux reconcile kustomization x -n apps --with-source",
    ),
    (
        failing(
            "Kustomization",
            "ArtifactFailed",
            "Source 'GitRepository/apps/repo' not found: gitrepositories.source.toolkit.fluxcd.io \"repo\" not found",
        ),
        ["GitRepository/apps/repo does not exist", "spec.sourceRef"],
        "flux get sources all -n apps",
    ),
    (
        failing(
            "HelmRelease",
            "InstallFailed",
            "Helm install failed for release apps/x: execution error at (c/templates/a.yaml:1:2): boom",
        ),
        ["c/templates/a.yaml:1:2"],
        "flux reconcile helmrelease x -n apps",
    ),
    (
        failing("HelmRelease", "UpgradeFailed", "Helm upgrade failed: retries exhausted", stalled=True),
        ["--reset"],
        "flux reconcile helmrelease x -n apps --reset",
    ),
    (
        failing(
            "HelmChart",
            "InvalidChartReference",
            "invalid chart reference: no 'c' chart with version matching '9.9.9' found",
            stalled=True,
        ),
        ["'9.9.9'", "spec.version of HelmChart/apps/x"],
        "flux reconcile source chart x -n apps --with-source",
    ),
    (
        failing(
            "GitRepository",
            "GitOperationFailed",
            "unable to clone 'https://git/x.git': authentication required",
            url="https://git/x.git",
            secretRef={"name": "creds"},
        ),
        ["Secret apps/creds"],
        "flux reconcile source git x -n apps",
    ),
    (
        failing(
            "HelmRepository",
            "IndexationFailed",
            "failed to fetch Helm repository index: 404 Not Found",
            url="https://charts/x",
        ),
        ["spec.url 'https://charts/x'", "IndexationFailed"],
        "flux reconcile source helm x -n apps",
    ),
]


@pytest.mark.parametrize(
    ("obj", "said", "flux"), CASES, ids=[case[0]["status"]["conditions"][0]["reason"] for case in CASES]
)
def test_action_per_reason_names_the_evidence(obj, said, flux):
    (cause,) = analyse([obj])["causes"]
    action = cause["next_action"]
    for text in said:
        assert text in action["do"], action
    assert action["flux"] == flux
    REGISTRY[action["tool"]["name"]].args_model.model_validate(action["tool"]["args"])
