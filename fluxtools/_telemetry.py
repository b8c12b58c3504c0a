"""Traces and metrics of tool calls, through the OpenTelemetry API when it is installed (the `otel` extra).

One span per tool call, named and tagged as the GenAI semantic conventions describe tool execution
(`execute_tool {tool}`, `gen_ai.operation.name`, `gen_ai.tool.name`, `gen_ai.tool.call.id` when the
caller's framework gives one, `error.type` = the envelope's `error_type`), with a child span for every
flux/kubectl command (masked argv, exit code, attempts) and for each diagnosis stage. Arguments and
results are recorded, masked, only with `trace_content`. The same place feeds `Metrics` and the
OpenTelemetry instruments.

Without the API nothing here imports it and every helper does nothing; with the API but no SDK,
its own no-op tracer and meter answer: nothing is sent anywhere until the application configures a
provider and an exporter.
"""

from __future__ import annotations

import contextlib
import functools
import json
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from fluxtools._approval import AskingPerson
from fluxtools._masking import MASK, flag_value_is_secret, mask_text, mask_value

if TYPE_CHECKING:
    from fluxtools._entry import FluxTools
    from fluxtools._metrics import Metrics
    from fluxtools._process.runners import CommandResult


SCOPE = "fluxtools"
"""The instrumentation scope of every span and instrument."""

Envelope = dict[str, Any]
_call_id: ContextVar[str | None] = ContextVar("fluxtools_tool_call_id", default=None)
_metrics: ContextVar[Metrics | None] = ContextVar("fluxtools_call_metrics", default=None)


@functools.lru_cache(maxsize=1)
def otel() -> SimpleNamespace | None:
    """The API's tracer, meter and instruments; None when the API is not installed."""
    try:
        from opentelemetry import metrics, trace
    except ImportError:
        return None
    from fluxtools._version import __version__

    meter = metrics.get_meter(SCOPE, __version__)
    return SimpleNamespace(
        trace=trace,
        tracer=trace.get_tracer(SCOPE, __version__),
        calls=meter.create_counter("fluxtools.tool.calls", "{call}", "Tool calls"),
        errors=meter.create_counter("fluxtools.tool.errors", "{call}", "Tool calls that failed, by error type"),
        duration=meter.create_histogram("fluxtools.tool.duration", "s", "Duration of tool calls"),
        verdicts=meter.create_counter("fluxtools.reconcile.verdicts", "{reconcile}", "Reconcile verdicts"),
        commands=meter.create_counter("fluxtools.commands", "{command}", "flux and kubectl commands run"),
    )


@contextlib.contextmanager
def tool_call_id(call_id: str | None) -> Iterator[None]:
    """Calls inside carry the framework's id of the tool call (`gen_ai.tool.call.id`)."""
    token = _call_id.set(call_id)
    try:
        yield
    finally:
        _call_id.reset(token)


def as_json(value: Any) -> str:
    """A masked JSON attribute value."""
    return json.dumps(mask_value(value), separators=(",", ":"), ensure_ascii=False, default=str)


def traced(
    acall: Callable[..., Awaitable[Envelope]],
) -> Callable[..., Awaitable[Envelope]]:
    """Wraps `FluxTools.acall`: the tool span, the call's metrics, and the commands it runs counted."""

    @functools.wraps(acall)
    async def call(flux: FluxTools, name: str, args: Mapping[str, Any] | None = None, **options: Any) -> Envelope:
        started = time.perf_counter()
        token = _metrics.set(flux.metrics)
        try:
            envelope = await in_tool_span(name, args, flux.config.trace_content, acall(flux, name, args, **options))
        finally:
            _metrics.reset(token)
        flux.metrics.observe(name, envelope, time.perf_counter() - started)
        return envelope

    return call


async def in_tool_span(name: str, args: Any, content: bool, answer: Awaitable[Envelope]) -> Envelope:
    """`answer` inside its tool span (a fleet's call of one cluster nests in the fleet call's span)."""
    with _tool_span(name, args, content) as span:
        envelope = await answer
        if span is not None:
            _end_tool_span(span, envelope, content)
    return envelope


