"""Reconcile guard: a minimum interval per object and a circuit breaker on repeated failures."""

from __future__ import annotations

from collections import defaultdict

from .config import FluxConfig
from .errors import FluxError


class RateLimited(FluxError):
    error_type = "RateLimited"


class ReconcileGuard:
    """Remembers, per object, the last request and the run of failed verdicts."""

    def __init__(self) -> None:
        self.last_request: dict[str, float] = {}
        self.failures: defaultdict[str, list[float]] = defaultdict(list)

    def check(self, key: str, now: float, config: FluxConfig) -> None:
        recent = [t for t in self.failures[key] if now - t < config.breaker_window_secs]
        self.failures[key] = recent
        if len(recent) >= config.breaker_failures:
            retry = config.breaker_window_secs - (now - recent[-config.breaker_failures])
            raise RateLimited(
                f"Circuit open for {key}: {len(recent)} failed reconciliations in a row; retry in {retry:.0f}s",
                hint="Fix the cause first (get the object, read its conditions and logs); reconciling again will fail.",
            )
        last = self.last_request.get(key)
        if last is not None and now - last < config.reconcile_min_interval_secs:
            retry = config.reconcile_min_interval_secs - (now - last)
            raise RateLimited(
                f"{key} was reconciled {now - last:.0f}s ago; retry in {retry:.0f}s",
                hint="The controller is still working on the previous request; check its state with a get tool.",
            )

    def record(self, key: str, now: float, verdict: str | None) -> None:
        self.last_request[key] = now
        if verdict in ("failed", "timed_out"):
            self.failures[key].append(now)
        elif verdict == "succeeded":
            self.failures.pop(key, None)
