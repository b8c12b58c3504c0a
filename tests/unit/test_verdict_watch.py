"""Reconcile and resume verdicts followed by a watch (`verdict_watch`), with polling as the fallback.

Object versions are synthetic (tests/unit/support.py); a watch streams them as kubectl prints them:
indented JSON documents one after another.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._flux.follow import Documents
from fluxtools.cassettes import Cassette, CassetteRunner
from tests.unit.support import WatchCluster as Cluster
from tests.unit.support import is_watch, ready_object, stream

BEFORE = ready_object(requested="t0", handled="t0")
PENDING = ready_object(requested="t1", handled="t0", ready="Unknown")
FAILED = ready_object(requested="t1", handled="t1", ready="False")
SUCCEEDED = ready_object(requested="t1", handled="t1")
BROKEN_BUILD = {"kind": "kustomization", "name": "broken-build"}
APPS_WITH_SOURCE = {"kind": "kustomization", "name": "apps", "with_source": True}


def tools(runner, **config):
    return FluxTools(FluxConfig(verdict_watch=True, cache_ttl_secs=0, **config), runner=runner)


def reconcile(flux, **args):
    return flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps", **args})


def polls(runner) -> int:
    return sum(1 for argv in runner.calls if argv[0] != "flux" and not is_watch(argv) and "events" not in argv)


def test_documents_are_parsed_across_chunk_boundaries():
    seen = []
    documents = Documents(seen.append)
    text = (stream(BEFORE, PENDING) + "[1, 2]\n" + stream(FAILED)).encode()
    for start in range(0, len(text), 7):
        documents.feed(text[start : start + 7])
    assert seen == [BEFORE, PENDING, FAILED] and documents.count == 4


def test_a_line_that_is_no_json_document_is_skipped_not_waited_on():
    """Text kubectl (or a wrapper) prints between versions, synthetic: later versions are still read."""
    seen = []
    documents = Documents(seen.append)
    text = (stream(BEFORE) + "W1201 05:00:00.000000 1 warnings.go:70] a warning\n" + stream(FAILED)).encode()
    for start in range(0, len(text), 5):
        documents.feed(text[start : start + 5])
    assert seen == [BEFORE, FAILED]


class TextBetweenVersions(Cluster):
    """Streams a line of text before the versions, then stays open as a watch does."""

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        if is_watch(argv) and on_stdout is not None:
            on_stdout(b"some text that is no JSON\n")
        return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)


def test_text_in_the_watch_does_not_hide_the_verdict():
    runner = TextBetweenVersions([BEFORE], [BEFORE, PENDING, FAILED], gap=0.02)
    started = time.monotonic()
    data = reconcile(tools(runner), timeout_secs=5)["data"]
    assert data["verdict"] == "failed" and time.monotonic() - started < 2.0


def test_the_verdict_arrives_when_the_controller_writes_it():
    runner = Cluster([BEFORE], [BEFORE, PENDING, FAILED], gap=0.05)
    started = time.monotonic()
    data = reconcile(tools(runner))["data"]
    elapsed = time.monotonic() - started
    assert data["verdict"] == "failed" and data["reason"] == "X"
    assert 0.15 <= elapsed < 1.0  # three versions 50 ms apart, not a poll interval
    assert polls(runner) == 1  # only the read before the request: no polling
    assert runner.cancelled  # the watch does not end by itself: it is stopped once decided
    watch = next(argv for argv in runner.calls if is_watch(argv))
    assert watch[-7:] == [
        "kustomizations.kustomize.toolkit.fluxcd.io",
        "apps",
        "-n",
        "flux-system",
        "--watch",
        "-o",
        "json",
    ]


def test_a_successful_reconcile_by_watch_reports_the_revision():
    data = reconcile(tools(Cluster([BEFORE], [BEFORE, SUCCEEDED])))["data"]
    assert data["verdict"] == "succeeded" and data["revision"] == "main@sha1:abc"


def test_the_cli_failing_first_decides_while_the_watch_waits():
    runner = Cluster([BEFORE], [BEFORE], cli=(1, "", "✗ Failed to install after 1 attempt(s)\n"), cli_after=0.05)
    started = time.monotonic()
    data = reconcile(tools(runner))["data"]
    assert data["verdict"] == "failed" and data["cli_error"] == "Failed to install after 1 attempt(s)"
    assert time.monotonic() - started < 1.0 and runner.cancelled


def test_a_failing_watch_falls_back_to_polling():
    runner = Cluster([BEFORE, PENDING, FAILED], watch_exit=(1, "", "error: unknown flag: --watch"))
    data = reconcile(tools(runner))["data"]
    assert data["verdict"] == "failed" and polls(runner) == 3


def test_a_watch_that_ends_undecided_falls_back_to_polling():
    runner = Cluster([BEFORE, SUCCEEDED], [BEFORE, PENDING], watch_exit=(0, "", ""))
    data = reconcile(tools(runner))["data"]
    assert data["verdict"] == "succeeded" and polls(runner) == 2


def test_a_watch_that_reaches_the_deadline_is_timed_out_with_the_last_version():
    runner = Cluster([BEFORE], [BEFORE, PENDING], watch_exit=(-9, "", ""))
    runner.watch_exit = None
    data = reconcile(tools(runner), timeout_secs=1)["data"]
    assert data["verdict"] == "timed_out" and data["ready"] == "Unknown"


def test_resume_follows_the_object_by_watch():
    suspended = ready_object(suspend=True, generation=2)
    resumed = ready_object(generation=3)
    old = {**resumed, "metadata": {**resumed["metadata"]}}
    old["status"] = {
        **resumed["status"],
        "conditions": [{**resumed["status"]["conditions"][0], "observedGeneration": 2}],
    }
    runner = Cluster([suspended], [old, resumed], gap=0.02)
    data = tools(runner).call("flux_resume", {"kind": "kustomization", "name": "apps"})["data"]
    assert data["verdict"] == "succeeded" and data["was_suspended"] is True
    assert polls(runner) == 1 and runner.cancelled


def test_the_watch_is_on_by_default():
    runner = Cluster([BEFORE], [BEFORE, FAILED])
    data = reconcile(FluxTools(FluxConfig(cache_ttl_secs=0), runner=runner))["data"]
    assert data["verdict"] == "failed" and polls(runner) == 1 and runner.cancelled


def test_without_verdict_watch_nothing_is_watched():
    runner = Cluster([BEFORE, PENDING, FAILED])
    data = reconcile(FluxTools(FluxConfig(cache_ttl_secs=0, verdict_watch=False), runner=runner))["data"]
    assert data["verdict"] == "failed"
    assert not any(is_watch(argv) for argv in runner.calls) and polls(runner) == 3


CASSETTES = Path(__file__).parents[1] / "data" / "recorded_without_watch"
"""Lab recordings made before verdicts were followed by watch (copied unchanged from tests/replay/cassettes)."""


@pytest.mark.parametrize(
    ("cassette", "tool", "args", "verdict"),
    [
        ("test_reconcile_failing_object_fails_fast[replay]", "flux_reconcile", BROKEN_BUILD, "failed"),
        ("test_reconcile_with_source_succeeds[replay]", "flux_reconcile", APPS_WITH_SOURCE, "succeeded"),
    ],
)
def test_recordings_without_a_watch_still_replay_with_the_watch_on(cassette, tool, args, verdict):
    """They hold no watch: the unrecorded watch misses and polling replays as recorded."""
    runner = CassetteRunner(Cassette.load(CASSETTES / f"{cassette}.cli.yaml"), mode="none")
    config = FluxConfig(kubeconfig="/lab/kubeconfig", context="lab", cache_ttl_secs=0)
    data = FluxTools(config, runner=runner).call(tool, args)["data"]
    assert data["verdict"] == verdict
    assert len(runner.played) == len(runner.recorded)  # every recorded command was replayed
    assert not any(is_watch(item.argv) for item in runner.recorded)
