"""Tenancy through references: what a call reaches or shows outside the allowed namespaces (synthetic)."""

from __future__ import annotations

import json

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._policy import confine
from fluxtools.testing import ScriptedRunner
from tests.unit.model_cluster import ModelCluster, flux_object

TENANT = {"enforce_namespace": True, "namespace": "team-a"}


def tenant_cluster() -> ModelCluster:
    return ModelCluster(
        [
            flux_object(
                "HelmRelease",
                "team-a",
                "team-a-release",
                chart={
                    "spec": {
                        "chart": "podinfo",
                        "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"},
                    }
                },
            ),
            flux_object("Kustomization", "team-a", "own-source", sourceRef={"kind": "GitRepository", "name": "repo"}),
            flux_object(
                "Kustomization",
                "team-a",
                "shared-source",
                sourceRef={"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"},
            ),
        ]
    )


@pytest.mark.parametrize(("kind", "name"), [("helmrelease", "team-a-release"), ("kustomization", "shared-source")])
def test_with_source_reaching_another_namespace_is_refused_before_anything_changes(kind, name):
    cluster = tenant_cluster()
    envelope = FluxTools(FluxConfig(**TENANT), runner=cluster).call(
        "flux_reconcile", {"kind": kind, "name": name, "with_source": True}
    )
    assert envelope["error_type"] == "PolicyDenied", envelope
    assert "flux-system" in envelope["error"]
    assert [call for call in cluster.calls if call[0] == "flux"] == []


def test_with_source_inside_the_tenant_namespace_runs():
    cluster = tenant_cluster()
    envelope = FluxTools(FluxConfig(**TENANT, poll_interval_secs=0.1), runner=cluster).call(
        "flux_reconcile", {"kind": "kustomization", "name": "own-source", "with_source": True}
    )
    assert envelope["success"], envelope
    reconciles = [call for call in cluster.calls if call[:2] == ["flux", "reconcile"]]
    assert reconciles and "--with-source" in reconciles[0]


def test_without_tenancy_with_source_is_not_checked():
    cluster = tenant_cluster()
    envelope = FluxTools(FluxConfig(namespace="team-a", poll_interval_secs=0.1), runner=cluster).call(
        "flux_reconcile", {"kind": "helmrelease", "name": "team-a-release", "with_source": True}
    )
    assert envelope["success"], envelope


def flux_tree_json() -> str:
    """Synthetic `flux tree ks -o json` output: a tenant Kustomization applying into two namespaces."""

    def node(kind: str, namespace: str, name: str, children=()) -> dict:
        return {
            "resource": {"GroupKind": {"Group": "", "Kind": kind}, "Namespace": namespace, "Name": name},
            "resources": list(children),
        }

    return json.dumps(
        node(
            "Kustomization",
            "team-a",
            "apps",
            [node("Deployment", "team-a", "web"), node("ConfigMap", "flux-system", "leak"), node("Namespace", "", "t")],
        )
    )


def test_tree_output_keeps_only_allowed_namespaces():
    flux = FluxTools(FluxConfig(**TENANT), runner=ScriptedRunner(lambda argv: (0, flux_tree_json(), "")))
    envelope = flux.call("flux_tree", {"name": "apps"})
    text = json.dumps(envelope)
    assert envelope["success"] and "leak" not in text and "Deployment/team-a/web" in text
    assert "Namespace/t" in text  # cluster-scoped objects stay
    assert envelope["data"]["outside_allowed_namespaces"] == 1


def test_trace_output_keeps_only_allowed_namespaces():
    trace = (
        "Object:        deployment/web\nNamespace:     team-a\nStatus:        Managed by Flux\n---\n"
        "Kustomization: apps\nNamespace:     team-a\n---\n"
        "GitRepository: flux-system\nNamespace:     flux-system\nURL: ssh://git@example.invalid/repo\n"
    )
    flux = FluxTools(FluxConfig(**TENANT), runner=ScriptedRunner(lambda argv: (0, trace, "")))
    envelope = flux.call("flux_trace", {"kind": "deployment", "name": "web"})
    assert envelope["success"], envelope
    assert [block["kind"] for block in envelope["data"]["chain"]] == ["deployment", "Kustomization"]
    assert envelope["data"]["outside_allowed_namespaces"] == 1


