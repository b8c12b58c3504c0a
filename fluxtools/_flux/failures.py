"""The failure catalogue: what each reason and message form the Flux controllers write means, and what to do.

Learned from the controllers' Go sources at the versions the lab pins (`ORIGIN_VERSIONS`); every entry
names the controller and the file its reason or message form comes from. Entries are tried in order:
a message form under a reason first, then the reason alone; `match` falls back to `UNKNOWN` ("unknown
reason X: read its events"), never to an entry written for another failure.

`do` is a template: `{spec.path}`-style names read the object's own fields, other names the form's
named groups or the object's identity (`id`, `kind`, `name`, `namespace`, `reason`, `controller`,
`source`). `check` is the call that shows whether the action worked (see `diagnosis.advice`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORIGIN_VERSIONS = {
    "source-controller": "v1.9.4",
    "kustomize-controller": "v1.9.4",
    "helm-controller": "v1.6.3",
    "notification-controller": "v1.9.3",
    "image-reflector-controller": "v1.2.4",
    "image-automation-controller": "v1.2.4",
    "source-watcher": "v2.2.3",
    "flux-operator": "v0.58.0",
    "fluxcd/pkg": "(as required by the controllers above)",
    "flux": "v2.9.4",
}
"""The versions the forms were read at: the lab's pins (lab/versions.json)."""

CHECKS = ("reconcile", "reconcile_source", "reconcile_reset", "events", "tree", "sources", "get", "check", "resume")
"""What proves the action worked: reconcile the object (with its source, or resetting retries), read its
events, its tree, the sources of its namespace, the object a form names (`target` group), the controllers
(flux check), or resume it."""

SOURCE_KINDS = ("GitRepository", "OCIRepository", "Bucket", "HelmRepository", "HelmChart")
URL_SOURCES = ("GitRepository", "OCIRepository", "HelmRepository")
"""The source kinds with a spec.url (a Bucket has spec.endpoint, a HelmChart spec.sourceRef)."""
APPLIERS = ("Kustomization", "HelmRelease")
ANY = ("*",)


@dataclass(frozen=True)
class Origin:
    controller: str
    file: str

    @property
    def version(self) -> str:
        return ORIGIN_VERSIONS[self.controller]

    def to_dict(self) -> dict[str, str]:
        return {"controller": self.controller, "version": self.version, "file": self.file}


@dataclass(frozen=True)
class Failure:
    key: str
    kinds: tuple[str, ...]
    reasons: tuple[str, ...]
    """Ready reasons it applies to; empty: any reason (the form alone decides)."""
    form: re.Pattern[str] | None
    means: str
    do: str
    check: str
    origin: Origin
    target: str = ""
    """For check `get`: the form group holding the `Kind/namespace/name` (or `namespace/name`) to look at."""

    def applies(self, kind: str, reason: str | None) -> bool:
        """For this kind and reason; a reason of None (not known, as in a CLI's error) is not checked."""
        return (self.kinds == ANY or kind in self.kinds) and (
            not self.reasons or reason is None or reason in self.reasons
        )


def _f(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.DOTALL)


KC = "kustomize-controller"
HC = "helm-controller"
SC = "source-controller"
NC = "notification-controller"
PKG = "fluxcd/pkg"
KS_CONTROLLER = "internal/controller/kustomization_controller.go"
HR_CONTROLLER = "internal/controller/helmrelease_controller.go"
GIT = "internal/controller/gitrepository_controller.go"
HELMREPO = "internal/controller/helmrepository_controller.go"
HELMCHART = "internal/controller/helmchart_controller.go"
BUCKET = "internal/controller/bucket_controller.go"
OCI = "internal/controller/ocirepository_controller.go"
RECEIVER = "internal/controller/receiver_controller.go"
EVENT_HANDLERS = "internal/server/event_handlers.go"
IRC = "image-reflector-controller"
IAC = "image-automation-controller"
SW = "source-watcher"
OP = "flux-operator"
IMAGEPOLICY = "internal/controller/imagepolicy_controller.go"
IMAGEUPDATE = "internal/controller/imageupdateautomation_controller.go"
GENERATOR = "internal/controller/artifactgenerator_controller.go"
INSTANCE = "internal/controller/fluxinstance_controller.go"
RESOURCESET = "internal/controller/resourceset_controller.go"
SA_FORBIDDEN = (
    r'User "system:serviceaccount:(?P<sa_ns>[^:"]+):(?P<sa>[^"]+)" cannot (?P<verb>\w+) resource "(?P<res>[^"]+)"'
)
UNREACHABLE = r"connection refused|no such host|i/o timeout|network is unreachable|dial tcp"
FAILED_ACTIONS = ("InstallFailed", "UpgradeFailed", "TestFailed", "RollbackFailed", "UninstallFailed")

