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

from fluxtools._budget import size, window
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
        limit = getattr(args, "max_bytes", None) or self.config.output_budget_bytes
        data = merge.fold(spec.name, answers, selection.notes() + cut_note(answers))
        key = merge.LIST_KEYS.get(spec.name)
        if key is None:
            data = page(data, args)
        else:
            data = {**data, **await self.list_page(key, spec, asked, answers, args, limit)}
        return {"success": True, "data": fitted(data, limit, fit.fit)}

    async def list_page(
        self, key: str, spec: ToolSpec, asked: ToolArgs, answers: list[ClusterAnswer], args: ToolArgs, budget: int
    ) -> dict[str, Any]:
        """The page of the fleet's list the caller asked for (limit, continue), no item of it lost.

        The list is every cluster's matching items, cluster after cluster. Where a cluster's answer was cut
        before the page ends, the rest of the page is read from that cluster; the page ends early (saying
        where to continue) once it holds more than the budget shows.
        """
        present = [answer for answer in answers if answer.envelope.get("success")]
        matched = [int(answer.envelope["data"].get("matched", 0)) for answer in present]
        offset = int(getattr(args, "continue_", None) or 0)
        limit = getattr(args, "limit", None)
        end = sum(matched) if limit is None else min(sum(matched), offset + limit)
        items: list[dict[str, Any]] = []
        start = 0
        for answer, count in zip(present, matched, strict=True):
            low, high = max(offset - start, 0), min(end - start, count)
            start += count
            if low >= high:
                continue
            part = list(answer.envelope["data"].get(key) or [])[low:high]
            while low + len(part) < high and size(items) + size(part) <= budget:
                more = await self.read_on(answer.context, spec, asked, key, low + len(part), high - low - len(part))
                if not more:
                    break
                part += more
            items += [{"context": answer.context, **item} for item in part]
            if low + len(part) < high:
                break
        where: dict[str, Any] = {"offset": offset} if offset else {}
        if offset + len(items) < sum(matched):
            where["continue"] = str(offset + len(items))
        return {key: items, **where}

    async def read_on(
        self, context: str, spec: ToolSpec, asked: ToolArgs, key: str, position: int, count: int
    ) -> list[dict[str, Any]]:
        """`count` items of one cluster's list from `position` (as many as one answer holds); none on failure."""
        answer = await self.ask(context, spec, asked.model_copy(update={"continue_": str(position), "limit": count}))
        return list((answer.envelope.get("data") or {}).get(key) or []) if answer.envelope.get("success") else []


def page(data: dict[str, Any], args: ToolArgs) -> dict[str, Any]:
    """The page of the fleet answer's main list the caller asked for (limit, continue)."""
    key = fit.main_key(data)
    if key is None:
        return data
    entries, where = window(data[key], args)
    return {**data, key: entries, **where}


def cut_note(answers: list[ClusterAnswer]) -> list[str]:
    """Which clusters answered more than one answer holds, and how the rest is read."""
    cut = [answer.context for answer in answers if merge.cut(answer.envelope.get("data") or {}) is not None]
    if not cut:
        return []
    return [
        f"The answers of {', '.join(cut)} were cut to fit one cluster's answer (their rows say how much was read): "
        "lists read the rest as you page on with continue; narrow (namespace, kind, name_contains) to see the rest "
        "of a diagnosis."
    ]


def caller_error(answers: list[ClusterAnswer]) -> dict[str, Any] | None:
    """The call itself refused by every cluster alike (policy, arguments): that error is the answer."""
    types = {answer.envelope.get("error_type") for answer in answers}
    if len(types) == 1 and types <= {"PolicyDenied", "InvalidInput"}:
        return answers[0].envelope
    return None
