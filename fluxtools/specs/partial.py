"""Reads that may partly fail: what could be read, and what could not (`unread`).

A multi-read (the diagnosis, every-kind lists, stats, events) answers with what
it read and names each read it could not make, with the error's type and message.
Only when nothing at all could be read does the call fail, with the typed error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fluxtools._errors import FluxError, FluxNotInitialized, PermissionDenied
from fluxtools._flux.kinds import OPTIONAL_KINDS, FluxKind, resources
from fluxtools._process.call import Call
from fluxtools._process.classify import Target

Obj = dict[str, Any]
T = TypeVar("T")
ALL_NAMESPACES = "*"
MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class Unread:
    """One read that failed: of which kind, in which namespace (`*`: all), and why."""

    kind: str
    namespace: str | None
    error_type: str
    message: str

    @classmethod
    def of(cls, error: BaseException, kind: str, namespace: str | None) -> Unread:
        if isinstance(error, FluxError):
            return cls(kind, namespace, error.error_type, error.message)
        text = f"{type(error).__name__}: {error}"
        return cls(kind, namespace, "InternalError", text[:MESSAGE_LIMIT])

    def to_dict(self) -> Obj:
        return {
            "kind": self.kind,
            "namespace": self.namespace or ALL_NAMESPACES,
            "error_type": self.error_type,
            "message": self.message,
        }


@dataclass
class Reads:
    """Objects read, kinds not installed, reads that failed (with their errors, first to last)."""

    objects: list[Obj] = field(default_factory=list)
    missing: tuple[FluxKind, ...] = ()
    absent: tuple[FluxKind, ...] = ()
    """Optional kinds the cluster does not serve: skipped without a note."""
    unread: list[Unread] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    succeeded: int = 0

    def merge(self, other: Reads) -> None:
        self.objects += other.objects
        self.missing = (*self.missing, *(kind for kind in other.missing if kind not in self.missing))
        self.absent = (*self.absent, *(kind for kind in other.absent if kind not in self.absent))
        self.unread += other.unread
        self.errors += other.errors
        self.succeeded += other.succeeded

    def fail(self, error: BaseException, kind: str, namespace: str | None) -> None:
        self.unread.append(Unread.of(error, kind, namespace))
        self.errors.append(error)

    def raise_if_nothing_read(self) -> None:
        """Nothing read at all and a typed error to tell: that error is the answer."""
        if not self.succeeded and self.errors and isinstance(self.errors[0], FluxError):
            raise self.errors[0]

    def unread_dicts(self) -> list[Obj]:
        return [item.to_dict() for item in self.unread]


async def settle(calls: Sequence[Awaitable[T]]) -> list[T | BaseException]:
    """Every call's result or the exception it raised (cancellation still propagates)."""

    async def one(call: Awaitable[T]) -> T | BaseException:
        try:
            return await call
        except Exception as error:  # noqa: BLE001 - an unexpected failure of one read is reported, not fatal
            return error

    return list(await asyncio.gather(*(one(call) for call in calls)))


def scope_namespace(scope: Sequence[str]) -> str | None:
    return scope[1] if len(scope) > 1 and scope[0] == "-n" else None


DISCOVERY = "/apis"
SERVED_SECONDS = 60.0
"""How long a cluster's pipeline trusts what it learned the server serves: an optional component installed
meanwhile is read from the next call after."""


def _served_by(versions: set[tuple[str, str]], kinds: tuple[FluxKind, ...]) -> tuple[FluxKind, ...]:
    return tuple(kind for kind in kinds if (kind.group, kind.version) in versions)


def remembered(call: Call) -> set[tuple[str, str]] | None:
    """The (group, version) pairs the server serves, as this cluster's pipeline learned them lately; or None."""
    known = call.known.get(DISCOVERY)
    if known is not None and call.runner.monotonic() - known[0] < SERVED_SECONDS:
        return known[1]
    return None


async def served_optional(call: Call, kinds: tuple[FluxKind, ...]) -> tuple[FluxKind, ...]:
    """Those of the optional `kinds` whose API version the server serves (`kubectl get --raw /apis`).

    When the server's groups cannot be read, none: optional components are read only where they are known
    to be served, and reads of the kinds every installation has go on as before.
    """
    started = call.runner.monotonic()
    try:
        answer = await call.kubectl_json(["get", "--raw", DISCOVERY], Target("API group", None, None, "list"))
    except Exception:  # noqa: BLE001 - an optional component that cannot be looked up is skipped like an absent one
        return ()
    versions = {
        (group.get("name"), version.get("version"))
        for group in answer.get("groups") or []
        if isinstance(group, dict)
        for version in group.get("versions") or []
        if isinstance(version, dict)
    }
    call.known[DISCOVERY] = (started, versions)
    return _served_by(versions, kinds)


