"""HelmRelease operations and what values resolve to, on the lab's real controllers: a forced upgrade, a reset of
exhausted retries, a Receiver reconciled, and the values and variables the lab's valuesFrom and postBuild give,
with the value planted in their Secrets never shown."""

import json

import pytest

from tests.replay.commands import Commands, decided_by_watch

PLANTED_VALUES_SECRET = "planted-values-secret-456"
RECEIVER = {"kind": "receiver", "name": "ops-hook", "namespace": "apps"}


def test_reconcile_helmrelease_force_upgrades_once(lab_tools):
    tools = lab_tools(reconcile_min_interval_secs=0)
    before = tools.call("flux_helmrelease_get", {"name": "values-from", "namespace": "apps"})["data"]
    commands = Commands(tools)
    data = tools.call("flux_reconcile", {"kind": "hr", "name": "values-from", "namespace": "apps", "force": True})
    data = data["data"]
    assert data["verdict"] == "succeeded" and data["force_handled"] is True, data
    assert any("--force" in ran.argv for ran in commands.ran)
    decided_by_watch(commands)
    after = tools.call("flux_helmrelease_get", {"name": "values-from", "namespace": "apps"})["data"]
    assert int(after["revision"]) == int(before["revision"]) + 1  # a new Helm release though nothing changed
    assert "Helm upgrade succeeded" in after["status"]


def test_reconcile_helmrelease_reset_retries_and_says_the_verdict(lab_tools):
    tools = lab_tools(reconcile_min_interval_secs=0)
    commands = Commands(tools)
    args = {"kind": "helmrelease", "name": "broken-install", "namespace": "apps", "reset": True}
    data = tools.call("flux_reconcile", args)["data"]
    assert data["verdict"] == "failed" and data["reset_handled"] is True, data
    assert data["reason"] == "InstallFailed" and "failInstall is true" in data["message"]
    assert data["duration_secs"] < 60
    assert any("--reset" in ran.argv for ran in commands.ran)
    decided_by_watch(commands)


def test_force_on_a_kustomization_is_refused_before_anything_runs(lab_tools):
    tools = lab_tools()
    commands = Commands(tools)
    envelope = tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps", "force": True})
    assert envelope["error_type"] == "InvalidInput"
    assert "'force' applies to kind helmrelease only" in envelope["error"]
    assert commands.ran == []


@pytest.fixture
def receiver(tier, flux_record_mode, needs_lab):
    """A working Receiver in `apps`, planted by the test when live or recording and removed afterwards."""
    if tier != "live" and flux_record_mode == "none":
        yield
        return
    from lab.kube import apply_objs, kubectl

    token = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "ops-hook-token", "namespace": "apps"}}
    token["stringData"] = {"token": "ops-hook-token-value"}
    spec = {
        "type": "generic",
        "secretRef": {"name": "ops-hook-token"},
        "resources": [{"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"}],
    }
    hook = {
        "apiVersion": "notification.toolkit.fluxcd.io/v1",
        "kind": "Receiver",
        "metadata": {"name": "ops-hook", "namespace": "apps"},
        "spec": spec,
    }
    apply_objs([token, hook], "ops-hook")
    kubectl(
        "wait",
        "--for=condition=Ready",
        "receivers.notification.toolkit.fluxcd.io/ops-hook",
        "-n",
        "apps",
        "--timeout=60s",
    )
    yield
    kubectl(
        "delete",
        "receivers.notification.toolkit.fluxcd.io/ops-hook",
        "secret/ops-hook-token",
        "-n",
        "apps",
        "--timeout=60s",
    )


def test_reconcile_receiver(lab_tools, receiver):
    tools = lab_tools(reconcile_min_interval_secs=0)
    commands = Commands(tools)
    data = tools.call("flux_reconcile", RECEIVER)["data"]
    assert data["verdict"] == "succeeded" and data["ready"] == "True", data
    assert [ran.argv[ran.argv.index("reconcile") :][:3] for ran in commands.ran if ran.argv[0].endswith("flux")] == [
        ["reconcile", "receiver", "ops-hook"]
    ]
    decided_by_watch(commands)


def test_values_resolve_values_from_by_source_secrets_masked(lab_tools):
    args = {"kind": "helmrelease", "name": "values-from", "namespace": "apps"}
    envelope = lab_tools().call("flux_values", args)
    values = {entry["path"]: (entry["value"], entry["from"]) for entry in envelope["data"]["values"]}
    assert values["message"] == ("inline values win", "spec.values")
    assert values["replicaCount"] == (2, "ConfigMap/values-config")
    assert values["feature.enabled"] == (True, "ConfigMap/values-config")
    assert values["upstream.endpoint"] == ("***", "Secret/values-secret")  # the Secret's key at its targetPath
    secret_merge = values.get("feature.licence")  # live: the Secret's own keys; replayed: its data was masked
    notes = envelope["data"]["notes"]
    assert secret_merge == ("***", "Secret/values-secret") or any("Secret/values-secret" in note for note in notes)
    assert any("absent-values" in note and "optional" in note for note in notes)
    assert PLANTED_VALUES_SECRET not in json.dumps(envelope)


def test_vars_resolve_post_build_variables_secrets_masked(lab_tools):
    args = {"kind": "ks", "name": "apps/post-build"}
    envelope = lab_tools().call("flux_values", args)
    assert envelope["data"]["vars"] == [
        {"name": "cluster_name", "value": "lab", "from": "spec.postBuild.substitute"},
        {"name": "domain", "value": "lab.example", "from": "ConfigMap/vars-config"},
        {"name": "licence_id", "value": "***", "from": "Secret/vars-secret"},
        {"name": "region", "value": "lab-east", "from": "spec.postBuild.substitute"},
    ]
    assert PLANTED_VALUES_SECRET not in json.dumps(envelope)
