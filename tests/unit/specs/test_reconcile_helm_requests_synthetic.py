"""flux_reconcile's HelmRelease requests (force, reset) on synthetic objects: the flags flux is given, the
verdict of the run that took them, and the refusal for every other kind before anything runs."""

import json

import pytest

from fluxtools.specs.actions import RECONCILABLE, ReconcileArgs
from fluxtools.specs.forms import literal_values
from tests.unit.specs.support import CONN, tools
from tests.unit.support import ready_object

FORCE_AT = "reconcile.fluxcd.io/forceAt"
RESET_AT = "reconcile.fluxcd.io/resetAt"


def release(requested=None, handled=None, ready="True", force=None, reset=None, force_handled=None, reset_handled=None):
    """A synthetic HelmRelease: the requests flux wrote (annotations) and those helm-controller echoed (status)."""
    obj = ready_object(kind="HelmRelease", requested=requested, handled=handled, ready=ready)
    obj["metadata"]["annotations"].update({k: v for k, v in ((FORCE_AT, force), (RESET_AT, reset)) if v})
    status = {"lastHandledForceAt": force_handled, "lastHandledResetAt": reset_handled}
    obj["status"].update({k: v for k, v in status.items() if v})
    return obj


def scripted(after, flux_reply=(0, "", "")):
    gets = iter([release(requested="t0", handled="t0"), after])
    last = {}

    def reply(argv):
        if argv[0] == "flux":
            return flux_reply
        if "events" in argv:
            return (0, json.dumps({"items": [{"message": "upgrade retries exhausted", "lastTimestamp": "t"}]}), "")
        last["obj"] = next(gets, last.get("obj"))
        return (0, json.dumps(last["obj"]), "")

    return tools(reply)


def flux_calls(runner):
    return [call for call in runner.calls if call[0] == "flux"]


@pytest.mark.parametrize(
    ("args", "flags"),
    [
        ({"force": True}, ["--force"]),
        ({"reset": True}, ["--reset"]),
        ({"force": True, "reset": True}, ["--force", "--reset"]),
    ],
)
def test_force_and_reset_are_the_flux_flags_and_the_answer_says_the_controller_took_them(args, flags):
    stamp = "t1"
    after = release(
        requested=stamp,
        handled=stamp,
        force=stamp if "force" in args else None,
        reset=stamp if "reset" in args else None,
        force_handled=stamp if "force" in args else None,
        reset_handled=stamp if "reset" in args else None,
    )
    flux, runner = scripted(after)
    envelope = flux.call("flux_reconcile", {"kind": "hr", "name": "apps", **args})
    data = envelope["data"]
    assert data["verdict"] == "succeeded", envelope
    assert flux_calls(runner) == [
        ["flux", *CONN, "reconcile", "helmrelease", "apps", "-n", "flux-system", "--timeout=120s", *flags]
    ]
    assert {key: data[key] for key in data if key.endswith("_handled")} == {f"{flag}_handled": True for flag in args}


def test_a_forced_run_that_fails_is_a_failed_verdict_saying_the_force_was_taken():
    after = release(requested="t1", handled="t1", ready="False", force="t1", force_handled="t1")
    flux, _ = scripted(after, flux_reply=(1, "", "✗ context deadline exceeded"))
    data = flux.call("flux_reconcile", {"kind": "helmrelease", "name": "apps", "force": True})["data"]
    assert data["verdict"] == "failed" and data["reconciled"] is False
    assert data["force_handled"] is True
    assert data["warnings"] == ["upgrade retries exhausted"]


def test_a_reset_the_controller_did_not_echo_is_said_not_taken():
    after = release(requested="t1", handled="t1", reset="t1", reset_handled="t0")
    flux, _ = scripted(after)
    data = flux.call("flux_reconcile", {"kind": "helmrelease", "name": "apps", "reset": True})["data"]
    assert data["verdict"] == "succeeded"
    assert data["reset_handled"] is False


def test_without_requests_the_answer_has_no_request_fields():
    flux, runner = scripted(release(requested="t1", handled="t1"))
    data = flux.call("flux_reconcile", {"kind": "helmrelease", "name": "apps"})["data"]
    assert data["verdict"] == "succeeded"
    assert not [key for key in data if key.endswith("_handled")]
    assert "--force" not in flux_calls(runner)[0] and "--reset" not in flux_calls(runner)[0]


@pytest.mark.parametrize("flag", ["force", "reset"])
@pytest.mark.parametrize("kind", ["kustomization", "ks", "source", "gitrepository", "helmchart", "receiver"])
def test_force_or_reset_on_another_kind_is_refused_before_anything_runs(kind, flag):
    flux, runner = tools()
    envelope = flux.call("flux_reconcile", {"kind": kind, "name": "apps", flag: True})
    assert envelope["error_type"] == "InvalidInput"
    assert f"'{flag}' applies to kind helmrelease only" in envelope["error"]
    assert runner.calls == []


def test_every_reconcile_kind_but_source_has_its_flux_kind():
    assert set(literal_values(ReconcileArgs.model_fields["kind"].annotation)) == {*RECONCILABLE, "source"}


def test_the_person_asked_to_approve_reads_the_forced_upgrade_and_the_reset():
    seen = []

    def approver(request):
        seen.append(request)
        return (False, "not now")

    flux, runner = tools(approver=approver)
    args = {"kind": "helmrelease", "name": "web", "namespace": "apps", "force": True, "reset": True}
    envelope = flux.call("flux_reconcile", args)
    assert (
        envelope["error"]
        == "Approval denied for reconcile helmrelease apps/web (forced upgrade, retries reset): not now"
    )
    assert runner.calls == []


@pytest.mark.parametrize(
    ("kind", "status", "revision"),
    [
        ("ImagePolicy", {"latestRef": {"name": "reg/app", "tag": "6.2.0"}}, "reg/app:6.2.0"),
        ("ImagePolicy", {"latestRef": {"name": "reg/app", "tag": "1", "digest": "sha256:ab"}}, "reg/app:1@sha256:ab"),
        ("ImageUpdateAutomation", {"lastPushCommit": "0a1b2c"}, "0a1b2c"),
    ],
)
def test_a_succeeded_image_verdict_says_what_the_run_gave(kind, status, revision):
    before = ready_object(kind=kind, requested="t0", handled="t0")
    after = ready_object(kind=kind, requested="t1", handled="t1")
    for obj in (before, after):
        obj["status"].pop("lastAppliedRevision")
    after["status"].update(status)
    gets = iter([before, after])
    last = {}

    def reply(argv):
        if argv[0] == "flux":
            return (0, "", "")
        last["obj"] = next(gets, last.get("obj"))
        return (0, json.dumps(last["obj"]), "")

    flux, _ = tools(reply)
    data = flux.call("flux_reconcile", {"kind": kind.lower(), "name": "apps"})["data"]
    assert data["verdict"] == "succeeded" and data["revision"] == revision, data
