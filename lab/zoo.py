"""The failure zoo: one object per failure the catalogue (fluxtools/_flux/failures.py) knows that can be made
offline, each in its own namespace `zoo-<slug>`, planted additively on the running lab.

    python3 lab/labctl.py zoo            # plant (or re-plant) every entry, wait until each shows its failure
    python3 lab/labctl.py zoo --remove   # delete the zoo's namespaces

Each `Entry` says beside its objects what the diagnosis must find: the root object, the objects it blocks,
the catalogue entry of its advice and words of that advice taken from the object's own fields, and the
reconcile verdict. The stopped-controller entry is not planted here: it needs a controller paused, so the live
test that checks it pauses and resumes the controller itself (`pause_controller`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import description
from .content import HELM_REPO_URL, PRIVATE_GIT_URL, REFUSED_GIT_URL, ZOO_BAD_INDEX_URL, ZOO_GIT_URL, make_zoo_content
from .kube import apply_objs, delete_namespaces, get_json, kubectl, ready_cond
from .layout import CLOSED_PORT, HOST, PORTS, state
from .lifecycle import locked, running_state
from .processes import alive, die, load_pids, log
from .scenario import GIT_URL, RESOURCE, namespace

LABEL = "fluxtools.lab/zoo"
CLOSED = f"{HOST}:{CLOSED_PORT}"
Obj = dict[str, Any]
RESOURCES = {
    **RESOURCE,
    "OCIRepository": "ocirepositories.source.toolkit.fluxcd.io",
    "Bucket": "buckets.source.toolkit.fluxcd.io",
    "Receiver": "receivers.notification.toolkit.fluxcd.io",
    "ImagePolicy": "imagepolicies.image.toolkit.fluxcd.io",
    "ImageUpdateAutomation": "imageupdateautomations.image.toolkit.fluxcd.io",
}


@dataclass(frozen=True)
class Entry:
    slug: str
    objects: tuple[Obj, ...]
    root: str
    """`Kind/name` of the object whose failure explains the entry (its namespace is the entry's)."""
    failure: str
    """The catalogue key of the root's advice."""
    advice: tuple[str, ...]
    """Words the advice must say, from the object's own fields and message."""
    reasons: tuple[str, ...]
    """Ready reasons the root shows once failed (any of them)."""
    blocked: tuple[str, ...] = ()
    """`Kind/name` of objects the root blocks (attributed to it)."""
    reconcile: Obj | None = None
    """flux_reconcile arguments (kind, name, with_source) and the verdict it must answer."""
    prepare: tuple[Obj, ...] = field(default=())
    """Objects applied before the others (a ConfigMap the failure needs to exist)."""

    @property
    def namespace(self) -> str:
        return f"zoo-{self.slug}"

    def id(self, ref: str) -> str:
        kind, name = ref.split("/", 1)
        return f"{kind}/{self.namespace}/{name}"

    def to_dict(self) -> Obj:
        return {
            "slug": self.slug,
            "namespace": self.namespace,
            "root": self.id(self.root),
            "failure": self.failure,
            "advice": list(self.advice),
            "reasons": list(self.reasons),
            "blocked": [self.id(ref) for ref in self.blocked],
            "reconcile": self.reconcile,
        }


def _obj(api: str, kind: str, name: str, spec: Obj, **top: Any) -> Obj:
    return {"apiVersion": api, "kind": kind, "metadata": {"name": name}, "spec": spec, **top}


def git(name: str, url: str = GIT_URL, ref: Obj | None = None, **spec: Any) -> Obj:
    body = {"interval": "10m", "timeout": "20s", "url": url, "ref": ref or {"branch": "main"}, **spec}
    return _obj("source.toolkit.fluxcd.io/v1", "GitRepository", name, body)


def ks(name: str, path: str, source: str = "src", **spec: Any) -> Obj:
    body = {
        "interval": "10m",
        "retryInterval": "10m",
        "timeout": "30s",
        "path": path,
        "prune": True,
        "sourceRef": {"kind": "GitRepository", "name": source},
        **spec,
    }
    return _obj("kustomize.toolkit.fluxcd.io/v1", "Kustomization", name, body)


def helmrepo(name: str, url: str = HELM_REPO_URL, **spec: Any) -> Obj:
    return _obj("source.toolkit.fluxcd.io/v1", "HelmRepository", name, {"interval": "10m", "url": url, **spec})


def hr(name: str, version: str = "0.2.0", chart: str = "lab-chart", repo: Obj | None = None, **spec: Any) -> Obj:
    source = repo or {"kind": "HelmRepository", "name": "lab-charts", "namespace": "flux-system"}
    body = {
        "interval": "10m",
        "timeout": "30s",
        "chart": {"spec": {"chart": chart, "version": version, "interval": "10m", "sourceRef": source}},
        "install": {"disableWait": True, "disableWaitForJobs": True},
        "upgrade": {"disableWait": True, "disableWaitForJobs": True},
        **spec,
    }
    return _obj("helm.toolkit.fluxcd.io/v2", "HelmRelease", name, body)


def configmap(name: str, data: Obj, **top: Any) -> Obj:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data, **top}


