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
from fluxtools._flux.kinds import FluxKind, resources
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
    unread: list[Unread] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    succeeded: int = 0

    def merge(self, other: Reads) -> None:
        self.objects += other.objects
        self.missing = (*self.missing, *(kind for kind in other.missing if kind not in self.missing))
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
