"""Advice for a failing Flux object: the failure catalogue's entry, written with the object's own fields.

The diagnosis (one finding) and the reconcile verdict (one object) both ask `advise`; each answer says
what to do, the tool call that checks it, the equivalent `flux` command and the catalogue entry it
comes from.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from fluxtools._flux import conditions, failures, fields, verdict
from fluxtools._flux.fields import object_id
from fluxtools._flux.kinds import ANY_BY_KIND, BY_KIND, EVENT_KINDS, FLUX_EVENTS_KINDS, flux_command
from fluxtools.diagnosis.graph import Finding
from fluxtools.diagnosis.text import short

Obj = dict[str, Any]
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
NOT_SET = object()
MISSING_ENTRY = {
    "Kustomization": "kustomization.dependency-missing",
    "HelmRelease": "helmrelease.dependency-missing",
    "Alert": "alert.provider-missing",
}
"""The entry for an object that names one that does not exist (a dependency, an Alert's Provider)."""


@dataclass(frozen=True)
class NextAction:
    do: str
    tool: str
    args: Obj
    flux: str
    failure: str = ""

    def to_dict(self) -> Obj:
        data: Obj = {"do": short(self.do), "tool": {"name": self.tool, "args": self.args}, "flux": self.flux}
        if self.failure:
            data["failure"] = self.failure
        return data


@dataclass
class Subject(fields.OfObject):
    """What advice is about: the object, why it is not Ready, and what is known around it."""

    obj: Obj
    reason: str
    texts: list[str]
    state: str = "failed"
    stalled: bool = False
    source: str | None = None
    chart: Obj | None = None
    missing: list[str] = field(default_factory=list)


def handled(obj: Obj) -> bool:
    """Whether a controller has written a status for the object's current generation."""
    status = obj.get("status") or {}
    generation = (obj.get("metadata") or {}).get("generation")
    return bool(status.get("conditions")) or (generation is not None and status.get("observedGeneration") == generation)


def choose(subject: Subject) -> failures.Match:
    """The catalogue entry for a subject (suspension, a missing dependency and no status first)."""
    if subject.state == "suspended":
        return failures.Match(failures.SUSPENDED, {})
    if subject.missing:
        key = MISSING_ENTRY.get(subject.kind, MISSING_ENTRY["Kustomization"])
        target = subject.missing[0].split("/", 1)[1]
        return failures.Match(failures.BY_KEY[key], {"target": target})
    if not handled(subject.obj):
        return failures.Match(failures.NOT_HANDLED, {})
    if subject.state == "progressing":
        progressing = failures.PROGRESSING_HEALTH
        texts = " ".join(subject.texts)
        if progressing.applies(subject.kind, "Progressing") and progressing.form and progressing.form.search(texts):
            return failures.Match(progressing, {})
        return failures.Match(failures.PROGRESSING, {})
    return failures.match(subject.kind, subject.reason, subject.texts)


def advise(subject: Subject) -> NextAction:
    """The catalogue's advice for the subject, with its own fields and values; a HelmRelease whose generated
    HelmChart fails in a way the release's entries do not know is advised on the chart."""
    found = choose(subject)
    if found.failure is failures.UNKNOWN and subject.chart is not None:
        chart = Subject(subject.chart, subject.reason, subject.texts, stalled=subject.stalled, source=subject.source)
        chart_found = failures.match("HelmChart", subject.reason, subject.texts)
        if chart_found.failure is not failures.UNKNOWN:
            subject, found = chart, chart_found
    failure = found.failure
    context = _context(subject, found.groups)
    do = render(failure.do, subject.obj, context)
    exhausted = failure.check == "reconcile_reset" and _exhausted(subject)
    if exhausted:
        do += " Retries are exhausted: the flux command resets them (--reset)."
    return _call(failure, subject, found.groups, do, exhausted)


def _exhausted(subject: Subject) -> bool:
    text = " ".join(subject.texts)
    return subject.stalled or subject.reason == "RetriesExceeded" or "retries exhausted" in text


def _context(subject: Subject, groups: dict[str, str]) -> dict[str, Any]:
    kind = ANY_BY_KIND.get(subject.kind)
    context: dict[str, Any] = {
        "id": subject.id,
        "kind": subject.kind,
        "name": subject.name,
        "namespace": subject.namespace,
        "reason": subject.reason or "(none)",
        "message": subject.texts[0] if subject.texts else "",
        "controller": kind.controller if kind else "its controller",
        "source": subject.source or "its source",
        **groups,
    }
    if "res" in groups and "ref" in groups:
        plural = groups["res"]
        ref_kind = next((k.kind for k in ANY_BY_KIND.values() if plural in (k.plural, k.kind)), plural)
        context["missing_source"] = subject.source or object_id(ref_kind, subject.namespace, groups["ref"])
    if "version" in groups and subject.chart is not None:
        meta = subject.chart.get("metadata") or {}
        context["chart_object"] = object_id("HelmChart", meta.get("namespace", ""), meta.get("name", ""))
    return context


class _Fields(string.Formatter):
    """`{spec.x.y}` reads the object; other names the context. A field not set is NOT_SET."""

    def __init__(self, obj: Obj, context: dict[str, Any]) -> None:
        self.obj, self.context = obj, context

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if "." in field_name and field_name.split(".", 1)[0] in ("spec", "status", "metadata"):
            value: Any = self.obj
            for part in field_name.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            return (NOT_SET if value is None or value == "" else value), field_name
        return self.context.get(field_name, NOT_SET), field_name

    def complete(self, template: str) -> str | None:
        """The template with every field set; None when one is not set."""
        parts = []
        for literal, name, _spec, _conversion in self.parse(template):
            parts.append(literal)
            if name is not None:
                value, _ = self.get_field(name, (), {})
                if value is NOT_SET:
                    return None
                parts.append(str(value))
        return "".join(parts)


def render(template: str, obj: Obj, context: dict[str, Any]) -> str:
    """The template with the object's fields; `[a|b]` keeps the first alternative whose fields are all set
    (none: the segment is dropped); a field not set outside brackets reads `(not set)`."""
    fields = _Fields(obj, context)
    out, pos = [], 0
    for found in OPTIONAL.finditer(template):
        out.append(_plain(fields, template[pos : found.start()]))
        out.append(next((text for text in map(fields.complete, found.group(1).split("|")) if text is not None), ""))
        pos = found.end()
    out.append(_plain(fields, template[pos:]))
    return "".join(out)


def _plain(fields: _Fields, template: str) -> str:
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            value, _ = fields.get_field(name, (), {})
            parts.append("(not set)" if value is NOT_SET else str(value))
    return "".join(parts)


def _call(failure: failures.Failure, subject: Subject, groups: dict[str, str], do: str, reset: bool) -> NextAction:
    kind, name, namespace = subject.kind, subject.name, subject.namespace
    own = {"kind": kind.lower(), "name": name, "namespace": namespace}
    check = failure.check
    reconcilable = kind in BY_KIND
    if check in ("reconcile", "reconcile_source", "reconcile_reset") and reconcilable:
        args = dict(own)
        flags = []
        if check == "reconcile_source":
            args["with_source"] = True
            flags.append("--with-source")
        if reset:
            flags.append("--reset")
        return NextAction(
            do, "flux_reconcile", args, flux_command("reconcile", kind, name, namespace, *flags), failure.key
        )
    if check == "resume" and kind in ("Kustomization", "HelmRelease"):
        return NextAction(do, "flux_resume", own, flux_command("resume", kind, name, namespace), failure.key)
    if check == "tree" and kind == "Kustomization":
        return NextAction(do, "flux_tree", own, flux_command("tree", kind, name, namespace), failure.key)
    if check == "sources":
        return NextAction(
            do, "flux_source_list", {"namespace": namespace}, f"flux get sources all -n {namespace}", failure.key
        )
    if check == "check":
        return NextAction(do, "flux_check", {}, "flux check", failure.key)
    if check == "get" and failure.target and groups.get(failure.target):
        ref_namespace, _, ref_name = groups[failure.target].rpartition("/")
        ref_namespace = ref_namespace or namespace
        if kind == "HelmRelease":
            tool, noun = "flux_helmrelease_get", "helmreleases"
        else:
            tool, noun = "flux_kustomization_get", "kustomizations"
        return NextAction(
            do,
            tool,
            {"name": ref_name, "namespace": ref_namespace},
            f"flux get {noun} {ref_name} -n {ref_namespace}",
            failure.key,
        )
    return _events(do, subject, failure.key)


def _events(do: str, subject: Subject, key: str) -> NextAction:
    args: Obj = {"name": subject.name, "namespace": subject.namespace}
    if any(kind.kind == subject.kind for kind in EVENT_KINDS):
        args = {"kind": subject.kind.lower(), **args}
    kind = ANY_BY_KIND.get(subject.kind)
    if subject.kind in FLUX_EVENTS_KINDS or kind is None:
        command = f"flux events --for {subject.kind}/{subject.name} -n {subject.namespace}"
    else:
        command = f"kubectl events --for {kind.resource}/{subject.name} -n {subject.namespace}"
    return NextAction(do, "flux_events", args, command, key)


def for_object(obj: Obj, evidence: list[str] | None = None, *, source: str | None = None) -> NextAction:
    """Advice for one object read from the cluster (the reconcile verdict's)."""
    ready = conditions.condition(obj, "Ready") or {}
    state = conditions.state(obj)
    return advise(
        Subject(
            obj,
            "Suspended" if state == "suspended" else str(ready.get("reason") or ""),
            [str(ready.get("message") or ""), *(evidence or [])],
            state=state,
            stalled=conditions.is_stalled(obj),
            source=source,
        )
    )


def for_finding(finding: Finding, evidence: list[str]) -> NextAction:
    """Advice for one finding of the diagnosis (the first example of a cause stands for the others)."""
    return advise(
        Subject(
            finding.obj,
            finding.reason,
            [finding.explanation(), *evidence],
            state=finding.state,
            stalled=finding.severity == "stalled",
            source=finding.source,
            chart=finding.chart,
            missing=finding.missing,
        )
    )


def verdict_advice(judged: verdict.Verdict, before: Obj, first_source: str | None, warnings: list[str]) -> Obj:
    """What a failed or unhandled reconcile verdict adds: the catalogue's next action, and for a source that
    failed first, which one and why."""
    if judged.outcome == verdict.NOT_HANDLED:
        subject = Subject(judged.obj or before, "", [])
        action = _call(
            failures.NOT_PICKED_UP, subject, {}, render(failures.NOT_PICKED_UP.do, before, _context(subject, {})), False
        )
        return {"next_action": action.to_dict()}
    if judged.handled:
        cli_error = [str(judged.extra["cli_error"])] if judged.extra.get("cli_error") else []
        return {"next_action": for_object(judged.obj, [*warnings, *cli_error]).to_dict()}
    if judged.obj is not before:  # the source flux reconciles first failed
        ready = conditions.condition(judged.obj, "Ready") or {}
        failed = object_id(str(judged.obj.get("kind", "")), *_name(judged.obj))
        return {
            "message": f"its source {failed} failed: {ready.get('message', '')}",
            "failed_source": failed,
            "source_reason": ready.get("reason"),
            "next_action": _source_advice(judged.obj, before).to_dict(),
        }
    cli_error = str(judged.extra.get("cli_error") or "")
    subject = Subject(before, "", [cli_error])
    found = failures.match(subject.kind, None, subject.texts)
    if found.failure is not failures.UNKNOWN:
        do = render(found.failure.do, before, _context(subject, found.groups))
        return {"next_action": _call(found.failure, subject, found.groups, do, False).to_dict()}
    if first_source is not None:
        source_kind, namespace, name = first_source.split("/", 2)
        kind = BY_KIND.get(source_kind)
        if kind is not None:
            noun = kind.cli_noun[-1]
            do = f"flux failed on the source {first_source} before {subject.id} was reconciled: fix the source."
            args = {"kind": noun, "name": name, "namespace": namespace}
            action = NextAction(do, "flux_source_get", args, f"flux get sources {noun} {name} -n {namespace}")
            return {"next_action": action.to_dict()}
    return {"next_action": _events(f"flux failed: {cli_error}", subject, failures.UNKNOWN.key).to_dict()}


def _source_advice(source: Obj, before: Obj) -> NextAction:
    """Advice for the source that failed first; a HelmRelease's generated HelmChart is changed through the
    release, so the release's own fields are advised on first."""
    if before.get("kind") == "HelmRelease" and source.get("kind") == "HelmChart":
        ready = conditions.condition(source, "Ready") or {}
        subject = Subject(
            before,
            str(ready.get("reason") or ""),
            [str(ready.get("message") or "")],
            stalled=conditions.is_stalled(source),
            source=fields.helmrelease_source(before),
            chart=source,
        )
        return advise(subject)
    return for_object(source)


def _name(obj: Obj) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace", "")), str(meta.get("name", ""))