def secret(name: str, data: Obj) -> Obj:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "stringData": data}


def service_account(name: str) -> Obj:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}}


def receiver(name: str, token_secret: str, **spec: Any) -> Obj:
    """A generic Receiver of the zoo's GitRepository `src`, its token in Secret `token_secret`."""
    resources = [{"kind": "GitRepository", "name": "src"}]
    body = {"type": "generic", "secretRef": {"name": token_secret}, **spec, "resources": resources}
    return _obj("notification.toolkit.fluxcd.io/v1", "Receiver", name, body)


def image_repository(name: str) -> Obj:
    """The lab registry's lab/podinfo (7 tags, see lab/surface.py)."""
    body = {"image": f"{HOST}:{PORTS['registry']}/lab/podinfo", "interval": "10m", "insecure": True}
    return _obj("image.toolkit.fluxcd.io/v1", "ImageRepository", name, body)


def image_policy(name: str, semver: str, repository: str = "images") -> Obj:
    body = {"imageRepositoryRef": {"name": repository}, "policy": {"semver": {"range": semver}}}
    return _obj("image.toolkit.fluxcd.io/v1", "ImagePolicy", name, body)


def image_update(name: str, source: str = "src") -> Obj:
    author = {"name": "fluxtools lab", "email": "lab@example.invalid"}
    git_spec = {"checkout": {"ref": {"branch": "main"}}, "commit": {"author": author}, "push": {"branch": "main"}}
    body = {
        "interval": "10m",
        "sourceRef": {"kind": "GitRepository", "name": source},
        "git": git_spec,
        "update": {"path": "./", "strategy": "Setters"},
    }
    return _obj("image.toolkit.fluxcd.io/v1", "ImageUpdateAutomation", name, body)


def reconcile(kind: str, name: str, verdict: str = "failed", with_source: bool = False, source: str = "") -> Obj:
    """flux_reconcile arguments and the verdict; `source`: the source (`Kind/namespace/name`) that fails first."""
    wanted = {"kind": kind, "name": name, "with_source": with_source, "verdict": verdict}
    return {**wanted, "failed_source": source} if source else wanted


ZOO_SRC = git("src", ZOO_GIT_URL)
FLEET_SRC = git("src")


