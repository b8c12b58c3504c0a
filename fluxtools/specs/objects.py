"""Lists spanning several Flux kinds: one `kubectl get <resources comma-joined> -o json`.

A `Listing` names the kinds to read and the summary of each object; its step
reads them in one call per namespace of the call (one for all namespaces, or
one per allowed namespace under namespace enforcement), skips kinds whose CRDs
are missing, and answers with totals, counts by state and by kind; the pipeline
filters and pages the list like the other lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fluxtools._errors import FluxNotInitialized
from fluxtools._flux import conditions, fields
from fluxtools._flux.kinds import FluxKind
from fluxtools._process.call import Call
from fluxtools._process.clients import Clients
from fluxtools._validation import Namespace
from fluxtools.specs.base import ListArgs, Operation, Step, ToolArgs, ToolSpec
from fluxtools.specs.partial import Reads, Unread, read_flux

Obj = dict[str, Any]


class ScopeArgs(ListArgs):
    namespace: Namespace | None = None
    all_namespaces: bool = True


@dataclass(frozen=True)
class Collected:
    objects: list[Obj]
    missing: tuple[FluxKind, ...] = ()
    unread: tuple[Unread, ...] = ()
    absent: tuple[FluxKind, ...] = ()
    """Optional kinds the cluster does not serve: skipped without a note."""

    def read(self, kind: FluxKind) -> bool:
        """Whether the objects of `kind` were read (served, installed and not refused)."""
        skipped = (*self.missing, *self.absent)
        return kind not in skipped and not any(item.kind == kind.kind for item in self.unread)


@dataclass(frozen=True)
class Listing:
    """A list over several kinds: which kinds, how each object is summarized, what the answer calls them."""

    key: str
    noun: str
    kinds: Callable[[Any], tuple[FluxKind, ...]]
    summary: Callable[[Obj], Obj]
    optional: str | None = None
    """Set for optional components: when none of the kinds is installed, the note to answer with."""


async def collect(call: Call, kinds: tuple[FluxKind, ...], noun: str) -> Collected:
    """The objects of `kinds` in the call's scope, ordered by kind (as given), namespace and name.

    What could not be read is in `unread`; only when nothing could be read is the call an error. Optional
    kinds the cluster does not serve are `absent`; when none of `kinds` is there, FluxNotInitialized.
    """
    flags = Clients.namespace_flags
    parts = await read_flux(call, kinds, [flags(ns) for ns in call.namespaces], noun)
    not_installed = [part for part in parts if isinstance(part, FluxNotInitialized)]
    if len(not_installed) == len(parts):
        raise not_installed[0]
    found = Reads()
    for namespace, part in zip(call.namespaces, parts, strict=True):
        if isinstance(part, FluxNotInitialized):
            found.missing = (*found.missing, *(kind for kind in kinds if kind not in found.missing))
        elif isinstance(part, BaseException):
            found.fail(part, noun, namespace)
        else:
            found.merge(part)
    found.raise_if_nothing_read()
    if found.absent and all(kind in found.absent for kind in kinds):
        listed = ", ".join(kind.resource for kind in kinds)
        raise FluxNotInitialized(f"none of {listed} is served by the API server")
    objects = found.objects
    order = {kind.kind: index for index, kind in enumerate(kinds)}
    objects.sort(key=lambda obj: (order.get(fields.kind_of(obj), len(order)), *fields.identity(obj).values()))
    return Collected(objects, found.missing, tuple(found.unread), found.absent)


def state_counts(objects: list[Obj]) -> dict[str, int]:
    return dict(sorted(Counter(conditions.state(obj) for obj in objects).items()))


def by_kind(objects: list[Obj]) -> dict[str, dict[str, int]]:
    """Per kind: total and counts by state (ready, failed, progressing, suspended)."""
    grouped: dict[str, list[Obj]] = {}
    for obj in objects:
        grouped.setdefault(fields.kind_of(obj), []).append(obj)
    return {kind: {"total": len(items), **state_counts(items)} for kind, items in grouped.items()}


def missing_note(missing: tuple[FluxKind, ...]) -> str:
    names = ", ".join(kind.kind for kind in missing)
    return f"Not installed in this cluster (no CRD), skipped: {names}."


def listing_step(view: Listing) -> Step:
    async def step(call: Call, args: Any) -> Obj:
        kinds = view.kinds(args)
        try:
            found = await collect(call, kinds, view.noun)
        except FluxNotInitialized:
            if view.optional is None:
                raise
            empty = {view.key: [], "total": 0, "counts": {}, "matched": 0}
            return {"installed": False, **empty, "notes": [view.optional]}
        data: Obj = {
            view.key: [view.summary(obj) for obj in found.objects],
            "total": len(found.objects),
            "counts": state_counts(found.objects),
            "by_kind": by_kind(found.objects),
        }
        if view.optional is not None:
            data = {"installed": True, **data}
        if found.missing:
            data["notes"] = [missing_note(found.missing)]
        if found.unread:
            data["unread"] = [item.to_dict() for item in found.unread]
        return data

    return step


def listing_spec(name: str, description: str, view: Listing, args_model: type[ToolArgs]) -> ToolSpec:
    return ToolSpec.read(
        name=name,
        description=description,
        args_model=args_model,
        operation=Operation.LIST,
        step=listing_step(view),
        list_key=view.key,
    )
