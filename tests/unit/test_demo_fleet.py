"""The demo cluster as a fleet: every context of the lab's kubeconfig, each answering as it was recorded.

The recorder read the fleet tools in every context (`scripts/demo_matrix.py`, `fleet_reads`): the lab as
an admin (the demo's default context), the restricted tenant (jane, partial RBAC in team-a), a cluster
without Flux, a closed port and aliases of the lab.
"""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from fluxtools import FluxTools
from fluxtools.cli import main
from fluxtools.demo import FLEET_COMMAND, demo_runner
from fluxtools.fleet import fleet_tools

ADMIN_LIKE = ["lab", "lab-alias-01", "lab-alias-02", "lab-alias-03"]
OTHERS = ["lab-noflux", "lab-restricted", "lab-unreachable"]


def demo(**config: Any) -> FluxTools:
    return FluxTools(cluster="demo", **config)


def rows(envelope: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assert envelope["success"], envelope
    return {row["context"]: row for row in envelope["data"]["clusters"]}


@pytest.fixture(scope="module")
def namespaces() -> list[str]:
    objects = demo().call("flux_get_all", {"max_bytes": 1_048_576})["data"]["objects"]
    return sorted({obj["namespace"] for obj in objects})


def test_the_demo_knows_the_contexts_it_recorded():
    assert demo_runner().recording.contexts.names == sorted([*ADMIN_LIKE, *OTHERS])
    assert demo_runner().recording.contexts.default == "lab"


def test_each_context_answers_as_it_was_recorded():
    contexts = ["lab", "lab-restricted", "lab-unreachable", "lab-noflux", "lab-alias-01"]
    envelope = demo().call("flux_diagnose", {"contexts": contexts, "namespace": "team-a"})
    found = rows(envelope)
    assert list(found) == contexts
    assert found["lab"]["status"] == "ok" and found["lab"]["objects"] > 0
    tenant = found["lab-restricted"]
    assert tenant["status"] == "partial" and 0 < tenant["objects"] <= found["lab"]["objects"]
    assert {item["error_type"] for item in tenant["unread"]} == {"PermissionDenied"}
    closed = found["lab-unreachable"]
    assert closed["status"] == "unreachable" and closed["error_type"] == "ClusterUnreachable"
    assert "refused" in closed["hint"]  # kubectl's own words, as recorded
    assert found["lab-noflux"]["status"] == "no_flux"
    alias = found["lab-alias-01"]
    assert alias["status"] == "ok" and alias["objects"] == found["lab"]["objects"]
    assert alias["counts"] == found["lab"]["counts"]


def test_all_contexts_reads_every_recorded_context_without_any_configuration():
    envelope = demo().call("flux_stats", {"all_contexts": True})
    found = rows(envelope)
    assert sorted(found) == sorted([*ADMIN_LIKE, *OTHERS]) and "notes" not in envelope["data"]
    totals = {context: found[context]["totals"] for context in ADMIN_LIKE}
    assert all(total == totals["lab"] for total in totals.values())
    assert found["lab-restricted"]["status"] == "denied"  # jane cannot list at the cluster scope


def test_an_unrecorded_context_is_refused_naming_the_recorded_ones():
    envelope = demo().call("flux_diagnose", {"contexts": ["lab", "production"]})
    assert envelope["error_type"] == "NotRecorded" and "'production'" in envelope["error"]
    assert all(name in envelope["error"] for name in [*ADMIN_LIKE, *OTHERS])
    single = demo(context="production").call("flux_kustomization_list")
    assert single["error_type"] == "NotRecorded" and "lab-restricted" in single["error"]


def test_the_default_context_is_the_context_the_scenario_was_read_in():
    assert demo(context="lab").call("flux_diagnose") == demo().call("flux_diagnose")


def test_every_fleet_read_is_answered_in_every_context(namespaces):
    tools = demo()
    missing = []
    for namespace in [None, *namespaces]:
        scope = {"namespace": namespace} if namespace else {}
        for tool in fleet_tools():
            narrowed = {"flux_diagnose": {"include_logs": False}, "flux_stats": {}}.get(tool, {"limit": 1})
            for extra in ({}, narrowed):
                envelope = tools.call(tool, {**scope, **extra, "all_contexts": True})
                missing += [
                    f"{tool} {scope} {extra} {row['context']}: {row.get('error')}"
                    for row in rows(envelope).values()
                    if row["status"] not in ("ok", "partial", "denied", "no_flux", "unreachable")
                ]
    assert missing == []


def test_a_suspend_shows_in_every_context_that_reaches_the_lab():
    tools = demo()
    assert tools.call("flux_suspend", {"kind": "kustomization", "name": "apps"})["success"]
    data = tools.call("flux_kustomization_list", {"all_contexts": True, "max_bytes": 1_048_576})["data"]
    apps = {
        item["context"]: item["suspended"]
        for item in data["kustomizations"]
        if (item["namespace"], item["name"]) == ("flux-system", "apps")
    }
    assert apps == dict.fromkeys(ADMIN_LIKE, True)


def test_the_fleet_reports_next_actions_are_answered_in_their_context():
    envelope = demo().call("flux_diagnose", {"all_contexts": True})
    actions = [cause["next_action"] for cause in envelope["data"]["causes"] if cause.get("next_action")]
    assert actions and {action["context"] for action in actions} == {"lab"}
    for action in actions:
        tools = demo(context=action["context"], reconcile_min_interval_secs=0)
        result = tools.call(action["tool"]["name"], action["tool"]["args"])
        assert result["success"], result


def test_the_demo_report_suggests_the_fleet_and_the_suggestion_works():
    report = CliRunner().invoke(main, ["diagnose", "--cluster", "demo"])
    assert f"  {FLEET_COMMAND}\n" in report.stdout and "TRY THE FLEET" in report.stdout
    fleet = CliRunner().invoke(main, FLEET_COMMAND.split()[1:])
    assert fleet.exit_code == 0, fleet.output
    out = fleet.stdout
    assert out.startswith("Fleet: 7 clusters (1 denied, 1 no_flux, 4 ok, 1 unreachable)"), out
    assert "✗ lab-unreachable  unreachable (ClusterUnreachable)" in out
    assert "in 4 clusters: lab, lab-alias-01, lab-alias-02, lab-alias-03" in " ".join(out.split())


def test_each_cluster_of_a_fleet_keeps_its_own_time():
    """A replayed cluster's time is its own commands' recorded time, as if it were read alone."""
    contexts = ["lab-alias-01", "lab-unreachable"]
    fleet = rows(demo(retry_attempts=1).call("flux_diagnose", {"contexts": contexts}))
    for context in contexts:
        alone = demo(context=context, retry_attempts=1)
        started = alone.runner.monotonic()
        alone.call("flux_diagnose")
        assert fleet[context]["seconds"] == round(alone.runner.monotonic() - started, 3) > 0
