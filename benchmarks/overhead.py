"""Executor overhead: a tool call vs the bare command it runs (same argv), on the running lab.

    python benchmarks/overhead.py [--runs 40]

Interleaves the two so both see the same cluster load, and prints medians and the ratio.
Also times a cached repeat against an uncached call.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from common import lab_info, lab_settings

from fluxtools import FluxConfig, FluxTools, SubprocessRunner
from fluxtools.testing import ScriptedRunner

CALLS = [
    ("flux_kustomization_get", {"name": "apps"}),
    ("flux_kustomization_list", {}),
    ("flux_helmrelease_get", {"name": "podinfo", "namespace": "apps"}),
]


def argv_of(config: FluxConfig, tool: str, args: dict) -> list[str]:
    spy = ScriptedRunner(lambda argv: (0, '{"items": []}' if "list" in tool else '{"metadata": {}}', ""))
    FluxTools(config, runner=spy).call(tool, args)
    return spy.calls[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()
    info = lab_info()
    if info is None:
        print("start the lab first: python3 lab/labctl.py start", file=sys.stderr)
        return 2
    config = FluxConfig(**lab_settings(info))
    uncached = FluxTools(config, runner=SubprocessRunner())
    print("| call | bare command median (ms) | fluxtools median (ms) | ratio | goal |")
    print("|---|---|---|---|---|")
    for tool, args in CALLS:
        argv = argv_of(config, tool, args)
        bare, ours = [], []
        for _ in range(options.runs):
            started = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True)
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            envelope = uncached.call(tool, args)
            ours.append(time.perf_counter() - started)
            assert envelope["success"], envelope
        b, o = statistics.median(bare) * 1000, statistics.median(ours) * 1000
        print(f"| `{tool} {args}` | {b:.1f} | {o:.1f} | {o / b:.3f}× | ≤ 1.05× |")
    cached = FluxTools(config.model_copy(update={"cache_ttl_secs": 30}), runner=SubprocessRunner())
    cold, warm = [], []
    for _ in range(options.runs):
        started = time.perf_counter()
        cached.call("flux_kustomization_list", {"fresh": True})  # read from the cluster, then kept
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert cached.call("flux_kustomization_list", {}).get("cached")
        warm.append(time.perf_counter() - started)
    c, w = statistics.median(cold) * 1000, statistics.median(warm) * 1000
    print(
        f"| cached repeat vs uncached `flux_kustomization_list` | {c:.2f} (uncached) | {w:.3f} (cached) "
        f"| {c / w:.0f}× faster | ≥ 100× |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
