"""What the tool calls did, counted: as a snapshot, in Prometheus text, and as OpenTelemetry metrics.

Calls and errors (by tool and error type), call durations, reconcile verdicts and durations, the
suspended count, the controller log error rate, and the flux/kubectl commands run. `_telemetry`
feeds it from the one place a call passes (`FluxTools.acall`) and from the run stage.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fluxtools._telemetry import otel

RECONCILE_TOOL = "flux_reconcile"
LIST_TOOLS = ("flux_kustomization_list", "flux_helmrelease_list")
DURATION_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
"""Upper bounds (seconds) of the call-duration histogram."""


class Histogram:
    """Cumulative bucket counts, sum and count of observed values."""

    def __init__(self, buckets: tuple[float, ...] = DURATION_BUCKETS) -> None:
        self.buckets = buckets
        self.counts = [0] * len(buckets)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        self.sum += value
        self.count += 1
        for index, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[index] += 1


class Metrics:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.tool_errors: Counter[tuple[str, str]] = Counter()
        self.durations: dict[str, Histogram] = {}
        self.reconciles = Counter[str]()
        self.reconcile_seconds = 0.0
        self.suspended: dict[str, int] = {}
        self.log_lines = 0
        self.log_error_lines = 0
        self.commands: Counter[tuple[str, str]] = Counter()

    def observe(self, tool: str, envelope: dict[str, Any], seconds: float | None = None) -> None:
        """One finished call: its envelope and how long it took."""
        api = otel()
        labels = {"gen_ai.tool.name": tool}
        self.calls[tool] += 1
        if not envelope.get("success"):
            error_type = str(envelope.get("error_type", "unknown"))
            self.errors[error_type] += 1
            self.tool_errors[tool, error_type] += 1
            if api is not None:
                api.errors.add(1, {**labels, "error.type": error_type})
        if api is not None:
            api.calls.add(1, labels)
        if seconds is not None:
            self.durations.setdefault(tool, Histogram()).observe(seconds)
            if api is not None:
                api.duration.record(seconds, labels)
        data = envelope.get("data") or {}
        if tool == RECONCILE_TOOL:
            verdict = (data.get("verdict") if envelope.get("success") else "error") or "unknown"
            self.reconciles[verdict] += 1
            self.reconcile_seconds += float(data.get("duration_secs") or 0.0)
            if api is not None:
                api.verdicts.add(1, {"fluxtools.verdict": verdict})
        elif tool in LIST_TOOLS and envelope.get("success") and not envelope.get("cached"):
            self.suspended[tool] = int((data.get("counts") or {}).get("suspended", 0))
        elif tool == "flux_logs" and envelope.get("success"):
            lines = [line for line in data.get("logs", "").splitlines() if line.strip()]
            self.log_lines += len(lines)
            self.log_error_lines += sum(1 for line in lines if " error " in line[:40])

    def command(self, program: str, outcome: str) -> None:
        """One flux/kubectl command (all its attempts): `ok`, `failed` or `timed_out`."""
        self.commands[program, outcome] += 1
        api = otel()
        if api is not None:
            api.commands.add(1, {"process.executable.name": program, "fluxtools.command.outcome": outcome})

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
            "commands": sum(self.commands.values()),
        }

    def prometheus_text(self) -> str:
        """Everything counted, in Prometheus' text exposition format (no client library needed)."""
        snap = self.snapshot()
        lines = [
            "# HELP fluxtools_tool_calls_total Tool calls.",
            "# TYPE fluxtools_tool_calls_total counter",
            *(f"fluxtools_tool_calls_total{labels(tool=t)} {n}" for t, n in sorted(self.calls.items())),
            "# HELP fluxtools_tool_errors_total Tool calls that failed, by tool and error type.",
            "# TYPE fluxtools_tool_errors_total counter",
            *(
                f"fluxtools_tool_errors_total{labels(tool=t, error_type=e)} {n}"
                for (t, e), n in sorted(self.tool_errors.items())
            ),
            "# HELP fluxtools_tool_duration_seconds Duration of tool calls.",
            "# TYPE fluxtools_tool_duration_seconds histogram",
        ]
        for tool, histogram in sorted(self.durations.items()):
            bounds = [*(f"{bound:g}" for bound in histogram.buckets), "+Inf"]
            for bound, count in zip(bounds, [*histogram.counts, histogram.count], strict=True):
                lines.append(f"fluxtools_tool_duration_seconds_bucket{labels(tool=tool, le=bound)} {count}")
            lines.append(f"fluxtools_tool_duration_seconds_sum{labels(tool=tool)} {histogram.sum:.6f}")
            lines.append(f"fluxtools_tool_duration_seconds_count{labels(tool=tool)} {histogram.count}")
        lines += [
            "# HELP fluxtools_reconcile_total Reconcile verdicts.",
            "# TYPE fluxtools_reconcile_total counter",
            *(f"fluxtools_reconcile_total{labels(verdict=v)} {n}" for v, n in sorted(self.reconciles.items())),
            "# HELP fluxtools_reconcile_duration_seconds How long reconciles took until their verdict.",
            "# TYPE fluxtools_reconcile_duration_seconds summary",
            f"fluxtools_reconcile_duration_seconds_sum {self.reconcile_seconds:.3f}",
            f"fluxtools_reconcile_duration_seconds_count {snap['reconcile_count']}",
            "# HELP fluxtools_suspended_objects Suspended objects in the latest list of each kind.",
            "# TYPE fluxtools_suspended_objects gauge",
            f"fluxtools_suspended_objects {snap['suspended_count']}",
            "# HELP fluxtools_controller_log_lines_total Controller log lines read, and the error lines among them.",
            "# TYPE fluxtools_controller_log_lines_total counter",
            f"fluxtools_controller_log_lines_total{labels(level='any')} {self.log_lines}",
            f"fluxtools_controller_log_lines_total{labels(level='error')} {self.log_error_lines}",
            "# HELP fluxtools_commands_total flux and kubectl commands run, by program and outcome.",
            "# TYPE fluxtools_commands_total counter",
            *(
                f"fluxtools_commands_total{labels(program=p, outcome=o)} {n}"
                for (p, o), n in sorted(self.commands.items())
            ),
        ]
        return "\n".join(lines) + "\n"


def labels(**values: str) -> str:
    """`{name="value",…}` with the exposition format's escapes."""
    return "{" + ",".join(f'{name}="{escape(value)}"' for name, value in values.items()) + "}"


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
