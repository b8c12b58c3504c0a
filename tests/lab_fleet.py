"""The lab's fleet of three contexts, as the replayed and the live fleet tests both check it."""

THREE = ["lab", "lab-restricted", "lab-unreachable"]
"""The admin, the restricted tenant (partial RBAC in team-a) and a closed port."""


def assert_each_clusters_state(envelope: dict) -> None:
    """A fleet diagnosis of THREE in namespace team-a: one row a context, in order, each in its cluster's state."""
    assert envelope["success"], envelope
    rows = {row["context"]: row for row in envelope["data"]["clusters"]}
    assert [row["context"] for row in envelope["data"]["clusters"]] == THREE
    assert rows["lab"]["status"] == "ok" and rows["lab"]["objects"] > 0
    assert rows["lab-restricted"]["status"] == "partial" and rows["lab-restricted"]["objects"] > 0
    assert {item["error_type"] for item in rows["lab-restricted"]["unread"]} == {"PermissionDenied"}
    assert rows["lab-unreachable"]["status"] == "unreachable"
    assert rows["lab-unreachable"]["error_type"] == "ClusterUnreachable"
