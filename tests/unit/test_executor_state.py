"""Cache, reconcile guard and concurrency slots under interleaved calls (synthetic model cluster)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fluxtools import FluxConfig, FluxTools
from tests.unit.model_cluster import ModelCluster, flux_object

NAMES = ("apps", "infra", "web")


def model_objects() -> list[dict]:
    return [
        *(flux_object("Kustomization", "flux-system", name, path=f"./{name}") for name in NAMES[:2]),
        flux_object("HelmRelease", "flux-system", "web", chart={"spec": {"chart": "web"}}),
    ]


KIND = {"apps": "kustomization", "infra": "kustomization", "web": "helmrelease"}


def get_tool(name: str) -> str:
    return f"flux_{KIND[name]}_get"


def test_read_in_flight_during_a_mutation_does_not_cache_the_old_state():
    cluster = ModelCluster(model_objects())
    cluster.slow_reads = [30]  # the get answers after the whole suspend has completed
    flux = FluxTools(FluxConfig(cache_ttl_secs=300), runner=cluster)

    async def scenario() -> dict:
        await asyncio.gather(
            flux.acall("flux_kustomization_get", {"name": "apps"}),
            flux.acall("flux_suspend", {"kind": "kustomization", "name": "apps"}),
        )
        return await flux.acall("flux_kustomization_get", {"name": "apps"})

    after = asyncio.run(scenario())
    assert after["success"] and after["data"]["suspended"] is True


def test_concurrent_reconciles_of_one_object_start_flux_once():
    cluster = ModelCluster(model_objects())
    flux = FluxTools(FluxConfig(poll_interval_secs=0.5), runner=cluster)

    async def three() -> list[dict]:
        return await asyncio.gather(
            flux.acall("flux_reconcile", {"kind": "kustomization", "name": "apps"}),
            flux.acall("flux_reconcile", {"kind": "kustomization", "name": "apps"}),
            flux.acall("flux_reconcile", {"kind": "kustomization", "name": "apps"}),
        )

    envelopes = asyncio.run(three())
    started = [call for call in cluster.calls if call[:2] == ["flux", "reconcile"]]
    assert len(started) == 1
    assert sorted(e.get("error_type", "ok") for e in envelopes) == ["RateLimited", "RateLimited", "ok"]


def test_source_aliases_share_one_guard():
    from fluxtools._ratelimit import guard_key

    assert guard_key("source", "flux-system", "x") == guard_key("gitrepository", "flux-system", "x")
    assert guard_key("kustomization", "flux-system", "x") != guard_key("helmrelease", "flux-system", "x")


def test_fail_fast_poll_does_not_wait_for_its_own_cli_slot():
    cluster = ModelCluster(model_objects())
    cluster.blocked_cli = True  # the CLI waits its whole timeout, as flux does on a failing object
    flux = FluxTools(FluxConfig(max_concurrency=1, poll_interval_secs=0.1), runner=cluster)

    def handled_on_first_poll(argv: list[str]) -> None:
        obj = cluster.objects[("Kustomization", "flux-system", "apps")]
        obj["metadata"]["annotations"]["reconcile.fluxcd.io/requestedAt"] = "r1"
        obj["status"]["lastHandledReconcileAt"] = "r1"

    original = cluster.answer

    def answer(argv: list[str]):
        if argv[:2] == ["flux", "reconcile"]:
            handled_on_first_poll(argv)
            return 1, "", "✗ timed out"
        return original(argv)

    cluster.answer = answer

    async def reconcile() -> dict:
        return await asyncio.wait_for(
            flux.acall("flux_reconcile", {"kind": "kustomization", "name": "apps"}), timeout=5
        )

    envelope = asyncio.run(reconcile())
    assert envelope["success"], envelope
    assert envelope["data"]["verdict"] == "succeeded"
    assert envelope["data"]["duration_secs"] <= 0.2


class CacheAgainstModel(RuleBasedStateMachine):
    """Random reads, mutations and read/mutation races: a read after a completed mutation reflects it."""

    def __init__(self) -> None:
        super().__init__()
        self.cluster = ModelCluster(model_objects())
        self.flux = FluxTools(FluxConfig(cache_ttl_secs=600, reconcile_min_interval_secs=0), runner=self.cluster)
        self.suspended = dict.fromkeys(NAMES, False)

    def mutate_args(self, name: str) -> dict:
        return {"kind": KIND[name], "name": name}

    @rule(name=st.sampled_from(NAMES), fresh=st.booleans())
    def read(self, name: str, fresh: bool) -> None:
        envelope = self.flux.call(get_tool(name), {"name": name, "namespace": "flux-system", "fresh": fresh})
        assert envelope["data"]["suspended"] is self.suspended[name]

    @rule(name=st.sampled_from(NAMES), suspend=st.booleans())
    def mutate(self, name: str, suspend: bool) -> None:
        tool = "flux_suspend" if suspend else "flux_resume"
        assert self.flux.call(tool, self.mutate_args(name))["success"]
        self.suspended[name] = suspend

    @rule(name=st.sampled_from(NAMES), other=st.sampled_from(NAMES), suspend=st.booleans(), slow=st.integers(0, 20))
    def race(self, name: str, other: str, suspend: bool, slow: int) -> None:
        tool = "flux_suspend" if suspend else "flux_resume"
        self.cluster.slow_reads = [slow, slow]  # the race's get and list

        async def both() -> None:
            await asyncio.gather(
                self.flux.acall(get_tool(other), {"name": other, "namespace": "flux-system"}),
                self.flux.acall("flux_kustomization_list", {}),
                self.flux.acall(tool, self.mutate_args(name)),
            )

        asyncio.run(both())
        self.cluster.slow_reads = []
        self.suspended[name] = suspend

    @rule(name=st.sampled_from(NAMES))
    def reconcile(self, name: str) -> None:
        envelope = self.flux.call("flux_reconcile", self.mutate_args(name))
        assert envelope["success"] or envelope["error_type"] == "RateLimited"

    @invariant()
    def lists_agree(self) -> None:
        listed = self.flux.call("flux_kustomization_list", {})["data"]["kustomizations"]
        assert {item["name"]: item["suspended"] for item in listed} == {
            name: self.suspended[name] for name in NAMES if KIND[name] == "kustomization"
        }


TestCacheAgainstModel = CacheAgainstModel.TestCase
TestCacheAgainstModel.settings = settings(max_examples=40, stateful_step_count=12, deadline=None)


@pytest.mark.parametrize("ttl", [0, 30])
def test_mutation_in_another_namespace_reached_by_reference_is_not_served_stale(ttl):
    objects = [
        flux_object("Kustomization", "team-a", "app", sourceRef={"kind": "GitRepository", "name": "x"}),
        flux_object("Kustomization", "flux-system", "infra"),
    ]
    cluster = ModelCluster(objects)
    flux = FluxTools(FluxConfig(cache_ttl_secs=ttl), runner=cluster)
    assert flux.call("flux_kustomization_get", {"name": "infra"})["data"]["suspended"] is False
    assert flux.call("flux_suspend", {"kind": "kustomization", "name": "infra"})["success"]
    assert flux.call("flux_kustomization_get", {"name": "infra"})["data"]["suspended"] is True


class CancelledDuringReconcile(ModelCluster):
    """Cancels the calling task while `flux reconcile` runs, as a client that gives up on a call does."""

    caller: asyncio.Task | None = None

    async def run(self, argv, **kwargs):
        if list(argv[:2]) == ["flux", "reconcile"] and self.caller is not None:
            self.caller.cancel()
            self.caller = None
        return await super().run(argv, **kwargs)


def test_a_cancelled_reconcile_does_not_hold_the_object():
    cluster = CancelledDuringReconcile(model_objects())
    flux = FluxTools(FluxConfig(poll_interval_secs=0.1, reconcile_min_interval_secs=0), runner=cluster)
    args = {"kind": "kustomization", "name": "apps"}

    async def cancelled_then_again() -> dict:
        cluster.caller = asyncio.ensure_future(flux.acall("flux_reconcile", args))
        first = cluster.caller
        with pytest.raises(asyncio.CancelledError):
            await first
        return await flux.acall("flux_reconcile", args)

    again = asyncio.run(cancelled_then_again())
    assert again["success"] and again["data"]["verdict"] == "succeeded", again
