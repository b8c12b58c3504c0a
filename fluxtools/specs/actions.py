"""Mutating tools: reconcile (with a verdict), suspend and resume.

They act through the flux CLI with an explicit `--timeout`, read objects with
kubectl, and watch the object themselves rather than sit out the CLI's wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from fluxtools._errors import CommandFailed, InvalidInput, NotFound
from fluxtools._flux import conditions, fields, follow, kinds, leases, verdict
from fluxtools._flux.kinds import (
    ALL_KINDS,
    BY_KEY,
    BY_KIND,
    HELMRELEASE,
    IMAGE_KINDS,
    KUSTOMIZATION,
    RECEIVER,
    SOURCE_KINDS,
    FluxKind,
    flux_command,
)
from fluxtools._process.call import Call, Outcome
from fluxtools._process.classify import Target, cli_deadline, failures
from fluxtools._process.runners import CommandResult
from fluxtools._validation import KubeName, Namespace
from fluxtools.diagnosis.advice import verdict_advice
from fluxtools.diagnosis.answer import AGGREGATED
from fluxtools.diagnosis.text import fingerprint
from fluxtools.specs.base import Operation, ToolArgs, ToolSpec, configured_namespace

ReconcileKind = Literal[
    "kustomization",
    "helmrelease",
    "source",
    "gitrepository",
    "helmrepository",
    "helmchart",
    "ocirepository",
    "bucket",
    "imagerepository",
    "imagepolicy",
    "imageupdateautomation",
    "receiver",
]
RECONCILABLE: dict[str, FluxKind] = {kind.key: kind for kind in (*ALL_KINDS, *IMAGE_KINDS, RECEIVER)}
"""The kinds `flux reconcile` reconciles (besides `source`, any source kind found by name)."""
HELM_REQUESTS = {"force": "reconcile.fluxcd.io/forceAt", "reset": "reconcile.fluxcd.io/resetAt"}
"""HelmRelease-only requests: the flag flux writes each with, as the annotation the controller reads, whose
value it echoes in `status.lastHandled<Force|Reset>At` once it took the request."""
SuspendKind = Literal["kustomization", "helmrelease"]
WARNING_EVENTS = 3


class ReconcileArgs(ToolArgs):
    kind: ReconcileKind = Field(description="Resource kind")
    name: KubeName = Field(description="Resource name")
    namespace: Namespace | None = configured_namespace()
    with_source: bool = Field(False, description="Reconcile source first")
    force: bool = Field(False, description="HelmRelease: one-off upgrade")
    reset: bool = Field(False, description="HelmRelease: reset retries")
    timeout_secs: int | None = Field(None, ge=1, le=3600, description="Seconds to wait for the verdict (default 120)")

    @model_validator(mode="after")
    def _helm_requests(self) -> ReconcileArgs:
        """force and reset are requests only helm-controller knows: refused for any other kind."""
        for flag in HELM_REQUESTS:
            if getattr(self, flag) and self.kind != HELMRELEASE.key:
                raise PydanticCustomError(
                    "helmrelease_only",
                    "{problem}",
                    {"problem": f"applies to kind helmrelease only, not to kind {self.kind}", "field": flag},
                )
        return self


class SuspendArgs(ToolArgs):
    kind: SuspendKind = Field(description="Resource kind")
    name: KubeName = Field(description="Resource name")
    namespace: Namespace | None = configured_namespace()


class ResumeArgs(SuspendArgs):
    pass


async def get_object(call: Call, kind: FluxKind, name: str, namespace: str, verb: str) -> dict[str, Any]:
    target = Target(kind.kind, name, namespace, verb)
    return await call.kubectl_json(["get", kind.resource, name, "-n", namespace, "-o", "json"], target)


async def resolve_source_kind(call: Call, name: str, namespace: str) -> FluxKind:
    """The one source kind holding `name` in `namespace`; ambiguity lists the candidates."""
    resources = kinds.resources(SOURCE_KINDS)
    target = Target("Source", name, namespace, "reconcile")
    document = await call.kubectl_json(
        ["get", resources, "-n", namespace, "--field-selector", f"metadata.name={name}", "-o", "json"], target
    )
    found = [BY_KIND[item["kind"]] for item in document.get("items") or [] if item.get("kind") in BY_KIND]
    if not found:
        raise NotFound(
            "Source",
            name,
            namespace,
            hint="No GitRepository, OCIRepository, Bucket, HelmRepository or HelmChart has that name there.",
        )
    if len(found) > 1:
        candidates = ", ".join(fields.object_id(kind.kind, namespace, name) for kind in found)
        raise InvalidInput(
            f"Source '{name}' is ambiguous in namespace '{namespace}': {candidates}",
            hint="Call again with kind set to one of: " + ", ".join(kind.key for kind in found),
            field="kind",
        )
    return found[0]


async def latest_warnings(call: Call, kind: FluxKind, name: str, namespace: str) -> list[str]:
    selector = f"involvedObject.kind={kind.kind},involvedObject.name={name},type=Warning"
    argv = call.cli.kubectl("get", "events", "-n", namespace, "--field-selector", selector, "-o", "json")
    done = await call.outcome(argv, Target("Event", None, namespace, "list"), retry=False)
    if done.error is not None:
        return []
    result = done.result
    with contextlib.suppress(json.JSONDecodeError, AttributeError):
        items = json.loads(result.stdout).get("items") or []
        items.sort(key=lambda event: event.get("lastTimestamp") or event.get("eventTime") or "")
        return distinct_messages(items[::-1], WARNING_EVENTS)
    return []


def distinct_messages(events: list[dict[str, Any]], limit: int) -> list[str]:
    """The first `limit` different messages of `events`, each once: a warning repeated, also with other numbers
    in it (a temporary directory, a duration), is one warning."""
    messages: list[str] = []
    seen: set[str] = set()
    for event in events:
        message = str(event.get("message", "")).removeprefix(AGGREGATED).strip()
        key = fingerprint(message, None)
        if key not in seen:
            seen.add(key)
            messages.append(message)
    return messages[:limit]


def cli_failure(result: CommandResult) -> str | None:
    """The `✗` lines flux printed, joined; None when there are none."""
    return "; ".join(failures(result)) or None


def suspended(kind: FluxKind, obj: dict[str, Any], source: str | None = None) -> verdict.Verdict:
    """Nothing was requested: the object is suspended, or (with `source`) a source it reconciles first.

    For a HelmRelease's chart template flux reconciles its HelmChart with `source`: either may be suspended.
    """
    meta = obj.get("metadata") or {}
    where = f"name={meta.get('name')} namespace={meta.get('namespace')}"
    if source is None:
        return verdict.Verdict(
            verdict.SUSPENDED,
            obj,
            extra={
                "message": "resource is suspended; nothing was requested",
                "hint": f"Resume it first: flux_resume kind={kind.key} {where}",
            },
        )
    chart = fields.helmrelease_chart(obj) if kind is HELMRELEASE else None
    also = f" (or the {chart} flux reconciles from it)" if chart else ""
    resumes = " or ".join(resume_command(ref) for ref in (source, chart) if ref)
    return verdict.Verdict(
        verdict.SUSPENDED,
        obj,
        extra={
            "message": f"its source {source}{also} is suspended; nothing was requested",
            "suspended_source": source,
            "hint": (
                f"Resume the suspended {'one' if chart else 'source'} ({resumes}), or reconcile "
                f"without it on the artifact it has: flux_reconcile kind={kind.key} {where}"
            ),
        },
    )


def resume_command(ref: str) -> str:
    """`flux resume <noun> <name> -n <namespace>` for a `Kind/namespace/name` reference."""
    ref_kind, namespace, name = ref.split("/", 2)
    return flux_command("resume", ref_kind, name, namespace)


def outcome_from_cli(
    done: Outcome, kind: FluxKind, before: dict[str, Any], source: str | None = None
) -> verdict.Verdict | None:
    """What a finished `flux reconcile` adds; None when watching the object decides.

    Success and the CLI's own deadline leave the verdict to the object (it shows the
    handled request); failures of the CLI's own API requests are raised; anything else
    it reports (a Stalled or not-Ready message of the controller) is a failed verdict.
    `source` is the source reconciled first (`--with-source`): flux checks it before
    the object and says only "resource is suspended" when it is suspended; any other
    failure then is the source's, before the object was asked, so the verdict does not
    show the object's Ready fields from before.
    """
    result = done.result
    if result.exit_code <= 0:
        return None
    failure = cli_failure(result) or result.stderr.strip()
    if not failure or cli_deadline(result):
        return None
    if failure == "resource is suspended":
        return suspended(kind, before, source)
    if done.error is not None and not isinstance(done.error, CommandFailed):  # the client stated it
        raise done.error
    if source is not None:  # flux reconciled the source first and failed on it: the object was never asked
        return verdict.Verdict(verdict.FAILED, before, handled=False, extra={"message": failure, "cli_error": failure})
    return verdict.Verdict(verdict.FAILED, before, extra={"cli_error": failure})


def source_of(kind: FluxKind, obj: dict[str, Any]) -> str | None:
    """The source `--with-source` reconciles first for a Kustomization or HelmRelease (`Kind/namespace/name`)."""
    return fields.kustomization_source(obj) if kind is KUSTOMIZATION else fields.helmrelease_source(obj)


def first_sources(kind: FluxKind, obj: dict[str, Any]) -> list[str]:
    """The sources flux reconciles before the object with `--with-source` (`Kind/namespace/name`): a
    HelmRelease's chart source and then its generated HelmChart, else its source."""
    refs = [source_of(kind, obj), fields.helmrelease_chart(obj) if kind is HELMRELEASE else None]
    return [ref for ref in refs if ref and ref.split("/", 1)[0] in BY_KIND]


