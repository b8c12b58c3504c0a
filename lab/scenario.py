"""Scenario v1: the Flux objects the lab creates and the state each one must reach (lab/README.md mirrors it).

The first objects are the recorded scenario and never change. The off-path objects after them add
failure modes: a GitRepository whose clone is refused at a closed port, and a Kustomization the
controller marks Stalled (an invalid health-check expression), so `flux reconcile` fails at once.
The restricted user `jane` reads source, kustomize and notification objects in team-a, but not
HelmReleases or events there.
"""

from __future__ import annotations

from typing import Any

from .content import GIT_URL, HELM_REPO_URL
from .layout import CLOSED_PORT, HOST, PORTS

SCENARIO = "v1"
NAMESPACES = ("flux-system", "apps", "team-a", "team-b")
PLANTED_USER = "lab-user"
PLANTED_SECRET = "planted-secret-123"
PLANTED_VALUES_SECRET = "planted-values-secret-456"
"""In the Secrets a HelmRelease's values and a Kustomization's variables come from: never to leave fluxtools."""
CLOSED_PORT_URL = f"http://{HOST}:{CLOSED_PORT}/fleet.git"
INVALID_HEALTH_EXPR = "data.ready =="  # does not parse: kustomize-controller marks the object Stalled

Obj = dict[str, Any]


def ks(name: str, ns: str, path: str, **spec: Any) -> Obj:
    s = {
        "interval": "10m",
        "path": path,
        "prune": True,
        "timeout": "1m",
        "sourceRef": {"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"},
        **spec,
    }
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": ns},
        "spec": s,
    }


def hr(name: str, ns: str, version: str, values: dict[str, Any] | None = None) -> Obj:
    chart = {
        "chart": "lab-chart",
        "version": version,
        "interval": "10m",
        "sourceRef": {"kind": "HelmRepository", "name": "lab-charts", "namespace": "flux-system"},
    }
    spec: Obj = {
        "interval": "10m",
        "timeout": "1m",
        "chart": {"spec": chart},
        "install": {"disableWait": True, "disableWaitForJobs": True},
        "upgrade": {"disableWait": True, "disableWaitForJobs": True},
    }
    if values:
        spec["values"] = values
    return {
        "apiVersion": "helm.toolkit.fluxcd.io/v2",
        "kind": "HelmRelease",
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
    }


def gitrepo(name: str, ns: str, url: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"interval": "10m", "url": url, "ref": {"branch": "main"}, "timeout": "30s", **spec},
    }


def namespace(name: str) -> Obj:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def recorded_objs() -> list[Obj]:
    """The objects the cassettes were recorded on: unchanged, so re-recording reproduces them."""
    private_url = f"http://{PLANTED_USER}:{PLANTED_SECRET}@{HOST}:{PORTS['git']}/private.git"
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "git-credentials", "namespace": "flux-system"},
            "type": "Opaque",
            "stringData": {"username": PLANTED_USER, "password": PLANTED_SECRET},
        },
        gitrepo("flux-system", "flux-system", GIT_URL),
        gitrepo("private-repo", "flux-system", private_url, secretRef={"name": "git-credentials"}),
        gitrepo("team-a-repo", "team-a", GIT_URL),
        {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "HelmRepository",
            "metadata": {"name": "lab-charts", "namespace": "flux-system"},
            "spec": {"interval": "10m", "url": HELM_REPO_URL, "timeout": "30s"},
        },
        ks("infrastructure", "flux-system", "./infrastructure"),
        ks("apps", "flux-system", "./apps", dependsOn=[{"name": "infrastructure"}]),
        ks("broken-path", "flux-system", "./does-not-exist"),
        ks("broken-build", "flux-system", "./broken-build"),
        ks("suspended-app", "flux-system", "./suspended"),
        ks("dependent-app", "flux-system", "./dependent", dependsOn=[{"name": "broken-build"}]),
        ks("team-a-app", "team-a", "./team-a", sourceRef={"kind": "GitRepository", "name": "team-a-repo"}),
        ks("slow-health", "team-b", "./slow-health", wait=True, timeout="5m", retryInterval="1h", interval="1h"),
        hr("podinfo", "apps", "0.2.0"),
        hr("broken-install", "apps", "0.1.0", {"failInstall": True}),
        hr("missing-version", "apps", "9.9.9"),
        hr("team-a-release", "team-a", "0.1.0", {"message": "hello team-a"}),
    ]


def off_path_objs() -> list[Obj]:
    """Failure modes off the recorded path (see the module docstring)."""
    expr = {"apiVersion": "v1", "kind": "ConfigMap", "current": INVALID_HEALTH_EXPR}
    return [
        gitrepo("closed-port", "flux-system", CLOSED_PORT_URL),
        ks("stalled-config", "flux-system", "./infrastructure", healthCheckExprs=[expr]),
    ]


def configmap(name: str, ns: str, data: dict[str, str]) -> Obj:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}, "data": data}


def secret(name: str, ns: str, data: dict[str, str]) -> Obj:
    meta = {"name": name, "namespace": ns}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque", "stringData": data}


