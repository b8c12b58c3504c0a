"""Fleet reads: one call across several kubeconfig contexts (synthetic clusters, see fleet_support)."""

from __future__ import annotations

import asyncio
import json
import time

from fluxtools import FluxConfig, FluxTools, get_spec
from fluxtools.fleet.clusters import CLUSTER_BYTES
from fluxtools.mcp import tool_definition
from tests.unit.fleet_support import (
    COMPLETE,
    PARTIAL,
    FleetRunner,
    context_of,
    contexts_called,
    empty_list,
    fleet_tools,
    unreachable,
)

THREE = {"lab": COMPLETE, "lab-restricted": PARTIAL, "lab-unreachable": unreachable}
ARGS = {"contexts": ["lab", "lab-restricted", "lab-unreachable"], "include_logs": False}


def single(reply, tool="flux_diagnose", args=None):
    """The same call made to one cluster alone."""
    runner = FleetRunner({"one": reply})
    asked = {"include_logs": False} if args is None else args
    if tool == "flux_diagnose":  # as the fleet asks each of its clusters
        asked = {"max_bytes": CLUSTER_BYTES, **asked}
    return fleet_tools(runner, context="one").call(tool, asked)


def test_a_three_context_fleet_answers_in_one_call_with_each_clusters_state():
    runner = FleetRunner(THREE)
    envelope = fleet_tools(runner).call("flux_diagnose", ARGS)
    assert envelope["success"], envelope
    data = envelope["data"]
    rows = {row["context"]: row for row in data["clusters"]}
    assert [row["context"] for row in data["clusters"]] == ARGS["contexts"]
    assert rows["lab"]["status"] == "ok" and rows["lab"]["healthy"] is False
    assert rows["lab-restricted"]["status"] == "partial"
    assert rows["lab-restricted"]["unread"] == [
        {"kind": "HelmRelease", "namespace": "*", "error_type": "PermissionDenied"}
    ]
    gone = rows["lab-unreachable"]
    assert gone["status"] == "unreachable" and gone["error_type"] == "ClusterUnreachable"
    assert "objects" not in gone
    assert data["fleet"]["by_status"] == {"ok": 1, "partial": 1, "unreachable": 1}
    assert data["fleet"]["answered"] == 2 and data["healthy"] is False
    complete, partial = single(COMPLETE)["data"], single(PARTIAL)["data"]
    assert rows["lab"]["counts"] == complete["summary"]["counts"]
    assert rows["lab-restricted"]["objects"] == partial["summary"]["objects"] < complete["summary"]["objects"]
    assert data["fleet"]["objects"] == complete["summary"]["objects"] + partial["summary"]["objects"]
    assert contexts_called(runner) == set(ARGS["contexts"])


def test_a_cause_shared_by_clusters_is_grouped_once_with_its_clusters():
    data = fleet_tools(FleetRunner(THREE)).call("flux_diagnose", ARGS)["data"]

    def keys(causes):
        return {(c["kind"], c["reason"], c["message"]) for c in causes}

    complete, partial = keys(single(COMPLETE)["data"]["causes"]), keys(single(PARTIAL)["data"]["causes"])
    assert complete & partial and complete - partial and partial - complete
    assert data["causes_total"] == len(data["causes"]) == len(complete | partial)
    for cause in data["causes"]:
        key = (cause["kind"], cause["reason"], cause["message"])
        expected = [name for name, seen in (("lab", complete), ("lab-restricted", partial)) if key in seen]
        assert cause["clusters"] == expected and cause["clusters_total"] == len(expected)
        assert [example.split(": ")[0] for example in cause["examples"]] == expected
    ranks = [cause["clusters_total"] for cause in data["causes"]]
    assert ranks == sorted(ranks, reverse=True)  # causes hitting more clusters come first
    first = data["causes"][0]
    assert first["next_action"]["context"] == "lab" and first["next_action"]["tool"]["name"]


def test_clusters_with_identical_failures_fold_to_the_single_clusters_causes():
    names = [f"c{i:02}" for i in range(12)]
    data = fleet_tools(FleetRunner(dict.fromkeys(names, COMPLETE))).call(
        "flux_diagnose", {"contexts": names, "include_logs": False}
    )["data"]
    one = single(COMPLETE)["data"]
    assert data["causes_total"] == one["summary"]["root_causes"]
    assert all(cause["clusters_total"] == 12 for cause in data["causes"])
    by_message = {cause["message"]: cause for cause in one["causes"]}
    for cause in data["causes"]:
        assert cause["objects"] == 12 * by_message[cause["message"]]["count"]


