"""`FluxTools`: the one executor every adapter calls.

validate → resolve namespaces and policy (read-only, tenancy incl. references,
defaults) → for mutations: rate limit, approval, audit → cache → the tool's own
step (every command through the run stage of `Call`) → page, confine, budget,
mask (`shape`) → envelope → metrics. Async at the core, with sync wrappers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from fluxtools import _policy as policy
from fluxtools import fleet
from fluxtools._approval import ApprovalRequest, ApproverRaised, describe, require_approval
from fluxtools._audit import AuditLog
from fluxtools._cache import ResultCache
from fluxtools._config import FluxConfig
from fluxtools._errors import AuditError, FluxError, InternalError, InvalidInput
from fluxtools._masking import mask_text, mask_value
from fluxtools._metrics import Metrics
from fluxtools._policy import Scope
from fluxtools._process.call import Call
from fluxtools._process.runners import Runner, SubprocessRunner
from fluxtools._process.sync import LoopSemaphore, run_sync
from fluxtools._ratelimit import ReconcileGuard, guard_key
from fluxtools._shape import shape
from fluxtools._telemetry import traced
from fluxtools.specs import Operation, ToolArgs, ToolSpec, get_spec, specs_for

logger = logging.getLogger(__name__)


def invalid_input(spec: ToolSpec, exc: ValidationError) -> InvalidInput:
    """One clear InvalidInput naming the field, what was wrong, what is allowed and the closest allowed value."""
    from fluxtools._suggestions import closest

    problems = []
    fields = []
    properties = spec.json_schema()["properties"]
    allowed = ", ".join(properties)
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or (err.get("ctx") or {}).get("field") or "arguments"
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


def internal_error(tool: str, error: BaseException) -> dict[str, Any]:
    """The envelope of an exception that is not a FluxError: its masked message, no traceback.

    The masked traceback goes to the log of whoever runs fluxtools.
    """
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    logger.error("%s failed inside fluxtools:\n%s", tool, mask_text(trace).rstrip())
    message = mask_text(f"{tool} failed inside fluxtools: {type(error).__name__}: {error}")
    hint = "A fault inside fluxtools, not in the cluster; the log of the process running fluxtools has details."
    return InternalError(message, hint=hint).to_envelope()


class FluxTools:
    """Validated, policy-checked, structured calls of the tools in the spec table."""

    def __init__(self, config: FluxConfig | None = None, *, runner: Runner | None = None, **config_kwargs: Any):
        if config is None:
            config = FluxConfig.load(**config_kwargs)
        elif config_kwargs:
            config = FluxConfig.build({**{k: getattr(config, k) for k in config.model_fields_set}, **config_kwargs})
        self.config = config
        self.runner = runner if runner is not None else default_runner(self.config)
        self._limiters = LoopSemaphore(self.config.max_concurrency)
        self.limiter_source: Callable[[], asyncio.Semaphore] | None = None
        """Set by a fleet call: the one process limit its clusters share."""
        self._guard = ReconcileGuard()
        self._cache = ResultCache(self.config.cache_ttl_secs)
        self.metrics = Metrics()

    def specs(self) -> list[ToolSpec]:
        """The tools this configuration offers."""
        return specs_for(read_only=self.config.read_only)

    def _limiter(self) -> asyncio.Semaphore:
        return (self.limiter_source or self._limiters)()

    def validate(self, spec: ToolSpec, args: Mapping[str, Any] | None) -> ToolArgs:
        if args is not None and not isinstance(args, Mapping):
            raise InvalidInput(f"Arguments for {spec.name} must be a JSON object", field="arguments")
        try:
            return spec.args_model.model_validate(dict(args or {}))
        except ValidationError as exc:
            raise invalid_input(spec, exc) from None

    @traced
    async def acall(self, name: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run one tool; always returns the envelope, whatever fails inside (traced and counted)."""
        if fleet.requested(args):
            from fluxtools.fleet.run import fleet_call

            return await fleet_call(self, name, args)
        try:
            spec = get_spec(name)
            scope = policy.resolve(spec, self.validate(spec, args), self.config)
            if spec.mutating:
                envelope = await self._mutate(spec, scope)
            else:
                envelope = await self._run(spec, scope)
        except FluxError as error:
            envelope = mask_value(error.to_envelope())
        except ApproverRaised as raised:  # the caller's own callback: its exception is theirs
            raise raised.original from None
        except Exception as error:  # the envelope is total: nothing but an envelope reaches the caller
            envelope = internal_error(name, error)
        return envelope

    def _call(self, spec: ToolSpec, scope: Scope, budget: int) -> Call:
        timeout = getattr(scope.args, "timeout_secs", None) or self.config.timeout_for(spec.default_timeout)
        return Call(
            self.config,
            self.runner,
            self._limiter(),
            timeout=timeout,
            idempotent=spec.idempotent,
            allowed=scope.allowed,
            namespaces=scope.namespaces,
            budget=budget,
        )

    async def _run(self, spec: ToolSpec, scope: Scope) -> dict[str, Any]:
        """cache? → references under tenancy → the tool's own step → shape → envelope (→ cache)."""
        args = scope.args
        cacheable = spec.operation in (Operation.LIST, Operation.GET)
        key = ResultCache.key(spec.name, args.model_dump(exclude={"fresh"}), self._where()) if cacheable else ""
        if cacheable and not getattr(args, "fresh", False):
            cached = self._cache.get(key)
            if cached is not None:
                return {**cached, "cached": True}
        epoch = self._cache.epoch
        limit = getattr(args, "max_bytes", None) or self.config.output_budget_bytes
        call = self._call(spec, scope, limit)
        if scope.allowed is not None and spec.references is not None:
            policy.check_references(await spec.references(call, args), scope.allowed)
        data = await spec.step(call, args)
        envelope: dict[str, Any] = {"success": True, "data": shape(spec, data, args, scope.allowed, limit)}
        if call.attempts > 1:
            envelope["attempts"] = call.attempts
        if cacheable:
            self._cache.put(key, envelope, epoch)
        return envelope

    async def _mutate(self, spec: ToolSpec, scope: Scope) -> dict[str, Any]:
        """Mutations: rate limits, approval, cache invalidation and the audit trail around the run."""
        arguments = scope.given.model_dump(exclude_none=True)
        action = describe(spec.operation.value, arguments, self.config.namespace)
        started = self.runner.monotonic()
        record = {"tool": spec.name, "arguments": arguments, "action": action, **self._where()}
        audit = AuditLog(self.config.audit_log) if self.config.audit_log else None
        if audit:
            audit.write({**record, "phase": "before"})
        args: Any = scope.args
        key = guard_key(args.kind, args.namespace, args.name) if spec.rate_limited else ""
        reserved, previous = False, None
        envelope: dict[str, Any] | None = None
        ended = "cancelled"  # what the audit says when the run stops without an envelope
        self._cache.invalidate()
        try:
            if spec.rate_limited:
                previous = self._guard.reserve(key, started, self.config)
                reserved = True
            await require_approval(self.config, ApprovalRequest(spec.name, arguments, action, **self._where()))
            envelope = await self._run(spec, scope)
        except FluxError as error:
            envelope = mask_value(error.to_envelope())
        except ApproverRaised:
            ended = "approver raised"
            if reserved:
                self._guard.release(key, previous)
            raise
        except Exception as error:
            envelope = internal_error(spec.name, error)
        except BaseException:  # cancelled: the request may have gone out, so the interval still counts
            if reserved:
                self._guard.finish(key, None)
            raise
        finally:
            self._cache.invalidate()
            if audit and envelope is None:
                with contextlib.suppress(AuditError):  # the exception on its way out matters more
                    self._audit_end(audit, record, started, {"success": None, "ended": ended})
        if reserved:
            if envelope.get("error_type") == "PolicyDenied":
                self._guard.release(key, previous)
            else:
                data = envelope.get("data") or {}
                self._guard.finish(key, data.get("verdict") if envelope.get("success") else "failed")
        if audit:
            data = envelope.get("data") or {}
            outcome = {
                "success": envelope.get("success"),
                "verdict": data.get("verdict"),
                "error_type": envelope.get("error_type"),
            }
            try:
                self._audit_end(audit, record, started, outcome)
            except AuditError as error:
                envelope["audit_error"] = error.message
        return envelope

    def _audit_end(self, audit: AuditLog, record: dict[str, Any], started: float, outcome: dict[str, Any]) -> None:
        """The `after` record of a mutation: how it ended and how long it took."""
        duration = round(self.runner.monotonic() - started, 3)
        audit.write({**record, "phase": "after", **outcome, "duration_secs": duration})

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
        from fluxtools.demo import demo_runner

        return demo_runner()
    return SubprocessRunner(output_cap=config.output_cap_bytes)
