#!/usr/bin/env python3
"""fluxtools lab: a real local Kubernetes API server + real Flux controllers.

    python3 lab/labctl.py build    # compile pinned binaries (cached, skips existing)
    python3 lab/labctl.py built    # exit 0 when everything is built already
    python3 lab/labctl.py start    # fresh cluster + scenario, waits for convergence
    python3 lab/labctl.py status   # processes and ports
    python3 lab/labctl.py env      # export lines for KUBECONFIG and PATH (--aliases N, --no-kubeconfig)
    python3 lab/labctl.py scale    # add (--objects N) or remove (--remove) generated Flux objects
    python3 lab/labctl.py stop     # kill every recorded process group, verify

Everything listens on 127.0.0.1 only. Binaries live in ~/.cache/fluxtools-lab/<versions-key>/bin,
runtime state in ~/.cache/fluxtools-lab/state (override: FLUXTOOLS_LAB_STATE).
See lab/README.md for the modules, the scenario and the intended state of every object.
"""

import sys
from pathlib import Path

# `lab` is a package: import it from the repository root, not from its own directory
HERE = Path(__file__).resolve().parent
sys.path = [str(HERE.parent), *(entry for entry in sys.path if Path(entry or ".").resolve() != HERE)]

from lab.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv))