def entries() -> list[Entry]:
    return [
        # --- GitRepository ---
        Entry(
            "git-branch",
            (git("repo", ref={"branch": "no-such-branch"}),),
            "GitRepository/repo",
            "gitrepository.branch-missing",
            ("Branch 'no-such-branch' (spec.ref.branch)", GIT_URL),
            ("GitOperationFailed",),
            reconcile=reconcile("gitrepository", "repo"),
        ),
        Entry(
            "git-tag",
            (git("repo", ref={"tag": "v9.9.9"}),),
            "GitRepository/repo",
            "gitrepository.tag-missing",
            ("Tag 'v9.9.9' (spec.ref.tag)",),
            ("GitOperationFailed",),
        ),
        Entry(
            "git-semver",
            (git("repo", ZOO_GIT_URL, ref={"semver": ">=9.0.0"}),),
            "GitRepository/repo",
            "gitrepository.semver-no-match",
            ("spec.ref.semver '>=9.0.0'", ZOO_GIT_URL),
            ("GitOperationFailed",),
        ),
        Entry(
            "git-commit",
            (git("repo", ref={"branch": "main", "commit": "0123456789abcdef0123456789abcdef01234567"}),),
            "GitRepository/repo",
            "gitrepository.commit-missing",
            ("Commit '0123456789abcdef0123456789abcdef01234567' (spec.ref.commit)",),
            ("GitOperationFailed",),
        ),
        Entry(
            "git-auth",
            (
                secret("creds", {"username": "zoo", "password": "zoo-password"}),
                git("repo", PRIVATE_GIT_URL, secretRef={"name": "creds"}),
            ),
            "GitRepository/repo",
            "gitrepository.auth-failed",
            ("Secret zoo-git-auth/creds (spec.secretRef)", PRIVATE_GIT_URL),
            ("GitOperationFailed", "AuthenticationFailed"),
        ),
        Entry(
            "git-secret",
            (git("repo", secretRef={"name": "no-such-secret"}),),
            "GitRepository/repo",
            "gitrepository.secret-missing",
            ("Secret zoo-git-secret/no-such-secret (spec.secretRef) does not exist",),
            ("AuthenticationFailed",),
        ),
        Entry(
            "git-closed-port",
            (git("repo", f"http://{CLOSED}/fleet.git"),),
            "GitRepository/repo",
            "gitrepository.unreachable",
            (f"spec.url 'http://{CLOSED}/fleet.git'",),
            ("GitOperationFailed",),
            reconcile=reconcile("gitrepository", "repo"),
        ),
        Entry(
            "git-no-host",
            (git("repo", "http://git.zoo.invalid/fleet.git"),),
            "GitRepository/repo",
            "gitrepository.unreachable",
            ("spec.url 'http://git.zoo.invalid/fleet.git'",),
            ("GitOperationFailed",),
        ),
        Entry(
            "git-not-found",
            (git("repo", f"http://{HOST}:26418/no-such-repo.git"),),
            "GitRepository/repo",
            "gitrepository.not-found",
            (f"spec.url 'http://{HOST}:26418/no-such-repo.git'",),
            ("GitOperationFailed",),
        ),
        # --- HelmRepository, HelmChart, OCIRepository, Bucket ---
        Entry(
            "helmrepo-closed-port",
            (helmrepo("charts", f"http://{CLOSED}"),),
            "HelmRepository/charts",
            "helmrepository.unreachable",
            (f"spec.url 'http://{CLOSED}'",),
            ("Failed",),
            reconcile=reconcile("helmrepository", "charts"),
        ),
        Entry(
            "helmrepo-404",
            (helmrepo("charts", f"{HELM_REPO_URL}/no-such-repo"),),
            "HelmRepository/charts",
            "helmrepository.index-fetch-failed",
            (f"spec.url '{HELM_REPO_URL}/no-such-repo'",),
            ("Failed",),
        ),
        Entry(
            "helmrepo-bad-index",
            (helmrepo("charts", ZOO_BAD_INDEX_URL),),
            "HelmRepository/charts",
            "helmrepository.index-invalid",
            (f"spec.url '{ZOO_BAD_INDEX_URL}'",),
            ("IndexationFailed",),
        ),
        Entry(
            "helmrepo-secret",
            (helmrepo("charts", secretRef={"name": "no-such-secret"}),),
            "HelmRepository/charts",
            "helmrepository.auth-failed",
            ("spec.secretRef ('no-such-secret')",),
            ("AuthenticationFailed",),
        ),
        Entry(
            "helmchart-version",
            (
                helmrepo("charts"),
                _obj(
                    "source.toolkit.fluxcd.io/v1",
                    "HelmChart",
                    "chart",
                    {
                        "chart": "lab-chart",
                        "version": "9.9.9",
                        "interval": "10m",
                        "sourceRef": {"kind": "HelmRepository", "name": "charts"},
                    },
                ),
            ),
            "HelmChart/chart",
            "helmchart.version-missing",
            ("no version matching '9.9.9'", "spec.version of HelmChart/zoo-helmchart-version/chart"),
            ("InvalidChartReference",),
        ),
        Entry(
            "helmchart-source",
            (
                _obj(
                    "source.toolkit.fluxcd.io/v1",
                    "HelmChart",
                    "chart",
                    {
                        "chart": "lab-chart",
                        "version": "0.2.0",
                        "interval": "10m",
                        "sourceRef": {"kind": "HelmRepository", "name": "no-such-repo"},
                    },
                ),
            ),
            "HelmChart/chart",
            "helmchart.source-missing",
            ("HelmRepository 'no-such-repo' (spec.sourceRef)",),
            ("Failed", "SourceUnavailable"),
        ),
        Entry(
            "oci-closed-port",
            (
                _obj(
                    "source.toolkit.fluxcd.io/v1",
                    "OCIRepository",
                    "oci",
                    {"interval": "10m", "url": f"oci://{CLOSED}/zoo/app", "ref": {"tag": "1.0.0"}, "insecure": True},
                ),
            ),
            "OCIRepository/oci",
            "ocirepository.pull-failed",
            (f"spec.url 'oci://{CLOSED}/zoo/app'",),
            ("OCIArtifactPullFailed", "ReadOperationFailed"),
            reconcile=reconcile("ocirepository", "oci"),
        ),
        Entry(
            "bucket-closed-port",
            (
                _obj(
                    "source.toolkit.fluxcd.io/v1",
                    "Bucket",
                    "bucket",
                    {"interval": "10m", "bucketName": "zoo", "endpoint": CLOSED, "insecure": True, "timeout": "10s"},
                ),
            ),
            "Bucket/bucket",
            "bucket.unreachable",
            (f"spec.endpoint '{CLOSED}'",),
            ("BucketOperationFailed",),
            reconcile=reconcile("bucket", "bucket"),
        ),
        Entry(
            "bucket-secret",
            (
                _obj(
                    "source.toolkit.fluxcd.io/v1",
                    "Bucket",
                    "bucket",
                    {
                        "interval": "10m",
                        "bucketName": "zoo",
                        "endpoint": CLOSED,
                        "insecure": True,
                        "secretRef": {"name": "no-such-secret"},
                    },
                ),
            ),
            "Bucket/bucket",
            "bucket.auth-failed",
            ("spec.secretRef ('no-such-secret')",),
            ("AuthenticationFailed",),
        ),
        # --- Kustomization ---
        Entry(
            "ks-path",
            (FLEET_SRC, ks("app", "./no-such-dir")),
            "Kustomization/app",
            "kustomization.path-not-found",
            ("spec.path './no-such-dir'",),
            ("ArtifactFailed",),
            reconcile=reconcile("kustomization", "app"),
        ),
        Entry(
            "ks-build",
            (FLEET_SRC, ks("app", "./broken-build")),
            "Kustomization/app",
            "kustomization.build-missing-resource",
            ("'missing-file.yaml' listed in kustomization.yaml", "spec.path './broken-build'"),
            ("BuildFailed",),
            reconcile=reconcile("kustomization", "app"),
        ),
        Entry(
            "ks-substitute-from",
            (
                ZOO_SRC,
                ks(
                    "app",
                    "./plain",
                    targetNamespace="zoo-ks-substitute-from",
                    postBuild={"substituteFrom": [{"kind": "ConfigMap", "name": "no-such-vars"}]},
                ),
            ),
            "Kustomization/app",
            "kustomization.substitute-from-missing",
            ("ConfigMap zoo-ks-substitute-from/no-such-vars", "spec.postBuild.substituteFrom"),
            ("BuildFailed",),
            reconcile=reconcile("kustomization", "app"),
        ),
        Entry(
            "ks-substitute-name",
            (
                ZOO_SRC,
                ks(
                    "app",
                    "./plain",
                    targetNamespace="zoo-ks-substitute-name",
                    postBuild={"substitute": {"bad-name": "x"}},
                ),
            ),
            "Kustomization/app",
            "kustomization.substitution-failed",
            ("spec.postBuild.substitute", "spec.path './plain'"),
            ("BuildFailed",),
        ),
        Entry(
            "ks-sops",
            (ZOO_SRC, ks("app", "./sops", targetNamespace="zoo-ks-sops", decryption={"provider": "sops"})),
            "Kustomization/app",
            "kustomization.decryption-failed",
            ("spec.decryption.provider 'sops'", "spec.decryption.secretRef"),
            ("ReconciliationFailed", "BuildFailed"),
        ),
        Entry(
            "ks-rbac",
            (
                ZOO_SRC,
                service_account("deployer"),
                ks("app", "./plain", targetNamespace="zoo-ks-rbac", serviceAccountName="deployer"),
            ),
            "Kustomization/app",
            "kustomization.impersonation-forbidden",
            ("Service account zoo-ks-rbac/deployer", "spec.serviceAccountName 'deployer'", "configmaps"),
            ("ReconciliationFailed",),
            reconcile=reconcile("kustomization", "app"),
        ),
        Entry(
            "ks-sa-missing",
            (ZOO_SRC, ks("app", "./plain", targetNamespace="zoo-ks-sa-missing", serviceAccountName="ghost")),
            "Kustomization/app",
            "kustomization.impersonation-forbidden",
            ("Service account zoo-ks-sa-missing/ghost", "spec.serviceAccountName 'ghost'"),
            ("ReconciliationFailed",),
        ),
        Entry(
            "ks-target-ns",
            (ZOO_SRC, ks("app", "./plain", targetNamespace="zoo-absent")),
            "Kustomization/app",
            "kustomization.namespace-missing",
            ("Namespace 'zoo-absent' does not exist", "spec.targetNamespace 'zoo-absent'"),
            ("ReconciliationFailed",),
            reconcile=reconcile("kustomization", "app"),
        ),
        Entry(
            "ks-crd",
            (ZOO_SRC, ks("app", "./crd-missing", targetNamespace="zoo-ks-crd")),
            "Kustomization/app",
            "kustomization.crd-missing",
            ("Kind Widget (zoo.example.io/v1) is not installed",),
            ("ReconciliationFailed",),
        ),
        Entry(
            "ks-immutable",
            (ZOO_SRC, ks("app", "./immutable", targetNamespace="zoo-ks-immutable")),
            "Kustomization/app",
            "kustomization.immutable-field",
            ("ConfigMap/zoo-ks-immutable/frozen", "spec.force"),
            ("ReconciliationFailed",),
            prepare=(configmap("frozen", {"value": "old"}, immutable=True),),
        ),
        Entry(
            "ks-invalid",
            (ZOO_SRC, ks("app", "./invalid", targetNamespace="zoo-ks-invalid")),
            "Kustomization/app",
            "kustomization.dry-run-rejected",
            ("rejected Service/zoo-ks-invalid/bad-port",),
            ("ReconciliationFailed",),
        ),
        Entry(
            "ks-health",
            (ZOO_SRC, ks("app", "./never-ready", targetNamespace="zoo-ks-health", wait=True, timeout="5s")),
            "Kustomization/app",
            "kustomization.health-check-failed",
            ("Deployment/zoo-ks-health/never-ready",),
            ("HealthCheckFailed", "Progressing"),
        ),
        Entry(
            "ks-cel",
            (
                FLEET_SRC,
                ks(
                    "app",
                    "./apps",
                    healthCheckExprs=[{"apiVersion": "v1", "kind": "ConfigMap", "current": "data.ready =="}],
                ),
            ),
            "Kustomization/app",
            "kustomization.invalid-cel",
            ("spec.healthCheckExprs",),
            ("InvalidCELExpression",),
            reconcile=reconcile("kustomization", "app"),
        ),
        Entry(
            "ks-feature-gate",
            (
                FLEET_SRC,
                ks("app", "./apps", decryption={"provider": "sops", "serviceAccountName": "decryptor"}),
            ),
            "Kustomization/app",
            "kustomization.feature-gate",
            ("spec.decryption.serviceAccountName",),
            ("FeatureGateDisabled",),
        ),
        Entry(
            "ks-source-missing",
            (ks("app", "./apps", source="no-such-repo"),),
            "Kustomization/app",
            "kustomization.source-missing",
            ("GitRepository/zoo-ks-source-missing/no-such-repo does not exist", "spec.sourceRef"),
            ("ArtifactFailed",),
        ),
        Entry(
            "ks-source-failing",
            (git("src", ref={"branch": "no-such-branch"}), ks("app", "./apps")),
            "GitRepository/src",
            "gitrepository.branch-missing",
            ("Branch 'no-such-branch' (spec.ref.branch)",),
            ("GitOperationFailed",),
            blocked=("Kustomization/app",),
            reconcile=reconcile(
                "kustomization", "app", with_source=True, source="GitRepository/zoo-ks-source-failing/src"
            ),
        ),
        Entry(
            "ks-dependency",
            (FLEET_SRC, ks("base", "./no-such-dir"), ks("app", "./apps", dependsOn=[{"name": "base"}])),
            "Kustomization/base",
            "kustomization.path-not-found",
            ("spec.path './no-such-dir'",),
            ("ArtifactFailed",),
            blocked=("Kustomization/app",),
        ),
        Entry(
            "ks-dependency-missing",
            (FLEET_SRC, ks("app", "./apps", dependsOn=[{"name": "no-such-ks"}])),
            "Kustomization/app",
            "kustomization.dependency-missing",
            ("zoo-ks-dependency-missing/no-such-ks", "spec.dependsOn"),
            ("DependencyNotReady",),
        ),
        Entry(
            "ks-kubeconfig",
            (FLEET_SRC, ks("app", "./apps", kubeConfig={"secretRef": {"name": "no-such-kubeconfig"}})),
            "Kustomization/app",
            "kustomization.kube-client",
            ("spec.kubeConfig",),
            ("ReconciliationFailed",),
        ),
        # --- HelmRelease ---
        Entry(
            "hr-install",
            (hr("app", "0.1.0", values={"failInstall": True}),),
            "HelmRelease/app",
            "helmrelease.template-failed",
            ("lab-chart/templates/fail.yaml", "failInstall is true"),
            ("InstallFailed", "RetriesExceeded"),
            reconcile=reconcile("helmrelease", "app"),
        ),
        Entry(
            "hr-version",
            (hr("app", "9.9.9"),),
            "HelmRelease/app",
            "helmrelease.chart-version-missing",
            ("no version matching '9.9.9'", "spec.chart.spec.version of HelmRelease/zoo-hr-version/app"),
            ("InvalidChartReference", "SourceNotReady"),
            reconcile=reconcile(
                "helmrelease", "app", with_source=True, source="HelmChart/flux-system/zoo-hr-version-app"
            ),
        ),
        Entry(
            "hr-chart",
            (hr("app", "0.2.0", chart="no-such-chart"),),
            "HelmRelease/app",
            "helmrelease.chart-missing",
            ("'no-such-chart' (spec.chart.spec.chart)",),
            ("InvalidChartReference", "SourceNotReady"),
        ),
        Entry(
            "hr-values-from",
            (hr("app", valuesFrom=[{"kind": "ConfigMap", "name": "no-such-values"}]),),
            "HelmRelease/app",
            "helmrelease.values-missing",
            ("ConfigMap zoo-hr-values-from/no-such-values", "spec.valuesFrom", 'configmaps "no-such-values" not found'),
            ("ValuesError",),
            reconcile=reconcile("helmrelease", "app"),
        ),
        Entry(
            "hr-values-key",
            (
                configmap("values", {"other.yaml": "a: 1"}),
                hr("app", valuesFrom=[{"kind": "ConfigMap", "name": "values", "valuesKey": "values.yaml"}]),
            ),
            "HelmRelease/app",
            "helmrelease.values-missing",
            ("ConfigMap zoo-hr-values-key/values", "key 'values.yaml'", "key not found"),
            ("ValuesError",),
        ),
        Entry(
            "hr-target-ns",
            (hr("app", targetNamespace="zoo-absent-hr"),),
            "HelmRelease/app",
            "helmrelease.target-namespace-missing",
            ("Namespace 'zoo-absent-hr' does not exist", "spec.install.createNamespace"),
            ("InstallFailed", "RetriesExceeded"),
        ),
        Entry(
            "hr-rbac",
            (service_account("deployer"), hr("app", serviceAccountName="deployer")),
            "HelmRelease/app",
            "helmrelease.impersonation-forbidden",
            ("Service account zoo-hr-rbac/deployer", "spec.serviceAccountName 'deployer'"),
            ("InstallFailed", "RetriesExceeded", "StateError"),
        ),
        Entry(
            "hr-dependency",
            (hr("base", "0.1.0", values={"failInstall": True}), hr("app", dependsOn=[{"name": "base"}])),
            "HelmRelease/base",
            "helmrelease.template-failed",
            ("lab-chart/templates/fail.yaml",),
            ("InstallFailed", "RetriesExceeded"),
            blocked=("HelmRelease/app",),
        ),
        Entry(
            "hr-dependency-missing",
            (hr("app", dependsOn=[{"name": "no-such-release"}]),),
            "HelmRelease/app",
            "helmrelease.dependency-missing",
            ("zoo-hr-dependency-missing/no-such-release", "spec.dependsOn"),
            ("DependencyNotReady",),
        ),
        Entry(
            "hr-repo-closed",
            (helmrepo("charts", f"http://{CLOSED}"), hr("app", repo={"kind": "HelmRepository", "name": "charts"})),
            "HelmRepository/charts",
            "helmrepository.unreachable",
            (f"spec.url 'http://{CLOSED}'",),
            ("Failed",),
            blocked=("HelmRelease/app",),
            reconcile=reconcile(
                "helmrelease", "app", with_source=True, source="HelmRepository/zoo-hr-repo-closed/charts"
            ),
        ),
        Entry(
            "hr-kubeconfig",
            (hr("app", kubeConfig={"secretRef": {"name": "no-such-kubeconfig"}}),),
            "HelmRelease/app",
            "helmrelease.kube-client",
            ("spec.kubeConfig",),
            ("RESTClientError",),
        ),
        # --- source-watcher's ExternalArtifact, image-reflector- and image-automation-controller ---
        Entry(
            "ks-external-artifact",
            (ks("app", "./", sourceRef={"kind": "ExternalArtifact", "name": "never-generated"}),),
            "Kustomization/app",
            "kustomization.source-missing",
            ("never-generated", "spec.sourceRef"),
            ("ArtifactFailed",),
        ),
        Entry(
            "imagepolicy-no-match",
            (image_repository("images"), image_policy("app", ">=99.0.0")),
            "ImagePolicy/app",
            "imagepolicy.no-match",
            ("spec.policy",),
            ("Failure",),
        ),
        Entry(
            "imageupdate-push-refused",
            (git("src", REFUSED_GIT_URL), image_repository("images"), image_policy("app", "6.x"), image_update("app")),
            "ImageUpdateAutomation/app",
            "imageupdate.push-failed",
            ("cannot push to its GitRepository", "spec.git.push.branch"),
            ("GitOperationFailed",),
        ),
        # --- notification-controller ---
        Entry(
            "receiver-token",
            (receiver("hook", "no-such-token"),),
            "Receiver/hook",
            "receiver.token-missing",
            ("Secret zoo-receiver-token/no-such-token (spec.secretRef) does not exist",),
            ("TokenNotFound",),
        ),
        Entry(
            "receiver-token-key",
            (
                secret("token", {"other": "x"}),
                receiver("hook", "token"),
            ),
            "Receiver/hook",
            "receiver.token-key-missing",
            ("zoo-receiver-token-key/token", "'token' key"),
            ("TokenNotFound",),
        ),
        Entry(
            "receiver-filter",
            (
                secret("token", {"token": "zoo-token"}),
                receiver("hook", "token", resourceFilter="request.body.ref =="),
            ),
            "Receiver/hook",
            "receiver.invalid-cel",
            ("spec.resourceFilter",),
            ("InvalidCELExpression",),
        ),
    ]


