"""`ToolContext`: what a tool's code may use to run commands for one call.

It adds the connection flags from the configuration to every argv, bounds
concurrency, classifies failures and retries transient ones (idempotent tools
only), counting the attempts.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Sequence
from typing import Any, Protocol

from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from .classify import Target, classify
from .config import FluxConfig
from .errors import CommandFailed, FluxError, Timeout
from .liststream import ItemStream
from .runners import CommandResult, Runner


class StreamSink(Protocol):
    def reset(self) -> None: ...

    def feed(self, chunk: bytes) -> None: ...


def json_object(text: str, program: str) -> dict[str, Any]:
    """A command's stdout as a JSON object; anything else is a clear CommandFailed."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandFailed(f"{program} returned output that is not JSON ({exc.msg})") from None
    if not isinstance(document, dict):
        raise CommandFailed(f"{program} returned JSON that is not an object")
    return document


class Collected(ItemStream):
    """Keeps every streamed list item (cleared when a retry streams again)."""

    def __init__(self) -> None:
        super().__init__(lambda item: self.items.append(item))

    def reset(self) -> None:
        super().reset()
        self.items: list[dict[str, Any]] = []


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, FluxError) and exc.retryable


class ToolContext:
    def __init__(
        self,
        config: FluxConfig,
        runner: Runner,
        limiter: asyncio.Semaphore,
        *,
        timeout: float,
        idempotent: bool,
        scope: tuple[str, ...] | None = None,
    ) -> None:
        self.config = config
        self.runner = runner
        self.limiter = limiter
        self.timeout = timeout
        self.idempotent = idempotent
        self.scope = scope
        """Namespaces results must stay in (enforce_namespace), or None."""
        self.attempts = 1
        self.notes: list[str] = []

    # argv -----------------------------------------------------------------
    def connection_flags(self) -> list[str]:
        flags: list[str] = []
        kubeconfig = self.config.kubeconfig
        if kubeconfig and os.pathsep not in kubeconfig:
            flags += ["--kubeconfig", kubeconfig]
        if self.config.context:
            flags += ["--context", self.config.context]
        return flags

    def kubectl(self, *args: str) -> list[str]:
        return [self.config.kubectl_path, *self.connection_flags(), *args]

    def flux(self, *args: str) -> list[str]:
        return [self.config.flux_path, *self.connection_flags(), *args]

    def child_env(self) -> dict[str, str] | None:
        kubeconfig = self.config.kubeconfig
        if kubeconfig and os.pathsep in kubeconfig:
            return {**os.environ, "KUBECONFIG": kubeconfig}
        return None

    # running --------------------------------------------------------------
    async def run_once(
        self,
        argv: Sequence[str],
        *,
        timeout: float | None = None,
        sink: StreamSink | None = None,
        limited: bool = True,
    ) -> CommandResult:
        """One command, no classification: the caller reads the result (or the sink got stdout).

        `limited=False` runs it without taking a concurrency slot: for a command that
        mostly waits (the reconcile CLI) while the same call's reads need the slots.
        """
        if not limited:
            return await self._start(argv, timeout, sink)
        async with self.limiter:
            return await self._start(argv, timeout, sink)

    async def _start(self, argv: Sequence[str], timeout: float | None, sink: StreamSink | None) -> CommandResult:
        limit = timeout if timeout is not None else self.timeout
        if sink is None:
            return await self.runner.run(list(argv), timeout=limit, env=self.child_env())
        sink.reset()
        return await self.runner.run(list(argv), timeout=limit, env=self.child_env(), on_stdout=sink.feed)

    async def run(
        self,
        argv: Sequence[str],
        target: Target,
        *,
        timeout: float | None = None,
        retry: bool | None = None,
        sink: StreamSink | None = None,
    ) -> CommandResult:
        """Run, raise the classified `FluxError` on failure, retry transient failures.

        With a `sink`, stdout streams into it (reset before every attempt) instead of the result.
        """
        limit = timeout if timeout is not None else self.timeout
        may_retry = self.idempotent if retry is None else retry
        attempts = 0

        async def attempt() -> CommandResult:
            nonlocal attempts
            attempts += 1
            result = await self.run_once(argv, timeout=limit, sink=sink)
            if result.timed_out:
                raise Timeout(" ".join(argv), limit)
            if result.exit_code != 0:
                raise classify(result, target, self.config.kubeconfig_display())
            return result

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.config.retry_attempts if may_retry else 1)
            | stop_after_delay(self.config.retry_max_delay_secs),
            wait=wait_exponential_jitter(multiplier=0.5, max=5.0, jitter=0.5),
            retry=retry_if_exception(_retryable),
            sleep=self.runner.sleep,
            reraise=True,
        )
        try:
            async for round_ in retrying:
                with round_:
                    result = await attempt()
        except FluxError as exc:
            exc.attempts = attempts
            self.attempts = max(self.attempts, attempts)
            raise
        self.attempts = max(self.attempts, attempts)
        return result

    async def kubectl_items(self, args: Sequence[str], target: Target) -> list[dict[str, Any]]:
        """The `items` of a kubectl list, parsed as they stream in (no output cap applies)."""
        collected = Collected()
        await self.run(self.kubectl(*args), target, sink=collected)
        collected.close()
        return collected.items

    async def kubectl_json(self, args: Sequence[str], target: Target) -> dict[str, Any]:
        result = await self.run(self.kubectl(*args), target)
        return json_object(result.stdout, "kubectl")
