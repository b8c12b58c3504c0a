"""Root-cause analysis over Flux objects, warning events and controller error logs.

Pure functions: given the objects, find what is not Ready, follow dependsOn and
source references to the objects that explain the rest, attach evidence and a
next action, and rank root causes first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import status
from .logformat import format_line, object_kind

Obj = dict[str, Any]
MESSAGE_LIMIT = 300
FINGERPRINT = 120
EVIDENCE_PER_OBJECT = 3


def object_id(kind: str, namespace: str, name: str) -> str:
    return f"{kind}/{namespace}/{name}"


def id_of(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    return object_id(obj.get("kind", ""), meta.get("namespace", ""), meta.get("name", ""))


def references(obj: Obj) -> list[tuple[str, str]]:
    """(relation, object id) pairs this object needs to be Ready: dependencies and sources."""
    meta, spec, st = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    namespace = meta.get("namespace", "")
    refs = [("dependency", object_id(obj.get("kind", ""), *_split(dep, namespace))) for dep in status.depends_on(obj)]
    if obj.get("kind") == "Kustomization":
        source = status.kustomization_source(obj)
        if source:
            refs.append(("source", source))
    if obj.get("kind") == "HelmRelease":
        source = status.helmrelease_source(obj)
        if source:
            refs.append(("source", source))
        helm_chart = st.get("helmChart")
        if helm_chart and "/" in helm_chart:
            refs.append(("chart", f"HelmChart/{helm_chart}"))
    if obj.get("kind") == "HelmChart":
        source = status.ref_text(spec.get("sourceRef"), namespace)
        if source:
            refs.append(("source", source))
    return refs


def _split(namespaced: str, default: str) -> tuple[str, str]:
    namespace, _, name = namespaced.partition("/")
    return (namespace, name) if name else (default, namespace)


@dataclass
class Finding:
    obj: Obj
    state: str
    blocked_by: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    affects: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    warning_events: int = 0
    error_lines: int = 0

    @property
    def id(self) -> str:
        return id_of(self.obj)

    @property
    def root_cause(self) -> bool:
        return not self.blocked_by

    def ready_condition(self) -> Obj:
        return status.condition(self.obj, "Ready") or {}

    def explanation(self) -> str:
        """The Ready message; while progressing, what the controller is doing (Reconciling)."""
        reconciling = status.condition(self.obj, "Reconciling") or {}
        if self.state == "progressing" and reconciling.get("message"):
            return f"{self.ready_condition().get('message', '')}: {reconciling['message']}".lstrip(": ")
        return self.ready_condition().get("message", "")

    def to_dict(self) -> Obj:
        ready = self.ready_condition()
        data: Obj = {
            "object": self.id,
            "state": self.state,
            "root_cause": self.root_cause,
            "reason": "Suspended" if self.state == "suspended" else ready.get("reason"),
            "message": _short(self.explanation()) if self.state != "suspended" else "spec.suspend is true",
        }
        if self.blocked_by:
            data["blocked_by"] = self.blocked_by
        if self.missing:
            data["missing"] = self.missing
        if self.affects:
            data["affects"] = self.affects
        if self.warning_events:
            data["warning_events"] = self.warning_events
        if self.events:
            data["events"] = self.events
        if self.error_lines:
            data["error_log_lines"] = self.error_lines
        if self.logs:
            data["logs"] = self.logs
        data["next_action"] = next_action(self)
        return data


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def next_action(finding: Finding) -> str:
    """What an operator (or agent) should do next, by the evidence."""
    obj, ready = finding.obj, finding.ready_condition()
    reason, message = ready.get("reason") or "", (ready.get("message") or "").lower()
    kind, name = obj.get("kind", ""), (obj.get("metadata") or {}).get("name", "")
    spec = obj.get("spec") or {}
    if finding.state == "suspended":
        return f"Suspended on purpose? Resume it when ready: flux_resume kind={kind.lower()} name={name}."
    if finding.blocked_by:
        return f"Fix {finding.blocked_by[0]} first; this object recovers once that is Ready."
    if finding.missing:
        return f"{finding.missing[0]} does not exist: create it or correct the reference."
    if "path not found" in message or "no such file or directory" in message and "path" in message:
        return f"spec.path '{spec.get('path')}' does not exist in the source revision: correct spec.path or add it."
    if reason == "BuildFailed":
        return (
            f"kustomize build fails for path '{spec.get('path')}': fix the manifests in the source, then "
            f"flux_reconcile kind=kustomization name={name} with_source=true."
        )
    if any(text in message for text in ("no chart version found", "version matching", "invalid chart reference")):
        chart = spec.get("chart")
        version = ((chart.get("spec") or {}) if isinstance(chart, dict) else spec).get("version")
        return f"Chart version '{version}' is not in the repository: set spec.chart.spec.version to one that exists."
    if reason in ("InstallFailed", "UpgradeFailed", "RetriesExceeded", "TestFailed", "RollbackFailed") or (
        "install" in message and "fail" in message
    ):
        return (
            "The Helm action failed (see message and logs): fix the chart values or templates, then "
            f"flux_reconcile kind=helmrelease name={name}; exhausted retries need a reset."
        )
    if reason in ("AuthenticationFailed", "GitOperationFailed") or "authentication" in message:
        return "Check the source URL and its credentials Secret (spec.secretRef)."
    if reason == "HealthCheckFailed":
        return "Applied workloads did not become ready in time: inspect them (kubectl get/describe) and their events."
    if reason in ("ArtifactFailed", "SourceNotReady"):
        return "The source has no usable artifact: check the source object and source-controller logs."
    if finding.state == "progressing" and "health check" in finding.explanation().lower():
        return (
            "Flux is waiting for the applied workloads to become ready: inspect them (kubectl get/describe); "
            "if they cannot start, the health check fails at its timeout."
        )
    if finding.state == "progressing":
        return "Reconciliation is in progress; check again shortly."
    return f"Inspect it with the get tool ({kind}) and the {kind.lower()} controller's error logs."


def analyse(objects: Iterable[Obj], warnings: Iterable[Obj] = (), log_entries: Iterable[Obj] = ()) -> Obj:
    """The ranked report: root causes first, each with evidence and a next action."""
    by_id = {id_of(obj): obj for obj in objects}
    findings = {oid: Finding(obj, status.state(obj)) for oid, obj in by_id.items() if status.state(obj) != "ready"}
    generated = generated_charts(by_id)
    for chart in generated:
        findings.pop(chart, None)  # a HelmRelease's own chart: its failure is the release's
    for finding in findings.values():
        for ref in _needs(finding.obj, by_id, generated):
            if ref in findings:
                finding.blocked_by.append(ref)
            elif ref not in by_id and ref.split("/", 1)[0] in ("Kustomization", "HelmRelease"):
                finding.missing.append(ref)
    for finding in findings.values():
        finding.affects = sorted(_dependents(finding.id, findings))
    aliases = {chart: release for chart, release in generated.items() if release in findings}
    _attach_events(findings, warnings, aliases)
    _attach_logs(findings, log_entries, aliases)
    ranked = sorted(findings.values(), key=_rank)
    counts: dict[str, int] = {}
    for obj in by_id.values():
        counts[status.state(obj)] = counts.get(status.state(obj), 0) + 1
    roots = [f for f in ranked if f.root_cause]
    return {
        "summary": {
            "objects": len(by_id),
            "counts": dict(sorted(counts.items())),
            "root_causes": len(roots),
            "affected": len(ranked) - len(roots),
        },
        "findings": [finding.to_dict() for finding in ranked],
        "healthy": not findings,
    }


def generated_charts(by_id: dict[str, Obj]) -> dict[str, str]:
    """HelmChart id → the HelmRelease that generated it (its status.helmChart)."""
    charts = {}
    for oid, obj in by_id.items():
        helm_chart = (obj.get("status") or {}).get("helmChart")
        if obj.get("kind") == "HelmRelease" and helm_chart and f"HelmChart/{helm_chart}" in by_id:
            charts[f"HelmChart/{helm_chart}"] = oid
    return charts


def _needs(obj: Obj, by_id: dict[str, Obj], generated: dict[str, str]) -> list[str]:
    """The ids an object needs Ready; a generated chart stands for what it needs itself."""
    needed = []
    for relation, ref in references(obj):
        if relation == "chart" and ref in generated and ref in by_id:
            needed += [inner for _rel, inner in references(by_id[ref])]
        else:
            needed.append(ref)
    return needed


def _dependents(root: str, findings: dict[str, Finding]) -> set[str]:
    seen: set[str] = set()
    frontier = [root]
    while frontier:
        current = frontier.pop()
        for finding in findings.values():
            if current in finding.blocked_by and finding.id not in seen and finding.id != root:
                seen.add(finding.id)
                frontier.append(finding.id)
    return seen


def _rank(finding: Finding) -> tuple[int, int, int, str]:
    severity = {"failed": 0, "progressing": 1, "suspended": 2}.get(finding.state, 3)
    return (0 if finding.root_cause else 1, severity, -len(finding.affects), finding.id)


def _fingerprint(text: str, limit: int | None = FINGERPRINT) -> str:
    """Text with numbers and generated names folded: two retries of one failure look alike."""
    return re.sub(r"\d+", "#", " ".join(text.split()))[:limit]


def _same_text(evidence: str, finding: Finding, seen: list[str]) -> bool:
    """Evidence that only repeats the Ready message, or what is already kept, adds nothing."""
    mark = _fingerprint(evidence)
    known = [finding.ready_condition().get("message") or "", *seen]
    return bool(mark) and any(mark in _fingerprint(text, None) for text in known)


def _attach_events(findings: dict[str, Finding], warnings: Iterable[Obj], aliases: dict[str, str]) -> None:
    ordered = sorted(warnings, key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "", reverse=True)
    for event in ordered:
        involved = event.get("involvedObject") or {}
        oid = object_id(involved.get("kind", ""), involved.get("namespace", ""), involved.get("name", ""))
        finding = findings.get(aliases.get(oid, oid))
        if finding is None:
            continue
        finding.warning_events += int(event.get("count") or 1)
        text = event.get("message", "")
        if len(finding.events) < EVIDENCE_PER_OBJECT and not _same_text(text, finding, finding.events):
            finding.events.append(_short(text))


def _attach_logs(findings: dict[str, Finding], entries: Iterable[Obj], aliases: dict[str, str]) -> None:
    for entry in reversed(list(entries)):
        oid = object_id(object_kind(entry), str(entry.get("namespace", "")), str(entry.get("name", "")))
        finding = findings.get(aliases.get(oid, oid))
        if finding is None:
            continue
        finding.error_lines += 1
        text = f"{entry.get('msg', '')} {entry.get('error', '')}".strip()
        if len(finding.logs) < EVIDENCE_PER_OBJECT and not _same_text(
            str(entry.get("error") or text), finding, [log.split(" - ", 1)[-1] for log in finding.logs]
        ):
            finding.logs.append(_short(format_line(entry)))
