"""`labctl.py` commands: build, built, start, stop, status, env, scale."""

from __future__ import annotations

import argparse
import subprocess

from . import description, lifecycle, scale, zoo
from .kubeconfig import empty_home, missing_kubeconfig, write_kubeconfigs
from .layout import BIN, BUILD, HERE, kubeconfig, lab_json
from .processes import BASE_ENV, die
from .versions import WORKLOADS

USAGE = """\
    python3 lab/labctl.py build [component]   # compile pinned binaries (cached, skips existing)
    python3 lab/labctl.py built               # exit 0 when everything is built already
    python3 lab/labctl.py start               # fresh cluster + scenario, waits for convergence
    python3 lab/labctl.py status              # processes and ports
    python3 lab/labctl.py env [--aliases N] [--no-kubeconfig]   # export lines (KUBECONFIG, PATH, ...)
    python3 lab/labctl.py scale --objects N | --remove          # generated namespaces of Flux objects
    python3 lab/labctl.py zoo [--only SLUG] | --remove | --list # the failure zoo: one namespace per failure
    python3 lab/labctl.py stop                # kill every recorded process group, verify
"""
LAB_BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kubectl", "flux", "kwok", "registry", *WORKLOADS)


def build(args: list[str]) -> int:
    return subprocess.run(["bash", str(HERE / "build.sh"), *args], env=BASE_ENV).returncode


def built(_args: list[str]) -> int:
    """Exit 0 when every lab binary is already built here (nothing to compile)."""
    missing = [name for name in LAB_BINARIES if not (BIN / name).exists()]
    if not (BUILD / "assets.done").exists() or not all((BUILD / "crds" / c).is_dir() for c in WORKLOADS):
        missing.append("assets (CRDs, kwok stages)")
    print("built" if not missing else "missing: " + ", ".join(missing))
    return 1 if missing else 0


def set_aliases(count: int) -> None:
    """Rewrite the running lab's kubeconfig with `count` alias contexts (lab-alias-01..N) and say so in lab.json."""
    with lifecycle.locked():
        ok, _ = lifecycle.running_state()
        if not ok:
            die("the lab is not running: python3 lab/labctl.py start")
        write_kubeconfigs(count)
        info = description.read()
        fresh = description.describe(count)
        description.write({**info, "contexts": fresh["contexts"], "aliases": count})


def env(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="labctl.py env")
    parser.add_argument("--aliases", type=int, help="write N alias contexts lab-alias-01..N into the kubeconfig")
    parser.add_argument("--no-kubeconfig", action="store_true", help="KUBECONFIG and HOME where no kubeconfig is")
    opts = parser.parse_args(args)
    if opts.aliases is not None:
        if not 0 <= opts.aliases <= 999:
            die("--aliases takes 0..999")
        set_aliases(opts.aliases)
    if opts.no_kubeconfig:
        print(f"export KUBECONFIG={missing_kubeconfig()}")
        print(f"export HOME={empty_home()}")
    else:
        print(f"export KUBECONFIG={kubeconfig()}")
    print(f"export PATH={BIN}:$PATH")
    print("export NO_PROXY=127.0.0.1,localhost")
    print(f"export FLUXTOOLS_LAB_JSON={lab_json()}")
    return 0


COMMANDS = {
    "build": build,
    "built": built,
    "start": lambda _args: lifecycle.start(),
    "stop": lambda _args: lifecycle.stop(),
    "status": lambda _args: lifecycle.status(),
    "env": env,
    "scale": scale.command,
    "zoo": zoo.command,
}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print(USAGE)
        return 2
    return COMMANDS[argv[1]](argv[2:])
