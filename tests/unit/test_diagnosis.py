"""Root-cause analysis on a synthetic scenario shaped like the lab's."""

from fluxtools.diagnosis import analyse


def obj(kind, name, ns="flux-system", ready="True", reason="Succeeded", message="ok", suspend=False, **spec):
    return {
        "kind": kind,
        "metadata": {"name": name, "namespace": ns},
        "spec": {"suspend": suspend, **spec},
        "status": {"conditions": [{"type": "Ready", "status": ready, "reason": reason, "message": message}]},
    }


GIT = {"kind": "GitRepository", "name": "flux-system"}
SYNTHETIC = [
    obj("GitRepository", "flux-system"),
    obj("Kustomization", "infrastructure", sourceRef=GIT, path="./infra"),
    obj("Kustomization", "apps", sourceRef=GIT, dependsOn=[{"name": "infrastructure"}]),
    obj(
        "Kustomization",
        "broken-build",
        ready="False",
        reason="BuildFailed",
        message="kustomize build failed",
        sourceRef=GIT,
        path="./broken",
    ),
    obj(
        "Kustomization",
        "dependent-app",
        ready="False",
        reason="DependencyNotReady",
        message="dependency 'flux-system/broken-build' is not ready",
        sourceRef=GIT,
        dependsOn=[{"name": "broken-build"}],
    ),
    obj("Kustomization", "suspended-app", suspend=True, sourceRef=GIT),
    obj(
        "HelmRelease",
        "broken-install",
        ns="apps",
        ready="False",
        reason="InstallFailed",
        message="Helm install failed for release apps/broken-install",
        chart={"spec": {"chart": "demo"}},
    ),
]
EVENTS = [
    {
        "involvedObject": {"kind": "Kustomization", "name": "broken-build", "namespace": "flux-system"},
        "message": "kustomize build failed: missing-file.yaml",
        "lastTimestamp": "2026-01-01T00:00:02Z",
    },
    {
        "involvedObject": {"kind": "Kustomization", "name": "apps", "namespace": "flux-system"},
        "message": "old warning on a healthy object",
        "lastTimestamp": "2026-01-01T00:00:01Z",
    },
]
LOGS = [
    {
        "level": "error",
        "ts": "t",
        "msg": "Reconciler error",
        "controllerKind": "HelmRelease",
        "name": "broken-install",
        "namespace": "apps",
        "error": "template fail.yaml:2: failInstall is true",
    },
    {
        "level": "error",
        "ts": "t0",
        "msg": "Reconciler error",
        "controllerKind": "HelmRelease",
        "name": "broken-install",
        "namespace": "apps",
        "error": "Helm install failed for release apps/broken-install",
    },
]


def test_root_causes_first_with_evidence_and_actions():
    report = analyse(SYNTHETIC, EVENTS, LOGS)
    findings = {f["object"]: f for f in report["findings"]}
    assert set(findings) == {
        "Kustomization/flux-system/broken-build",
        "Kustomization/flux-system/dependent-app",
        "Kustomization/flux-system/suspended-app",
        "HelmRelease/apps/broken-install",
    }
    build = findings["Kustomization/flux-system/broken-build"]
    assert build["root_cause"] and build["affects"] == ["Kustomization/flux-system/dependent-app"]
    assert build["events"] == ["kustomize build failed: missing-file.yaml"]
    assert "kustomize build fails" in build["next_action"]
    dependent = findings["Kustomization/flux-system/dependent-app"]
    assert not dependent["root_cause"] and dependent["blocked_by"] == ["Kustomization/flux-system/broken-build"]
    install = findings["HelmRelease/apps/broken-install"]
    assert install["error_log_lines"] == 2
    assert install["logs"] == [  # the line repeating the Ready message adds nothing and is left out
        "t error HelmRelease/broken-install.apps - Reconciler error template fail.yaml:#: failInstall is true".replace(
            "#", "2"
        )
    ]
    assert findings["Kustomization/flux-system/suspended-app"]["state"] == "suspended"
    order = [f["object"] for f in report["findings"]]
    assert order[-1] == "Kustomization/flux-system/dependent-app"
    assert order[0] == "Kustomization/flux-system/broken-build"  # failed, affects one other
    assert report["summary"] == {
        "objects": 7,
        "counts": {"failed": 3, "ready": 3, "suspended": 1},
        "root_causes": 3,
        "affected": 1,
    }


def test_healthy_cluster():
    report = analyse([obj("Kustomization", "apps")])
    assert report["healthy"] is True and report["findings"] == []


def test_missing_dependency_is_named():
    report = analyse(
        [obj("Kustomization", "a", ready="False", reason="DependencyNotReady", dependsOn=[{"name": "ghost"}])]
    )
    assert report["findings"][0]["missing"] == ["Kustomization/flux-system/ghost"]
    assert "does not exist" in report["findings"][0]["next_action"]
