"""Reconcile verdicts decided beside the object's own status, on a synthetic cluster: the CLI failing on the
source first, the source's own failure while the CLI waits on, and a request no controller picks up."""

from __future__ import annotations

import asyncio
import json
import time

from fluxtools import FluxConfig, FluxTools
from fluxtools._flux import follow, verdict
from fluxtools._process.runners import CommandResult
from tests.unit.support import WatchCluster, is_watch, ready_object, stream

BEFORE = ready_object(requested="2026-01-01T00:00:00Z", handled="2026-01-01T00:00:00Z")
REQUESTED = ready_object(requested="2026-01-01T00:05:00Z", handled="2026-01-01T00:00:00Z")


def source(requested=None, handled=None, ready="True"):
    obj = ready_object(kind="GitRepository", requested=requested, handled=handled, ready=ready)
    obj["metadata"]["name"] = "flux-system"
    obj["status"]["conditions"][0].update(reason="GitOperationFailed", message="dial tcp: connection refused")
    obj["spec"] = {"url": "http://git/fleet.git"}
    return obj


class TwoWatches(WatchCluster):
    """The object's watch streams `versions`; the source's watch streams `source_versions`."""

    def __init__(self, *args, source_versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source_versions = list(source_versions)

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        if is_watch(argv) and "gitrepositories.source.toolkit.fluxcd.io" in argv:
            self.calls.append(list(argv))
            for version in self.source_versions:
                await asyncio.sleep(self.gap)
                on_stdout(stream(version).encode())
            await asyncio.sleep(timeout)
        return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)


def reconcile(runner, **args):
    tools = FluxTools(FluxConfig(verdict_watch=True, cache_ttl_secs=0), runner=runner)
    return tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps", **args})


def test_a_cli_failure_on_the_source_carries_none_of_the_objects_old_ready_fields():
    cli = (1, "", "✗ GitRepository reconciliation failed: 'dial tcp: connection refused'\n")
    runner = WatchCluster([BEFORE], [BEFORE], cli=cli, cli_after=0.05)
    data = reconcile(runner, with_source=True)["data"]
    assert data["verdict"] == "failed" and data["handled"] is False
    assert "ready" not in data and "reason" not in data and "last_attempted_revision" not in data
    assert data["message"] == data["cli_error"] == "GitRepository reconciliation failed: 'dial tcp: connection refused'"


def test_the_source_failing_first_decides_while_the_cli_waits():
    failed = source(requested="2026-01-01T00:05:00Z", handled="2026-01-01T00:05:00Z", ready="False")
    runner = TwoWatches([BEFORE], [BEFORE], gap=0.02, cli_after=30, source_versions=[source(), failed])
    started = time.monotonic()
    data = reconcile(runner, with_source=True)["data"]
    assert time.monotonic() - started < 2
    assert data["verdict"] == "failed" and data["handled"] is False and "ready" not in data
    assert data["failed_source"] == "GitRepository/flux-system/flux-system"
    assert data["message"] == "its source GitRepository/flux-system/flux-system failed: dial tcp: connection refused"
    assert data["next_action"]["failure"] == "gitrepository.unreachable"
    assert data["next_action"]["tool"]["args"]["kind"] == "gitrepository"


class SourceForbidden(WatchCluster):
    """The source's watch is refused (RBAC lets the user reconcile the object, not read its source)."""

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        if is_watch(argv) and "gitrepositories.source.toolkit.fluxcd.io" in argv:
            self.calls.append(list(argv))
            refused = 'Error from server (Forbidden): gitrepositories.source.toolkit.fluxcd.io "flux-system" is '
            return CommandResult(argv, 1, stderr=refused + 'forbidden: User "jane" cannot watch resource\n')
        return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)


def test_a_source_that_cannot_be_watched_leaves_the_verdict_to_the_cli():
    cli = (1, "", "✗ GitRepository reconciliation failed: 'dial tcp: connection refused'\n")
    runner = SourceForbidden([BEFORE], [BEFORE], gap=0.02, cli=cli, cli_after=0.1)
    envelope = reconcile(runner, with_source=True)
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["verdict"] == "failed" and data["handled"] is False
    assert data["cli_error"] == "GitRepository reconciliation failed: 'dial tcp: connection refused'"
    assert any("gitrepositories.source.toolkit.fluxcd.io" in argv for argv in runner.calls)


