"""Every fault the toolkit must survive, observed: result, attempts, time to answer, processes left.

    python benchmarks/faults.py        (needs the running lab for the cluster-side faults)

Stand-ins for a hanging, flooding or flaky kubectl are small scripts run directly (no shell).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import lab_or_exit

from fluxtools import FluxConfig, FluxTools, SubprocessRunner

UNAVAILABLE = "Error from server (ServiceUnavailable): the server is currently unable to handle the request (503)"


def script(folder: Path, name: str, body: str) -> str:
    path = folder / name
    path.write_text(f"#!{sys.executable}\nimport os, sys, time, subprocess\n{body}\n")
    path.chmod(0o755)
    return str(path)


def leftovers(markers: list[str]) -> int:
    """Live processes whose command line names one of the markers (the CLIs a scenario ran)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().split()[2]
            except OSError:
                continue
            if state != "Z" and any(marker.encode() in cmdline for marker in markers):
                count += 1
    return count


def main() -> None:
    lab = lab_or_exit()
    folder = Path(tempfile.mkdtemp(prefix="fluxtools-faults-"))
    hang = script(
        folder, "hang", "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\ntime.sleep(600)"
    )
    flood = script(folder, "flood", "chunk = b'x' * 65536\nfor _ in range(4000): sys.stdout.buffer.write(chunk)")
    bad_bytes = script(
        folder, "badbytes", 'sys.stdout.buffer.write(b\'{"items": [{"metadata": {"name": "caf\\xe9"}}]}\')'
    )
    counter = folder / "count"
    flaky = script(
        folder,
        "flaky",
        f"p = {str(counter)!r}\nn = int(open(p).read()) if os.path.exists(p) else 0\n"
        f"open(p, 'w').write(str(n + 1))\nif n < 2:\n    sys.stderr.write({UNAVAILABLE!r})\n"
        f"    sys.exit(1)\nos.execv({lab['kubectl']!r}, [{lab['kubectl']!r}] + sys.argv[1:])",
    )
    base = {
        "kubeconfig": lab["kubeconfig"],
        "context": "lab",
        "flux_path": lab["flux"],
        "kubectl_path": lab["kubectl"],
        "cache_ttl_secs": 0,
    }
    apiserver = json.loads((Path(lab["state_dir"]) / "pids.json").read_text())["kube-apiserver-noflux"]["pid"]

    def stopped_apiserver(tools: FluxTools) -> dict:
        os.kill(apiserver, signal.SIGSTOP)
        try:
            return tools.call("flux_kustomization_list", {})
        finally:
            os.kill(apiserver, signal.SIGCONT)

    listing: Callable[[FluxTools], dict] = lambda tools: tools.call("flux_kustomization_list", {})  # noqa: E731
    scenarios: list[tuple[str, dict, Callable[[FluxTools], dict]]] = [
        (
            "flux and kubectl missing",
            {"flux_path": "/nonexistent/flux", "kubectl_path": "/nonexistent/kubectl"},
            listing,
        ),
        ("kubectl missing (flux table fallback)", {"kubectl_path": "/nonexistent/kubectl"}, listing),
        ("kubeconfig missing", {"kubeconfig": str(folder / "no-such-kubeconfig")}, listing),
        ("kubeconfig garbled", {"kubeconfig": lab["garbled_kubeconfig"]}, listing),
        ("API server stopped mid-call (SIGSTOP)", {"context": "lab-noflux", "timeout_secs": 3}, stopped_apiserver),
        ("API server down (connection refused)", {"context": "lab-unreachable"}, listing),
        ("CLI hangs", {"kubectl_path": hang, "timeout_secs": 3}, listing),
        ("CLI floods output (250 MiB)", {"kubectl_path": flood}, listing),
        ("non-UTF-8 output", {"kubectl_path": bad_bytes}, listing),
        (
            "RBAC forbidden",
            {"context": "lab-restricted"},
            lambda t: t.call("flux_kustomization_list", {"namespace": "flux-system"}),
        ),
        ("Flux CRDs missing", {"context": "lab-noflux"}, listing),
        ("transient 503 twice, then OK", {"kubectl_path": flaky}, listing),
        ("permanent: object not found", {}, lambda t: t.call("flux_kustomization_get", {"name": "nope"})),
    ]
    print("| fault | observed result | attempts | time to answer | processes left |")
    print("|---|---|---|---|---|")
    for name, settings, action in scenarios:
        tools = FluxTools(FluxConfig(**{**base, **settings}), runner=SubprocessRunner())
        started = time.perf_counter()
        envelope = action(tools)
        elapsed = time.perf_counter() - started
        time.sleep(0.3)
        left = leftovers([str(folder), lab["kubectl"], lab["flux"]])
        if envelope["success"]:
            data = envelope["data"]
            outcome = f"success ({data.get('total', '?')} items{'; fields reduced' if data.get('notes') else ''})"
        else:
            outcome = f"{envelope['error_type']}: {envelope['error'][:70]}"
        print(f"| {name} | {outcome} | {envelope.get('attempts', 1)} | {elapsed:.2f} s | {left} |")


if __name__ == "__main__":
    main()
