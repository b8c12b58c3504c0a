"""Namespace enforcement, approval, audit log, reconcile guard and secret masking."""

import itertools
import json
import os
import stat

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._masking import mask_text, mask_value
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object


def tools(reply=None, **config):
    runner = ScriptedRunner(reply or (lambda argv: (0, json.dumps(ready_object()), "")))
    return FluxTools(FluxConfig(**config), runner=runner), runner


TENANT = {"enforce_namespace": True, "namespace": "team-a"}


@pytest.mark.parametrize(
    ("tool", "args", "field"),
    [
        ("flux_kustomization_get", {"name": "x", "namespace": "flux-system"}, "namespace"),
        ("flux_kustomization_list", {"all_namespaces": True}, "all_namespaces"),
        ("flux_kustomization_list", {"namespace": "team-b"}, "namespace"),
        ("flux_helmrelease_get", {"name": "x", "namespace": "kube-system"}, "namespace"),
        ("flux_reconcile", {"kind": "kustomization", "name": "x", "namespace": "team-b"}, "namespace"),
        ("flux_suspend", {"kind": "helmrelease", "name": "x", "namespace": "default"}, "namespace"),
    ],
)
def test_cross_namespace_calls_are_refused_before_running(tool, args, field):
    flux, runner = tools(**TENANT)
    envelope = flux.call(tool, args)
    assert envelope["error_type"] == "PolicyDenied" and envelope["field"] == field
    assert "team-a" in envelope["error"]
    assert runner.calls == []


def test_default_list_is_scoped_to_the_tenant_namespace():
    flux, runner = tools(lambda argv: (0, '{"items": []}', ""), **TENANT)
    assert flux.call("flux_kustomization_list", {})["success"]
    assert runner.calls[0][-1] == "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/team-a/kustomizations"
    flux.call("flux_kustomization_get", {"name": "apps"})
    assert runner.calls[1][-4:] == ["-n", "team-a", "-o", "json"]


def test_several_allowed_namespaces_are_listed_one_by_one():
    flux, runner = tools(lambda argv: (0, '{"items": []}', ""), **TENANT, allowed_namespaces=["team-a", "team-b"])
    assert flux.call("flux_helmrelease_list", {})["data"]["total"] == 0
    assert sorted(call[-1].split("/")[-2] for call in runner.calls) == ["team-a", "team-b"]


def test_logs_are_scoped_to_allowed_namespaces():
    lines = "\n".join(
        json.dumps(
            {"level": "info", "ts": "t", "msg": m, "controllerKind": "Kustomization", "name": "n", "namespace": ns}
        )
        for m, ns in (("mine", "team-a"), ("theirs", "team-b"))
    )
    flux, _ = tools(lambda argv: (0, lines, ""), **TENANT)
    logs = flux.call("flux_logs", {})["data"]["logs"]
    assert "mine" in logs and "theirs" not in logs


def test_approval_callback_sees_the_exact_action_and_can_deny():
    seen = []

    def approver(request):
        seen.append(request)
        return (False, "change freeze")

    flux, runner = tools(approver=approver)
    envelope = flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps", "with_source": True})
    assert envelope["error_type"] == "PolicyDenied"
    assert (
        envelope["error"] == "Approval denied for reconcile kustomization flux-system/apps (with source): change freeze"
    )
    assert seen[0].tool == "flux_reconcile" and seen[0].arguments["with_source"] is True
    assert runner.calls == []


async def test_async_approver_allows():
    async def approver(request):
        return True

    flux, runner = tools(approver=approver)
    envelope = await flux.acall("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert envelope["success"], envelope


def test_require_approval_without_approver_is_denied():
    flux, runner = tools(require_approval=True)
    envelope = flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert envelope["error_type"] == "PolicyDenied" and "no approver" in envelope["error"]
    assert runner.calls == []
    assert flux.call("flux_kustomization_get", {"name": "apps"})["success"]


def test_audit_log_before_and_after_with_0600(tmp_path):
    path = tmp_path / "audit.jsonl"
    flux, _ = tools(audit_log=str(path), context="prod")
    flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    flux.call("flux_kustomization_get", {"name": "apps"})  # reads are not audited
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["phase"] for r in records] == ["before", "after"]
    assert records[0]["tool"] == "flux_suspend" and records[0]["context"] == "prod"
    assert records[1]["success"] is True and "duration_secs" in records[1] and "time" in records[1]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_audit_write_failure_refuses_the_mutation(tmp_path):
    flux, runner = tools(audit_log=str(tmp_path / "missing-dir" / "audit.jsonl"))
    envelope = flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert envelope["error_type"] == "AuditFailed"
    assert runner.calls == []