async def reconcile_references(call: Call, args: ReconcileArgs) -> list[str]:
    """With `with_source`, the source the CLI reconciles first (it may live in another namespace)."""
    if not args.with_source or args.kind not in (KUSTOMIZATION.key, HELMRELEASE.key):
        return []
    kind = BY_KEY[args.kind]
    source = source_of(kind, await get_object(call, kind, args.name, args.namespace, "reconcile"))
    return [source] if source else []


async def reconcile(call: Call, args: ReconcileArgs) -> dict[str, Any]:
    namespace = args.namespace
    kind = await resolve_source_kind(call, args.name, namespace) if args.kind == "source" else RECONCILABLE[args.kind]
    clock_start = call.runner.monotonic()
    deadline = clock_start + call.timeout
    before = await get_object(call, kind, args.name, namespace, "reconcile")
    base = {"kind": kind.key, "name": args.name, "namespace": namespace}
    if conditions.is_suspended(before):
        return {**base, "reconciled": False, **suspended(kind, before).fields()}

    argv = call.cli.flux("reconcile", *kind.cli_noun, args.name, "-n", namespace, f"--timeout={int(call.timeout)}s")
    requests = [flag for flag in HELM_REQUESTS if getattr(args, flag)]
    argv += [f"--{flag}" for flag in requests]
    source, first, source_failed = None, [], []
    if args.with_source and kind in (KUSTOMIZATION, HELMRELEASE):
        argv.append("--with-source")
        source = source_of(kind, before)
        first = first_sources(kind, before)
    target = Target(kind.kind, args.name, namespace, "reconcile")
    cli = asyncio.ensure_future(call.outcome(argv, target, timeout=call.timeout + 5, retry=False, limited=False))
    since, after = verdict.requested_at(before), (before.get("metadata") or {}).get("resourceVersion")
    for ref in first if call.config.verdict_watch else []:
        ref_kind, ref_namespace, ref_name = ref.split("/", 2)
        watch = call.cli.kubectl(
            "get", BY_KIND[ref_kind].resource, ref_name, "-n", ref_namespace, "--watch", "-o", "json"
        )
        source_failed.append(
            asyncio.ensure_future(follow.source_failure(call, watch, since, after=after, deadline=deadline))
        )
    early = follow.Early(cli, lambda done: outcome_from_cli(done, kind, before, source), source_failed)
    pickup = verdict.Pickup(before, call.runner.monotonic, leases=lambda: leases.read_renewals(call, kind.controller))
    try:
        judged = await follow.until_handled(
            call,
            kind,
            args.name,
            namespace,
            lambda: get_object(call, kind, args.name, namespace, "reconcile"),
            verdict.reconcile_handled(before),
            deadline=deadline,
            early=early,
            pickup=pickup,
        )
    finally:
        await early.close()
    data = {**base, "reconciled": judged.outcome == verdict.SUCCEEDED, **judged.fields()}
    if judged.handled:
        data.update(requests_taken(judged.obj, requests))
    warnings: list[str] = []
    if judged.outcome == verdict.FAILED and judged.handled:
        warnings = data["warnings"] = await latest_warnings(call, kind, args.name, namespace)
    if judged.outcome == verdict.TIMED_OUT:
        data["hint"] = pickup.timed_out_hint(kind.controller)
    if judged.outcome in (verdict.FAILED, verdict.NOT_HANDLED):
        data.update(verdict_advice(judged, before, first[0] if first else None, warnings))
    data["duration_secs"] = round(call.runner.monotonic() - clock_start, 2)
    return data


