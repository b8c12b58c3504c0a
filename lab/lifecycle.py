"""Starting, stopping and checking the lab: one copy at a time (a file lock and recorded PIDs)."""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import shutil
import time
from collections.abc import Iterator

from . import description, noise, surface
from .content import make_chart_repo, make_git_repo, make_zoo_content
from .controllers import controller_deployments, install_crds, start_controllers
from .controlplane import start_apiserver, start_etcd, start_kcm
from .convergence import apply_scenario, wait_converged
from .kube import apiserver_ready, apply_objs, port_free
from .kubeconfig import write_kubeconfigs
from .kwok import start_kwok
from .layout import BIN, LOCK, PORTS, STATE, binary, lab_json, state
from .pki import make_pki
from .processes import PIDS, alive, die, load_pids, log, stop_all, wait_for
from .scenario import NAMESPACES, SCENARIO, namespace
from .servers import start_servers
from .versions import WORKLOADS

CONVERGE_TIMEOUT = int(os.environ.get("FLUXTOOLS_LAB_CONVERGE_TIMEOUT", "300"))
ALIASES = int(os.environ.get("FLUXTOOLS_LAB_ALIASES", "0"))
MARKER = ".fluxtools-lab-state"


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the lab's lock for the whole command (start, stop, changes to the running lab)."""
    STATE.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def running_state() -> tuple[bool, dict]:
    """(all_alive, pids) for the recorded lab, or (False, {}) if none."""
    pids = load_pids()
    if not pids or not lab_json().exists():
        return False, pids
    return all(alive(r) for r in pids.values()), pids


def _fresh_state_dir() -> None:
    marker = state(MARKER)
    if STATE.exists() and any(STATE.iterdir()) and not marker.exists():
        die(f"{STATE} exists, is not empty and is not a lab state dir; refusing to wipe it")
    if STATE.exists():
        shutil.rmtree(STATE)
    STATE.mkdir(parents=True)
    marker.write_text("fluxtools lab state; wiped and recreated by `labctl.py start`\n")
    for d in (
        "logs",
        "manifests",
        "artifacts",
        "home",
        "tmp",
        "etcd",
        "registry",
        "webhook",
        "image-db",
        "generated",
        "operator",
        "surface",
    ):
        state(d).mkdir(parents=True, exist_ok=True)
    os.chmod(state("etcd"), 0o700)
    for c in WORKLOADS:
        state("logs", f"{c}.log").touch()


def _bring_up() -> tuple[str, bool, dict]:
    """Every process and the scenario, in order; returns (git commit, with kube-controller-manager, what the
    surface pushed)."""
    make_pki()
    noise.make_credentials()
    write_kubeconfigs(ALIASES)
    rev = make_git_repo()
    make_chart_repo()
    make_zoo_content()
    start_etcd()
    start_apiserver("kube-apiserver", PORTS["apiserver"], "/registry")
    start_apiserver("kube-apiserver-noflux", PORTS["apiserver-noflux"], "/registry-noflux")
    for name, port in (("kube-apiserver", PORTS["apiserver"]), ("kube-apiserver-noflux", PORTS["apiserver-noflux"])):
        wait_for(name, apiserver_ready(port), 120, proc_names=[name])
    with_kcm = os.access(binary("kube-controller-manager"), os.X_OK)
    if with_kcm:
        start_kcm()
    apply_objs([namespace(n) for n in (*NAMESPACES, *surface.NAMESPACES)], "namespaces")
    install_crds()
    start_kwok()
    controller_deployments(with_kcm)
    start_servers()
    surface.start_servers()
    pushed = surface.make_content()
    start_controllers()
    apply_scenario()
    surface.apply()
    apply_objs(noise.objs(), "noise")
    return rev, with_kcm, pushed


def start() -> int:
    with locked():
        ok, pids = running_state()
        if ok:
            log("lab already running; not starting a second copy")
            print("already running")
            description.print_info(description.read())
            return 0
        if pids:
            log("found a partially running/stale lab; stopping it first")
            stop_all(pids, verbose=False)
        needed = ["etcd", "kube-apiserver", "kubectl", "kwok", "flux", "registry", *WORKLOADS]
        missing = [b for b in needed if not os.access(binary(b), os.X_OK)]
        if missing:
            die(f"missing binaries in {BIN}: {missing}; run `python3 lab/labctl.py build`")
        busy = [f"{k}={v}" for k, v in PORTS.items() if not port_free(v)]
        if busy:
            die(f"ports in use: {busy}")
        t0 = time.time()
        _fresh_state_dir()
        PIDS.clear()
        try:
            rev, with_kcm, pushed = _bring_up()
            bad, waited = wait_converged(CONVERGE_TIMEOUT)
        except SystemExit:
            log("start failed; stopping what was started (logs kept in " + str(state("logs")) + ")")
            stop_all(PIDS, verbose=False)
            raise
        info = description.describe(
            ALIASES,
            git_revision=f"main@sha1:{rev}",
            started_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            kube_controller_manager=with_kcm,
            converged=not bad,
            start_seconds=round(time.time() - t0, 1),
            surface=surface.described(pushed),
        )
        description.write(info)
    if bad:
        log(f"scenario NOT fully converged after {waited:.0f}s:")
        for oid, why in bad:
            log(f"  {oid}: {why}")
    else:
        log(f"scenario {SCENARIO} converged in {waited:.1f}s; lab up in {time.time() - t0:.1f}s")
    description.print_info(info)
    return 0 if not bad else 3


def stop() -> int:
    with locked():
        pids = load_pids()
        if not pids:
            print("lab not running (no recorded PIDs)")
            return 0
        if stop_all(pids):
            state("pids.json").unlink(missing_ok=True)
            lab_json().unlink(missing_ok=True)
            print("stopped; no recorded process remains")
            return 0
    print("some processes remain (see above)")
    return 1


def status() -> int:
    pids = load_pids()
    if not pids:
        print("lab not running")
        return 1
    all_ok = True
    for name, rec in pids.items():
        up = alive(rec)
        all_ok &= up
        print(f"{name:28s} pid={rec['pid']:<8d} {'running' if up else 'DEAD'}")
    if lab_json().exists():
        info = description.read()
        print(f"scenario={info['scenario']} converged={info.get('converged')} kubeconfig={info['kubeconfig']}")
        checks = {name: apiserver_ready(PORTS[name])() for name in ("apiserver", "apiserver-noflux")}
        print("readyz: " + " ".join(f"{k}={'ok' if v else 'FAIL'}" for k, v in checks.items()))
    print("status: " + ("running" if all_ok else "DEGRADED"))
    return 0 if all_ok else 2
