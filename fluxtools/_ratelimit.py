"""Reconcile guard: one request in flight per object, a minimum interval, and a circuit breaker."""

from __future__ import annotations

import threading
from collections import defaultdict

from fluxtools._config import FluxConfig
from fluxtools._errors import RateLimited

SOURCE_KEYS = frozenset({"source", "gitrepository", "helmrepository", "helmchart", "ocirepository", "bucket"})
TOO_SOON_HINTS = {
    "succeeded": "That reconcile succeeded, so the object is at the revision it reported; "
    "read it with a get tool rather than reconciling again.",
    "failed": "That reconcile failed; reconciling again will fail the same way until the cause is fixed "
    "(read the object's conditions and logs).",
    "timed_out": "That reconcile timed out before the controller finished; read the object's state with a get tool.",
    "suspended": "The object was suspended, so nothing was requested; resume it first.",
    None: "The controller may still be working on the previous request; check its state with a get tool.",
}
"""The hint of a reconcile refused as too soon, by the verdict of the previous one (None: not known)."""


def guard_key(kind: str, namespace: str, name: str) -> str:
    """One key per object: every source kind (and the `source` alias) shares the `source` key."""
    group = "source" if kind in SOURCE_KEYS else kind
    return f"{group}/{namespace}/{name}"


class ReconcileGuard:
    """Remembers, per object, the request in flight, the last request and the run of failed verdicts.

    `reserve` checks and claims in one step under a lock, so concurrent calls
    (tasks or threads) for one object start at most one reconcile.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight: set[str] = set()
        self.last_request: dict[str, float] = {}
        self.last_verdict: dict[str, str | None] = {}
        self.failures: defaultdict[str, list[float]] = defaultdict(list)

    def reserve(self, key: str, now: float, config: FluxConfig) -> float | None:
        """Claim `key` or raise `RateLimited`; returns the previous request time (for `release`)."""
        with self._lock:
            if key in self.in_flight:
                raise RateLimited(
                    f"{key} is being reconciled by another call right now",
                    hint="Wait for that call's verdict, or read the object's state with a get tool.",
                )
            recent = [t for t in self.failures[key] if now - t < config.breaker_window_secs]
            self.failures[key] = recent
            if len(recent) >= config.breaker_failures:
                retry = config.breaker_window_secs - (now - recent[-config.breaker_failures])
                raise RateLimited(
                    f"Circuit open for {key}: {len(recent)} failed reconciliations in a row; retry in {retry:.0f}s",
                    hint="Fix the cause first (get the object, read its conditions and logs); "
                    "reconciling again will fail.",
                )
            last = self.last_request.get(key)
            if last is not None and now - last < config.reconcile_min_interval_secs:
                retry = config.reconcile_min_interval_secs - (now - last)
                verdict = self.last_verdict.get(key)
                said = f" (verdict: {verdict})" if verdict is not None else ""
                raise RateLimited(
                    f"{key} was reconciled {now - last:.0f}s ago{said}; retry in {retry:.0f}s",
                    hint=TOO_SOON_HINTS.get(verdict, TOO_SOON_HINTS[None]),
                )
            self.in_flight.add(key)
            self.last_request[key] = now
            return last

    def finish(self, key: str, verdict: str | None) -> None:
        """The reserved call ended with `verdict` (failed and timed_out count towards the breaker)."""
        with self._lock:
            self.in_flight.discard(key)
            self.last_verdict[key] = verdict
            if verdict in ("failed", "timed_out"):
                self.failures[key].append(self.last_request[key])
            elif verdict == "succeeded":
                self.failures.pop(key, None)

    def release(self, key: str, previous: float | None) -> None:
        """The reserved call was refused before anything ran: as if it never came."""
        with self._lock:
            self.in_flight.discard(key)
            if previous is None:
                self.last_request.pop(key, None)
            else:
                self.last_request[key] = previous