def requests_taken(obj: dict[str, Any], requests: list[str]) -> dict[str, bool]:
    """`force_handled`/`reset_handled`: whether the controller took each HelmRelease request in the run judged
    (it echoes the request's annotation in `status.lastHandledForceAt`/`lastHandledResetAt`)."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    status = obj.get("status") or {}
    taken = {}
    for flag in requests:
        requested = annotations.get(HELM_REQUESTS[flag])
        taken[f"{flag}_handled"] = bool(requested) and status.get(f"lastHandled{flag.title()}At") == requested
    return taken


def printed_failure(result: CommandResult) -> bool:
    """flux suspend/resume can exit 0 with `✗` lines: those are failures too."""
    return cli_failure(result) is not None


async def suspend(call: Call, args: SuspendArgs) -> dict[str, Any]:
    namespace = args.namespace
    kind = BY_KEY[args.kind]
    target = Target(kind.kind, args.name, namespace, "suspend")
    before = await get_object(call, kind, args.name, namespace, "suspend")
    argv = call.cli.flux("suspend", *kind.cli_noun, args.name, "-n", namespace, f"--timeout={int(call.timeout)}s")
    await call.run(argv, target, retry=False, fails=printed_failure)
    return {
        "suspended": True,
        "kind": kind.key,
        "name": args.name,
        "namespace": namespace,
        "message": "reconciliation suspended",
        "was_suspended": conditions.is_suspended(before),
    }


async def resume(call: Call, args: ResumeArgs) -> dict[str, Any]:
    namespace = args.namespace
    kind = BY_KEY[args.kind]
    target = Target(kind.kind, args.name, namespace, "resume")
    clock_start = call.runner.monotonic()
    before = await get_object(call, kind, args.name, namespace, "resume")
    argv = call.cli.flux(
        "resume", *kind.cli_noun, args.name, "-n", namespace, "--wait=false", f"--timeout={int(call.timeout)}s"
    )
    await call.run(argv, target, retry=False, fails=printed_failure)
    judged = await follow.until_handled(
        call,
        kind,
        args.name,
        namespace,
        lambda: get_object(call, kind, args.name, namespace, "resume"),
        verdict.generation_handled,
        deadline=clock_start + call.timeout,
    )
    return {
        "resumed": True,
        "kind": kind.key,
        "name": args.name,
        "namespace": namespace,
        "message": "reconciliation resumed",
        "was_suspended": conditions.is_suspended(before),
        **judged.fields(),
        "duration_secs": round(call.runner.monotonic() - clock_start, 2),
    }


RECONCILE = ToolSpec(
    name="flux_reconcile",
    description=(
        "Reconcile a Flux object now; returns the verdict: succeeded (new revision), failed (reason, message, "
        "warnings), suspended (resume first), not_handled (no controller took it) or timed_out. kind source: "
        "found by name."
    ),
    args_model=ReconcileArgs,
    operation=Operation.RECONCILE,
    mutating=True,
    idempotent=True,
    step=reconcile,
    references=reconcile_references,
    rate_limited=True,
)
SUSPEND = ToolSpec(
    name="flux_suspend",
    description=(
        "Suspend reconciliation of a Kustomization or HelmRelease (spec.suspend), e.g. during maintenance or "
        "an incident."
    ),
    args_model=SuspendArgs,
    operation=Operation.SUSPEND,
    mutating=True,
    idempotent=True,
    step=suspend,
)
RESUME = ToolSpec(
    name="flux_resume",
    description=(
        "Resume a suspended Kustomization or HelmRelease; returns the verdict of the reconciliation that follows."
    ),
    args_model=ResumeArgs,
    operation=Operation.RESUME,
    mutating=True,
    idempotent=True,
    step=resume,
)
