"""State a `FluxTools` owns, whoever calls it: the reconcile guard counts only reconciles that got a
verdict, the process limit holds across threads and event loops, the cache hands out copies
(synthetic clusters)."""

from __future__ import annotations

import asyncio
import json
import threading

from fluxtools import FluxConfig, FluxTools
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object

REFUSED = "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n"
UNREACHABLE = (1, "", REFUSED)
RECONCILE = {"kind": "kustomization", "name": "apps"}


def flux_tools(reply, **config) -> tuple[FluxTools, ScriptedRunner]:
    runner = ScriptedRunner(reply)
    return FluxTools(FluxConfig(**{"retry_attempts": 1, **config}), runner=runner), runner


# the reconcile guard ---------------------------------------------------------------------------
def test_a_reconcile_that_never_reached_the_cluster_leaves_no_interval():
    flux, runner = flux_tools(lambda argv: UNREACHABLE)
    first = flux.call("flux_reconcile", RECONCILE)
    assert first["error_type"] == "ClusterUnreachable"
    calls = len(runner.calls)
    again = flux.call("flux_reconcile", RECONCILE)
    assert again["error_type"] == "ClusterUnreachable", again  # asked again, not "reconciled 0s ago"
    assert len(runner.calls) > calls


def test_failures_before_the_reconcile_never_open_the_breaker():
    flux, _ = flux_tools(lambda argv: UNREACHABLE, reconcile_min_interval_secs=0, breaker_failures=3)
    answers = [flux.call("flux_reconcile", RECONCILE)["error_type"] for _ in range(5)]
    assert answers == ["ClusterUnreachable"] * 5


def test_the_kind_an_ambiguous_source_asks_for_is_not_rate_limited():
    both = {"items": [{"kind": "GitRepository"}, {"kind": "HelmRepository"}]}

    def reply(argv):
        if "--field-selector" in argv:
            return 0, json.dumps(both), ""
        return 0, json.dumps(ready_object(kind="GitRepository")), ""

    flux, _ = flux_tools(reply)
    ambiguous = flux.call("flux_reconcile", {"kind": "source", "name": "apps"})
    assert ambiguous["error_type"] == "InvalidInput" and "gitrepository" in ambiguous["hint"]
    chosen = flux.call("flux_reconcile", {"kind": "gitrepository", "name": "apps", "timeout_secs": 2})
    assert chosen.get("error_type") != "RateLimited", chosen


# the process limit -----------------------------------------------------------------------------
class CountingRunner(ScriptedRunner):
    """Answers every list empty after a real pause; remembers the most commands running at once."""

    def __init__(self) -> None:
        super().__init__(lambda argv: (0, json.dumps({"items": []}), ""))
        self.lock = threading.Lock()
        self.running = self.peak = 0

    async def run(self, argv, **kwargs):  # type: ignore[no-untyped-def]
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(0.05)
            return await super().run(argv, **kwargs)
        finally:
            with self.lock:
                self.running -= 1


def test_the_process_limit_holds_across_threads_calling_the_sync_api():
    runner = CountingRunner()
    flux = FluxTools(FluxConfig(max_concurrency=1, cache_ttl_secs=0), runner=runner)
    start = threading.Barrier(6)
    answers = []

    def one() -> None:
        start.wait()
        answers.append(flux.call("flux_kustomization_list", {}))

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer["success"] for answer in answers] == [True] * 6
    assert runner.peak == 1


def test_the_process_limit_holds_across_event_loops_of_one_thread_pool():
    runner = CountingRunner()
    flux = FluxTools(FluxConfig(max_concurrency=2, cache_ttl_secs=0), runner=runner)
    threads = [threading.Thread(target=asyncio.run, args=(flux.acall("flux_stats", {}),)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= runner.peak <= 2


# the cache -------------------------------------------------------------------------------------
def test_the_cache_keeps_its_own_copy_and_hands_out_copies():
    items = [ready_object(), {**ready_object(), "metadata": {"name": "infra", "namespace": "flux-system"}}]
    flux, runner = flux_tools(lambda argv: (0, json.dumps({"items": items}), ""), cache_ttl_secs=60)
    first = flux.call("flux_kustomization_list", {})
    expected = json.loads(json.dumps(first["data"]))
    first["data"]["kustomizations"].clear()  # the caller's own answer
    second = flux.call("flux_kustomization_list", {})
    assert second["cached"] is True and second["data"] == expected
    second["data"]["kustomizations"][0]["name"] = "changed"
    second["data"]["total"] = 0
    third = flux.call("flux_kustomization_list", {})
    assert third["cached"] is True and third["data"] == expected
    assert len([argv for argv in runner.calls if "kustomizations" in " ".join(argv)]) == 1
