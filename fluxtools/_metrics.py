"""Counters the specification asks for, as a snapshot or Prometheus text.

Reconcile count, success/failure rate, average duration, suspended count and
controller log error rate, plus calls and errors per tool.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

RECONCILE_TOOL = "flux_reconcile"
LIST_TOOLS = ("flux_kustomization_list", "flux_helmrelease_list")


class Metrics:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.reconciles = Counter[str]()
        self.reconcile_seconds = 0.0
        self.suspended: dict[str, int] = {}
        self.log_lines = 0
        self.log_error_lines = 0

    def observe(self, tool: str, envelope: dict[str, Any]) -> None:
        self.calls[tool] += 1
        if not envelope.get("success"):
            self.errors[envelope.get("error_type", "unknown")] += 1
        data = envelope.get("data") or {}
        if tool == RECONCILE_TOOL:
            verdict = data.get("verdict") if envelope.get("success") else "error"
            self.reconciles[verdict or "unknown"] += 1
            self.reconcile_seconds += float(data.get("duration_secs") or 0.0)
        elif tool in LIST_TOOLS and envelope.get("success") and not envelope.get("cached"):
            self.suspended[tool] = int((data.get("counts") or {}).get("suspended", 0))
        elif tool == "flux_logs" and envelope.get("success"):
            lines = [line for line in data.get("logs", "").splitlines() if line.strip()]
            self.log_lines += len(lines)
            self.log_error_lines += sum(1 for line in lines if " error " in line[:40])

    def snapshot(self) -> dict[str, Any]:
        total = sum(self.reconciles.values())
        succeeded = self.reconciles["succeeded"]
        return {
            "reconcile_count": total,
            "reconcile_success_rate": round(succeeded / total, 4) if total else None,
            "reconcile_failure_rate": round((total - succeeded - self.reconciles["suspended"]) / total, 4)
            if total
            else None,
            "reconcile_avg_duration_secs": round(self.reconcile_seconds / total, 3) if total else None,
            "reconcile_verdicts": dict(self.reconciles),
            "suspended_count": sum(self.suspended.values()),
            "log_error_rate": round(self.log_error_lines / self.log_lines, 4) if self.log_lines else None,
            "calls": dict(self.calls),
            "errors": dict(self.errors),
        }

    def prometheus_text(self) -> str:
        """The snapshot in Prometheus' text exposition format (no client library needed)."""
        snap = self.snapshot()
        lines = [
            "# TYPE fluxtools_reconcile_total counter",
            *(f'fluxtools_reconcile_total{{verdict="{v}"}} {n}' for v, n in sorted(self.reconciles.items())),
            "# TYPE fluxtools_reconcile_duration_seconds_sum counter",
            f"fluxtools_reconcile_duration_seconds_sum {self.reconcile_seconds:.3f}",
            "# TYPE fluxtools_suspended_objects gauge",
            f"fluxtools_suspended_objects {snap['suspended_count']}",
            "# TYPE fluxtools_controller_log_lines_total counter",
            f'fluxtools_controller_log_lines_total{{level="any"}} {self.log_lines}',
            f'fluxtools_controller_log_lines_total{{level="error"}} {self.log_error_lines}',
            "# TYPE fluxtools_tool_calls_total counter",
            *(f'fluxtools_tool_calls_total{{tool="{t}"}} {n}' for t, n in sorted(self.calls.items())),
            "# TYPE fluxtools_tool_errors_total counter",
            *(f'fluxtools_tool_errors_total{{error_type="{t}"}} {n}' for t, n in sorted(self.errors.items())),
        ]
        return "\n".join(lines) + "\n"
