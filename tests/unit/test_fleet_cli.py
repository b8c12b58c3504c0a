"""`fluxtools diagnose --context a --context b | --all-contexts` on synthetic clusters (see fleet_support)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from fluxtools import _entry as entry
from fluxtools import cli
from fluxtools.cli import main
from tests.unit.fleet_support import COMPLETE, PARTIAL, FleetRunner, contexts_called, unreachable

THREE = {"lab": COMPLETE, "lab-restricted": PARTIAL, "lab-unreachable": unreachable}
FLAGS = ["--context", "lab", "--context", "lab-restricted", "--context", "lab-unreachable"]


@pytest.fixture
def runner(monkeypatch):
    scripted = FleetRunner(THREE, kubeconfig=[*THREE, "prod"])
    monkeypatch.setattr(entry, "default_runner", lambda config: scripted)
    monkeypatch.setattr(cli, "default_runner", lambda config: scripted)
    monkeypatch.delenv("KUBECONFIG", raising=False)
    return scripted


def invoke(*args):
    return CliRunner().invoke(main, ["diagnose", *args])


def test_the_fleet_report_groups_by_cluster_and_by_shared_cause(runner):
    result = invoke(*FLAGS)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Fleet: 3 clusters (1 ok, 1 partial, 1 unreachable)")
    clusters = out[out.index("CLUSTERS") : out.index("ROOT CAUSES ACROSS THE FLEET")]
    assert "✔ lab  " in clusters and "◐ lab-restricted" in clusters
    assert "! not read: HelmRelease (PermissionDenied)" in clusters
    assert "✗ lab-unreachable  unreachable (ClusterUnreachable)" in clusters
    flat = " ".join(out.split())  # headings name their object, so a cluster list may go on the next line
    assert "in 2 clusters: lab, lab-restricted" in flat and "in 1 cluster: lab-restricted" in flat
    assert sorted(line.split("] ")[1].split(":")[0] for line in result.stderr.splitlines()) == sorted(THREE)
    assert [line.split("]")[0] for line in result.stderr.splitlines()] == ["[1/3", "[2/3", "[3/3"]


def test_the_fleet_report_as_json_is_the_envelope(runner):
    result = invoke(*FLAGS, "--json")
    envelope = json.loads(result.stdout)
    assert envelope["success"] and [row["status"] for row in envelope["data"]["clusters"]] == [
        "ok",
        "partial",
        "unreachable",
    ]


def test_all_contexts_needs_the_allow_list(runner):
    refused = invoke("--all-contexts")
    assert refused.exit_code == 1 and "fleet_contexts" in refused.stdout and runner.calls == []
    allowed = invoke("--all-contexts", "--fleet-contexts", "lab", "--fleet-contexts", "lab-unreachable")
    assert allowed.exit_code == 0, allowed.output
    assert contexts_called(runner) == {"lab", "lab-unreachable"}
    assert "2 kubeconfig context(s) not on the allow-list" in allowed.stdout


def test_one_context_is_the_single_cluster_report(runner):
    result = invoke("--context", "lab")
    assert result.exit_code == 0 and result.stdout.startswith("Flux objects:")
    assert contexts_called(runner) == {"lab"}


def test_context_and_all_contexts_exclude_each_other(runner):
    result = invoke("--context", "lab", "--all-contexts")
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_named_contexts_must_be_on_a_configured_allow_list(runner):
    result = invoke("--context", "lab", "--context", "lab-restricted", "--fleet-contexts", "lab")
    assert result.exit_code == 1 and "lab-restricted" in result.stdout and runner.calls == []


def test_a_cluster_that_did_not_answer_shows_what_its_client_said(runner):
    out = " ".join(invoke(*FLAGS).stdout.split())
    assert "✗ lab-unreachable unreachable (ClusterUnreachable): Unable to connect to cluster" in out
    assert "(The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?)" in out


def test_a_fleet_report_is_written_where_output_says(runner, tmp_path):
    target = tmp_path / "fleet.json"
    result = invoke(*FLAGS, "--json", "--output", str(target))
    assert result.exit_code == 0 and f"wrote {target}" in result.stderr
    assert json.loads(target.read_text())["data"]["fleet"]["clusters"] == 3


@pytest.mark.parametrize("picture", ["mermaid", "html"])
def test_the_picture_formats_need_one_cluster(runner, picture):
    result = invoke(*FLAGS, "--format", picture)
    assert result.exit_code == 2 and "one cluster" in result.output and runner.calls == []
