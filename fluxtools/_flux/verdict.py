"""Judge a Flux object once its controller has handled a request; poll it until then.

The flux CLI waits for kstatus `Current`, so a failing object keeps it waiting
until `--timeout`. Here the object itself is read: as soon as the request is
handled (a predicate on the object), its Ready condition is the verdict. When
no controller picks a request up at all (its status never changes after the
request was written), the verdict says so instead of waiting out the deadline.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fluxtools._flux import conditions
from fluxtools._flux.conditions import Readiness
from fluxtools._flux.fields import applied_revision, image_revision

if TYPE_CHECKING:
    from fluxtools._flux.leases import Renewals

Obj = dict[str, Any]
REQUESTED_AT = "reconcile.fluxcd.io/requestedAt"

SUCCEEDED = "succeeded"
FAILED = "failed"
SUSPENDED = "suspended"
TIMED_OUT = "timed_out"
NOT_HANDLED = "not_handled"
PICKUP_SECS = 20.0
"""How long a written request may go without any status change before no controller is said to handle it."""
LEASE_GAP_SECS = 10.0
"""How long before that the controller's leader Lease is read first (two renewals at Flux's 5 s period)."""


@dataclass
class Verdict:
    outcome: str
    obj: Obj
    polls: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    handled: bool = True
    """False when the verdict came before the controller handled the request (the CLI failed on a source
    first, or no controller picked it up): the object's Ready fields are then from before and not shown."""

    def fields(self) -> dict[str, Any]:
        if not self.handled:
            return {"verdict": self.outcome, "handled": False, **self.extra}
        ready_cond = conditions.condition(self.obj, "Ready") or {}
        data: dict[str, Any] = {
            "verdict": self.outcome,
            "ready": conditions.readiness(self.obj).value,
            "message": ready_cond.get("message", conditions.NO_READY_MESSAGE),
        }
        if self.outcome == SUCCEEDED:
            data["revision"] = applied_revision(self.obj) or image_revision(self.obj)
        elif self.outcome in (FAILED, TIMED_OUT):
            data["reason"] = ready_cond.get("reason")
            data["last_attempted_revision"] = (self.obj.get("status") or {}).get("lastAttemptedRevision")
        data.update(self.extra)
        return data


def requested_at(obj: Obj) -> str | None:
    return ((obj.get("metadata") or {}).get("annotations") or {}).get(REQUESTED_AT)


def later(stamp: str, than: str) -> bool:
    """Whether one requestedAt timestamp (RFC 3339, as flux writes them) is later than another; text that is
    no timestamp compares as text."""
    parsed = [_instant(text) for text in (stamp, than)]
    if parsed[0] is None or parsed[1] is None:
        return stamp > than
    return parsed[0] > parsed[1]


