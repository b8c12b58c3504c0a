"""`flux_events`: Kubernetes events about Flux objects, warnings first, then newest first."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any, Literal

from pydantic import Field

from ..classify import Target
from ..context import ToolContext
from ..kinds import ANY_BY_KEY, is_flux_api
from ..validation import KubeName, Namespace
from .base import Operation, ReadArgs, ToolSpec
from .reads import list_scope

EventKind = Literal[
    "kustomization",
    "helmrelease",
    "gitrepository",
    "ocirepository",
    "bucket",
    "helmrepository",
    "helmchart",
    "imagerepository",
    "imagepolicy",
    "imageupdateautomation",
]
Event = dict[str, Any]


class EventsArgs(ReadArgs):
    kind: EventKind | None = Field(None, description="Only events about objects of this Flux kind")
    name: KubeName | None = Field(None, description="Only events about the object with this name")
    namespace: Namespace | None = Field(
        None, description="Namespace to read events from (default: the configured namespace, flux-system)"
    )
    all_namespaces: bool = Field(False, description="Read events from all namespaces")
    type: Literal["Normal", "Warning"] | None = Field(None, description="Only events of this type")
    limit: int = Field(50, ge=1, le=1000, description="Most events to return")


def events_target(args: EventsArgs, ctx: ToolContext) -> Target:
    scope = list_scope(args, ctx)
    return Target("Event", None, scope[1] if scope[0] == "-n" else None, "list")


def field_selector(args: EventsArgs) -> list[str]:
    selectors = []
    if args.kind:
        selectors.append(f"involvedObject.kind={ANY_BY_KEY[args.kind].kind}")
    if args.name:
        selectors.append(f"involvedObject.name={args.name}")
    if args.type:
        selectors.append(f"type={args.type}")
    return ["--field-selector", ",".join(selectors)] if selectors else []


def kubectl_args(ctx: ToolContext, args: EventsArgs) -> list[str]:
    return ["get", "events", *list_scope(args, ctx), *field_selector(args), "-o", "json"]


def last_seen(event: Event) -> str:
    series = event.get("series") or {}
    return str(
        series.get("lastObservedTime")
        or event.get("lastTimestamp")
        or event.get("eventTime")
        or event.get("firstTimestamp")
        or (event.get("metadata") or {}).get("creationTimestamp")
        or ""
    )


def event_fields(event: Event) -> Event:
    involved = event.get("involvedObject") or {}
    series = event.get("series") or {}
    return {
        "type": event.get("type", ""),
        "reason": event.get("reason", ""),
        "object": f"{involved.get('kind', '')}/{involved.get('name', '')}",
        "namespace": involved.get("namespace") or (event.get("metadata") or {}).get("namespace", ""),
        "message": event.get("message", ""),
        "count": series.get("count") or event.get("count") or 1,
        "last_seen": last_seen(event),
    }


def flux_events(items: list[Event]) -> list[Event]:
    """Events about Flux objects only, warnings first, then newest first."""
    chosen = [
        event_fields(event) for event in items if is_flux_api((event.get("involvedObject") or {}).get("apiVersion", ""))
    ]
    chosen.sort(key=lambda event: event["last_seen"], reverse=True)
    chosen.sort(key=lambda event: event["type"] != "Warning")
    return chosen


async def _read(ctx: ToolContext, args: EventsArgs) -> list[Event]:
    items = await ctx.kubectl_items(kubectl_args(ctx, args), events_target(args, ctx))
    return [item for item in items if isinstance(item, dict)]


async def events(ctx: ToolContext, args: EventsArgs) -> dict[str, Any]:
    if ctx.scope and not args.namespace:
        parts = await asyncio.gather(*(_read(ctx, args.model_copy(update={"namespace": ns})) for ns in ctx.scope))
        items = [item for part in parts for item in part]
    else:
        items = await _read(ctx, args)
    chosen = flux_events(items)
    data: dict[str, Any] = {
        "events": chosen[: args.limit],
        "total": len(chosen),
        "counts": dict(sorted(Counter(event["type"] for event in chosen).items())),
    }
    if len(chosen) > args.limit:
        data["note"] = (
            f"Showing {args.limit} of {len(chosen)} events (warnings first, then newest). "
            "Raise limit or narrow with kind, name, type or namespace."
        )
    return data


EVENTS = ToolSpec.read(
    name="flux_events",
    description=(
        "Get Kubernetes events about Flux objects, for one object (kind and name) or a namespace (or all "
        "namespaces): type, reason, object, message, count and last seen, warnings first, then newest first."
    ),
    args_model=EventsArgs,
    operation=Operation.LIST,
    target=events_target,
    workflow=events,
)
