"""Watch a Flux object until its controller has handled a request, then judge it.

The flux CLI waits for kstatus `Current`, so a failing object keeps it waiting
until `--timeout`. Here the object itself is polled: as soon as the request is
handled (a predicate on the object), its Ready condition is the verdict.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fluxtools._flux import conditions
from fluxtools._flux.conditions import Readiness
from fluxtools._flux.fields import applied_revision

Obj = dict[str, Any]
REQUESTED_AT = "reconcile.fluxcd.io/requestedAt"

SUCCEEDED = "succeeded"
FAILED = "failed"
SUSPENDED = "suspended"
TIMED_OUT = "timed_out"


@dataclass
class Verdict:
    outcome: str
    obj: Obj
    polls: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        ready_cond = conditions.condition(self.obj, "Ready") or {}
        data: dict[str, Any] = {
            "verdict": self.outcome,
            "ready": conditions.readiness(self.obj).value,
            "message": ready_cond.get("message", conditions.NO_READY_MESSAGE),
        }
        if self.outcome == SUCCEEDED:
            data["revision"] = applied_revision(self.obj)
        elif self.outcome in (FAILED, TIMED_OUT):
            data["reason"] = ready_cond.get("reason")
            data["last_attempted_revision"] = (self.obj.get("status") or {}).get("lastAttemptedRevision")
        data.update(self.extra)
        return data


def reconcile_handled(before: Obj) -> Callable[[Obj], bool]:
    """Handled once a new requestedAt annotation is echoed in lastHandledReconcileAt."""
    previous = ((before.get("metadata") or {}).get("annotations") or {}).get(REQUESTED_AT)

    def handled(obj: Obj) -> bool:
        requested = ((obj.get("metadata") or {}).get("annotations") or {}).get(REQUESTED_AT)
        handled_at = (obj.get("status") or {}).get("lastHandledReconcileAt")
        return bool(requested) and requested != previous and handled_at == requested

    return handled


def generation_handled(obj: Obj) -> bool:
    """Handled once the Ready condition speaks of the current generation."""
    ready_cond = conditions.condition(obj, "Ready")
    generation = (obj.get("metadata") or {}).get("generation")
    return bool(ready_cond) and ready_cond.get("observedGeneration") == generation


def judge(obj: Obj) -> str | None:
    """succeeded / failed once settled; None while the controller is still working."""
    ready = conditions.readiness(obj)
    if ready is Readiness.TRUE:
        return SUCCEEDED
    if ready is Readiness.FALSE:
        return FAILED
    return FAILED if conditions.is_stalled(obj) else None


async def watch(
    fetch: Callable[[], Awaitable[Obj]],
    handled: Callable[[Obj], bool],
    *,
    sleep: Callable[[float], Awaitable[None]],
    clock: Callable[[], float],
    deadline: float,
    interval: float,
    stop_early: Callable[[], Awaitable[Verdict | None]] | None = None,
) -> Verdict:
    """Every `interval`, poll until handled and settled, `stop_early` decides, or the deadline passes."""
    polls = 0
    obj: Obj = {}
    while True:
        await sleep(interval)
        if stop_early is not None:
            early = await stop_early()
            if early is not None:
                early.polls = polls
                return early
        obj = await fetch()
        polls += 1
        if handled(obj):
            outcome = judge(obj)
            if outcome is not None:
                return Verdict(outcome, obj, polls)
        if clock() + interval > deadline:
            return Verdict(TIMED_OUT, obj, polls)
