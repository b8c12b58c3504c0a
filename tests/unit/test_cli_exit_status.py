"""The exit statuses of `fluxtools call` and `fluxtools diagnose`, on the demo cluster."""

import json

import pytest
from click.testing import CliRunner

from fluxtools.cli import diagnose_status, main


@pytest.fixture(autouse=True)
def no_cluster_from_the_environment(monkeypatch):
    monkeypatch.delenv("FLUXTOOLS_CLUSTER", raising=False)


def call(tool: str, args: dict) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["call", tool, "--args", json.dumps(args), "--cluster", "demo"])
    return result.exit_code, json.loads(result.output)


def test_a_failed_reconcile_verdict_exits_3():
    status, envelope = call("flux_reconcile", {"kind": "helmrelease", "name": "broken-install", "namespace": "apps"})
    assert envelope["success"] is True and envelope["data"]["verdict"] == "failed"
    assert status == 3


def test_a_reconcile_of_a_suspended_object_exits_3():
    status, envelope = call("flux_reconcile", {"kind": "kustomization", "name": "suspended-app"})
    assert envelope["data"]["verdict"] == "suspended" and status == 3


def test_a_succeeded_reconcile_and_a_read_exit_0():
    status, envelope = call("flux_reconcile", {"kind": "kustomization", "name": "apps"})
    assert envelope["data"]["verdict"] == "succeeded" and status == 0
    status, envelope = call("flux_kustomization_get", {"name": "apps"})
    assert envelope["success"] and status == 0


def test_the_exit_statuses_are_in_the_help():
    result = CliRunner().invoke(main, ["call", "--help"])
    assert "3 when the answer is a verdict other than succeeded" in " ".join(result.output.split())


def diagnose(*flags: str) -> int:
    return CliRunner().invoke(main, ["diagnose", "--cluster", "demo", *flags]).exit_code


def test_diagnose_exits_0_without_exit_code_as_make_demo_needs():
    assert diagnose() == 0
    assert diagnose("--all-contexts") == 0


def test_diagnose_exit_code_is_3_while_anything_fails():
    assert diagnose("--exit-code") == 3
    assert diagnose("--exit-code", "--all-contexts") == 3
    assert diagnose("--exit-code", "--format", "json") == 3


def test_diagnose_exit_code_is_0_where_nothing_fails():
    assert diagnose("--exit-code", "--namespace", "team-a") == 0


def test_diagnose_exit_code_counts_what_was_not_read_synthetic():
    healthy = {"summary": {"objects": 3, "counts": {"ready": 3}}}
    unread = {**healthy, "unread": [{"kind": "HelmRelease", "namespace": "*", "error_type": "PermissionDenied"}]}
    assert diagnose_status({"success": True, "data": healthy}, exit_code=True) == 0
    assert diagnose_status({"success": True, "data": unread}, exit_code=True) == 3
    assert diagnose_status({"success": True, "data": unread}, exit_code=False) == 0
    assert diagnose_status({"success": False, "error_type": "ClusterUnreachable"}, exit_code=True) == 1


def test_diagnose_exit_code_counts_a_cluster_that_did_not_answer_synthetic():
    fleet = {"fleet": {"clusters": 2, "counts": {"ready": 3}}, "clusters": [{"status": "ok"}, {"status": "ok"}]}
    assert diagnose_status({"success": True, "data": fleet}, exit_code=True) == 0
    fleet["clusters"][1] = {"status": "unreachable"}
    assert diagnose_status({"success": True, "data": fleet}, exit_code=True) == 3
