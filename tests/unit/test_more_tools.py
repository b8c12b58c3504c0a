"""The tools beyond the seed eight: argv, parsing of named synthetic inputs, missing CRDs, degradation.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import json

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools.errors import NotInstalled
from fluxtools.kinds import SOURCE_KINDS
from fluxtools.specs import ALL_SPECS, REGISTRY, SEED_SPECS, Operation
from fluxtools.specs.tree import parse_trace_text
from fluxtools.testing import ScriptedRunner

CONN = ["--kubeconfig", "/k/config", "--context", "prod"]
GIT = "gitrepositories.source.toolkit.fluxcd.io"
OCI = "ocirepositories.source.toolkit.fluxcd.io"
BUCKET = "buckets.source.toolkit.fluxcd.io"
HELMREPO = "helmrepositories.source.toolkit.fluxcd.io"
CHART = "helmcharts.source.toolkit.fluxcd.io"
KS = "kustomizations.kustomize.toolkit.fluxcd.io"
HR = "helmreleases.helm.toolkit.fluxcd.io"
SOURCES = ",".join([GIT, OCI, BUCKET, HELMREPO, CHART])
IMAGES = "imagerepositories.image.toolkit.fluxcd.io,imagepolicies.image.toolkit.fluxcd.io," + (
    "imageupdateautomations.image.toolkit.fluxcd.io"
)
NEW_TOOLS = [
    "flux_source_list",
    "flux_source_get",
    "flux_image_list",
    "flux_get_all",
    "flux_stats",
    "flux_events",
    "flux_tree",
    "flux_trace",
    "flux_export",
    "flux_check",
]
NO_RESOURCE_TYPE = 'error: the server doesn\'t have a resource type "{}"'


def tools(reply=None, **config):
    runner = ScriptedRunner(reply or (lambda argv: (0, json.dumps({"items": []}), "")))
    cfg = FluxConfig(kubeconfig="/k/config", context="prod", **config)
    return FluxTools(cfg, runner=runner), runner


def items(*objs):
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": list(objs)})


def synthetic_object(kind, name, namespace="flux-system", ready="True", suspend=False, **extra):
    obj = {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace, "generation": 1},
        "spec": {"interval": "10m", **({"suspend": True} if suspend else {}), **extra.pop("spec", {})},
        "status": {
            "conditions": [{"type": "Ready", "status": ready, "reason": "Succeeded", "message": f"{name} {ready}"}],
            **extra.pop("status", {}),
        },
    }
    return obj


SYNTHETIC_GIT = synthetic_object(
    "GitRepository",
    "podinfo",
    spec={
        "url": "https://synthetic-user:synthetic-pass@git.example.invalid/podinfo.git",
        "ref": {"branch": "main", "tag": ""},
        "secretRef": {"name": "podinfo-auth"},
    },
    status={
        "artifact": {
            "revision": "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
            "digest": "sha256:0000",
            "size": 2048,
            "lastUpdateTime": "2026-01-01T00:00:00Z",
            "url": "http://source-controller/gitrepository/flux-system/podinfo/696f056d.tar.gz",
        }
    },
)
SYNTHETIC_HELMREPO = synthetic_object(
    "HelmRepository", "charts", ready="False", spec={"url": "https://charts.example.invalid"}
)
SYNTHETIC_CHART = synthetic_object(
    "HelmChart",
    "apps-podinfo",
    namespace="apps",
    suspend=True,
    spec={"chart": "podinfo", "version": "6.x", "sourceRef": {"kind": "HelmRepository", "name": "charts"}},
    status={"artifact": {"revision": "6.3.5", "size": 1000}},
)
SYNTHETIC_BUCKET = synthetic_object(
    "Bucket", "assets", ready="Unknown", spec={"endpoint": "minio.example.invalid", "bucketName": "assets"}
)


# the spec table ---------------------------------------------------------------------------------


def test_new_tools_follow_the_seed_in_the_table():
    names = [spec.name for spec in ALL_SPECS]
    assert len(SEED_SPECS) == 8 and names[:8] == [spec.name for spec in SEED_SPECS]
    assert all(name in names[8:] for name in NEW_TOOLS)
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", NEW_TOOLS)
def test_new_tools_are_read_only_reads(name):
    spec = REGISTRY[name]
    assert spec.operation in (Operation.LIST, Operation.GET) and spec.default_timeout == 30
    assert spec.mutating is False and spec.idempotent is True
    schema = spec.json_schema()
    assert schema["additionalProperties"] is False
    assert all("anyOf" not in prop and "const" not in prop for prop in schema["properties"].values())
    assert 40 < len(spec.description) < 400


# flux_source_list / flux_source_get ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "resource"),
    [("all", SOURCES), ("git", GIT), ("helm", HELMREPO), ("oci", OCI), ("bucket", BUCKET), ("chart", CHART)],
)
@pytest.mark.parametrize(
    ("scope_args", "scope"),
    [({}, ["-A"]), ({"namespace": "apps"}, ["-n", "apps"]), ({"all_namespaces": False}, ["-n", "flux-system"])],
)
def test_source_list_argv(kind, resource, scope_args, scope):
    flux, runner = tools()
    args = {**scope_args, **({"kind": kind} if kind != "all" else {})}
    assert flux.call("flux_source_list", args)["success"]
    assert runner.calls == [["kubectl", *CONN, "get", resource, *scope, "-o", "json"]]


def test_source_list_items_counts_and_kinds():
    reply = items(SYNTHETIC_GIT, SYNTHETIC_HELMREPO, SYNTHETIC_CHART, SYNTHETIC_BUCKET)
    flux, _ = tools(lambda argv: (0, reply, ""))
    data = flux.call("flux_source_list")["data"]
    assert data["total"] == 4 and data["matched"] == 4
    assert data["counts"] == {"failed": 1, "progressing": 1, "ready": 1, "suspended": 1}
    assert data["by_kind"]["GitRepository"] == {"total": 1, "ready": 1}
    assert [item["kind"] for item in data["sources"]] == ["GitRepository", "Bucket", "HelmRepository", "HelmChart"]
    git = data["sources"][0]
    assert git == {
        "kind": "GitRepository",
        "namespace": "flux-system",
        "name": "podinfo",
        "ready": "True",
        "status": "podinfo True",
        "revision": "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
        "url": "https://***@git.example.invalid/podinfo.git",
        "suspended": False,
    }
    assert data["sources"][1]["url"] == "minio.example.invalid"
    assert data["sources"][3]["url"] is None and data["sources"][3]["revision"] == "6.3.5"


def test_source_list_filters_and_pages():
    reply = items(SYNTHETIC_GIT, SYNTHETIC_HELMREPO, SYNTHETIC_CHART, SYNTHETIC_BUCKET)
    flux, _ = tools(lambda argv: (0, reply, ""))
    data = flux.call("flux_source_list", {"status": "not_ready"})["data"]
    assert [item["name"] for item in data["sources"]] == ["assets", "charts"] and data["total"] == 4
    data = flux.call("flux_source_list", {"limit": 1, "name_contains": "a"})["data"]
    assert data["matched"] == 3 and data["continue"] == "1" and len(data["sources"]) == 1


@pytest.mark.parametrize("kind", ["git", "helm", "oci", "bucket", "chart"])
@pytest.mark.parametrize("namespace", [None, "apps"])
def test_source_get_argv(kind, namespace):
    resource = {source.cli_noun[1]: source.resource for source in SOURCE_KINDS}[kind]
    flux, runner = tools(lambda argv: (0, json.dumps(SYNTHETIC_GIT), ""))
    args = {"kind": kind, "name": "podinfo", **({"namespace": namespace} if namespace else {})}
    assert flux.call("flux_source_get", args)["success"]
    assert runner.calls == [
        ["kubectl", *CONN, "get", resource, "podinfo", "-n", namespace or "flux-system", "-o", "json"]
    ]


def test_source_get_detail_names_the_secret_only():
    flux, _ = tools(lambda argv: (0, json.dumps(SYNTHETIC_GIT), ""))
    data = flux.call("flux_source_get", {"kind": "git", "name": "podinfo"})["data"]
    assert data["url"] == "https://***@git.example.invalid/podinfo.git"
    assert data["ref"] == {"branch": "main"}
    assert data["interval"] == "10m" and data["ready"] is True and data["suspended"] is False
    assert data["artifact"] == {
        "revision": "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
        "digest": "sha256:0000",
        "size": 2048,
        "last_update_time": "2026-01-01T00:00:00Z",
    }
    assert data["secret_ref"] == "podinfo-auth"
    assert data["conditions"][0]["type"] == "Ready"
    assert "synthetic-pass" not in json.dumps(data)


def test_source_get_chart_fields_and_not_found():
    flux, _ = tools(lambda argv: (0, json.dumps(SYNTHETIC_CHART), ""))
    data = flux.call("flux_source_get", {"kind": "chart", "name": "apps-podinfo", "namespace": "apps"})["data"]
    assert data["chart"] == "podinfo" and data["source"] == "HelmRepository/apps/charts" and data["url"] is None
    missing = 'Error from server (NotFound): gitrepositories.source.toolkit.fluxcd.io "nope" not found'
    flux, _ = tools(lambda argv: (1, "", missing))
    envelope = flux.call("flux_source_get", {"kind": "git", "name": "nope"})
    assert envelope["error_type"] == "NotFound" and envelope["error"] == (
        "GitRepository 'nope' not found in namespace 'flux-system'"
    )


def test_source_list_per_allowed_namespace_under_enforcement():
    flux, runner = tools(
        lambda argv: (0, items(), ""), enforce_namespace=True, namespace="team-a", allowed_namespaces=["team-a", "b"]
    )
    assert flux.call("flux_source_list")["data"]["total"] == 0
    assert sorted(call[-3] for call in runner.calls) == ["b", "team-a"]
    assert flux.call("flux_source_list", {"namespace": "c"})["error_type"] == "PolicyDenied"


# flux_image_list ------------------------------------------------------------------------------

SYNTHETIC_IMAGE_REPO = {
    "kind": "ImageRepository",
    "metadata": {"name": "podinfo", "namespace": "flux-system"},
    "spec": {"image": "ghcr.io/example/podinfo"},
    "status": {
        "conditions": [{"type": "Ready", "status": "True", "message": "successful scan: found 12 tags"}],
        "lastScanResult": {"scanTime": "2026-01-01T00:00:00Z", "tagCount": 12},
    },
}
SYNTHETIC_IMAGE_POLICY = {
    "kind": "ImagePolicy",
    "metadata": {"name": "podinfo", "namespace": "flux-system"},
    "spec": {"imageRepositoryRef": {"name": "podinfo"}},
    "status": {
        "conditions": [{"type": "Ready", "status": "True", "message": "Latest image tag resolved to 6.3.5"}],
        "latestRef": {"name": "ghcr.io/example/podinfo", "tag": "6.3.5"},
    },
}


@pytest.mark.parametrize(
    ("kind", "resource"),
    [
        ("all", IMAGES),
        ("repository", "imagerepositories.image.toolkit.fluxcd.io"),
        ("policy", "imagepolicies.image.toolkit.fluxcd.io"),
        ("update", "imageupdateautomations.image.toolkit.fluxcd.io"),
    ],
)
def test_image_list_argv_and_fields(kind, resource):
    flux, runner = tools(lambda argv: (0, items(SYNTHETIC_IMAGE_REPO, SYNTHETIC_IMAGE_POLICY), ""))
    data = flux.call("flux_image_list", {"kind": kind} if kind != "all" else {})["data"]
    assert runner.calls == [["kubectl", *CONN, "get", resource, "-A", "-o", "json"]]
    assert data["installed"] is True and data["total"] == 2
    repo, policy = sorted(data["images"], key=lambda item: item["kind"], reverse=True)
    assert repo["image"] == "ghcr.io/example/podinfo" and repo["tags"] == 12
    assert policy["latest_image"] == "ghcr.io/example/podinfo:6.3.5" and policy["image_repository"] == "podinfo"


def test_image_list_without_image_crds_is_a_clean_answer():
    def reply(argv):
        return (1, "", NO_RESOURCE_TYPE.format(argv[argv.index("get") + 1].split(".")[0]))

    flux, runner = tools(reply)
    envelope = flux.call("flux_image_list")
    assert envelope["success"]
    data = envelope["data"]
    assert data["installed"] is False and data["total"] == 0 and data["images"] == []
    assert "not installed" in data["notes"][0] and "Flux not installed" not in data["notes"][0]
    assert len(runner.calls) == 4  # the joint call, then each kind once


def test_image_list_with_only_the_reflector_installed():
    def reply(argv):
        if "imageupdateautomations" in argv[argv.index("get") + 1]:
            return (1, "", NO_RESOURCE_TYPE.format("imageupdateautomations"))
        if "," in argv[argv.index("get") + 1]:
            return (1, "", NO_RESOURCE_TYPE.format("imageupdateautomations"))
        if "imagerepositories" in argv[argv.index("get") + 1]:
            return (0, items(SYNTHETIC_IMAGE_REPO), "")
        return (0, items(), "")

    flux, _ = tools(reply)
    data = flux.call("flux_image_list")["data"]
    assert data["installed"] is True and data["total"] == 1
    assert data["notes"] == ["Not installed in this cluster (no CRD), skipped: ImageUpdateAutomation."]


# flux_get_all / flux_stats -----------------------------------------------------------------------

SYNTHETIC_KS = {
    "kind": "Kustomization",
    "metadata": {"name": "apps", "namespace": "flux-system"},
    "spec": {"path": "./apps"},
    "status": {
        "conditions": [{"type": "Ready", "status": "False", "message": "kustomize build failed"}],
        "lastAppliedRevision": "main@sha1:1111",
    },
}
SYNTHETIC_HR = {
    "kind": "HelmRelease",
    "metadata": {"name": "podinfo", "namespace": "apps"},
    "spec": {"suspend": True},
    "status": {
        "conditions": [{"type": "Ready", "status": "True", "message": "Helm install succeeded"}],
        "history": [{"chartName": "podinfo", "chartVersion": "6.3.5", "version": 1}],
    },
}
EVERYTHING = [SYNTHETIC_KS, SYNTHETIC_HR, SYNTHETIC_GIT, SYNTHETIC_HELMREPO, SYNTHETIC_CHART, SYNTHETIC_BUCKET]


@pytest.mark.parametrize("tool", ["flux_get_all", "flux_stats"])
@pytest.mark.parametrize(("scope_args", "scope"), [({}, ["-A"]), ({"namespace": "apps"}, ["-n", "apps"])])
def test_get_all_and_stats_argv(tool, scope_args, scope):
    flux, runner = tools()
    assert flux.call(tool, scope_args)["success"]
    assert runner.calls == [["kubectl", *CONN, "get", f"{SOURCES},{KS},{HR}", *scope, "-o", "json"]]


def test_get_all_groups_by_kind_with_counts():
    flux, _ = tools(lambda argv: (0, items(*EVERYTHING), ""))
    data = flux.call("flux_get_all")["data"]
    kinds = [item["kind"] for item in data["objects"]]
    assert kinds == ["GitRepository", "Bucket", "HelmRepository", "HelmChart", "Kustomization", "HelmRelease"]
    assert data["total"] == 6
    assert data["counts"] == {"failed": 2, "progressing": 1, "ready": 1, "suspended": 2}
    assert data["by_kind"]["Kustomization"] == {"total": 1, "failed": 1}
    assert data["by_kind"]["HelmRelease"] == {"total": 1, "suspended": 1}
    hr = data["objects"][-1]
    assert hr["revision"] == "6.3.5" and hr["suspended"] is True and hr["ready"] == "True"
    failing = flux.call("flux_get_all", {"status": "not_ready", "fresh": True})["data"]
    assert [item["name"] for item in failing["objects"]] == ["assets", "charts", "apps"]


def test_get_all_skips_kinds_whose_crd_is_missing():
    def reply(argv):
        resource = argv[argv.index("get") + 1]
        if "helmreleases" in resource:
            return (1, "", NO_RESOURCE_TYPE.format("helmreleases"))
        return (0, items(SYNTHETIC_KS) if resource == KS else items(), "")

    flux, runner = tools(reply)
    data = flux.call("flux_get_all")["data"]
    assert data["total"] == 1 and data["notes"] == ["Not installed in this cluster (no CRD), skipped: HelmRelease."]
    assert len(runner.calls) == 8


def test_get_all_without_flux_is_flux_not_initialized():
    flux, _ = tools(lambda argv: (1, "", NO_RESOURCE_TYPE.format("x")))
    assert flux.call("flux_get_all")["error_type"] == "FluxNotInitialized"


def test_stats_counts_and_storage():
    flux, _ = tools(lambda argv: (0, items(*EVERYTHING), ""))
    data = flux.call("flux_stats")["data"]
    assert data["by_kind"]["GitRepository"] == {
        "total": 1,
        "ready": 1,
        "failing": 0,
        "suspended": 0,
        "progressing": 0,
        "storage_bytes": 2048,
    }
    assert data["by_kind"]["OCIRepository"]["total"] == 0
    assert "storage_bytes" not in data["by_kind"]["Kustomization"]
    assert data["totals"] == {"total": 6, "ready": 1, "failing": 2, "suspended": 2, "progressing": 1}
    assert data["storage_bytes"] == 3048 and data["storage"] == "3.0 KiB"


# flux_events ------------------------------------------------------------------------------------


def synthetic_event(kind, name, type_, when, message, api="kustomize.toolkit.fluxcd.io/v1", **extra):
    return {
        "kind": "Event",
        "metadata": {"name": f"{name}.1", "namespace": "flux-system"},
        "involvedObject": {"kind": kind, "name": name, "namespace": "flux-system", "apiVersion": api},
        "type": type_,
        "reason": "ReconciliationSucceeded" if type_ == "Normal" else "BuildFailed",
        "message": message,
        "lastTimestamp": when,
        **extra,
    }


SYNTHETIC_EVENTS = [
    synthetic_event("Kustomization", "apps", "Normal", "2026-01-01T00:03:00Z", "applied", count=3),
    synthetic_event("Kustomization", "apps", "Warning", "2026-01-01T00:01:00Z", "old failure"),
    synthetic_event("Pod", "web-1", "Warning", "2026-01-01T00:04:00Z", "not flux", api="v1"),
    synthetic_event("Kustomization", "infra", "Warning", "2026-01-01T00:02:00Z", "new failure"),
    synthetic_event(
        "GitRepository",
        "repo",
        "Normal",
        None,
        "stored artifact",
        api="source.toolkit.fluxcd.io/v1",
        series={"count": 7, "lastObservedTime": "2026-01-01T00:05:00.000000Z"},
    ),
]


@pytest.mark.parametrize(
    ("args", "tail"),
    [
        ({}, ["-n", "flux-system", "-o", "json"]),
        ({"all_namespaces": True}, ["-A", "-o", "json"]),
        ({"namespace": "apps", "type": "Warning"}, ["-n", "apps", "--field-selector", "type=Warning", "-o", "json"]),
        (
            {"kind": "kustomization", "name": "apps", "related": False},
            [
                "-n",
                "flux-system",
                "--field-selector",
                "involvedObject.kind=Kustomization,involvedObject.name=apps",
                "-o",
                "json",
            ],
        ),
        (
            {"kind": "imagepolicy", "all_namespaces": True, "type": "Normal"},
            ["-A", "--field-selector", "involvedObject.kind=ImagePolicy,type=Normal", "-o", "json"],
        ),
    ],
)
def test_events_argv(args, tail):
    flux, runner = tools()
    assert flux.call("flux_events", args)["success"]
    assert runner.calls == [["kubectl", *CONN, "get", "events", *tail]]


def test_events_flux_only_warnings_first_then_newest():
    flux, _ = tools(lambda argv: (0, items(*SYNTHETIC_EVENTS), ""))
    data = flux.call("flux_events")["data"]
    assert [event["message"] for event in data["events"]] == [
        "new failure",
        "old failure",
        "stored artifact",
        "applied",
    ]
    assert data["total"] == 4 and data["counts"] == {"Normal": 2, "Warning": 2}
    assert data["events"][0] == {
        "type": "Warning",
        "reason": "BuildFailed",
        "object": "Kustomization/infra",
        "namespace": "flux-system",
        "message": "new failure",
        "count": 1,
        "last_seen": "2026-01-01T00:02:00Z",
    }
    assert data["events"][2]["count"] == 7 and data["events"][3]["count"] == 3
    limited = flux.call("flux_events", {"limit": 1, "fresh": True})["data"]
    assert len(limited["events"]) == 1 and limited["total"] == 4 and "Showing 1 of 4" in limited["note"]


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


@pytest.mark.parametrize("kind", ["Deployment", "deploy/x", "apps deployment", "", "deployment;rm", "x" * 64])
def test_trace_kind_must_be_one_lowercase_word(kind):
    flux, runner = tools()
    envelope = flux.call("flux_trace", {"kind": kind, "name": "x"})
    assert envelope["error_type"] == "InvalidInput" and envelope["field"] == "kind"
    assert runner.calls == []


def test_trace_of_missing_object_is_not_found():
    stderr = '✗ failed to find object: deployments.apps "nope" not found\n'
    flux, _ = tools(lambda argv: (1, "", stderr))
    envelope = flux.call("flux_trace", {"kind": "deployment", "name": "nope"})
    assert envelope["error_type"] == "NotFound" and "nope" in envelope["error"]


# flux_export ----------------------------------------------------------------------------------

SYNTHETIC_EXPORT = """---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  secretRef:
    name: podinfo-auth
  url: https://git.example.invalid/podinfo.git
