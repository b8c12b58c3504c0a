"""Condition logic of Flux objects: Ready, Stalled and Reconciling conditions, suspension and the
one-word state that reconcile verdicts, counts and the diagnosis are built on.

Readiness has one type inside the code, `Readiness`: the status of the Ready condition (True, False
or Unknown; False when the condition is absent). The tool spec shows it in two shapes, and only the
output edge converts: list items and reconcile verdicts carry the string ("True"/"False"/"Unknown"),
get details a boolean `ready` with the string as `ready_status` (see `views`). Likewise the Ready
condition's message is `ready_message` here; the spec names that output field `status`.
"""

from __future__ import annotations

from enum import Enum

from fluxtools._flux.fields import Obj, kind_of, meta_of, spec_of, status_of
from fluxtools._flux.kinds import STATUSLESS, api_group

NO_READY_MESSAGE = "waiting to be reconciled"
STATUSLESS_MESSAGE = "static object: its controller writes no status"
DISABLED = "disabled"


class Readiness(Enum):
    """The status of an object's Ready condition, as Kubernetes spells it."""

    TRUE = "True"
    FALSE = "False"
    UNKNOWN = "Unknown"

    @classmethod
    def parse(cls, text: str) -> Readiness:
        """From the text flux prints in its READY column; anything but True or Unknown counts as False."""
        return next((member for member in cls if member.value == text), cls.FALSE)


def condition(obj: Obj, type_: str) -> Obj | None:
    for cond in status_of(obj).get("conditions") or []:
        if cond.get("type") == type_:
            return cond
    return None


def readiness(obj: Obj) -> Readiness:
    """The Ready condition's status; False when the object has no Ready condition yet, True for a kind that
    never has one (a notification Alert or Provider)."""
    cond = condition(obj, "Ready")
    if cond:
        return Readiness.parse(str(cond.get("status")))
    return Readiness.TRUE if kind_of(obj) in STATUSLESS else Readiness.FALSE


def ready_message(obj: Obj) -> str:
    cond = condition(obj, "Ready")
    if cond:
        return cond.get("message", "")
    return STATUSLESS_MESSAGE if kind_of(obj) in STATUSLESS else NO_READY_MESSAGE


def is_suspended(obj: Obj) -> bool:
    """spec.suspend, or the `<group>/reconcile: disabled` annotation of source-watcher and the operator."""
    if spec_of(obj).get("suspend", False):
        return True
    annotation = (meta_of(obj).get("annotations") or {}).get(f"{api_group(str(obj.get('apiVersion', '')))}/reconcile")
    return isinstance(annotation, str) and annotation.lower() == DISABLED


def is_stalled(obj: Obj) -> bool:
    cond = condition(obj, "Stalled")
    return bool(cond and cond.get("status") == "True")


def is_reconciling(obj: Obj) -> bool:
    cond = condition(obj, "Reconciling")
    return bool(cond and cond.get("status") == "True")


def state(obj: Obj) -> str:
    """One word for counting: ready, suspended, failed or progressing."""
    return state_of(readiness(obj), is_suspended(obj))


def state_of(ready: Readiness, suspended: bool) -> str:
    if suspended:
        return "suspended"
    return {Readiness.TRUE: "ready", Readiness.UNKNOWN: "progressing"}.get(ready, "failed")
