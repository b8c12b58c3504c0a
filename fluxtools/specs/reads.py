"""Read tools (list/get) for Kustomizations and HelmReleases.

Reads are structured: `kubectl get <plural>.<group> -o json`. Without kubectl
they fall back to the `flux get` table, with fewer fields and a note saying so.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from fluxtools._errors import FluxError, FluxNotInitialized, NotInstalled
from fluxtools._flux import conditions, views
from fluxtools._flux.flux_table import parse_flux_table, table_item
from fluxtools._flux.kinds import HELMRELEASE, KUSTOMIZATION, FluxKind
from fluxtools._process.call import Call, json_object
from fluxtools._process.classify import Target
from fluxtools._process.clients import Clients
from fluxtools._process.liststream import ItemStream
from fluxtools._validation import KubeName, Namespace
from fluxtools.specs.base import Data, ListArgs, Operation, ReadArgs, Step, ToolArgs, ToolSpec, configured_namespace
from fluxtools.specs.forms import Naming

REDUCED_NOTE = (
    "kubectl is not available: fields come from the `flux get` table and are reduced "
    "(no path, source, chart or conditions; long revisions are shortened to 8 characters)."
)
WATCH_NOTE = "watch was ignored: a tool call must return, so the current state is listed once."
namespace_flags = Clients.namespace_flags


@dataclass(frozen=True)
class ReadKind:
    kind: FluxKind
    list_key: str
    summary: Callable[[dict[str, Any]], dict[str, Any]]
    detail: Callable[[dict[str, Any]], dict[str, Any]]


KUSTOMIZATIONS = ReadKind(KUSTOMIZATION, "kustomizations", views.kustomization_summary, views.kustomization_detail)
HELMRELEASES = ReadKind(HELMRELEASE, "helmreleases", views.helmrelease_summary, views.helmrelease_detail)


class Summaries(ItemStream):
    """Summarizes list items as they stream in; keeps only the summaries and the counts."""

    def __init__(self, summarize: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.summarize = summarize
        super().__init__()

    def reset(self) -> None:
        super().reset()
        self.items: list[dict[str, Any]] = []
        self.counts: Counter[str] = Counter()

    def take(self, obj: dict[str, Any]) -> None:
        self.items.append(self.summarize(obj))
        self.counts[conditions.state(obj)] += 1


def list_answer(read: ReadKind, items: list[dict[str, Any]], counts: Counter[str]) -> Data:
    """A list tool's answer: the items, their exact total and counts by state."""
    return {read.list_key: items, "total": len(items), "counts": dict(sorted(counts.items()))}


def merge_lists(read: ReadKind, parts: list[Data]) -> Data:
    """One list answer from per-namespace answers."""
    counts: Counter[str] = Counter()
    for part in parts:
        counts.update(part["counts"])
    return list_answer(read, [item for part in parts for item in part[read.list_key]], counts)


async def read_list(call: Call, read: ReadKind, namespace: str | None) -> Data:
    """`kubectl get --raw` of the LIST path (the server's JSON, streamed); a server that does not serve
    that version gets `kubectl get <plural>.<group> -o json` (its preferred version) instead."""
    target = Target(read.kind.kind, None, namespace, "list")
    summaries = Summaries(read.summary)
    try:
        await call.run(call.cli.kubectl("get", "--raw", read.kind.api_path(namespace)), target, sink=summaries)
    except FluxNotInitialized:
        argv = call.cli.kubectl("get", read.kind.resource, *namespace_flags(namespace), "-o", "json")
        objects = json_object((await call.run(argv, target)).stdout, "kubectl").get("items") or []
        return list_answer(read, [read.summary(obj) for obj in objects], Counter(map(conditions.state, objects)))
    summaries.close()
    return list_answer(read, summaries.items, summaries.counts)


async def read_one(call: Call, read: ReadKind, args: Any) -> Data:
    argv = call.cli.kubectl("get", read.kind.resource, args.name, "-n", args.namespace, "-o", "json")
    result = await call.run(argv, Target(read.kind.kind, args.name, args.namespace, "get"))
    return read.detail(json_object(result.stdout, "kubectl"))


async def table_list(call: Call, read: ReadKind, namespace: str | None) -> Data:
    argv = call.cli.flux("get", read.kind.plural, *namespace_flags(namespace))
    done = await call.outcome(argv, Target(read.kind.kind, None, namespace, "list"), retry=False)
    stderr = done.result.stderr
    if done.error is not None and not ("no " in stderr and " objects found" in stderr):
        raise done.error
    rows = [] if done.error is not None else parse_flux_table(done.result.stdout)
    items = [table_item(row, namespace or "") for row in rows]
    return list_answer(read, items, Counter(views.item_state(item) for item in items))


