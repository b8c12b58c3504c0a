"""The diagnosis within a small budget keeps every cause, its next action and its evidence.

The first tests run on synthetic objects (written here); the last on the embedded demo cluster.
"""

from __future__ import annotations

import json

from fluxtools import FluxTools
from fluxtools.diagnosis import analyse
from tests.unit.diagnosis.test_analysis import GIT, obj

MESSAGE = "kustomize build failed: accumulating resources from 'missing-file.yaml': no such file or directory"
SYNTHETIC_OBJECTS = [
    obj("GitRepository", "flux-system"),
    obj("Kustomization", "broken-build", ready="False", reason="BuildFailed", message=MESSAGE, sourceRef=GIT),
]


def event(message: str) -> dict:
    involved = {"kind": "Kustomization", "name": "broken-build", "namespace": "flux-system"}
    return {"type": "Warning", "involvedObject": involved, "message": message, "count": 3}


def test_an_aggregated_event_repeating_the_message_is_not_shown_but_counted():
    """Kubernetes' event aggregation prefixes `(combined from similar events): `; the message already says it."""
    report = analyse(SYNTHETIC_OBJECTS, [event(f"(combined from similar events): {MESSAGE}")])
    [cause] = report["causes"]
    assert "events" not in cause and cause["warning_events"] == 3
    assert cause["message"].startswith("kustomize build failed")


def test_an_event_that_says_more_than_the_message_is_shown():
    report = analyse(SYNTHETIC_OBJECTS, [event("Health check failed after 5m: Deployment/apps/web not ready")])
    assert report["causes"][0]["events"] == ["Health check failed after 5m: Deployment/apps/web not ready"]


def test_the_demo_diagnosis_within_6_kb_pages_through_every_cause_with_its_action_and_evidence():
    """Each 6 KB page holds whole causes, highest ranked first; together the pages hold every cause."""
    tools = FluxTools(cluster="demo")
    full = tools.call("flux_diagnose", {"max_bytes": 1_048_576})["data"]
    causes, args = [], {"max_bytes": 6144}
    for _ in range(len(full["causes"])):
        envelope = tools.call("flux_diagnose", args)
        assert len(json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()) <= 6144
        assert envelope["data"]["causes"], envelope["data"]
        causes += envelope["data"]["causes"]
        if "continue" not in envelope["data"]:
            break
        args = {"max_bytes": 6144, "continue": envelope["data"]["continue"]}
    assert len(causes) == len(full["causes"]) == full["summary"]["root_causes"]
    for whole, cut in zip(full["causes"], causes, strict=True):
        assert cut["objects"] == whole["objects"] and cut["reason"] == whole["reason"]
        assert cut["next_action"]["tool"] == whole["next_action"]["tool"]
        assert cut["next_action"]["do"] == whole["next_action"]["do"]
        assert cut["message"]  # the object's own condition: the first evidence
        for key in ("events", "logs"):  # a line the full answer shows is kept: at least one of them
            assert bool(cut.get(key)) == bool(whole.get(key)), (cut["objects"], key)
