"""Per-kind views: the summaries (list items) and details (get answers) the read tools return for
Kustomizations, HelmReleases, sources, image automation and any other Flux object.

This is the output edge for readiness (see `conditions`): a summary's `ready` is the Ready status as
text ("True"/"False"/"Unknown"); a detail's `ready` is a boolean with the text as `ready_status`. In
both the `status` field holds the Ready condition's message, as the tool spec names it.
"""

from __future__ import annotations

from typing import Any

from fluxtools._flux.conditions import (
    Readiness,
    condition,
    is_stalled,
    is_suspended,
    readiness,
    ready_message,
    state_of,
)
from fluxtools._flux.fields import (
    Obj,
    applied_revision,
    artifact,
    artifact_revision,
    depends_on,
    helm_chart_name,
    helm_chart_version,
    helm_history_head,
    helm_revision,
    helmrelease_source,
    identity,
    kind_of,
    kustomization_source,
    latest_image,
    meta_of,
    object_id,
    ref_text,
    secret_ref_name,
    source_ref,
    source_url,
    spec_of,
    status_of,
)


def item_state(item: dict[str, Any]) -> str:
    """The one-word state of a list item (e.g. a row of a `flux get` table)."""
    return state_of(Readiness.parse(str(item["ready"])), bool(item["suspended"]))


def _ready_fields(obj: Obj) -> Obj:
    """A summary's readiness: the Ready status as text and the Ready message."""
    return {"ready": readiness(obj).value, "status": ready_message(obj)}


def _condition_list(obj: Obj) -> list[Obj]:
    return [
        {
            "type": cond.get("type"),
            "status": cond.get("status"),
            "reason": cond.get("reason"),
            "message": cond.get("message", ""),
            "last_transition_time": cond.get("lastTransitionTime"),
        }
        for cond in status_of(obj).get("conditions") or []
    ]


def kustomization_summary(obj: Obj) -> Obj:
    return {
        **identity(obj),
        **_ready_fields(obj),
        "path": spec_of(obj).get("path", ""),
        "revision": status_of(obj).get("lastAppliedRevision", ""),
        "suspended": is_suspended(obj),
        "source": kustomization_source(obj),
    }


def helmrelease_summary(obj: Obj) -> Obj:
    return {
        **identity(obj),
        **_ready_fields(obj),
        "chart": helm_chart_name(obj),
        "version": helm_chart_version(obj),
        "revision": helm_revision(obj),
        "suspended": is_suspended(obj),
    }


def _common_detail(obj: Obj) -> Obj:
    status = status_of(obj)
    ready = readiness(obj)
    ready_cond = condition(obj, "Ready") or {}
    return {
        "ready": ready is Readiness.TRUE,
        "ready_status": ready.value,
        "status": ready_message(obj),
        "reason": ready_cond.get("reason"),
        "suspended": is_suspended(obj),
        "stalled": is_stalled(obj),
        "conditions": _condition_list(obj),
        "last_attempted_revision": status.get("lastAttemptedRevision"),
        "last_reconcile_time": ready_cond.get("lastTransitionTime"),
        "last_handled_reconcile_at": status.get("lastHandledReconcileAt"),
        "interval": spec_of(obj).get("interval"),
        "depends_on": depends_on(obj),
        "generation": meta_of(obj).get("generation"),
        "observed_generation": status.get("observedGeneration"),
    }


def kustomization_detail(obj: Obj) -> Obj:
    status = status_of(obj)
    return {
        **identity(obj),
        **_common_detail(obj),
        "path": spec_of(obj).get("path", ""),
        "source": kustomization_source(obj),
        "revision": status.get("lastAppliedRevision"),
        "last_applied_revision": status.get("lastAppliedRevision"),
        "prune": spec_of(obj).get("prune"),
        "target_namespace": spec_of(obj).get("targetNamespace"),
        "inventory_count": len((status.get("inventory") or {}).get("entries") or []),
    }


