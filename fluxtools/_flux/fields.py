"""Reading the fields of a Flux object (as `kubectl get -o json` returns it): identity, references,
Helm release history and source artifacts. No judgement and no output shape: see `conditions` and `views`."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def meta_of(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def spec_of(obj: Obj) -> Obj:
    return obj.get("spec") or {}


def status_of(obj: Obj) -> Obj:
    return obj.get("status") or {}


def kind_of(obj: Obj) -> str:
    return str(obj.get("kind") or "")


def object_id(kind: str, namespace: str, name: str) -> str:
    """`Kind/namespace/name`: how one object is named in references, findings and hints."""
    return f"{kind}/{namespace}/{name}"


def id_of(obj: Obj) -> str:
    meta = meta_of(obj)
    return object_id(kind_of(obj), meta.get("namespace", ""), meta.get("name", ""))


class OfObject:
    """Kind, name, namespace and `Kind/namespace/name` of the object a record holds in `obj`."""

    obj: Obj

    @property
    def kind(self) -> str:
        return kind_of(self.obj)

    @property
    def name(self) -> str:
        return str(meta_of(self.obj).get("name", ""))

    @property
    def namespace(self) -> str:
        return str(meta_of(self.obj).get("namespace", ""))

    @property
    def id(self) -> str:
        return id_of(self.obj)


def identity(obj: Obj) -> Obj:
    meta = meta_of(obj)
    return {"namespace": meta.get("namespace", ""), "name": meta.get("name", "")}


def ref_text(ref: Obj | None, default_namespace: str) -> str | None:
    """A reference as `Kind/namespace/name` (the referrer's namespace when unset); None without a name."""
    if not ref or not ref.get("name"):
        return None
    return object_id(ref.get("kind", ""), ref.get("namespace") or default_namespace, ref["name"])


def kustomization_source(obj: Obj) -> str | None:
    return ref_text(spec_of(obj).get("sourceRef"), meta_of(obj).get("namespace", ""))


def helmrelease_source(obj: Obj) -> str | None:
    spec = spec_of(obj)
    namespace = meta_of(obj).get("namespace", "")
    chart_spec = (spec.get("chart") or {}).get("spec") or {}
    return ref_text(chart_spec.get("sourceRef") or spec.get("chartRef"), namespace)


def helmrelease_chart(obj: Obj) -> str | None:
    """The HelmChart `flux reconcile --with-source` reconciles (with its source) for a chart template: the
    chart source's namespace, named `<namespace>-<name>`; None for a `chartRef`."""
    source = (((spec_of(obj).get("chart") or {}).get("spec") or {}).get("sourceRef")) or {}
    if not source.get("name"):
        return None
    namespace = meta_of(obj).get("namespace", "")
    return object_id("HelmChart", source.get("namespace") or namespace, f"{namespace}-{meta_of(obj).get('name', '')}")


def depends_on(obj: Obj) -> list[str]:
    namespace = meta_of(obj).get("namespace", "")
    return [f"{dep.get('namespace') or namespace}/{dep.get('name')}" for dep in spec_of(obj).get("dependsOn") or []]


def helm_history_head(obj: Obj) -> Obj:
    history = status_of(obj).get("history") or []
    return history[0] if history else {}


def helm_chart_name(obj: Obj) -> str | None:
    chart_spec = (spec_of(obj).get("chart") or {}).get("spec") or {}
    return (
        helm_history_head(obj).get("chartName")
        or chart_spec.get("chart")
        or (spec_of(obj).get("chartRef") or {}).get("name")
    )


def helm_chart_version(obj: Obj) -> str | None:
    chart_spec = (spec_of(obj).get("chart") or {}).get("spec") or {}
    return helm_history_head(obj).get("chartVersion") or chart_spec.get("version")


def helm_revision(obj: Obj) -> str | None:
    version = helm_history_head(obj).get("version")
    return str(version) if version is not None else None


def artifact_revision(obj: Obj) -> str | None:
    return (status_of(obj).get("artifact") or {}).get("revision")


def latest_image(obj: Obj) -> str | None:
    """An ImagePolicy's latest image: `name:tag`, with `@digest` when it has one (`latestImage` before v1)."""
    status = status_of(obj)
    latest = status.get("latestRef") or {}
    if latest.get("name"):
        return f"{latest['name']}:{latest.get('tag', '')}" + (f"@{latest['digest']}" if latest.get("digest") else "")
    return status.get("latestImage")


def image_revision(obj: Obj) -> str | None:
    """What reconciling an image object gave: a policy's latest image, an automation's last pushed commit."""
    return latest_image(obj) or status_of(obj).get("lastPushCommit")


def applied_revision(obj: Obj) -> str | None:
    """The revision a successful reconcile reports: applied (ks/hr) or fetched (sources)."""
    status = status_of(obj)
    return (
        status.get("lastAppliedRevision")
        or helm_history_head(obj).get("chartVersion")
        or artifact_revision(obj)
        or status.get("lastAttemptedRevision")
    )


def artifact(obj: Obj) -> Obj | None:
    """The stored artifact of a source: revision, digest, size in bytes, last update time."""
    art = status_of(obj).get("artifact")
    if not art:
        return None
    return {
        "revision": art.get("revision"),
        "digest": art.get("digest"),
        "size": art.get("size"),
        "last_update_time": art.get("lastUpdateTime"),
    }


def artifact_size(obj: Obj) -> int:
    size = (status_of(obj).get("artifact") or {}).get("size")
    return size if isinstance(size, int) else 0


def source_url(obj: Obj) -> str | None:
    """Where a source fetches from: spec.url (Git, OCI, Helm repositories) or a Bucket's endpoint."""
    spec = spec_of(obj)
    return spec.get("url") or spec.get("endpoint")


def source_ref(obj: Obj) -> Obj | None:
    """The reference a Git or OCI repository follows (branch, tag, semver, commit, digest, name); None if unset."""
    ref = {key: value for key, value in (spec_of(obj).get("ref") or {}).items() if value not in (None, "")}
    return ref or None


def secret_ref_name(obj: Obj) -> str | None:
    """The NAME of the credentials Secret a source uses; never its contents."""
    return (spec_of(obj).get("secretRef") or {}).get("name")
