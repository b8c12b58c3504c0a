"""Wall time of each phase of `make test` (tier 1), run as its own make target.

    python benchmarks/tier1.py --runs 3
    python benchmarks/tier1.py --runs 1 --install   # also times a forced `make dev-install`

Each run goes through the phases in the order `make test` runs them; the table gives the median, the
fastest and the slowest run of each phase. The install phase of `make test` is a check when the installed
packages are current (the usual case); `--install` times the install a changed pyproject file triggers.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("test-deps", "test-lint", "test-pytest", "test-notebooks")


def run_target(target: str, log: Path) -> float:
    """Seconds `make <target>` took; its output goes to `log`; a failing phase stops the benchmark."""
    with log.open("ab") as out:
        started = time.perf_counter()
        result = subprocess.run(["make", "--no-print-directory", target], cwd=ROOT, stdout=out, stderr=out)
        elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"make {target} failed (exit {result.returncode}); see {log}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--install", action="store_true", help="also time a forced `make dev-install` (once)")
    parser.add_argument("--log", type=Path, default=Path("/tmp/fluxtools-tier1.log"))
    options = parser.parse_args()
    options.log.write_bytes(b"")

    phases = ("dev-install", *PHASES) if options.install else PHASES
    samples: dict[str, list[float]] = {phase: [] for phase in phases}
    totals = []
    for run in range(options.runs):
        total = 0.0
        for phase in phases:
            if phase == "dev-install" and run > 0:
                continue
            seconds = run_target(phase, options.log)
            samples[phase].append(seconds)
            total += seconds if phase != "dev-install" else 0.0
            print(f"run {run + 1}: make {phase}: {seconds:.1f} s", flush=True)
        totals.append(total)

    print(f"\n{platform.node()}: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{options.runs} run(s); the phases' output is in {options.log}\n")
    print("| phase | median (s) | fastest (s) | slowest (s) |")
    print("|---|---|---|---|")
    rows = [(f"`make {phase}`", values) for phase, values in samples.items()]
    for label, values in [*rows, ("`make test` (the four phases)", totals)]:
        print(f"| {label} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")


if __name__ == "__main__":
    main()
