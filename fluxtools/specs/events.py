"""`flux_events`: Kubernetes events about Flux objects, warnings first, then newest first."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import Field

from fluxtools._errors import FluxError, NotFound
from fluxtools._flux.kinds import ANY_BY_KEY, is_flux_api
from fluxtools._flux.kinds import BY_KIND as ANY_BY_KIND
from fluxtools._process.call import Call
from fluxtools._process.classify import Target
from fluxtools._process.clients import Clients
from fluxtools._validation import KubeName, Namespace
from fluxtools.diagnosis import references
from fluxtools.specs.actions import get_object
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec
from fluxtools.specs.partial import Unread, settle

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
"""Kinds the events can be narrowed to (the others: by name); `kinds.EVENT_KINDS` holds the same."""
Event = dict[str, Any]


class EventsArgs(ReadArgs):
    kind: EventKind | None = Field(None, description="Only about this kind")
    name: KubeName | None = Field(None, description="Only about this object")
    namespace: Namespace | None = Field(None, description="Default: the configured namespace")
    all_namespaces: bool = Field(False, description="Every namespace")
    type: Literal["Normal", "Warning"] | None = None
    limit: int = Field(50, ge=1, le=1000, description="Most events")
    related: bool = Field(True, description="With its source's and HelmChart's events")


def field_selector(args: EventsArgs) -> list[str]:
    selectors = []
    if args.kind:
        selectors.append(f"involvedObject.kind={ANY_BY_KEY[args.kind].kind}")
    if args.name:
        selectors.append(f"involvedObject.name={args.name}")
    if args.type:
        selectors.append(f"type={args.type}")
    return ["--field-selector", ",".join(selectors)] if selectors else []


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


async def _read(call: Call, read: EventsArgs) -> list[Event]:
    """The events one read selects, in its namespace (all namespaces without one)."""
    argv = ["get", "events", *Clients.namespace_flags(read.namespace), *field_selector(read), "-o", "json"]
    items = await call.kubectl_items(argv, Target("Event", None, read.namespace, "list"))
    return [item for item in items if isinstance(item, dict)]


async def related_reads(call: Call, args: EventsArgs, unread: list[Unread]) -> list[EventsArgs]:
    """Event reads for the object's source and HelmChart, as `flux events --for` adds them."""
    if not (args.related and args.name and args.kind in ("kustomization", "helmrelease")):
        return []
    kind = ANY_BY_KEY[args.kind]
    namespace = args.namespace or call.config.namespace  # with all_namespaces the object is the configured one's
    try:
        obj = await get_object(call, kind, args.name, namespace, "read")
    except NotFound:
        return []
    except Exception as error:  # noqa: BLE001 - its related events are unread; its own are still read
        unread.append(Unread.of(error, kind.kind, namespace))
        return []
    reads = []
    for relation, ref in references(obj):
        ref_kind, namespace, name = ref.split("/", 2)
        other = ANY_BY_KIND.get(ref_kind)
        if relation in ("source", "chart") and other is not None and call.may_read(namespace):
            update = {"kind": other.key, "name": name, "namespace": namespace, "all_namespaces": False}
            reads.append(args.model_copy(update=update))
    return reads


async def events(call: Call, args: EventsArgs) -> dict[str, Any]:
    unread: list[Unread] = []
    if len(call.namespaces) > 1:
        reads = [args.model_copy(update={"namespace": ns}) for ns in call.namespaces]
    else:
        reads = [args, *await related_reads(call, args, unread)]
    parts = await settle([_read(call, read) for read in reads])
    items: list[Event] = []
    for read, part in zip(reads, parts, strict=True):
        if isinstance(part, BaseException):
            if isinstance(part, FluxError) and not any(isinstance(p, list) for p in parts):
                raise part
            unread.append(Unread.of(part, "Event", read.namespace))
        else:
            items += part
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
    if unread:
        data["unread"] = [item.to_dict() for item in unread]
    return data


EVENTS = ToolSpec.read(
    name="flux_events",
    description=(
        "Kubernetes events about Flux objects, warnings first, then newest: for one object (kind, name; with its "
        "source and HelmChart) or a namespace."
    ),
    args_model=EventsArgs,
    operation=Operation.LIST,
    step=events,
)