def by_slug() -> dict[str, Entry]:
    return {entry.slug: entry for entry in entries()}


def _placed(entry: Entry, obj: Obj) -> Obj:
    meta = {**obj["metadata"], "namespace": entry.namespace, "labels": {LABEL: entry.slug}}
    return {**obj, "metadata": meta}


def root_state(entry: Entry) -> tuple[bool, str]:
    """Whether the root shows one of its failure reasons, and what it shows."""
    kind, name = entry.root.split("/", 1)
    obj = get_json(RESOURCES[kind], name, "-n", entry.namespace) or {}
    cond = ready_cond(obj) or {}
    shown = f"Ready={cond.get('status')} reason={cond.get('reason')} {str(cond.get('message', ''))[:160]}"
    return cond.get("status") == "False" and cond.get("reason") in entry.reasons, shown


def plant(chosen: list[Entry], timeout: float) -> dict[str, str]:
    """Apply the chosen entries (their namespaces first) and wait until each root shows its failure."""
    make_zoo_content()
    namespaces = [
        {**namespace(e.namespace), "metadata": {"name": e.namespace, "labels": {LABEL: e.slug}}} for e in chosen
    ]
    apply_objs(namespaces, "zoo-namespaces")
    prepared = [_placed(e, obj) for e in chosen for obj in e.prepare]
    if prepared:
        apply_objs(prepared, "zoo-prepare")
    apply_objs([_placed(e, obj) for e in chosen for obj in e.objects], "zoo")
    t0, waiting, shown = time.time(), list(chosen), {}
    while waiting and time.time() - t0 < timeout:
        time.sleep(2)
        for entry in list(waiting):
            ok, shown[entry.slug] = root_state(entry)
            if ok:
                waiting.remove(entry)
    for entry in waiting:
        log(f"zoo entry {entry.slug}: {entry.root} not failed as expected: {shown.get(entry.slug)}")
    log(f"zoo: {len(chosen) - len(waiting)}/{len(chosen)} entries show their failure after {time.time() - t0:.0f}s")
    return {entry.slug: shown.get(entry.slug, "") for entry in waiting}


