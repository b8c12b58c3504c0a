"""`Call`: what a tool's own step may use for one call, and the run stage every command goes through.

The run stage takes a concurrency slot, applies the call's timeout, turns a
failed command into its typed `FluxError` (the only place `classify` is called)
and retries transient failures (idempotent tools only), counting the attempts.
A tool that reads a failure itself (a flux table saying "no objects found", the
reconcile CLI's verdict) asks for the `Outcome` instead of the raised error.
"""

from __future__ import annotations

import contextvars
import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from fluxtools import _telemetry as telemetry
from fluxtools._config import FluxConfig
from fluxtools._errors import CommandFailed, FluxError, Timeout
from fluxtools._process.classify import Target, classify
from fluxtools._process.clients import Clients
from fluxtools._process.liststream import ItemStream
from fluxtools._process.runners import CommandResult, Runner
from fluxtools._process.sync import ProcessLimit

RETRYING: contextvars.ContextVar[Callable[[float], None] | None] = contextvars.ContextVar("retrying", default=None)
"""Told, when a command is about to be retried, how long the retry may take (its backoff and its timeout):
whoever waits for the call with a deadline (a fleet, for each of its clusters) waits that much longer."""
MAX_BACKOFF = 5.0
"""Most seconds between two attempts."""

Fails = Callable[[CommandResult], bool]
"""Says that a command that exited 0 failed all the same (flux prints `✗` lines and exits 0)."""


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

    def reset(self) -> None:
        super().reset()
        self.items: list[dict[str, Any]] = []

    def take(self, item: dict[str, Any]) -> None:
        self.items.append(item)


@dataclass(frozen=True)
class Outcome:
    """A finished command and its classified failure: None on success, `Timeout` when it ran out of time,
    `CommandFailed` when it failed without the client stating a failure of its own."""

    result: CommandResult
    error: FluxError | None = None


def _retrying(seconds: float) -> None:
    told = RETRYING.get()
    if told is not None:
        told(seconds)


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, FluxError) and exc.retryable


