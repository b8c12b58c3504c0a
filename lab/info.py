"""Where the running lab says it is (`lab.json`): for tests, benchmarks and the recorders.

    from lab.info import lab_info, lab_settings

Importable from the repository root (pytest and `python -m` put it on sys.path); never shipped in the wheel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .layout import lab_json


def lab_info() -> dict[str, Any] | None:
    """The running lab's description, or None when no lab was started here."""
    path = lab_json()
    if not path.exists():
        return None
    return json.loads(path.read_text())


def lab_settings(info: dict[str, Any], context: str = "lab") -> dict[str, Any]:
    """FluxConfig settings that reach the lab with its own binaries; no result cache (measure the cluster)."""
    return {
        "kubeconfig": info["kubeconfig"],
        "context": context,
        "flux_path": info["flux"],
        "kubectl_path": info["kubectl"],
        "cache_ttl_secs": 0,
    }


def provenance(info: dict[str, Any]) -> dict[str, Any]:
    """A cassette header's provenance: what the lab's binaries and API server report, and the scenario."""
    from fluxtools.cassettes import reported_versions

    reported = reported_versions(info["flux"], info["kubectl"], info["kubeconfig"], info.get("default_context", "lab"))
    return {**reported, "scenario": f"lab/{info.get('scenario')}"}


def redaction_paths(info: dict[str, Any]) -> dict[str, str]:
    return {info["state_dir"]: "<LAB>", info["bin_dir"]: "<LABBIN>", str(Path.home()): "~"}
