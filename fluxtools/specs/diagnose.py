"""`flux_diagnose`: one call that finds what is broken in the GitOps pipeline and why."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import Field

from ..classify import Target
from ..context import ToolContext
from ..diagnosis import analyse
from ..errors import NotFound
from ..kinds import ALL_KINDS
from ..logformat import parse_line
from ..validation import Namespace
from .base import Operation, ReadArgs, ToolSpec
from .partial import Reads, Unread, read_kinds, scope_namespace, settle

LOG_CONTROLLERS = ("source-controller", "kustomize-controller", "helm-controller")
LOG_TAIL = 500


class DiagnoseArgs(ReadArgs):
    namespace: Namespace | None = Field(None, description="Only this namespace (default: all namespaces)")
    include_logs: bool = Field(True, description="Attach matching error lines from the controllers' logs")


def scopes(args: DiagnoseArgs, ctx: ToolContext) -> list[list[str]]:
    if args.namespace:
        return [["-n", args.namespace]]
    if ctx.scope:
        return [["-n", namespace] for namespace in ctx.scope]
    return [["-A"]]


async def _events(ctx: ToolContext, scope: list[str]) -> list[dict[str, Any]]:
    target = Target("Event", None, scope_namespace(scope), "list")
    return await ctx.kubectl_items(["get", "events", *scope, "--field-selector", "type=Warning", "-o", "json"], target)


async def _error_logs(ctx: ToolContext, controller: str) -> list[dict[str, Any]]:
    """A controller's error entries; a controller that is not installed adds none."""
    namespace = ctx.config.namespace
    argv = ctx.kubectl("logs", f"deployment/{controller}", "-n", namespace, f"--tail={LOG_TAIL}")
    try:
        result = await ctx.run(argv, Target("Deployment", controller, namespace, "read logs of"))
    except NotFound:
        return []
    entries = (parse_line(line) for line in result.stdout.splitlines())
    return [entry for entry in entries if entry and entry.get("level") == "error"]


async def read_cluster(
    ctx: ToolContext, args: DiagnoseArgs
) -> tuple[Reads, list[dict[str, Any]], list[dict[str, Any]]]:
    """Objects, warning events and controller error logs; what could not be read is in `unread`."""
    where = scopes(args, ctx)
    controllers = LOG_CONTROLLERS if args.include_logs else ()
    object_parts, event_parts, log_parts = await asyncio.gather(
        settle([read_kinds(ctx, ALL_KINDS, scope, "Flux object") for scope in where]),
        settle([_events(ctx, scope) for scope in where]),
        settle([_error_logs(ctx, controller) for controller in controllers]),
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
            reads.unread.append(Unread.of(part, f"Log of {controller}", ctx.config.namespace))
        else:
            logs += part
    return reads, events, logs


async def diagnose(ctx: ToolContext, args: DiagnoseArgs) -> dict[str, Any]:
    reads, events, logs = await read_cluster(ctx, args)
    report = analyse(reads.objects, events, logs)
    if reads.unread:
        report["unread"] = reads.unread_dicts()
        report["healthy"] = False
    return report


DIAGNOSE = ToolSpec.read(
    name="flux_diagnose",
    description=(
        "Find what is broken in the Flux GitOps pipeline in one call: every Flux object in scope is checked, "
        "dependsOn and source references are followed to the root causes, and each finding carries its reason, "
        "message, latest warning events, matching controller error logs and a suggested next action. Root causes "
        "come first."
    ),
    args_model=DiagnoseArgs,
    operation=Operation.LIST,
    target=lambda args, ctx: Target("Flux object", None, args.namespace, "list"),
    workflow=diagnose,
)
