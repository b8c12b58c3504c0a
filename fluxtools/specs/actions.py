"""Mutating tools: reconcile (with a verdict), suspend and resume.

They act through the flux CLI with an explicit `--timeout`, read objects with
kubectl, and watch the object themselves rather than sit out the CLI's wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, Literal

from pydantic import Field

from .. import follow, verdict
from .._flux import conditions, fields
from ..classify import Target, classify, cli_deadline, client_error
from ..context import ToolContext
from ..errors import InvalidInput, NotFound
from ..kinds import BY_KEY, BY_KIND, HELMRELEASE, KUSTOMIZATION, SOURCE_KINDS, FluxKind
from ..runners import CommandResult
from ..validation import KubeName, Namespace
from .base import DEFAULT_NS_SCHEMA, Operation, ToolArgs, ToolSpec

ReconcileKind = Literal[
    "kustomization",
    "helmrelease",
    "source",
    "gitrepository",
    "helmrepository",
    "helmchart",
    "ocirepository",
    "bucket",
]
SuspendKind = Literal["kustomization", "helmrelease"]
WARNING_EVENTS = 3


class ReconcileArgs(ToolArgs):
    kind: ReconcileKind = Field(description="Resource kind")
    name: KubeName = Field(description="Resource name")
    namespace: Namespace | None = Field(None, description="Kubernetes namespace", json_schema_extra=DEFAULT_NS_SCHEMA)
    with_source: bool = Field(False, description="Reconcile source first")
    timeout_secs: int | None = Field(
        None, ge=1, le=3600, description="Longest wait for the verdict in seconds (default 120)"
    )


class SuspendArgs(ToolArgs):
    kind: SuspendKind = Field(description="Resource kind")
    name: KubeName = Field(description="Resource name")
    namespace: Namespace | None = Field(None, description="Kubernetes namespace", json_schema_extra=DEFAULT_NS_SCHEMA)


class ResumeArgs(SuspendArgs):
    pass


def namespace_of(args: Any, ctx: ToolContext) -> str:
    return args.namespace or ctx.config.namespace


def action_target(verb: str):  # type: ignore[no-untyped-def]
    def target(args: Any, ctx: ToolContext) -> Target:
        kind = BY_KEY.get(args.kind)
        return Target(kind.kind if kind else "Source", args.name, namespace_of(args, ctx), verb)

    return target


async def get_object(ctx: ToolContext, kind: FluxKind, name: str, namespace: str, verb: str) -> dict[str, Any]:
    target = Target(kind.kind, name, namespace, verb)
    return await ctx.kubectl_json(["get", kind.resource, name, "-n", namespace, "-o", "json"], target)


async def resolve_source_kind(ctx: ToolContext, name: str, namespace: str) -> FluxKind:
    """The one source kind holding `name` in `namespace`; ambiguity lists the candidates."""
    resources = ",".join(kind.resource for kind in SOURCE_KINDS)
    target = Target("Source", name, namespace, "reconcile")
    document = await ctx.kubectl_json(
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
        candidates = ", ".join(f"{kind.kind}/{namespace}/{name}" for kind in found)
        raise InvalidInput(
            f"Source '{name}' is ambiguous in namespace '{namespace}': {candidates}",
            hint="Call again with kind set to one of: " + ", ".join(kind.key for kind in found),
            field="kind",
        )
    return found[0]


async def latest_warnings(ctx: ToolContext, kind: FluxKind, name: str, namespace: str) -> list[str]:
    selector = f"involvedObject.kind={kind.kind},involvedObject.name={name},type=Warning"
    result = await ctx.run_once(
        ctx.kubectl("get", "events", "-n", namespace, "--field-selector", selector, "-o", "json")
    )
    if result.exit_code != 0:
        return []
    with contextlib.suppress(json.JSONDecodeError, AttributeError):
        items = json.loads(result.stdout).get("items") or []
        items.sort(key=lambda event: event.get("lastTimestamp") or event.get("eventTime") or "")
        return [event.get("message", "") for event in items[-WARNING_EVENTS:]][::-1]
    return []


def cli_failure(result: CommandResult) -> str | None:
    """The `✗` lines flux printed, joined; None when there are none."""
    lines = [line[1:].strip() for line in result.stderr.splitlines() if line.startswith("✗")]
    return "; ".join(lines) or None


def outcome_from_cli(
    ctx: ToolContext, result: CommandResult, before: dict[str, Any], target: Target
) -> verdict.Verdict | None:
    """What a finished `flux reconcile` adds; None when watching the object decides.

    Success and the CLI's own deadline leave the verdict to the object (it shows the
    handled request); failures of the CLI's own API requests are raised; anything else
    it reports (a Stalled or not-Ready message of the controller) is a failed verdict.
    """
    if result.exit_code <= 0:
        return None
    failure = cli_failure(result) or result.stderr.strip()
    if not failure or cli_deadline(result):
        return None
    if failure == "resource is suspended":
        return verdict.Verdict(verdict.SUSPENDED, before)
    error = client_error(result, target, ctx.config.kubeconfig_display())
    if error is not None:
        raise error
    return verdict.Verdict(verdict.FAILED, before, extra={"cli_error": failure})


async def reconcile_references(ctx: ToolContext, args: ReconcileArgs) -> list[str]:
    """With `with_source`, the source the CLI reconciles first (it may live in another namespace)."""
    if not args.with_source or args.kind not in (KUSTOMIZATION.key, HELMRELEASE.key):
        return []
    kind = BY_KEY[args.kind]
    obj = await get_object(ctx, kind, args.name, namespace_of(args, ctx), "reconcile")
    source = fields.kustomization_source(obj) if kind is KUSTOMIZATION else fields.helmrelease_source(obj)
    return [source] if source else []


async def reconcile(ctx: ToolContext, args: ReconcileArgs) -> dict[str, Any]:
    namespace = namespace_of(args, ctx)
    kind = await resolve_source_kind(ctx, args.name, namespace) if args.kind == "source" else BY_KEY[args.kind]
    clock_start = ctx.runner.monotonic()
    deadline = clock_start + ctx.timeout
    before = await get_object(ctx, kind, args.name, namespace, "reconcile")
    base = {"kind": kind.key, "name": args.name, "namespace": namespace}
    if conditions.is_suspended(before):
        return {
            **base,
            "reconciled": False,
            "verdict": verdict.SUSPENDED,
            "message": "resource is suspended; nothing was requested",
            "hint": f"Resume it first: flux_resume kind={kind.key} name={args.name}",
        }

    argv = ctx.flux("reconcile", *kind.cli_noun, args.name, "-n", namespace, f"--timeout={int(ctx.timeout)}s")
    if args.with_source and kind in (KUSTOMIZATION, HELMRELEASE):
        argv.append("--with-source")
    cli = asyncio.ensure_future(ctx.run_once(argv, timeout=ctx.timeout + 5, limited=False))

    target = Target(kind.kind, args.name, namespace, "reconcile")

    try:
        judged = await follow.until_handled(
            ctx,
            kind,
            args.name,
            namespace,
            lambda: get_object(ctx, kind, args.name, namespace, "reconcile"),
            verdict.reconcile_handled(before),
            deadline=deadline,
            early=cli,
            early_verdict=lambda: outcome_from_cli(ctx, cli.result(), before, target),
        )
    finally:
        if not cli.done():
            cli.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await cli
    data = {**base, "reconciled": judged.outcome == verdict.SUCCEEDED, **judged.fields()}
    if judged.outcome == verdict.FAILED:
        data["warnings"] = await latest_warnings(ctx, kind, args.name, namespace)
    if judged.outcome == verdict.TIMED_OUT:
        data["hint"] = "The controller has not finished; check again with the get tool or raise timeout_secs."
    data["duration_secs"] = round(ctx.runner.monotonic() - clock_start, 2)
    return data


def raise_cli_failure(ctx: ToolContext, result: CommandResult, target: Target) -> None:
    """flux suspend/resume can exit 0 with `✗` lines: treat those as failures too."""
    if result.exit_code == 0 and not cli_failure(result):
        return
    if result.exit_code == 0:
        result = CommandResult(result.argv, 1, result.stdout, result.stderr, result.duration)
    raise classify(result, target, ctx.config.kubeconfig_display())


async def suspend(ctx: ToolContext, args: SuspendArgs) -> dict[str, Any]:
    namespace = namespace_of(args, ctx)
    kind = BY_KEY[args.kind]
    target = Target(kind.kind, args.name, namespace, "suspend")
    before = await get_object(ctx, kind, args.name, namespace, "suspend")
    result = await ctx.run_once(
        ctx.flux("suspend", *kind.cli_noun, args.name, "-n", namespace, f"--timeout={int(ctx.timeout)}s")
    )
    raise_cli_failure(ctx, result, target)
    return {
        "suspended": True,
        "kind": kind.key,
        "name": args.name,
        "namespace": namespace,
        "message": "reconciliation suspended",
        "was_suspended": conditions.is_suspended(before),
    }


async def resume(ctx: ToolContext, args: ResumeArgs) -> dict[str, Any]:
    namespace = namespace_of(args, ctx)
    kind = BY_KEY[args.kind]
    target = Target(kind.kind, args.name, namespace, "resume")
    clock_start = ctx.runner.monotonic()
    before = await get_object(ctx, kind, args.name, namespace, "resume")
    result = await ctx.run_once(
        ctx.flux("resume", *kind.cli_noun, args.name, "-n", namespace, "--wait=false", f"--timeout={int(ctx.timeout)}s")
    )
    raise_cli_failure(ctx, result, target)
    judged = await follow.until_handled(
        ctx,
        kind,
        args.name,
        namespace,
        lambda: get_object(ctx, kind, args.name, namespace, "resume"),
        verdict.generation_handled,
        deadline=clock_start + ctx.timeout,
    )
    return {
        "resumed": True,
        "kind": kind.key,
        "name": args.name,
        "namespace": namespace,
        "message": "reconciliation resumed",
        "was_suspended": conditions.is_suspended(before),
        **judged.fields(),
        "duration_secs": round(ctx.runner.monotonic() - clock_start, 2),
    }


RECONCILE = ToolSpec(
    name="flux_reconcile",
    description=(
        "Trigger an immediate reconciliation of a Flux resource and return the controller's verdict: "
        "succeeded (with the new revision), failed (reason, message, latest warnings), suspended "
        "(nothing done; resume first) or timed_out. kind 'source' finds the source kind by name. "
        "with_source reconciles the Kustomization's or HelmRelease's source first."
    ),
    args_model=ReconcileArgs,
    operation=Operation.RECONCILE,
    mutating=True,
    idempotent=True,
    target=action_target("reconcile"),
    workflow=reconcile,
    references=reconcile_references,
    rate_limited=True,
)
SUSPEND = ToolSpec(
    name="flux_suspend",
    description=(
        "Suspend reconciliation of a Kustomization or HelmRelease (sets spec.suspend; useful during "
        "maintenance or incidents). A missing object is a NotFound error."
    ),
    args_model=SuspendArgs,
    operation=Operation.SUSPEND,
    mutating=True,
    idempotent=True,
    target=action_target("suspend"),
    workflow=suspend,
)
RESUME = ToolSpec(
    name="flux_resume",
    description=(
        "Resume reconciliation of a suspended Kustomization or HelmRelease and report the readiness "
        "verdict of the reconciliation that follows (succeeded, failed or timed_out)."
    ),
    args_model=ResumeArgs,
    operation=Operation.RESUME,
    mutating=True,
    idempotent=True,
    target=action_target("resume"),
    workflow=resume,
)
