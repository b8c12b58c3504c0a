"""Turn Flux objects (as `kubectl get -o json` returns them) into the tools' fields."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
NO_READY_MESSAGE = "waiting to be reconciled"


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _status(obj: Obj) -> Obj:
    return obj.get("status") or {}


def _spec(obj: Obj) -> Obj:
    return obj.get("spec") or {}


def condition(obj: Obj, type_: str) -> Obj | None:
    for cond in _status(obj).get("conditions") or []:
        if cond.get("type") == type_:
            return cond
    return None


def conditions(obj: Obj) -> list[Obj]:
    return [
        {
            "type": cond.get("type"),
            "status": cond.get("status"),
            "reason": cond.get("reason"),
            "message": cond.get("message", ""),
            "last_transition_time": cond.get("lastTransitionTime"),
        }
        for cond in _status(obj).get("conditions") or []
    ]


def ready(obj: Obj) -> str:
    """The Ready status as flux prints it: True, False or Unknown (False when absent)."""
    cond = condition(obj, "Ready")
    return str(cond.get("status")) if cond else "False"


def ready_message(obj: Obj) -> str:
    cond = condition(obj, "Ready")
    return cond.get("message", "") if cond else NO_READY_MESSAGE


def is_suspended(obj: Obj) -> bool:
    return bool(_spec(obj).get("suspend", False))


def is_stalled(obj: Obj) -> bool:
    cond = condition(obj, "Stalled")
    return bool(cond and cond.get("status") == "True")


def state(obj: Obj) -> str:
    """One word for counting: ready, suspended, failed or progressing."""
    return state_of(ready(obj), is_suspended(obj))


def state_of(ready_status: str, suspended: bool) -> str:
    if suspended:
        return "suspended"
    return {"True": "ready", "Unknown": "progressing"}.get(ready_status, "failed")


def ref_text(ref: Obj | None, default_namespace: str) -> str | None:
    if not ref or not ref.get("name"):
        return None
    return f"{ref.get('kind', '')}/{ref.get('namespace') or default_namespace}/{ref['name']}"


def identity(obj: Obj) -> Obj:
    meta = _meta(obj)
    return {"namespace": meta.get("namespace", ""), "name": meta.get("name", "")}


def kustomization_source(obj: Obj) -> str | None:
    return ref_text(_spec(obj).get("sourceRef"), _meta(obj).get("namespace", ""))


def helmrelease_source(obj: Obj) -> str | None:
    spec = _spec(obj)
    namespace = _meta(obj).get("namespace", "")
    chart_spec = (spec.get("chart") or {}).get("spec") or {}
    return ref_text(chart_spec.get("sourceRef") or spec.get("chartRef"), namespace)


def helm_history_head(obj: Obj) -> Obj:
    history = _status(obj).get("history") or []
    return history[0] if history else {}


def helm_chart_name(obj: Obj) -> str | None:
    chart_spec = (_spec(obj).get("chart") or {}).get("spec") or {}
    return (
        helm_history_head(obj).get("chartName")
        or chart_spec.get("chart")
        or (_spec(obj).get("chartRef") or {}).get("name")
    )


def helm_chart_version(obj: Obj) -> str | None:
    chart_spec = (_spec(obj).get("chart") or {}).get("spec") or {}
    return helm_history_head(obj).get("chartVersion") or chart_spec.get("version")


def helm_revision(obj: Obj) -> str | None:
    version = helm_history_head(obj).get("version")
    return str(version) if version is not None else None


def depends_on(obj: Obj) -> list[str]:
    namespace = _meta(obj).get("namespace", "")
    return [f"{dep.get('namespace') or namespace}/{dep.get('name')}" for dep in _spec(obj).get("dependsOn") or []]


def kustomization_summary(obj: Obj) -> Obj:
    return {
        **identity(obj),
        "ready": ready(obj),
        "status": ready_message(obj),
        "path": _spec(obj).get("path", ""),
        "revision": _status(obj).get("lastAppliedRevision", ""),
        "suspended": is_suspended(obj),
        "source": kustomization_source(obj),
    }


def helmrelease_summary(obj: Obj) -> Obj:
    return {
        **identity(obj),
        "ready": ready(obj),
        "status": ready_message(obj),
        "chart": helm_chart_name(obj),
        "version": helm_chart_version(obj),
        "revision": helm_revision(obj),
        "suspended": is_suspended(obj),
    }


def _common_detail(obj: Obj) -> Obj:
    status = _status(obj)
    ready_cond = condition(obj, "Ready") or {}
    return {
        "ready": ready(obj) == "True",
        "ready_status": ready(obj),
        "status": ready_message(obj),
        "reason": ready_cond.get("reason"),
        "suspended": is_suspended(obj),
        "stalled": is_stalled(obj),
        "conditions": conditions(obj),
        "last_attempted_revision": status.get("lastAttemptedRevision"),
        "last_reconcile_time": ready_cond.get("lastTransitionTime"),
        "last_handled_reconcile_at": status.get("lastHandledReconcileAt"),
        "interval": _spec(obj).get("interval"),
        "depends_on": depends_on(obj),
        "generation": _meta(obj).get("generation"),
        "observed_generation": status.get("observedGeneration"),
    }


def kustomization_detail(obj: Obj) -> Obj:
    status = _status(obj)
    return {
        **identity(obj),
        **_common_detail(obj),
        "path": _spec(obj).get("path", ""),
        "source": kustomization_source(obj),
        "revision": status.get("lastAppliedRevision"),
        "last_applied_revision": status.get("lastAppliedRevision"),
        "prune": _spec(obj).get("prune"),
        "target_namespace": _spec(obj).get("targetNamespace"),
        "inventory_count": len((status.get("inventory") or {}).get("entries") or []),
    }


def helmrelease_detail(obj: Obj) -> Obj:
    status = _status(obj)
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
        "target_namespace": _spec(obj).get("targetNamespace"),
    }


def artifact_revision(obj: Obj) -> str | None:
    return (_status(obj).get("artifact") or {}).get("revision")


def applied_revision(obj: Obj) -> str | None:
    """The revision a successful reconcile reports: applied (ks/hr) or fetched (sources)."""
    status = _status(obj)
    return (
        status.get("lastAppliedRevision")
        or helm_history_head(obj).get("chartVersion")
        or artifact_revision(obj)
        or status.get("lastAttemptedRevision")
    )


# Sources, image automation and any Flux object ----------------------------------------------


def kind_of(obj: Obj) -> str:
    return str(obj.get("kind") or "")


def artifact(obj: Obj) -> Obj | None:
    """The stored artifact of a source: revision, digest, size in bytes, last update time."""
    art = _status(obj).get("artifact")
    if not art:
        return None
    return {
        "revision": art.get("revision"),
        "digest": art.get("digest"),
        "size": art.get("size"),
        "last_update_time": art.get("lastUpdateTime"),
    }


def artifact_size(obj: Obj) -> int:
    size = (_status(obj).get("artifact") or {}).get("size")
    return size if isinstance(size, int) else 0


def source_url(obj: Obj) -> str | None:
    """Where a source fetches from: spec.url (Git, OCI, Helm repositories) or a Bucket's endpoint."""
    spec = _spec(obj)
    return spec.get("url") or spec.get("endpoint")


