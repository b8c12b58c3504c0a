"""Where the local lab (lab/labctl.py) says it is: kubeconfig, binaries, versions."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

DEFAULT_STATE = Path.home() / ".cache" / "fluxtools-lab" / "state"


def lab_json_path() -> Path:
    explicit = os.environ.get("FLUXTOOLS_LAB_JSON")
    if explicit:
        return Path(explicit)
    state = Path(os.environ.get("FLUXTOOLS_LAB_STATE", DEFAULT_STATE)).expanduser()
    return state / "lab.json"


def lab_info() -> dict[str, Any] | None:
    """The running lab's description, or None when no lab was started here."""
    path = lab_json_path()
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
    versions = info.get("versions", {})
    return {
        "flux_version": versions.get("flux"),
        "kubectl_version": versions.get("kubernetes"),
        "server_version": versions.get("kubernetes"),
        "controllers": {name: version for name, version in versions.items() if name.endswith("-controller")},
        "scenario": f"lab/{info.get('scenario')}",
    }


def redaction_paths(info: dict[str, Any]) -> dict[str, str]:
    return {info["state_dir"]: "<LAB>", info["bin_dir"]: "<LABBIN>", str(Path.home()): "~"}
