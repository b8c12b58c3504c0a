"""OpenTelemetry is optional: without it calls and metrics work the same and nothing imports it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.mcp.support import ROOT

BLOCKED = textwrap.dedent(
    """
    import sys

    class NoOpenTelemetry:
        def find_spec(self, name, path=None, target=None):
            if name == "opentelemetry" or name.startswith("opentelemetry."):
                raise ImportError("opentelemetry is not installed")

    sys.meta_path.insert(0, NoOpenTelemetry())
    """
)


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_without_the_api_calls_and_metrics_work_and_nothing_is_imported():
    done = run(
        BLOCKED
        + textwrap.dedent(
            """
            from fluxtools import FluxTools
            flux = FluxTools(cluster="demo")
            envelope = flux.call("flux_diagnose", {})
            assert envelope["success"], envelope
            assert flux.call("flux_kustomization_get", {"name": "-bad"})["error_type"] == "InvalidInput"
            snapshot = flux.metrics_snapshot()
            assert snapshot["calls"] == {"flux_diagnose": 1, "flux_kustomization_get": 1}, snapshot
            assert snapshot["commands"] > 0, snapshot
            assert "fluxtools_tool_duration_seconds_count" in flux.metrics.prometheus_text()
            assert not [name for name in sys.modules if name.startswith("opentelemetry")]
            print("ok")
            """
        )
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_importing_fluxtools_does_not_import_the_api():
    done = run("import sys, fluxtools.integration; print(any(m.startswith('opentelemetry') for m in sys.modules))")
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr
