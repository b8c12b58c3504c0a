"""flux_source_list, flux_source_get and flux_image_list: argv, fields, filters, missing CRDs.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import json

import pytest

from fluxtools._flux.kinds import SOURCE_KINDS
from tests.unit.specs.support import (
    BUCKET,
    CHART,
    CONN,
    GIT,
    HELMREPO,
    IMAGES,
    NO_RESOURCE_TYPE,
    OCI,
    SOURCES,
    SYNTHETIC_BUCKET,
    SYNTHETIC_CHART,
    SYNTHETIC_GIT,
    SYNTHETIC_HELMREPO,
    items,
    tools,
)

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
    discovery = [["kubectl", *CONN, "get", "--raw", "/apis"]] if kind == "all" else []  # ExternalArtifact is optional
    assert runner.calls == [*discovery, ["kubectl", *CONN, "get", resource, *scope, "-o", "json"]]


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
    reads = [call for call in runner.calls if call[-2:] != ["--raw", "/apis"]]
    assert sorted(call[-3] for call in reads) == ["b", "team-a"]
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