CATALOGUE: tuple[Failure, ...] = (
    # --- Kustomization (kustomize-controller) ---
    Failure(
        "kustomization.path-not-found",
        ("Kustomization",),
        ("ArtifactFailed",),
        _f(r"kustomization path not found"),
        "spec.path is not a directory of the source's artifact.",
        "spec.path '{spec.path}' of {id} is not in the source revision: correct spec.path or add that directory "
        "to the source, then reconcile with the source.",
        "reconcile_source",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.source-missing",
        ("Kustomization",),
        ("ArtifactFailed",),
        _f(r"(?P<res>\w+)\.source\.toolkit\.fluxcd\.io \"(?P<ref>[^\"]+)\" not found"),
        "The source spec.sourceRef names does not exist.",
        "The source {missing_source} does not exist: create it or correct spec.sourceRef of {id}.",
        "sources",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.source-without-artifact",
        ("Kustomization",),
        ("ArtifactFailed",),
        _f(r"Source artifact not found|artifact not found, retrying"),
        "The source exists but has no artifact yet (it has never fetched successfully).",
        "The source {source} has no artifact: fix the source first (see its own failure), then reconcile {id} "
        "with the source.",
        "sources",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.cross-namespace-denied",
        ("Kustomization", "HelmRelease"),
        ("AccessDenied",),
        None,
        "The controller refuses references across namespaces (--no-cross-namespace-refs).",
        "{id} refers to an object in another namespace, which this installation forbids: move the source into "
        "{namespace} or refer to one there.",
        "events",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.dependency-missing",
        ("Kustomization",),
        ("DependencyNotReady",),
        _f(r"dependency '(?P<target>[^']+)' not found"),
        "A Kustomization named in spec.dependsOn does not exist.",
        "The dependency Kustomization {target} (spec.dependsOn) does not exist: create it or correct "
        "spec.dependsOn of {id}.",
        "get",
        Origin(KC, KS_CONTROLLER),
        target="target",
    ),
    Failure(
        "kustomization.dependency-not-ready",
        ("Kustomization",),
        ("DependencyNotReady",),
        _f(r"dependency '(?P<target>[^']+)' (?:is not ready|revision is not up to date)"),
        "A Kustomization in spec.dependsOn is not Ready; this one waits for it.",
        "{id} waits for its dependency Kustomization {target} (spec.dependsOn): fix that one first.",
        "get",
        Origin(KC, KS_CONTROLLER),
        target="target",
    ),
    Failure(
        "kustomization.build-missing-resource",
        ("Kustomization",),
        ("BuildFailed",),
        _f(r"accumulating resources from '(?P<file>[^']+)'"),
        "kustomization.yaml lists a resource that is not in the source.",
        "'{file}' listed in kustomization.yaml is missing under spec.path '{spec.path}': fix the manifests in "
        "the source, then reconcile with the source.",
        "reconcile_source",
        Origin(PKG, "kustomize/kustomize_generator.go (kustomize build via kustomize-controller)"),
    ),
    Failure(
        "kustomization.substitute-from-missing",
        ("Kustomization",),
        ("BuildFailed",),
        _f(r"substitute from '(?P<ref_kind>ConfigMap|Secret)/(?P<ref>[^']+)' error: .*not found"),
        "A ConfigMap or Secret named in spec.postBuild.substituteFrom does not exist in the cluster.",
        "{ref_kind} {namespace}/{ref} named in spec.postBuild.substituteFrom does not exist: create it in "
        "{namespace} (or mark the reference optional), then reconcile.",
        "reconcile",
        Origin(PKG, "kustomize/kustomize_varsub.go"),
    ),
    Failure(
        "kustomization.substitution-failed",
        ("Kustomization",),
        ("BuildFailed",),
        _f(r"variable substitution failed|var name is invalid|envsubst error"),
        "A ${var} in the manifests or spec.postBuild.substitute cannot be substituted.",
        "Variable substitution fails for {id}: fix the ${{var}} expressions in the manifests under spec.path "
        "'{spec.path}' or the names in spec.postBuild.substitute.",
        "reconcile_source",
        Origin(PKG, "kustomize/kustomize_varsub.go"),
    ),
    Failure(
        "kustomization.decryption-failed",
        ("Kustomization",),
        ("BuildFailed", "ReconciliationFailed"),
        _f(r"decryption failed for|error decrypting sources|SOPS encrypted, configuring decryption is required"),
        "A SOPS-encrypted manifest cannot be decrypted with the configured keys.",
        "Decryption fails for {id}: set spec.decryption.provider 'sops' with spec.decryption.secretRef naming a "
        "Secret that holds the private key the manifests were encrypted for.",
        "reconcile",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.patch-failed",
        ("Kustomization",),
        ("BuildFailed",),
        _f(r"patch|no resource matches|no matches for Id"),
        "A patch in spec.patches (or in kustomization.yaml) does not apply to the built resources.",
        "A patch does not apply when building {id}: correct spec.patches (its target and content) or the "
        "patches in kustomization.yaml under spec.path '{spec.path}'.",
        "reconcile",
        Origin(PKG, "kustomize/kustomize_generator.go"),
    ),
    Failure(
        "kustomization.build-failed",
        ("Kustomization",),
        ("BuildFailed",),
        None,
        "kustomize build fails on the manifests under spec.path.",
        "kustomize build fails under spec.path '{spec.path}': fix the manifests in the source, then reconcile "
        "with the source.",
        "reconcile_source",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.impersonation-forbidden",
        ("Kustomization",),
        ("ReconciliationFailed", "PruneFailed", "HealthCheckFailed"),
        _f(SA_FORBIDDEN),
        "The service account the controller impersonates (spec.serviceAccountName) lacks RBAC for an object.",
        "Service account {sa_ns}/{sa}[ (spec.serviceAccountName '{spec.serviceAccountName}')] cannot {verb} "
        "{res}: bind it a Role or ClusterRole allowing that, or set spec.serviceAccountName to an account "
        "that has it, then reconcile.",
        "reconcile",
        Origin(PKG, "ssa/errors/errors.go (apply dry-run) via kustomize-controller impersonation"),
    ),
    Failure(
        "kustomization.namespace-missing",
        ("Kustomization",),
        ("ReconciliationFailed",),
        _f(r"(?P<object>\S+) not found: namespaces? \"(?P<ns>[^\"]+)\" not found"),
        "An object is applied into a namespace that does not exist.",
        "Namespace '{ns}' does not exist (needed by {object}[; spec.targetNamespace '{spec.targetNamespace}']): "
        "create it (or add it to the source ahead of its objects)[, or correct spec.targetNamespace "
        "'{spec.targetNamespace}'], then reconcile.",
        "reconcile",
        Origin(PKG, "ssa/errors/errors.go"),
    ),
    Failure(
        "kustomization.crd-missing",
        ("Kustomization",),
        ("ReconciliationFailed",),
        _f(r"no matches for kind \"(?P<crd_kind>[^\"]+)\" in version \"(?P<crd_version>[^\"]+)\""),
        "The manifests use a kind whose CustomResourceDefinition is not installed.",
        "Kind {crd_kind} ({crd_version}) is not installed: install its CRD first (a Kustomization that applies "
        "it, named in spec.dependsOn of {id}), then reconcile.",
        "reconcile",
        Origin(PKG, "ssa/manager_apply.go"),
    ),
    Failure(
        "kustomization.immutable-field",
        ("Kustomization",),
        ("ReconciliationFailed",),
        _f(r"(?P<object>\S+) dry-run failed.*field is immutable"),
        "The new manifest changes a field the API server does not allow to change.",
        "{object} has an immutable field changed by the new manifests: set spec.force true on {id} to "
        "recreate it, or revert that change in the source.",
        "reconcile",
        Origin(PKG, "ssa/errors/errors.go"),
    ),
    Failure(
        "kustomization.dry-run-rejected",
        ("Kustomization",),
        ("ReconciliationFailed",),
        _f(r"(?P<object>[A-Z]\w+/[\w.-]+(?:/[\w.-]+)?) dry-run failed"),
        "The API server rejected a manifest in the server-side dry-run (invalid, or denied by admission).",
        "The API server rejected {object} in the dry-run: fix that manifest in the source, then reconcile with "
        "the source.",
        "reconcile_source",
        Origin(PKG, "ssa/errors/errors.go"),
    ),
    Failure(
        "kustomization.kube-client",
        ("Kustomization",),
        ("ReconciliationFailed",),
        _f(r"kubeconfig|failed to build kube client|impersonat"),
        "The controller cannot build the client it applies with (spec.kubeConfig or impersonation).",
        "{id} cannot get a client for its target: check spec.kubeConfig and spec.serviceAccountName.",
        "events",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.reconciliation-failed",
        ("Kustomization",),
        ("ReconciliationFailed",),
        None,
        "Applying the built manifests failed.",
        "Applying {id} failed: read the message and the events, fix the manifests in the source, then "
        "reconcile with the source.",
        "events",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.prune-failed",
        ("Kustomization",),
        ("PruneFailed",),
        None,
        "Objects removed from the source could not be deleted from the cluster.",
        "{id} could not delete objects it no longer applies (spec.prune true): read the events for which, "
        "delete them or set spec.prune false.",
        "events",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.health-check-failed",
        ("Kustomization",),
        ("HealthCheckFailed",),
        _f(r"(?P<object>[A-Z]\w+/[\w.-]+(?:/[\w.-]+)?) status: '(?P<object_status>\w+)'"),
        "Applied workloads did not become ready within spec.timeout.",
        "{object} ({object_status}) did not become ready within spec.timeout[ '{spec.timeout}']: inspect it and "
        "its events.",
        "tree",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.health-check-failed-any",
        ("Kustomization",),
        ("HealthCheckFailed",),
        None,
        "Applied workloads did not become ready within spec.timeout.",
        "Applied workloads did not become ready within spec.timeout[ '{spec.timeout}']: inspect them and their events.",
        "tree",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.health-check-canceled",
        ("Kustomization",),
        ("HealthCheckCanceled",),
        None,
        "A new revision arrived while health checks ran; the controller starts over.",
        "Health checks of {id} were canceled by a newer request: check again shortly.",
        "events",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.invalid-cel",
        ("Kustomization",),
        ("InvalidCELExpression",),
        None,
        "A CEL expression in spec.healthCheckExprs (or a dependency's readyExpr) does not compile; stalled.",
        "A CEL expression of {id} does not compile: correct spec.healthCheckExprs or the readyExpr in spec.dependsOn.",
        "reconcile",
        Origin(KC, KS_CONTROLLER),
    ),
    Failure(
        "kustomization.feature-gate",
        ("Kustomization",),
        ("FeatureGateDisabled",),
        None,
        "The spec uses a feature the controller runs without (a feature gate); stalled.",
        "{id} needs a controller feature gate that is off: remove spec.decryption.serviceAccountName or enable "
        "the gate named in the message on kustomize-controller.",
        "check",
        Origin(KC, KS_CONTROLLER),
    ),
    # --- HelmRelease (helm-controller) ---
    Failure(
        "helmrelease.chart-version-missing",
        ("HelmRelease",),
        ("SourceNotReady", "InvalidChartReference"),
        _f(r"no '(?P<chart>[^']+)' chart with version matching '(?P<version>[^']+)'"),
        "No chart version in the repository matches spec.chart.spec.version.",
        "Chart '{chart}' has no version matching '{version}' in {source}: set spec.chart.spec.version of {id} to "
        "a version that exists, then reconcile with the source.",
        "reconcile_source",
        Origin(SC, "internal/helm/chart/builder_remote.go (via HelmChart)"),
    ),
    Failure(
        "helmrelease.chart-missing",
        ("HelmRelease",),
        ("SourceNotReady", "InvalidChartReference"),
        _f(r"no chart name found|no chart version found|chart \"?'?(?P<chart>[\w.-]+)'?\"? not found"),
        "The repository has no chart named spec.chart.spec.chart.",
        "The chart '{spec.chart.spec.chart}' (spec.chart.spec.chart) is not in {source}: correct the chart name, "
        "then reconcile with the source.",
        "reconcile_source",
        Origin(SC, "internal/helm/repository/chart_repository.go (via HelmChart)"),
    ),
    Failure(
        "helmrelease.chart-source-missing",
        ("HelmRelease",),
        ("SourceNotReady", "Failed"),
        _f(r"failed to get source: .*?(?P<res>\w+)\.source\.toolkit\.fluxcd\.io \"(?P<ref>[^\"]+)\" not found"),
        "The HelmRepository named in spec.chart.spec.sourceRef does not exist.",
        "The chart source {spec.chart.spec.sourceRef.kind} '{ref}' (spec.chart.spec.sourceRef) does not exist: "
        "create it or correct spec.chart.spec.sourceRef of {id}.",
        "sources",
        Origin(SC, HELMCHART),
    ),
    Failure(
        "helmrelease.chart-repository-failed",
        ("HelmRelease",),
        ("SourceNotReady",),
        _f(r"HelmChart '(?P<target>[^']+)' is not ready: .*(?:index|" + UNREACHABLE + r"|status code|not found)"),
        "The chart's HelmRepository cannot serve its index.",
        "The chart source {spec.chart.spec.sourceRef.kind} {spec.chart.spec.sourceRef.name} of {id} cannot "
        "serve the chart: fix that repository's URL or its server, then reconcile {id} with the source.",
        "reconcile_source",
        Origin(HC, HR_CONTROLLER),
    ),
    Failure(
        "helmrelease.source-not-ready",
        ("HelmRelease",),
        ("SourceNotReady",),
        _f(r"(?P<src_kind>HelmChart|OCIRepository|ExternalArtifact) '(?P<target>[^']+)' is not ready"),
        "The chart source (the generated HelmChart or spec.chartRef) is not Ready.",
        "{src_kind} {target} that {id} installs from is not Ready: fix it first (see its own failure), then "
        "reconcile {id} with the source.",
        "reconcile_source",
        Origin(HC, HR_CONTROLLER),
    ),
    Failure(
        "helmrelease.source-missing",
        ("HelmRelease",),
        ("ArtifactFailed",),
        _f(r"could not get Source object"),
        "The chart source (HelmChart or spec.chartRef) could not be read.",
        "The chart source of {id} cannot be read: check spec.chart.spec.sourceRef or spec.chartRef, and that "
        "the object exists.",
        "sources",
        Origin(HC, HR_CONTROLLER),
    ),
    Failure(
        "helmrelease.chart-load-failed",
        ("HelmRelease",),
        ("ArtifactFailed",),
        None,
        "The chart artifact could not be downloaded or loaded from source-controller.",
        "{id} cannot load its chart artifact: check the chart source and source-controller's storage.",
        "check",
        Origin(HC, HR_CONTROLLER),
    ),
    Failure(
        "helmrelease.values-missing",
        ("HelmRelease",),
        ("ValuesError",),
        _f(
            r"could not resolve (?:optional )?(?P<ref_kind>ConfigMap|Secret) chart values reference "
            r"'(?P<ref>[^']+)'(?: with key '(?P<key>[^']+)')?: (?P<why>[^\n]*not found)"
        ),
        "A ConfigMap or Secret named in spec.valuesFrom (or its key) does not exist.",
        "{ref_kind} {ref} (key '{key}') named in spec.valuesFrom: {why}. Create it (with that key) or correct "
        "spec.valuesFrom of {id}, then reconcile.",
        "reconcile",
        Origin(PKG, "chartutil/values.go"),
    ),
    Failure(
        "helmrelease.values-error",
        ("HelmRelease",),
        ("ValuesError",),
        None,
        "The values from spec.values and spec.valuesFrom cannot be composed.",
        "The values of {id} cannot be composed: check spec.valuesFrom and spec.values.",
        "reconcile",
        Origin(HC, HR_CONTROLLER),
    ),
    Failure(
        "helmrelease.dependency-missing",
        ("HelmRelease",),
        ("DependencyNotReady",),
        _f(r"unable to get '(?P<target>[^']+)' dependency"),
        "A HelmRelease named in spec.dependsOn does not exist.",
        "The dependency HelmRelease {target} (spec.dependsOn) does not exist: create it or correct "
        "spec.dependsOn of {id}.",
        "get",
        Origin(HC, HR_CONTROLLER),
        target="target",
    ),
    Failure(
        "helmrelease.dependency-not-ready",
        ("HelmRelease",),
        ("DependencyNotReady",),
        _f(r"dependency '(?P<target>[^']+)' is not ready"),
        "A HelmRelease in spec.dependsOn is not Ready; this one waits for it.",
        "{id} waits for its dependency HelmRelease {target} (spec.dependsOn): fix that one first.",
        "get",
        Origin(HC, HR_CONTROLLER),
        target="target",
    ),
    Failure(
        "helmrelease.target-namespace-missing",
        ("HelmRelease",),
        FAILED_ACTIONS,
        _f(r"namespaces? \"(?P<ns>[^\"]+)\" not found"),
        "The release's namespace does not exist.",
        "Namespace '{ns}' does not exist[ (spec.targetNamespace '{spec.targetNamespace}')]: create it, or set "
        "spec.install.createNamespace true on {id}, then reconcile.",
        "reconcile",
        Origin(HC, "internal/reconcile/install.go"),
    ),
    Failure(
        "helmrelease.impersonation-forbidden",
        ("HelmRelease",),
        (*FAILED_ACTIONS, "StateError", "RetriesExceeded"),
        _f(SA_FORBIDDEN),
        "The service account helm-controller impersonates (spec.serviceAccountName) lacks RBAC.",
        "Service account {sa_ns}/{sa}[ (spec.serviceAccountName '{spec.serviceAccountName}')] cannot {verb} "
        "{res}: bind it a Role or ClusterRole allowing that, or correct spec.serviceAccountName, then reconcile.",
        "reconcile",
        Origin(HC, "internal/reconcile/install.go"),
    ),
    Failure(
        "helmrelease.template-failed",
        ("HelmRelease",),
        (*FAILED_ACTIONS, "RetriesExceeded"),
        _f(r"execution error at \((?P<template>[^)]+)\): (?P<error>[^\n]+)"),
        "A chart template fails to render with the given values.",
        "The chart template {template} fails with the values of {id} ({error}): fix spec.values or the chart, "
        "then reconcile.",
        "reconcile_reset",
        Origin(HC, "internal/reconcile/install.go"),
    ),
    Failure(
        "helmrelease.retries-exhausted",
        ("HelmRelease",),
        (*FAILED_ACTIONS, "RetriesExceeded"),
        _f(
            r"Failed to (?P<action>install|upgrade|remediate) after (?P<attempts>\d+) attempt"
            r"|exceeded maximum retries|retries exhausted"
        ),
        "Install or upgrade failed as many times as spec.install.remediation.retries (or upgrade's) allow.",
        "{id} exhausted its retries: fix the cause in its events (spec.values or the chart), then reconcile "
        "with a reset of the failure count.",
        "reconcile_reset",
        Origin(HC, "internal/reconcile/atomic_release.go"),
    ),
    Failure(
        "helmrelease.install-failed",
        ("HelmRelease",),
        ("InstallFailed",),
        None,
        "helm install failed.",
        "helm install of {id} failed: read the message and events, fix spec.values or the chart, then reconcile.",
        "reconcile_reset",
        Origin(HC, "internal/reconcile/install.go"),
    ),
    Failure(
        "helmrelease.upgrade-failed",
        ("HelmRelease",),
        ("UpgradeFailed",),
        None,
        "helm upgrade failed.",
        "helm upgrade of {id} failed: read the message and events, fix spec.values or the chart, then reconcile.",
        "reconcile_reset",
        Origin(HC, "internal/reconcile/upgrade.go"),
    ),
    Failure(
        "helmrelease.test-failed",
        ("HelmRelease",),
        ("TestFailed",),
        None,
        "A helm test hook of the release failed (spec.test.enable).",
        "A helm test of {id} failed: read the test pod's logs; fix the chart's tests or set spec.test.ignoreFailures.",
        "events",
        Origin(HC, "internal/reconcile/test.go"),
    ),
    Failure(
        "helmrelease.rollback-failed",
        ("HelmRelease",),
        ("RollbackFailed",),
        None,
        "Remediation by rollback failed.",
        "Rolling back {id} failed: read the events; fix the release by hand or with spec.upgrade.remediation.",
        "events",
        Origin(HC, "internal/reconcile/rollback_remediation.go"),
    ),
    Failure(
        "helmrelease.missing-rollback-target",
        ("HelmRelease",),
        ("MissingRollbackTarget",),
        None,
        "Remediation wanted a rollback but there is no earlier release to roll back to.",
        "{id} has no earlier release to roll back to: fix the cause, then reconcile with a reset.",
        "reconcile_reset",
        Origin(HC, "internal/reconcile/atomic_release.go"),
    ),
    Failure(
        "helmrelease.uninstall-failed",
        ("HelmRelease",),
        ("UninstallFailed",),
        None,
        "helm uninstall (or uninstall remediation) failed.",
        "Uninstalling {id} failed: read the events for the object that blocks it.",
        "events",
        Origin(HC, "internal/reconcile/uninstall.go"),
    ),
    Failure(
        "helmrelease.state-error",
        ("HelmRelease",),
        ("StateError",),
        None,
        "helm-controller cannot read the release's state from its storage (Helm's release Secrets).",
        "helm-controller cannot determine the release state of {id}: read the message; check access to the "
        "release Secrets in the target namespace (spec.serviceAccountName, spec.storageNamespace).",
        "events",
        Origin(HC, "internal/reconcile/atomic_release.go"),
    ),
    Failure(
        "helmrelease.kube-client",
        ("HelmRelease",),
        ("RESTClientError", "FactoryError", "ConfigFactoryErr"),
        None,
        "helm-controller cannot build a client for the target cluster (spec.kubeConfig).",
        "{id} cannot reach its target cluster: check spec.kubeConfig and the Secret it names.",
        "events",
        Origin(HC, HR_CONTROLLER),
    ),
    Failure(
        "helmrelease.invalid-cel",
        ("HelmRelease",),
        ("InvalidCELExpression",),
        None,
        "A CEL expression (a dependency's readyExpr or a health check) does not compile; stalled.",
        "A CEL expression of {id} does not compile: correct the readyExpr in spec.dependsOn.",
        "reconcile",
        Origin(HC, HR_CONTROLLER),
    ),
    # --- GitRepository (source-controller) ---
    Failure(
        "gitrepository.secret-missing",
        ("GitRepository",),
        ("AuthenticationFailed",),
        _f(r"failed to get secret '(?P<secret>[^']+)'"),
        "The Secret named in spec.secretRef does not exist.",
        "Secret {secret} (spec.secretRef) does not exist: create it with the credentials for spec.url "
        "'{spec.url}', or correct spec.secretRef.",
        "reconcile",
        Origin(SC, GIT),
    ),
    Failure(
        "gitrepository.branch-missing",
        ("GitRepository",),
        ("GitOperationFailed",),
        _f(r"couldn't find remote ref \"?refs/heads/(?P<branch>[^\"\s]+)\"?"),
        "The branch in spec.ref.branch does not exist in the repository.",
        "Branch '{branch}' (spec.ref.branch) does not exist in spec.url '{spec.url}': set spec.ref.branch to an "
        "existing branch, then reconcile.",
        "reconcile",
        Origin(SC, "fluxcd/pkg git/gogit/clone.go (go-git) via " + GIT),
    ),
    Failure(
        "gitrepository.tag-missing",
        ("GitRepository",),
        ("GitOperationFailed",),
        _f(r"couldn't find remote ref \"?refs/tags/(?P<tag>[^\"\s]+)\"?"),
        "The tag in spec.ref.tag does not exist in the repository.",
        "Tag '{tag}' (spec.ref.tag) does not exist in spec.url '{spec.url}': set spec.ref.tag to an existing "
        "tag, then reconcile.",
        "reconcile",
        Origin(SC, "fluxcd/pkg git/gogit/clone.go (go-git) via " + GIT),
    ),
    Failure(
        "gitrepository.semver-no-match",
        ("GitRepository",),
        ("GitOperationFailed",),
        _f(r"no match found for semver: (?P<semver>\S+)"),
        "No tag matches the range in spec.ref.semver.",
        "No tag matches spec.ref.semver '{spec.ref.semver}' in spec.url '{spec.url}': widen the range or push "
        "a matching tag, then reconcile.",
        "reconcile",
        Origin(SC, "fluxcd/pkg git/gogit/clone.go via " + GIT),
    ),
    Failure(
        "gitrepository.commit-missing",
        ("GitRepository",),
        ("GitOperationFailed",),
        _f(r"(?:commit|object) (?:'[^']*' )?not found|unable to resolve commit"),
        "The commit in spec.ref.commit is not in the repository (or not on spec.ref.branch).",
        "Commit '{spec.ref.commit}' (spec.ref.commit) is not in spec.url '{spec.url}': correct spec.ref.commit, "
        "then reconcile.",
        "reconcile",
        Origin(SC, "fluxcd/pkg git/gogit/clone.go via " + GIT),
    ),
    Failure(
        "gitrepository.auth-failed",
        ("GitRepository",),
        ("GitOperationFailed", "AuthenticationFailed"),
        _f(r"authentication required|authorization failed|401|403|invalid credentials|could not read Username"),
        "The Git server refused the credentials (or asked for credentials when none were given).",
        "The Git server refused the credentials for spec.url '{spec.url}': check [Secret {namespace}/"
        "{spec.secretRef.name} (spec.secretRef)|spec.secretRef (none is set)], then reconcile.",
        "reconcile",
        Origin(SC, GIT),
    ),
    Failure(
        "gitrepository.unreachable",
        ("GitRepository",),
        ("GitOperationFailed",),
        _f(UNREACHABLE),
        "The Git server at spec.url cannot be reached.",
        "spec.url '{spec.url}' of {id} cannot be reached: correct the URL or the network, then reconcile.",
        "reconcile",
        Origin(SC, GIT),
    ),
    Failure(
        "gitrepository.not-found",
        ("GitRepository",),
        ("GitOperationFailed",),
        _f(r"repository not found|404"),
        "There is no Git repository at spec.url.",
        "No Git repository answers at spec.url '{spec.url}': correct spec.url, then reconcile.",
        "reconcile",
        Origin(SC, GIT),
    ),
    Failure(
        "gitrepository.empty",
        ("GitRepository",),
        ("GitOperationFailed",),
        _f(r"git repository is empty|remote repository is empty"),
        "The repository has no commits.",
        "The repository at spec.url '{spec.url}' is empty: push a commit to it, then reconcile.",
        "reconcile",
        Origin(SC, GIT),
    ),
    Failure(
        "gitrepository.include-unavailable",
        ("GitRepository",),
        ("IncludeUnavailable",),
        None,
        "A GitRepository named in spec.include has no artifact (or does not exist).",
        "A repository in spec.include of {id} is unavailable: create it or fix its failure, then reconcile.",
        "sources",
        Origin(SC, GIT),
    ),
    Failure(
        "gitrepository.git-failed",
        ("GitRepository",),
        ("GitOperationFailed",),
        None,
        "The clone or checkout failed.",
        "Cloning spec.url '{spec.url}' (spec.ref) failed: read the message, correct spec.url, spec.ref or "
        "spec.secretRef, then reconcile.",
        "reconcile",
        Origin(SC, GIT),
    ),
    Failure(
        "source.verification-failed",
        ("GitRepository", "OCIRepository", "HelmChart"),
        ("VerificationError",),
        None,
        "The signature of the fetched revision could not be verified with the keys in spec.verify.",
        "The signature of {id}'s revision does not verify: check spec.verify.secretRef and that the revision is "
        "signed with a key it holds.",
        "reconcile",
        Origin(SC, GIT),
    ),
    Failure(
        "source.url-invalid",
        URL_SOURCES,
        ("URLInvalid", "InvalidURL"),
        None,
        "spec.url cannot be parsed or uses a scheme this kind does not support; stalled.",
        "spec.url '{spec.url}' of {id} is invalid: correct it.",
        "reconcile",
        Origin(SC, HELMREPO),
    ),
    # --- HelmRepository ---
    Failure(
        "helmrepository.unreachable",
        ("HelmRepository",),
        (),
        _f(r"failed to fetch Helm repository index.*(?:" + UNREACHABLE + ")"),
        "The Helm repository server cannot be reached.",
        "spec.url '{spec.url}' of {id} cannot be reached: correct the URL or the network, then reconcile.",
        "reconcile",
        Origin(SC, HELMREPO),
    ),
    Failure(
        "helmrepository.index-fetch-failed",
        ("HelmRepository",),
        (),
        _f(r"failed to fetch Helm repository index"),
        "The index.yaml under spec.url cannot be fetched (the server answered with an error).",
        "{id} cannot fetch index.yaml from spec.url '{spec.url}' ({reason}): correct the URL (it must serve "
        "index.yaml) or spec.secretRef, then reconcile.",
        "reconcile",
        Origin(SC, HELMREPO),
    ),
    Failure(
        "helmrepository.index-invalid",
        ("HelmRepository",),
        ("IndexationFailed",),
        None,
        "The server's index.yaml is not a valid Helm repository index.",
        "The index.yaml served at spec.url '{spec.url}' is not a valid Helm index: fix the repository server "
        "(or point spec.url at a real repository).",
        "reconcile",
        Origin(SC, HELMREPO),
    ),
    Failure(
        "helmrepository.auth-failed",
        ("HelmRepository",),
        ("AuthenticationFailed",),
        None,
        "The credentials for the repository (spec.secretRef) cannot be read or are refused.",
        "{id} cannot authenticate to spec.url '{spec.url}': check the Secret named in spec.secretRef "
        "('{spec.secretRef.name}').",
        "reconcile",
        Origin(SC, HELMREPO),
    ),
    # --- HelmChart ---
    Failure(
        "helmchart.version-missing",
        ("HelmChart",),
        ("InvalidChartReference",),
        _f(r"no '(?P<chart>[^']+)' chart with version matching '(?P<version>[^']+)'"),
        "No chart version in the repository matches spec.version.",
        "Chart '{chart}' has no version matching '{version}' in {source}: set spec.version of {id} (or of the "
        "HelmRelease that generates it) to a version that exists.",
        "reconcile_source",
        Origin(SC, "internal/helm/chart/builder_remote.go"),
    ),
    Failure(
        "helmchart.chart-missing",
        ("HelmChart",),
        ("InvalidChartReference",),
        None,
        "The chart named in spec.chart cannot be resolved in the source.",
        "The chart '{spec.chart}' (spec.chart) of {id} is not in {source}: correct the chart name (or the "
        "HelmRelease that generates it).",
        "reconcile_source",
        Origin(SC, "internal/helm/chart/errors.go"),
    ),
    Failure(
        "helmchart.source-missing",
        ("HelmChart",),
        (),
        _f(r"failed to get source: .*not found"),
        "The source in spec.sourceRef does not exist.",
        "The source {spec.sourceRef.kind} '{spec.sourceRef.name}' (spec.sourceRef) of {id} does not exist: "
        "create it or correct spec.sourceRef.",
        "sources",
        Origin(SC, HELMCHART),
    ),
    Failure(
        "helmchart.source-unavailable",
        ("HelmChart",),
        ("SourceUnavailable", "NoSourceArtifact"),
        None,
        "The chart's source has no artifact to build from.",
        "The source {source} of {id} has no artifact: fix the source first.",
        "sources",
        Origin(SC, HELMCHART),
    ),
    Failure(
        "helmchart.pull-error",
        ("HelmChart",),
        ("ChartPullError",),
        None,
        "The chart archive could not be downloaded from the repository.",
        "{id} cannot download chart '{spec.chart}' version '{spec.version}' from {source}: check the "
        "repository's server and credentials.",
        "reconcile_source",
        Origin(SC, "internal/helm/chart/errors.go"),
    ),
    Failure(
        "helmchart.package-error",
        ("HelmChart",),
        ("ChartPackageError",),
        None,
        "The chart in the source (a path in Git, Bucket or OCI) cannot be packaged.",
        "The chart at spec.chart '{spec.chart}' in {source} cannot be packaged: fix the chart in the source "
        "(Chart.yaml, dependencies) or spec.chart.",
        "reconcile_source",
        Origin(SC, "internal/helm/chart/errors.go"),
    ),
    # --- OCIRepository ---
    Failure(
        "ocirepository.pull-failed",
        ("OCIRepository",),
        ("OCIArtifactPullFailed", "ReadOperationFailed"),
        None,
        "The artifact at spec.url and spec.ref cannot be pulled from the registry.",
        "{id} cannot pull spec.url '{spec.url}' at spec.ref: check the URL, the tag or digest in spec.ref and "
        "the registry credentials (spec.secretRef).",
        "reconcile",
        Origin(SC, OCI),
    ),
    Failure(
        "ocirepository.auth-failed",
        ("OCIRepository",),
        ("AuthenticationFailed",),
        None,
        "The registry credentials (spec.secretRef, spec.provider) cannot be read or are refused.",
        "{id} cannot authenticate to spec.url '{spec.url}': check spec.secretRef and spec.provider.",
        "reconcile",
        Origin(SC, OCI),
    ),
    Failure(
        "ocirepository.layer-failed",
        ("OCIRepository",),
        ("OCIArtifactLayerOperationFailed",),
        None,
        "The artifact's layer is not what spec.layerSelector selects.",
        "{id} cannot extract the layer spec.layerSelector selects: correct spec.layerSelector.",
        "reconcile",
        Origin(SC, OCI),
    ),
    # --- Bucket ---
    Failure(
        "bucket.unreachable",
        ("Bucket",),
        ("BucketOperationFailed",),
        _f(UNREACHABLE),
        "The bucket endpoint cannot be reached.",
        "spec.endpoint '{spec.endpoint}' of {id} cannot be reached: correct spec.endpoint (host:port, "
        "spec.insecure for plain HTTP) or the network, then reconcile.",
        "reconcile",
        Origin(SC, BUCKET),
    ),
    Failure(
        "bucket.operation-failed",
        ("Bucket",),
        ("BucketOperationFailed",),
        None,
        "Listing or fetching the bucket's objects failed.",
        "{id} cannot read bucket '{spec.bucketName}' at spec.endpoint '{spec.endpoint}': check spec.bucketName, "
        "spec.endpoint and spec.secretRef.",
        "reconcile",
        Origin(SC, BUCKET),
    ),
    Failure(
        "bucket.auth-failed",
        ("Bucket",),
        ("AuthenticationFailed",),
        None,
        "The bucket credentials (spec.secretRef) cannot be read.",
        "{id} cannot read its credentials: check the Secret named in spec.secretRef ('{spec.secretRef.name}').",
        "reconcile",
        Origin(SC, BUCKET),
    ),
    Failure(
        "source.storage-failed",
        SOURCE_KINDS,
        (
            "StorageOperationFailed",
            "DirectoryCreationFailed",
            "StatOperationFailed",
            "AcquireLockFailed",
            "ArchiveOperationFailed",
            "SymlinkUpdateFailed",
        ),
        None,
        "source-controller cannot write the artifact to its storage.",
        "source-controller cannot store the artifact of {id}: check the controller's storage volume and logs.",
        "check",
        Origin(SC, "api/v1/condition_types.go"),
    ),
    Failure(
        "source.fetch-failed",
        URL_SOURCES,
        ("Failed",),
        _f(UNREACHABLE),
        "The server at spec.url cannot be reached.",
        "spec.url '{spec.url}' of {id} cannot be reached: correct the URL or the network, then reconcile.",
        "reconcile",
        Origin(SC, HELMREPO),
    ),
    # --- notification-controller ---
    Failure(
        "receiver.token-missing",
        ("Receiver",),
        ("TokenNotFound",),
        _f(r"unable to read token from secret '(?P<secret>[^']+)'"),
        "The Secret named in spec.secretRef (holding the webhook token) does not exist.",
        "Secret {secret} (spec.secretRef) does not exist: create it with a 'token' key, or correct "
        "spec.secretRef of {id}.",
        "events",
        Origin(NC, RECEIVER),
    ),
    Failure(
        "receiver.token-key-missing",
        ("Receiver",),
        ("TokenNotFound",),
        _f(r"invalid '(?P<secret>[^']+)' secret data: required fields 'token'"),
        "The Secret named in spec.secretRef has no 'token' key.",
        "Secret {secret} (spec.secretRef) has no 'token' key: add one.",
        "events",
        Origin(NC, RECEIVER),
    ),
    Failure(
        "receiver.invalid-cel",
        ("Receiver",),
        ("InvalidCELExpression",),
        None,
        "spec.resourceFilter (or a resource's filter) does not compile; stalled.",
        "A CEL filter of {id} does not compile: correct spec.resourceFilter or the filter in spec.resources.",
        "events",
        Origin(NC, RECEIVER),
    ),
    Failure(
        "receiver.validation-failed",
        ("Receiver",),
        ("ValidationFailed",),
        None,
        "The Receiver's spec is inconsistent (type, spec.secretRef and OIDC providers); stalled.",
        "The spec of {id} is inconsistent: {message}",
        "events",
        Origin(NC, RECEIVER),
    ),
    Failure(
        "alert.provider-missing",
        ("Alert",),
        (),
        _f(
            r"failed to read provider: \S*?providers?\.notification\.toolkit\.fluxcd\.io \"(?P<target>[^\"]+)\" not "
            r"found"
        ),
        "The Provider spec.providerRef names does not exist: events matching the Alert are not sent.",
        "The Provider {target} (spec.providerRef) of {id} does not exist: create it or correct "
        "spec.providerRef; until then the Alert's events go nowhere.",
        "events",
        Origin(NC, EVENT_HANDLERS),
    ),
    Failure(
        "alert.dispatch-failed",
        ("Alert",),
        (),
        _f(r"failed to dispatch notification for (?P<object>\S+): (?P<cause>.+)"),
        "The notification for an event could not be sent through the Alert's Provider.",
        "{id} could not send the notification for {object}: {cause}",
        "events",
        Origin(NC, EVENT_HANDLERS),
    ),
    # --- image-reflector-controller and image-automation-controller ---
    Failure(
        "imagepolicy.repository-missing",
        ("ImagePolicy",),
        ("DependencyNotReady",),
        _f(r"referenced ImageRepository does not exist: .*?\"(?P<target>[^\"]+)\" not found"),
        "The ImageRepository spec.imageRepositoryRef names does not exist.",
        "The ImageRepository {target} (spec.imageRepositoryRef) of {id} does not exist: create it or correct "
        "spec.imageRepositoryRef.",
        "events",
        Origin(IRC, IMAGEPOLICY),
    ),
    Failure(
        "imagepolicy.no-tags",
        ("ImagePolicy",),
        ("DependencyNotReady",),
        _f(r"no tags in database"),
        "Its ImageRepository has not scanned any tag yet, or found none.",
        "The ImageRepository of {id} has no tags yet: check that it scans (its Ready condition and "
        "image), then wait for the policy to retry.",
        "events",
        Origin(IRC, IMAGEPOLICY),
    ),
    Failure(
        "imagepolicy.no-match",
        ("ImagePolicy",),
        ("Failure",),
        _f(r"unable to determine latest version from provided list|version list argument cannot be empty"),
        "No tag of the ImageRepository fits spec.policy (after spec.filterTags): nothing to select.",
        "No tag of the ImageRepository of {id} fits its policy: widen spec.policy (or spec.filterTags), or push "
        "an image with a tag that fits.",
        "events",
        Origin(IRC, "internal/policy/semver.go"),
    ),
    Failure(
        "imagepolicy.invalid",
        ("ImagePolicy",),
        ("InvalidPolicy",),
        None,
        "spec.policy cannot select a tag (an invalid semver range, pattern or order); stalled.",
        "spec.policy of {id} is invalid: {message}",
        "events",
        Origin(IRC, IMAGEPOLICY),
    ),
    Failure(
        "imageupdate.push-failed",
        ("ImageUpdateAutomation",),
        ("GitOperationFailed",),
        _f(r"failed to update source: failed to push to remote: (?P<cause>.+)"),
        "The commit with the new image references could not be pushed: the Git server refused it.",
        "{id} cannot push to its GitRepository: {cause}. Give the credentials of the GitRepository "
        "spec.sourceRef names write access, or push to a branch they may write (spec.git.push.branch).",
        "events",
        Origin(IAC, IMAGEUPDATE),
    ),
    Failure(
        "imageupdate.checkout-failed",
        ("ImageUpdateAutomation",),
        ("GitOperationFailed",),
        _f(r"failed to checkout source: (?P<cause>.+)"),
        "The Git repository could not be cloned or the branch checked out.",
        "{id} cannot check out its source: {cause}. Check spec.git.checkout and the GitRepository "
        "spec.sourceRef names.",
        "events",
        Origin(IAC, IMAGEUPDATE),
    ),
    Failure(
        "imageupdate.git-failed",
        ("ImageUpdateAutomation",),
        ("GitOperationFailed",),
        None,
        "A Git operation of the automation failed.",
        "A Git operation of {id} failed: {message}",
        "events",
        Origin(IAC, IMAGEUPDATE),
    ),
    # --- source-watcher ---
    Failure(
        "artifactgenerator.source-failed",
        ("ArtifactGenerator",),
        ("SourceFetchFailed",),
        None,
        "A source in spec.sources cannot be read or has no artifact yet.",
        "{id} cannot read its sources: {message}. Fix the sources in spec.sources first.",
        "events",
        Origin(SW, GENERATOR),
    ),
    Failure(
        "artifactgenerator.build-failed",
        ("ArtifactGenerator",),
        ("BuildFailed",),
        None,
        "An output artifact of spec.artifacts could not be built (its copy operations or path pattern).",
        "{id} cannot build an artifact: {message}. Correct spec.artifacts.",
        "events",
        Origin(SW, GENERATOR),
    ),
    # --- flux-operator ---
    Failure(
        "fluxinstance.fetch-failed",
        ("FluxInstance",),
        ("ArtifactFailed",),
        _f(r"fetch failed: (?P<cause>.+)"),
        "The operator cannot fetch the Flux distribution manifests.",
        "{id} cannot fetch the Flux distribution: {cause}. Correct spec.distribution (registry, artifact, "
        "version) or make it reachable.",
        "events",
        Origin(OP, INSTANCE),
    ),
    Failure(
        "fluxinstance.fetch-failed-other",
        ("FluxInstance",),
        ("ArtifactFailed",),
        None,
        "The operator cannot fetch the Flux distribution manifests.",
        "{id} cannot fetch the Flux distribution: {message}",
        "events",
        Origin(OP, INSTANCE),
    ),
    Failure(
        "operator.build-failed",
        ("FluxInstance", "ResourceSet"),
        ("BuildFailed",),
        None,
        "The operator cannot build the objects from the spec (templates, inputs, distribution); stalled.",
        "{id} cannot be built: {message}. Correct its spec; the operator retries when it changes.",
        "events",
        Origin(OP, RESOURCESET),
    ),
    Failure(
        "operator.reconciliation-failed",
        ("FluxInstance", "ResourceSet"),
        ("ReconciliationFailed",),
        None,
        "Applying the built objects failed, or they did not become healthy.",
        "Applying {id} failed: {message}",
        "events",
        Origin(OP, RESOURCESET),
    ),
    # --- any kind ---
    Failure(
        "any.dependency-not-ready",
        ANY,
        ("DependencyNotReady",),
        None,
        "An object in spec.dependsOn is not Ready.",
        "{id} waits for a dependency in spec.dependsOn: fix that one first.",
        "events",
        Origin(PKG, "apis/meta/conditions.go"),
    ),
)

