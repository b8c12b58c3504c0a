"""What tracing costs a call: the same calls without OpenTelemetry, with the API alone, and with the SDK
recording every span (in memory), on a scripted runner (no cluster, so only fluxtools' own time shows).

    python benchmarks/telemetry_overhead.py [--calls 2000]

Each setting runs in a fresh interpreter; prints the median microseconds per call of three rounds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "without OpenTelemetry": """
        class NoOpenTelemetry:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "opentelemetry":
                    raise ImportError(name)
        sys.meta_path.insert(0, NoOpenTelemetry())
    """,
    "API only (no SDK: no-op spans)": "",
    "SDK, every span recorded in memory": """
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))
        trace.set_tracer_provider(provider)
    """,
}
RUN = """
import json, statistics, sys, time
{setup}
from fluxtools import FluxTools
from fluxtools.testing import ScriptedRunner
answer = json.dumps({{"metadata": {{"name": "apps", "namespace": "flux-system"}}, "status": {{}}}})
flux = FluxTools(runner=ScriptedRunner(lambda argv: (0, answer, "")), cache_ttl_secs=0)
flux.call("flux_kustomization_get", {{"name": "apps"}})
rounds = []
for _ in range(3):
    started = time.perf_counter()
    for _ in range({calls}):
        flux.call("flux_kustomization_get", {{"name": "apps"}})
    rounds.append((time.perf_counter() - started) / {calls} * 1e6)
print(json.dumps(statistics.median(rounds)))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    calls = parser.parse_args().calls
    base = None
    for name, setup in SETTINGS.items():
        code = RUN.format(setup=textwrap.dedent(setup), calls=calls)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
        micros = json.loads(done.stdout)
        base = base or micros
        print(f"{name:40s} {micros:8.0f} µs/call  ({micros / base:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
