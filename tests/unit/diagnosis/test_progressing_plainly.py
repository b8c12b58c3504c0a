"""A progressing entry with failure evidence says plainly that it is in progress, not failed."""

from fluxtools import FluxTools
from fluxtools._report import render
from fluxtools.diagnosis import analyse
from fluxtools.diagnosis.answer import STILL_IN_PROGRESS
from tests.unit.diagnosis.test_analysis import obj

HEALTH_FAILED = (
    "health check failed after 5m0.03s: timeout waiting for: [Deployment/team-b/never-ready status: 'InProgress']"
)
"""kustomize-controller's message when a health check times out (as the lab's slow-health shows it every 5 min)."""


def test_slow_health_on_the_demo_is_in_progress():
    """The demo is recorded within minutes of the lab's start: slow-health is in its first health check."""
    envelope = FluxTools(cluster="demo").call("flux_diagnose", {"severity": "progressing"})
    [entry] = envelope["data"]["progressing"]
    assert entry["objects"] == ["Kustomization/team-b/slow-health"] and "state" not in entry
    assert "◎ Kustomization/team-b/slow-health" in render(envelope)


def test_a_progressing_object_with_an_earlier_failed_attempt_says_so_synthetic():
    waiting = obj("Kustomization", "slow-health", ns="team-b", ready="Unknown", reason="Progressing", message="working")
    involved = {"kind": "Kustomization", "name": "slow-health", "namespace": "team-b"}
    events = [{"type": "Warning", "involvedObject": involved, "message": HEALTH_FAILED, "count": 1}]
    logs = [
        {
            "level": "error",
            "ts": "2026-12-01T04:25:54.133Z",
            "msg": "Reconciliation failed after 5m0.33s, next try in 1h0m0s",
            "controllerKind": "Kustomization",
            "name": "slow-health",
            "namespace": "team-b",
            "error": HEALTH_FAILED,
        }
    ]
    report = analyse([waiting], events, logs)
    [entry] = report["progressing"]
    assert entry["state"] == STILL_IN_PROGRESS and "health check failed" in entry["events"][0]
    text = render({"success": True, "data": report})
    part = text[text.index("PROGRESSING") :]
    flat = " ".join(part.split())
    assert "In progress, not failed" in flat
    assert "earlier attempt's event: health check failed" in flat
    assert "earlier attempt's log:" in flat
    assert "\n    event:" not in part and "\n    log:" not in part


def test_a_progressing_object_without_failure_evidence_needs_no_explanation_synthetic():
    report = analyse([obj("Kustomization", "waiting", ready="Unknown", reason="Progressing", message="working")])
    assert report["progressing"] and "state" not in report["progressing"][0]
    assert "In progress, not failed" not in render({"success": True, "data": report})
