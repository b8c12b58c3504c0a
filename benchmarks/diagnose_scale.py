"""flux_diagnose at scale vs the seed-tool sequence for the same answer, on synthetic clusters.

    python benchmarks/diagnose_scale.py [--sizes 1000 5000 10000] [--runs 3]

Each size is a synthetic cluster (tests/synthetic_scale.py: the lab scenario's recorded objects,
events and logs, plus suspended Kustomizations, Kustomizations failing with one shared cause and
Kustomizations blocked on those) answered by a scripted runner, so the whole executor path runs
(streamed list parsing, analysis, budget, masking) without a cluster. Each size runs in a forked
process; peak RSS is that process's high-water mark while the tools run (the cluster's JSON text is
prepared before it is reset). The seed-tool sequence is what an agent needs for the same answer:
page through the Kustomization and HelmRelease lists (status=not_ready), then get each failing object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import size  # noqa: E402

from fluxtools import FluxConfig, FluxTools  # noqa: E402
from fluxtools.testing import ScriptedRunner  # noqa: E402
from tests.synthetic_scale import sized  # noqa: E402

BUDGET = 16384


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def memoised(cluster) -> ScriptedRunner:
    """The cluster's replies, each serialised once (the API server's work is not what is measured)."""
    replies: dict[tuple[str, ...], Any] = {}

    def reply(argv: list[str]):
        key = tuple(argv)
        if key not in replies:
            replies[key] = cluster.reply(argv)
        return replies[key]

    return ScriptedRunner(reply)


def diagnose(tools: FluxTools) -> dict[str, Any]:
    """The report at the configured 16 KB budget (its default answer is smaller: it pages on)."""
    return tools.call("flux_diagnose", {"max_bytes": 16 * 1024})


def seed_sequence(tools: FluxTools) -> tuple[int, int, set[str]]:
    """(calls, bytes read, ids of the failing objects the agent has read)."""
    calls, read, seen = 0, 0, set()
    for list_tool, key, get_tool in (
        ("flux_kustomization_list", "kustomizations", "flux_kustomization_get"),
        ("flux_helmrelease_list", "helmreleases", "flux_helmrelease_get"),
    ):
        args: dict[str, Any] = {"status": "not_ready"}
        while True:
            page = tools.call(list_tool, args)
            calls, read = calls + 1, read + size(page)
            for item in page["data"][key]:
                detail = tools.call(get_tool, {"name": item["name"], "namespace": item["namespace"]})
                calls, read = calls + 1, read + size(detail)
                seen.add(f"{item['namespace']}/{item['name']}")
            if "continue" not in page["data"]:
                break
            args = {"status": "not_ready", "continue": page["data"]["continue"]}
    return calls, read, seen


def measure(total: int, runs: int, out: Any) -> None:
    cluster = sized(total)
    tools = FluxTools(FluxConfig(cache_ttl_secs=0), runner=memoised(cluster))
    diagnose(tools), seed_sequence(tools)  # warm: every reply serialised once
    exact = reset_peak()
    base = status_kib("VmRSS")
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        envelope = diagnose(tools)
        walls.append(time.perf_counter() - started)
    peak = status_kib("VmHWM")
    seed_walls = []
    for _ in range(runs):
        started = time.perf_counter()
        calls, seed_bytes, seen = seed_sequence(tools)
        seed_walls.append(time.perf_counter() - started)
    report = envelope["data"]
    named = {oid for cause in report["causes"] for oid in cause["objects"]}
    present = cluster.causes
    counts_exact = all(
        any(c["count"] == len(ids) and ids[0] in c["objects"] for c in report["causes"]) for ids in present
    )
    seed_named = sum(1 for ids in present if any(oid.split("/", 1)[1] in seen for oid in ids))
    out.send(
        {
            "objects": len(cluster.objects),
            "wall": statistics.median(walls),
            "rss_mib": peak / 1024,
            "rss_over_base_mib": (peak - base) / 1024 if exact else None,
            "bytes": size(envelope),
            "named": sum(1 for ids in present if ids[0] in named),
            "present": len(present),
            "counts_exact": counts_exact and report["summary"]["counts"]["suspended"] == cluster.suspended,
            "seed_wall": statistics.median(seed_walls),
            "seed_calls": calls,
            "seed_bytes": seed_bytes,
            "seed_named": seed_named,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    context = multiprocessing.get_context("fork")
    rows = []
    for total in options.sizes:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=measure, args=(total, options.runs, send))
        child.start()
        rows.append(receive.recv())
        child.join()
        print(json.dumps(rows[-1]), file=sys.stderr)
    print(
        f"| objects | flux_diagnose: wall (median of {options.runs}) | peak RSS | bytes | causes named | "
        "seed tools: calls | wall | bytes | causes seen |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        over = f" (+{row['rss_over_base_mib']:.0f} MiB)" if row["rss_over_base_mib"] is not None else ""
        exact = ", exact counts" if row["counts_exact"] else ", counts differ"
        print(
            f"| {row['objects']:,} | {row['wall'] * 1000:.0f} ms | {row['rss_mib']:.0f} MiB{over} | "
            f"{row['bytes']:,} | {row['named']}/{row['present']} ({100 * row['named'] / row['present']:.0f}%{exact}) | "
            f"{row['seed_calls']:,} | {row['seed_wall'] * 1000:.0f} ms | {row['seed_bytes']:,} | "
            f"{row['seed_named']}/{row['present']} |"
        )


if __name__ == "__main__":
    main()