def test_reconcile_min_interval_and_circuit_breaker():
    failed = ready_object(requested="t1", handled="t1", ready="False")
    states = itertools.cycle([ready_object(), failed])

    def reply(argv):
        if argv[0] == "flux":
            return (1, "", "✗ context deadline exceeded")
        return (0, '{"items": []}' if "events" in argv else json.dumps(next(states)), "")

    flux, runner = tools(
        reply,
        reconcile_min_interval_secs=0,
        breaker_failures=2,
    )
    for _ in range(2):
        assert flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps"})["data"]["verdict"] == "failed"
    calls = len(runner.calls)
    envelope = flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps"})
    assert envelope["error_type"] == "RateLimited" and "retry in" in envelope["error"]
    assert len(runner.calls) == calls

    quick, _ = tools(reconcile_min_interval_secs=60)
    quick.call("flux_reconcile", {"kind": "kustomization", "name": "apps", "timeout_secs": 4})
    again = quick.call("flux_reconcile", {"kind": "kustomization", "name": "apps"})
    assert again["error_type"] == "RateLimited"


# Synthetic secrets, assembled at run time so that no secret-shaped literal sits in the repository.
PLANTED = [
    "https://lab-user:planted-secret-123@git.example.com/repo.git",
    "Authorization: Bearer abc.def-ghi_jklmnop",
    "password: hunter22",
    "client-key-data: " + "LS0tLS1CRUdJTi" + "BSU0E=",
    "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH " + "PRIVATE KEY-----",
    "AGE-SECRET-" + "KEY-1" + "Q" * 43,
    ".".join(["eyJhbGciOiJSUzI1NiJ9", "eyJzdWIiOiJhZG1pbiJ9", "c2lnbmF0dXJl" * 2]),
]
SECRET_PARTS = [
    "planted-secret-123",
    "jklmnop",
    "hunter22",
    "LS0tLS1CRUdJTiBSU0E",
    "b3BlbnNzaC1rZXk",
    "QQQQQQQQQQ",
    "c2lnbmF0",
]


@pytest.mark.parametrize(("text", "secret"), list(zip(PLANTED, SECRET_PARTS, strict=True)))
def test_masking(text, secret):
    assert secret not in mask_text(text)


def test_secret_objects_lose_their_data_and_results_are_masked():
    secret = {"kind": "Secret", "data": {"password": "cGxhbnRlZA=="}, "stringData": {"token": "x"}}
    assert mask_value(secret)["data"] == {"password": "***"}
    obj = ready_object()
    obj["status"]["conditions"][0]["message"] = "failed to clone https://u:planted-secret-123@h/r.git"
    flux, _ = tools(lambda argv: (0, json.dumps(obj), ""))
    assert "planted-secret-123" not in json.dumps(flux.call("flux_kustomization_get", {"name": "apps"}))


def audit_records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_cancelled_mutation_still_ends_its_audit_record(tmp_path):
    """A caller that gives up mid-mutation (client gone, task cancelled) leaves an `after` record saying so."""
    import asyncio

    path = tmp_path / "audit.jsonl"
    started = asyncio.Event()

    class Hanging(ScriptedRunner):
        async def run(self, argv, **kwargs):
            if argv[0] == "flux":
                started.set()
                await asyncio.Event().wait()  # the suspend never returns
            return await super().run(argv, **kwargs)

    runner = Hanging(lambda argv: (0, json.dumps(ready_object()), ""))
    flux = FluxTools(FluxConfig(audit_log=str(path)), runner=runner)

    async def scenario():
        task = asyncio.ensure_future(flux.acall("flux_suspend", {"kind": "kustomization", "name": "apps"}))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    records = audit_records(path)
    assert [r["phase"] for r in records] == ["before", "after"]
    assert records[1]["ended"] == "cancelled" and records[1]["success"] is None


def test_an_approver_that_raises_ends_the_audit_record(tmp_path):
    """An approver's own exception (e.g. a graph interrupt) passes through, and the audit says nothing ran."""

    class Interrupt(Exception):
        pass

    def approver(request):
        raise Interrupt("waiting for a human")

    path = tmp_path / "audit.jsonl"
    flux, runner = tools(audit_log=str(path), require_approval=True, approver=approver)
    with pytest.raises(Interrupt):
        flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    records = audit_records(path)
    assert [r["phase"] for r in records] == ["before", "after"]
    assert records[1]["ended"] == "approver raised" and records[1]["success"] is None
    assert not any(call[0] == "flux" for call in runner.calls)
