"""The demo runner's matching rules on a small synthetic recording (hand-built interactions, not the lab's).

The recording below imitates what `python -m scripts.record_demo` writes:
baseline reads, then a suspend and a resume of one Kustomization with the
object read after each. Output texts follow the shapes kubectl and flux print.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fluxtools import FluxTools
from fluxtools.cassettes import Interaction
from fluxtools.demo import DemoRunner
from fluxtools.demo.recording import MISSING_NAME, Mutation, Recording

KS = "kustomizations.kustomize.toolkit.fluxcd.io"
READ_AT = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


def kustomization(name: str, namespace: str, *, suspend: bool, generation: int) -> dict:
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": namespace, "generation": generation},
        "spec": {"suspend": suspend, "path": f"./{name}", "interval": "10m"},
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True",
                    "reason": "ReconciliationSucceeded",
                    "message": "Applied revision: main@sha1:0123",
                    "observedGeneration": generation,
                }
            ]
        },
    }


def get(name: str, obj: dict | None = None, namespace: str = "flux-system") -> Interaction:
    argv = ["kubectl", "get", KS, name, "-n", namespace, "-o", "json"]
    if obj is None:
        return Interaction(argv, 1, "", f'Error from server (NotFound): {KS} "{name}" not found\n')
    return Interaction(argv, 0, json.dumps(obj, indent=4), "", duration=0.05)


def log_line(second: int, message: str) -> str:
    stamp = (READ_AT - dt.timedelta(seconds=600 - second)).isoformat().replace("+00:00", "Z")
    entry = {"level": "info", "ts": stamp, "msg": message, "controllerKind": "Kustomization", "name": "apps"}
    return json.dumps(entry)


LOG_LINES = [log_line(second, f"line {second}") for second in range(0, 600, 60)]  # one a minute, 10 minutes


def export(suspend: bool) -> Interaction:
    text = "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n"
    text += "  namespace: flux-system\nspec:\n  path: ./apps\n" + ("  suspend: true\n" if suspend else "")
    return Interaction(["flux", "export", "kustomization", "apps", "-n", "flux-system"], 0, text)


def synthetic_recording() -> Recording:
    apps = kustomization("apps", "flux-system", suspend=False, generation=1)
    team = kustomization("team-app", "team-a", suspend=False, generation=1)
    paused = kustomization("apps", "flux-system", suspend=True, generation=2)
    resumed_pending = {**kustomization("apps", "flux-system", suspend=False, generation=3)}
    resumed_pending["status"] = {"conditions": [{**apps["status"]["conditions"][0], "observedGeneration": 2}]}
    resumed = kustomization("apps", "flux-system", suspend=False, generation=3)
    all_list = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "KustomizationList", "items": [apps, team]}
    interactions = [
        # baseline
        get("apps", apps),
        Interaction(["kubectl", "get", "--raw", "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations"], 0,
                    json.dumps(all_list)),
        export(False),
        get(MISSING_NAME),
        Interaction(["kubectl", "logs", "deployment/kustomize-controller", "-n", "flux-system", "--tail=1000"], 0,
                    "\n".join(LOG_LINES) + "\n"),
        # suspend: before read, the command; then the read after it and the export
        get("apps", apps),
        Interaction(["flux", "suspend", "kustomization", "apps", "-n", "flux-system", "--timeout=30s"], 0, "",
                    "► suspending kustomization apps in flux-system namespace\n✔ kustomization suspended\n"),
        get("apps", paused),
        export(True),
        # resume: before read, the command, one poll still on the old generation, one handled
        get("apps", paused),
        Interaction(["flux", "resume", "kustomization", "apps", "-n", "flux-system", "--wait=false",
                     "--timeout=30s"], 0, "", "► resuming kustomization apps in flux-system namespace\n"),
        get("apps", resumed_pending),
        get("apps", resumed),
        get("apps", resumed),
        export(False),
    ]  # fmt: skip
    mutations = [
        Mutation("flux_suspend kind=kustomization name=apps", "Kustomization/flux-system/apps", False,
                 range(5, 7), 7, range(7, 9)),
        Mutation("flux_resume kind=kustomization name=apps", "Kustomization/flux-system/apps", True,
                 range(9, 13), 13, range(13, 15)),
    ]  # fmt: skip
    reconcile = ["flux", "reconcile", "kustomization", "apps", "-n", "flux-system", "--timeout=120s"]
    for run, requested in enumerate(("2026-01-01T12:01:00Z", "2026-01-01T12:02:00Z")):
        start = len(interactions)
        handled = requested_at(apps, requested)
        interactions += [
            get("apps", requested_at(apps, "2026-01-01T12:01:00Z") if run else apps),
            get("apps", handled),
            Interaction(reconcile, -9, duration=2.0, cancelled=True),
            get("apps", handled),
        ]
        mutations.append(Mutation("flux_reconcile kind=kustomization name=apps", "Kustomization/flux-system/apps",
                                  False, range(start, start + 3), start + 3, range(start + 3, start + 4)))  # fmt: skip
    return Recording(interactions, range(0, 5), mutations, READ_AT)


def requested_at(obj: dict, stamp: str) -> dict:
    """The object once its controller handled a reconcile request made at `stamp`."""
    metadata = {**obj["metadata"], "annotations": {"reconcile.fluxcd.io/requestedAt": stamp}}
    return {**obj, "metadata": metadata, "status": {**obj["status"], "lastHandledReconcileAt": stamp}}


@pytest.fixture
def recording() -> Recording:
    return synthetic_recording()


def tools_on(recording: Recording) -> FluxTools:
    return FluxTools(runner=DemoRunner(recording), cache_ttl_secs=0, reconcile_min_interval_secs=0)


def suspended(tools: FluxTools) -> bool:
    envelope = tools.call("flux_kustomization_get", {"name": "apps"})
    assert envelope["success"], envelope
    return envelope["data"]["suspended"]


def test_suspend_then_resume_changes_what_reads_show(recording):
    tools = tools_on(recording)
    assert suspended(tools) is False
    assert tools.call("flux_suspend", {"kind": "kustomization", "name": "apps"})["success"]
    assert suspended(tools) is True
    listed = tools.call("flux_kustomization_list")["data"]["kustomizations"]
    assert [item["suspended"] for item in listed if item["name"] == "apps"] == [True]
    assert "suspend: true" in tools.call("flux_export", {"kind": "kustomization", "name": "apps"})["data"]["yaml"]
    resumed = tools.call("flux_resume", {"kind": "kustomization", "name": "apps"})
    assert resumed["success"] and resumed["data"]["verdict"] == "succeeded", resumed
    assert resumed["data"]["was_suspended"] is True
    assert resumed["data"]["duration_secs"] >= 4  # two polls of 2 s: the recorded pending one, then the handled one
    assert suspended(tools) is False
    assert "suspend" not in tools.call("flux_export", {"kind": "kustomization", "name": "apps"})["data"]["yaml"]


def test_a_repeated_reconcile_takes_the_recorded_runs_in_turn(recording):
    tools = tools_on(recording)
    handled = []
    for _ in range(3):
        result = tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps"})
        assert result["data"]["verdict"] == "succeeded", result
        handled.append(tools.call("flux_kustomization_get", {"name": "apps"})["data"]["last_handled_reconcile_at"])
    assert handled == ["2026-01-01T12:01:00Z", "2026-01-01T12:02:00Z", "2026-01-01T12:01:00Z"]


def test_each_demo_cluster_keeps_its_own_state(recording):
    first, second = tools_on(recording), tools_on(recording)
    assert first.call("flux_suspend", {"kind": "kustomization", "name": "apps"})["success"]
    assert suspended(first) is True
    assert suspended(second) is False


def test_a_mutation_from_a_state_never_recorded_is_not_recorded(recording):
    tools = tools_on(recording)
    envelope = tools.call("flux_resume", {"kind": "kustomization", "name": "apps"})  # it is not suspended
    assert envelope["error_type"] == "NotRecorded"
    assert "not suspended" in envelope["error"]


def test_a_missing_name_is_not_found_from_the_recorded_form(recording):
    envelope = tools_on(recording).call("flux_kustomization_get", {"name": "nope", "namespace": "team-b"})
    assert envelope["error_type"] == "NotFound", envelope
    assert "nope" in envelope["error"]


def test_an_existing_object_never_read_is_not_recorded_not_missing(recording):
    envelope = tools_on(recording).call("flux_kustomization_get", {"name": "team-app", "namespace": "team-a"})
    assert envelope["error_type"] == "NotRecorded"


def test_not_recorded_hint_is_short_and_names_the_nearest_command(recording):
    envelope = tools_on(recording).call("flux_logs", {"kind": "helm-controller"})
    assert envelope["error_type"] == "NotRecorded"
    assert "`kubectl logs deployment/helm-controller -n flux-system --tail=100`" in envelope["error"]
    assert len(envelope["hint"]) < 300
    assert "`kubectl logs deployment/kustomize-controller -n flux-system --tail=1000`" in envelope["hint"]


def test_logs_tail_and_since_are_cut_from_the_widest_recording(recording):
    tools = tools_on(recording)
    tail = tools.call("flux_logs", {"tail": 3})["data"]
    assert tail["lines"] == 3 and tail["logs"].splitlines()[-1].endswith("line 540")
    recent = tools.call("flux_logs", {"since": "3m"})["data"]  # written at most 3 minutes before the read
    assert [line.split(" - ")[1].strip() for line in recent["logs"].splitlines()] == [
        "line 420",
        "line 480",
        "line 540",
    ]
    both = tools.call("flux_logs", {"since": "3m", "tail": 2})["data"]
    assert both["lines"] == 2


def test_a_namespace_list_is_the_all_namespaces_list_filtered(recording):
    listed = tools_on(recording).call("flux_kustomization_list", {"namespace": "team-a"})["data"]
    assert [item["name"] for item in listed["kustomizations"]] == ["team-app"]
    empty = tools_on(recording).call("flux_kustomization_list", {"namespace": "nowhere"})["data"]
    assert empty["total"] == 0
