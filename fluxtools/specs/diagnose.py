"""`flux_diagnose`: one call that finds what is broken in the GitOps pipeline and why."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from pydantic import Field

from fluxtools import _telemetry as telemetry
from fluxtools._budget import size
from fluxtools._errors import NotFound
from fluxtools._flux.kinds import EVERY_KIND, FLUXREPORT
from fluxtools._flux.logformat import entries_at
from fluxtools._process.call import Call
from fluxtools._process.classify import Target
from fluxtools._process.clients import Clients
from fluxtools._validation import Namespace
from fluxtools.diagnosis import NODE_LIMIT, Narrowing, analyse
from fluxtools.diagnosis.graph import Finding
from fluxtools.specs.args import Continue, Limit, NameContains
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec
from fluxtools.specs.partial import Reads, Unread, read_flux, scope_namespace, settle

LOG_CONTROLLERS = ("source-controller", "kustomize-controller", "helm-controller")
LOG_TAIL = 500
DIAGNOSED_KINDS = tuple(kind for kind in EVERY_KIND if kind is not FLUXREPORT)
"""Every kind but the operator's FluxReport, which only repeats its FluxInstance's and controllers' state."""


NARROWS = object()
"""Marks the arguments that narrow the report: the hint of a cut answer names exactly these."""
ENVELOPE_BYTES = 64
"""Room left in the budget for the envelope around the report."""
ANSWER_BYTES = 6 * 1024
"""The report's size when a call gives no max_bytes: every cause with its next action and evidence on a
cluster like the demo; more causes page on, and max_bytes asks for more detail. A report with its graph, to
be drawn, takes the configured budget."""

DiagnoseKind = Literal[
    "kustomization", "helmrelease", "gitrepository", "ocirepository", "bucket", "helmrepository", "helmchart"
]


class DiagnoseArgs(ReadArgs):
    namespace: Annotated[Namespace | None, NARROWS] = Field(None, description="Only this namespace (default: all)")
    kind: Annotated[DiagnoseKind | None, NARROWS] = Field(None, description="Only causes involving this kind")
    severity: Annotated[Literal["stalled", "failed", "progressing", "suspended"] | None, NARROWS] = Field(
        None,
        description="failed includes stalled",
    )
    name_contains: Annotated[NameContains, NARROWS] = Field(None, description="Only causes involving such a name")
    limit: Limit = Field(None, description="Causes per page")
    continue_: Continue = Field(None, alias="continue")
    include_logs: bool = Field(True, description="Attach controllers' error log lines")
    graph: bool = Field(False, description=f"Add a graph to draw (at most {NODE_LIMIT} nodes)")


def narrowing_arguments() -> tuple[str, ...]:
    """The arguments a cut answer may suggest: the narrowing ones, then paging."""
    fields = DiagnoseArgs.model_fields
    narrowing = tuple(name for name, field in fields.items() if NARROWS in field.metadata)
    return (*narrowing, "limit", "continue")


def narrowing_of(args: DiagnoseArgs) -> Narrowing:
    def wanted(finding: Finding) -> bool:
        if args.kind and finding.kind.lower() != args.kind:
            return False
        return not args.name_contains or args.name_contains in finding.name

    return Narrowing(
        wanted=wanted if args.kind or args.name_contains else None,
        severity=args.severity,
        offset=int(args.continue_ or 0),
        limit=args.limit,
        names=narrowing_arguments(),
    )


def scopes(call: Call) -> list[list[str]]:
    return [Clients.namespace_flags(namespace) for namespace in call.namespaces]


async def _events(call: Call, scope: list[str]) -> list[dict[str, Any]]:
    target = Target("Event", None, scope_namespace(scope), "list")
    return await call.kubectl_items(["get", "events", *scope, "--field-selector", "type=Warning", "-o", "json"], target)


async def _error_logs(call: Call, controller: str) -> list[dict[str, Any]]:
    """A controller's error entries; a controller that is not installed adds none."""
    namespace = call.config.namespace
    argv = call.cli.kubectl("logs", f"deployment/{controller}", "-n", namespace, f"--tail={LOG_TAIL}")
    try:
        result = await call.run(argv, Target("Deployment", controller, namespace, "read logs of"))
    except NotFound:
        return []
    return entries_at(result.stdout, "error")


async def read_cluster(call: Call, args: DiagnoseArgs) -> tuple[Reads, list[dict[str, Any]], list[dict[str, Any]]]:
    """Objects, warning events and controller error logs; what could not be read is in `unread`."""
    where = scopes(call)
    controllers = LOG_CONTROLLERS if args.include_logs else ()
    object_parts, event_parts, log_parts = await asyncio.gather(
        read_flux(call, DIAGNOSED_KINDS, where, "Flux object"),
        settle([_events(call, scope) for scope in where]),
        settle([_error_logs(call, controller) for controller in controllers]),
    )
    reads = Reads()
    for scope, part in zip(where, object_parts, strict=True):
        if isinstance(part, BaseException):
            reads.fail(part, "Flux object", scope_namespace(scope))
        else:
            reads.merge(part)
    reads.raise_if_nothing_read()
    events: list[dict[str, Any]] = []
    for scope, part in zip(where, event_parts, strict=True):
        if isinstance(part, BaseException):
            reads.unread.append(Unread.of(part, "Event", scope_namespace(scope)))
        else:
            events += part
    logs: list[dict[str, Any]] = []
    for controller, part in zip(controllers, log_parts, strict=True):
        if isinstance(part, BaseException):
            reads.unread.append(Unread.of(part, f"Log of {controller}", call.config.namespace))
        else:
            logs += part
    return reads, events, logs


async def diagnose(call: Call, args: DiagnoseArgs) -> dict[str, Any]:
    with telemetry.stage("read") as span:
        reads, events, logs = await read_cluster(call, args)
        if span is not None:
            span.set_attributes({"fluxtools.objects": len(reads.objects), "fluxtools.unread": len(reads.unread)})
    budget = call.budget - ENVELOPE_BYTES
    unread = reads.unread_dicts()
    report = analyse(
        reads.objects,
        events,
        logs,
        narrowing=narrowing_of(args),
        budget=budget - size(unread),
        graph_nodes=NODE_LIMIT if args.graph else None,
    )
    if reads.unread:
        report["unread"] = unread
        report["healthy"] = False
    return report


DIAGNOSE = ToolSpec.read(
    name="flux_diagnose",
    description=(
        "Start here when something is broken: follows dependsOn and source references from every Flux object in "
        "scope to the root causes, grouped (count, examples, what they block) and ranked by impact. Each cause: "
        "reason, message, warnings, error logs, next action. Suspended, progressing and unread listed apart. "
        f"Answers in {ANSWER_BYTES} bytes unless max_bytes asks for more."
    ),
    args_model=DiagnoseArgs,
    operation=Operation.LIST,
    step=diagnose,
    spans_namespaces=True,
    answer_bytes=lambda args: None if getattr(args, "graph", False) else ANSWER_BYTES,
)
