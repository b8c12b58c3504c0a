"""`flux_diagnose`: one call that finds what is broken in the GitOps pipeline and why."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import Field

from ..classify import Target
from ..context import ToolContext
from ..diagnosis import analyse
from ..errors import FluxError
from ..kinds import ALL_KINDS
from ..logformat import parse_line
from ..validation import Namespace
from .base import Operation, ReadArgs, ToolSpec

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


async def _items(ctx: ToolContext, argv_tail: list[str], target: Target) -> list[dict[str, Any]]:
    return await ctx.kubectl_items(["get", *argv_tail, "-o", "json"], target)


async def _error_logs(ctx: ToolContext, controller: str) -> list[dict[str, Any]]:
    """A controller's error entries; a controller that cannot be read adds no evidence."""
    argv = ctx.kubectl("logs", f"deployment/{controller}", "-n", ctx.config.namespace, f"--tail={LOG_TAIL}")
    result = await ctx.run_once(argv)
    if result.exit_code != 0:
        return []
    entries = (parse_line(line) for line in result.stdout.splitlines())
    return [entry for entry in entries if entry and entry.get("level") == "error"]


async def diagnose(ctx: ToolContext, args: DiagnoseArgs) -> dict[str, Any]:
    resources = ",".join(kind.resource for kind in ALL_KINDS)
    target = Target("Flux object", None, args.namespace, "list")
    object_calls = [_items(ctx, [resources, *scope], target) for scope in scopes(args, ctx)]
    event_calls = [
        _items(ctx, ["events", *scope, "--field-selector", "type=Warning"], target) for scope in scopes(args, ctx)
    ]
    log_calls = [_error_logs(ctx, controller) for controller in LOG_CONTROLLERS] if args.include_logs else []
    results = await asyncio.gather(*object_calls, *event_calls, *log_calls, return_exceptions=True)
    objects_part = results[: len(object_calls)]
    for result in objects_part:
        if isinstance(result, FluxError):
            raise result
    objects = [obj for part in objects_part if isinstance(part, list) for obj in part]
    rest = results[len(object_calls) :]
    events = [e for part in rest[: len(event_calls)] if isinstance(part, list) for e in part]
    logs = [e for part in rest[len(event_calls) :] if isinstance(part, list) for e in part]
    return analyse(objects, events, logs)


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
