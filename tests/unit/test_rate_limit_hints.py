"""A reconcile refused as too soon says what the previous verdict means, never contradicting it."""

import pytest

from fluxtools import FluxTools
from fluxtools._config import FluxConfig
from fluxtools._errors import RateLimited
from fluxtools._ratelimit import TOO_SOON_HINTS, ReconcileGuard


def twice(args: dict) -> tuple[dict, dict]:
    tools = FluxTools(cluster="demo", reconcile_min_interval_secs=600)
    return tools.call("flux_reconcile", args), tools.call("flux_reconcile", args)


def test_after_a_succeeded_verdict_the_hint_says_it_succeeded():
    first, again = twice({"kind": "kustomization", "name": "apps"})
    assert first["data"]["verdict"] == "succeeded"
    assert again["error_type"] == "RateLimited" and "(verdict: succeeded)" in again["error"]
    assert again["hint"] == TOO_SOON_HINTS["succeeded"] and "still working" not in again["hint"]


def test_after_a_failed_verdict_the_hint_says_to_fix_the_cause():
    first, again = twice({"kind": "helmrelease", "name": "broken-install", "namespace": "apps"})
    assert first["data"]["verdict"] == "failed"
    assert "(verdict: failed)" in again["error"] and again["hint"] == TOO_SOON_HINTS["failed"]


def test_a_request_that_ended_without_a_verdict_may_still_be_worked_on_synthetic():
    guard, config = ReconcileGuard(), FluxConfig(reconcile_min_interval_secs=60)
    guard.reserve("kustomization/flux-system/apps", 0.0, config)
    guard.finish("kustomization/flux-system/apps", None)  # cancelled
    with pytest.raises(RateLimited) as refused:
        guard.reserve("kustomization/flux-system/apps", 1.0, config)
    assert refused.value.hint == TOO_SOON_HINTS[None] and "verdict" not in refused.value.message