def plant_objects(name: str, objs: list[Obj]) -> None:
    """Objects in a namespace of their own, labelled as the zoo's (for an entry planted by its test)."""
    labels = {LABEL: name.removeprefix("zoo-")}
    apply_objs([{**namespace(name), "metadata": {"name": name, "labels": labels}}], f"{name}-namespace")
    placed = [{**obj, "metadata": {**obj["metadata"], "namespace": name, "labels": labels}} for obj in objs]
    apply_objs(placed, name)


def remove_object(resource: str, name: str, namespace_name: str) -> None:
    """Delete one object and wait until it is gone (namespaces are kept: with an unavailable aggregated API
    in the lab, the namespace controller cannot finish deleting one)."""
    kubectl(
        "delete",
        resource,
        name,
        "-n",
        namespace_name,
        "--ignore-not-found",
        "--wait=true",
        "--timeout=120s",
        check=False,
    )


def remove(timeout: float) -> None:
    """Delete the zoo's namespaces and wait until they are gone (finalized once emptied, see kube.py)."""
    delete_namespaces(LABEL, timeout)


def _metrics(controller: str) -> str:
    url = f"http://{HOST}:{PORTS[controller + '-metrics']}/metrics"
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - the lab's own loopback endpoint
        return answer.read().decode()


