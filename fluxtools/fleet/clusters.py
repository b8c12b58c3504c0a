"""The fleet's clusters: one pipeline per kubeconfig context, kept across calls, under one process limit.

A fleet call asks every chosen cluster at once. Each cluster has a deadline: its tool's timeout and a
little grace, pushed on whenever one of its commands is retried, so a cluster that does not answer is
reported as timed out and holds up no other, while one that is retrying is waited for. The answers are
folded (`merge`), paged and fitted to the output budget (`fit`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from fluxtools._budget import window
from fluxtools._config import FluxConfig
from fluxtools._envelope import Envelope, envelope_of
from fluxtools._errors import Timeout
from fluxtools._pipeline import ClusterPipeline
from fluxtools._process.call import RETRYING
from fluxtools._process.runners import Runner
from fluxtools._process.sync import ProcessLimit
from fluxtools._shape import fitted
from fluxtools._telemetry import in_tool_span
from fluxtools.fleet import fit, merge
from fluxtools.fleet.args import one_cluster
from fluxtools.fleet.contexts import select
from fluxtools.fleet.merge import ClusterAnswer
from fluxtools.specs import ToolArgs, ToolSpec

CLUSTER_BYTES = 1_048_576
"""Each cluster answers in full (the most a call may ask for); the fleet answer is fitted afterwards."""
FLEET_ONLY = frozenset({"max_bytes", "limit", "continue_"})
"""Arguments of the fleet answer, not of each cluster's call."""


Progress = Callable[[ClusterAnswer, int, int], None]
"""Told of each cluster as it answers: the answer, how many have answered, how many were asked."""


class Deadline:
    """When a cluster's answer is given up: pushed on by each retry of its commands."""

    def __init__(self, seconds: float, grace: float) -> None:
        self.loop = asyncio.get_running_loop()
        self.grace = grace
        self.seconds = seconds
        self.at = self.loop.time() + seconds

    def retrying(self, seconds: float) -> None:
        self.at = max(self.at, self.loop.time() + seconds + self.grace)

    def remaining(self) -> float:
        return self.at - self.loop.time()


class Fleet:
    """The clusters one `FluxTools` reaches through fleet calls, and their shared process limit."""

    def __init__(self, config: FluxConfig, runner: Runner) -> None:
        self.config = config
        self.runner = runner
        self.pool: dict[str, ClusterPipeline] = {}
        self.limit = ProcessLimit(config.fleet_max_concurrency)

    def cluster(self, context: str) -> ClusterPipeline:
        pipeline = self.pool.get(context)
        if pipeline is None:
            config = self.config.model_copy(update={"context": context})
            beside = getattr(self.runner, "beside", None)  # a replayed cluster keeps its own virtual time
            runner = beside() if beside else self.runner
            pipeline = self.pool[context] = ClusterPipeline(config, runner, self.limit)
        return pipeline

    async def ask(self, context: str, spec: ToolSpec, args: ToolArgs) -> ClusterAnswer:
        cluster = self.cluster(context)
        started = cluster.runner.monotonic()
        timeout = self.config.timeout_for(spec.default_timeout)
        deadline = Deadline(timeout + min(1.0, timeout / 2), min(1.0, timeout / 2))
        RETRYING.set(deadline.retrying)  # this cluster's task only: each task runs in a copy of the context
        given = args.model_dump(by_alias=True, exclude_unset=True)
        answer = asyncio.ensure_future(
            in_tool_span(
                spec.name, given, self.config.trace_content, envelope_of(spec.name, cluster.answer(spec, args))
            )
        )
        try:
            while not answer.done() and deadline.remaining() > 0:
                await asyncio.wait({answer}, timeout=deadline.remaining())
        finally:
            if not answer.done():
                answer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await answer
        if answer.cancelled():
            error = Timeout(f"{spec.name} in context {context}", deadline.seconds)
            error.message = f"Context '{context}' gave no answer within {deadline.seconds:g}s"
            envelope = error.to_envelope()
        else:
            envelope = answer.result()
        return ClusterAnswer(context, envelope, round(cluster.runner.monotonic() - started, 3))

    async def gather(
        self, contexts: list[str], spec: ToolSpec, args: ToolArgs, progress: Progress | None
    ) -> list[ClusterAnswer]:
        done = 0

        async def one(context: str) -> ClusterAnswer:
            nonlocal done
            answer = await self.ask(context, spec, args)
            done += 1
            if progress is not None:
                progress(answer, done, len(contexts))
            return answer

        return list(await asyncio.gather(*(one(context) for context in contexts)))

    async def answer(self, spec: ToolSpec, args: ToolArgs, progress: Progress | None = None) -> Envelope:
        """One tool call across the fleet: its clusters' answers folded into one, fitted to the budget."""
        selection = await select(self.config, self.runner, args)
        asked = one_cluster(spec, args, FLEET_ONLY, **merge.asked_of_each(spec.name, args), max_bytes=CLUSTER_BYTES)
        answers = await self.gather(selection.contexts, spec, asked, progress)
        refused = caller_error(answers)
        if refused is not None:
            return refused
        data = page(merge.fold(spec.name, answers, selection.notes()), args)
        limit = getattr(args, "max_bytes", None) or self.config.output_budget_bytes
        return {"success": True, "data": fitted(data, limit, fit.fit)}


def page(data: dict[str, Any], args: ToolArgs) -> dict[str, Any]:
    """The page of the fleet answer's main list the caller asked for (limit, continue)."""
    key = fit.main_key(data)
    if key is None:
        return data
    entries, where = window(data[key], args)
    return {**data, key: entries, **where}


def caller_error(answers: list[ClusterAnswer]) -> dict[str, Any] | None:
    """The call itself refused by every cluster alike (policy, arguments): that error is the answer."""
    types = {answer.envelope.get("error_type") for answer in answers}
    if len(types) == 1 and types <= {"PolicyDenied", "InvalidInput"}:
        return answers[0].envelope
    return None
