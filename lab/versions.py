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

# The build cache directory: binaries built from these pins live under ~/.cache/fluxtools-lab/<KEY>.
KEY = f"k8s-{K8S}_flux-{FLUX}_etcd-{ETCD}_kwok-{KWOK}"


def summary() -> dict[str, str]:
    """Every pin by component name, as `lab.json` lists them."""
    return {"kubernetes": K8S, "flux": FLUX, "etcd": ETCD, "kwok": KWOK, **CONTROLLERS}


def shell() -> str:
    """Assignments for build.sh: K8S STG K8S_MINOR FLUX ETCD KWOK SRC KUST HELM NOTIF KEY."""
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
        "KEY": KEY,
    }
    return "\n".join(f"{name}={value}" for name, value in values.items())


if __name__ == "__main__":
    if sys.argv[1:] != ["shell"]:
        sys.exit("usage: versions.py shell")
    print(shell())