def helmrelease_detail(obj: Obj) -> Obj:
    status = status_of(obj)
    return {
        **identity(obj),
        **_common_detail(obj),
        "source": helmrelease_source(obj),
        "chart": helm_chart_name(obj),
        "version": helm_chart_version(obj),
        "revision": helm_revision(obj),
        "last_applied_revision": helm_history_head(obj).get("chartVersion"),
        "helm_chart": status.get("helmChart"),
        "release_status": helm_history_head(obj).get("status"),
        "install_failures": status.get("installFailures", 0),
        "upgrade_failures": status.get("upgradeFailures", 0),
        "target_namespace": spec_of(obj).get("targetNamespace"),
    }


def source_summary(obj: Obj) -> Obj:
    return {
        "kind": kind_of(obj),
        **identity(obj),
        **_ready_fields(obj),
        "revision": artifact_revision(obj) or "",
        "url": source_url(obj),
        "suspended": is_suspended(obj),
    }


def source_detail(obj: Obj) -> Obj:
    spec = spec_of(obj)
    detail = {
        "kind": kind_of(obj),
        **identity(obj),
        **_common_detail(obj),
        "url": source_url(obj),
        "ref": source_ref(obj),
        "revision": artifact_revision(obj),
        "artifact": artifact(obj),
        "secret_ref": secret_ref_name(obj),
    }
    for gone in ("depends_on", "last_attempted_revision"):  # not part of source objects
        detail.pop(gone, None)
    extras = {
        "type": spec.get("type"),  # HelmRepository: default | oci
        "provider": spec.get("provider"),
        "bucket_name": spec.get("bucketName"),
        "chart": spec.get("chart"),  # HelmChart
        "version": spec.get("version"),
        "source": ref_text(spec.get("sourceRef"), meta_of(obj).get("namespace", "")),
    }
    detail.update({key: value for key, value in extras.items() if value})
    return detail


def _image_repository_fields(obj: Obj) -> Obj:
    scan = status_of(obj).get("lastScanResult") or {}
    return {"image": spec_of(obj).get("image"), "last_scan": scan.get("scanTime"), "tags": scan.get("tagCount")}


def _image_policy_fields(obj: Obj) -> Obj:
    repository = (spec_of(obj).get("imageRepositoryRef") or {}).get("name")
    return {"image_repository": repository, "latest_image": latest_image(obj)}


def _image_update_fields(obj: Obj) -> Obj:
    status = status_of(obj)
    return {
        "source": ref_text(spec_of(obj).get("sourceRef"), meta_of(obj).get("namespace", "")),
        "last_run": status.get("lastAutomationRunTime"),
        "last_push_commit": status.get("lastPushCommit"),
    }


def _provider_fields(obj: Obj) -> Obj:
    """A Provider's type and channel; never its address, which may carry a token."""
    spec = spec_of(obj)
    return {"type": spec.get("type"), "channel": spec.get("channel"), "secret_ref": secret_ref_name(obj)}


def _alert_fields(obj: Obj) -> Obj:
    spec, namespace = spec_of(obj), meta_of(obj).get("namespace", "")
    provider = (spec.get("providerRef") or {}).get("name")
    return {
        "provider": object_id("Provider", namespace, provider) if provider else None,
        "event_severity": spec.get("eventSeverity", "info"),
        "event_sources": [ref_text(ref, namespace) for ref in spec.get("eventSources") or []],
    }


def _receiver_fields(obj: Obj) -> Obj:
    """A Receiver's type and the objects it asks to reconcile; never its webhook path (derived from its token)."""
    spec, namespace = spec_of(obj), meta_of(obj).get("namespace", "")
    return {
        "type": spec.get("type"),
        "resources": [ref_text(ref, namespace) for ref in spec.get("resources") or []],
        "secret_ref": secret_ref_name(obj),
    }


