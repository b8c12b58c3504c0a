"""The objects as a graph: what is not Ready, what blocks what, and the evidence for each.

A HelmRelease's generated HelmChart is folded into the release (its failure is the
release's); dependsOn and source references say which failures explain others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fluxtools._flux import conditions, fields
from fluxtools._flux.fields import id_of, object_id
from fluxtools._flux.kinds import STATUSLESS
from fluxtools._flux.logformat import format_line, object_kind
from fluxtools.diagnosis.text import fingerprint, short

Obj = dict[str, Any]
EVIDENCE_PER_OBJECT = 3
MISSING_REFERENCE = "ReferenceNotFound"
"""fluxtools' reason for an object without a status whose reference is missing (no controller writes one)."""
SEVERITY = {"stalled": 0, "failed": 1, "progressing": 2, "suspended": 3}


def references(obj: Obj) -> list[tuple[str, str]]:
    """(relation, object id) pairs this object needs to be Ready: dependencies, sources and what it names."""
    meta, spec, st = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    namespace = meta.get("namespace", "")
    kind = obj.get("kind", "")
    if kind == "ResourceSet":
        return _resourceset_references(spec, namespace)
    refs = [("dependency", object_id(kind, *_split(dep, namespace))) for dep in fields.depends_on(obj)]
    if kind == "Kustomization":
        source = fields.kustomization_source(obj)
        if source:
            refs.append(("source", source))
    if kind == "HelmRelease":
        source = fields.helmrelease_source(obj)
        if source:
            refs.append(("source", source))
        helm_chart = st.get("helmChart")
        if helm_chart and "/" in helm_chart:
            refs.append(("chart", f"HelmChart/{helm_chart}"))
    if kind in ("HelmChart", "ExternalArtifact"):
        source = fields.ref_text(spec.get("sourceRef"), namespace)
        if source:
            refs.append(("source", source))
    if kind == "ImageUpdateAutomation":
        source = fields.ref_text({"kind": "GitRepository", **(spec.get("sourceRef") or {})}, namespace)
        if source:
            refs.append(("source", source))
    if kind == "ImagePolicy":
        repository = fields.ref_text({"kind": "ImageRepository", **(spec.get("imageRepositoryRef") or {})}, namespace)
        if repository:
            refs.append(("source", repository))
    if kind == "Alert":
        provider = (spec.get("providerRef") or {}).get("name")
        if provider:
            refs.append(("provider", object_id("Provider", namespace, provider)))
    if kind == "ArtifactGenerator":
        for source in spec.get("sources") or []:
            ref = fields.ref_text(source, namespace)
            if ref:
                refs.append(("source", ref))
    return refs


def _resourceset_references(spec: Obj, namespace: str) -> list[tuple[str, str]]:
    """A ResourceSet's dependencies (any kind, by apiVersion and kind) and its named input providers."""
    refs = [
        ("dependency", object_id(dep.get("kind", ""), dep.get("namespace") or namespace, dep["name"]))
        for dep in spec.get("dependsOn") or []
        if dep.get("name")
    ]
    for provider in spec.get("inputsFrom") or []:
        if provider.get("name"):
            provider_kind = provider.get("kind") or "ResourceSetInputProvider"
            refs.append(("input", object_id(provider_kind, namespace, provider["name"])))
    return refs


def _split(namespaced: str, default: str) -> tuple[str, str]:
    namespace, _, name = namespaced.partition("/")
    return (namespace, name) if name else (default, namespace)


