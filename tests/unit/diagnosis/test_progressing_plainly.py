"""A progressing entry with failure evidence says plainly that it is in progress, not failed."""

from fluxtools import FluxTools
from fluxtools._report import render
from fluxtools.diagnosis import analyse
from fluxtools.diagnosis.answer import STILL_IN_PROGRESS
from tests.unit.diagnosis.test_analysis import obj


def test_slow_health_on_the_demo_is_in_progress_with_an_earlier_failed_attempt():
    envelope = FluxTools(cluster="demo").call("flux_diagnose", {"severity": "progressing"})
    entry = envelope["data"]["progressing"][0]
    assert entry["objects"] == ["Kustomization/team-b/slow-health"]
    assert entry["state"] == STILL_IN_PROGRESS and "health check failed" in entry["events"][0]
    text = render(envelope)
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