def _instant(text: str) -> datetime | None:
    found = re.fullmatch(r"(.+?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text.strip())
    if not found:
        return None
    whole, fraction, zone = found.groups()
    try:
        moment = datetime.fromisoformat(whole + ("+00:00" if zone == "Z" else zone))
    except ValueError:
        return None
    return moment + timedelta(microseconds=int((fraction or "0")[:6].ljust(6, "0")))


def reconcile_handled(before: Obj) -> Callable[[Obj], bool]:
    """Handled once a new requestedAt annotation is echoed in lastHandledReconcileAt."""
    previous = requested_at(before)

    def handled(obj: Obj) -> bool:
        requested = requested_at(obj)
        handled_at = (obj.get("status") or {}).get("lastHandledReconcileAt")
        return bool(requested) and requested != previous and handled_at == requested

    return handled


class Pickup:
    """Whether a controller picked up a reconcile request: the object's status changed since before it.

    Every Flux controller writes status when it starts on a request (Reconciling, progress messages) and
    when it ends (lastHandledReconcileAt). A request seen `window` seconds with the status unchanged, on an
    object no reconciliation was running on, was picked up by no controller, unless the controller's leader
    Lease (`leases`, read `LEASE_GAP_SECS` before the window ends and again at its end) was renewed meanwhile:
    then the controller runs and is only busy, and the request is waited on until the deadline.
    """

    def __init__(
        self,
        before: Obj,
        clock: Callable[[], float],
        window: float | None = None,
        leases: Callable[[], Awaitable[Renewals | None]] | None = None,
    ) -> None:
        self.previous = requested_at(before)
        self.status = before.get("status") or {}
        self.clock, self.window = clock, PICKUP_SECS if window is None else window
        self.leases = leases
        self.since: float | None = None
        self.picked = conditions.is_reconciling(before)  # a running reconciliation takes the request next
        self.first_renewals: Renewals | None = None
        self.lease_read = leases is None
        """Whether the first Lease read is done (or there is none to do)."""
        self.busy = False
        """The controller runs (its Lease was renewed) but has not taken the request yet."""

    def see(self, obj: Obj) -> None:
        if self.picked:
            return
        if (obj.get("status") or {}) != self.status:
            self.picked = True
            return
        requested = requested_at(obj)
        if self.since is None and requested and requested != self.previous:
            self.since = self.clock()

    def waiting(self) -> float | None:
        """Seconds left before the next look (the first Lease read, then the window's end); None once picked
        up, known busy, or not yet written."""
        if self.picked or self.busy or self.since is None:
            return None
        end = self.since + self.window
        if not self.lease_read:
            end -= min(LEASE_GAP_SECS, self.window / 2)
        return max(0.0, end - self.clock())

    def overdue(self) -> bool:
        return self.waiting() == 0.0

    async def decide(self, obj: Obj, controller: str) -> Verdict | None:
        """Once overdue: the first Lease read (None), or at the window's end the verdict that no controller
        handled the request; None when the request was picked up meanwhile or the controller is busy."""
        if not self.lease_read:
            self.lease_read = True
            self.first_renewals = await self.leases() if self.leases is not None else None
            return None
        renewed = None
        if self.first_renewals and self.leases is not None:
            later = await self.leases()
            renewed = None if later is None else later != self.first_renewals
        if self.picked:
            return None
        if renewed:
            self.busy = True
            return None
        return self.verdict(obj, controller, lease_seen=renewed is not None)

    def verdict(self, obj: Obj, controller: str, lease_seen: bool = False) -> Verdict:
        message = (
            f"no controller handled the request: the object's status did not change within {self.window:g}s of "
            "the request"
        )
        if lease_seen:
            message += f", and {controller}'s leader Lease was not renewed meanwhile"
            hint = f"{controller} is stopped or hung: check it with flux_check and flux_logs kind={controller}."
        else:
            hint = (
                f"Is {controller} running? Check it with flux_check and flux_logs kind={controller}; "
                "a controller that is only busy handles the request later."
            )
        return Verdict(NOT_HANDLED, obj, handled=False, extra={"message": message, "hint": hint})

    def timed_out_hint(self, controller: str) -> str:
        """What a timed_out verdict advises: a busy controller has not started; otherwise it has not finished."""
        if self.busy:
            return (
                f"{controller} runs (its leader Lease is renewed) but has not taken the request yet: its workers "
                "are busy with other objects. Check again later with the get tool, or raise timeout_secs."
            )
        return "The controller has not finished; check again with the get tool or raise timeout_secs."


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


async def poll_until_handled(
    fetch: Callable[[], Awaitable[Obj]],
    handled: Callable[[Obj], bool],
    *,
    sleep: Callable[[float], Awaitable[None]],
    clock: Callable[[], float],
    deadline: float,
    interval: float,
    stop_early: Callable[[], Awaitable[Verdict | None]] | None = None,
    pickup: Pickup | None = None,
    controller: str = "the controller",
) -> Verdict:
    """Every `interval`, read the object until handled and settled, `stop_early` decides, no controller
    picked the request up (`pickup`), or the deadline passes."""
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
        if pickup is not None:
            pickup.see(obj)
            unhandled = await pickup.decide(obj, controller) if pickup.overdue() else None
            if unhandled is not None:
                unhandled.polls = polls
                return unhandled
        if clock() + interval > deadline:
            return Verdict(TIMED_OUT, obj, polls)
