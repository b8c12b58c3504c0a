"""Every Flux object at once: `flux_get_all` (the objects) and `flux_stats` (counts and storage)."""

from __future__ import annotations

from typing import Any, Literal

from fluxtools._flux import conditions, fields, views
from fluxtools._flux.kinds import (
    ARTIFACT_KINDS,
    EXTERNALARTIFACT,
    HELMRELEASE,
    IMAGE_KINDS,
    KUSTOMIZATION,
    NOTIFICATION_KINDS,
    OPERATOR_KINDS,
    SOURCE_KINDS,
    FluxKind,
)
from fluxtools._process.call import Call
from fluxtools._validation import Namespace
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec
from fluxtools.specs.objects import Listing, ScopeArgs, collect, listing_spec, missing_note

OVERVIEW_KINDS: tuple[FluxKind, ...] = (
    *SOURCE_KINDS,
    *ARTIFACT_KINDS,
    KUSTOMIZATION,
    HELMRELEASE,
    *IMAGE_KINDS,
    *NOTIFICATION_KINDS,
    *OPERATOR_KINDS,
)
"""Every kind, sources first, then what applies them, then the optional components: the order of the answer."""
ARTIFACT_HOLDERS = (*SOURCE_KINDS, EXTERNALARTIFACT)
"""The kinds whose status carries a stored artifact."""
OverviewKind = Literal[
    "gitrepository",
    "ocirepository",
    "bucket",
    "helmrepository",
    "helmchart",
    "externalartifact",
    "artifactgenerator",
    "kustomization",
    "helmrelease",
    "imagerepository",
    "imagepolicy",
    "imageupdateautomation",
    "provider",
    "alert",
    "receiver",
    "fluxinstance",
    "fluxreport",
    "resourceset",
    "resourcesetinputprovider",
]


ALL_OBJECTS = Listing("objects", "Flux object", lambda args: OVERVIEW_KINDS, views.object_summary)
STAT_FIELDS = {"ready": "ready", "failed": "failing", "suspended": "suspended", "progressing": "progressing"}


class GetAllArgs(ScopeArgs):
    pass


class StatsArgs(ReadArgs):
    namespace: Namespace | None = None
    all_namespaces: bool = True


def human_bytes(size: int) -> str:
    """`-` for nothing, else the size in B, KiB, MiB or GiB as `flux stats` prints it."""
    if size <= 0:
        return "-"
    if size < 1024:
        return f"{size} B"
    value, unit = size / 1024, "KiB"
    for bigger in ("MiB", "GiB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"


def kind_stats(kind: FluxKind, objects: list[dict[str, Any]]) -> dict[str, Any]:
    """total, ready, failing (Ready=False), suspended, progressing; artifact storage for sources."""
    row: dict[str, Any] = {"total": len(objects), **dict.fromkeys(STAT_FIELDS.values(), 0)}
    for obj in objects:
        row[STAT_FIELDS[conditions.state(obj)]] += 1
    if kind in ARTIFACT_HOLDERS:
        row["storage_bytes"] = sum(fields.artifact_size(obj) for obj in objects)
    return row


async def stats(call: Call, args: StatsArgs) -> dict[str, Any]:
    found = await collect(call, ALL_OBJECTS.kinds(args), ALL_OBJECTS.noun)
    rows = {
        kind.kind: kind_stats(kind, [obj for obj in found.objects if fields.kind_of(obj) == kind.kind])
        for kind in OVERVIEW_KINDS
        if found.read(kind)
    }
    totals = {key: sum(row[key] for row in rows.values()) for key in ("total", *STAT_FIELDS.values())}
    storage = sum(row.get("storage_bytes", 0) for row in rows.values())
    data: dict[str, Any] = {
        "by_kind": rows,
        "totals": totals,
        "storage_bytes": storage,
        "storage": human_bytes(storage),
    }
    if found.missing:
        data["notes"] = [missing_note(found.missing)]
    if found.unread:
        data["unread"] = [item.to_dict() for item in found.unread]
    return data


GET_ALL = listing_spec(
    "flux_get_all",
    "Every Flux object in one call (all namespaces by default): ready, message, revision, suspended; counts "
    "by kind and state.",
    ALL_OBJECTS,
    GetAllArgs,
)
STATS = ToolSpec.read(
    name="flux_stats",
    description=(
        "Counts per Flux kind: total, ready, failing, suspended, progressing, and the sources' artifact storage."
    ),
    args_model=StatsArgs,
    operation=Operation.LIST,
    step=stats,
)