---
apiVersion: v1
kind: Secret
metadata:
  name: podinfo-auth
  namespace: flux-system
stringData:
  password: synthetic-password
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: other
  namespace: flux-system
spec:
  interval: 1m
  url: https://git.example.invalid/other.git
"""


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("kustomization", ["kustomization"]),
        ("helmrelease", ["helmrelease"]),
        ("source git", ["source", "git"]),
        ("source chart", ["source", "chart"]),
        ("image update", ["image", "update"]),
    ],
)
@pytest.mark.parametrize("name", [None, "podinfo"])
def test_export_argv_never_asks_for_credentials(kind, words, name):
    flux, runner = tools(lambda argv: (0, "", ""))
    args = {"kind": kind, **({"name": name} if name else {})}
    assert flux.call("flux_export", args)["success"]
    selection = [name] if name else ["--all"]
    assert runner.calls == [["flux", *CONN, "export", *words, *selection, "-n", "flux-system"]]
    assert not any("credentials" in part for part in runner.calls[0])


def test_export_drops_secrets_and_counts_objects():
    flux, _ = tools(lambda argv: (0, SYNTHETIC_EXPORT, ""))
    data = flux.call("flux_export", {"kind": "source git"})["data"]
    assert data["objects"] == 2 and "Dropped 1 Secret" in data["note"]
    assert "synthetic-password" not in data["yaml"] and "kind: Secret" not in data["yaml"]
    assert data["yaml"].count("---\n") == 2 and data["yaml"].startswith("---\napiVersion:")


def test_export_all_of_nothing_is_empty():
    flux, _ = tools(lambda argv: (1, "", "✗ no objects found in team-a namespace\n"))
    data = flux.call("flux_export", {"kind": "helmrelease", "namespace": "team-a"})["data"]
    assert data == {"kind": "helmrelease", "namespace": "team-a", "yaml": "", "objects": 0}


def test_export_of_missing_object_is_not_found():
    flux, _ = tools(lambda argv: (1, "", '✗ helmreleases.helm.toolkit.fluxcd.io "nope" not found\n'))
    envelope = flux.call("flux_export", {"kind": "helmrelease", "name": "nope"})
    assert envelope["error_type"] == "NotFound" and envelope["error"].startswith("HelmRelease 'nope'")


# flux_check -----------------------------------------------------------------------------------

SYNTHETIC_CHECK_PRE = "► checking prerequisites\n✔ Kubernetes 1.36.3 >=1.33.0-0\n✔ prerequisites checks passed\n"
SYNTHETIC_CHECK = """► checking prerequisites
✗ flux 2.9.4 <2.10.0 (new CLI version is available, please upgrade)
✔ Kubernetes 1.36.3 >=1.33.0-0
► checking version in cluster
✔ distribution: flux-v2.9.4
✔ bootstrapped: false
► checking controllers
✔ helm-controller: deployment ready
► ghcr.io/fluxcd/helm-controller:v1.6.3
✗ source-controller: deployment not ready
► ghcr.io/fluxcd/source-controller:v1.9.4
► checking crds
✔ gitrepositories.source.toolkit.fluxcd.io/v1
✔ kustomizations.kustomize.toolkit.fluxcd.io/v1
✗ check failed
"""
SYNTHETIC_CHECK_NO_FLUX = """► checking prerequisites
✔ Kubernetes 1.36.3 >=1.33.0-0
► checking version in cluster
✗ checking failed: customresourcedefinitions.apiextensions.k8s.io "gitrepositories.source.toolkit.fluxcd.io" not found
► checking controllers
✗ no controllers found in the 'flux-system' namespace with the label selector 'app.kubernetes.io/part-of=flux'
► checking crds
✗ no crds found with the label selector 'app.kubernetes.io/part-of=flux'
✗ check failed
"""


@pytest.mark.parametrize(
    ("args", "flags"),
    [
        ({}, ["-n", "flux-system", "--timeout=25s"]),
        ({"pre": True}, ["--pre", "-n", "flux-system", "--timeout=25s"]),
        ({"namespace": "flux"}, ["-n", "flux", "--timeout=25s"]),
    ],
)
def test_check_argv(args, flags):
    flux, runner = tools(lambda argv: (0, "", SYNTHETIC_CHECK_PRE))
    assert flux.call("flux_check", args)["success"]
    assert runner.calls[0] == ["flux", *CONN, "check", *flags]


def test_check_pre_passes():
    flux, _ = tools(lambda argv: (0, "", SYNTHETIC_CHECK_PRE))
    data = flux.call("flux_check", {"pre": True})["data"]
    assert data["passed"] is True and data["kubernetes_version"] == "1.36.3" and data["problems"] == []
    assert data["checked_with"] == "flux check" and "warnings" not in data


def test_check_report_sections():
    flux, runner = tools(lambda argv: (1, "", SYNTHETIC_CHECK))
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False
    assert data["distribution"] == "flux-v2.9.4" and data["bootstrapped"] is False
    assert data["controllers"] == [
        {
            "name": "helm-controller",
            "ready": True,
            "status": "deployment ready",
            "images": ["ghcr.io/fluxcd/helm-controller:v1.6.3"],
        },
        {
            "name": "source-controller",
            "ready": False,
            "status": "deployment not ready",
            "images": ["ghcr.io/fluxcd/source-controller:v1.9.4"],
        },
    ]
    assert data["crds"] == [
        {"name": "gitrepositories.source.toolkit.fluxcd.io", "version": "v1"},
        {"name": "kustomizations.kustomize.toolkit.fluxcd.io", "version": "v1"},
    ]
    assert data["problems"] == ["source-controller: deployment not ready"]
    assert data["warnings"] == ["flux 2.9.4 <2.10.0 (new CLI version is available, please upgrade)"]
    assert len(runner.calls) == 1


def test_check_unreachable_cluster_is_an_error():
    stderr = (
        '► checking prerequisites\n✗ Kubernetes API call failed: Get "https://127.0.0.1:6443/version": '
        "dial tcp 127.0.0.1:6443: connect: connection refused\n"
    )
    flux, _ = tools(lambda argv: (1, "", stderr))
    assert flux.call("flux_check", {"pre": True})["error_type"] == "ClusterUnreachable"


SYNTHETIC_V1_DEPLOYMENTS = "flux/flux\tdocker.io/fluxcd/flux:1.25.4\nflux/memcached\tmemcached:1.6\n"


def test_check_recognizes_flux_v1():
    def reply(argv):
        if "check" in argv:
            return (1, "", SYNTHETIC_CHECK_NO_FLUX)
        if argv[-1] == "name":
            return (0, "customresourcedefinition.apiextensions.k8s.io/helmreleases.helm.fluxcd.io\n", "")
        return (0, SYNTHETIC_V1_DEPLOYMENTS, "")

    flux, runner = tools(reply)
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False
    assert data["flux_v1"] == [
        "CRD helmreleases.helm.fluxcd.io",
        "Deployment flux/flux running docker.io/fluxcd/flux:1.25.4",
    ]
    assert "Flux v1 detected" in data["problems"][-1] and "not supported" in data["problems"][-1]
    assert runner.calls[1] == ["kubectl", *CONN, "get", "crd", "-o", "name"]


def test_check_without_flux_v2_or_v1():
    def reply(argv):
        return (1, "", SYNTHETIC_CHECK_NO_FLUX) if "check" in argv else (0, "", "")

    flux, _ = tools(reply)
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False and "flux_v1" not in data and len(data["problems"]) == 3


SYNTHETIC_VERSION = {"clientVersion": {"gitVersion": "v1.36.3"}, "serverVersion": {"gitVersion": "v1.36.3"}}
SYNTHETIC_CRD = {
    "metadata": {
        "name": "gitrepositories.source.toolkit.fluxcd.io",
        "labels": {"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/version": "v2.9.4"},
    },
    "status": {"storedVersions": ["v1beta2", "v1"]},
}


def synthetic_deployment(name, ready=1, image_tag="v1.9.4"):
    return {
        "metadata": {"name": name, "namespace": "flux-system", "generation": 2},
        "spec": {
            "replicas": 1,
            "template": {"spec": {"containers": [{"name": "manager", "image": f"ghcr.io/fluxcd/{name}:{image_tag}"}]}},
        },
        "status": {"observedGeneration": 2, "updatedReplicas": 1, "readyReplicas": ready, "availableReplicas": ready},
    }


def degraded_reply(version=SYNTHETIC_VERSION, crds=(SYNTHETIC_CRD,), deployments=None):
    deployments = (
        [synthetic_deployment("source-controller"), synthetic_deployment("helm-controller", ready=0)]
        if deployments is None
        else deployments
    )

    def reply(argv):
        if argv[0] == "flux":
            raise NotInstalled("flux")
        if "version" in argv:
            return (0, json.dumps(version), "")
        if argv[-1] == "name":
            return (0, "", "")
        if "crd" in argv:
            return (0, items(*crds), "")
        if "jsonpath" in argv[-1]:
            return (0, "", "")
        return (0, items(*deployments), "")

    return reply


def test_check_degrades_to_kubectl_without_the_flux_cli():
    flux, runner = tools(degraded_reply())
    data = flux.call("flux_check")["data"]
    assert data["checked_with"] == "kubectl" and "flux CLI is not installed" in data["notes"][0]
    assert data["kubernetes_version"] == "1.36.3" and data["distribution"] == "flux-v2.9.4"
    assert data["crds"] == [{"name": "gitrepositories.source.toolkit.fluxcd.io", "version": "v1"}]
    assert [(c["name"], c["ready"]) for c in data["controllers"]] == [
        ("source-controller", True),
        ("helm-controller", False),
    ]
    assert data["controllers"][0]["images"] == ["ghcr.io/fluxcd/source-controller:v1.9.4"]
    assert data["passed"] is False and data["problems"] == ["helm-controller: deployment not ready (readyReplicas 0/1)"]
    assert runner.calls[1:] == [
        ["kubectl", *CONN, "version", "-o", "json"],
        ["kubectl", *CONN, "get", "crd", "-l", "app.kubernetes.io/part-of=flux", "-o", "json"],
        ["kubectl", *CONN, "get", "deploy", "-n", "flux-system", "-l", "app.kubernetes.io/part-of=flux", "-o", "json"],
    ]


def test_degraded_check_pre_and_healthy():
    flux, runner = tools(degraded_reply(deployments=[synthetic_deployment("source-controller")]))
    assert flux.call("flux_check")["data"]["passed"] is True
    old = {"serverVersion": {"gitVersion": "v1.30.2"}}
    flux, runner = tools(degraded_reply(version=old))
    data = flux.call("flux_check", {"pre": True})["data"]
    assert (
        data["passed"] is True and data["kubernetes_version"] == "1.30.2" and "older than 1.33" in data["warnings"][0]
    )
    assert len(runner.calls) == 2


def test_degraded_check_without_flux_looks_for_v1():
    flux, runner = tools(degraded_reply(crds=(), deployments=[]))
    data = flux.call("flux_check")["data"]
    assert data["passed"] is False and "flux_v1" not in data
    assert any("no crds found" in problem for problem in data["problems"])
    assert runner.calls[-2] == ["kubectl", *CONN, "get", "crd", "-o", "name"]
    assert runner.calls[-1][-4:-1] == ["deploy", "-A", "-o"] and runner.calls[-1][-1].startswith("jsonpath=")


def test_trace_with_a_broken_owner_chain_reports_the_error():
    stderr = (
        "failed to trace Deployment/web in namespace apps: failed to find GitRepository: "
        'gitrepositories.source.toolkit.fluxcd.io "gone" not found'
    )
    flux, _ = tools(lambda argv: (0, "", stderr))
    data = flux.call("flux_trace", {"kind": "deployment", "name": "web", "namespace": "apps"})["data"]
    assert data["managed"] is True and data["chain"] == [] and "gone" in data["error"]
    forbidden = "failed to trace Deployment/web in namespace apps: kustomizations.x is forbidden: User cannot get"
    flux, _ = tools(lambda argv: (0, "", forbidden))
    assert flux.call("flux_trace", {"kind": "deployment", "name": "web"})["error_type"] == "PermissionDenied"


def test_trace_of_an_unknown_resource_type_is_invalid_input():
    flux, _ = tools(lambda argv: (1, "", '✗ the server doesn\'t have a resource type "foo"\n'))
    envelope = flux.call("flux_trace", {"kind": "foo", "name": "x"})
    assert envelope["error_type"] == "InvalidInput" and envelope["field"] == "kind" and "'foo'" in envelope["error"]


def test_export_of_image_kinds_without_their_crds():
    stderr = "✗ unable to retrieve the complete list of server APIs: image.toolkit.fluxcd.io/v1: no matches for x\n"
    flux, _ = tools(lambda argv: (1, "", stderr))
    data = flux.call("flux_export", {"kind": "image policy"})["data"]
    assert data["installed"] is False and data["objects"] == 0 and "optional" in data["note"]
    assert flux.call("flux_export", {"kind": "source git"})["error_type"] == "FluxNotInitialized"


def test_events_for_an_object_include_its_source_and_chart():
    release = {
        "kind": "HelmRelease",
        "metadata": {"name": "web", "namespace": "apps"},
        "spec": {"chart": {"spec": {"sourceRef": {"kind": "HelmRepository", "name": "charts", "namespace": "flux"}}}},
        "status": {"helmChart": "flux/apps-web"},
    }
    chart_event = synthetic_event(
        "HelmChart",
        "apps-web",
        "Warning",
        "2026-01-01T00:09:00Z",
        "no chart version",
        api="source.toolkit.fluxcd.io/v1",
    )

    def reply(argv):
        if "helmreleases.helm.toolkit.fluxcd.io" in argv:
            return (0, json.dumps(release), "")
        if "involvedObject.kind=HelmChart,involvedObject.name=apps-web" in argv:
            return (0, items(chart_event), "")
        return (0, items(), "")

    flux, runner = tools(reply)
    data = flux.call("flux_events", {"kind": "helmrelease", "name": "web", "namespace": "apps"})["data"]
    selectors = sorted(call[call.index("--field-selector") + 1] for call in runner.calls if "events" in call)
    assert selectors == [
        "involvedObject.kind=HelmChart,involvedObject.name=apps-web",
        "involvedObject.kind=HelmRelease,involvedObject.name=web",
        "involvedObject.kind=HelmRepository,involvedObject.name=charts",
    ]
    assert [event["message"] for event in data["events"]] == ["no chart version"]
