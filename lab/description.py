"""`state/lab.json`: what the running lab is and how to reach it (read through lab/info.py)."""

from __future__ import annotations

import json
from typing import Any

from . import noise
from .content import GIT_URL, HELM_REPO_URL, PRIVATE_GIT_URL
from .kubeconfig import contexts, empty_home, missing_kubeconfig
from .layout import BIN, PORTS, STATE, admin_kubeconfig, binary, kubeconfig, lab_json, state
from .scenario import PLANTED_SECRET, PLANTED_VALUES_SECRET, SCENARIO, expected
from .versions import summary


def describe(aliases: int = 0, **extra: Any) -> dict[str, Any]:
    info = {
        "scenario": SCENARIO,
        "kubeconfig": str(kubeconfig()),
        "garbled_kubeconfig": str(state("garbled.kubeconfig")),
        "missing_kubeconfig": str(missing_kubeconfig()),
        "empty_home": str(empty_home()),
        "admin_kubeconfig": str(admin_kubeconfig()),
        "bin_dir": str(BIN),
        "flux": binary("flux"),
        "kubectl": binary("kubectl"),
        "state_dir": str(STATE),
        "logs_dir": str(state("logs")),
        "versions": summary(),
        "contexts": contexts(aliases),
        "aliases": aliases,
        "default_context": "lab",
        "ports": PORTS,
        "git": {"fleet": GIT_URL, "private": PRIVATE_GIT_URL},
        "helm_repo": HELM_REPO_URL,
        "planted_secrets": [PLANTED_SECRET, PLANTED_VALUES_SECRET, noise.rejected_token()],
        "expected": expected(),
        "noise": noise.described(),
        "noise_kubeconfig": str(noise.kubeconfig()),
    }
    info.update(extra)
    return info


def read() -> dict[str, Any]:
    return json.loads(lab_json().read_text())


def write(info: dict[str, Any]) -> None:
    tmp = lab_json().with_suffix(".tmp")
    tmp.write_text(json.dumps(info, indent=2) + "\n")
    tmp.replace(lab_json())


def print_info(info: dict[str, Any]) -> None:
    print(f"scenario: {info['scenario']}")
    print(f"lab.json: {lab_json()}")
    print(f"bin: {info['bin_dir']}")
    print("contexts: " + ", ".join(info["contexts"]))
    print("ports: " + " ".join(f"{k}={v}" for k, v in info["ports"].items()))
    print(f"env: export KUBECONFIG={info['kubeconfig']} PATH={info['bin_dir']}:$PATH")
    print(info["kubeconfig"])
