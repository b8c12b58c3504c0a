"""Verdicts by watch, recorded and replayed: the replay reaches the recording's verdict the recording's way.

The cluster is synthetic (tests/unit/support.py); recording and replay go through `CassetteRunner`.
"""

from __future__ import annotations

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools.cassettes import Cassette, CassetteRunner
from fluxtools.specs import actions
from tests.unit.support import WatchCluster, is_watch, ready_object

BEFORE = ready_object(requested="t0", handled="t0")
PENDING = ready_object(requested="t1", handled="t0", ready="Unknown")
FAILED = ready_object(requested="t1", handled="t1", ready="False")
SUCCEEDED = ready_object(requested="t1", handled="t1")
CLI_FAILED = (1, "", "✗ Reconciliation failed terminally due to configuration error\n")
RECONCILE = ("flux_reconcile", {"kind": "kustomization", "name": "apps"})


def call(runner, tool, args):
    return FluxTools(FluxConfig(verdict_watch=True, cache_ttl_secs=0), runner=runner).call(tool, args)


def record(tmp_path, cluster, tool, args):
    runner = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), cluster, mode="once")
    envelope = call(runner, tool, args)
    assert runner.save()
    return envelope


def replay(tmp_path, tool, args, **runner_options):
    runner = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none", **runner_options)
    return call(runner, tool, args), runner


def recorded(tmp_path, argv_has: str):
    return next(i for i in Cassette.load(tmp_path / "c.cli.yaml").interactions if argv_has in i.argv)


def polls_played(runner) -> int:
    """Played `kubectl get <object> -o json` reads: the read before the request, plus any polling."""
    played = [runner.recorded[index].argv for index in runner.played]
    return sum(1 for argv in played if argv[0] == "kubectl" and not is_watch(argv) and "events" not in argv)


def same_as_recorded(tmp_path, envelope, tool, args):
    again, runner = replay(tmp_path, tool, args)
    assert again == envelope
    assert len(runner.played) == len(runner.recorded)  # every recorded command played, no other ran
    assert polls_played(runner) == 1  # the verdict came from the replayed watch, not from polling
    return again["data"]


def test_watch_decided_first_and_the_cli_was_cancelled(tmp_path):
    cluster = WatchCluster([BEFORE], [BEFORE, PENDING, FAILED], gap=0.01, cli=CLI_FAILED, cli_after=5)
    envelope = record(tmp_path, cluster, *RECONCILE)
    assert envelope["data"]["verdict"] == "failed" and "cli_error" not in envelope["data"]
    assert recorded(tmp_path, "reconcile").cancelled
    watch = recorded(tmp_path, "--watch")
    assert watch.cancelled and watch.stdout.count('"kind": "Kustomization"') == 3
    data = same_as_recorded(tmp_path, envelope, *RECONCILE)
    assert data["reason"] == "X"


def test_a_success_by_watch_replays_as_recorded(tmp_path):
    cluster = WatchCluster([BEFORE], [BEFORE, SUCCEEDED], gap=0.01, cli_after=5)
    envelope = record(tmp_path, cluster, *RECONCILE)
    assert same_as_recorded(tmp_path, envelope, *RECONCILE)["verdict"] == "succeeded"


@pytest.mark.parametrize("late", [(), (SUCCEEDED,)], ids=["watch-quiet", "handled-version-after-the-cancel"])
def test_the_cli_failed_first_and_the_watch_was_cancelled_before_a_handled_version(tmp_path, late):
    cluster = WatchCluster([BEFORE], [BEFORE], cli=CLI_FAILED, cli_after=0.05, late=late)
    envelope = record(tmp_path, cluster, *RECONCILE)
    data = envelope["data"]
    assert data["verdict"] == "failed" and data["cli_error"].startswith("Reconciliation failed terminally")
    assert not recorded(tmp_path, "reconcile").cancelled
    watch = recorded(tmp_path, "--watch")
    assert watch.cancelled and watch.stdout.count('"kind": "Kustomization"') == 1  # BEFORE only
    assert same_as_recorded(tmp_path, envelope, *RECONCILE)["cli_error"] == data["cli_error"]


def test_resume_by_watch_replays_as_recorded(tmp_path):
    suspended = ready_object(suspend=True, generation=2)
    resumed = ready_object(generation=3)
    condition = {**resumed["status"]["conditions"][0], "observedGeneration": 2}
    old = {**resumed, "status": {**resumed["status"], "conditions": [condition]}}  # not yet the new generation
    args = {"kind": "kustomization", "name": "apps"}
    envelope = record(tmp_path, WatchCluster([suspended], [old, resumed], gap=0.01), "flux_resume", args)
    assert envelope["data"]["verdict"] == "succeeded"
    assert recorded(tmp_path, "--watch").cancelled
    assert same_as_recorded(tmp_path, envelope, "flux_resume", args)["was_suspended"] is True


def test_a_replay_that_no_longer_stops_the_watch_fails_and_says_why(tmp_path, monkeypatch):
    cluster = WatchCluster([BEFORE], [BEFORE], cli=CLI_FAILED, cli_after=0.05)
    record(tmp_path, cluster, *RECONCILE)
    monkeypatch.setattr(actions, "outcome_from_cli", lambda done, before: None)  # the CLI's failure ignored
    envelope, _ = replay(tmp_path, *RECONCILE, cancel_wait=0.1)
    assert envelope["success"] is False
    assert "cancelled by its caller" in envelope["error"] and "--watch" in envelope["error"]
