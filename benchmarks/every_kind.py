"""Reading every Flux kind: the multi-kind tools on the running lab, with what each call ran.

    python benchmarks/every_kind.py [--runs 7]

flux_get_all, flux_stats and flux_diagnose (without logs) read the kinds every installation has in one
kubectl call and the optional components' kinds the server serves in one more beside it; what the server
serves is asked once a minute per cluster (`kubectl get --raw /apis`). Prints the median wall time of a first
call (on a new FluxTools: it asks) and of later ones, the objects read and the commands each ran.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import lab_or_exit, lab_settings

from fluxtools import FluxConfig, FluxTools, SubprocessRunner, WrappingRunner

CALLS = [("flux_get_all", {}), ("flux_stats", {}), ("flux_diagnose", {"include_logs": False})]


class Counting(WrappingRunner):
    def __init__(self) -> None:
        super().__init__(SubprocessRunner())
        self.commands = 0

    async def run(self, argv, **kwargs):
        self.commands += 1
        return await super().run(argv, **kwargs)


def timed(tools: FluxTools, runner: Counting, tool: str, args: dict) -> tuple[float, int, int]:
    before = runner.commands
    start = time.perf_counter()
    envelope = tools.call(tool, args)
    wall = time.perf_counter() - start
    data = envelope["data"]
    objects = data.get("total") or data.get("totals", {}).get("total") or data.get("summary", {}).get("objects")
    return wall, runner.commands - before, objects


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    settings = {**lab_settings(lab_or_exit()), "cache_ttl_secs": 0}
    print(f"{'tool':16}{'first call':>12}{'cmds':>6}{'later calls':>13}{'cmds':>6}{'objects':>9}")
    for tool, args in CALLS:
        first, later = [], []
        for _ in range(runs):
            runner = Counting()
            tools = FluxTools(FluxConfig(**settings), runner=runner)
            first.append(timed(tools, runner, tool, args))
            later.append(timed(tools, runner, tool, args))
        print(
            f"{tool:16}{statistics.median(w for w, _, _ in first):>11.3f}s{first[-1][1]:>6}"
            f"{statistics.median(w for w, _, _ in later):>12.3f}s{later[-1][1]:>6}{later[-1][2]:>9}"
        )


if __name__ == "__main__":
    main()
