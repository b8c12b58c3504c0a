"""What a recording was made with: the versions the flux and kubectl binaries and the API server report.

Asked from the binaries themselves (`flux version -o json`, `kubectl version -o json`, which reads the
server's /version), once per process for each set of arguments, so a cassette header never copies a pin.
"""

from __future__ import annotations

import functools
import json
import subprocess
from typing import Any

TIMEOUT_SECS = 20


def _reported(argv: list[str]) -> dict[str, Any]:
    """The JSON a version command printed (kubectl prints its client version even when the server is down)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_SECS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    try:
        data = json.loads(done.stdout)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@functools.cache
def reported_versions(
    flux: str = "flux", kubectl: str = "kubectl", kubeconfig: str | None = None, context: str | None = None
) -> dict[str, Any]:
    """`flux_version`, `kubectl_version`, `server_version` and the cluster's `controllers` (None if not reported)."""
    connection = [*(["--kubeconfig", kubeconfig] if kubeconfig else []), *(["--context", context] if context else [])]
    kube = _reported([kubectl, "version", "-o", "json", *connection])
    cluster_flux = _reported([flux, "version", "-o", "json", *connection])
    client_flux = cluster_flux or _reported([flux, "version", "--client", "-o", "json"])
    controllers = {
        name.rsplit("/", 1)[-1]: version
        for name, version in cluster_flux.items()
        if name.endswith("-controller") and isinstance(version, str)
    }
    return {
        "flux_version": client_flux.get("flux"),
        "kubectl_version": (kube.get("clientVersion") or {}).get("gitVersion"),
        "server_version": (kube.get("serverVersion") or {}).get("gitVersion"),
        "controllers": dict(sorted(controllers.items())),
    }
