"""flux_diagnose vs the seed-tool calls an agent makes for the same findings, on the lab scenario.

    python benchmarks/diagnose_vs_agent.py [--runs 5]

The agent's sequence (one call after another, as a tool-calling loop makes them): list both kinds,
get every object that is not Ready, then the error logs of the controllers involved.
"""

from __future__ import annotations

import argparse
import statistics

from common import lab_or_exit, lab_tools, size, timed

LOGS = [{"kind": c, "level": "error"} for c in ("kustomize-controller", "helm-controller", "source-controller")]


def agent_sequence(tools) -> tuple[int, int, set[str]]:
    """Returns (calls, bytes read, objects found broken)."""
    calls, read, broken = 0, 0, set()
    lists = [
        ("flux_kustomization_list", "kustomizations", "flux_kustomization_get"),
        ("flux_helmrelease_list", "helmreleases", "flux_helmrelease_get"),
    ]
    for list_tool, key, get_tool in lists:
        envelope = tools.call(list_tool, {})
        calls, read = calls + 1, read + size(envelope)
        for item in envelope["data"][key]:
            if item["ready"] != "True" or item["suspended"]:
                detail = tools.call(get_tool, {"name": item["name"], "namespace": item["namespace"]})
                calls, read = calls + 1, read + size(detail)
                broken.add(f"{item['namespace']}/{item['name']}")
    for args in LOGS:
        envelope = tools.call("flux_logs", args)
        calls, read = calls + 1, read + size(envelope)
    return calls, read, broken


def named_objects(report) -> set[str]:
    """Every object the report names: causes, what they block, progressing and suspended ones."""
    groups = [
        *report["causes"],
        *report.get("progressing", []),
        *([report["suspended"]] if "suspended" in report else []),
    ]
    blocked = [oid for group in groups for oid in group.get("blocks", {}).get("objects", [])]
    return {oid for group in groups for oid in group["objects"]} | set(blocked)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    tools = lab_tools(lab_or_exit())
    agent_times, diagnose_times = [], []
    for _ in range(runs):
        elapsed, (calls, agent_bytes, agent_found) = timed(lambda: agent_sequence(tools))
        agent_times.append(elapsed)
        elapsed, report = timed(lambda: tools.call("flux_diagnose", {}))
        diagnose_times.append(elapsed)
    found = {oid.split("/", 1)[1] for oid in named_objects(report["data"])}
    a, d = statistics.median(agent_times), statistics.median(diagnose_times)
    print(f"agent sequence: {calls} calls, median {a * 1000:.0f} ms, {agent_bytes} bytes, {len(agent_found)} broken")
    print(f"flux_diagnose: 1 call, median {d * 1000:.0f} ms, {size(report)} bytes, {len(found)} objects named")
    print(f"agent objects missing from the diagnosis: {sorted(agent_found - found) or 'none'}")
    print("| measure | seed-tool sequence | flux_diagnose | ratio | goal |")
    print("|---|---|---|---|---|")
    wall = f"{a * 1000:.0f} ms ({calls} calls) | {d * 1000:.0f} ms | {d / a:.2f}×"
    print(f"| wall time (median of {runs}) | {wall} | ≤ 0.5× |")
    print(f"| bytes returned | {agent_bytes} | {size(report)} | {size(report) / agent_bytes:.2f}× | ≤ 0.25× |")


if __name__ == "__main__":
    main()
