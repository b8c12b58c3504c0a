"""What a notebook and the command line give: the views' MIME bundle and `diagnose --format/--output`."""

import json

from click.testing import CliRunner

from fluxtools import FluxTools
from fluxtools._report import render
from fluxtools.cli import main
from fluxtools.picture import Diagnosis, diagnose

from .support import check_mermaid


def test_the_notebook_bundle_has_html_markdown_and_text():
    view = diagnose(FluxTools(cluster="demo"))
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"] == render(view.envelope) == repr(view)
    assert bundle["text/html"].startswith('<div class="flux-picture-view"') and "<svg" in bundle["text/html"]
    assert "<script" not in bundle["text/html"]
    assert bundle["text/markdown"] == f"```mermaid\n{view.mermaid()}```\n"


def test_a_failed_call_shows_its_error_without_a_picture():
    failed = {"success": False, "error": "cannot reach the cluster", "error_type": "ClusterUnreachable", "hint": "h"}
    bundle = Diagnosis(failed)._repr_mimebundle_()
    assert "text/markdown" not in bundle and "<svg" not in bundle["text/html"]
    assert "cannot reach the cluster" in bundle["text/html"] and bundle["text/plain"].startswith("✗ cannot reach")


def test_diagnose_formats(tmp_path):
    runner = CliRunner()
    as_json = runner.invoke(main, ["diagnose", "--cluster", "demo", "--format", "json"])
    assert json.loads(as_json.output)["success"] is True and "graph" not in json.loads(as_json.output)["data"]
    text = runner.invoke(main, ["diagnose", "--cluster", "demo"])
    objects = json.loads(as_json.output)["data"]["summary"]["objects"]
    assert text.exit_code == 0 and text.output.startswith(f"Flux objects: {objects} ")
    graph = FluxTools(cluster="demo").call("flux_diagnose", {"graph": True})["data"]["graph"]
    flowchart = runner.invoke(main, ["diagnose", "--cluster", "demo", "--format", "mermaid"])
    labels = check_mermaid(flowchart.output)
    drawn = {node["id"] for node in graph["nodes"]} | ({"omitted"} if graph.get("omitted") else set())
    assert flowchart.exit_code == 0 and set(labels) == drawn  # each node, and a note of those not drawn
    report = tmp_path / "report.html"
    written = runner.invoke(main, ["diagnose", "--cluster", "demo", "--format", "html", "--output", str(report)])
    assert written.exit_code == 0 and written.output == f"wrote {report}\n"
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 1 and "ROOT CAUSE" in page
    assert "<script" not in page and "<link" not in page and " src=" not in page
    bad = runner.invoke(main, ["diagnose", "--cluster", "demo", "--format", "png"])
    assert bad.exit_code == 2 and "'png' is not one of" in bad.output
