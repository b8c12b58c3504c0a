"""Fleet diagnosis (1, 10, 50 contexts) against the same calls one cluster at a time; reconcile verdict
latency after the controller has handled the request, by watch and by polling.

    python benchmarks/fleet.py [--sizes 1 10 50] [--runs 3] [--latency-ms 150] [--concurrency 64 128 256] [--lab]
                               [--verdicts 10]

Fleet, synthetic (always): every context is the embedded demo cluster (the lab's recorded objects, events
and logs) behind a runner that answers each command after a per-command latency (default 150 ms ± 30 %,
an assumed kubectl start plus API round trip to a remote cluster) in real time; the whole executor path
runs. Under each synthetic table, the ratio latency alone sets: the same commands through the same number
of slots, simulated with no CPU spent. Fleet, lab (`--lab`, when the lab runs): N alias contexts of the
lab cluster (a second kubeconfig file naming only contexts, merged through KUBECONFIG), real kubectl
processes against one API server.
Verdicts: on the lab when it runs, else synthetic (a controller handling the request after a random
0.2–1.5 s). The moment the controller marked the request handled is taken from an independent watch of
the object (lab) or known (synthetic); latency is the tool's return minus that moment.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import size  # noqa: E402
from schedule import latency_alone  # noqa: E402

from fluxtools import (  # noqa: E402
    CommandResult,  # noqa: E402
    FluxConfig,
    FluxTools,
)
from fluxtools._flux.follow import Documents  # noqa: E402
from fluxtools._flux.verdict import judge  # noqa: E402
from fluxtools._process.runners import delivered  # noqa: E402
from fluxtools.cassettes import without_connection_flags  # noqa: E402
from fluxtools.demo import demo_runner  # noqa: E402
from lab.info import lab_info, lab_settings  # noqa: E402
from lab.kubeconfig import alias_names, write_alias_kubeconfig  # noqa: E402


class LatencyRunner:
    """The demo cluster's default context for any context, each command answered after `latency` s (± `jitter`).

    Answers are looked up in the recording once per command line, so the cassette search is not measured.
    """

    def __init__(self, latency: float, jitter: float = 0.3) -> None:
        self.inner = demo_runner()
        self.latency, self.jitter = latency, jitter
        self.answers: dict[tuple[str, ...], CommandResult] = {}
        self.commands = 0

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None) -> CommandResult:
        self.commands += 1
        await asyncio.sleep(self.latency * random.uniform(1 - self.jitter, 1 + self.jitter))
        key = tuple(without_connection_flags(list(argv)))
        if key not in self.answers:
            self.answers[key] = await self.inner.run(list(key), timeout=timeout, env=env, stdin=stdin)
        recorded = self.answers[key]
        answer = CommandResult(list(argv), recorded.exit_code, recorded.stdout, recorded.stderr, self.latency)
        return delivered(answer, on_stdout)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def monotonic(self) -> float:
        return time.monotonic()


def fleet_vs_one_at_a_time(make, contexts: list[str]) -> dict[str, Any]:
    """Wall time and bytes: one fleet call, then the same calls one cluster at a time."""
    started = time.perf_counter()
    envelope = make(None, contexts).call("flux_diagnose", {"contexts": contexts})
    fleet_secs = time.perf_counter() - started
    assert envelope["success"], envelope
    answered = envelope["data"]["fleet"]["answered"]
    started = time.perf_counter()
    single_bytes = sum(size(make(context).call("flux_diagnose", {})) for context in contexts)
    return {
        "fleet": fleet_secs,
        "one_at_a_time": time.perf_counter() - started,
        "fleet_bytes": size(envelope),
        "single_bytes": single_bytes,
        "answered": answered,
    }


def synthetic_maker(latency: float, concurrency: int):
    runner = LatencyRunner(latency)

    def make(context, allow=()):
        config = FluxConfig(
            context=context, cache_ttl_secs=0, fleet_max_concurrency=concurrency, fleet_contexts=list(allow)
        )
        return FluxTools(config, runner=runner)

    make.runner = runner
    return make


def print_latency_alone(make, names: list[str], sizes: list[int], concurrency: int, latency: float) -> None:
    before = make.runner.commands
    make(None, names[:1]).call("flux_diagnose", {"contexts": names[:1]})
    per_cluster = make.runner.commands - before
    one = latency_alone(per_cluster, concurrency, latency)
    floors = [f"{n}: {latency_alone(n * per_cluster, concurrency, latency) / one:.2f}×" for n in sizes[1:]]
    print(f"latency alone ({per_cluster} commands a cluster, no CPU, simulated): {', '.join(floors)}")


def lab_maker(info: dict[str, Any], aliases: str):
    def make(context, allow=()):
        settings = {**lab_settings(info), "kubeconfig": f"{info['kubeconfig']}{os.pathsep}{aliases}"}
        return FluxTools(FluxConfig(**{**settings, "context": context or "lab", "fleet_contexts": list(allow)}))

    return make


def run_fleet(label: str, make, names: list[str], sizes: list[int], runs: int) -> None:
    print(f"\nfleet diagnosis, {label} (median of {runs})")
    print(
        "| contexts | fleet call | one cluster at a time | fleet ÷ 1-context fleet | answer bytes | answered (worst) |"
    )
    print("|---|---|---|---|---|---|")
    base = None
    for count in sizes:
        samples = [fleet_vs_one_at_a_time(make, names[:count]) for _ in range(runs)]
        fleet = statistics.median(s["fleet"] for s in samples)
        alone = statistics.median(s["one_at_a_time"] for s in samples)
        base = base or fleet
        print(
            f"| {count} | {fleet * 1000:,.0f} ms | {alone * 1000:,.0f} ms | {fleet / base:.2f}× | "
            f"{max(s['fleet_bytes'] for s in samples):,} (one at a time: {samples[0]['single_bytes']:,}) | "
            f"{min(s['answered'] for s in samples)}/{count} |"
        )


# verdict latency --------------------------------------------------------------------------------
async def observe(info: dict[str, Any], name: str, seen: list[tuple[float, dict]]) -> asyncio.subprocess.Process:
    """An independent watch of the object: each version with the moment it arrived."""
    argv = [info["kubectl"], "--kubeconfig", info["kubeconfig"], "--context", "lab", "get"]
    argv += ["kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", "flux-system", "--watch", "-o", "json"]
    process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE)
    documents = Documents(lambda obj: seen.append((time.monotonic(), obj)))

    async def pump() -> None:
        assert process.stdout is not None
        while chunk := await process.stdout.read(65536):
            documents.feed(chunk)

    asyncio.ensure_future(pump())
    return process


def handled_at(seen: list[tuple[float, dict]], requested: str | None) -> float | None:
    for moment, obj in seen:
        status = obj.get("status") or {}
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        stamp = annotations.get("reconcile.fluxcd.io/requestedAt")
        if stamp and stamp != requested and status.get("lastHandledReconcileAt") == stamp and judge(obj):
            return moment
    return None


async def lab_verdict(info: dict[str, Any], watch: bool, name: str) -> float:
    tools = FluxTools(FluxConfig(**lab_settings(info), verdict_watch=watch, reconcile_min_interval_secs=0))
    seen: list[tuple[float, dict]] = []
    process = await observe(info, name, seen)
    while not seen:
        await asyncio.sleep(0.01)
    before = ((seen[0][1].get("metadata") or {}).get("annotations") or {}).get("reconcile.fluxcd.io/requestedAt")
    envelope = await tools.acall("flux_reconcile", {"kind": "kustomization", "name": name})
    returned = time.monotonic()
    await asyncio.sleep(0.2)
    process.terminate()
    await process.wait()
    assert envelope["success"], envelope
    moment = handled_at(seen, before)
    assert moment is not None, "the observer saw no handled version"
    return returned - moment


class SimulatedController:
    """Synthetic: the request is handled `after` s past the reconcile command; gets and a watch see it then."""

    def __init__(self, after: float) -> None:
        self.after = after
        self.requested_at: float | None = None

    def version(self, now: float) -> dict:
        handled = self.requested_at is not None and now >= self.requested_at + self.after
        requested = "t1" if self.requested_at is not None else "t0"
        conditions = [{"type": "Ready", "status": "True" if handled else "Unknown", "reason": "R", "message": "m"}]
        return {
            "kind": "Kustomization",
            "metadata": {
                "name": "apps",
                "namespace": "flux-system",
                "annotations": {"reconcile.fluxcd.io/requestedAt": requested},
            },
            "status": {"lastHandledReconcileAt": "t1" if handled else "t0", "conditions": conditions},
        }

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None) -> CommandResult:
        if argv[0] == "flux":
            self.requested_at = time.monotonic()
            await asyncio.sleep(timeout)
            return CommandResult(list(argv), 0)
        if "--watch" in argv:
            on_stdout(json.dumps(self.version(time.monotonic())).encode())
            assert self.requested_at is not None
            await asyncio.sleep(max(0.0, self.requested_at + self.after - time.monotonic()))
            on_stdout(json.dumps(self.version(time.monotonic())).encode())
            await asyncio.sleep(timeout)
            return CommandResult(list(argv), -9, timed_out=True)
        await asyncio.sleep(0.02)
        return CommandResult(list(argv), 0, json.dumps(self.version(time.monotonic())))

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def monotonic(self) -> float:
        return time.monotonic()


async def synthetic_verdict(watch: bool, after: float) -> float:
    controller = SimulatedController(after)
    config = FluxConfig(verdict_watch=watch, cache_ttl_secs=0, reconcile_min_interval_secs=0)
    envelope = await FluxTools(config, runner=controller).acall(
        "flux_reconcile", {"kind": "kustomization", "name": "apps"}
    )
    assert envelope["success"] and envelope["data"]["verdict"] == "succeeded", envelope
    assert controller.requested_at is not None
    return time.monotonic() - (controller.requested_at + controller.after)


def run_verdicts(info: dict[str, Any] | None, count: int) -> None:
    where = "lab (Kustomization apps, kustomize-controller)" if info else "synthetic controller"
    samples: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(count):
        for watch in (True, False):  # interleaved: both see the same machine load
            if info:
                latency = asyncio.run(lab_verdict(info, watch, "apps"))
            else:
                latency = asyncio.run(synthetic_verdict(watch, random.uniform(0.2, 1.5)))
            samples[watch].append(latency)
    print(f"\nreconcile verdict latency after the request is handled, {where}, {count} each (poll interval 2 s)")
    print("| follow | median | p90 | max |")
    print("|---|---|---|---|")
    for watch, label in ((True, "watch (default)"), (False, "polling (verdict_watch: false)")):
        values = sorted(samples[watch])
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print(f"| {label} | {statistics.median(values):.3f} s | {p90:.3f} s | {values[-1]:.3f} s |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64, 128, 256], help="fleet_max_concurrency")
    parser.add_argument("--lab", action="store_true", help="also measure lab alias contexts (real processes)")
    parser.add_argument("--verdicts", type=int, default=10)
    args = parser.parse_args()
    names = [f"cluster-{i:02}" for i in range(max(args.sizes))]
    for concurrency in args.concurrency:
        make = synthetic_maker(args.latency_ms / 1000, concurrency)
        run_fleet(
            f"synthetic ({args.latency_ms:g} ms ± 30 % a command), fleet_max_concurrency={concurrency}",
            make,
            names,
            args.sizes,
            args.runs,
        )
        if args.latency_ms > 0:
            print_latency_alone(make, names, args.sizes, concurrency, args.latency_ms / 1000)
    info = lab_info()
    if args.lab and info:
        with tempfile.TemporaryDirectory(prefix="fleet-aliases-") as folder:
            aliases = write_alias_kubeconfig(Path(folder) / "aliases.kubeconfig", max(args.sizes))
            run_fleet(
                "lab aliases (real kubectl, one API server, this machine)",
                lab_maker(info, str(aliases)),
                alias_names(max(args.sizes)),
                args.sizes,
                args.runs,
            )
    if args.verdicts:
        run_verdicts(info, args.verdicts)


if __name__ == "__main__":
    main()
