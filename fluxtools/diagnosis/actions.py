"""The next action for a finding, by its Flux failure reason and the evidence.

Each action says what to do, the tool call that does it (or shows more), and the
equivalent `flux` command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fluxtools._flux.kinds import BY_KIND, flux_command
from fluxtools.diagnosis.graph import Finding, object_id
from fluxtools.diagnosis.text import short

Obj = dict[str, Any]
HELM_ACTION_FAILURES = ("InstallFailed", "UpgradeFailed", "TestFailed", "RollbackFailed", "UninstallFailed")
VERSION_MISSING = re.compile(r"no '([^']+)' chart with version matching '([^']+)'")
CHART_MISSING = re.compile(r"no chart name found|chart '?([\w.-]+)'? not found|no chart version found")
MISSING_FILE = re.compile(r"accumulating resources from '([^']+)'")
TEMPLATE_ERROR = re.compile(r"execution error at \(([^)]+)\): (.+)")
WAITING_FOR = re.compile(r"([A-Z]\w+/[\w.-]+(?:/[\w.-]+)?) status: '(\w+)'")
DRY_RUN = re.compile(r"([A-Z]\w+/[\w.-]+(?:/[\w.-]+)?) dry-run failed")
SOURCE_MISSING = re.compile(r"(\w+)\.source\.toolkit\.fluxcd\.io \"([\w.-]+)\" not found")


@dataclass(frozen=True)
class NextAction:
    do: str
    tool: str
    args: Obj
    flux: str

    def to_dict(self) -> Obj:
        return {"do": short(self.do), "tool": {"name": self.tool, "args": self.args}, "flux": self.flux}


def _flux(verb: str, finding: Finding, *flags: str) -> str:
    return flux_command(verb, finding.kind, finding.name, finding.namespace, *flags)


def _reconcile(do: str, finding: Finding, *, with_source: bool = False) -> NextAction:
    args: Obj = {"kind": finding.kind.lower(), "name": finding.name, "namespace": finding.namespace}
    if with_source:
        args["with_source"] = True
    return NextAction(
        do, "flux_reconcile", args, _flux("reconcile", finding, *(["--with-source"] if with_source else []))
    )


def _events(do: str, finding: Finding) -> NextAction:
    args = {"kind": finding.kind.lower(), "name": finding.name, "namespace": finding.namespace}
    return NextAction(
        do, "flux_events", args, f"flux events --for {finding.kind}/{finding.name} -n {finding.namespace}"
    )


def _tree(do: str, finding: Finding) -> NextAction:
    args = {"kind": finding.kind.lower(), "name": finding.name, "namespace": finding.namespace}
    if finding.kind != "Kustomization":
        return _events(do, finding)
    return NextAction(do, "flux_tree", args, _flux("tree", finding))


def next_action(finding: Finding, evidence: str = "") -> NextAction:
    """What to do about one finding (the first example of a cause stands for the others)."""
    reason, message = finding.reason, f"{finding.explanation()} {evidence}"
    spec = finding.obj.get("spec") or {}
    if finding.state == "suspended":
        args = {"kind": finding.kind.lower(), "name": finding.name, "namespace": finding.namespace}
        return NextAction("Suspended on purpose? Resume it when ready.", "flux_resume", args, _flux("resume", finding))
    if finding.missing:
        return NextAction(
            f"{finding.missing[0]} does not exist: create it or correct spec.dependsOn of {finding.id}.",
            "flux_get_all",
            {"namespace": finding.missing[0].split("/")[1]},
            f"flux get all -n {finding.missing[0].split('/')[1]}",
        )
    version = VERSION_MISSING.search(message)
    if version:
        return _reconcile(_chart_version_text(finding, *version.groups()), finding, with_source=True)
    if CHART_MISSING.search(message):
        return _reconcile(
            f"The chart named in {_chart_field(finding, 'chart')} is not in {_chart_source(finding)}: correct the "
            "chart name, then reconcile with its source.",
            finding,
            with_source=True,
        )
    if "path not found" in message:
        return _reconcile(
            f"spec.path '{spec.get('path')}' of {finding.id} is not in the source revision: correct spec.path "
            "or add that directory to the source, then reconcile with the source.",
            finding,
            with_source=True,
        )
    if reason == "BuildFailed":
        missing = MISSING_FILE.search(message)
        what = f"'{missing.group(1)}' listed in kustomization.yaml is missing" if missing else "kustomize build fails"
        return _reconcile(
            f"{what} under spec.path '{spec.get('path')}': fix the manifests in the source, then reconcile with "
            "the source.",
            finding,
            with_source=True,
        )
    if reason in HELM_ACTION_FAILURES or reason == "RetriesExceeded" or "retries exhausted" in message:
        template = TEMPLATE_ERROR.search(message)
        where = f"the chart template {template.group(1)}" if template else "the chart"
        exhausted = reason == "RetriesExceeded" or "retries exhausted" in message or status_stalled(finding)
        reset = " Retries are exhausted: the flux command resets them (--reset)." if exhausted else ""
        action = _reconcile(f"Fix spec.values or {where}, then reconcile.{reset}", finding)
        return NextAction(action.do, action.tool, action.args, action.flux + (" --reset" if exhausted else ""))
    if reason in ("AuthenticationFailed",) or "authentication" in message.lower() or "credentials" in message:
        secret = (spec.get("secretRef") or {}).get("name")
        where = f"Secret {finding.namespace}/{secret} (spec.secretRef)" if secret else "spec.secretRef (none is set)"
        return _reconcile(
            f"The server refused the credentials for spec.url '{spec.get('url')}': check {where}, then reconcile.",
            finding,
        )
    if "connection refused" in message or "no such host" in message or "i/o timeout" in message:
        return _reconcile(f"spec.url '{spec.get('url')}' cannot be reached: correct it or the network.", finding)
    source_missing = SOURCE_MISSING.search(message)
    if source_missing:
        plural, name = source_missing.groups()
        kind = next((k.kind for k in BY_KIND.values() if k.plural == plural), plural)
        return NextAction(
            f"The source {object_id(kind, finding.namespace, name)} does not exist: create it or correct "
            f"spec.sourceRef of {finding.id}.",
            "flux_source_list",
            {"namespace": finding.namespace},
            f"flux get sources all -n {finding.namespace}",
        )
    if reason == "HealthCheckFailed":
        waiting = ", ".join(f"{obj} ({state})" for obj, state in WAITING_FOR.findall(message)[:3])
        what = f"{waiting} did not become ready" if waiting else "Applied workloads did not become ready"
        return _tree(f"{what} within spec.timeout: inspect them and their events.", finding)
    if reason == "ReconciliationFailed" and DRY_RUN.search(message):
        rejected = DRY_RUN.search(message).group(1)  # type: ignore[union-attr]
        return _reconcile(
            f"The API server rejected {rejected} in the dry-run: fix that manifest in the source, then reconcile "
            "with the source.",
            finding,
            with_source=True,
        )
    if finding.kind in ("HelmRepository", "OCIRepository", "Bucket") and reason.endswith("Failed"):
        return _reconcile(
            f"{finding.kind} {finding.namespace}/{finding.name} cannot fetch from spec.url '{spec.get('url')}' "
            f"({reason}): check the URL and spec.secretRef, then reconcile.",
            finding,
        )
    if finding.state == "progressing" and "health check" in message.lower():
        return _tree(
            "Flux is waiting for the applied workloads to become ready: inspect them; if they cannot start, the "
            "health check fails at its timeout.",
            finding,
        )
    if finding.state == "progressing":
        return _events("Reconciliation is in progress; check again shortly.", finding)
    if reason in ("ArtifactFailed", "SourceNotReady"):
        return _events(f"The source {finding.source or ''} has no usable artifact: check it and its events.", finding)
    return _events(f"{reason or 'Not ready'}: read the events and the controller's error logs.", finding)


def status_stalled(finding: Finding) -> bool:
    return finding.severity == "stalled"


def _chart_field(finding: Finding, key: str) -> str:
    if finding.kind == "HelmRelease":
        return f"spec.chart.spec.{key} of HelmRelease {finding.namespace}/{finding.name}"
    return f"spec.{key} of {finding.id}"


def _chart_source(finding: Finding) -> str:
    return finding.source or "the chart's source"


def _chart_version_text(finding: Finding, chart: str, version: str) -> str:
    generated = ""
    if finding.chart is not None:
        meta = finding.chart.get("metadata") or {}
        generated = f" (it generates HelmChart {meta.get('namespace')}/{meta.get('name')})"
    return (
        f"Chart '{chart}' has no version matching '{version}' in {_chart_source(finding)}: set "
        f"{_chart_field(finding, 'version')}{generated} to a version that exists, then reconcile with the source."
    )