def values_objs() -> list[Obj]:
    """What values and variables resolve from: a HelmRelease with `valuesFrom` and a Kustomization with
    `postBuild` substitutions, each reading a ConfigMap and a Secret holding PLANTED_VALUES_SECRET under keys no
    secret-looking name gives away. The Kustomization applies `./team-a` into `apps` (the fleet repository's
    content is unchanged; it has no variables to substitute)."""
    release = hr("values-from", "apps", "0.2.0", {"message": "inline values win"})
    release["spec"]["valuesFrom"] = [
        {"kind": "ConfigMap", "name": "values-config"},
        {"kind": "Secret", "name": "values-secret"},
        {"kind": "Secret", "name": "values-secret", "valuesKey": "endpoint", "targetPath": "upstream.endpoint"},
        {"kind": "ConfigMap", "name": "absent-values", "optional": True},
    ]
    post_build = {
        "substitute": {"cluster_name": "lab", "region": "lab-east"},
        "substituteFrom": [{"kind": "ConfigMap", "name": "vars-config"}, {"kind": "Secret", "name": "vars-secret"}],
    }
    return [
        configmap(
            "values-config",
            "apps",
            {"values.yaml": "replicaCount: 2\nmessage: from the ConfigMap\nfeature:\n  enabled: true\n"},
        ),
        secret(
            "values-secret",
            "apps",
            {"values.yaml": f"feature:\n  licence: {PLANTED_VALUES_SECRET}\n", "endpoint": PLANTED_VALUES_SECRET},
        ),
        configmap("vars-config", "apps", {"domain": "lab.example", "region": "from-configmap"}),
        secret("vars-secret", "apps", {"licence_id": PLANTED_VALUES_SECRET}),
        release,
        ks("post-build", "apps", "./team-a", targetNamespace="apps", postBuild=post_build),
    ]


def scenario_objs() -> list[Obj]:
    return recorded_objs() + off_path_objs() + values_objs()


def rbac_objs() -> list[Obj]:
    """jane may read source, kustomize and notification objects in team-a; HelmReleases and events are forbidden."""
    groups = ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io"]
    return [
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "flux-readonly", "namespace": "team-a"},
            "rules": [{"apiGroups": groups, "resources": ["*"], "verbs": ["get", "list", "watch"]}],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "jane-flux-readonly", "namespace": "team-a"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "flux-readonly"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}],
        },
    ]


# (kind, namespace, name, expected Ready, accepted reasons, note)
EXPECT: list[tuple[str, str, str, str, set[str], str]] = [
    ("GitRepository", "flux-system", "flux-system", "True", {"Succeeded"}, ""),
    (
        "GitRepository",
        "flux-system",
        "private-repo",
        "False",
        {"GitOperationFailed"},
        "401 from git server; message carries the planted URL credentials",
    ),
    ("GitRepository", "team-a", "team-a-repo", "True", {"Succeeded"}, ""),
    ("HelmRepository", "flux-system", "lab-charts", "True", {"Succeeded"}, ""),
    ("HelmChart", "flux-system", "apps-podinfo", "True", {"ChartPullSucceeded"}, "created by helm-controller"),
    ("HelmChart", "flux-system", "apps-broken-install", "True", {"ChartPullSucceeded"}, "created by helm-controller"),
    ("HelmChart", "flux-system", "apps-missing-version", "False", {"InvalidChartReference"}, "Stalled=True"),
    ("HelmChart", "flux-system", "team-a-team-a-release", "True", {"ChartPullSucceeded"}, "created by helm-controller"),
    ("Kustomization", "flux-system", "infrastructure", "True", {"ReconciliationSucceeded"}, ""),
    ("Kustomization", "flux-system", "apps", "True", {"ReconciliationSucceeded"}, ""),
    ("Kustomization", "flux-system", "broken-path", "False", {"ArtifactFailed"}, ""),
    ("Kustomization", "flux-system", "broken-build", "False", {"BuildFailed"}, ""),
    ("Kustomization", "flux-system", "suspended-app", "True", {"ReconciliationSucceeded"}, "suspended"),
    ("Kustomization", "flux-system", "dependent-app", "False", {"DependencyNotReady"}, ""),
    ("Kustomization", "team-a", "team-a-app", "True", {"ReconciliationSucceeded"}, ""),
    ("Kustomization", "team-b", "slow-health", "Unknown|False", {"Progressing", "HealthCheckFailed"}, "slow"),
    ("HelmRelease", "apps", "podinfo", "True", {"InstallSucceeded"}, ""),
    ("HelmRelease", "apps", "broken-install", "False", {"InstallFailed", "RetriesExceeded"}, ""),
    ("HelmRelease", "apps", "missing-version", "False", {"SourceNotReady"}, ""),
    ("HelmRelease", "team-a", "team-a-release", "True", {"InstallSucceeded"}, ""),
    ("HelmRelease", "apps", "values-from", "True", {"InstallSucceeded", "UpgradeSucceeded"}, "valuesFrom"),
    ("HelmChart", "flux-system", "apps-values-from", "True", {"ChartPullSucceeded"}, "created by helm-controller"),
    ("Kustomization", "apps", "post-build", "True", {"ReconciliationSucceeded"}, "postBuild"),
    ("GitRepository", "flux-system", "closed-port", "False", {"GitOperationFailed"}, "clone: connection refused"),
    ("Kustomization", "flux-system", "stalled-config", "False", {"InvalidCELExpression"}, "Stalled=True"),
]

RESOURCE = {
    "GitRepository": "gitrepositories.source.toolkit.fluxcd.io",
    "HelmRepository": "helmrepositories.source.toolkit.fluxcd.io",
    "HelmChart": "helmcharts.source.toolkit.fluxcd.io",
    "Kustomization": "kustomizations.kustomize.toolkit.fluxcd.io",
    "HelmRelease": "helmreleases.helm.toolkit.fluxcd.io",
}


def expected() -> list[dict[str, Any]]:
    """EXPECT as `lab.json` lists it."""
    return [
        {"kind": k, "namespace": ns, "name": n, "ready": w, "reasons": sorted(r), "note": note}
        for k, ns, n, w, r, note in EXPECT
    ]