@dataclass
class Finding(fields.OfObject):
    """One object that is not Ready (a folded HelmChart travels with its HelmRelease)."""

    obj: Obj
    state: str
    chart: Obj | None = None
    blocked_by: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    roots: set[str] = field(default_factory=set)
    events: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    warning_events: int = 0
    error_lines: int = 0

    @property
    def root_cause(self) -> bool:
        return not self.blocked_by

    def explaining(self) -> Obj:
        """The object whose condition explains this one: the failing generated chart, else itself."""
        if self.chart is not None and conditions.state(self.chart) == "failed":
            return self.chart
        return self.obj

    def ready_condition(self) -> Obj:
        return conditions.condition(self.explaining(), "Ready") or {}

    @property
    def severity(self) -> str:
        if self.state == "failed" and any(conditions.is_stalled(obj) for obj in (self.obj, self.explaining())):
            return "stalled"
        return self.state

    @property
    def reason(self) -> str:
        if self.state == "suspended":
            return "Suspended"
        if self.missing and self.kind in STATUSLESS:
            return MISSING_REFERENCE
        return str(self.ready_condition().get("reason") or "")

    def explanation(self) -> str:
        """The Ready message; while progressing, what the controller is doing (Reconciling)."""
        if self.state == "suspended":
            return "spec.suspend is true"
        if self.missing and self.kind in STATUSLESS:
            return ", ".join(self.missing) + " not found"
        reconciling = conditions.condition(self.obj, "Reconciling") or {}
        message = str(self.ready_condition().get("message") or conditions.NO_READY_MESSAGE)
        if self.state == "progressing" and reconciling.get("message"):
            return f"{message}: {reconciling['message']}"
        return message

    @property
    def changed(self) -> str:
        """When the explaining condition last changed (ISO time; empty when unknown)."""
        return str(self.ready_condition().get("lastTransitionTime") or "")

    @property
    def source(self) -> str | None:
        return next((ref for relation, ref in references(self.obj) if relation == "source"), None)


@dataclass
class Graph:
    objects: dict[str, Obj]
    states: dict[str, str]
    findings: dict[str, Finding]
    folded: dict[str, str]
    """Generated HelmChart id → its HelmRelease id."""

    def counts(self) -> dict[str, int]:
        """Objects by state, a generated HelmChart counted with its HelmRelease."""
        counts: dict[str, int] = {}
        for oid, state in self.states.items():
            if oid not in self.folded:
                counts[state] = counts.get(state, 0) + 1
        return dict(sorted(counts.items()))

    def blocked(self) -> list[Finding]:
        return [finding for finding in self.findings.values() if not finding.root_cause]


def build(objects: Iterable[Obj], warnings: Iterable[Obj] = (), log_entries: Iterable[Obj] = ()) -> Graph:
    by_id = {id_of(obj): obj for obj in objects}
    states = {oid: conditions.state(obj) for oid, obj in by_id.items()}
    for oid, obj in by_id.items():
        if states[oid] == "ready" and _missing_named(obj, by_id):
            states[oid] = "failed"  # an object without a status is broken by what it names and is not there
    folded = generated_charts(by_id)
    producers = artifact_producers(by_id)
    findings = {
        oid: Finding(obj, states[oid]) for oid, obj in by_id.items() if oid not in folded and states[oid] != "ready"
    }
    for chart, release in folded.items():
        if release in findings:
            findings[release].chart = by_id[chart]
    for finding in findings.values():
        if finding.state == "suspended":
            continue  # suspended on purpose: it is not waiting for anything
        for ref in _needs(finding.obj, by_id, folded):
            ref = ref if ref in by_id else producers.get(ref, ref)
            if ref in findings and ref != finding.id:
                finding.blocked_by.append(ref)
            elif ref not in by_id and ref.split("/", 1)[0] in ("Kustomization", "HelmRelease"):
                finding.missing.append(ref)
        finding.missing += _missing_named(finding.obj, by_id)
    _find_roots(findings)
    repeats = Repeats()
    _attach_events(findings, warnings, folded, repeats)
    _attach_logs(findings, log_entries, folded, repeats)
    return Graph(by_id, states, findings, folded)


def _missing_named(obj: Obj, by_id: dict[str, Obj]) -> list[str]:
    """What an object without a status (an Alert) names and is not there: its own condition cannot say it."""
    if fields.kind_of(obj) not in STATUSLESS:
        return []
    return [ref for _relation, ref in references(obj) if ref not in by_id]


def artifact_producers(by_id: dict[str, Obj]) -> dict[str, str]:
    """ExternalArtifact id → the ArtifactGenerator that writes it (spec.artifacts, in its namespace)."""
    producers = {}
    for oid, obj in by_id.items():
        if obj.get("kind") == "ArtifactGenerator":
            namespace = (obj.get("metadata") or {}).get("namespace", "")
            for output in (obj.get("spec") or {}).get("artifacts") or []:
                if output.get("name"):
                    producers[object_id("ExternalArtifact", namespace, output["name"])] = oid
    return producers


def generated_charts(by_id: dict[str, Obj]) -> dict[str, str]:
    """HelmChart id → the HelmRelease that generated it (its status.helmChart)."""
    charts = {}
    for oid, obj in by_id.items():
        helm_chart = (obj.get("status") or {}).get("helmChart")
        if obj.get("kind") == "HelmRelease" and helm_chart and f"HelmChart/{helm_chart}" in by_id:
            charts[f"HelmChart/{helm_chart}"] = oid
    return charts


