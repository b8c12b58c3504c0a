"""Fan one call out to every cluster of the fleet at once, under one process limit.

Each cluster is a `FluxTools` with its context set, kept across calls (its cache
and reconcile guard live on); they all take process slots from one semaphore.
A cluster that does not answer within its timeout is reported as timed out and
holds up no other.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fluxtools._errors import FluxError, InvalidInput, Timeout
from fluxtools._masking import mask_value
from fluxtools._process.sync import LoopSemaphore
from fluxtools._shape import fitted
from fluxtools.fleet import merge, shape
from fluxtools.fleet.contexts import Selection, select
from fluxtools.specs import ALL_SPECS, ToolSpec, get_spec

if TYPE_CHECKING:
    from fluxtools._executor import FluxTools

CLUSTER_BYTES = 1_048_576
"""Each cluster answers in full (the most a call may ask for); the fleet answer is fitted afterwards."""
PER_CLUSTER_ONLY = {"contexts", "all_contexts", "max_bytes", "limit", "continue_"}
"""Arguments of the fleet answer, not of each cluster's call."""


@dataclass(frozen=True)
class ClusterAnswer:
    context: str
    envelope: dict[str, Any]
    seconds: float


Progress = Callable[[ClusterAnswer, int, int], None]
"""Told of each cluster as it answers: the answer, how many have answered, how many were asked."""


def fleet_tools() -> list[str]:
    return [spec.name for spec in ALL_SPECS if "contexts" in spec.args_model.model_fields]


class Fleet:
    """The clusters one `FluxTools` has reached through fleet calls, and their shared process limit."""

    def __init__(self, parent: FluxTools) -> None:
        self.config = parent.config
        self.runner = parent.runner
        self.pool: dict[str, FluxTools] = {}
        self.limiter = LoopSemaphore(self.config.fleet_max_concurrency)

    def tools_for(self, context: str) -> FluxTools:
        from fluxtools._executor import FluxTools

        tools = self.pool.get(context)
        if tools is None:
            config = self.config.model_copy(update={"context": context})
            beside = getattr(self.runner, "beside", None)  # a replayed cluster keeps its own virtual time
            tools = self.pool[context] = FluxTools(config, runner=beside() if beside else self.runner)
            tools.limiter_source = self.limiter
        return tools

    async def ask(self, context: str, name: str, args: dict[str, Any], deadline: float) -> ClusterAnswer:
        tools = self.tools_for(context)
        started = tools.runner.monotonic()
        try:
            envelope = await asyncio.wait_for(tools.acall(name, args), deadline)
        except asyncio.TimeoutError:
            error = Timeout(f"{name} in context {context}", deadline)
            error.message = f"Context '{context}' gave no answer within {deadline:g}s"
            envelope = error.to_envelope()
        return ClusterAnswer(context, envelope, round(tools.runner.monotonic() - started, 3))

    async def gather(
        self, contexts: list[str], name: str, args: dict[str, Any], deadline: float, progress: Progress | None
    ) -> list[ClusterAnswer]:
        done = 0

        async def one(context: str) -> ClusterAnswer:
            nonlocal done
            answer = await self.ask(context, name, args, deadline)
            done += 1
            if progress is not None:
                progress(answer, done, len(contexts))
            return answer

        return list(await asyncio.gather(*(one(context) for context in contexts)))


_fleets: weakref.WeakKeyDictionary[FluxTools, Fleet] = weakref.WeakKeyDictionary()


def fleet_of(tools: FluxTools) -> Fleet:
    fleet = _fleets.get(tools)
    if fleet is None:
        fleet = _fleets[tools] = Fleet(tools)
    return fleet


def cluster_arguments(name: str, parsed: Any) -> dict[str, Any]:
    """What each cluster is asked: the caller's arguments less the fleet's own, in full."""
    args = parsed.model_dump(by_alias=True, exclude_unset=True, exclude=PER_CLUSTER_ONLY)
    return merge.asked_of_each(name, {**args, "max_bytes": CLUSTER_BYTES})


def cluster_deadline(tools: FluxTools, spec: ToolSpec) -> float:
    """The tool's timeout (or timeout_secs) and a little grace, so a command's own timeout is seen first."""
    timeout = tools.config.timeout_for(spec.default_timeout)
    return timeout + min(1.0, timeout / 2)


def caller_error(answers: list[ClusterAnswer]) -> dict[str, Any] | None:
    """The call itself refused by every cluster alike (policy, arguments): that error is the answer."""
    types = {answer.envelope.get("error_type") for answer in answers}
    if len(types) == 1 and types <= {"PolicyDenied", "InvalidInput"}:
        return answers[0].envelope
    return None


async def fleet_call(
    tools: FluxTools, name: str, args: Mapping[str, Any] | None, *, progress: Progress | None = None
) -> dict[str, Any]:
    """One tool call across the fleet; always an envelope."""
    from fluxtools._executor import internal_error

    try:
        spec = get_spec(name)
        if "contexts" not in spec.args_model.model_fields:
            raise InvalidInput(
                f"{name} answers for one cluster only: it takes no contexts or all_contexts",
                hint="Tools that answer for a fleet: " + ", ".join(fleet_tools()),
                field="contexts",
            )
        parsed = tools.validate(spec, args)
        selection: Selection = await select(tools.config, tools.runner, parsed)
        answers = await fleet_of(tools).gather(
            selection.contexts, name, cluster_arguments(name, parsed), cluster_deadline(tools, spec), progress
        )
        refused = caller_error(answers)
        if refused is not None:
            return refused
        data = shape.page(merge.fold(name, answers, selection.notes()), parsed)
        limit = parsed.max_bytes or tools.config.output_budget_bytes
        return {"success": True, "data": fitted(data, limit, shape.fit)}
    except FluxError as error:
        return mask_value(error.to_envelope())
    except Exception as error:  # the envelope is total
        return internal_error(name, error)
