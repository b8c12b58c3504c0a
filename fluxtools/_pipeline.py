"""One cluster's pipeline: a validated call through policy, the guards, the tool's own step and the answer's shape.

resolve namespaces and policy (read-only, tenancy incl. references, defaults) → for mutations: rate limit,
approval, audit → cache → the tool's own step (every command through the run stage of `Call`) → page,
confine, budget, mask (`shape`). It knows neither fleets nor callers: `FluxTools` validates a call's
arguments and chooses this pipeline, or the fleet, which asks one pipeline per cluster.
"""

from __future__ import annotations

import contextlib
from typing import Any

from fluxtools import _policy as policy
from fluxtools._approval import ApprovalRequest, ApproverRaised, AskingPerson, describe, require_approval
from fluxtools._audit import AuditLog
from fluxtools._cache import ResultCache
from fluxtools._config import FluxConfig
from fluxtools._envelope import Envelope, envelope_of
from fluxtools._errors import AuditError
from fluxtools._flux.verdict import FAILED, SUCCEEDED, TIMED_OUT
from fluxtools._policy import Scope
from fluxtools._process.call import Call
from fluxtools._process.runners import Runner
from fluxtools._process.sync import ProcessLimit
from fluxtools._ratelimit import ReconcileGuard, guard_key
from fluxtools._shape import shape
from fluxtools.specs import Operation, ToolArgs, ToolSpec

REACHED = (SUCCEEDED, FAILED, TIMED_OUT)
"""Verdicts of a reconcile that reached the controller: only these count towards the reconcile guard."""


class ClusterPipeline:
    """Calls of the spec table's tools in one cluster, with that cluster's cache and reconcile guard."""

    def __init__(self, config: FluxConfig, runner: Runner, limit: ProcessLimit) -> None:
        self.config = config
        self.runner = runner
        self.limit = limit
        """The process limit this pipeline's commands take their slots from (shared by a fleet's clusters)."""
        self.guard = ReconcileGuard()
        self.cache = ResultCache(config.cache_ttl_secs)
        self.known: dict[str, Any] = {}
        """What this cluster's calls remember between them (Call.known)."""

    async def answer(self, spec: ToolSpec, args: ToolArgs) -> Envelope:
        """The envelope of a successful call; a failure is raised (`FluxTools` turns it into its envelope)."""
        scope = policy.resolve(spec, args, self.config)
        if spec.mutating:
            return await self._mutate(spec, scope)
        return await self._run(spec, scope)

    def where(self) -> dict[str, str | None]:
        return {"context": self.config.context, "cluster": self.config.cluster}

    def _call(self, spec: ToolSpec, scope: Scope, budget: int) -> Call:
        timeout = getattr(scope.args, "timeout_secs", None) or self.config.timeout_for(spec.default_timeout)
        return Call(
            self.config,
            self.runner,
            self.limit,
            timeout=timeout,
            idempotent=spec.idempotent,
            allowed=scope.allowed,
            namespaces=scope.namespaces,
            budget=budget,
            known=self.known,
        )

    async def _run(self, spec: ToolSpec, scope: Scope) -> Envelope:
        """cache? → references under tenancy → the tool's own step → shape → envelope (→ cache)."""
        args = scope.args
        cacheable = spec.operation in (Operation.LIST, Operation.GET)
        key = ResultCache.key(spec.name, args.model_dump(exclude={"fresh"}), self.where()) if cacheable else ""
        if cacheable and not getattr(args, "fresh", False):
            cached = self.cache.get(key)
            if cached is not None:
                return {**cached, "cached": True}
        epoch = self.cache.epoch
        limit = spec.budget(args, self.config.output_budget_bytes)
        call = self._call(spec, scope, limit)
        if scope.allowed is not None and spec.references is not None:
            policy.check_references(await spec.references(call, args), scope.allowed)
        data = await spec.step(call, args)
        envelope: Envelope = {"success": True, "data": shape(spec, data, args, scope.allowed, limit)}
        if call.attempts > 1:
            envelope["attempts"] = call.attempts
        if cacheable:
            self.cache.put(key, envelope, epoch)
        return envelope

    async def _mutate(self, spec: ToolSpec, scope: Scope) -> Envelope:
        """Mutations: rate limits, approval, cache invalidation and the audit trail around the run."""
        arguments = scope.given.model_dump(exclude_none=True)
        action = describe(spec.operation.value, arguments, self.config.namespace)
        started = self.runner.monotonic()
        record = {"tool": spec.name, "arguments": arguments, "action": action, **self.where()}
        audit = AuditLog(self.config.audit_log) if self.config.audit_log else None
        if audit:
            audit.write({**record, "phase": "before"})
        args: Any = scope.args
        key = guard_key(args.kind, args.namespace, args.name) if spec.rate_limited else ""
        reserved, previous = False, None
        envelope: Envelope | None = None
        ended = "cancelled"  # what the audit says when the run stops without an envelope
        self.cache.invalidate()

        async def approved_run() -> Envelope:
            nonlocal reserved, previous
            if spec.rate_limited:
                previous = self.guard.reserve(key, started, self.config)
                reserved = True
            await require_approval(self.config, ApprovalRequest(spec.name, arguments, action, **self.where()))
            return await self._run(spec, scope)

        try:
            envelope = await envelope_of(spec.name, approved_run())
        except ApproverRaised as raised:
            ended = "person asked" if isinstance(raised.original, AskingPerson) else "approver raised"
            if reserved:
                self.guard.release(key, previous)
            raise
        except BaseException:  # cancelled: the request may have gone out, so the interval still counts
            if reserved:
                self.guard.finish(key, None)
            raise
        finally:
            self.cache.invalidate()
            if audit and envelope is None:
                with contextlib.suppress(AuditError):  # the exception on its way out matters more
                    self._audit_end(audit, record, started, {"success": None, "ended": ended})
        data = envelope.get("data") or {}
        if reserved:
            verdict = data.get("verdict") if envelope.get("success") else None
            if verdict in REACHED:
                self.guard.finish(key, verdict)
            else:  # refused, failed before the reconcile, or nothing to do: as if it never came
                self.guard.release(key, previous)
        if audit:
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