def _needs(obj: Obj, by_id: dict[str, Obj], folded: dict[str, str]) -> list[str]:
    """The ids an object needs Ready; its generated chart stands for what the chart needs."""
    needed = []
    for relation, ref in references(obj):
        if relation == "chart" and ref in folded and ref in by_id:
            needed += [inner for _rel, inner in references(by_id[ref])]
        elif relation != "chart":
            needed.append(ref)
    return needed


def _reach(findings: dict[str, Finding], start: Finding) -> tuple[set[str], bool]:
    """The root findings behind `start`, and whether `start` is in a dependency cycle."""
    seen: set[str] = set()
    frontier, roots, cyclic = list(start.blocked_by), set(), False
    while frontier:
        ref = frontier.pop()
        cyclic = cyclic or ref == start.id
        if ref in seen:
            continue
        seen.add(ref)
        other = findings[ref]
        if other.root_cause:
            roots.add(ref)
        else:
            frontier += other.blocked_by
    return roots, cyclic


def _find_roots(findings: dict[str, Finding]) -> None:
    """Every blocked finding learns the roots behind it; a cycle with no root explains itself."""
    reached = {oid: _reach(findings, f) for oid, f in findings.items() if not f.root_cause}
    in_cycles = [oid for oid, (roots, cyclic) in reached.items() if cyclic and not roots]
    for oid in in_cycles:
        findings[oid].blocked_by = []
    for oid, finding in findings.items():
        if not finding.root_cause:
            finding.roots = _reach(findings, finding)[0] if in_cycles else reached[oid][0]


class Repeats:
    """Says whether evidence adds nothing to a finding: it only repeats the Ready message or what is
    already kept. Each text's fingerprint is computed once per analysis."""

    def __init__(self) -> None:
        self.prints: dict[tuple[str, int | None], str] = {}
        self.ready: dict[str, str] = {}

    def _print(self, text: str, limit: int | None) -> str:
        mark = self.prints.get((text, limit))
        if mark is None:
            mark = self.prints[(text, limit)] = fingerprint(text, limit)
        return mark

    def __call__(self, evidence: str, oid: str, finding: Finding, seen: list[str]) -> bool:
        mark = self._print(evidence, 120)
        if not mark:
            return False
        ready = self.ready.get(oid)
        if ready is None:
            ready = self.ready[oid] = finding.ready_condition().get("message") or ""
        return any(mark in self._print(text, None) for text in (ready, *seen))


def _attach_events(
    findings: dict[str, Finding], warnings: Iterable[Obj], folded: dict[str, str], repeats: Repeats
) -> None:
    ordered = sorted(warnings, key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "", reverse=True)
    for event in ordered:
        involved = event.get("involvedObject") or {}
        oid = object_id(involved.get("kind", ""), involved.get("namespace", ""), involved.get("name", ""))
        oid = folded.get(oid, oid)
        finding = findings.get(oid)
        if finding is None:
            continue
        finding.warning_events += int(event.get("count") or 1)
        text = event.get("message", "")
        if len(finding.events) < EVIDENCE_PER_OBJECT and not repeats(text, oid, finding, finding.events):
            finding.events.append(short(text))


def _attach_logs(
    findings: dict[str, Finding], entries: Iterable[Obj], folded: dict[str, str], repeats: Repeats
) -> None:
    decided: dict[tuple[str, str, int], bool] = {}
    """(finding, text, lines kept so far) → whether the text repeats: a controller logs one error many times."""
    for entry in reversed(list(entries)):
        oid = object_id(object_kind(entry), str(entry.get("namespace", "")), str(entry.get("name", "")))
        oid = folded.get(oid, oid)
        finding = findings.get(oid)
        if finding is None:
            continue
        finding.error_lines += 1
        if len(finding.logs) >= EVIDENCE_PER_OBJECT:
            continue
        text = str(entry.get("error") or f"{entry.get('msg', '')} {entry.get('error', '')}".strip())
        key = (oid, text, len(finding.logs))
        repeated = decided.get(key)
        if repeated is None:
            seen = [log.split(" - ", 1)[-1] for log in finding.logs]
            repeated = decided[key] = repeats(text, oid, finding, seen)
        if not repeated:
            finding.logs.append(short(format_line(entry)))
