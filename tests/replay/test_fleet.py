"""A fleet of three contexts in one call, recorded from the lab: the admin, the restricted tenant (partial
RBAC) and a closed port (unreachable); and the same with a dozen aliases of the lab."""

import os

import pytest

from fluxtools import _budget as budget
from lab.kubeconfig import alias_names, write_alias_kubeconfig
from tests.lab_fleet import THREE, assert_each_clusters_state
from tests.replay.conftest import REPLAY_KUBECONFIG


def test_three_contexts_answer_in_one_call_with_each_clusters_state(lab_tools):
    tools = lab_tools(retry_attempts=1, fleet_contexts=THREE)
    envelope = tools.call("flux_diagnose", {"contexts": THREE, "namespace": "team-a", "include_logs": False})
    assert_each_clusters_state(envelope)


def test_all_contexts_respects_the_allow_list(lab_tools):
    tools = lab_tools(retry_attempts=1, fleet_contexts=["lab", "lab-unreachable"])
    envelope = tools.call("flux_stats", {"all_contexts": True})
    assert envelope["success"], envelope
    assert [row["context"] for row in envelope["data"]["clusters"]] == ["lab", "lab-unreachable"]
    refused = tools.call("flux_stats", {"contexts": ["lab-restricted"]})
    assert refused["error_type"] == "PolicyDenied"


ALIASES = alias_names(12)


@pytest.fixture
def alias_kubeconfig(tier, flux_record_mode, needs_lab, tmp_path) -> str:
    """The lab's kubeconfig followed by one naming 12 aliases of the lab (KUBECONFIG list; the lab's file is
    left as it is). In replay no file is read: any list gives the same commands (a list is not an argument)."""
    if tier == "live" or flux_record_mode != "none":
        aliases = write_alias_kubeconfig(tmp_path / "aliases.kubeconfig", len(ALIASES))
        return f"{needs_lab['kubeconfig']}{os.pathsep}{aliases}"
    return f"{REPLAY_KUBECONFIG}{os.pathsep}/lab/aliases.kubeconfig"


def test_a_fleet_with_a_dozen_aliases_groups_each_shared_cause_once_within_the_budget(lab_tools, alias_kubeconfig):
    contexts = [*THREE, *ALIASES]
    tools = lab_tools(kubeconfig=alias_kubeconfig, retry_attempts=1, fleet_contexts=contexts)
    envelope = tools.call("flux_diagnose", {"contexts": contexts, "namespace": "apps", "include_logs": False})
    assert envelope["success"], envelope
    assert budget.size(envelope) <= 16 * 1024
    data = envelope["data"]
    rows = {row["context"]: row for row in data["clusters"]}
    assert list(rows) == contexts
    admin_like = ["lab", *ALIASES]
    lab = rows["lab"]
    assert lab["status"] == "ok" and lab["root_causes"] > 0
    assert all({**rows[name], "context": "lab", "seconds": 0} == {**lab, "seconds": 0} for name in ALIASES)
    assert rows["lab-restricted"]["status"] == "denied" and rows["lab-restricted"]["error_type"] == "PermissionDenied"
    assert rows["lab-unreachable"]["error_type"] == "ClusterUnreachable"
    fleet = data["fleet"]
    assert fleet["by_status"] == {"denied": 1, "ok": len(admin_like), "unreachable": 1}
    assert fleet["clusters"] == len(contexts) and fleet["answered"] == len(admin_like)
    assert fleet["objects"] == len(admin_like) * lab["objects"]
    assert fleet["counts"] == {state: len(admin_like) * count for state, count in lab["counts"].items()}
    assert data["causes_total"] == fleet["root_causes"] == lab["root_causes"] == len(data["causes"])
    for cause in data["causes"]:
        assert cause["clusters"] == admin_like and cause["clusters_total"] == len(admin_like)
        assert cause["objects"] > 0 and cause["objects"] % len(admin_like) == 0  # as many in every cluster
