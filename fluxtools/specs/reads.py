"""Read tools (list/get) for Kustomizations and HelmReleases.

Reads are structured: `kubectl get <plural>.<group> -o json`. Without kubectl
they fall back to the `flux get` table, with fewer fields and a note saying so.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from .. import budget
from .._flux import conditions, views
from ..classify import Target, classify
from ..context import ToolContext, json_object
from ..errors import FluxError, FluxNotInitialized, NotInstalled
from ..fleet.args import FleetArgs
from ..flux_table import parse_flux_table, table_item
from ..kinds import HELMRELEASE, KUSTOMIZATION, FluxKind
from ..liststream import ItemStream
from ..runners import CommandResult
from ..validation import KubeName, Namespace
from .base import DEFAULT_NS_SCHEMA, ListArgs, Operation, ReadArgs, ToolArgs, ToolSpec

REDUCED_NOTE = (
    "kubectl is not available: fields come from the `flux get` table and are reduced "
    "(no path, source, chart or conditions; long revisions are shortened to 8 characters)."
)
WATCH_NOTE = "watch was ignored: a tool call must return, so the current state is listed once."


@dataclass(frozen=True)
class ReadKind:
    kind: FluxKind
    list_key: str
    summary: Callable[[dict[str, Any]], dict[str, Any]]
    detail: Callable[[dict[str, Any]], dict[str, Any]]


KUSTOMIZATIONS = ReadKind(KUSTOMIZATION, "kustomizations", views.kustomization_summary, views.kustomization_detail)
HELMRELEASES = ReadKind(HELMRELEASE, "helmreleases", views.helmrelease_summary, views.helmrelease_detail)


def list_scope(args: Any, ctx: ToolContext) -> list[str]:
    """`-n` or `-A`, always explicit: a namespace wins, then all_namespaces, then the configured one."""
    if getattr(args, "namespace", None):
        return ["-n", args.namespace]
    if getattr(args, "all_namespaces", True):
        return ["-A"]
    return ["-n", ctx.config.namespace]


def get_namespace(args: Any, ctx: ToolContext) -> str:
    return args.namespace or ctx.config.namespace


def list_target(read: ReadKind) -> Callable[[Any, ToolContext], Target]:
    def target(args: Any, ctx: ToolContext) -> Target:
        scope = list_scope(args, ctx)
        return Target(read.kind.kind, None, scope[1] if scope[0] == "-n" else None, "list")

    return target


def get_target(read: ReadKind) -> Callable[[Any, ToolContext], Target]:
    def target(args: Any, ctx: ToolContext) -> Target:
        return Target(read.kind.kind, args.name, get_namespace(args, ctx), "get")

    return target


def list_argv(read: ReadKind) -> Callable[[ToolContext, Any], list[str]]:
    """`kubectl get --raw` of the LIST path: the server's JSON, streamed, without kubectl re-encoding it."""

    def build(ctx: ToolContext, args: Any) -> list[str]:
        scope = list_scope(args, ctx)
        return ctx.kubectl("get", "--raw", read.kind.api_path(scope[1] if scope[0] == "-n" else None))

    return build


def typed_list_argv(read: ReadKind, ctx: ToolContext, args: Any) -> list[str]:
    """`kubectl get <plural>.<group> -o json`: the server-preferred version, for Flux versions the path misses."""
    return ctx.kubectl("get", read.kind.resource, *list_scope(args, ctx), "-o", "json")