def test_all_contexts_reads_only_the_allow_listed_kubeconfig_contexts():
    runner = FleetRunner(
        {"lab": COMPLETE, "lab-unreachable": unreachable},
        kubeconfig=["lab", "lab-restricted", "lab-unreachable", "prod"],
    )
    tools = fleet_tools(runner, fleet_contexts=["lab", "lab-unreachable", "gone"])
    envelope = tools.call("flux_stats", {"all_contexts": True})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert [row["context"] for row in data["clusters"]] == ["lab", "lab-unreachable"]
    assert contexts_called(runner) == {"lab", "lab-unreachable"}  # never lab-restricted or prod
    assert runner.calls[0] == ["kubectl", "--kubeconfig", "/k/config", "config", "get-contexts", "-o", "name"]
    assert data["notes"] == [
        "2 kubeconfig context(s) not on the allow-list fleet_contexts were not read",
        "on the allow-list but not in the kubeconfig: gone",
    ]


def test_all_contexts_without_an_allow_list_is_refused_before_any_command():
    runner = FleetRunner(THREE, kubeconfig=list(THREE))
    envelope = fleet_tools(runner, fleet_contexts=[]).call("flux_diagnose", {"all_contexts": True})
    assert envelope["error_type"] == "PolicyDenied"
    assert "fleet_contexts" in envelope["hint"] and runner.calls == []


def test_named_contexts_must_be_on_the_allow_list_when_one_is_configured():
    runner = FleetRunner(THREE)
    tools = fleet_tools(runner, fleet_contexts=["lab"])
    envelope = tools.call("flux_kustomization_list", {"contexts": ["lab", "prod", "lab-restricted"]})
    assert envelope["error_type"] == "PolicyDenied"
    assert "prod, lab-restricted" in envelope["error"] and runner.calls == []
    both = tools.call("flux_stats", {"contexts": ["lab"], "all_contexts": True})
    assert both["error_type"] == "InvalidInput"


def test_named_contexts_without_an_allow_list_are_refused_before_any_command():
    """A tool set configured for one context never lets a model read another one through `contexts`."""
    runner = FleetRunner(THREE)
    tools = FluxTools(FluxConfig(kubeconfig="/k/config", context="lab-restricted"), runner=runner)
    envelope = tools.call("flux_diagnose", {"contexts": ["lab"], "include_logs": False})
    assert envelope["error_type"] == "PolicyDenied" and envelope["field"] == "contexts"
    assert "fleet_contexts" in envelope["hint"] and runner.calls == []


def test_a_context_name_is_never_a_flag():
    envelope = fleet_tools(FleetRunner(THREE)).call("flux_stats", {"contexts": ["--kubeconfig=/etc/x"]})
    assert envelope["error_type"] == "InvalidInput" and envelope["field"].startswith("contexts")


def test_a_slow_cluster_is_reported_timed_out_and_the_others_answer():
    runner = FleetRunner({"lab": COMPLETE, "slow": COMPLETE}, slow={"slow"})
    data = fleet_tools(runner).call("flux_diagnose", {"contexts": ["lab", "slow"], "include_logs": False})["data"]
    rows = {row["context"]: row for row in data["clusters"]}
    assert rows["slow"]["status"] == "timed_out" and rows["slow"]["error_type"] == "Timeout"
    assert rows["lab"]["status"] == "ok" and data["causes_total"] > 0


def test_a_hanging_cluster_delays_the_answer_only_up_to_its_timeout():
    runner = FleetRunner({"lab": COMPLETE, "hang": COMPLETE}, hang={"hang"})
    started = time.monotonic()
    data = fleet_tools(runner, timeout_secs=0.2).call(
        "flux_diagnose", {"contexts": ["hang", "lab"], "include_logs": False}
    )["data"]
    elapsed = time.monotonic() - started
    rows = {row["context"]: row for row in data["clusters"]}
    assert rows["hang"]["status"] == "timed_out" and "no answer within 0.3s" in rows["hang"]["error"]
    assert rows["lab"]["status"] == "ok"
    assert elapsed < 2.0


