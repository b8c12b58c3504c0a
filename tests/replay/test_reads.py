"""Seed reads on the lab scenario: real kubectl/flux output, parsed."""

import re

import pytest

from fluxtools.testing import MissingBinaries

REVISION = re.compile(r"^main@sha1:[0-9a-f]{40}$")


def by_name(items):
    return {item["name"]: item for item in items}


def test_kustomization_list(lab_tools):
    envelope = lab_tools().call("flux_kustomization_list", {})
    assert envelope["success"], envelope
    data = envelope["data"]
    items = by_name(data["kustomizations"])
    for healthy in ("infrastructure", "apps"):
        assert items[healthy]["ready"] == "True"
        assert REVISION.match(items[healthy]["revision"])
        assert items[healthy]["source"] == "GitRepository/flux-system/flux-system"
    assert items["broken-path"]["ready"] == "False"
    assert items["broken-build"]["ready"] == "False"
    assert items["suspended-app"]["suspended"] is True
    assert items["dependent-app"]["ready"] == "False"
    assert data["total"] == len(data["kustomizations"]) == sum(data["counts"].values())
    assert data["counts"]["suspended"] == 1
    assert {item["namespace"] for item in data["kustomizations"]} >= {"flux-system", "team-a"}


def test_kustomization_get_healthy(lab_tools):
    data = lab_tools().call("flux_kustomization_get", {"name": "apps"})["data"]
    assert data["ready"] is True and data["status"].startswith("Applied revision: main@sha1:")
    assert data["path"] and data["source"] == "GitRepository/flux-system/flux-system"
    assert data["depends_on"] == ["flux-system/infrastructure"]
    assert REVISION.match(data["last_applied_revision"])
    ready = next(c for c in data["conditions"] if c["type"] == "Ready")
    assert ready["reason"] == "ReconciliationSucceeded" and ready["last_transition_time"]
    assert data["last_reconcile_time"] and data["interval"]


def test_kustomization_get_build_failure(lab_tools):
    data = lab_tools().call("flux_kustomization_get", {"name": "broken-build"})["data"]
    assert data["ready"] is False
    assert data["reason"] == "BuildFailed"
    assert "missing-file.yaml" in data["status"]
    assert REVISION.match(data["last_attempted_revision"])


def test_kustomization_get_wrong_path_and_dependency(lab_tools):
    tools = lab_tools()
    path = tools.call("flux_kustomization_get", {"name": "broken-path"})["data"]
    assert path["ready"] is False and "not found" in path["status"]
    dependent = tools.call("flux_kustomization_get", {"name": "dependent-app"})["data"]
    assert dependent["reason"] == "DependencyNotReady"
    assert "broken-build" in dependent["status"]


def test_kustomization_not_found(lab_tools):
    envelope = lab_tools().call("flux_kustomization_get", {"name": "does-not-exist", "namespace": "flux-system"})
    assert envelope["error_type"] == "NotFound"
    assert envelope["error"] == "Kustomization 'does-not-exist' not found in namespace 'flux-system'"


def test_helmrelease_list(lab_tools):
    data = lab_tools().call("flux_helmrelease_list", {})["data"]
    items = by_name(data["helmreleases"])
    assert items["podinfo"]["ready"] == "True"
    assert items["podinfo"]["chart"] and items["podinfo"]["version"] == "0.2.0"
    assert items["podinfo"]["revision"] == "1"
    assert items["broken-install"]["ready"] == "False"
    assert items["missing-version"]["ready"] == "False"
    assert any(item["namespace"] == "team-a" for item in data["helmreleases"])


def test_helmrelease_get_fields(lab_tools):
    tools = lab_tools()
    healthy = tools.call("flux_helmrelease_get", {"name": "podinfo", "namespace": "apps"})["data"]
    assert healthy["ready"] is True
    assert healthy["version"] == healthy["last_applied_revision"] == "0.2.0"
    assert healthy["helm_chart"] == "flux-system/apps-podinfo" or healthy["helm_chart"].endswith("podinfo")
    assert healthy["revision"] == "1" and healthy["release_status"] == "deployed"
    assert healthy["source"].startswith("HelmRepository/")
    failing = tools.call("flux_helmrelease_get", {"name": "broken-install", "namespace": "apps"})["data"]
    assert failing["ready"] is False
    assert "install" in (failing["status"] + str(failing["reason"])).lower()
    missing = tools.call("flux_helmrelease_get", {"name": "missing-version", "namespace": "apps"})["data"]
    assert missing["ready"] is False and "9.9.9" in missing["status"]


@pytest.mark.flux_cassette("fallback_flux_table")
def test_list_falls_back_to_the_flux_table_without_kubectl(lab_tools, tier):
    tools = lab_tools()
    tools.runner = MissingBinaries(tools.runner, {"kubectl"})
    data = tools.call("flux_kustomization_list", {})["data"]
    assert "reduced" in data["notes"][0]
    items = by_name(data["kustomizations"])
    assert items["apps"]["ready"] == "True" and re.match(r"^main@sha1:[0-9a-f]{8}$", items["apps"]["revision"])
    assert items["suspended-app"]["suspended"] is True
    assert items["broken-build"]["ready"] == "False"