def workers(controller: str) -> tuple[float, float]:
    """How many of the controller's reconcile workers run now, and how many it has, summed over its kinds."""
    text = _metrics(controller)
    active = re.findall(r"^controller_runtime_active_workers\{[^}]*\} (\S+)$", text, re.M)
    most = re.findall(r"^controller_runtime_max_concurrent_reconciles\{[^}]*\} (\S+)$", text, re.M)
    return sum(float(v) for v in active), sum(float(v) for v in most)


def work_queue(controller: str) -> dict[str, float]:
    """The controller's work queue from its metrics endpoint: items waiting (`depth`) and the longest reconcile
    still running (`busiest_secs`), summed and maximised over its queues."""
    text = _metrics(controller)
    depth = sum(float(v) for v in re.findall(r"^workqueue_depth\{[^}]*\} (\S+)$", text, re.M))
    busiest = re.findall(r"^workqueue_longest_running_processor_seconds\{[^}]*\} (\S+)$", text, re.M)
    return {"depth": depth, "busiest_secs": max((float(v) for v in busiest), default=0.0)}


def controller_log(controller: str, namespace_name: str, last: int = 12) -> list[str]:
    """The controller's last log lines about objects in one namespace, short (time, message, error): what a
    failed live check prints beside its assertion."""
    lines = []
    with open(state("logs", f"{controller}.log"), encoding="utf-8", errors="replace") as log_file:
        for raw in log_file:
            _, _, text = raw.partition(" F ")
            try:
                entry = json.loads(text)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("namespace") == namespace_name:
                lines.append(f"{entry.get('ts', '')[11:23]} {entry.get('msg', '')} {entry.get('error', '')}".strip())
    return lines[-last:]