class Summaries(ItemStream):
    """Summarizes list items as they stream in; keeps only the summaries and the counts."""

    def __init__(self, summarize: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.summarize = summarize
        super().__init__(self._add)

    def reset(self) -> None:
        super().reset()
        self.items: list[dict[str, Any]] = []
        self.counts: Counter[str] = Counter()

    def _add(self, obj: dict[str, Any]) -> None:
        self.items.append(self.summarize(obj))
        self.counts[conditions.state(obj)] += 1


async def stream_list(ctx: ToolContext, read: ReadKind, args: Any, target: Target) -> dict[str, Any]:
    """The fast path; a server that does not serve the expected version gets the typed read instead."""
    summaries = Summaries(read.summary)
    try:
        await ctx.run(list_argv(read)(ctx, args), target, sink=summaries)
    except FluxNotInitialized:
        result = await ctx.run(typed_list_argv(read, ctx, args), target)
        return list_parser(read)(result, args, ctx)
    summaries.close()
    return {
        read.list_key: summaries.items,
        "total": len(summaries.items),
        "counts": dict(sorted(summaries.counts.items())),
    }


def get_argv(read: ReadKind) -> Callable[[ToolContext, Any], list[str]]:
    def build(ctx: ToolContext, args: Any) -> list[str]:
        return ctx.kubectl("get", read.kind.resource, args.name, "-n", get_namespace(args, ctx), "-o", "json")

    return build


def list_answer(read: ReadKind, items: list[dict[str, Any]], counts: Counter[str]) -> dict[str, Any]:
    """A list tool's answer: the items, their exact total and counts by state."""
    return {read.list_key: items, "total": len(items), "counts": dict(sorted(counts.items()))}


def summarize_items(read: ReadKind, objects: list[dict[str, Any]]) -> dict[str, Any]:
    return list_answer(read, [read.summary(obj) for obj in objects], Counter(conditions.state(obj) for obj in objects))


def list_parser(read: ReadKind) -> Callable[[CommandResult, Any, ToolContext], dict[str, Any]]:
    def parse(result: CommandResult, args: Any, ctx: ToolContext) -> dict[str, Any]:
        document = json_object(result.stdout, "kubectl")
        return summarize_items(read, document.get("items") or [])

    return parse


def get_parser(read: ReadKind) -> Callable[[CommandResult, Any, ToolContext], dict[str, Any]]:
    def parse(result: CommandResult, args: Any, ctx: ToolContext) -> dict[str, Any]:
        return read.detail(json_object(result.stdout, "kubectl"))

    return parse


def read_workflow(read: ReadKind, *, single: bool) -> Callable[[ToolContext, Any], Any]:
    """kubectl first; the flux table when kubectl is missing."""
    build = get_argv(read) if single else list_argv(read)
    parse = get_parser(read) if single else list_parser(read)
    targeter = get_target(read) if single else list_target(read)

    async def read_one(ctx: ToolContext, args: Any, notes: list[str]) -> dict[str, Any]:
        target = targeter(args, ctx)
        try:
            if not single:
                return await stream_list(ctx, read, args, target)
            return parse(await ctx.run(build(ctx, args), target), args, ctx)
        except NotInstalled as missing:
            if "kubectl" not in missing.message:
                raise
            if REDUCED_NOTE not in notes:
                notes.append(REDUCED_NOTE)
            return await _from_flux_table(ctx, read, args, target, single)

    async def workflow(ctx: ToolContext, args: Any) -> dict[str, Any]:
        notes = [WATCH_NOTE] if getattr(args, "watch", False) else []
        if not single and ctx.scope and not args.namespace:
            parts = await asyncio.gather(
                *(read_one(ctx, args.model_copy(update={"namespace": ns}), notes) for ns in ctx.scope)
            )
            data = merge_lists(read, parts)
        else:
            data = await read_one(ctx, args, notes)
        if not single:
            data = budget.page(data, read.list_key, args)
        if notes:
            data["notes"] = notes
        return data

    return workflow


def merge_lists(read: ReadKind, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One list answer from per-namespace answers."""
    counts: Counter[str] = Counter()
    for part in parts:
        counts.update(part["counts"])
    return list_answer(read, [item for part in parts for item in part[read.list_key]], counts)


async def _from_flux_table(ctx: ToolContext, read: ReadKind, args: Any, target: Target, single: bool) -> dict[str, Any]:
    if single:
        namespace = get_namespace(args, ctx)
        result = await ctx.run(ctx.flux("get", read.kind.plural, args.name, "-n", namespace), target)
        rows = parse_flux_table(result.stdout)
        if not rows:
            raise FluxError(f"flux printed no row for {read.kind.kind} '{args.name}'")
        item = table_item(rows[0], namespace)
        item["ready"] = item["ready"] == "True"
        return item
    scope = list_scope(args, ctx)
    result = await ctx.run_once(ctx.flux("get", read.kind.plural, *scope))
    if result.exit_code != 0 and "no " in result.stderr and " objects found" in result.stderr:
        rows = []
    elif result.exit_code != 0:
        raise classify(result, target, ctx.config.kubeconfig_display())
    else:
        rows = parse_flux_table(result.stdout)
    default_ns = scope[1] if scope[0] == "-n" else ""
    items = [table_item(row, default_ns) for row in rows]
    return list_answer(read, items, Counter(views.item_state(item) for item in items))


class KustomizationListArgs(FleetArgs, ListArgs):
    namespace: Namespace | None = Field(None, description="Filter by namespace (optional)")
    all_namespaces: bool = Field(True, description="List from all namespaces")
    watch: bool = Field(False, description="Watch for changes (not recommended for agent use; ignored, lists once)")


class HelmReleaseListArgs(FleetArgs, ListArgs):
    namespace: Namespace | None = Field(None, description="Filter by namespace (optional)")
    all_namespaces: bool = Field(True, description="List from all namespaces")


class KustomizationGetArgs(ReadArgs):
    name: KubeName = Field(description="Kustomization name")
    namespace: Namespace | None = Field(None, description="Kubernetes namespace", json_schema_extra=DEFAULT_NS_SCHEMA)


class HelmReleaseGetArgs(ReadArgs):
    name: KubeName = Field(description="HelmRelease name")
    namespace: Namespace = Field(description="Kubernetes namespace")


def read_spec(name: str, description: str, read: ReadKind, args_model: type[ToolArgs], *, single: bool) -> ToolSpec:
    """A list (single=False) or get (single=True) tool for one kind."""
    return ToolSpec.read(
        name=name,
        description=description,
        args_model=args_model,
        operation=Operation.GET if single else Operation.LIST,
        target=(get_target if single else list_target)(read),
        build_argv=(get_argv if single else list_argv)(read),
        parse=(get_parser if single else list_parser)(read),
        workflow=read_workflow(read, single=single),
    )


KUSTOMIZATION_LIST = read_spec(
    "flux_kustomization_list",
    "List Flux Kustomizations (all namespaces by default) with ready status, message, path, applied revision, "
    "source and suspension, plus totals and counts by state.",
    KUSTOMIZATIONS,
    KustomizationListArgs,
    single=False,
)
KUSTOMIZATION_GET = read_spec(
    "flux_kustomization_get",
    "Get one Flux Kustomization in detail: readiness, conditions, source, path, applied and attempted "
    "revisions, last reconcile time, interval and dependsOn.",
    KUSTOMIZATIONS,
    KustomizationGetArgs,
    single=True,
)
HELMRELEASE_LIST = read_spec(
    "flux_helmrelease_list",
    "List Flux HelmReleases (all namespaces by default) with ready status, message, chart, chart version, "
    "Helm revision and suspension, plus totals and counts by state.",
    HELMRELEASES,
    HelmReleaseListArgs,
    single=False,
)
HELMRELEASE_GET = read_spec(
    "flux_helmrelease_get",
    "Get one Flux HelmRelease in detail: readiness, conditions, chart and version, HelmChart, Helm release "
    "revision and status, failure counts, source, interval and dependsOn.",
    HELMRELEASES,
    HelmReleaseGetArgs,
    single=True,
)
