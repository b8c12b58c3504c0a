"""Which clusters a fleet call reads: its `contexts`, or every kubeconfig context on the allow-list.

The allow-list is the configuration's `fleet_contexts`: a fleet call reads no
context outside it, so tools configured for one cluster never let a model reach
another kubeconfig context. Without an allow-list there are no fleet calls.
The demo cluster has only the contexts it recorded (any other is NotRecorded),
and they are its allow-list unless one is configured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fluxtools._config import FluxConfig
from fluxtools._errors import InvalidInput, PolicyDenied
from fluxtools._process.call import Call
from fluxtools._process.classify import Target
from fluxtools._process.runners import Runner
from fluxtools._process.sync import ProcessLimit
from fluxtools._validation import CONTEXT_PATTERN

if TYPE_CHECKING:
    from fluxtools.demo.contexts import DemoContexts

HOW_TO_ALLOW = (
    "Configure the allow-list fleet_contexts (YAML: `fleet_contexts: [ctx-a, ctx-b]`; "
    "command line: --fleet-contexts ctx-a --fleet-contexts ctx-b)."
)
LIST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Selection:
    """The contexts to read, in order; for all_contexts, what the allow-list left out."""

    contexts: list[str]
    not_allowed: int = 0
    """kubeconfig contexts not on the allow-list (counted, not named)."""
    not_in_kubeconfig: list[str] = field(default_factory=list)
    """Allow-listed contexts the kubeconfig does not have."""

    def notes(self) -> list[str]:
        notes = []
        if self.not_allowed:
            notes.append(f"{self.not_allowed} kubeconfig context(s) not on the allow-list fleet_contexts were not read")
        if self.not_in_kubeconfig:
            notes.append("on the allow-list but not in the kubeconfig: " + ", ".join(self.not_in_kubeconfig))
        return notes


async def kubeconfig_contexts(config: FluxConfig, runner: Runner) -> list[str]:
    """`kubectl config get-contexts -o name` for the configured kubeconfig, through the run stage."""
    call = Call(config, runner, ProcessLimit(1), timeout=config.timeout_for(LIST_TIMEOUT), idempotent=True)
    target = Target("kubeconfig context", None, None, "list")
    result = await call.run(call.cli.kubectl("config", "get-contexts", "-o", "name"), target)
    names = [line.strip() for line in result.stdout.splitlines()]
    return [name for name in names if CONTEXT_PATTERN.fullmatch(name)]


def demo_contexts(config: FluxConfig, runner: Runner) -> DemoContexts | None:
    """The contexts the demo cluster recorded; None for any other cluster."""
    if config.cluster != "demo":
        return None
    from fluxtools.demo.runner import DemoRunner

    return runner.recording.contexts if isinstance(runner, DemoRunner) else None


async def select(config: FluxConfig, runner: Runner, args: Any) -> Selection:
    demo = demo_contexts(config, runner)
    allowed = config.fleet_contexts or (demo.names if demo is not None else [])
    if args.contexts and args.all_contexts:
        raise InvalidInput("Give contexts or all_contexts, not both", field="contexts")
    if not allowed:
        field = "contexts" if args.contexts else "all_contexts"
        raise PolicyDenied(
            "Fleet calls read only the kubeconfig contexts on an allow-list, and none is configured",
            hint=f"{HOW_TO_ALLOW} Without contexts or all_contexts, the call reads the configured context.",
            field=field,
        )
    if args.contexts:
        named = list(dict.fromkeys(args.contexts))
        if demo is not None and (unrecorded := [name for name in named if name not in demo.clusters]):
            raise demo.unrecorded(unrecorded, field="contexts")
        refused = [name for name in named if name not in allowed]
        if refused:
            raise PolicyDenied(
                f"Context{'s' if len(refused) > 1 else ''} not on the allow-list fleet_contexts: {', '.join(refused)}",
                hint=f"Allowed contexts: {', '.join(allowed)}.",
                field="contexts",
            )
        return Selection(named)
    present = await kubeconfig_contexts(config, runner)
    chosen = [name for name in present if name in allowed]
    if not chosen:
        raise PolicyDenied(
            f"None of the kubeconfig's {len(present)} contexts is on the allow-list fleet_contexts",
            hint=f"Allowed contexts: {', '.join(allowed)}. {HOW_TO_ALLOW}",
            field="all_contexts",
        )
    missing = [name for name in allowed if name not in present]
    return Selection(chosen, not_allowed=len(present) - len(chosen), not_in_kubeconfig=missing)
