"""The table of argument forms models write: understood (with the canonical arguments they mean) and refused.

Shared by the unit tests of the forms and the tests through every front end (CLI, both adapters, MCP).
The objects named are the demo cluster's, so every understood form can also be run.
"""

from __future__ import annotations

UNDERSTOOD: list[tuple[str, dict, dict]] = [
    # kinds as the YAML writes them, in any case, and in the flux CLI's nouns and aliases
    ("flux_reconcile", {"kind": "Kustomization", "name": "apps"}, {"kind": "kustomization", "name": "apps"}),
    ("flux_reconcile", {"kind": "ks", "name": "apps"}, {"kind": "kustomization", "name": "apps"}),
    (
        "flux_reconcile",
        {"kind": "hr", "name": "podinfo", "namespace": "apps"},
        {"kind": "helmrelease", "name": "podinfo", "namespace": "apps"},
    ),
    (
        "flux_reconcile",
        {"kind": "HELMRELEASE", "name": "apps/podinfo"},
        {"kind": "helmrelease", "name": "podinfo", "namespace": "apps"},
    ),
    ("flux_reconcile", {"kind": "git", "name": "flux-system"}, {"kind": "gitrepository", "name": "flux-system"}),
    ("flux_reconcile", {"kind": "source git", "name": "flux-system"}, {"kind": "gitrepository", "name": "flux-system"}),
    (
        "flux_reconcile",
        {"kind": "GitRepository", "name": "flux-system"},
        {"kind": "gitrepository", "name": "flux-system"},
    ),
    ("flux_reconcile", {"kind": "Source", "name": "flux-system"}, {"kind": "source", "name": "flux-system"}),
    # ids as our diagnosis prints them: Kind/namespace/name, agreeing with the tool
    (
        "flux_reconcile",
        {"name": "Kustomization/flux-system/apps"},
        {"kind": "kustomization", "name": "apps", "namespace": "flux-system"},
    ),
    (
        "flux_reconcile",
        {"kind": "source", "name": "GitRepository/flux-system/flux-system"},
        {"kind": "gitrepository", "name": "flux-system", "namespace": "flux-system"},
    ),
    (
        "flux_suspend",
        {"kind": "HelmRelease", "name": "HelmRelease/apps/podinfo", "namespace": "apps"},
        {"kind": "helmrelease", "name": "podinfo", "namespace": "apps"},
    ),
    (
        "flux_kustomization_get",
        {"name": "flux-system/broken-build"},
        {"name": "broken-build", "namespace": "flux-system"},
    ),
    (
        "flux_kustomization_get",
        {"name": "Kustomization/flux-system/broken-build"},
        {"name": "broken-build", "namespace": "flux-system"},
    ),
    ("flux_kustomization_get", {"name": "Kustomization/apps"}, {"name": "apps"}),
    ("flux_helmrelease_get", {"name": "HelmRelease/apps/podinfo"}, {"name": "podinfo", "namespace": "apps"}),
    (
        "flux_source_get",
        {"name": "GitRepository/flux-system/flux-system"},
        {"kind": "git", "name": "flux-system", "namespace": "flux-system"},
    ),
    ("flux_source_get", {"kind": "GitRepository", "name": "flux-system"}, {"kind": "git", "name": "flux-system"}),
    (
        "flux_events",
        {"name": "Kustomization/flux-system/apps", "type": "warning"},
        {"kind": "kustomization", "name": "apps", "namespace": "flux-system", "type": "Warning"},
    ),
    ("flux_export", {"kind": "Kustomization", "name": "apps"}, {"kind": "kustomization", "name": "apps"}),
    ("flux_export", {"kind": "GitRepository"}, {"kind": "source git"}),
    (
        "flux_tree",
        {"name": "Kustomization/flux-system/apps"},
        {"kind": "kustomization", "name": "apps", "namespace": "flux-system"},
    ),
    (
        "flux_trace",
        {"name": "ConfigMap/apps/app-config"},
        {"kind": "configmap", "name": "app-config", "namespace": "apps"},
    ),
    (
        "flux_trace",
        {"name": "configmap/app-config", "namespace": "apps"},
        {"kind": "configmap", "name": "app-config", "namespace": "apps"},
    ),
    # natural status, severity and level words
    ("flux_kustomization_list", {"status": "failed"}, {"status": "not_ready"}),
    ("flux_kustomization_list", {"status": "failing"}, {"status": "not_ready"}),
    ("flux_kustomization_list", {"status": "not ready"}, {"status": "not_ready"}),
    ("flux_helmrelease_list", {"status": "healthy"}, {"status": "ready"}),
    ("flux_helmrelease_list", {"status": "Ready"}, {"status": "ready"}),
    ("flux_source_list", {"kind": "HelmRepository", "status": "NOT_READY"}, {"kind": "helm", "status": "not_ready"}),
    ("flux_diagnose", {"severity": "Failing", "kind": "ks"}, {"severity": "failed", "kind": "kustomization"}),
    ("flux_logs", {"level": "ERROR"}, {"level": "error"}),
    ("flux_logs", {"level": "Info", "kind": "helm"}, {"level": "info", "kind": "helm-controller"}),
    # `flux logs --kind Kustomization --name apps`: the kind's controller, and its objects
    (
        "flux_logs",
        {"kind": "Kustomization", "name": "broken-build"},
        {"kind": "kustomize-controller", "resource_kind": "Kustomization", "name": "broken-build"},
    ),
    ("flux_logs", {"name": "Kustomization/broken-build"}, {"resource_kind": "Kustomization", "name": "broken-build"}),
    # watch: not in the schema, still accepted
    ("flux_kustomization_list", {"watch": True}, {"watch": True}),
]

