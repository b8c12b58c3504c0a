"""The diagnosis through the whole executor: on the demo cluster's recording of the lab scenario, and on a
synthetic cluster at scale (the scenario's recorded objects plus generated ones, see tests/synthetic_scale.py)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from fluxtools import FluxConfig, FluxTools
from fluxtools._report import render
from tests.synthetic_scale import SCALE_SCENARIO_CAUSES, SCENARIO_CAUSES, scale_cluster

BUDGET = 16384
DEFAULT_BYTES = 6 * 1024


@pytest.fixture(scope="module")
def demo_report():
    """The demo's report at the configured budget, as the terminal report asks for it."""
    envelope = FluxTools(cluster="demo").call("flux_diagnose", {"max_bytes": BUDGET})
    assert envelope["success"], envelope
    return envelope


def compact_size(envelope: dict) -> int:
    return len(json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode())


def default_pages(tools: FluxTools) -> list[dict]:
    """Every page of the default answer (no max_bytes), each checked to fit the default size."""
    pages, args = [], {}
    for _ in range(20):
        envelope = tools.call("flux_diagnose", args)
        assert envelope["success"], envelope
        assert compact_size(envelope) <= DEFAULT_BYTES
        pages.append(envelope["data"])
        if "continue" not in envelope["data"]:
            return pages
        args = {"continue": envelope["data"]["continue"]}
    raise AssertionError("the default answer never stopped paging")


def test_demo_default_answer_shows_the_highest_ranked_causes_whole_within_6_kb_and_pages_to_every_cause(demo_report):
    """The default answer holds the highest ranked causes whole (next action, evidence) in 6 KB; when more causes
    than fit, it pages on (`continue`) and the pages together hold every cause, in rank order, once."""
    tools = FluxTools(cluster="demo")
    every = tools.call("flux_diagnose", {"max_bytes": 1_048_576})["data"]
    assert "continue" not in every
    pages = default_pages(tools)
    assert compact_size({"data": pages[0]}) < compact_size(demo_report)
    shown = [cause for page in pages for cause in page["causes"]]
    assert all(page["causes"] for page in pages)
    assert [c["objects"] for c in shown] == [c["objects"] for c in every["causes"]]
    for cause, full in zip(shown, every["causes"], strict=True):
        assert cause["next_action"]["do"] == full["next_action"]["do"]
        assert cause["next_action"]["tool"] == full["next_action"]["tool"]
        assert cause["message"] and full["message"].startswith(cause["message"].rstrip("…"))
        assert cause.get("warning_events") == full.get("warning_events")
    assert all(page["summary"] == every["summary"] for page in pages)
    assert pages[0]["progressing_groups_omitted"] == len(every["progressing"])


@pytest.fixture(scope="module")
def scale():
    return scale_cluster(suspended=1500, failing=100, blocked=50)


def named(report) -> set[str]:
    return {oid for cause in report["causes"] for oid in cause["objects"]}


def test_demo_names_each_scenario_cause_once_with_consistent_counts(demo_report):
    report = demo_report["data"]
    assert [cause["count"] for cause in report["causes"]] == [1] * len(SCENARIO_CAUSES)
    assert named(report) == {ids[0] for ids in SCENARIO_CAUSES}
    summary = report["summary"]
    assert summary["root_causes"] == len(report["causes"]) == len(SCENARIO_CAUSES)
    assert summary["counts"]["failed"] == summary["failing_directly"] + summary["blocked"]
    assert summary["counts"]["progressing"] == len(report["progressing"]) == 1
    assert summary["counts"]["suspended"] == report["suspended"]["count"] == 1
    counted = sum(summary["counts"].values()) + summary["helm_charts_counted_with_their_release"]
    assert counted == summary["objects"]


def test_demo_terminal_report_counts_what_it_shows(demo_report):
    text = render(demo_report)
    summary = demo_report["data"]["summary"]
    failing_lines = text.count("\n✗ ")
    blocked = sum(c.get("blocks", {}).get("count", 0) for c in demo_report["data"]["causes"])
    assert f"{summary['counts']['failed']} failing" in text
    assert failing_lines + blocked == summary["counts"]["failed"]
    assert "◎ Kustomization/team-b/slow-health" in text and "⏸ Kustomization/flux-system/suspended-app" in text
    for placeholder in ("<LAB>", "<TMP>", ":PORT"):
        assert placeholder not in text and placeholder not in json.dumps(demo_report)