def _external_artifact_fields(obj: Obj) -> Obj:
    return {
        "source": ref_text(spec_of(obj).get("sourceRef"), meta_of(obj).get("namespace", "")),
        "revision": artifact_revision(obj),
    }


def _generator_fields(obj: Obj) -> Obj:
    spec, namespace = spec_of(obj), meta_of(obj).get("namespace", "")
    return {
        "sources": [ref_text(ref, namespace) for ref in spec.get("sources") or []],
        "artifacts": [entry.get("name") for entry in spec.get("artifacts") or []],
        "inventory": [
            object_id("ExternalArtifact", entry.get("namespace", ""), entry.get("name", ""))
            for entry in status_of(obj).get("inventory") or []
        ],
    }


def _applier_fields(obj: Obj) -> Obj:
    """A FluxInstance's or ResourceSet's last applied revision and how many objects it manages."""
    status = status_of(obj)
    return {
        "revision": status.get("lastAppliedRevision"),
        "inventory_count": len((status.get("inventory") or {}).get("entries") or []),
    }


def _instance_fields(obj: Obj) -> Obj:
    distribution = spec_of(obj).get("distribution") or {}
    return {
        "distribution": {key: distribution.get(key) for key in ("version", "registry") if distribution.get(key)},
        **_applier_fields(obj),
    }


def _input_provider_fields(obj: Obj) -> Obj:
    spec = spec_of(obj)
    return {"type": spec.get("type"), "url": spec.get("url"), "secret_ref": secret_ref_name(obj)}


def _report_fields(obj: Obj) -> Obj:
    spec = spec_of(obj)
    distribution = spec.get("distribution") or {}
    components = spec.get("components") or []
    return {
        "distribution": {key: distribution.get(key) for key in ("version", "status") if distribution.get(key)},
        "components_ready": sum(1 for component in components if component.get("ready")),
        "components": len(components),
    }


KIND_FIELDS = {
    "ImageRepository": _image_repository_fields,
    "ImagePolicy": _image_policy_fields,
    "ImageUpdateAutomation": _image_update_fields,
    "Provider": _provider_fields,
    "Alert": _alert_fields,
    "Receiver": _receiver_fields,
    "ExternalArtifact": _external_artifact_fields,
    "ArtifactGenerator": _generator_fields,
    "FluxInstance": _instance_fields,
    "ResourceSet": _applier_fields,
    "ResourceSetInputProvider": _input_provider_fields,
    "FluxReport": _report_fields,
}
"""What each kind of the optional components adds to its summary and detail."""


def _kind_fields(obj: Obj) -> Obj:
    fields = KIND_FIELDS.get(kind_of(obj))
    return fields(obj) if fields else {}


def image_summary(obj: Obj) -> Obj:
    return {
        "kind": kind_of(obj),
        **identity(obj),
        **_ready_fields(obj),
        "suspended": is_suspended(obj),
        **_kind_fields(obj),
    }


def object_summary(obj: Obj) -> Obj:
    """The fields every Flux object with a status has, whatever its kind."""
    return {
        "kind": kind_of(obj),
        **identity(obj),
        **_ready_fields(obj),
        "revision": applied_revision(obj) or "",
        "suspended": is_suspended(obj),
    }


def object_detail(obj: Obj) -> Obj:
    """One object of any kind in detail: a source's detail for sources, else the common detail and its kind's
    own fields (references, inventory, latest image, ...)."""
    if kind_of(obj) in SOURCE_DETAIL_KINDS:
        return source_detail(obj)
    detail = {"kind": kind_of(obj), **identity(obj), **_common_detail(obj), **_kind_fields(obj)}
    return {key: value for key, value in detail.items() if value not in (None, [], {})}


SOURCE_DETAIL_KINDS = frozenset(
    ("GitRepository", "OCIRepository", "Bucket", "HelmRepository", "HelmChart", "ExternalArtifact")
)
