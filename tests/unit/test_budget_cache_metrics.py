"""Output budget, list filters and paging, the result cache, and metrics."""

import json

from fluxtools import FluxConfig, FluxTools
from fluxtools._budget import fit, size
from fluxtools.testing import ScriptedRunner


def ks(name, ready="True", suspend=False, message="Applied revision: main@sha1:0123456789abcdef"):
    return {
        "metadata": {"name": name, "namespace": "flux-system"},
        "spec": {
            "suspend": suspend,
            "path": f"./{name}",
            "sourceRef": {"kind": "GitRepository", "name": "flux-system"},
        },
        "status": {"conditions": [{"type": "Ready", "status": ready, "message": message}]},
    }


def many(n):
    items = [ks(f"app-{i:05d}", ready="False" if i % 10 == 0 else "True", suspend=i % 7 == 0) for i in range(n)]
    return json.dumps({"items": items})


def tools(n=2000, **config):
    runner = ScriptedRunner(lambda argv: (0, many(n), ""))
    return FluxTools(FluxConfig(**config), runner=runner), runner


def test_big_list_fits_the_default_budget_with_exact_counts():
    flux, _ = tools()
    envelope = flux.call("flux_kustomization_list", {})
    data = envelope["data"]
    assert size(envelope["data"]) <= 16 * 1024
    assert data["total"] == 2000 and data["matched"] == 2000
    assert sum(data["counts"].values()) == 2000
    assert data["truncated"] is True and "status" in data["narrow"]
    assert data["continue"] == str(len(data["kustomizations"]))


def test_filters_and_paging():
    flux, _ = tools()
    page1 = flux.call("flux_kustomization_list", {"status": "not_ready", "limit": 50})["data"]
    assert page1["matched"] == sum(1 for i in range(2000) if i % 10 == 0 and i % 7 != 0)
    assert all(item["ready"] == "False" and not item["suspended"] for item in page1["kustomizations"])
    assert len(page1["kustomizations"]) == 50 and page1["continue"] == "50"
    page2 = flux.call("flux_kustomization_list", {"status": "not_ready", "limit": 50, "continue": "50"})["data"]
    assert page2["kustomizations"][0] != page1["kustomizations"][0]
    named = flux.call("flux_kustomization_list", {"name_contains": "app-0004"})["data"]
    assert {item["name"][:8] for item in named["kustomizations"]} == {"app-0004"} and named["matched"] == 10
    assert flux.call("flux_kustomization_list", {"status": "suspended"})["data"]["matched"] == 286


def test_max_bytes_per_call():
    flux, _ = tools()
    data = flux.call("flux_kustomization_list", {"max_bytes": 2048})["data"]
    assert size(data) <= 2048


def test_logs_keep_the_newest_lines():
    data = {"controller": "c", "namespace": "n", "logs": "\n".join(f"line {i:05d}" for i in range(5000)), "lines": 5000}
    fitted = fit(data, 4096)
    assert size(fitted) <= 4096
    assert fitted["logs"].endswith("line 04999") and fitted["truncated"]


def test_long_strings_are_shortened_elsewhere():
    fitted = fit({"name": "x", "status": "y" * 50_000}, 2048)
    assert size(fitted) <= 2048 and fitted["status"].endswith("…[cut]")


def test_repeat_reads_are_cached_until_a_mutation_or_fresh():
    flux, runner = tools(n=3)
    first = flux.call("flux_kustomization_list", {})
    second = flux.call("flux_kustomization_list", {})
    assert second["cached"] is True and second["data"] == first["data"]
    assert len(runner.calls) == 1
    flux.call("flux_kustomization_list", {"fresh": True})
    assert len(runner.calls) == 2
    flux.call("flux_suspend", {"kind": "kustomization", "name": "app-00001"})
    calls = len(runner.calls)
    assert "cached" not in flux.call("flux_kustomization_list", {})
    assert len(runner.calls) == calls + 1


def test_cache_can_be_turned_off():
    flux, runner = tools(n=1, cache_ttl_secs=0)
    flux.call("flux_kustomization_list", {})
    flux.call("flux_kustomization_list", {})
    assert len(runner.calls) == 2


def test_metrics_snapshot_and_prometheus_text():
    flux, _ = tools(n=14)
    flux.call("flux_kustomization_list", {})
    flux.call("flux_kustomization_get", {"name": "-bad"})
    snap = flux.metrics_snapshot()
    assert snap["suspended_count"] == 2
    assert snap["errors"] == {"InvalidInput": 1}
    assert snap["calls"]["flux_kustomization_list"] == 1
    text = flux.metrics.prometheus_text()
    assert "fluxtools_suspended_objects 2" in text
    assert 'fluxtools_tool_errors_total{tool="flux_kustomization_get",error_type="InvalidInput"} 1' in text


def test_reports_keep_their_summary_and_first_findings():
    report = {
        "summary": {"objects": 5000, "root_causes": 5000},
        "findings": [{"object": f"Kustomization/bench/b-{i:05d}", "message": "x" * 80} for i in range(5000)],
        "healthy": False,
    }
    fitted = fit(report, 16 * 1024)
    assert size(fitted) <= 16 * 1024
    assert fitted["summary"] == report["summary"]
    assert fitted["findings"][0]["object"] == "Kustomization/bench/b-00000"
    assert fitted["omitted"] == 5000 - len(fitted["findings"]) and fitted["truncated"]
