"""The lab's version pins, read from `versions.json` (the one place they are written).

`python3 lab/versions.py shell` prints them as shell assignments for `build.sh`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PINS = json.loads((Path(__file__).resolve().parent / "versions.json").read_text())

K8S: str = PINS["kubernetes"]
K8S_STAGING: str = PINS["kubernetes_staging"]
FLUX: str = PINS["flux"]
ETCD: str = PINS["etcd"]
KWOK: str = PINS["kwok"]
CONTROLLERS: dict[str, str] = dict(PINS["controllers"])  # name -> version (image tag `flux version` reads)
FLUX_OPERATOR: str = PINS["flux_operator"]
REGISTRY: str = PINS["registry"]  # github.com/distribution/distribution/v3 (cmd/registry)
OPERATOR = "flux-operator"
# Every process that runs as a fake Deployment in flux-system (pod logs, `flux logs`): the controllers and the operator.
WORKLOADS: dict[str, str] = {**CONTROLLERS, OPERATOR: FLUX_OPERATOR}

# The build cache directory: binaries built from these pins live under ~/.cache/fluxtools-lab/<KEY>.
KEY = f"k8s-{K8S}_flux-{FLUX}_etcd-{ETCD}_kwok-{KWOK}"


def summary() -> dict[str, str]:
    """Every pin by component name, as `lab.json` lists them."""
    pins = {"kubernetes": K8S, "flux": FLUX, "etcd": ETCD, "kwok": KWOK, **CONTROLLERS}
    return {**pins, "flux-operator": FLUX_OPERATOR, "registry": REGISTRY}


def shell() -> str:
    """Assignments for build.sh: K8S STG K8S_MINOR FLUX ETCD KWOK SRC KUST HELM NOTIF IRC IAC SW FOP REG KEY."""
    values = {
        "K8S": K8S,
        "STG": K8S_STAGING,
        "K8S_MINOR": K8S.split(".")[1],
        "FLUX": FLUX,
        "ETCD": ETCD,
        "KWOK": KWOK,
        "SRC": CONTROLLERS["source-controller"],
        "KUST": CONTROLLERS["kustomize-controller"],
        "HELM": CONTROLLERS["helm-controller"],
        "NOTIF": CONTROLLERS["notification-controller"],
        "IRC": CONTROLLERS["image-reflector-controller"],
        "IAC": CONTROLLERS["image-automation-controller"],
        "SW": CONTROLLERS["source-watcher"],
        "FOP": FLUX_OPERATOR,
        "REG": REGISTRY,
        "KEY": KEY,
    }
    return "\n".join(f"{name}={value}" for name, value in values.items())


if __name__ == "__main__":
    if sys.argv[1:] != ["shell"]:
        sys.exit("usage: versions.py shell")
    print(shell())
