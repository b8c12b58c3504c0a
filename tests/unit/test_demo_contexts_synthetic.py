"""The demo runner's context rules on a small synthetic recording (hand-built interactions, not the lab's).

The default context's interactions are those of `test_demo_runner_synthetic` (they name no context, as
in a recording made without one); the fleet reads around them name theirs, with output in the shapes
kubectl prints for an alias of the cluster, a restricted user and a closed port.
"""

from __future__ import annotations

import json

import pytest

from fluxtools import FluxTools
from fluxtools.cassettes import Interaction
from fluxtools.demo import DemoRunner
from fluxtools.demo.contexts import DemoContexts
from fluxtools.demo.recording import Mutation, Recording, request_key
from tests.unit.test_demo_runner_synthetic import kustomization, synthetic_recording

RAW = ["get", "--raw", "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations"]
CLUSTERS = {"lab": "lab", "lab-restricted": "lab", "lab-unreachable": "lab-unreachable", "lab-alias-01": "lab"}
FORBIDDEN = (
    'Error from server (Forbidden): kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "jane" cannot '
    'list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" at the cluster scope\n'
)
REFUSED = "The connection to the server 127.0.0.1:PORT was refused - did you specify the right host or port?\n"


def in_context(context: str, args: list[str], exit_code: int, stdout: str = "", stderr: str = "") -> Interaction:
    return Interaction(["kubectl", "--context", context, *args], exit_code, stdout, stderr)


def fleet_recording() -> Recording:
    base = synthetic_recording()
    items = [kustomization("apps", "flux-system", suspend=False, generation=1)]
    listing = json.dumps({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "KustomizationList", "items": items})
    fleet = [
        Interaction(["kubectl", "config", "get-contexts", "-o", "name"], 0, "".join(f"{n}\n" for n in CLUSTERS)),
        in_context("lab-alias-01", RAW, 0, listing),
        in_context("lab-restricted", RAW, 1, stderr=FORBIDDEN),
        in_context("lab-unreachable", RAW, 1, stderr=REFUSED),
    ]
    shifted = [
        Mutation(
            mutation.call,
            mutation.object,
            mutation.suspended_before,
            range(mutation.span.start + len(fleet), mutation.span.stop + len(fleet)),
            mutation.after + len(fleet),
            range(mutation.reads.start + len(fleet), mutation.reads.stop + len(fleet)),
        )
        for mutation in base.mutations
    ]
    interactions = [*base.interactions[:5], *fleet, *base.interactions[5:]]  # the fleet reads end the baseline
    return Recording(interactions, range(0, 5 + len(fleet)), shifted, base.read_at, DemoContexts("lab", CLUSTERS))


@pytest.fixture
def recording() -> Recording:
    return fleet_recording()


def tools_on(recording: Recording, **config) -> FluxTools:
    runner = DemoRunner(recording)
    return FluxTools(runner=runner, cluster="demo", cache_ttl_secs=0, reconcile_min_interval_secs=0, **config)


def test_a_command_in_another_context_is_matched_only_in_that_context():
    argv = ["kubectl", "--kubeconfig", "/k", "--context", "lab-alias-01", *RAW]
    assert request_key(argv, "lab") == ("--context", "lab-alias-01", "kubectl", *RAW)
    assert request_key(["kubectl", "--context=lab", *RAW], "lab") == ("kubectl", *RAW)
    assert request_key(["kubectl", *RAW], "lab") == ("kubectl", *RAW)


def test_each_recorded_context_answers_as_it_was_recorded(recording):
    data = tools_on(recording).call("flux_kustomization_list", {"all_contexts": True})["data"]
    rows = {row["context"]: row for row in data["clusters"]}
    assert list(rows) == list(CLUSTERS)  # the recorded kubeconfig's order, no allow-list configured
    assert "notes" not in data
    assert rows["lab"]["status"] == "ok" and rows["lab"]["total"] == 2  # the default context's own recording
    assert rows["lab-alias-01"]["status"] == "ok" and rows["lab-alias-01"]["total"] == 1
    assert rows["lab-restricted"]["status"] == "denied" and 'User "jane"' in rows["lab-restricted"]["hint"]
    assert rows["lab-unreachable"]["status"] == "unreachable"
    assert "was refused" in rows["lab-unreachable"]["hint"]
    assert rows["lab-unreachable"]["error"] == (
        "Unable to connect to cluster (as recorded from this context of the lab's kubeconfig)"
    )
    assert "--cluster demo" not in rows["lab-unreachable"]["hint"]  # already on it


def test_the_default_context_named_or_not_is_the_same_recording(recording):
    unnamed = tools_on(recording).call("flux_kustomization_list")
    named = tools_on(recording, context="lab").call("flux_kustomization_list")
    assert unnamed == named and unnamed["data"]["total"] == 2


def test_an_unrecorded_context_is_refused_naming_the_recorded_ones(recording):
    fleet = tools_on(recording).call("flux_kustomization_list", {"contexts": ["lab", "anything"]})
    assert fleet["error_type"] == "NotRecorded" and fleet["field"] == "contexts"
    assert "'anything'" in fleet["error"] and "lab, lab-restricted, lab-unreachable, lab-alias-01" in fleet["error"]
    single = tools_on(recording, context="anything").call("flux_kustomization_list")
    assert single["error_type"] == "NotRecorded" and "lab-alias-01" in single["error"]


def test_a_configured_allow_list_still_applies_to_the_demo(recording):
    tools = tools_on(recording, fleet_contexts=["lab", "lab-alias-01"])
    envelope = tools.call("flux_kustomization_list", {"all_contexts": True})
    assert [row["context"] for row in envelope["data"]["clusters"]] == ["lab", "lab-alias-01"]
    refused = tools.call("flux_kustomization_list", {"contexts": ["lab-restricted"]})
    assert refused["error_type"] == "PolicyDenied"


def test_a_command_a_recorded_context_never_ran_is_not_recorded_and_says_why(recording):
    envelope = tools_on(recording, context="lab-alias-01").call("flux_kustomization_get", {"name": "apps"})
    assert envelope["error_type"] == "NotRecorded"
    assert "(context lab-alias-01)" in envelope["error"] and "fleet reads" in envelope["hint"]


def test_a_mutation_shows_in_the_contexts_that_reach_the_same_cluster(recording):
    tools = tools_on(recording)
    assert tools.call("flux_suspend", {"kind": "kustomization", "name": "apps"})["success"]
    data = tools.call("flux_kustomization_list", {"contexts": ["lab", "lab-alias-01"]})["data"]
    suspended = {item["context"]: item["suspended"] for item in data["kustomizations"] if item["name"] == "apps"}
    assert suspended == {"lab": True, "lab-alias-01": True}


def test_mutations_in_another_context_are_not_recorded(recording):
    alias = tools_on(recording, context="lab-alias-01")
    envelope = alias.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert envelope["error_type"] == "NotRecorded"