async def read_optional(call: Call, kinds: tuple[FluxKind, ...], scope: Sequence[str], noun: str) -> Reads:
    """The objects of optional kinds in one scope; kinds whose CRD is missing are `absent`, without a note."""
    try:
        reads = await read_kinds(call, kinds, scope, noun) if kinds else Reads(succeeded=1)
    except FluxNotInitialized:
        return Reads(absent=kinds, succeeded=1)
    reads.absent, reads.missing = reads.missing, ()
    return reads


async def read_flux(
    call: Call, kinds: tuple[FluxKind, ...], scopes: Sequence[Sequence[str]], noun: str
) -> list[Reads | BaseException]:
    """Per scope, the objects of `kinds`: those every installation has in one read (as without optional
    kinds), the optional ones the server serves in one more; optional kinds it does not serve are `absent`."""
    core = tuple(kind for kind in kinds if kind not in OPTIONAL_KINDS)
    optional = tuple(kind for kind in kinds if kind in OPTIONAL_KINDS)
    if not core:  # a list of optional kinds alone says which of them are missing
        return await settle([read_kinds(call, optional, scope, noun) for scope in scopes])
    versions = remembered(call) if optional else None
    if versions is not None:  # what the server serves is known: both reads at once
        found = _served_by(versions, optional)
        core_parts, extra_parts = await asyncio.gather(
            settle([read_kinds(call, core, scope, noun) for scope in scopes]),
            settle([read_optional(call, found, scope, noun) for scope in scopes] if found else []),
        )
    else:
        found, core_parts = await asyncio.gather(
            served_optional(call, optional) if optional else _nothing(),
            settle([read_kinds(call, core, scope, noun) for scope in scopes]),
        )
        extra_parts = await settle([read_optional(call, found, scope, noun) for scope in scopes]) if found else []
    absent = tuple(kind for kind in optional if kind not in found)
    results: list[Reads | BaseException] = []
    for index, part in enumerate(core_parts):
        if isinstance(part, Reads):
            part.absent = (*part.absent, *absent)
            extra = extra_parts[index] if extra_parts else None
            if isinstance(extra, Reads):
                part.merge(extra)
            elif isinstance(extra, BaseException):
                part.fail(extra, noun, scope_namespace(scopes[index]))
        results.append(part)
    return results


async def _nothing() -> tuple[FluxKind, ...]:
    return ()


async def _get(call: Call, kinds: tuple[FluxKind, ...], scope: Sequence[str], target: Target) -> list[Obj]:
    items = await call.kubectl_items(["get", resources(kinds), *scope, "-o", "json"], target)
    return [item for item in items if isinstance(item, dict)]


async def read_kinds(call: Call, kinds: tuple[FluxKind, ...], scope: Sequence[str], noun: str) -> Reads:
    """The objects of `kinds` in one scope: one call; kind by kind when that one is refused.

    A kind whose CRD is missing is skipped (`missing`); one that is forbidden or fails is `unread`.
    """
    namespace = scope_namespace(scope)
    target = Target(noun, None, namespace, "list")
    reads = Reads()
    try:
        reads.objects = await _get(call, kinds, scope, target)
        reads.succeeded = 1
        return reads
    except FluxNotInitialized:
        if len(kinds) == 1:
            raise
    except PermissionDenied as error:
        if len(kinds) == 1:
            reads.fail(error, kinds[0].kind, namespace)
            return reads
    except Exception as error:  # noqa: BLE001 - reported as unread
        reads.fail(error, kinds[0].kind if len(kinds) == 1 else noun, namespace)
        return reads
    # kubectl refuses the whole call when one kind is refused: ask kind by kind.
    parts = await settle([_get(call, (kind,), scope, Target(kind.kind, None, namespace, "list")) for kind in kinds])
    missing = []
    for kind, part in zip(kinds, parts, strict=True):
        if isinstance(part, FluxNotInitialized):
            missing.append(kind)
        elif isinstance(part, BaseException):
            reads.fail(part, kind.kind, namespace)
        else:
            reads.objects += part
            reads.succeeded += 1
    reads.missing = tuple(missing)
    if len(missing) == len(kinds):
        listed = ", ".join(kind.resource for kind in kinds)  # spaced, so a report can wrap between them
        raise FluxNotInitialized(f"none of {listed} is served by the API server")
    return reads