def test_demo_missing_chart_version_says_which_version_and_where(demo_report):
    cause = next(c for c in demo_report["data"]["causes"] if c["objects"] == ["HelmRelease/apps/missing-version"])
    action = cause["next_action"]
    assert "'9.9.9'" in action["do"] and "spec.chart.spec.version" in action["do"]
    assert action["tool"] == {
        "name": "flux_reconcile",
        "args": {"kind": "helmrelease", "name": "missing-version", "namespace": "apps", "with_source": True},
    }
    assert action["flux"] == "flux reconcile helmrelease missing-version -n apps --with-source"


def test_at_scale_every_distinct_cause_within_16_kb_with_exact_counts(scale):
    tools = FluxTools(FluxConfig(cache_ttl_secs=0), runner=scale.runner())
    envelope = tools.call("flux_diagnose", {"max_bytes": BUDGET})
    assert envelope["success"], envelope
    assert compact_size(envelope) <= BUDGET
    report = envelope["data"]
    assert len(report["causes"]) == len(scale.causes) == report["summary"]["root_causes"]
    assert len(scale.causes) == len(SCALE_SCENARIO_CAUSES) + 1
    first = report["causes"][0]  # the widest cause ranks first
    assert first["count"] == 100 and first["blocks"]["count"] == 50 and first["namespaces"] == ["scale"]
    assert named(report) >= {ids[0] for ids in scale.causes}
    assert report["suspended"]["count"] == report["summary"]["counts"]["suspended"] == scale.suspended
    assert report["summary"]["blocked"] == scale.blocked
    assert "continue" not in report


def test_at_scale_a_small_budget_pages_through_every_cause(scale):
    tools = FluxTools(FluxConfig(cache_ttl_secs=0), runner=scale.runner())
    seen: list[str] = []
    args: dict = {"max_bytes": 2048}
    for _ in range(10):
        report = tools.call("flux_diagnose", args)["data"]
        seen += [cause["objects"][0] for cause in report["causes"]]
        if "continue" not in report:
            break
        assert "continue=" in report["narrow"] and "severity" in report["narrow"]
        args = {"max_bytes": 2048, "continue": report["continue"]}
    assert len(seen) == len(set(seen)) == len(SCALE_SCENARIO_CAUSES) + 1


def test_at_scale_narrowing_by_name_and_kind(scale):
    tools = FluxTools(FluxConfig(cache_ttl_secs=0), runner=scale.runner())
    by_name = tools.call("flux_diagnose", {"name_contains": "dep-0000"})["data"]
    assert [c["count"] for c in by_name["causes"]] == [100]  # the cause blocking the named objects
    by_kind = tools.call("flux_diagnose", {"kind": "helmrelease"})["data"]
    assert {c["kind"] for c in by_kind["causes"]} == {"HelmRelease"} and len(by_kind["causes"]) == 2


def test_cli_follows_the_budget_by_default_with_a_progress_line(scale, monkeypatch):
    from fluxtools import cli

    monkeypatch.setattr(cli, "default_runner", lambda config: scale.runner())
    result = CliRunner().invoke(cli.main, ["diagnose", "--json"])
    assert len(result.stdout.encode()) <= BUDGET * 1.3  # indented JSON of a 16 KB answer
    assert json.loads(result.stdout)["data"]["summary"]["root_causes"] == len(SCALE_SCENARIO_CAUSES) + 1
    assert "reading the cluster:" in result.stderr
    text = CliRunner().invoke(cli.main, ["diagnose"]).stdout
    assert "100 × Kustomization" in text and len(text.encode()) <= BUDGET
    full = CliRunner().invoke(cli.main, ["diagnose", "--json", "--full"]).stdout
    assert len(json.loads(full)["data"]["causes"][0]["objects"]) == 5
