"""Wall time of each phase of `make test` (tier 1), run as its own make target.

    python benchmarks/tier1.py --runs 3
    python benchmarks/tier1.py --runs 3 --install   # also times a forced `make dev-install` (first run only)

The phases run with the interpreter that runs this script (`make ... PYTHON=<it>`), in the order `make test`
runs them; the table gives the median, fastest and slowest wall time of each phase, the median CPU time
(user + system, all processes of the phase) and the median load average while it ran: on a shared machine
the wall time follows the load, the CPU time much less. The install phase of `make test` is a check when
the installed packages are current (the usual case); `--install` times the install a changed pyproject
file triggers.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("test-deps", "test-lint", "test-pytest", "test-notebooks")


@dataclass
class Sample:
    wall: float
    cpu: float
    load: float


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_target(target: str, log: Path) -> Sample:
    """`make <target>` with this interpreter; its output goes to `log`; a failing phase stops the benchmark."""
    argv = ["make", "--no-print-directory", target, f"PYTHON={sys.executable}"]
    load_before, cpu_before = os.getloadavg()[0], children_cpu()
    with log.open("ab") as out:
        started = time.perf_counter()
        result = subprocess.run(argv, cwd=ROOT, stdout=out, stderr=out)
        wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"make {target} failed (exit {result.returncode}); see {log}")
    return Sample(wall, children_cpu() - cpu_before, (load_before + os.getloadavg()[0]) / 2)


def row(label: str, samples: list[Sample]) -> str:
    walls = [sample.wall for sample in samples]
    cells = [statistics.median(walls), min(walls), max(walls)]
    cells += [statistics.median(sample.cpu for sample in samples), statistics.median(s.load for s in samples)]
    return f"| {label} | " + " | ".join(f"{cell:.1f}" for cell in cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--install", action="store_true", help="also time a forced `make dev-install` (once)")
    parser.add_argument("--log", type=Path, default=Path("/tmp/fluxtools-tier1.log"))
    options = parser.parse_args()
    options.log.write_bytes(b"")

    samples: dict[str, list[Sample]] = {}
    totals = []
    for run in range(options.runs):
        phases = ("dev-install", *PHASES) if options.install and run == 0 else PHASES
        measured = {phase: run_target(phase, options.log) for phase in phases}
        for phase, sample in measured.items():
            samples.setdefault(phase, []).append(sample)
            print(f"run {run + 1}: make {phase}: {sample.wall:.1f} s wall, {sample.cpu:.1f} s CPU", flush=True)
        tier1 = [measured[phase] for phase in PHASES]
        wall, cpu = sum(sample.wall for sample in tier1), sum(sample.cpu for sample in tier1)
        totals.append(Sample(wall, cpu, statistics.mean(sample.load for sample in tier1)))

    print(f"\n{os.cpu_count()} CPUs; {options.runs} run(s); the phases' output is in {options.log}\n")
    print("| phase | median wall (s) | fastest (s) | slowest (s) | median CPU (s) | load average |")
    print("|---|---|---|---|---|---|")
    for phase, values in samples.items():
        print(row(f"`make {phase}`", values))
    print(row("`make test` (the four phases)", totals))


if __name__ == "__main__":
    main()
