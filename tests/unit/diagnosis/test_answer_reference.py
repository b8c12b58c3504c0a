"""The diagnosis answers as a plain computation over the demo cluster's recorded reads gives them.

Single cluster: the tool's answer against `analyse` over the raw recorded outputs (every log line
parsed). Fleet: one call over three contexts against the same three diagnoses asked one at a time
and folded. Evidence: what the graph attaches against a plain reading of its rule (every text's
fingerprint computed afresh), on the recordings and on synthetic findings written here.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from fluxtools import FluxConfig, FluxTools, get_spec
from fluxtools._budget import size
from fluxtools._flux.kinds import ALL_KINDS, OPTIONAL_KINDS, resources
from fluxtools._flux.logformat import format_line, object_kind
from fluxtools._masking import mask_value
from fluxtools._shape import fitted
from fluxtools.demo import demo_runner
from fluxtools.diagnosis import NODE_LIMIT, analyse, build
from fluxtools.diagnosis.graph import EVIDENCE_PER_OBJECT, object_id
from fluxtools.diagnosis.text import fingerprint, short
from fluxtools.fleet import fit, merge
from fluxtools.fleet.clusters import CLUSTER_BYTES, ClusterAnswer, page
from fluxtools.specs.diagnose import (
    DIAGNOSED_KINDS,
    ENVELOPE_BYTES,
    LOG_CONTROLLERS,
    LOG_TAIL,
    DiagnoseArgs,
    narrowing_of,
)
from fluxtools.testing import ScriptedRunner
from tests.unit.flux.test_logformat import plain_parse

Obj = dict[str, Any]
CONTEXTS = ["lab", "lab-alias-01", "lab-alias-02"]  # contexts the demo recorded
SINGLE_ARGS = [
    {},
    {"graph": True},
    {"include_logs": False},
    {"kind": "helmrelease"},
    {"severity": "stalled"},
    {"name_contains": "broken", "graph": True},
    {"limit": 2, "continue": "1"},
    {"max_bytes": 2000},
    {"max_bytes": 5000, "graph": True},
]
FLEET_ARGS = [
    {},
    {"graph": True},
    {"include_logs": False},
    {"kind": "kustomization"},
    {"limit": 2},
    {"max_bytes": 3000},
    {"severity": "stalled"},
    {"severity": "progressing"},
    {"severity": "suspended", "graph": True},
]


def recorded(argv: list[str]) -> str:
    result = asyncio.run(demo_runner().run(argv, timeout=30))
    assert result.exit_code == 0, result
    return result.stdout


def demo_reads() -> tuple[list[Obj], list[Obj], list[Obj]]:
    """Objects (every installation's kinds, then the optional ones the lab runs), warning events and error log
    entries of the demo cluster, every log line parsed."""
    optional = tuple(kind for kind in DIAGNOSED_KINDS if kind in OPTIONAL_KINDS)
    objects = json.loads(recorded(["kubectl", "get", resources(ALL_KINDS), "-A", "-o", "json"]))["items"]
    objects += json.loads(recorded(["kubectl", "get", resources(optional), "-A", "-o", "json"]))["items"]
    events = json.loads(recorded(["kubectl", "get", "events", "-A", "--field-selector", "type=Warning", "-o", "json"]))
    logs = []
    for controller in LOG_CONTROLLERS:
        text = recorded(["kubectl", "logs", f"deployment/{controller}", "-n", "flux-system", f"--tail={LOG_TAIL}"])
        entries = (plain_parse(line) for line in text.splitlines())
        logs += [entry for entry in entries if entry is not None and entry.get("level") == "error"]
    return objects, events["items"], logs


OBJECTS, EVENTS, LOGS = demo_reads()


def test_the_recordings_hold_failures_with_events_and_error_logs():
    graph = build(OBJECTS, EVENTS, LOGS)
    assert len(graph.findings) >= 5
    assert sum(f.error_lines for f in graph.findings.values()) > 10
    assert sum(f.warning_events for f in graph.findings.values()) > 5


@pytest.mark.parametrize("args", SINGLE_ARGS, ids=json.dumps)
def test_a_single_cluster_answer_is_the_analysis_of_its_recorded_reads(args):
    parsed = DiagnoseArgs.model_validate(args)
    limit = get_spec("flux_diagnose").budget(parsed, FluxConfig().output_budget_bytes)
    report = analyse(
        OBJECTS,
        EVENTS,
        LOGS if parsed.include_logs else [],
        narrowing=narrowing_of(parsed),
        budget=limit - ENVELOPE_BYTES - size([]),
        graph_nodes=NODE_LIMIT if parsed.graph else None,
    )
    expected = {"success": True, "data": fitted(report, limit)}
    assert FluxTools(cluster="demo", cache_ttl_secs=0).call("flux_diagnose", args) == expected


def without_seconds(envelope: Obj) -> Obj:
    for row in envelope["data"]["clusters"]:
        row.pop("seconds", None)
    return envelope


@pytest.mark.parametrize("args", FLEET_ARGS, ids=json.dumps)
def test_a_fleet_answer_is_the_fold_of_the_clusters_asked_one_at_a_time(args):
    parsed = get_spec("flux_diagnose").args_model.model_validate({**args, "contexts": CONTEXTS})
    one_at_a_time = []
    for context in CONTEXTS:
        tools = FluxTools(FluxConfig(context=context, cache_ttl_secs=0), runner=demo_runner())
        asked = {key: value for key, value in args.items() if key not in ("limit", "max_bytes")}
        envelope = tools.call("flux_diagnose", {**asked, "max_bytes": CLUSTER_BYTES})
        assert envelope["success"], envelope
        one_at_a_time.append(ClusterAnswer(context, envelope, 0.0))
    limit = parsed.max_bytes or FluxConfig().output_budget_bytes
    data = mask_value(fit.fit(page(merge.fold("flux_diagnose", one_at_a_time, []), parsed), limit))
    fleet = FluxTools(FluxConfig(cache_ttl_secs=0, fleet_contexts=CONTEXTS), runner=demo_runner())
    answer = fleet.call("flux_diagnose", {**args, "contexts": CONTEXTS})
    assert without_seconds(answer) == without_seconds({"success": True, "data": data})


# evidence ------------------------------------------------------------------------------------------
def plain_same_text(evidence: str, ready_message: str, seen: list[str]) -> bool:
    mark = fingerprint(evidence)
    return bool(mark) and any(mark in fingerprint(text, None) for text in [ready_message, *seen])


def plain_evidence(objects: list[Obj], events: list[Obj], logs: list[Obj]) -> dict[str, tuple]:
    """Per finding: its events, log lines, warning count and error line count, by the rule read plainly."""
    graph = build(objects)  # no evidence attached: only which objects are findings
    kept = {oid: ([], [], [0], [0]) for oid in graph.findings}

    def target(oid: str) -> str | None:
        oid = graph.folded.get(oid, oid)
        return oid if oid in kept else None

    newest_first = sorted(events, key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "", reverse=True)
    for event in newest_first:
        involved = event.get("involvedObject") or {}
        oid = target(object_id(involved.get("kind", ""), involved.get("namespace", ""), involved.get("name", "")))
        if oid is None:
            continue
        texts, _lines, warnings, _errors = kept[oid]
        warnings[0] += int(event.get("count") or 1)
        ready = graph.findings[oid].ready_condition().get("message") or ""
        message = event.get("message", "")
        if len(texts) < EVIDENCE_PER_OBJECT and not plain_same_text(message, ready, texts):
            texts.append(short(message))
    for entry in reversed(logs):
        oid = target(object_id(object_kind(entry), str(entry.get("namespace", "")), str(entry.get("name", ""))))
        if oid is None:
            continue
        _texts, lines, _warnings, errors = kept[oid]
        errors[0] += 1
        ready = graph.findings[oid].ready_condition().get("message") or ""
        text = str(entry.get("error") or f"{entry.get('msg', '')} {entry.get('error', '')}".strip())
        seen = [line.split(" - ", 1)[-1] for line in lines]
        if len(lines) < EVIDENCE_PER_OBJECT and not plain_same_text(text, ready, seen):
            lines.append(short(format_line(entry)))
    return {oid: (texts, lines, warnings[0], errors[0]) for oid, (texts, lines, warnings, errors) in kept.items()}


def attached(objects: list[Obj], events: list[Obj], logs: list[Obj]) -> dict[str, tuple]:
    graph = build(objects, events, logs)
    return {oid: (f.events, f.logs, f.warning_events, f.error_lines) for oid, f in graph.findings.items()}


def test_recorded_evidence_is_what_the_rule_read_plainly_attaches():
    expected = plain_evidence(OBJECTS, EVENTS, LOGS)
    assert any(lines for _texts, lines, _w, _e in expected.values())
    assert attached(OBJECTS, EVENTS, LOGS) == expected


def synthetic_failure(kind: str, name: str, message: str, **status: Any) -> Obj:
    condition = {"type": "Ready", "status": "False", "reason": "Failed", "message": message}
    return {
        "kind": kind,
        "metadata": {"name": name, "namespace": "apps"},
        "spec": {},
        "status": {"conditions": [condition], **status},
    }


def synthetic_entry(kind: str, name: str, msg: str, error: str | None = None, ts: str = "t") -> Obj:
    entry = {"level": "error", "ts": ts, "msg": msg, "controllerKind": kind, "name": name, "namespace": "apps"}
    return entry if error is None else {**entry, "error": error}


def synthetic_event(kind: str, name: str, message: str, at: str) -> Obj:
    involved = {"kind": kind, "name": name, "namespace": "apps"}
    return {"involvedObject": involved, "message": message, "lastTimestamp": at, "count": 2}


def test_synthetic_evidence_is_what_the_rule_read_plainly_attaches():
    """Repeats that differ only in numbers, the Ready message itself, empty texts, a folded chart."""
    objects = [
        synthetic_failure("Kustomization", "app", "build failed after 12 attempts: path ./x not found"),
        synthetic_failure("HelmRelease", "web", "install failed", helmChart="apps/apps-web"),
        synthetic_failure("HelmChart", "apps-web", "chart pull error: 404 for version 1.2.3"),
        synthetic_failure("GitRepository", "repo", ""),
    ]
    logs = [
        synthetic_entry("Kustomization", "app", "Reconciliation failed after 1.2s", "path ./x not found"),
        synthetic_entry("Kustomization", "app", "Reconciliation failed after 3.4s", "path ./x not found"),
        synthetic_entry("Kustomization", "app", "build failed after 13 attempts: path ./x not found"),
        synthetic_entry("Kustomization", "app", "Reconciler error", "timeout after 5s"),
        synthetic_entry("Kustomization", "app", "Reconciler error", "timeout after 6s"),
        synthetic_entry("Kustomization", "app", "", ""),
        synthetic_entry("Kustomization", "app", "apply failed", "webhook 1 refused"),
        synthetic_entry("Kustomization", "app", "apply failed", "webhook 2 denied"),
        synthetic_entry("HelmChart", "apps-web", "Reconciler error", "chart pull error: 404 for version 1.2.4"),
        synthetic_entry("HelmChart", "apps-web", "Reconciler error", "digest mismatch"),
        synthetic_entry("HelmRelease", "web", "Reconciler error", "install failed"),
        synthetic_entry("GitRepository", "repo", "Reconciler error", "auth failed"),
        synthetic_entry("GitRepository", "repo", "Reconciler error", "auth failed"),
        synthetic_entry("GitRepository", "elsewhere", "Reconciler error", "not a finding"),
    ]
    events = [
        synthetic_event("Kustomization", "app", "build failed after 14 attempts: path ./x not found", "3"),
        synthetic_event("Kustomization", "app", "health check failed after 9s", "2"),
        synthetic_event("Kustomization", "app", "health check failed after 10s", "1"),
        synthetic_event("HelmChart", "apps-web", "pulled 0 bytes", "1"),
        synthetic_event("GitRepository", "repo", "", "1"),
    ]
    expected = plain_evidence(objects, events, logs)
    assert expected["Kustomization/apps/app"][1]  # log lines were kept
    assert attached(objects, events, logs) == expected


def test_a_log_line_that_decides_the_next_action_reaches_the_fleet_answer():
    """Synthetic clusters whose only clue to the missing file is the controller's error log line."""
    failing = synthetic_failure("Kustomization", "app", "kustomize build failed")
    failing["status"]["conditions"][0]["reason"] = "BuildFailed"
    failing["spec"] = {"path": "./app"}
    line = json.dumps(
        synthetic_entry("Kustomization", "app", "Reconciliation failed", "accumulating resources from 'gone.yaml'")
    )

    def reply(argv: list[str]) -> tuple[int, str, str]:
        if "logs" in argv:
            return 0, line + "\n" if "deployment/kustomize-controller" in argv else "", ""
        items = [] if "events" in argv else [failing]
        return 0, json.dumps({"apiVersion": "v1", "kind": "List", "items": items}), ""

    fleet = FluxTools(FluxConfig(cache_ttl_secs=0, fleet_contexts=CONTEXTS), runner=ScriptedRunner(reply))
    answer = fleet.call("flux_diagnose", {"contexts": CONTEXTS})
    assert answer["success"], answer
    assert "'gone.yaml' listed in kustomization.yaml is missing" in answer["data"]["causes"][0]["next_action"]["do"]
    without_logs = fleet.call("flux_diagnose", {"contexts": CONTEXTS, "include_logs": False})
    assert "gone.yaml" not in json.dumps(without_logs)
