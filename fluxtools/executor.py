"""`FluxTools`: the one executor every adapter calls.

validate arguments → policy → run the spec (argv lists only, through a Runner)
→ envelope. Async at the core, with sync wrappers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import weakref
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from . import budget, policy
from .approval import ApprovalRequest, describe, require_approval
from .audit import AuditError, AuditLog
from .cache import ResultCache
from .config import FluxConfig
from .context import ToolContext
from .errors import FluxError, InvalidInput
from .masking import mask_value
from .metrics import Metrics
from .ratelimit import ReconcileGuard
from .runners import Runner, SubprocessRunner
from .specs import Operation, ToolArgs, ToolSpec, get_spec, specs_for

T = TypeVar("T")


def invalid_input(spec: ToolSpec, exc: ValidationError) -> InvalidInput:
    """One clear InvalidInput naming the field, what was wrong, what is allowed and the closest allowed value."""
    from .suggestions import closest

    problems = []
    fields = []
    properties = spec.json_schema()["properties"]
    allowed = ", ".join(properties)
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "arguments"
        fields.append(field)
        if err["type"] == "extra_forbidden":
            guess = closest(field, properties)
            near = f"did you mean '{guess}'? " if guess else ""
            problems.append(f"unknown parameter '{field}' ({near}allowed: {allowed})")
        elif err["type"] == "missing":
            problems.append(f"'{field}' is required")
        else:
            message = err["msg"].removeprefix("Value error, ")
            problem = f"'{field}' {message}" if message[:1].islower() else f"'{field}': {message}"
            choices = properties.get(str(err["loc"][0]) if err["loc"] else "", {}).get("enum")
            guess = closest(err.get("input"), choices) if choices and err["type"] in ("literal_error", "enum") else None
            problems.append(f"{problem} (did you mean '{guess}'?)" if guess else problem)
    return InvalidInput(
        f"Invalid arguments for {spec.name}: " + "; ".join(problems),
        hint=f"Parameters of {spec.name}: {allowed}",
        field=fields[0] if fields else None,
    )


def fitted(data: dict[str, Any], limit: int) -> dict[str, Any]:
    """Masked and within `limit` bytes: trimmed first, so that only what is returned is masked."""
    masked = mask_value(budget.fit(data, limit))
    return masked if budget.size(masked) <= limit else budget.fit(masked, limit)


_thread_loops = threading.local()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """One event loop per thread for sync calls: no per-call loop and signal handler set-up."""
    loop = getattr(_thread_loops, "loop", None)
    if loop is None or loop.is_closed():
        loop = _thread_loops.loop = asyncio.new_event_loop()
    return loop


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _thread_loop().run_until_complete(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class FluxTools:
    """Validated, policy-checked, structured calls of the tools in the spec table."""

    def __init__(self, config: FluxConfig | None = None, *, runner: Runner | None = None, **config_kwargs: Any):
        if config is None:
            config = FluxConfig.load(**config_kwargs)
        elif config_kwargs:
            config = FluxConfig.build({**{k: getattr(config, k) for k in config.model_fields_set}, **config_kwargs})
        self.config = config
        self.runner = runner if runner is not None else default_runner(self.config)
        self._limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )
        self._guard = ReconcileGuard()
        self._cache = ResultCache(self.config.cache_ttl_secs)
        self.metrics = Metrics()

    def specs(self) -> list[ToolSpec]:
        """The tools this configuration offers."""
        return specs_for(read_only=self.config.read_only)

    def _limiter(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = asyncio.Semaphore(self.config.max_concurrency)
        return limiter

    def validate(self, spec: ToolSpec, args: Mapping[str, Any] | None) -> ToolArgs:
        if args is not None and not isinstance(args, Mapping):
            raise InvalidInput(f"Arguments for {spec.name} must be a JSON object", field="arguments")
        try:
            return spec.args_model.model_validate(dict(args or {}))
        except ValidationError as exc:
            raise invalid_input(spec, exc) from None

    async def acall(self, name: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run one tool; always returns the envelope, never raises a FluxError."""
        try:
            spec = get_spec(name)
            parsed, allowed = policy.scope(spec, self.validate(spec, args), self.config)
            if spec.mutating:
                envelope = await self._mutate(spec, parsed, allowed)
            else:
                envelope = await self._run(spec, parsed, allowed)
        except FluxError as error:
            envelope = mask_value(error.to_envelope())
        self.metrics.observe(name, envelope)
        return envelope

    async def _run(self, spec: ToolSpec, args: ToolArgs, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        cacheable = spec.operation in (Operation.LIST, Operation.GET)
        key = ResultCache.key(spec.name, args.model_dump(exclude={"fresh"}), self._where()) if cacheable else ""
        if cacheable and not getattr(args, "fresh", False):
            cached = self._cache.get(key)
            if cached is not None:
                return {**cached, "cached": True}
        timeout = getattr(args, "timeout_secs", None) or self.config.timeout_for(spec.default_timeout)
        ctx = ToolContext(
            self.config, self.runner, self._limiter(), timeout=timeout, idempotent=spec.idempotent, scope=allowed
        )
        data = await spec.execute(ctx, args)
        limit = getattr(args, "max_bytes", None) or self.config.output_budget_bytes
        envelope: dict[str, Any] = {"success": True, "data": fitted(data, limit)}
        if ctx.attempts > 1:
            envelope["attempts"] = ctx.attempts
        if cacheable:
            self._cache.put(key, getattr(args, spec.namespace_field or "", None), envelope)
        return envelope

    async def _mutate(self, spec: ToolSpec, args: ToolArgs, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        """Mutations: rate limits, approval and the audit trail around the run."""
        arguments = args.model_dump(exclude_none=True)
        action = describe(spec.operation.value, arguments, self.config.namespace)
        key = f"{arguments.get('kind')}/{arguments.get('namespace') or self.config.namespace}/{arguments.get('name')}"
        started = self.runner.monotonic()
        record = {"tool": spec.name, "arguments": arguments, "action": action, **self._where()}
        audit = AuditLog(self.config.audit_log) if self.config.audit_log else None
        if audit:
            audit.write({**record, "phase": "before"})
        self._cache.invalidate(arguments.get("namespace") or self.config.namespace)
        try:
            if spec.rate_limited:
                self._guard.check(key, started, self.config)
            await require_approval(self.config, ApprovalRequest(spec.name, arguments, action, **self._where()))
            envelope = await self._run(spec, args, allowed)
        except FluxError as error:
            envelope = mask_value(error.to_envelope())
        data = envelope.get("data") or {}
        if spec.rate_limited and envelope.get("error_type") not in ("RateLimited", "PolicyDenied"):
            self._guard.record(key, started, data.get("verdict") if envelope.get("success") else "failed")
        if audit:
            outcome = {
                "phase": "after",
                "success": envelope.get("success"),
                "verdict": data.get("verdict"),
                "error_type": envelope.get("error_type"),
                "duration_secs": round(self.runner.monotonic() - started, 3),
            }
            try:
                audit.write({**record, **outcome})
            except AuditError as error:
                envelope["audit_error"] = error.message
        return envelope

    def metrics_snapshot(self) -> dict[str, Any]:
        """Reconcile counts and rates, suspended count, log error rate, calls and errors."""
        return self.metrics.snapshot()

    def _where(self) -> dict[str, str | None]:
        return {"context": self.config.context, "cluster": self.config.cluster}

    def call(self, name: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Sync wrapper of `acall`."""
        return run_sync(self.acall(name, args))


def default_runner(config: FluxConfig) -> Runner:
    if config.cluster == "demo":
        from .demo import demo_runner

        return demo_runner()
    return SubprocessRunner(output_cap=config.output_cap_bytes)
