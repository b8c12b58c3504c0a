"""A fleet of three contexts in one call, recorded from the lab: the admin, the restricted tenant (partial
RBAC) and a closed port (unreachable)."""

THREE = ["lab", "lab-restricted", "lab-unreachable"]


def test_three_contexts_answer_in_one_call_with_each_clusters_state(lab_tools):
    tools = lab_tools(retry_attempts=1, fleet_contexts=THREE)
    envelope = tools.call("flux_diagnose", {"contexts": THREE, "namespace": "team-a", "include_logs": False})
    assert envelope["success"], envelope
    rows = {row["context"]: row for row in envelope["data"]["clusters"]}
    assert [row["context"] for row in envelope["data"]["clusters"]] == THREE
    assert rows["lab"]["status"] == "ok" and rows["lab"]["objects"] > 0
    assert rows["lab-restricted"]["status"] == "partial" and rows["lab-restricted"]["objects"] > 0
    assert {item["error_type"] for item in rows["lab-restricted"]["unread"]} == {"PermissionDenied"}
    assert rows["lab-unreachable"]["status"] == "unreachable"
    assert rows["lab-unreachable"]["error_type"] == "ClusterUnreachable"


def test_all_contexts_respects_the_allow_list(lab_tools):
    tools = lab_tools(retry_attempts=1, fleet_contexts=["lab", "lab-unreachable"])
    envelope = tools.call("flux_stats", {"all_contexts": True})
    assert envelope["success"], envelope
    assert [row["context"] for row in envelope["data"]["clusters"]] == ["lab", "lab-unreachable"]
    refused = tools.call("flux_stats", {"contexts": ["lab-restricted"]})
    assert refused["error_type"] == "PolicyDenied"
