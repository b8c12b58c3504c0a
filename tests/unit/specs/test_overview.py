"""flux_get_all and flux_stats: argv, grouping by kind, counts, missing CRDs.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import pytest

from tests.unit.specs.support import (
    CONN,
    HR,
    KS,
    NO_RESOURCE_TYPE,
    SOURCES,
    SYNTHETIC_BUCKET,
    SYNTHETIC_CHART,
    SYNTHETIC_GIT,
    SYNTHETIC_HELMREPO,
    items,
    tools,
)

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
    assert runner.calls == [
        ["kubectl", *CONN, "get", "--raw", "/apis"],  # which optional components the server serves: none here
        ["kubectl", *CONN, "get", f"{SOURCES},{KS},{HR}", *scope, "-o", "json"],
    ]


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
    assert len(runner.calls) == 9  # the server's groups, the failed read of all kinds, then one read per kind


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
