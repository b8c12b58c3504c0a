"""flux_logs filters before it keeps the newest `tail` lines, and says how many lines it read."""

import json

from fluxtools import FluxConfig, FluxTools
from fluxtools.testing import ScriptedRunner


def test_a_small_tail_with_a_level_answers_the_newest_matching_lines_on_the_demo():
    tools = FluxTools(cluster="demo")
    every_error = tools.call("flux_logs", {"level": "error", "tail": 1000})["data"]
    two = tools.call("flux_logs", {"level": "error", "tail": 2})["data"]
    assert every_error["lines"] > 2
    assert two["lines"] == 2 and every_error["logs"].endswith(two["logs"].strip("\n"))
    assert len(two["logs"]) < len(every_error["logs"])
    assert two["scanned"] == every_error["scanned"] > every_error["lines"]  # filtered first, then the tail


def synthetic_log(errors_at: set[int], total: int) -> str:
    def line(n: int) -> str:
        level = "error" if n in errors_at else "info"
        return json.dumps({"level": level, "ts": f"2026-12-01T00:00:{n % 60:02d}Z", "msg": f"m{n}"}) + "\n"

    return "".join(line(n) for n in range(total))


def test_errors_older_than_the_tail_are_found_synthetic():
    log = synthetic_log({10, 20}, 500)
    runner = ScriptedRunner(lambda argv: (0, log if "--tail=1000" in argv else "", ""))
    data = FluxTools(FluxConfig(), runner=runner).call("flux_logs", {"level": "error", "tail": 3})["data"]
    assert [line.split(" - ")[-1] for line in data["logs"].splitlines()] == ["m10", "m20"]
    assert data["scanned"] == 500 and data["lines"] == 2


def test_an_unfiltered_call_reads_just_its_tail_synthetic():
    runner = ScriptedRunner(lambda argv: (0, synthetic_log(set(), 3), ""))
    data = FluxTools(FluxConfig(), runner=runner).call("flux_logs", {"tail": 3})["data"]
    assert runner.calls[0][-1] == "--tail=3" and data["lines"] == 3 and "scanned" not in data


def test_tenancy_drops_other_namespaces_lines_before_the_tail_synthetic():
    def line(n: int, namespace: str) -> str:
        entry = {"level": "info", "ts": f"2026-12-01T00:00:{n:02d}Z", "msg": f"m{n}", "Kustomization": {}}
        entry.update(controllerKind="Kustomization", name=f"k{n}", namespace=namespace)
        return json.dumps(entry) + "\n"

    log = "".join(line(n, "team-a") for n in range(5)) + "".join(line(n, "team-b") for n in range(5, 10))
    runner = ScriptedRunner(lambda argv: (0, log if "--tail=1000" in argv else "", ""))
    config = FluxConfig(namespace="team-a", enforce_namespace=True, flux_namespace="flux-system")
    data = FluxTools(config, runner=runner).call("flux_logs", {"tail": 3})["data"]
    assert [text.split(" - ")[-1] for text in data["logs"].splitlines()] == ["m2", "m3", "m4"]
