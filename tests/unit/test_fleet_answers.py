"""Fleet answers never lose an item: chosen from validated arguments, waiting for clusters that retry,
and saying which cluster's answer was cut (synthetic clusters, see fleet_support)."""

from __future__ import annotations

from tests.unit.fleet_support import COMPLETE, FleetRunner, context_of, empty_list, fleet_tools, raw_paths_as_lists
from tests.unit.support import ready_object
from tests.unit.test_partial_reads import as_list

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


def many_kustomizations(count: int):
    """A cluster answering every list with `count` ready Kustomizations (synthetic)."""
    obj = ready_object()
    obj["status"]["conditions"][0]["message"] = "Applied revision: main@sha1:" + "0123456789abcdef" * 10
    items = [{**obj, "metadata": {"name": f"app-{i:05}", "namespace": f"team-{i % 7}"}} for i in range(count)]
    return raw_paths_as_lists(lambda argv: (0, as_list(items), ""))


def test_a_cluster_whose_answer_was_cut_is_partial_and_paging_reads_every_item():
    runner = FleetRunner({"a": many_kustomizations(6000), "b": many_kustomizations(6000)})
    tools = fleet_tools(runner, cache_ttl_secs=60)
    first = tools.call("flux_kustomization_list", {"contexts": ["a", "b"], "limit": 1000})["data"]
    assert first["total"] == 12000 and first["fleet"]["by_status"] == {"partial": 2}
    rows = {row["context"]: row for row in first["clusters"]}
    assert rows["a"]["cut"]["of"] == 6000 and 0 < rows["a"]["cut"]["read"] < 6000
    assert any("continue" in note for note in first["notes"])
    seen = [(item["context"], item["name"]) for item in first["kustomizations"]]
    page = first
    while "continue" in page:
        page = tools.call(
            "flux_kustomization_list",
            {"contexts": ["a", "b"], "limit": 1000, "continue": page["continue"], "max_bytes": 1_048_576},
        )["data"]
        assert page["kustomizations"], page.get("continue")
        seen += [(item["context"], item["name"]) for item in page["kustomizations"]]
    assert len(seen) == len(set(seen)) == 12000