async def table_one(call: Call, read: ReadKind, args: Any) -> Data:
    argv = call.cli.flux("get", read.kind.plural, args.name, "-n", args.namespace)
    result = await call.run(argv, Target(read.kind.kind, args.name, args.namespace, "get"))
    rows = parse_flux_table(result.stdout)
    if not rows:
        raise FluxError(f"flux printed no row for {read.kind.kind} '{args.name}'")
    item = table_item(rows[0], args.namespace)
    item["ready"] = item["ready"] == "True"
    return item


def read_step(read: ReadKind, *, single: bool) -> Step:
    """kubectl first; the flux table when kubectl is missing. A list reads each of the call's namespaces."""

    async def read_in(call: Call, args: Any, namespace: str | None, notes: list[str]) -> Data:
        try:
            return await (read_one(call, read, args) if single else read_list(call, read, namespace))
        except NotInstalled as missing:
            if "kubectl" not in missing.message:
                raise
            if REDUCED_NOTE not in notes:
                notes.append(REDUCED_NOTE)
            return await (table_one(call, read, args) if single else table_list(call, read, namespace))

    async def step(call: Call, args: Any) -> Data:
        notes = [WATCH_NOTE] if getattr(args, "watch", False) else []
        namespaces = (args.namespace,) if single else call.namespaces
        parts = await asyncio.gather(*(read_in(call, args, namespace, notes) for namespace in namespaces))
        data = parts[0] if len(parts) == 1 else merge_lists(read, parts)
        if notes:
            data["notes"] = notes
        return data

    return step


class KustomizationListArgs(ListArgs):
    namespace: Namespace | None = Field(None, description="Filter by namespace (optional)")
    all_namespaces: bool = Field(True, description="List from all namespaces")
    watch: SkipJsonSchema[bool] = Field(
        False, description="Accepted and ignored (a call lists once); not in the schema"
    )


class HelmReleaseListArgs(ListArgs):
    namespace: Namespace | None = Field(None, description="Filter by namespace (optional)")
    all_namespaces: bool = Field(True, description="List from all namespaces")


class KustomizationGetArgs(ReadArgs):
    naming: ClassVar[Naming] = Naming(kind_field=None, kind=KUSTOMIZATION)
    name: KubeName = Field(description="Kustomization name")
    namespace: Namespace | None = configured_namespace()


class HelmReleaseGetArgs(ReadArgs):
    naming: ClassVar[Naming] = Naming(kind_field=None, kind=HELMRELEASE)
    name: KubeName = Field(description="HelmRelease name")
    namespace: Namespace = Field(description="Kubernetes namespace")


def read_spec(name: str, description: str, read: ReadKind, args_model: type[ToolArgs], *, single: bool) -> ToolSpec:
    """A list (single=False) or get (single=True) tool for one kind."""
    return ToolSpec.read(
        name=name,
        description=description,
        args_model=args_model,
        operation=Operation.GET if single else Operation.LIST,
        step=read_step(read, single=single),
        list_key=None if single else read.list_key,
    )


KUSTOMIZATION_LIST = read_spec(
    "flux_kustomization_list",
    "List Kustomizations (all namespaces by default): ready, message, path, revision, source, suspended; "
    "counts by state.",
    KUSTOMIZATIONS,
    KustomizationListArgs,
    single=False,
)
KUSTOMIZATION_GET = read_spec(
    "flux_kustomization_get",
    "One Kustomization in detail: conditions, source, path, applied and attempted revisions, last reconcile, "
    "interval, dependsOn.",
    KUSTOMIZATIONS,
    KustomizationGetArgs,
    single=True,
)
HELMRELEASE_LIST = read_spec(
    "flux_helmrelease_list",
    "List HelmReleases (all namespaces by default): ready, message, chart and version, Helm revision, "
    "suspended; counts by state.",
    HELMRELEASES,
    HelmReleaseListArgs,
    single=False,
)
HELMRELEASE_GET = read_spec(
    "flux_helmrelease_get",
    "One HelmRelease in detail: conditions, chart, version, HelmChart, Helm revision and status, failure "
    "counts, source, dependsOn.",
    HELMRELEASES,
    HelmReleaseGetArgs,
    single=True,
)