def test_a_source_failing_from_an_older_request_does_not_decide():
    stale = source(requested="2025-12-31T00:00:00Z", handled="2025-12-31T00:00:00Z", ready="False")
    runner = TwoWatches([BEFORE], [BEFORE], gap=0.02, source_versions=[stale])
    data = reconcile(runner, with_source=True, timeout_secs=1)["data"]
    assert data["verdict"] == "timed_out"


def test_a_request_no_controller_picks_up_is_said_so(monkeypatch):
    monkeypatch.setattr(verdict, "PICKUP_SECS", 0.3)
    runner = WatchCluster([BEFORE], [BEFORE, REQUESTED], gap=0.02, cli_after=30)
    started = time.monotonic()
    data = reconcile(runner)["data"]
    assert time.monotonic() - started < 2
    assert data["verdict"] == "not_handled" and data["handled"] is False and "ready" not in data
    assert "no controller handled the request" in data["message"] and "kustomize-controller" in data["hint"]
    assert data["next_action"]["tool"]["name"] == "flux_check"
    assert data["next_action"]["failure"] == "any.request-not-picked-up"


def test_a_request_seen_while_a_reconciliation_runs_is_not_called_unhandled(monkeypatch):
    monkeypatch.setattr(verdict, "PICKUP_SECS", 0.1)
    busy = ready_object(requested="2026-01-01T00:05:00Z", handled="2026-01-01T00:00:00Z", ready="Unknown")
    busy["status"]["conditions"].append({"type": "Reconciling", "status": "True", "reason": "Progressing"})
    data = reconcile(WatchCluster([BEFORE], [BEFORE, busy], gap=0.02), timeout_secs=1)["data"]
    assert data["verdict"] == "timed_out"


def test_polling_also_says_no_controller_picked_the_request_up(monkeypatch):
    monkeypatch.setattr(verdict, "PICKUP_SECS", 0.3)
    runner = WatchCluster([BEFORE, REQUESTED], cli_after=30)
    tools = FluxTools(FluxConfig(verdict_watch=False, cache_ttl_secs=0, poll_interval_secs=0.1), runner=runner)
    data = tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps"})["data"]
    assert data["verdict"] == "not_handled"


HANDLED = ready_object(requested="2026-01-01T00:05:00Z", handled="2026-01-01T00:05:00Z")


