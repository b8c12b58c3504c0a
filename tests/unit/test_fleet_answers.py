"""Fleet answers never lose an item: chosen from validated arguments, waiting for clusters that retry,
and saying which cluster's answer was cut (synthetic clusters, see fleet_support)."""

from __future__ import annotations

from tests.unit.fleet_support import COMPLETE, FleetRunner, context_of, empty_list, fleet_tools

TOO_MANY = (
    1,
    "",
    "Error from server (TooManyRequests): the server has received too many requests and has asked us to try "
    "again later\n",
)


def test_all_contexts_false_as_text_reads_the_configured_cluster_only():
    runner = FleetRunner({None: empty_list, "a": COMPLETE, "b": COMPLETE}, kubeconfig=["a", "b"])
    tools = fleet_tools(runner, fleet_contexts=["a", "b"])
    envelope = tools.call("flux_stats", {"all_contexts": "false"})
    assert envelope["success"] and "fleet" not in envelope["data"], envelope
    assert {context_of(argv) for argv in runner.calls} == {None}
    assert not [argv for argv in runner.calls if "get-contexts" in argv]


def test_all_contexts_true_as_text_is_a_fleet_call():
    runner = FleetRunner({"a": COMPLETE, "b": COMPLETE}, kubeconfig=["a", "b"])
    envelope = fleet_tools(runner).call("flux_stats", {"all_contexts": "true"})
    assert envelope["success"] and envelope["data"]["fleet"]["clusters"] == 2


def test_a_cluster_that_answers_on_its_retry_is_waited_for():
    """Each attempt takes 0.2s of the cluster's 0.3s deadline: the retry needs more, and gets it."""
    failed = set()

    def first_attempt_fails(argv):
        key = " ".join(argv)
        if key not in failed:
            failed.add(key)
            return TOO_MANY
        return COMPLETE(argv)

    runner = FleetRunner({"retrying": first_attempt_fails, "lab": COMPLETE}, delay=0.2)
    tools = fleet_tools(runner, timeout_secs=0.2)
    data = tools.call("flux_stats", {"contexts": ["retrying", "lab"]})["data"]
    rows = {row["context"]: row for row in data["clusters"]}
    assert rows["retrying"]["status"] == "ok", rows["retrying"]
    assert data["fleet"]["by_status"] == {"ok": 2}