class Call:
    """One tool call: its configuration, command lines, resolved namespaces, and the run stage."""

    def __init__(
        self,
        config: FluxConfig,
        runner: Runner,
        limiter: ProcessLimit,
        *,
        timeout: float,
        idempotent: bool,
        allowed: tuple[str, ...] | None = None,
        namespaces: tuple[str | None, ...] = (None,),
        budget: int | None = None,
        known: dict[str, Any] | None = None,
    ) -> None:
        self.config = config
        self.cli = Clients(config)
        self.runner = runner
        self.limiter = limiter
        self.timeout = timeout
        self.idempotent = idempotent
        self.allowed = allowed
        """Namespaces results must stay in (enforce_namespace), or None."""
        self.namespaces = namespaces
        """Where a call that may span namespaces reads: each namespace, None for all of them."""
        self.budget = budget if budget is not None else config.output_budget_bytes
        """The answer's byte budget."""
        self.known = known if known is not None else {}
        """What the cluster's pipeline remembers between its calls (the API versions the server serves)."""
        self.attempts = 1

    def may_read(self, namespace: str) -> bool:
        """Whether tenancy lets this call read in `namespace` (one it reaches through a reference)."""
        return self.allowed is None or namespace in self.allowed

    async def _start(
        self, argv: Sequence[str], timeout: float, sink: StreamSink | None, limited: bool
    ) -> CommandResult:
        if not limited:  # a command that mostly waits (the reconcile CLI) leaves the slots to the call's reads
            return await self._spawn(argv, timeout, sink)
        async with self.limiter:
            return await self._spawn(argv, timeout, sink)

    async def _spawn(self, argv: Sequence[str], timeout: float, sink: StreamSink | None) -> CommandResult:
        if sink is None:
            return await self.runner.run(list(argv), timeout=timeout, env=self.cli.env())
        sink.reset()
        return await self.runner.run(list(argv), timeout=timeout, env=self.cli.env(), on_stdout=sink.feed)

    async def stream(self, argv: Sequence[str], *, timeout: float, sink: StreamSink) -> CommandResult:
        """A long-running command (a watch) whose stdout feeds `sink`: unclassified, without a slot."""
        with telemetry.command(argv) as watch:
            result = await self._start(argv, timeout, sink, limited=False)
            watch.attempt(result)
            return result

    def _failure(
        self, argv: Sequence[str], result: CommandResult, target: Target, limit: float, fails: Fails | None
    ) -> FluxError | None:
        if result.timed_out:
            return Timeout(" ".join(argv), limit)
        if result.exit_code == 0 and fails is not None and fails(result):
            result = dataclasses.replace(result, exit_code=1)
        if result.exit_code != 0:
            return classify(result, target, self.config.kubeconfig_display())
        return None

    async def outcome(
        self,
        argv: Sequence[str],
        target: Target,
        *,
        timeout: float | None = None,
        retry: bool | None = None,
        sink: StreamSink | None = None,
        limited: bool = True,
        fails: Fails | None = None,
    ) -> Outcome:
        """Run `argv` and return it with its classified failure (retried first when transient).

        With a `sink`, stdout streams into it (reset before every attempt) instead of the result.
        `retry` overrides the tool's idempotence; `limited=False` runs without a concurrency slot.
        One trace span (and one count) per command, whatever its attempts.
        """
        with telemetry.command(argv) as watch:
            done = await self._attempts(argv, target, watch, timeout, retry, sink, limited, fails)
            watch.error = done.error
            return done

    async def _attempts(
        self,
        argv: Sequence[str],
        target: Target,
        watch: telemetry.CommandWatch,
        timeout: float | None,
        retry: bool | None,
        sink: StreamSink | None,
        limited: bool,
        fails: Fails | None,
    ) -> Outcome:
        limit = timeout if timeout is not None else self.timeout
        may_retry = self.idempotent if retry is None else retry
        attempts = 0
        last: Outcome | None = None

        async def attempt() -> Outcome:
            nonlocal attempts, last
            attempts += 1
            result = await self._start(argv, limit, sink, limited)
            watch.attempt(result)
            last = Outcome(result, self._failure(argv, result, target, limit, fails))
            if last.error is not None:
                raise last.error
            return last

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.config.retry_attempts if may_retry else 1)
            | stop_after_delay(self.config.retry_max_delay_secs),
            wait=wait_exponential_jitter(multiplier=0.5, max=MAX_BACKOFF, jitter=0.5),
            retry=retry_if_exception(_retryable),
            sleep=self.runner.sleep,
            before_sleep=lambda state: _retrying((state.next_action.sleep if state.next_action else 0.0) + limit),
            reraise=True,
        )
        try:
            async for round_ in retrying:
                with round_:
                    done = await attempt()
        except FluxError as exc:
            exc.attempts = attempts
            self.attempts = max(self.attempts, attempts)
            if last is None or last.error is not exc:  # the runner's own error (e.g. NotInstalled)
                raise
            return last
        self.attempts = max(self.attempts, attempts)
        return done

    async def run(
        self,
        argv: Sequence[str],
        target: Target,
        *,
        timeout: float | None = None,
        retry: bool | None = None,
        sink: StreamSink | None = None,
        fails: Fails | None = None,
    ) -> CommandResult:
        """Run `argv`; its classified failure is raised."""
        done = await self.outcome(argv, target, timeout=timeout, retry=retry, sink=sink, fails=fails)
        if done.error is not None:
            raise done.error
        return done.result

    async def kubectl_items(self, args: Sequence[str], target: Target) -> list[dict[str, Any]]:
        """The `items` of a kubectl list, parsed as they stream in (no output cap applies)."""
        collected = Collected()
        await self.run(self.cli.kubectl(*args), target, sink=collected)
        collected.close()
        return collected.items

    async def kubectl_json(self, args: Sequence[str], target: Target) -> dict[str, Any]:
        result = await self.run(self.cli.kubectl(*args), target)
        return json_object(result.stdout, "kubectl")