def test_all_clusters_share_one_process_limit():
    names = [f"c{i}" for i in range(6)]
    runner = FleetRunner(dict.fromkeys(names, COMPLETE), delay=0.01)
    tools = fleet_tools(runner, fleet_max_concurrency=3, max_concurrency=8)
    envelope = tools.call("flux_diagnose", {"contexts": names, "include_logs": False})
    assert envelope["success"] and envelope["data"]["fleet"]["answered"] == 6
    assert runner.peak == 3


def test_tenancy_applies_in_every_cluster():
    runner = FleetRunner({"a": COMPLETE, "b": COMPLETE})
    tools = fleet_tools(runner, enforce_namespace=True, allowed_namespaces=["team-a"], namespace="team-a")
    envelope = tools.call("flux_kustomization_list", {"contexts": ["a", "b"]})
    assert envelope["success"], envelope
    assert {context_of(argv) for argv in runner.calls} == {"a", "b"}
    assert all("-A" not in argv and "team-a" in " ".join(argv) for argv in runner.calls)
    assert {item["namespace"] for item in envelope["data"]["kustomizations"]} == {"team-a"}
    denied = tools.call("flux_kustomization_list", {"contexts": ["a"], "namespace": "flux-system"})
    assert denied["error_type"] == "PolicyDenied" and "flux-system" in denied["error"]


def test_a_fleet_list_tags_items_with_their_cluster_and_pages_across_clusters():
    runner = FleetRunner({"a": COMPLETE, "b": COMPLETE, "down": unreachable})
    tools = fleet_tools(runner)
    one = single(COMPLETE, "flux_kustomization_list", {})["data"]
    first = tools.call("flux_kustomization_list", {"contexts": ["a", "b", "down"], "limit": one["total"] + 1})
    data = first["data"]
    assert data["total"] == 2 * one["total"] and data["fleet"]["counts"] == {
        state: 2 * count for state, count in one["counts"].items()
    }
    assert [item["context"] for item in data["kustomizations"]] == ["a"] * one["total"] + ["b"]
    assert data["continue"] == str(one["total"] + 1)
    rest = tools.call("flux_kustomization_list", {"contexts": ["a", "b", "down"], "continue": data["continue"]})
    assert len(rest["data"]["kustomizations"]) == one["total"] - 1 and "continue" not in rest["data"]
    assert [f["clusters"] for f in data["failures"]] == [["a", "b"]] * len(data["failures"])
    assert {row["context"]: row["status"] for row in data["clusters"]}["down"] == "unreachable"


def test_fleet_stats_add_up_the_clusters():
    one = single(COMPLETE, "flux_stats", {})["data"]
    data = fleet_tools(FleetRunner({"a": COMPLETE, "b": COMPLETE})).call("flux_stats", {"contexts": ["a", "b"]})["data"]
    assert data["fleet"]["totals"] == {key: 2 * value for key, value in one["totals"].items()}
    assert data["fleet"]["storage_bytes"] == 2 * one["storage_bytes"]
    kind = next(iter(one["by_kind"]))
    assert data["by_kind"][kind]["total"] == 2 * one["by_kind"][kind]["total"]


def test_fifty_clusters_fit_the_budget_with_exact_totals_and_every_failed_cluster_named():
    names = [f"cluster-with-a-long-name-{i:03}" for i in range(50)]
    clusters = {name: (unreachable if i % 10 == 0 else PARTIAL if i % 2 else COMPLETE) for i, name in enumerate(names)}
    data = fleet_tools(FleetRunner(clusters)).call(
        "flux_diagnose", {"contexts": names, "include_logs": False, "max_bytes": 8192}
    )["data"]
    assert len(json.dumps(data, separators=(",", ":")).encode()) <= 8192
    assert data["fleet"]["clusters"] == 50 and data["fleet"]["by_status"]["unreachable"] == 5
    named = {row["context"] for row in data["clusters"]}
    assert {name for name, reply in clusters.items() if reply is not COMPLETE} <= named
    everything = fleet_tools(FleetRunner(THREE)).call("flux_diagnose", ARGS)["data"]
    assert data["causes_total"] == everything["causes_total"] > len(data["causes"]) > 0
    assert data["truncated"] is True and data["continue"] == str(len(data["causes"]))
    complete, partial = (row["objects"] for row in everything["clusters"][:2])
    assert data["fleet"]["objects"] == 20 * complete + 25 * partial
    assert len(data["complete"]) == 20  # clusters that answered fully are named, their counts are in the totals
    rest = fleet_tools(FleetRunner(clusters)).call(
        "flux_diagnose", {"contexts": names, "include_logs": False, "continue": data["continue"]}
    )["data"]
    expected = everything["causes"][len(data["causes"]) :]
    assert [(c["kind"], c["reason"]) for c in rest["causes"]] == [(c["kind"], c["reason"]) for c in expected]
    shown = zip(rest["causes"], expected, strict=True)  # the budget of 50 clusters may shorten a message
    assert all(full["message"].startswith(cause["message"].removesuffix("…")) for cause, full in shown)