REFUSED: list[tuple[str, dict, str, str]] = [
    # (tool, arguments, the field named, text the error contains)
    (
        "flux_kustomization_get",
        {"name": "team-a/apps", "namespace": "apps"},
        "namespace",
        "disagrees with name 'team-a/apps'",
    ),
    (
        "flux_kustomization_get",
        {"name": "HelmRelease/apps/podinfo"},
        "name",
        "names a HelmRelease; this tool takes a Kustomization",
    ),
    (
        "flux_helmrelease_get",
        {"name": "Kustomization/flux-system/apps", "namespace": "flux-system"},
        "name",
        "names a Kustomization",
    ),
    (
        "flux_reconcile",
        {"kind": "helmrelease", "name": "Kustomization/flux-system/apps"},
        "kind",
        "'helmrelease' disagrees",
    ),
    ("flux_tree", {"name": "HelmRelease/apps/podinfo"}, "name", "kind allows only: kustomization"),
    ("flux_kustomization_get", {"name": "ks/apps"}, "name", "could be the object 'apps' in namespace 'ks'"),
    ("flux_logs", {"name": "Kustomization/flux-system/apps"}, "name", "gives a namespace"),
    ("flux_logs", {"kind": "Kustomization", "resource_kind": "HelmRelease"}, "resource_kind", "disagrees with kind"),
    # still not Kubernetes names, still not allowed values
    ("flux_kustomization_get", {"name": "Flux-System/apps"}, "name", "is not a valid Kubernetes name"),
    (
        "flux_kustomization_get",
        {"name": "flux-system/Apps"},
        "name",
        "'flux-system/Apps' is not a valid Kubernetes name",
    ),
    ("flux_kustomization_get", {"name": "Kustomization/Flux-System/apps"}, "name", "is not a valid Kubernetes name"),
    ("flux_kustomization_get", {"name": "a/b/c/d"}, "name", "is not a valid Kubernetes name"),
    ("flux_helmrelease_get", {"name": "apps/", "namespace": "apps"}, "name", "is not a valid Kubernetes name"),
    ("flux_kustomization_get", {"name": "Kustomization/flux-system/"}, "name", "is not a valid Kubernetes name"),
    ("flux_kustomization_get", {"name": "apps; rm -rf /"}, "name", "is not a valid Kubernetes name"),
    ("flux_suspend", {"kind": "GitRepository", "name": "flux-system"}, "kind", "'kustomization' or 'helmrelease'"),
    ("flux_kustomization_list", {"status": "progressing"}, "status", "'ready', 'not_ready' or 'suspended'"),
    ("flux_logs", {"level": "warning"}, "level", "'debug', 'info' or 'error'"),
    ("flux_reconcile", {"kind": "deployment", "name": "apps"}, "kind", "Input should be"),
]
