"""Reconcile, suspend and resume workflows on synthetic object states (scripted runner)."""

import contextlib
import json

from fluxtools import FluxConfig, FluxTools
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object


def scripted(objects, flux_reply=(0, "", ""), **config):
    states = iter(objects)
    last = {}

    def reply(argv):
        if argv[0] == "flux":
            return flux_reply
        if "events" in argv:
            return (0, json.dumps({"items": [{"message": "kustomize build failed", "lastTimestamp": "t"}]}), "")
        with contextlib.suppress(StopIteration):
            last["obj"] = next(states)
        return (0, json.dumps(last["obj"]), "")

    runner = ScriptedRunner(reply)
    return FluxTools(FluxConfig(**config), runner=runner), runner


def reconcile(flux, **args):
    return flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps", **args})


def test_succeeded_reports_new_revision():
    flux, _ = scripted([ready_object(), ready_object(), ready_object(requested="t1", handled="t1")])
    data = reconcile(flux)["data"]
    assert data["verdict"] == "succeeded" and data["reconciled"] is True
    assert data["revision"] == "main@sha1:abc"


def test_failed_returns_as_soon_as_handled_not_at_timeout():
    failed = ready_object(requested="t1", handled="t1", ready="False")
    flux, runner = scripted([ready_object(), failed], flux_reply=(1, "", "✗ context deadline exceeded"))
    data = reconcile(flux)["data"]
    assert data["verdict"] == "failed" and data["reconciled"] is False
    assert data["reason"] == "X" and data["message"] == "m"
    assert data["warnings"] == ["kustomize build failed"]
    assert runner.clock < 10  # two polls, not the 120 s timeout


def test_stalled_cli_failure_is_a_failed_verdict():
    flux, _ = scripted([ready_object()], flux_reply=(1, "", "✗ Failed to install after 1 attempt(s)\n"))
    data = reconcile(flux)["data"]
    assert data["verdict"] == "failed"
    assert data["cli_error"] == "Failed to install after 1 attempt(s)"


def test_suspended_object_is_not_annotated():
    flux, runner = scripted([ready_object(suspend=True)])
    data = reconcile(flux)["data"]
    assert data["verdict"] == "suspended"
    assert "flux_resume" in data["hint"]
    assert not [call for call in runner.calls if call[0] == "flux"]


def test_timed_out_when_never_handled():
    flux, runner = scripted([ready_object()], flux_reply=(-9, "", ""))
    data = reconcile(flux, timeout_secs=10)["data"]
    assert data["verdict"] == "timed_out"
    assert runner.clock <= 10


def test_forbidden_cli_error_is_permission_denied():
    flux, _ = scripted(
        [ready_object()],
        flux_reply=(
            1,
            "",
            '✗ kustomizations.kustomize.toolkit.fluxcd.io "apps" is forbidden: User "jane" cannot patch',
        ),
    )
    envelope = reconcile(flux)
    assert envelope["error_type"] == "PermissionDenied"
    assert envelope["error"] == "Insufficient permissions to reconcile kustomization/apps"


def test_source_kind_is_resolved_and_ambiguity_lists_candidates():
    def reply(argv):
        if "--field-selector" in argv:
            items = [{"kind": "GitRepository"}, {"kind": "HelmRepository"}]
            return (0, json.dumps({"items": items}), "")
        return (0, "{}", "")

    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(reply))
    envelope = flux.call("flux_reconcile", {"kind": "source", "name": "podinfo"})
    assert envelope["error_type"] == "InvalidInput"
    assert "GitRepository/flux-system/podinfo, HelmRepository/flux-system/podinfo" in envelope["error"]


def test_source_not_found():
    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(lambda argv: (0, '{"items": []}', "")))
    envelope = flux.call("flux_reconcile", {"kind": "source", "name": "nope"})
    assert envelope["error_type"] == "NotFound"
    assert envelope["error"] == "Source 'nope' not found in namespace 'flux-system'"


def test_suspend_of_missing_object_is_not_found_even_though_cli_exits_0():
    def reply(argv):
        if argv[0] == "kubectl":
            return (
                1,
                "",
                'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "my-app" not found',
            )
        return (0, "", "✗ Kustomization my-app not found in default namespace")

    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(reply))
    envelope = flux.call("flux_suspend", {"kind": "kustomization", "name": "my-app", "namespace": "default"})
    assert envelope["error_type"] == "NotFound"
    assert envelope["error"] == "Kustomization 'my-app' not found in namespace 'default'"


FORBIDDEN = (
    'kustomizations.kustomize.toolkit.fluxcd.io "apps" is forbidden: User "jane" cannot patch resource '
    '"kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"'
)


def test_suspend_cli_cross_line_fails_even_with_exit_0():
    def reply(argv):
        if argv[0] == "kubectl":
            return (0, json.dumps(ready_object()), "")
        return (0, "", "► suspending\n✗ failed suspending Kustomization apps in flux-system namespace: " + FORBIDDEN)

    envelope = FluxTools(FluxConfig(), runner=ScriptedRunner(reply)).call(
        "flux_suspend", {"kind": "kustomization", "name": "apps"}
    )
    assert envelope["error_type"] == "PermissionDenied"


def test_suspend_response_fields():
    flux, _ = scripted([ready_object()])
    data = flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})["data"]
    assert data == {
        "suspended": True,
        "kind": "kustomization",
        "name": "apps",
        "namespace": "flux-system",
        "message": "reconciliation suspended",
        "was_suspended": False,
    }


def test_resume_reports_readiness_verdict():
    flux, _ = scripted([ready_object(suspend=True, generation=2), ready_object(generation=3)])
    data = flux.call("flux_resume", {"kind": "helmrelease", "name": "apps"})["data"]
    assert data["resumed"] is True and data["was_suspended"] is True
    assert data["verdict"] == "succeeded"
    assert data["message"] == "m"


def test_read_only_refuses_mutations_before_running():
    flux, runner = scripted([ready_object()], read_only=True)
    envelope = flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert envelope["error_type"] == "PolicyDenied"
    assert runner.calls == []
    assert all(not spec.mutating for spec in flux.specs())