def source_ref(obj: Obj) -> Obj | None:
    """The reference a Git or OCI repository follows (branch, tag, semver, commit, digest, name); None if unset."""
    ref = {key: value for key, value in (_spec(obj).get("ref") or {}).items() if value not in (None, "")}
    return ref or None


def secret_ref_name(obj: Obj) -> str | None:
    """The NAME of the credentials Secret a source uses; never its contents."""
    return (_spec(obj).get("secretRef") or {}).get("name")


def source_summary(obj: Obj) -> Obj:
    return {
        "kind": kind_of(obj),
        **identity(obj),
        "ready": ready(obj),
        "status": ready_message(obj),
        "revision": artifact_revision(obj) or "",
        "url": source_url(obj),
        "suspended": is_suspended(obj),
    }


def source_detail(obj: Obj) -> Obj:
    spec = _spec(obj)
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
        "source": ref_text(spec.get("sourceRef"), _meta(obj).get("namespace", "")),
    }
    detail.update({key: value for key, value in extras.items() if value})
    return detail


def _image_repository_fields(obj: Obj) -> Obj:
    scan = _status(obj).get("lastScanResult") or {}
    return {"image": _spec(obj).get("image"), "last_scan": scan.get("scanTime"), "tags": scan.get("tagCount")}


def _image_policy_fields(obj: Obj) -> Obj:
    status = _status(obj)
    latest = status.get("latestRef") or {}
    image = status.get("latestImage")
    if latest.get("name"):
        image = f"{latest['name']}:{latest.get('tag', '')}" + (f"@{latest['digest']}" if latest.get("digest") else "")
    return {"image_repository": (_spec(obj).get("imageRepositoryRef") or {}).get("name"), "latest_image": image}


def _image_update_fields(obj: Obj) -> Obj:
    status = _status(obj)
    return {
        "source": ref_text(_spec(obj).get("sourceRef"), _meta(obj).get("namespace", "")),
        "last_run": status.get("lastAutomationRunTime"),
        "last_push_commit": status.get("lastPushCommit"),
    }


IMAGE_FIELDS = {
    "ImageRepository": _image_repository_fields,
    "ImagePolicy": _image_policy_fields,
    "ImageUpdateAutomation": _image_update_fields,
}


def image_summary(obj: Obj) -> Obj:
    fields = IMAGE_FIELDS.get(kind_of(obj))
    return {
        "kind": kind_of(obj),
        **identity(obj),
        "ready": ready(obj),
        "status": ready_message(obj),
        "suspended": is_suspended(obj),
        **(fields(obj) if fields else {}),
    }


def object_summary(obj: Obj) -> Obj:
    """The fields every Flux object with a status has, whatever its kind."""
    return {
        "kind": kind_of(obj),
        **identity(obj),
        "ready": ready(obj),
        "status": ready_message(obj),
        "revision": applied_revision(obj) or "",
        "suspended": is_suspended(obj),
    }