SUSPENDED = Failure(
    "any.suspended",
    ANY,
    ("Suspended",),
    None,
    "spec.suspend is true: the controller does not reconcile it.",
    "Suspended on purpose? Resume it when ready.",
    "resume",
    Origin(PKG, "apis/meta/conditions.go"),
)
NOT_HANDLED = Failure(
    "any.not-handled",
    ANY,
    (),
    None,
    "No controller has written a status for the object's current generation.",
    "No controller has handled {id} yet (generation {metadata.generation}, no Ready condition for it): check "
    "that {controller} is running.",
    "check",
    Origin("flux", "cmd/flux/reconcile.go (lastHandledReconcileAt, observedGeneration)"),
)
NOT_PICKED_UP = Failure(
    "any.request-not-picked-up",
    ANY,
    (),
    None,
    "A reconcile request was written but no controller changed the object's status afterwards.",
    "No controller picked up the reconcile request for {id}: check that {controller} is running (its pod, "
    "its logs), then reconcile again.",
    "check",
    Origin("flux", "cmd/flux/reconcile.go (requestedAt annotation, lastHandledReconcileAt)"),
)
PROGRESSING = Failure(
    "any.progressing",
    ANY,
    ("Progressing", "ProgressingWithRetry"),
    None,
    "The controller is working on the object.",
    "Reconciliation is in progress; check again shortly.",
    "events",
    Origin(PKG, "apis/meta/conditions.go"),
)
PROGRESSING_HEALTH = Failure(
    "any.progressing-health",
    ("Kustomization", "HelmRelease"),
    ("Progressing",),
    _f(r"health check"),
    "The controller waits for the applied workloads to become ready.",
    "Flux is waiting for the applied workloads to become ready: inspect them; if they cannot start, the "
    "health check fails at spec.timeout[ '{spec.timeout}'].",
    "tree",
    Origin(KC, KS_CONTROLLER),
)
UNKNOWN = Failure(
    "any.unknown",
    ANY,
    (),
    None,
    "A reason this catalogue does not know.",
    "Unknown reason {reason}: read the events of {id}.",
    "events",
    Origin(PKG, "apis/meta/conditions.go"),
)
SPECIAL: tuple[Failure, ...] = (SUSPENDED, NOT_HANDLED, NOT_PICKED_UP, PROGRESSING_HEALTH, PROGRESSING, UNKNOWN)
ALL: tuple[Failure, ...] = (*CATALOGUE, *SPECIAL)
BY_KEY: dict[str, Failure] = {failure.key: failure for failure in ALL}


@dataclass(frozen=True)
class Match:
    failure: Failure
    groups: dict[str, str]


def match(kind: str, reason: str | None, texts: tuple[str, ...] | list[str]) -> Match:
    """The catalogue entry for a failure: the first whose kind, reason and form fit; `UNKNOWN` when none.

    `texts` are tried in order (the Ready message first, then evidence such as events): a form found in
    an earlier text wins. With no reason (None) only forms decide.
    """
    for text in texts:
        for failure in CATALOGUE:
            if failure.form is None or not failure.applies(kind, reason):
                continue
            found = failure.form.search(text or "")
            if found:
                return Match(failure, {k: v for k, v in found.groupdict().items() if v is not None})
    for failure in CATALOGUE:
        if reason is not None and failure.form is None and failure.applies(kind, reason):
            return Match(failure, {})
    return Match(UNKNOWN, {})


def known_reasons() -> set[str]:
    """Every reason some entry names."""
    return {reason for failure in ALL for reason in failure.reasons}