def wait_for_empty_queue(controller: str, timeout: float, idle: bool = False) -> dict[str, float]:
    """Wait until nothing waits in the controller's work queue (what earlier work left) and, with `idle`, no
    reconcile runs either, up to `timeout`; the last reading either way."""
    deadline = time.time() + timeout
    queue = work_queue(controller)
    while (queue["depth"] or (idle and queue["busiest_secs"])) and time.time() < deadline:
        time.sleep(1)
        queue = work_queue(controller)
    return queue


@contextmanager
def pause_controller(controller: str):
    """The controller's process stopped (SIGSTOP) for the block, and continued (SIGCONT) after it, whatever
    happens: a controller that handles nothing, restored afterwards. Only the lab's recorded process is
    signalled, by its id."""
    record = load_pids().get(controller)
    if not record or not alive(record):
        die(f"no running recorded process for {controller}")
    group = os.getpgid(int(record["pid"]))
    os.killpg(group, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(group, signal.SIGCONT)


def command(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="labctl.py zoo", description=__doc__)
    parser.add_argument("--remove", action="store_true", help="delete the zoo's namespaces")
    parser.add_argument("--only", action="append", default=[], help="plant only this entry (slug), repeatable")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for the failures")
    parser.add_argument("--list", action="store_true", help="print the entries and their expectations as JSON")
    opts = parser.parse_args(args)
    known = by_slug()
    if opts.list:
        print(json.dumps([entry.to_dict() for entry in known.values()], indent=1))
        return 0
    unknown = [slug for slug in opts.only if slug not in known]
    if unknown:
        die(f"unknown zoo entries: {', '.join(unknown)}")
    with locked():
        ok, _ = running_state()
        if not ok:
            die("the lab is not running: python3 lab/labctl.py start")
        info = description.read()
        if opts.remove:
            remove(opts.timeout)
            info.pop("zoo", None)
            description.write(info)
            return 0
        chosen = [known[slug] for slug in opts.only] if opts.only else list(known.values())
        unsettled = plant(chosen, opts.timeout)
        description.write({**info, "zoo": {"entries": [entry.slug for entry in chosen], "unsettled": unsettled}})
    print(f"zoo entries={len(chosen)} unsettled={len(unsettled)}")
    return 0 if not unsettled else 3