@contextlib.contextmanager
def _tool_span(name: str, args: Any, content: bool) -> Iterator[Any]:
    api = otel()
    if api is None:
        yield None
        return
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": name,
        "gen_ai.tool.type": "function",
    }
    call_id = _call_id.get()
    if call_id:
        attributes["gen_ai.tool.call.id"] = call_id
    if content:
        attributes["gen_ai.tool.call.arguments"] = as_json(args if args is not None else {})
    with api.tracer.start_as_current_span(
        f"execute_tool {name}",
        kind=api.trace.SpanKind.INTERNAL,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except AskingPerson:  # no outcome yet: the call runs again with the person's answer
            span.set_attribute("fluxtools.approval", "asked")
            raise
        except BaseException as exc:  # an approver's own exception, or cancellation: it passes through
            _failed(span, type(exc).__qualname__, mask_text(str(exc)))
            raise


def _end_tool_span(span: Any, envelope: Envelope, content: bool) -> None:
    data = envelope.get("data") if isinstance(envelope.get("data"), dict) else {}
    for key, value in (
        ("fluxtools.cached", envelope.get("cached")),
        ("fluxtools.attempts", envelope.get("attempts")),
        ("fluxtools.verdict", data.get("verdict")),
    ):
        if value is not None:
            span.set_attribute(key, value)
    if envelope.get("success"):
        if content:
            span.set_attribute("gen_ai.tool.call.result", as_json(envelope))
        return
    _failed(span, str(envelope.get("error_type") or "_OTHER"), str(envelope.get("error") or ""))


def _failed(span: Any, error_type: str, message: str) -> None:
    span.set_attribute("error.type", error_type)
    span.set_status(otel().trace.Status(otel().trace.StatusCode.ERROR, message))  # type: ignore[union-attr]


# commands ----------------------------------------------------------------------------------------


def masked_argv(argv: Sequence[str]) -> list[str]:
    """argv as a span may carry it: the program's base name, secret flag values and secret text masked."""
    parts = list(argv)
    out = [parts[0].rsplit("/", 1)[-1]] if parts else []
    for previous, part in zip(parts, parts[1:], strict=False):
        out.append(MASK if flag_value_is_secret(previous, part) else mask_text(part))
    return out


def subcommand(argv: Sequence[str]) -> str:
    """`kubectl get`, `flux reconcile`: the program and its first word that is not a connection flag."""
    program = argv[0].rsplit("/", 1)[-1] if argv else "command"
    words = iter(argv[1:])
    for word in words:
        if word in ("--kubeconfig", "--context"):
            next(words, None)
        elif not word.startswith("-"):
            return f"{program} {mask_text(word)}"
    return program


@dataclass
class CommandWatch:
    """What one command did over its attempts; ends its span and counts the command."""

    argv: Sequence[str]
    span: Any = None
    attempts: int = 0
    seconds: float = 0.0
    exit_code: int | None = None
    timed_out: bool = False
    error: BaseException | None = None
    """The command's classified failure, raised or returned."""

    def attempt(self, result: CommandResult) -> None:
        """One run of the command (a retry is another)."""
        self.attempts += 1
        self.seconds += result.duration
        self.exit_code, self.timed_out = result.exit_code, result.timed_out
        if self.span is not None:
            self.span.add_event(
                "attempt",
                {"process.exit.code": result.exit_code, "fluxtools.command.timed_out": result.timed_out},
            )

    def end(self) -> None:
        program = self.argv[0].rsplit("/", 1)[-1] if self.argv else "command"
        ok = self.error is None and self.exit_code == 0
        metrics = _metrics.get()
        if metrics is not None:
            metrics.command(program, "timed_out" if self.timed_out else "ok" if ok else "failed")
        if self.span is None:
            return
        self.span.set_attributes(
            {
                "fluxtools.command.attempts": self.attempts,
                "fluxtools.command.retries": max(self.attempts - 1, 0),
                "fluxtools.command.duration": round(self.seconds, 3),
            }
        )
        if self.exit_code is not None:
            self.span.set_attribute("process.exit.code", self.exit_code)
        if self.error is not None:
            error_type = getattr(self.error, "error_type", None) or type(self.error).__qualname__
            _failed(self.span, error_type, mask_text(str(self.error)))


@contextlib.contextmanager
def command(argv: Sequence[str]) -> Iterator[CommandWatch]:
    """The span of one command over all its attempts: `watch.attempt(result)` after each run,
    `watch.error` for a failure returned instead of raised (a raised one is taken here)."""
    api = otel()
    watch = CommandWatch(argv)
    opened: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if api is not None:
        opened = api.tracer.start_as_current_span(
            subcommand(argv), kind=api.trace.SpanKind.INTERNAL, record_exception=False, set_status_on_exception=False
        )
    with opened as span:
        if span is not None and span.is_recording():  # no masking for a span nobody records
            program = argv[0].rsplit("/", 1)[-1] if argv else ""
            span.set_attributes({"process.executable.name": program, "process.command_args": masked_argv(argv)})
            watch.span = span
        try:
            yield watch
        except BaseException as exc:
            watch.error = exc
            raise
        finally:
            watch.end()


# diagnosis stages --------------------------------------------------------------------------------


@contextlib.contextmanager
def stage(name: str, **attributes: Any) -> Iterator[Any]:
    """The span of one diagnosis stage (`diagnose read`, `diagnose graph` …); yields it (or None)."""
    api = otel()
    if api is None:
        yield None
        return
    with api.tracer.start_as_current_span(
        f"diagnose {name}", kind=api.trace.SpanKind.INTERNAL, attributes={"fluxtools.stage": name, **attributes}
    ) as span:
        yield span