class LeaseCluster(WatchCluster):
    """Also answers the Lease list: kustomize-controller's Lease renewed at `renewals` in turn (the last repeats)."""

    def __init__(self, *args, renewals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.renewals = list(renewals)
        self.lease_reads = 0

    def reply_to(self, argv):
        if "leases.coordination.k8s.io" not in argv:
            return super().reply_to(argv)
        self.lease_reads += 1
        renewed = self.renewals.pop(0) if len(self.renewals) > 1 else self.renewals[0]
        lease = {"metadata": {"name": "kustomize-controller-leader-election"}, "spec": {"renewTime": renewed}}
        other = {"metadata": {"name": "helm-controller-leader-election"}, "spec": {"renewTime": "changes"}}
        return 0, json.dumps({"items": [lease, other]}), ""


def short_window(monkeypatch):
    monkeypatch.setattr(verdict, "PICKUP_SECS", 0.6)
    monkeypatch.setattr(verdict, "LEASE_GAP_SECS", 0.3)


def test_a_busy_controller_whose_lease_is_renewed_is_waited_on_until_it_takes_the_request(monkeypatch):
    short_window(monkeypatch)
    renewals = ["2026-01-01T00:05:01.000000Z", "2026-01-01T00:05:06.000000Z"]
    runner = LeaseCluster(
        [BEFORE], [REQUESTED, REQUESTED, REQUESTED, HANDLED], gap=0.4, cli_after=30, renewals=renewals
    )
    started = time.monotonic()
    data = reconcile(runner)["data"]
    assert data["verdict"] == "succeeded" and data["ready"] == "True", data
    assert runner.lease_reads == 2
    assert time.monotonic() - started >= 1.6  # past the window: the request was taken after it


def test_a_busy_controller_past_the_deadline_is_timed_out_with_the_busy_hint(monkeypatch):
    short_window(monkeypatch)
    renewals = ["2026-01-01T00:05:01.000000Z", "2026-01-01T00:05:06.000000Z"]
    runner = LeaseCluster([BEFORE], [REQUESTED], gap=0.05, cli_after=30, renewals=renewals)
    data = reconcile(runner, timeout_secs=1)["data"]
    assert data["verdict"] == "timed_out", data
    assert "kustomize-controller runs (its leader Lease is renewed) but has not taken the request" in data["hint"]


def test_a_controller_whose_lease_is_not_renewed_is_said_stopped(monkeypatch):
    short_window(monkeypatch)
    runner = LeaseCluster([BEFORE], [REQUESTED], gap=0.05, cli_after=30, renewals=["2026-01-01T00:05:01.000000Z"])
    started = time.monotonic()
    data = reconcile(runner)["data"]
    assert time.monotonic() - started < 2
    assert data["verdict"] == "not_handled" and data["handled"] is False
    assert data["message"].endswith("and kustomize-controller's leader Lease was not renewed meanwhile")
    assert data["hint"].startswith("kustomize-controller is stopped or hung")
    assert data["next_action"]["failure"] == "any.request-not-picked-up"
    assert runner.lease_reads == 2


def test_polling_reads_the_lease_too(monkeypatch):
    short_window(monkeypatch)
    renewals = ["2026-01-01T00:05:01.000000Z", "2026-01-01T00:05:06.000000Z"]
    runner = LeaseCluster(
        [BEFORE, REQUESTED, REQUESTED, REQUESTED, REQUESTED, HANDLED], cli_after=30, renewals=renewals
    )
    tools = FluxTools(FluxConfig(verdict_watch=False, cache_ttl_secs=0, poll_interval_secs=0.3), runner=runner)
    data = tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps"})["data"]
    assert data["verdict"] == "succeeded", data
    assert runner.lease_reads == 2


class LeasesForbidden(WatchCluster):
    """The Lease list is refused (RBAC lets the user reconcile, not read the controllers' namespace)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lease_reads = 0

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        if "leases.coordination.k8s.io" in argv:
            self.lease_reads += 1
            refused = 'Error from server (Forbidden): leases.coordination.k8s.io is forbidden: User "jane" cannot '
            return CommandResult(list(argv), 1, stderr=refused + 'list resource "leases" in namespace "flux-system"\n')
        return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)


def test_a_forbidden_lease_read_leaves_the_verdict_as_before(monkeypatch):
    short_window(monkeypatch)
    runner = LeasesForbidden([BEFORE], [REQUESTED], gap=0.05, cli_after=30)
    data = reconcile(runner)["data"]
    assert data["verdict"] == "not_handled" and data["hint"].startswith("Is kustomize-controller running?")
    assert runner.lease_reads == 1  # no second read once the first said nothing


def test_without_a_readable_lease_the_verdict_is_as_before(monkeypatch):
    short_window(monkeypatch)
    runner = WatchCluster([BEFORE], [REQUESTED], gap=0.05, cli_after=30)  # the Lease read gets no Lease list
    data = reconcile(runner)["data"]
    assert data["verdict"] == "not_handled"
    assert data["message"].endswith("within 0.6s of the request")
    assert data["hint"].startswith("Is kustomize-controller running?")


WORKING = ready_object(requested="2026-01-01T00:05:00Z", handled="2026-01-01T00:00:00Z", ready="Unknown")
"""The request taken (the status changed), not yet handled."""


def test_a_version_the_watch_never_streams_is_read_again(monkeypatch):
    monkeypatch.setattr(follow, "REREAD_SECS", 0.3)
    runner = WatchCluster([BEFORE, HANDLED], [WORKING], gap=0.05, cli_after=30)  # the watch stops at WORKING
    started = time.monotonic()
    data = reconcile(runner)["data"]
    assert data["verdict"] == "succeeded" and data["ready"] == "True", data
    assert 0.3 <= time.monotonic() - started < 2


def test_without_rereads_that_watch_would_wait_for_its_deadline(monkeypatch):
    monkeypatch.setattr(follow, "REREAD_SECS", 60)
    runner = WatchCluster([BEFORE, HANDLED], [WORKING], gap=0.05, cli_after=30)
    data = reconcile(runner, timeout_secs=1)["data"]
    assert data["verdict"] == "timed_out"