def test_each_cluster_keeps_its_cache_across_fleet_calls():
    runner = FleetRunner({"a": empty_list, "b": empty_list})
    tools = fleet_tools(runner, cache_ttl_secs=60)
    tools.call("flux_stats", {"contexts": ["a", "b"]})
    count = len(runner.calls)
    again = tools.call("flux_stats", {"contexts": ["a", "b"]})
    assert again["success"] and len(runner.calls) == count
    fresh = tools.call("flux_stats", {"contexts": ["a", "b"], "fresh": True})
    assert fresh["success"] and len(runner.calls) > count


def test_tools_that_answer_for_one_cluster_refuse_contexts():
    envelope = fleet_tools(FleetRunner(THREE)).call("flux_kustomization_get", {"name": "apps", "contexts": ["lab"]})
    assert envelope["error_type"] == "InvalidInput" and "flux_diagnose" in envelope["hint"]


def test_adapters_see_the_fleet_arguments_in_the_spec_table():
    for name in ("flux_diagnose", "flux_kustomization_list", "flux_helmrelease_list", "flux_stats"):
        properties = tool_definition(get_spec(name))["inputSchema"]["properties"]
        assert properties["contexts"]["type"] == "array" and properties["all_contexts"]["type"] == "boolean"


def test_the_fleet_arguments_are_offered_only_where_a_fleet_call_could_be_answered():
    """Without an allow-list the fleet's parameters would be refused, so the faces do not publish them."""
    fleets = ("flux_diagnose", "flux_kustomization_list", "flux_helmrelease_list", "flux_stats")

    def fleet_parameters(tools: FluxTools) -> set[str]:
        return {key for spec in tools.specs() if spec.name in fleets for key in spec.json_schema()["properties"]} & {
            "contexts",
            "all_contexts",
        }

    assert fleet_parameters(FluxTools(FluxConfig(kubeconfig="/dev/null"))) == set()
    assert fleet_parameters(FluxTools(FluxConfig(kubeconfig="/dev/null", fleet_contexts=["a", "b"]))) == {
        "contexts",
        "all_contexts",
    }
    assert fleet_parameters(FluxTools(cluster="demo")) == {"contexts", "all_contexts"}
    envelope = FluxTools(FluxConfig(kubeconfig="/dev/null")).call("flux_stats", {"all_contexts": True})
    assert envelope["error_type"] == "PolicyDenied"  # still validated, and refused by the fleet's rule


def test_progress_is_told_of_each_cluster_as_it_answers():
    seen = []

    def progress(answer, done, total):
        seen.append((answer.context, answer.envelope["success"], done, total))

    envelope = asyncio.run(fleet_tools(FleetRunner(THREE)).acall("flux_diagnose", ARGS, progress=progress))
    assert envelope["success"]
    assert sorted(context for context, *_ in seen) == sorted(ARGS["contexts"])
    assert [(done, total) for *_, done, total in seen] == [(1, 3), (2, 3), (3, 3)]


def test_an_mcp_server_reaches_no_context_it_does_not_allow():
    from fluxtools import FluxConfig
    from fluxtools.mcp.toolset import McpToolset

    runner = FleetRunner(THREE)
    single_context = McpToolset(FluxConfig(context="lab", cache_ttl_secs=0), runner=runner)
    refused = asyncio.run(single_context.call("flux_stats", {"contexts": ["lab-restricted"]}))
    assert refused["error_type"] == "PolicyDenied" and runner.calls == []
    served = McpToolset(FluxConfig(context="lab", cache_ttl_secs=0), contexts=["lab-restricted"], runner=runner)
    outside = asyncio.run(served.call("flux_stats", {"contexts": ["lab", "lab-unreachable"]}))
    assert outside["error_type"] == "PolicyDenied" and "lab-unreachable" in outside["error"]
    inside = asyncio.run(served.call("flux_stats", {"contexts": ["lab", "lab-restricted"]}))
    assert inside["success"] and contexts_called(runner) == {"lab", "lab-restricted"}