def test_logs_under_tenancy_read_only_the_flux_namespace():
    runner = ScriptedRunner(lambda argv: (0, "", ""))
    flux = FluxTools(FluxConfig(**TENANT), runner=runner)
    refused = flux.call("flux_logs", {"namespace": "kube-system"})
    assert refused["error_type"] == "PolicyDenied" and runner.calls == []
    assert flux.call("flux_logs", {})["success"]
    assert runner.calls[0][runner.calls[0].index("-n") + 1] == "flux-system"


def test_confine_walks_any_depth_and_counts():
    data = {
        "findings": [
            {"object": "Kustomization/team-a/a", "blocked_by": ["GitRepository/flux-system/x"]},
            {"object": "GitRepository/flux-system/x"},
        ],
        "nested": {"items": [{"namespace": "team-b", "name": "b"}, {"namespace": "team-a", "name": "a"}]},
    }
    confined = confine(data, ("team-a",))
    assert [f["object"] for f in confined["findings"]] == ["Kustomization/team-a/a"]
    assert confined["nested"]["items"] == [{"namespace": "team-a", "name": "a"}]
    assert confined["outside_allowed_namespaces"] == 2
    assert "outside_allowed_namespaces" not in confine({"items": [{"namespace": "team-a"}]}, ("team-a",))


def test_a_tenant_with_several_namespaces_is_diagnosed_in_each_of_them():
    runner = ScriptedRunner(lambda argv: (0, '{"items": []}', ""))
    flux = FluxTools(FluxConfig(**TENANT, allowed_namespaces=["team-a", "team-b"]), runner=runner)
    envelope = flux.call("flux_diagnose", {})
    assert envelope["success"], envelope
    read = {call[call.index("-n") + 1] for call in runner.calls if "-n" in call}
    assert read == {"team-a", "team-b"}


def test_confine_drops_object_ids_outside_the_allowed_namespaces():
    data = {
        "causes": [
            {
                "objects": ["Kustomization/team-a/a", "Kustomization/team-b/b", "Namespace/team-b"],
                "blocks": {"count": 2, "objects": ["HelmRelease/team-b/web", "HelmRelease/team-a/api"]},
            }
        ],
        "depends_on": ["team-a/infra", "flux-system/base"],
    }
    confined = confine(data, ("team-a",))
    assert confined["causes"][0]["objects"] == ["Kustomization/team-a/a", "Namespace/team-b"]  # cluster-scoped stays
    assert confined["causes"][0]["blocks"]["objects"] == ["HelmRelease/team-a/api"]
    assert confined["depends_on"] == ["team-a/infra"]
    assert confined["outside_allowed_namespaces"] == 3


def test_a_kustomizations_dependencies_outside_the_tenant_are_not_shown():
    obj = flux_object("Kustomization", "team-a", "apps", path="./apps")
    obj["spec"]["dependsOn"] = [{"name": "infra"}, {"name": "base", "namespace": "flux-system"}]
    flux = FluxTools(FluxConfig(**TENANT), runner=ScriptedRunner(lambda argv: (0, json.dumps(obj), "")))
    envelope = flux.call("flux_kustomization_get", {"name": "apps"})
    assert envelope["success"], envelope
    assert envelope["data"]["depends_on"] == ["team-a/infra"]
    assert envelope["data"]["outside_allowed_namespaces"] == 1


SYNTHETIC_CONTROLLER_LOG = (
    "\n".join(
        json.dumps({"level": "info", "ts": f"2026-01-01T00:00:0{i}Z", "msg": "m", **where})
        for i, where in enumerate(
            [
                {"Kustomization": {"name": "a", "namespace": "team-a"}, "name": "a", "namespace": "team-a"},
                {"Kustomization": {"name": "b", "namespace": "team-b"}, "name": "b", "namespace": "team-b"},
                {},
            ]
        )
    )
    + "\nplain text line\n"
)


def test_controller_logs_under_tenancy_keep_only_lines_about_allowed_namespaces():
    """Synthetic controller log: lines about team-a, team-b, no object, and a line that is no entry."""
    runner = ScriptedRunner(lambda argv: (0, SYNTHETIC_CONTROLLER_LOG, ""))
    open_logs = FluxTools(FluxConfig(), runner=runner).call("flux_logs", {})["data"]
    assert open_logs["lines"] == 4
    data = FluxTools(FluxConfig(**TENANT), runner=runner).call("flux_logs", {})["data"]
    assert data["lines"] == 1 and "a.team-a" in data["logs"] and "team-b" not in data["logs"]
    assert data["outside_allowed_namespaces"] == 3
