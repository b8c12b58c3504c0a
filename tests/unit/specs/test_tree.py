"""flux_tree and flux_trace: argv, nesting and folding, trace blocks, unmanaged and missing objects.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import json

import pytest

from fluxtools.specs.tree import parse_trace_text
from tests.unit.specs.support import (
    CONN,
    tools,
)

# flux_tree ------------------------------------------------------------------------------------


def node(kind, namespace, name, group="", children=None):
    resource = {"Namespace": namespace, "Name": name, "GroupKind": {"Group": group, "Kind": kind}}
    return {"resource": resource, **({"resources": children} if children else {})}


SYNTHETIC_TREE = node(
    "Kustomization",
    "flux-system",
    "flux-system",
    "kustomize.toolkit.fluxcd.io",
    [
        node(
            "Kustomization",
            "flux-system",
            "infra",
            "kustomize.toolkit.fluxcd.io",
            [node("HelmRepository", "cert-manager", "cert-manager", "source.toolkit.fluxcd.io")],
        ),
        node("Namespace", "", "apps"),
        node("GitRepository", "flux-system", "flux-system", "source.toolkit.fluxcd.io"),
    ],
)


@pytest.mark.parametrize("namespace", [None, "apps"])
def test_tree_argv(namespace):
    flux, runner = tools(lambda argv: (0, json.dumps(SYNTHETIC_TREE, indent=2), ""))
    args = {"name": "flux-system", **({"namespace": namespace} if namespace else {})}
    assert flux.call("flux_tree", args)["success"]
    assert runner.calls == [
        ["flux", *CONN, "tree", "ks", "flux-system", "-n", namespace or "flux-system", "-o", "json"]
    ]


def test_tree_is_nested_with_counts():
    flux, _ = tools(lambda argv: (0, json.dumps(SYNTHETIC_TREE, indent=2), ""))
    data = flux.call("flux_tree", {"name": "flux-system"})["data"]
    assert data["tree"] == {
        "resource": "Kustomization/flux-system/flux-system",
        "children": [
            {
                "resource": "Kustomization/flux-system/infra",
                "children": [{"resource": "HelmRepository/cert-manager/cert-manager", "children": []}],
            },
            {"resource": "Namespace/apps", "children": []},
            {"resource": "GitRepository/flux-system/flux-system", "children": []},
        ],
    }
    assert data["resources"] == 4
    assert data["counts"] == {"GitRepository": 1, "HelmRepository": 1, "Kustomization": 1, "Namespace": 1}


def test_large_tree_folds_leaves_into_counts():
    many = [node("ConfigMap", "apps", f"config-{i:04d}") for i in range(400)]
    big = node("Kustomization", "flux-system", "apps", "kustomize.toolkit.fluxcd.io", many)
    flux, _ = tools(lambda argv: (0, json.dumps(big), ""))
    data = flux.call("flux_tree", {"name": "apps"})["data"]
    assert data["tree"] == {"resource": "Kustomization/flux-system/apps", "children": [], "leaves": {"ConfigMap": 400}}
    assert data["counts"] == {"ConfigMap": 400} and "folded" in data["note"]


def test_tree_of_missing_kustomization_is_not_found():
    stderr = '✗ kustomizations.kustomize.toolkit.fluxcd.io "nope" not found\n'
    flux, _ = tools(lambda argv: (1, "", stderr))
    assert flux.call("flux_tree", {"name": "nope"})["error_type"] == "NotFound"


# flux_trace -----------------------------------------------------------------------------------

SYNTHETIC_TRACE = """
Object:         deployment/podinfo
Namespace:      apps
Status:         Managed by Flux
---
HelmRelease:    podinfo
Namespace:      apps
Revision:       6.3.5
Status:         Last reconciled at 2026-01-01 00:00:00 +0000 UTC
Message:        Release reconciliation succeeded
---
HelmChart:      apps-podinfo
Namespace:      apps
Chart:          podinfo
Version:        6.3.5
Revision:       6.3.5
Status:         Last reconciled at 2026-01-01 00:00:00 +0000 UTC
Message:        packaged 'podinfo' chart with version '6.3.5'
---
HelmRepository: podinfo
Namespace:      apps
URL:            https://charts.example.invalid
Revision:       sha256:0000
Status:         Last reconciliation failed at 2026-01-01 00:00:00 +0000 UTC
Message:        failed to fetch index: first line
second line
"""


def test_trace_text_is_parsed_into_blocks():
    blocks = parse_trace_text(SYNTHETIC_TRACE)
    assert [(block["kind"], block["name"]) for block in blocks] == [
        ("deployment", "podinfo"),
        ("HelmRelease", "podinfo"),
        ("HelmChart", "apps-podinfo"),
        ("HelmRepository", "podinfo"),
    ]
    assert blocks[0] == {"kind": "deployment", "name": "podinfo", "namespace": "apps", "status": "Managed by Flux"}
    assert blocks[1]["revision"] == "6.3.5" and blocks[1]["message"] == "Release reconciliation succeeded"
    assert blocks[3]["url"] == "https://charts.example.invalid"
    assert blocks[3]["message"] == "failed to fetch index: first line\nsecond line"


@pytest.mark.parametrize("namespace", [None, "apps"])
def test_trace_argv_and_answer(namespace):
    flux, runner = tools(lambda argv: (0, SYNTHETIC_TRACE, ""))
    args = {"kind": "deployment", "name": "podinfo", **({"namespace": namespace} if namespace else {})}
    data = flux.call("flux_trace", args)["data"]
    assert runner.calls == [["flux", *CONN, "trace", "deployment", "podinfo", "-n", namespace or "flux-system"]]
    assert data["managed"] is True and len(data["chain"]) == 4 and data["object"] == "deployment/podinfo"


@pytest.mark.parametrize("exit_code", [0, 1])
def test_trace_of_unmanaged_object_is_a_clean_answer(exit_code):
    stderr = "failed to trace ConfigMap/plain in namespace apps: object not managed by Flux"
    flux, _ = tools(lambda argv: (exit_code, "", stderr))
    envelope = flux.call("flux_trace", {"kind": "configmap", "name": "plain", "namespace": "apps"})
    assert envelope["success"], envelope
    assert envelope["data"]["managed"] is False and "not managed by Flux" in envelope["data"]["message"]


@pytest.mark.parametrize("kind", ["deploy/x", "apps deployment", "", "deployment;rm", "x" * 64, "Déployment"])
def test_trace_kind_must_be_one_word(kind):
    flux, runner = tools()
    envelope = flux.call("flux_trace", {"kind": kind, "name": "x"})
    assert envelope["error_type"] == "InvalidInput" and envelope["field"] == "kind"
    assert runner.calls == []


def test_trace_kind_in_any_case_is_the_lowercase_word():
    flux, runner = tools(lambda argv: (0, "", ""))
    flux.call("flux_trace", {"kind": "Deployment", "name": "x", "namespace": "apps"})
    assert runner.calls[0][-4:] == ["deployment", "x", "-n", "apps"]


def test_trace_of_missing_object_is_not_found():
    stderr = '✗ failed to find object: deployments.apps "nope" not found\n'
    flux, _ = tools(lambda argv: (1, "", stderr))
    envelope = flux.call("flux_trace", {"kind": "deployment", "name": "nope"})
    assert envelope["error_type"] == "NotFound" and "nope" in envelope["error"]


def test_trace_with_a_broken_owner_chain_reports_the_error():
    stderr = (
        "failed to trace Deployment/web in namespace apps: failed to find GitRepository: "
        'gitrepositories.source.toolkit.fluxcd.io "gone" not found'
    )
    flux, _ = tools(lambda argv: (0, "", stderr))
    data = flux.call("flux_trace", {"kind": "deployment", "name": "web", "namespace": "apps"})["data"]
    assert data["managed"] is True and data["chain"] == [] and "gone" in data["error"]
    forbidden = (
        'failed to trace Deployment/web in namespace apps: kustomizations.x is forbidden: User "jane" cannot get'
    )
    flux, _ = tools(lambda argv: (0, "", forbidden))
    assert flux.call("flux_trace", {"kind": "deployment", "name": "web"})["error_type"] == "PermissionDenied"


def test_trace_of_an_unknown_resource_type_is_invalid_input():
    flux, _ = tools(lambda argv: (1, "", '✗ the server doesn\'t have a resource type "foo"\n'))
    envelope = flux.call("flux_trace", {"kind": "foo", "name": "x"})
    assert envelope["error_type"] == "InvalidInput" and envelope["field"] == "kind" and "'foo'" in envelope["error"]


def test_a_resourcesets_inventory_is_its_tree_synthetic():
    """Synthetic ResourceSet (flux-operator v0.58.0 api/v1 ResourceRef ids: `<namespace>_<name>_<group>_<kind>`)."""
    from fluxtools.specs.tree import inventory_tree

    obj = {
        "kind": "ResourceSet",
        "metadata": {"name": "tenants", "namespace": "ops"},
        "status": {
            "inventory": {
                "entries": [
                    {"id": "ops_lab-config__ConfigMap", "v": "v1"},
                    {"id": "_team-a__Namespace", "v": "v1"},
                    {"id": "team-a_apps_kustomize.toolkit.fluxcd.io_Kustomization", "v": "v1"},
                ]
            }
        },
    }
    tree = inventory_tree(obj)
    assert tree["resource"] == "ResourceSet/ops/tenants"
    assert [child["resource"] for child in tree["children"]] == [
        "ConfigMap/ops/lab-config",
        "Namespace/team-a",
        "Kustomization/team-a/apps",
    ]
