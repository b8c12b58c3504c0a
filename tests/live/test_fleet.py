"""Fleet reads and watched verdicts against the lab's contexts: the admin (`lab`), the restricted tenant
(`lab-restricted`: Flux objects in team-a only), a closed port (`lab-unreachable`), and aliases of the lab
(`lab-alias-NN`)."""

import os
import subprocess
import time

import pytest

from fluxtools import FluxTools
from lab.kubeconfig import alias_names, write_alias_kubeconfig
from tests.lab_fleet import THREE, assert_each_clusters_state

ALIASES = 3


def kubeconfig_contexts(lab):
    argv = [lab["kubectl"], "--kubeconfig", lab["kubeconfig"], "config", "get-contexts", "-o", "name"]
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.split()


def test_three_contexts_answer_in_one_call_with_each_clusters_state(lab_config):
    tools = FluxTools(lab_config(fleet_contexts=THREE))
    started = time.monotonic()
    envelope = tools.call("flux_diagnose", {"contexts": THREE, "namespace": "team-a"})
    elapsed = time.monotonic() - started
    assert_each_clusters_state(envelope)
    assert elapsed < 30


def test_the_restricted_tenant_reading_every_namespace_is_denied_and_the_others_still_answer(lab_config):
    data = FluxTools(lab_config(fleet_contexts=THREE)).call("flux_diagnose", {"contexts": THREE})["data"]
    rows = {row["context"]: row for row in data["clusters"]}
    assert rows["lab-restricted"]["status"] == "denied"
    assert rows["lab"]["status"] == "ok" and data["causes_total"] == rows["lab"]["root_causes"] > 0
    assert all(cause["clusters"] == ["lab"] for cause in data["causes"])


def test_all_contexts_respects_the_allow_list(lab, lab_config):
    present = kubeconfig_contexts(lab)
    tools = FluxTools(lab_config(fleet_contexts=["lab", "lab-unreachable"]))
    envelope = tools.call("flux_stats", {"all_contexts": True})
    assert envelope["success"], envelope
    assert [row["context"] for row in envelope["data"]["clusters"]] == ["lab", "lab-unreachable"]
    assert envelope["data"]["notes"] == [
        f"{len(present) - 2} kubeconfig context(s) not on the allow-list fleet_contexts were not read"
    ]
    refused = FluxTools(lab_config()).call("flux_stats", {"all_contexts": True})
    assert refused["error_type"] == "PolicyDenied"


@pytest.fixture
def with_aliases(lab, tmp_path):
    """The lab's kubeconfig and one naming ALIASES aliases of the lab, as a KUBECONFIG list: the lab's own
    kubeconfig (which other tests read) is not rewritten."""
    aliases = write_alias_kubeconfig(tmp_path / "aliases.kubeconfig", ALIASES)
    return f"{lab['kubeconfig']}{os.pathsep}{aliases}"


def test_aliases_of_one_cluster_share_every_cause(lab_config, with_aliases):
    contexts = ["lab", *alias_names(ALIASES)]
    tools = FluxTools(lab_config(kubeconfig=with_aliases, fleet_contexts=contexts))
    data = tools.call("flux_diagnose", {"contexts": contexts})["data"]
    assert data["fleet"]["by_status"] == {"ok": len(contexts)}
    assert data["causes"] and all(cause["clusters"] == contexts for cause in data["causes"])


@pytest.mark.parametrize(("name", "verdict"), [("apps", "succeeded"), ("broken-build", "failed")])
def test_reconcile_verdict_by_watch(lab_config, name, verdict):
    tools = FluxTools(lab_config(verdict_watch=True, reconcile_min_interval_secs=0, poll_interval_secs=30))
    data = tools.call("flux_reconcile", {"kind": "kustomization", "name": name})["data"]
    assert data["verdict"] == verdict
    assert data["duration_secs"] < 30  # decided by the watch: the first poll would come only after 30 s
